/*
 * varve check --database (SPEC §3): what the database says about the
 * manifest. An applied revision no entry defines, an applied migration
 * whose upgrade SQL changed since, a dirty migration. And the real sizes
 * of the tables the safety lint's findings concern.
 */
#include "db.h"
#include "diag.h"
#include "error.h"
#include "graph.h"
#include "manifest.h"

int varve_manifest__open_sql(const varve_manifest *m, const varve_migration *mig,
			     varve_section_kind kind, varve_sqlfile **out,
			     char **path, varve_diag_list *diags)
{
	const char *rel = mig->file ? mig->file : kind == VARVE_SECTION_UP ? mig->up : mig->down;
	int error;

	*out = NULL;
	*path = NULL;
	if (!rel)
		return 0;
	if (!(*path = varve_manifest__file_path(m, rel)))
		return varve_error__oom();
	error = varve_sqlfile_read(out, *path, *path, mig->file != NULL, kind, diags);
	if (error) {
		free(*path);
		*path = NULL;
	}
	return error;
}

/* The checksum of what `mig` applies today, or "" when it cannot be read. */
static int current_checksum(const varve_manifest *m, const varve_migration *mig,
			    char sum[VARVE_CHECKSUM_LEN + 1])
{
	varve_sqlfile *f = NULL;
	varve_diag_list *ignored = NULL;
	char *path = NULL;
	const char *text;
	size_t len;
	int error;

	sum[0] = '\0';
	if ((error = varve_diag_list_new(&ignored)) != 0)
		return error;
	error = varve_manifest__open_sql(m, mig, VARVE_SECTION_UP, &f, &path, ignored);
	if (error == VARVE_ENOMEM)
		goto done;
	error = 0; /* an unreadable file is check's missing-file finding */
	if (f && (text = varve_sqlfile_text(f, VARVE_SECTION_UP, &len)) != NULL &&
	    varve_checksum(sum, text, len) != 0)
		sum[0] = '\0';
done:
	varve_sqlfile_free(f);
	varve_diag_list_free(ignored);
	free(path);
	return error;
}

/*
 * The rows of `table` as the planner knows them (pg_class.reltuples; for a
 * table never vacuumed or analyzed, -1 there, its size at 64 bytes a row),
 * found through search_path as an unqualified name is; -1 when there is no
 * such table.
 */
static int table_rows(varve_db *db, const char *table, double *rows)
{
	static const char sql[] =
		"SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::float8 "
		"ELSE pg_relation_size(c.oid)::float8 / 64 END "
		"FROM pg_class c WHERE c.oid = to_regclass(quote_ident($1))";
	PGresult *res = NULL;
	int error;

	*rows = -1;
	if ((error = varve_db__exec(db, sql, 1, &table, &res)) != 0)
		return error;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		*rows = strtod(PQgetvalue(res, 0, 0), NULL);
	PQclear(res);
	return 0;
}

/*
 * Leave out the lint findings of migrations the database has applied
 * (they ran: there is nothing left to review), and those whose rule
 * matters only on a large table (lint.h) when their table is absent (a
 * migration not applied yet creates it) or has fewer rows than
 * lint.small_table_rows.
 */
static int small_tables(varve_db *db, const varve_manifest *m, varve_diag_list *diags)
{
	size_t n = varve_diag_list_count(diags), napplied;
	const varve_applied *applied = varve_db_applied(db, &napplied);
	bool *drop = n ? calloc(n, sizeof(*drop)) : NULL;
	int error = 0;

	if (n && !drop)
		return varve_error__oom();
	for (size_t i = 0; i < n && !error; i++) {
		bool sized;
		const char *origin;
		const char *table = varve_diag__subject(diags, i, &sized, &origin);
		double rows;

		for (size_t k = 0; origin && k < napplied && !drop[i]; k++)
			drop[i] = strcmp(applied[k].revision, origin) == 0;
		if (drop[i] || !table || !sized)
			continue;
		if ((error = table_rows(db, table, &rows)) == 0)
			drop[i] = rows < (double)m->lint_small_table_rows;
	}
	if (!error && n)
		varve_diag__remove(diags, drop);
	free(drop);
	return error;
}

int varve_check_database(varve_db *db, const varve_graph *graph,
			 varve_diag_list *diags)
{
	const varve_manifest *m = graph->manifest;
	size_t n;
	const varve_applied *rows = varve_db_applied(db, &n);
	int error = 0;

	for (size_t i = 0; i < n && !error; i++) {
		const varve_applied *a = &rows[i];
		long node = varve_graph_find(graph, a->revision);
		const varve_migration *mig;
		char sum[VARVE_CHECKSUM_LEN + 1];

		if (node < 0) {
			error = varve_diag__error(diags, "applied-unknown", m->path, 0, 0,
				"'%s' is applied in %s (%s) but no entry defines it",
				a->revision, db->table, db->display);
			continue;
		}
		mig = varve_graph_node(graph, (size_t)node);
		if (a->dirty) {
			error = varve_diag__error(diags, "dirty", m->path,
				mig->revision_pos.line, mig->revision_pos.column,
				"'%s' is dirty: it failed part way; repair the database, then "
				"run 'varve resolve %s --applied' or '--rolled-back'",
				a->revision, a->revision);
			continue;
		}
		if (!a->checksum || !(mig->file || mig->up))
			continue;
		if ((error = current_checksum(m, mig, sum)) != 0)
			break;
		if (sum[0] && strcmp(sum, a->checksum) != 0)
			error = varve_diag__error(diags, "applied-modified", m->path,
				mig->revision_pos.line, mig->revision_pos.column,
				"the upgrade SQL of '%s' changed after it was applied on %s "
				"(applied %s, now %s); revert the edit, or add a new migration",
				a->revision, a->applied_at, a->checksum, sum);
	}
	if (!error)
		error = small_tables(db, m, diags);
	if (!error)
		varve_diag_list_sort(diags);
	return error;
}
