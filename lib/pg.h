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

/*
 * libpq's PQexec, PQexecParams and PQgetResult, except that in a fiber
 * (lib/fiber.h) they send, then wait for the reply through
 * PQconsumeInput and PQisBusy while the other fibers run. The same
 * results, the same ownership: the caller PQclear()s what they return.
 */
PGresult *varve_pg__exec(PGconn *conn, const char *sql);
PGresult *varve_pg__exec_params(PGconn *conn, const char *sql, int nparams,
				const char *const *values);
PGresult *varve_pg__get_result(PGconn *conn);

#endif
