/*
 * Where a database stands against the manifest: the counts `status` shows,
 * for programs that use the library as Alembic's or SQLSpec's users use
 * their Migrator classes.
 */
#include "db.h"
#include "graph.h"

int varve_status(varve_db *db, const varve_graph *graph, varve_status_counts *out)
{
	size_t n, count = varve_graph_count(graph);
	const varve_applied *rows = varve_db_applied(db, &n);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		if (varve_graph_find(graph, rows[i].revision) < 0)
			out->unknown++;
		else if (rows[i].dirty)
			out->dirty++;
		else
			out->applied++;
	}
	/* Every node the database does not record is pending. */
	out->pending = count - out->applied - out->dirty;
	return 0;
}

const varve_applied *varve_db_find(const varve_db *db, const char *revision)
{
	for (size_t i = 0; i < db->applied_count; i++)
		if (strcmp(db->applied[i].revision, revision) == 0)
			return &db->applied[i];
	return NULL;
}
