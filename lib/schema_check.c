/*
 * The schema the migrations produce (on a scratch server), and `check
 * --schema`: that schema against the checked-in snapshot (docs/schema.md).
 */
#include "schema.h"
#include "diag.h"
#include "error.h"
#include "manifest.h"

#include <libpq-fe.h>

/* Upgrade the scratch server's database to every head, then capture it. */
static int build_head(varve_schema **out, varve_scratch *scratch, const varve_graph *graph,
		      const varve_schema_options *options, varve_failure **failure)
{
	const varve_manifest *m = varve_graph_manifest(graph);
	varve_schema_options opts =
	    options ? *options : (varve_schema_options)VARVE_SCHEMA_OPTIONS_INIT;
	varve_db *db = NULL;
	int error;

	if ((error = varve_db_open(&db, varve_scratch_conninfo(scratch),
				   varve_manifest_version_table(m))) != 0)
		return error;
	if (varve_graph_count(graph) > 0 &&
	    (error = varve_migrate(db, graph, "heads", VARVE_UPGRADE, NULL, NULL, failure)) != 0)
		goto done;
	opts.exclude_table = varve_db_table(db);
	error = varve_schema_capture(out, varve_db_conn(db), &opts);
done:
	varve_db_free(db);
	return error;
}

int varve_schema_head(varve_schema **out, const varve_graph *graph,
		      const varve_schema_options *options, varve_failure **failure)
{
	varve_scratch *scratch = NULL;
	int error;

	assert(out && graph);
	*out = NULL;
	if (failure)
		*failure = NULL;
	if ((error = varve_scratch_start(&scratch, NULL)) != 0)
		return error;
	error = build_head(out, scratch, graph, options, failure);
	varve_scratch_free(scratch);
	return error;
}

/* 1-based line and column (in characters) of character `offset` (0-based). */
static void position(const char *text, long offset, unsigned *line, unsigned *column)
{
	*line = 1;
	*column = 1;
	for (const unsigned char *p = (const unsigned char *)text; *p && offset > 0; p++) {
		if ((*p & 0xC0) == 0x80)
			continue; /* a UTF-8 continuation byte: same character */
		offset--;
		if (*p == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

/*
 * Apply the snapshot's SQL to a new database `varve_snapshot` of the
 * scratch server, and capture it. A statement that fails is a finding at
 * its place in the snapshot file.
 */
static int apply_snapshot(varve_schema **out, varve_scratch *scratch, const char *sql,
			  const char *display, const varve_pos *at, const char *manifest,
			  varve_diag_list *diags)
{
	varve_buf conninfo = VARVE_BUF_INIT;
	PGconn *conn = NULL;
	PGresult *res = NULL;
	int error;

	if ((error = varve_pg_connect(&conn, varve_scratch_conninfo(scratch))) != 0)
		return error;
	res = PQexec(conn, "CREATE DATABASE varve_snapshot");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		error = varve_error__set(VARVE_ERROR, "cannot create the snapshot's database: %s",
					 PQresultErrorMessage(res));
		goto done;
	}
	PQclear(res);
	res = NULL;
	PQfinish(conn);
	conn = NULL;
	varve_buf_printf(&conninfo, "%s dbname=varve_snapshot", varve_scratch_conninfo(scratch));
	if (conninfo.oom) {
		error = varve_error__oom();
		goto done;
	}
	if ((error = varve_pg_connect(&conn, conninfo.ptr)) != 0)
		goto done;
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_EMPTY_QUERY) {
		const char *where = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		unsigned line = 0, column = 0;

		if (PQstatus(conn) != CONNECTION_OK) {
			error = varve_error__set(VARVE_ECONNECT, "lost the scratch server");
			goto done;
		}
		if (where)
			position(sql, strtol(where, NULL, 10) - 1, &line, &column);
		if (where)
			error =
			    varve_diag__error(diags, "schema-drift", display, line, column,
					      "the schema snapshot does not apply: %s (rewrite it "
					      "with 'varve schema dump -o %s')",
					      msg ? msg : "error", display);
		else
			error = varve_diag__error(
			    diags, "schema-drift", manifest, at->line, at->column,
			    "the schema snapshot '%s' does not apply: %s (rewrite it "
			    "with 'varve schema dump -o %s')",
			    display, msg ? msg : "error", display);
		goto done;
	}
	error = varve_schema_capture(out, conn, NULL);
done:
	PQclear(res);
	PQfinish(conn);
	varve_buf_dispose(&conninfo);
	return error;
}

int varve_check_schema(const char *path, varve_diag_list *diags, char **diff,
		       varve_failure **failure)
{
	varve_manifest *m = NULL;
	varve_graph *graph = NULL;
	varve_diag_list *load = NULL;
	varve_scratch *scratch = NULL;
	varve_schema *head = NULL, *snap = NULL;
	varve_buf file = VARVE_BUF_INIT, display = VARVE_BUF_INIT;
	char *head_sql = NULL;
	const char *base;
	int error;

	assert(path && diags && diff);
	*diff = NULL;
	if (failure)
		*failure = NULL;
	if ((error = varve_diag_list_new(&load)) != 0)
		return error;
	if ((error = varve_manifest_load(&m, path, load)) != 0)
		goto done;
	if (!m->schema) {
		error = varve_error__set(VARVE_EUSAGE,
					 "'%s' has no 'schema:' key naming the "
					 "schema snapshot (docs/schema.md)",
					 path);
		goto done;
	}
	if ((error = varve_graph_build(&graph, m, load)) != 0)
		goto done;
	/* A manifest with errors: varve_check reports them. */
	if (varve_diag_list_errors(load) > 0)
		goto done;
	base = strcmp(m->base, ".") == 0 ? "" : m->base;
	varve_buf_printf(&display, "%s%s%s", base, *base ? "/" : "", m->schema);
	if (display.oom) {
		error = varve_error__oom();
		goto done;
	}
	if ((error = varve_scratch_start(&scratch, NULL)) != 0)
		goto done;
	if ((error = build_head(&head, scratch, graph, NULL, failure)) != 0)
		goto done;
	if ((error = varve_schema_sql(&head_sql, head)) != 0)
		goto done;
	if (varve_buf_read_file(&file, display.ptr, 64u << 20) != 0) {
		if (errno == ENOENT)
			error = varve_diag__error(
			    diags, "schema-drift", path, m->schema_pos.line, m->schema_pos.column,
			    "the schema snapshot '%s' does not exist: write it with "
			    "'varve schema dump -o %s'",
			    display.ptr, display.ptr);
		else
			error = varve_diag__error(diags, "schema-drift", path, m->schema_pos.line,
						  m->schema_pos.column,
						  "cannot read the schema snapshot '%s': %s",
						  display.ptr, varve_error_last());
		varve_buf_clear(&file);
		if (error)
			goto done;
		goto diff;
	}
	if ((error = apply_snapshot(&snap, scratch, varve_buf_cstr(&file), display.ptr,
				    &m->schema_pos, path, diags)) != 0)
		goto done;
	if (snap && !varve_schema_equal(head, snap))
		error = varve_diag__error(
		    diags, "schema-drift", path, m->schema_pos.line, m->schema_pos.column,
		    "the schema snapshot '%s' differs from the schema the migrations "
		    "produce: review the difference, then 'varve schema dump -o %s'",
		    display.ptr, display.ptr);
	if (error || !snap || varve_schema_equal(head, snap))
		goto done;
diff:
	error = varve_schema__unified(diff, varve_buf_cstr(&file), head_sql, display.ptr);
done:
	varve_schema_free(head);
	varve_schema_free(snap);
	varve_scratch_free(scratch);
	free(head_sql);
	varve_buf_dispose(&file);
	varve_buf_dispose(&display);
	varve_graph_free(graph);
	varve_manifest_free(m);
	varve_diag_list_free(load);
	return error;
}
