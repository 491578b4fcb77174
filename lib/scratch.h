/*
 * A private PostgreSQL server for one command (--scratch, SPEC §5).
 *
 * The public API is in varve.h; these helpers let tests and the e2e helper
 * look inside the handle.
 */
#ifndef VARVE_SCRATCH_H
#define VARVE_SCRATCH_H

#include "common.h"

#include <sys/types.h>

/* The private folder (socket directory; the cluster is in <dir>/data). */
const char *varve_scratch__dir(const varve_scratch *s);
/* The postmaster's process id. */
pid_t varve_scratch__pid(const varve_scratch *s);
/* The guardian's process id (the postmaster's parent). */
pid_t varve_scratch__guardian(const varve_scratch *s);

#endif
