/*
 * Connections: which conninfo to use, how to show it, how to connect
 * (SPEC §5). The public functions are in varve.h.
 */
#ifndef VARVE_PG_H
#define VARVE_PG_H

#include "common.h"
#include "buf.h"

#include <libpq-fe.h>

/*
 * Append libpq's message `msg` to `out` on one line: line breaks and the
 * indentation after them become single spaces, the trailing newline goes.
 */
int varve_pg__oneline(varve_buf *out, const char *msg);

/*
 * The SET statements every connection runs after connecting (one per
 * entry of *out, which is static): the runner runs them again after RESET
 * ALL. Returns how many there are for this server version.
 */
size_t varve_pg__session_settings(int server_version, const char *const **out);

#endif
