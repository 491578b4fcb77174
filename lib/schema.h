/*
 * Schema capture, comparison and DDL (docs/schema.md). The public API is
 * in varve.h; the catalog queries are in schema_queries.c.
 */
#ifndef VARVE_SCHEMA_H
#define VARVE_SCHEMA_H

#include "common.h"
#include "buf.h"

/* Append the catalog queries (schema_sql.h describes their columns), each
 * ended by ";\n", to `out`. Returns VARVE_ENOMEM. */
int varve_schema__query(varve_buf *out, bool owners);



/*
 * A unified diff (3 lines of context) from `a` to `b`, text split in
 * lines, headed "--- NAME (checked in)" / "+++ NAME (from the
 * migrations)"; "" when they are equal. *out is malloc'd.
 */
int varve_schema__unified(char **out, const char *a, const char *b, const char *name);
#endif
