/* Internal side of the migration graph. */
#ifndef VARVE_GRAPH_H
#define VARVE_GRAPH_H

#include "common.h"
#include "manifest.h"

#endif
