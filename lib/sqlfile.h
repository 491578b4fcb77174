/* Internal side of the SQL file reader. */
#ifndef VARVE_SQLFILE_H
#define VARVE_SQLFILE_H

#include "common.h"

#endif
