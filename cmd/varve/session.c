/*
 * What commands share: the manifest and its graph, and the database
 * (--database, the environment, the manifest, or --scratch).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/*
 * Load the manifest and its graph for a view. Findings that make a view
 * meaningless (the YAML, the schema, cycles, unknown parents) are printed
 * and decide the exit status; several heads or roots are what `heads` and
 * `graph` are for, so they are not repeated here.
 */
int load_graph(cli_global *g, varve_manifest **m, varve_graph **graph)
{
	varve_diag_list *diags = NULL;
	int status, code = EXIT_OK;

	*m = NULL;
	*graph = NULL;
	if (varve_diag_list_new(&diags) != 0) {
		out_error(g, "%s", varve_error_last());
		return EXIT_FINDINGS;
	}
	status = varve_manifest_load(m, g->manifest, diags);
	if (status == VARVE_OK)
		status = varve_graph_build(graph, *m, diags);
	if (status != VARVE_OK && varve_diag_list_count(diags) == 0) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	if (status != VARVE_OK)
		code = EXIT_FINDINGS;
	varve_diag_list_sort(diags);
	for (size_t i = 0; i < varve_diag_list_count(diags); i++) {
		const varve_diag *d = varve_diag_list_at(diags, i);

		if (d->severity != VARVE_SEVERITY_ERROR ||
		    strcmp(d->code, "multiple-heads") == 0 ||
		    strcmp(d->code, "multiple-roots") == 0)
			continue;
		out_diagnostic(g, d);
		code = EXIT_FINDINGS;
	}
done:
	varve_diag_list_free(diags);
	if (code != EXIT_OK) {
		varve_graph_free(*graph);
		varve_manifest_free(*m);
		*graph = NULL;
		*m = NULL;
	}
	return code;
}

/* A database.url with a hole where an unset variable was is not used. */
static int check_url(cli_global *g, const varve_manifest *m)
{
	varve_diag_list *diags = NULL;
	int code = EXIT_OK;

	if (varve_diag_list_new(&diags) != 0 || varve_manifest_check_url(m, diags) != 0) {
		out_error(g, "%s", varve_error_last());
		code = EXIT_FINDINGS;
		goto done;
	}
	for (size_t i = 0; i < varve_diag_list_count(diags); i++) {
		out_diagnostic(g, varve_diag_list_at(diags, i));
		code = EXIT_FINDINGS;
	}
done:
	varve_diag_list_free(diags);
	return code;
}

int session_open(cli_global *g, cli_session *s, bool need_db)
{
	char *conninfo = NULL;
	int status, code;

	memset(s, 0, sizeof(*s));
	if ((code = load_graph(g, &s->manifest, &s->graph)) != EXIT_OK)
		return code;
	if (!need_db)
		return EXIT_OK;
	if (g->scratch) {
		if ((status = varve_scratch_start(&s->scratch, NULL)) != VARVE_OK) {
			out_error(g, "%s", varve_error_last());
			return EXIT_DATABASE;
		}
		conninfo = strdup(varve_scratch_conninfo(s->scratch));
	} else if (varve_conninfo_resolve(&conninfo, g->database, NULL) != VARVE_OK) {
		conninfo = NULL;
	} else if (!*conninfo) {
		/* Nothing before the manifest in the library's order names a
		 * database: its url is the one, and must have no holes. */
		free(conninfo);
		conninfo = NULL;
		if ((code = check_url(g, s->manifest)) != EXIT_OK)
			return code;
		if (varve_conninfo_resolve(&conninfo, NULL,
					   varve_manifest_database_url(s->manifest)) != VARVE_OK)
			conninfo = NULL;
	}
	if (!conninfo) {
		out_error(g, "out of memory");
		return EXIT_FINDINGS;
	}
	status = varve_db_open(&s->db, conninfo,
			       varve_manifest_version_table(s->manifest));
	free(conninfo);
	if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		return exit_for_status(status);
	}
	varve_db_set_lock_wait(s->db, g->lock_wait);
	if (g->verbose) {
		fflush(stdout);
		fprintf(stderr, "varve: connected to %s, version table %s\n",
			varve_db_display(s->db), varve_db_table(s->db));
	}
	return EXIT_OK;
}

void session_close(cli_session *s)
{
	varve_db_free(s->db);
	varve_scratch_free(s->scratch);
	varve_graph_free(s->graph);
	varve_manifest_free(s->manifest);
	free(s->applied_revs);
	memset(s, 0, sizeof(*s));
}

const char *const *session_applied(cli_session *s, size_t *count)
{
	size_t n;
	const varve_applied *rows = varve_db_applied(s->db, &n);

	free(s->applied_revs);
	s->applied_revs = calloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; s->applied_revs && i < n; i++)
		s->applied_revs[i] = rows[i].revision;
	*count = s->applied_revs ? n : 0;
	return s->applied_revs;
}

/* The applied row of each node, or NULL; and the rows the graph lacks. */
const varve_applied **session_rows_by_node(cli_session *s, size_t *unknown)
{
	size_t n, count = varve_graph_count(s->graph);
	const varve_applied *rows = varve_db_applied(s->db, &n);
	const varve_applied **by = calloc(count ? count : 1, sizeof(*by));

	*unknown = 0;
	for (size_t i = 0; by && i < n; i++) {
		long node = varve_graph_find(s->graph, rows[i].revision);

		if (node < 0)
			(*unknown)++;
		else
			by[node] = &rows[i];
	}
	return by;
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int session_lock(cli_global *g, cli_session *s)
{
	double t0 = seconds_now();
	int status;

	fflush(stdout);
	if (g->verbose)
		fprintf(stderr, "varve: taking the runners' lock on %s (waiting up to %g s)\n",
			varve_db_table(s->db), g->lock_wait);
	status = varve_db_lock(s->db, g->lock_wait);
	if (g->verbose && status == VARVE_OK)
		fprintf(stderr, "varve: lock taken after %.1f s\n", seconds_now() - t0);
	return status;
}
