/*
 * varve redo: roll back the last applied migration (or one named, with
 * what was applied on top of it) and apply it again: the daily loop while
 * writing a migration. Also what `varve test` asks of a downgrade: whether
 * it has SQL, is an explicit no-op (irreversible), or is missing.
 */
#include "common.h"
#include "check.h"
#include "db.h"
#include "error.h"
#include "graph.h"
#include "sqlfile.h"

int varve_migration_downgrade(varve_downgrade_kind *out, const varve_graph *graph,
			      size_t node, char **file, unsigned *line)
{
	const varve_migration *mig;
	varve_diag_list *diags = NULL;
	varve_check_sql cs;
	varve_statement *stmts = NULL;
	size_t count = 0;
	int error;

	assert(out && graph && node < graph->count);
	memset(&cs, 0, sizeof(cs));
	mig = graph->nodes[node];
	if (file)
		*file = NULL;
	if (line)
		*line = 0;
	if (!mig->file && !mig->up && !mig->down && !mig->path_refused) {
		*out = VARVE_DOWNGRADE_MERGE;
		return 0;
	}
	*out = VARVE_DOWNGRADE_MISSING;
	if ((error = varve_diag_list_new(&diags)) != 0 ||
	    (error = varve_check__migration(graph->manifest, mig, diags, &cs)) != 0)
		goto done;
	if (!cs.down || !varve_sqlfile_has(cs.down, VARVE_SECTION_DOWN))
		goto done;
	if (file && cs.down_path && !(*file = strdup(cs.down_path))) {
		error = varve_error__oom();
		goto done;
	}
	if (line)
		*line = varve_sqlfile_first_line(cs.down, VARVE_SECTION_DOWN);
	/* SQL that does not parse is not a no-op: the runner says what is wrong. */
	if (varve_sqlfile_statements(cs.down, VARVE_SECTION_DOWN, &stmts, &count, diags) != 0)
		count = 1;
	*out = count ? VARVE_DOWNGRADE_SQL : VARVE_DOWNGRADE_NOOP;
done:
	if (error && file) {
		free(*file);
		*file = NULL;
	}
	free(stmts);
	varve_check__sql_dispose(&cs);
	varve_diag_list_free(diags);
	return error;
}

/* A migration redo cannot roll back, or 0. */
static int refuse_irreversible(const varve_graph *graph, size_t node)
{
	varve_downgrade_kind kind;
	const char *rev = graph->nodes[node]->revision;
	int error;

	if ((error = varve_migration_downgrade(&kind, graph, node, NULL, NULL)) != 0)
		return error;
	if (kind == VARVE_DOWNGRADE_NOOP)
		return varve_error__set(VARVE_EINVALID,
			"'%s' is irreversible: its downgrade holds only comments (an explicit "
			"no-op), so redo would run its upgrade again over its own changes", rev);
	if (kind == VARVE_DOWNGRADE_MISSING)
		return varve_error__set(VARVE_EINVALID, "'%s' has no downgrade: redo cannot "
					"roll it back", rev);
	return 0;
}

int varve_redo_plan(varve_steps **down, varve_steps **up, const varve_graph *graph,
		    const char *target, const char *const *applied, size_t applied_count)
{
	size_t *nodes = NULL, *set = NULL, count = 0, n = 0, node;
	long found;
	int error = 0;

	assert(down && up && graph);
	*down = *up = NULL;
	if (applied_count == 0)
		return varve_error__set(VARVE_ENOTFOUND, "nothing is applied: nothing to redo");
	if (!target) {
		/* The most recently applied migration. */
		if ((found = varve_graph_find(graph, applied[applied_count - 1])) < 0)
			return varve_error__set(VARVE_ENOTFOUND,
				"the last applied migration, '%s', is not in the manifest",
				applied[applied_count - 1]);
		node = (size_t)found;
	} else {
		bool is_applied = false;

		if ((error = varve_target_nodes(&nodes, &count, graph, target)) != 0)
			return error;
		if (count != 1) {
			error = varve_error__set(VARVE_EINVALID,
				"'%s' names %zu migrations: redo takes one", target, count);
			goto done;
		}
		node = nodes[0];
		for (size_t i = 0; i < applied_count && !is_applied; i++)
			is_applied = strcmp(applied[i], graph->nodes[node]->revision) == 0;
		if (!is_applied) {
			error = varve_error__set(VARVE_EUSAGE, "'%s' is not applied: nothing to "
						 "redo (upgrade to it first)",
						 graph->nodes[node]->revision);
			goto done;
		}
	}
	/* It and what was applied on top of it, most recent first. */
	if (!(set = calloc(applied_count, sizeof(*set)))) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = applied_count; i-- > 0;) {
		found = varve_graph_find(graph, applied[i]);
		if (found >= 0 && varve_graph_is_ancestor(graph, node, (size_t)found)) {
			if ((error = refuse_irreversible(graph, (size_t)found)) != 0)
				goto done;
			set[n++] = (size_t)found;
		}
	}
	if ((error = varve_steps__new(down, set, n)) != 0)
		goto done;
	/* Back in graph order. */
	for (size_t i = 1; i < n; i++) {
		size_t v = set[i], j = i;

		for (; j > 0 && graph->rank[set[j - 1]] > graph->rank[v]; j--)
			set[j] = set[j - 1];
		set[j] = v;
	}
	error = varve_steps__new(up, set, n);
done:
	if (error) {
		varve_steps_free(*down);
		*down = NULL;
	}
	free(nodes);
	free(set);
	return error;
}

int varve_redo(varve_db *db, const varve_graph *graph, const char *target,
	       const varve_run_options *options, size_t *count, varve_failure **failure)
{
	varve_steps *down = NULL, *up = NULL;
	varve_failure *mine = NULL;
	const char **revs = NULL;
	const varve_applied *rows;
	size_t n;
	int error;

	assert(db && graph);
	if (count)
		*count = 0;
	if (failure)
		*failure = NULL;
	else
		failure = &mine;
	/* One lock over both halves: no other runner between them. */
	if (!db->locked && (error = varve_db_lock(db, db->lock_wait)) != 0)
		return error;
	rows = varve_db_applied(db, &n);
	if (!(revs = calloc(n ? n : 1, sizeof(*revs))))
		return varve_error__oom();
	for (size_t i = 0; i < n; i++)
		revs[i] = rows[i].revision;
	if ((error = varve_redo_plan(&down, &up, graph, target, revs, n)) != 0)
		goto done;
	if (count)
		*count = varve_steps_count(down);
	if ((error = varve_run(db, graph, down, VARVE_DOWNGRADE, options, failure)) != 0)
		goto done;
	error = varve_run(db, graph, up, VARVE_UPGRADE, options, failure);
done:
	varve_failure_free(mine);
	free(revs);
	varve_steps_free(down);
	varve_steps_free(up);
	return error;
}
