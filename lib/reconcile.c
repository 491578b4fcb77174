/*
 * Renamed revisions (SPEC §7, last bullet): after `varve fix` renumbered
 * timestamp migrations, a database it was not pointed at still records the
 * old revisions. An applied revision the manifest lacks, whose checksum
 * equals that of exactly one unapplied migration, is that migration under
 * its old name: rename the row.
 *
 * A merge has no SQL and so no checksum: an applied row without one that
 * the manifest lacks is the merge renamed when exactly one unapplied merge
 * fits it, and it no other row: same description, every parent (under its
 * new name, once the checksums renamed them) applied before the row.
 */
#include "db.h"
#include "error.h"
#include "graph.h"
#include "manifest.h"
#include "pg.h"
#include "strmap.h"

#define AMBIGUOUS SIZE_MAX

/* checksum -> node of the unapplied migrations; AMBIGUOUS when shared. */
static int unapplied_checksums(varve_db *db, const varve_graph *graph,
			       varve_strmap *out, varve_arena *arena)
{
	const varve_manifest *m = graph->manifest;
	size_t count = varve_graph_count(graph), n;
	const varve_applied *rows = varve_db_applied(db, &n);
	bool *applied = calloc(count ? count : 1, sizeof(bool));
	varve_diag_list *ignored = NULL;
	int error = 0;

	if (!applied || (error = varve_diag_list_new(&ignored)) != 0) {
		free(applied);
		return error ? error : varve_error__oom();
	}
	for (size_t i = 0; i < n; i++) {
		long node = varve_graph_find(graph, rows[i].revision);

		if (node >= 0)
			applied[node] = true;
	}
	for (size_t node = 0; node < count && !error; node++) {
		const varve_migration *mig = varve_graph_node(graph, node);
		varve_sqlfile *f = NULL;
		char *path = NULL, sum[VARVE_CHECKSUM_LEN + 1], *key;
		const char *text;
		size_t len;
		int r;

		if (applied[node])
			continue;
		if (varve_manifest__open_sql(m, mig, VARVE_SECTION_UP, &f, &path, ignored) != 0 ||
		    !f || !(text = varve_sqlfile_text(f, VARVE_SECTION_UP, &len)) ||
		    varve_checksum(sum, text, len) != 0) {
			varve_sqlfile_free(f);
			free(path);
			continue;
		}
		varve_sqlfile_free(f);
		free(path);
		if (!(key = varve_arena_strdup(arena, sum))) {
			error = varve_error__oom();
			break;
		}
		/* A checksum two migrations share names neither. */
		r = varve_strmap_put(out, key, node, NULL);
		if (r < 0)
			error = r;
		else if (r == 1)
			varve_strmap_set(out, key, AMBIGUOUS);
	}
	varve_diag_list_free(ignored);
	free(applied);
	return error;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Row `row` could be merge `mig`: see the top of the file. `at` maps an
 * applied revision to its row's position. */
static bool merge_fits(const varve_applied *rows, size_t row, const varve_migration *mig,
		       varve_strmap *at)
{
	if (mig->file || mig->up || mig->path_refused || mig->parent_count < 2 ||
	    !same_text(rows[row].description, mig->description))
		return false;
	for (size_t p = 0; p < mig->parent_count; p++) {
		size_t i;

		if (!varve_strmap_get(at, mig->parents[p], &i) || i >= row)
			return false;
	}
	return true;
}

/* Rename the rows of merges (see the top of the file); *begun says a
 * transaction is open, and one is opened for the first rename. */
static int reconcile_merges(varve_db *db, const varve_graph *graph, bool *begun,
			    varve_progress_fn progress, void *payload)
{
	size_t n, count = varve_graph_count(graph);
	const varve_applied *rows = varve_db_applied(db, &n);
	varve_strmap at = VARVE_STRMAP_INIT;
	size_t *fit = NULL;   /* per row: a merge that fits it */
	size_t *nfit = NULL;  /* per row: how many merges fit it */
	size_t *taken = NULL; /* per node: how many rows it fits */
	int error = 0;

	if (!(fit = calloc(n ? n : 1, sizeof(*fit))) ||
	    !(nfit = calloc(n ? n : 1, sizeof(*nfit))) ||
	    !(taken = calloc(count ? count : 1, sizeof(*taken)))) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		if ((error = varve_strmap_put(&at, rows[i].revision, i, NULL)) < 0)
			goto done;
		error = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (rows[i].dirty || rows[i].checksum ||
		    varve_graph_find(graph, rows[i].revision) >= 0)
			continue;
		for (size_t node = 0; node < count; node++) {
			const varve_migration *mig = varve_graph_node(graph, node);

			if (varve_strmap_get(&at, mig->revision, NULL) ||
			    !merge_fits(rows, i, mig, &at))
				continue;
			fit[i] = node;
			nfit[i]++;
			taken[node]++;
		}
	}
	for (size_t i = 0; i < n && !error; i++) {
		const varve_migration *mig;

		/* Two merges fit the row, or two rows the merge: neither. */
		if (nfit[i] != 1 || taken[fit[i]] != 1)
			continue;
		mig = varve_graph_node(graph, fit[i]);
		if (!*begun && (error = varve_db__exec(db, "BEGIN", 0, NULL, NULL)) != 0)
			break;
		*begun = true;
		if ((error = varve_db__rename(db, rows[i].revision, mig->revision)) != 0)
			break;
		if (progress) {
			varve_event ev = { VARVE_EVENT_RENAMED, VARVE_UPGRADE, mig, 0, 0,
					   rows[i].revision };

			progress(&ev, payload);
		}
	}
done:
	free(fit);
	free(nfit);
	free(taken);
	varve_strmap_dispose(&at);
	return error;
}

int varve_reconcile(varve_db *db, const varve_graph *graph,
		    varve_progress_fn progress, void *payload)
{
	size_t n;
	const varve_applied *rows = varve_db_applied(db, &n);
	varve_strmap sums = VARVE_STRMAP_INIT, claimed = VARVE_STRMAP_INIT;
	varve_arena arena = VARVE_ARENA_INIT;
	bool any = false, begun = false;
	int error = 0;

	for (size_t i = 0; i < n; i++)
		if (!rows[i].dirty && varve_graph_find(graph, rows[i].revision) < 0)
			any = true;
	if (!any)
		return 0;
	if (!db->locked && (error = varve_db_lock(db, db->lock_wait)) != 0)
		return error;
	rows = varve_db_applied(db, &n); /* re-read under the lock */
	if ((error = unapplied_checksums(db, graph, &sums, &arena)) != 0)
		goto done;
	/* Two unknown rows with one checksum: neither is renamed. */
	for (size_t i = 0; i < n; i++) {
		int r;

		if (!rows[i].checksum || varve_graph_find(graph, rows[i].revision) >= 0)
			continue;
		if ((r = varve_strmap_put(&claimed, rows[i].checksum, i, NULL)) < 0) {
			error = r;
			goto done;
		}
		if (r == 1)
			varve_strmap_set(&claimed, rows[i].checksum, AMBIGUOUS);
	}
	for (size_t i = 0; i < n && !error; i++) {
		const varve_applied *a = &rows[i];
		size_t node, row;
		const varve_migration *mig;

		if (a->dirty || !a->checksum || varve_graph_find(graph, a->revision) >= 0 ||
		    !varve_strmap_get(&sums, a->checksum, &node) || node == AMBIGUOUS ||
		    !varve_strmap_get(&claimed, a->checksum, &row) || row == AMBIGUOUS)
			continue;
		mig = varve_graph_node(graph, node);
		if (!begun && (error = varve_db__exec(db, "BEGIN", 0, NULL, NULL)) != 0)
			break;
		begun = true;
		if ((error = varve_db__rename(db, a->revision, mig->revision)) != 0)
			break;
		if (progress) {
			varve_event ev = { VARVE_EVENT_RENAMED, VARVE_UPGRADE, mig, 0, 0, a->revision };

			progress(&ev, payload);
		}
	}
	/* The merges, once their parents carry their new names. */
	if (!error && begun)
		error = varve_db__reload(db);
	if (!error)
		error = reconcile_merges(db, graph, &begun, progress, payload);
	if (begun && PQstatus(db->conn) == CONNECTION_OK) {
		PGresult *res = varve_pg__exec(db->conn, error ? "ROLLBACK" : "COMMIT");

		PQclear(res);
	}
	if (!error && begun)
		error = varve_db__reload(db);
done:
	varve_strmap_dispose(&sums);
	varve_strmap_dispose(&claimed);
	varve_arena_dispose(&arena);
	return error;
}
