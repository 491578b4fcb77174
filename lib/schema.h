/*
 * Schema capture, comparison and DDL (docs/schema.md). The public API is
 * in varve.h; the catalog queries are in schema_queries.c.
 */
#ifndef VARVE_SCHEMA_H
#define VARVE_SCHEMA_H

#include "common.h"
#include "buf.h"

/*
 * The catalog queries run as prepared statements (planning them is half
 * the cost of a capture), named VARVE_SCHEMA__STATEMENT and a number.
 */
#define VARVE_SCHEMA__STATEMENT "varve_schema_1_"
#define VARVE_SCHEMA__STATEMENTS 16

typedef enum {
	VARVE_SCHEMA__PLAIN,   /* the queries themselves */
	VARVE_SCHEMA__PREPARE, /* PREPARE each, then EXECUTE */
	VARVE_SCHEMA__EXECUTE, /* EXECUTE each (prepared before) */
} varve_schema__mode;

/* Append the catalog queries (schema_sql.h describes their columns), each
 * statement ended by ";\n", to `out`, for a server of `server_version`
 * (PQserverVersion: 12 or later). Returns VARVE_ENOMEM. */
int varve_schema__query(varve_buf *out, bool owners, varve_schema__mode mode,
			int server_version);



/*
 * A unified diff (3 lines of context) from `a` to `b`, text split in
 * lines, headed "--- NAME (checked in)" / "+++ NAME (from the
 * migrations)"; "" when they are equal. *out is malloc'd.
 */
int varve_schema__unified(char **out, const char *a, const char *b, const char *name);
#endif
