/*
 * The database side of a run: the connection, the version table, the
 * advisory lock and the applied state (SPEC §5).
 */
#ifndef VARVE_DB_H
#define VARVE_DB_H

#include "common.h"
#include "arena.h"

#include <libpq-fe.h>

/* The version table's DDL; "{{table}}" stands for the quoted name. The same
 * text as schemas/version_table.sql (a unit test keeps them equal). */
extern const char varve_db__version_table_ddl[];

struct varve_db {
	PGconn *conn;
	char *display;  /* the conninfo with any password masked */
	char *table;    /* as the manifest names it, quoted: for messages */
	char *schema;   /* the manifest's quoted schema, or NULL */
	/* The table resolved once at open, "schema"."table", quoted: every
	 * query of the runner names it so, whatever search_path a migration
	 * sets. Unqualified only when no schema of search_path exists. */
	char *qualified;
	char *conninfo; /* for the pooler probe's second connection */
	int64_t lock_key; /* of the resolved schema and table */
	int backend_pid;  /* pg_backend_pid() at open */
	bool locked;
	double lock_wait; /* for the lock taken by varve_run and friends */
	bool table_exists;

	varve_arena arena; /* the applied rows' strings */
	varve_applied *applied;
	size_t applied_count;
	int server_version;
};

/* The advisory lock's key as the two oids pg_locks shows (classid, objid),
 * in decimal. */
void varve_db__lock_oids(const varve_db *db, char hi[16], char lo[16]);
/* A number in [0, 1) from the kernel's generator, for retry jitter. */
double varve_db__jitter(void);
/* A query (parameters: varve_db__lock_oids) that returns one row while
 * this session holds the runner lock and fails with SQLSTATE 22012 when
 * it lost it (a migration ran pg_advisory_unlock_all()), so that it
 * aborts a transaction it runs in. */
extern const char varve_db__lock_held_sql[];
/* Re-read the applied rows (application order). */
int varve_db__reload(varve_db *db);
/* Create the version table (and its schema) unless it exists. */
int varve_db__ensure_table(varve_db *db);
/*
 * Run `sql` with parameters and expect a command (or rows when `rows`).
 * Failures set varve_error_last() and return VARVE_ERROR, or
 * VARVE_ECONNECT when the connection is gone.
 */
int varve_db__exec(varve_db *db, const char *sql, int nparams,
		   const char *const *params, PGresult **rows);
/* Rename the row of `old` to `renamed` (fix and the reconciliation). */
int varve_db__rename(varve_db *db, const char *old, const char *renamed);
/* The status of a failed libpq call: VARVE_ECONNECT when the connection
 * is gone, else `otherwise`. */
int varve_db__failure(varve_db *db, int otherwise);

#endif
