/*
 * varve test: prove that every downgrade undoes its upgrade. The walk goes
 * through the graph one migration at a time: upgrade, capture the schema,
 * downgrade, capture (it must equal the capture before the upgrade),
 * upgrade again, capture (it must equal the first one). The captures are
 * lib/schema.c's catalog reads; the runs are varve_run's, each migration
 * in its own transaction as upgrade and downgrade run it.
 */
#include "common.h"
#include "buf.h"
#include "db.h"
#include "error.h"
#include "graph.h"

#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Row counts of every table outside the system schemas, by name. */
typedef struct counts {
	char **names;
	long long *rows;
	size_t n;
} counts;

static void counts_dispose(counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

/*
 * One query counts every table's rows (query_to_xml runs a count per
 * table), the version table left out: every up and down writes it.
 */
static const char counts_sql[] =
	"SELECT pg_catalog.format('%I.%I', n.nspname, c.relname), "
	"(pg_catalog.xpath('/row/n/text()', pg_catalog.query_to_xml("
	"pg_catalog.format('SELECT count(*) AS n FROM ONLY %s', c.oid::pg_catalog.regclass), "
	"false, true, '')))[1]::text::bigint "
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' "
	"AND n.nspname !~ '^pg_' AND c.oid IS DISTINCT FROM pg_catalog.to_regclass($1) "
	"ORDER BY 1";

static int count_rows(varve_db *db, counts *out)
{
	const char *params[] = { db->qualified };
	PGresult *res = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = varve_db__exec(db, counts_sql, 1, params, &res)) != 0)
		return error;
	out->n = (size_t)PQntuples(res);
	out->names = calloc(out->n ? out->n : 1, sizeof(*out->names));
	out->rows = calloc(out->n ? out->n : 1, sizeof(*out->rows));
	if (!out->names || !out->rows) {
		out->n = 0;
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < out->n; i++) {
		if (!(out->names[i] = strdup(PQgetvalue(res, (int)i, 0)))) {
			out->n = i;
			error = varve_error__oom();
			goto done;
		}
		out->rows[i] = strtoll(PQgetvalue(res, (int)i, 1), NULL, 10);
	}
done:
	PQclear(res);
	if (error)
		counts_dispose(out);
	return error;
}

/* The tables in both whose counts differ, one line each, into `lines`. */
static void counts_compare(const counts *before, const counts *after, varve_buf *lines,
			   size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < after->n; i++)
		for (size_t j = 0; j < before->n; j++)
			if (strcmp(after->names[i], before->names[j]) == 0 &&
			    after->rows[i] != before->rows[j]) {
				varve_buf_printf(lines, "table %s: %lld row%s before the upgrade, "
						 "%lld after the downgrade\n", after->names[i],
						 before->rows[j], before->rows[j] == 1 ? "" : "s",
						 after->rows[i]);
				++*n;
			}
}

typedef struct walker {
	varve_db *db;
	const varve_graph *graph;
	const varve_test_options *opts;
	varve_test_summary *sum;
	varve_schema_options capture_opts;
	varve_run_options run_opts;
	varve_schema *before; /* the schema before the next migration, or NULL */
	counts before_rows;
	bool have_rows;
} walker;

static int capture(walker *w, varve_schema **out, double *ms)
{
	double t = now_ms();
	int error = varve_schema_capture(out, w->db->conn, &w->capture_opts);

	*ms += now_ms() - t;
	return error;
}

static int run_one(walker *w, size_t node, varve_direction dir, double *ms,
		   varve_failure **failure)
{
	varve_steps *steps = NULL;
	double t = now_ms();
	int error;

	if ((error = varve_steps__new(&steps, &node, 1)) != 0)
		return error;
	error = varve_run(w->db, w->graph, steps, dir, &w->run_opts, failure);
	varve_steps_free(steps);
	*ms += now_ms() - t;
	return error;
}

static void report(walker *w, varve_test_result *r)
{
	switch (r->outcome) {
	case VARVE_TEST_PASSED:
		w->sum->passed++;
		break;
	case VARVE_TEST_IRREVERSIBLE:
		w->sum->irreversible++;
		break;
	case VARVE_TEST_NO_DOWNGRADE:
		w->sum->no_downgrade++;
		break;
	case VARVE_TEST_FAILED:
		w->sum->failed++;
		break;
	}
	w->sum->capture_ms += r->capture_ms;
	w->sum->sql_ms += r->up_ms + r->down_ms + r->reup_ms;
	if (w->opts->progress)
		w->opts->progress(r, w->opts->payload);
}

/*
 * A migration's SQL failed: a test failure when it is the migration's
 * fault (VARVE_EMIGRATION), else the walk's own error (a lost connection).
 */
static int sql_failed(walker *w, varve_test_result *r, varve_test_problem problem,
		      int error, varve_failure *failure)
{
	if (error != VARVE_EMIGRATION || !failure)
		return error;
	r->outcome = VARVE_TEST_FAILED;
	r->problem = problem;
	r->failure = failure;
	r->file = failure->file;
	r->line = failure->line;
	r->column = failure->column;
	r->total_ms = now_ms() - r->total_ms;
	report(w, r);
	return 0;
}

/* Test one migration; *stop set when the walk cannot go on above it. */
static int test_one(walker *w, size_t node, bool *stop)
{
	varve_test_result r;
	varve_downgrade_kind kind;
	varve_schema *after = NULL, *down = NULL, *again = NULL;
	varve_schema_diff_list *diff = NULL;
	varve_failure *failure = NULL;
	char *down_file = NULL, *text = NULL;
	unsigned down_line = 0;
	counts rows_down = { NULL, NULL, 0 };
	varve_buf lines = VARVE_BUF_INIT;
	double start = now_ms();
	int error;

	memset(&r, 0, sizeof(r));
	r.migration = w->graph->nodes[node];
	r.total_ms = start; /* sql_failed makes it a duration */
	*stop = true;
	if ((error = varve_migration_downgrade(&kind, w->graph, node, &down_file, &down_line)) != 0)
		goto done;
	if (kind == VARVE_DOWNGRADE_NOOP || kind == VARVE_DOWNGRADE_MISSING) {
		/* Applied and left: what comes above it is tested on top. */
		error = run_one(w, node, VARVE_UPGRADE, &r.up_ms, &failure);
		if (error) {
			error = sql_failed(w, &r, VARVE_TEST_UPGRADE_FAILED, error, failure);
			goto done;
		}
		varve_schema_free(w->before);
		w->before = NULL;
		if (w->have_rows)
			counts_dispose(&w->before_rows);
		w->have_rows = false;
		r.outcome = kind == VARVE_DOWNGRADE_NOOP ? VARVE_TEST_IRREVERSIBLE
			: VARVE_TEST_NO_DOWNGRADE;
		r.file = down_file;
		r.line = down_line;
		r.total_ms = now_ms() - start;
		report(w, &r);
		*stop = false;
		goto done;
	}
	r.file = down_file;
	r.line = down_line;
	r.column = down_line ? 1 : 0;
	if (!w->before && (error = capture(w, &w->before, &r.capture_ms)) != 0)
		goto done;
	if (w->opts->data && !w->have_rows) {
		if ((error = count_rows(w->db, &w->before_rows)) != 0)
			goto done;
		w->have_rows = true;
	}
	/* Up. */
	if ((error = run_one(w, node, VARVE_UPGRADE, &r.up_ms, &failure)) != 0) {
		error = sql_failed(w, &r, VARVE_TEST_UPGRADE_FAILED, error, failure);
		goto done;
	}
	if ((error = capture(w, &after, &r.capture_ms)) != 0)
		goto done;
	/* Down: the schema before the upgrade again. */
	if ((error = run_one(w, node, VARVE_DOWNGRADE, &r.down_ms, &failure)) != 0) {
		error = sql_failed(w, &r, VARVE_TEST_DOWNGRADE_FAILED, error, failure);
		goto done;
	}
	if ((error = capture(w, &down, &r.capture_ms)) != 0 ||
	    (error = varve_schema_diff(&diff, w->before, down)) != 0)
		goto done;
	if (varve_schema_diff_list_count(diff)) {
		if ((error = varve_schema_diff_text(&text, diff)) != 0)
			goto done;
		r.outcome = VARVE_TEST_FAILED;
		r.problem = VARVE_TEST_NOT_RESTORED;
		r.diff = diff;
		r.detail = text;
		r.total_ms = now_ms() - start;
		report(w, &r);
		goto done;
	}
	if (w->opts->data) {
		size_t n;

		if ((error = count_rows(w->db, &rows_down)) != 0)
			goto done;
		counts_compare(&w->before_rows, &rows_down, &lines, &n);
		if (lines.oom) {
			error = varve_error__oom();
			goto done;
		}
		if (n) {
			r.outcome = VARVE_TEST_FAILED;
			r.problem = VARVE_TEST_ROWS_LEFT;
			r.detail = varve_buf_cstr(&lines);
			r.total_ms = now_ms() - start;
			report(w, &r);
			goto done;
		}
	}
	/* Up again: the same schema as the first time. */
	if ((error = run_one(w, node, VARVE_UPGRADE, &r.reup_ms, &failure)) != 0) {
		error = sql_failed(w, &r, VARVE_TEST_REUPGRADE_FAILED, error, failure);
		goto done;
	}
	varve_schema_diff_list_free(diff);
	diff = NULL;
	if ((error = capture(w, &again, &r.capture_ms)) != 0 ||
	    (error = varve_schema_diff(&diff, after, again)) != 0)
		goto done;
	if (varve_schema_diff_list_count(diff)) {
		if ((error = varve_schema_diff_text(&text, diff)) != 0)
			goto done;
		r.outcome = VARVE_TEST_FAILED;
		r.problem = VARVE_TEST_NOT_REPEATABLE;
		r.diff = diff;
		r.detail = text;
		r.total_ms = now_ms() - start;
		report(w, &r);
		goto done;
	}
	/* What this migration left is the next one's "before". */
	varve_schema_free(w->before);
	w->before = again;
	again = NULL;
	if (w->have_rows)
		counts_dispose(&w->before_rows);
	w->have_rows = false;
	r.outcome = VARVE_TEST_PASSED;
	r.total_ms = now_ms() - start;
	report(w, &r);
	*stop = false;
done:
	varve_schema_free(after);
	varve_schema_free(down);
	varve_schema_free(again);
	varve_schema_diff_list_free(diff);
	varve_failure_free(failure);
	counts_dispose(&rows_down);
	varve_buf_dispose(&lines);
	free(text);
	free(down_file);
	return error;
}

/* The one node a --from or --to names. */
static int one_node(const varve_graph *graph, const char *target, const char *what,
		    size_t *out)
{
	size_t *nodes = NULL, n = 0;
	int error;

	if ((error = varve_target_nodes(&nodes, &n, graph, target)) != 0)
		return error;
	if (n != 1)
		error = varve_error__set(VARVE_EINVALID, "%s '%s' names %zu migrations; it "
					 "takes one", what, target, n);
	else
		*out = nodes[0];
	free(nodes);
	return error;
}

int varve_test(varve_db *db, const varve_graph *graph, const varve_test_options *options,
	       varve_test_summary *out)
{
	static const varve_test_options defaults = VARVE_TEST_OPTIONS_INIT;
	walker w;
	const size_t *order;
	size_t count, from = 0, to = 0, n;
	bool *wanted = NULL, stop = false;
	double start = now_ms();
	int error;

	assert(db && graph && out);
	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.db = db;
	w.graph = graph;
	w.opts = options ? options : &defaults;
	w.sum = out;
	w.capture_opts.exclude_table = db->qualified;
	w.run_opts.stop = w.opts->stop;
	if (varve_graph__broken(graph))
		return varve_error__set(VARVE_EINVALID, "the manifest's graph has errors "
					"(see 'varve check')");
	if ((w.opts->from && (error = one_node(graph, w.opts->from, "--from", &from)) != 0) ||
	    (w.opts->to && (error = one_node(graph, w.opts->to, "--to", &to)) != 0))
		return error;
	if (!db->locked && (error = varve_db_lock(db, db->lock_wait)) != 0)
		return error;
	/* A database with a history is not one to experiment on. */
	(void)varve_db_applied(db, &n);
	if (n)
		return varve_error__set(VARVE_EINVALID, "%s records %zu applied migration%s: "
			"varve test needs a database without varve history (it applies, "
			"rolls back and applies every migration); use a throwaway database "
			"or the default scratch server", db->table, n, n == 1 ? "" : "s");
	if (!(wanted = calloc(graph->count ? graph->count : 1, sizeof(*wanted))))
		return varve_error__oom();
	if (w.opts->to) {
		if ((error = varve_graph__ancestors(graph, &to, 1, wanted)) != 0)
			goto done;
	} else {
		for (size_t i = 0; i < graph->count; i++)
			wanted[i] = true;
	}
	order = varve_graph_order(graph, &count);
	for (size_t i = 0; i < count && !error && !stop; i++) {
		size_t node = order[i];

		if (!wanted[node])
			continue;
		if (w.opts->stop && *w.opts->stop) {
			error = varve_error__set(VARVE_EINTERRUPTED, "interrupted before '%s'",
						 graph->nodes[node]->revision);
			break;
		}
		if (w.opts->from && graph->rank[node] < graph->rank[from]) {
			/* Below --from: applied, not tested. */
			varve_failure *failure = NULL;
			double ms = 0;

			error = run_one(&w, node, VARVE_UPGRADE, &ms, &failure);
			if (error == VARVE_EMIGRATION && failure)
				error = varve_error__set(VARVE_EMIGRATION, "'%s', below --from, "
					"failed: %s:%u:%u: %s", failure->revision,
					failure->file ? failure->file : "", failure->line,
					failure->column, failure->message);
			varve_failure_free(failure);
			varve_schema_free(w.before);
			w.before = NULL;
			continue;
		}
		out->tested++;
		error = test_one(&w, node, &stop);
	}
	/* What a failure left untested. */
	if (stop) {
		size_t seen = 0;

		for (size_t i = 0; i < count; i++)
			if (wanted[order[i]] && (!w.opts->from ||
						 graph->rank[order[i]] >= graph->rank[from]))
				seen++;
		out->not_run = seen - out->tested;
	}
done:
	if (w.have_rows)
		counts_dispose(&w.before_rows);
	varve_schema_free(w.before);
	free(wanted);
	out->total_ms = now_ms() - start;
	return error;
}
