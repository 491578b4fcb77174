/*
 * varve test: every migration up, down, up on a scratch server (or a
 * throwaway database), the schema compared after each step (lib/test.c).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

enum { OPT_FROM = 1, OPT_TO, OPT_DATA };

#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

typedef struct walk {
	cli_global *g;
	const char *header; /* printed before the first result (text) */
	json_t *items; /* JSON: one object per migration */
	int rev_width;
} walk;

static const char *outcome_name(varve_test_outcome o)
{
	switch (o) {
	case VARVE_TEST_PASSED:
		return "passed";
	case VARVE_TEST_IRREVERSIBLE:
		return "irreversible";
	case VARVE_TEST_NO_DOWNGRADE:
		return "no_downgrade";
	default:
		return "failed";
	}
}

static const char *problem_name(varve_test_problem p)
{
	static const char *const names[] = {
		NULL, "upgrade_failed", "downgrade_failed", "not_restored", "rows_left",
		"reupgrade_failed", "not_repeatable",
	};

	return (size_t)p < sizeof(names) / sizeof(names[0]) ? names[p] : NULL;
}

/* What went wrong, in words. */
static const char *problem_text(varve_test_problem p)
{
	switch (p) {
	case VARVE_TEST_UPGRADE_FAILED:
		return "upgrade failed";
	case VARVE_TEST_DOWNGRADE_FAILED:
		return "downgrade failed";
	case VARVE_TEST_NOT_RESTORED:
		return "downgrade does not restore the schema";
	case VARVE_TEST_ROWS_LEFT:
		return "downgrade leaves rows behind";
	case VARVE_TEST_REUPGRADE_FAILED:
		return "upgrade after the downgrade failed";
	case VARVE_TEST_NOT_REPEATABLE:
		return "upgrade after the downgrade gives another schema";
	default:
		return "";
	}
}

static double ms3(double ms)
{
	return (double)(long long)(ms * 1000 + 0.5) / 1000;
}

static json_t *diff_json(const varve_schema_diff_list *diff)
{
	static const char *const changes[] = { "added", "removed", "changed" };
	json_t *a = json_array();

	for (size_t i = 0; diff && i < varve_schema_diff_list_count(diff); i++) {
		const varve_schema_difference *d = varve_schema_diff_list_at(diff, i);

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s?, s:s?}",
			"change", changes[d->change], "kind", d->kind, "name", d->name,
			"before", d->before, "after", d->after));
	}
	return a;
}

/* GitHub's escaping of a workflow command's message (and, with `prop`, of
 * a property), after control characters other than line breaks are gone. */
static void gh_escape(const char *s, bool prop)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", stdout);
		else if (*s == '\n')
			fputs("%0A", stdout);
		else if (*s == '\r')
			fputs("%0D", stdout);
		else if (prop && *s == ':')
			fputs("%3A", stdout);
		else if (prop && *s == ',')
			fputs("%2C", stdout);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc(' ', stdout);
		else
			fputc(*s, stdout);
	}
}

/* The detail's lines, each fit for a terminal, indented. */
static void print_detail(FILE *out, const char *detail, const char *indent)
{
	const char *line = detail, *nl;

	while (line && *line) {
		char *one;

		nl = strchr(line, '\n');
		if (!(one = strndup(line, nl ? (size_t)(nl - line) : strlen(line))))
			return;
		fprintf(out, "%s%s\n", indent, shown_arg(one));
		free(one);
		line = nl ? nl + 1 : NULL;
	}
}

static void on_result(const varve_test_result *r, void *payload)
{
	walk *w = payload;
	cli_global *g = w->g;
	const char *rev = varve_migration_revision(r->migration);
	const char *desc = printable(varve_migration_description(r->migration));

	if (w->items) {
		json_t *o = json_pack("{s:s, s:s?, s:s, s:s?, s:s?, s:I, s:I}",
			"revision", rev, "description", varve_migration_description(r->migration),
			"outcome", outcome_name(r->outcome), "problem", problem_name(r->problem),
			"file", r->file ? redacted(r->file) : NULL,
			"line", (json_int_t)r->line, "column", (json_int_t)r->column);

		json_object_set_new(o, "diff", r->diff ? diff_json(r->diff) : json_null());
		json_object_set_new(o, "detail", r->detail ? json_string(redacted(r->detail))
				    : json_null());
		json_object_set_new(o, "failure", r->failure ? cli_failure_json(r->failure)
				    : json_null());
		json_object_set_new(o, "duration_ms", json_real(ms3(r->total_ms)));
		json_object_set_new(o, "sql_ms", json_real(ms3(r->up_ms + r->down_ms + r->reup_ms)));
		json_object_set_new(o, "capture_ms", json_real(ms3(r->capture_ms)));
		json_array_append_new(w->items, o);
		return;
	}
	if (g->quiet && r->outcome != VARVE_TEST_FAILED)
		return;
	if (w->header && !g->quiet) {
		fputs(w->header, stdout);
		w->header = NULL;
	}
	switch (r->outcome) {
	case VARVE_TEST_PASSED:
		printf("  %s✓%s ", color(g, false, GREEN), color(g, false, RESET));
		print_fit(stdout, rev, w->rev_width, true);
		printf("  up/down/up%s%s\n", desc ? "  " : "", desc ? desc : "");
		break;
	case VARVE_TEST_IRREVERSIBLE:
	case VARVE_TEST_NO_DOWNGRADE:
		printf("  %s-%s ", color(g, false, YELLOW), color(g, false, RESET));
		print_fit(stdout, rev, w->rev_width, true);
		printf("  %s, skipped\n", r->outcome == VARVE_TEST_IRREVERSIBLE
		       ? "irreversible" : "no downgrade");
		break;
	case VARVE_TEST_FAILED:
		printf("  %s✗%s ", color(g, false, RED), color(g, false, RESET));
		print_fit(stdout, rev, w->rev_width, true);
		printf("  %s\n", problem_text(r->problem));
		if (r->detail)
			print_detail(stdout, r->detail, "      ");
		fflush(stdout);
		if (r->failure) {
			cli_print_failure(g, r->failure);
		} else {
			fprintf(stderr, "%s%s", color(g, true, "\033[1m"),
				r->file ? shown_arg(r->file) : "varve");
			if (r->file && r->line)
				fprintf(stderr, ":%u:%u", r->line, r->column ? r->column : 1);
			fprintf(stderr, ":%s %serror:%s the downgrade of '%s' %s\n",
				color(g, true, RESET), color(g, true, "\033[1;31m"),
				color(g, true, RESET), rev,
				r->problem == VARVE_TEST_NOT_RESTORED ? "does not restore the schema"
				: r->problem == VARVE_TEST_ROWS_LEFT ? "leaves rows behind"
				: "is not undone by its upgrade: the schema differs the second time");
		}
		if (g->format == FORMAT_GITHUB) {
			const varve_failure *f = r->failure;

			fputs("::error ", stdout);
			if (r->file) {
				fputs("file=", stdout);
				gh_escape(shown_arg(r->file), true);
				if (r->line)
					printf(",line=%u,col=%u", r->line, r->column ? r->column : 1);
				fputc(',', stdout);
			}
			fputs("title=", stdout);
			printf("varve test %s%%3A %s", printable(rev), problem_text(r->problem));
			fputs("::", stdout);
			gh_escape(problem_text(r->problem), false);
			if (f) {
				fputs("%0A", stdout);
				gh_escape(shown_arg(f->message), false);
			}
			if (r->detail) {
				fputs("%0A", stdout);
				gh_escape(redacted(r->detail), false);
			}
			fputc('\n', stdout);
		}
		break;
	}
	fflush(stdout);
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

int cmd_test(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("test");
	varve_test_options opts = VARVE_TEST_OPTIONS_INIT;
	varve_test_summary sum;
	cli_session s;
	walk w;
	json_t *doc = NULL;
	cli_parser parser;
	struct sigaction sa;
	char header[1024];
	int id, status, code;

	memset(&s, 0, sizeof(s));
	memset(&w, 0, sizeof(w));
	memset(&sum, 0, sizeof(sum));
	w.g = g;
	cli_parser_init(&parser, g, self, argc, argv);
	while ((id = cli_next_option(&parser)) > 0) {
		if (id == OPT_FROM)
			opts.from = parser.arg;
		else if (id == OPT_TO)
			opts.to = parser.arg;
		else if (id == OPT_DATA)
			opts.data = true;
	}
	if (id < 0)
		return EXIT_USAGE;
	if (parser.npos > 0)
		return cli_usage_error(self, "unexpected argument '%s'", argv[0]);
	/* Only a database named on the command line: never DATABASE_URL, which
	 * names the database one works on, not one to experiment on. */
	if (!g->database)
		g->scratch = true;
	if ((status = varve_fix_interrupted(g->manifest)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		return exit_for_status(status);
	}
	if ((code = session_open(g, &s, true)) != EXIT_OK)
		goto done;
	for (size_t i = 0; i < varve_graph_count(s.graph); i++) {
		int wd = display_width(varve_migration_revision(varve_graph_node(s.graph, i)));

		w.rev_width = wd > w.rev_width ? wd : w.rev_width;
	}
	if (g->format == FORMAT_JSON) {
		doc = out_document("test");
		w.items = json_array();
		json_object_set_new(doc, "database", g->scratch ? json_null()
				    : json_string(varve_db_display(s.db)));
		json_object_set_new(doc, "scratch", json_boolean(g->scratch));
		json_object_set_new(doc, "from", opts.from ? json_string(redacted(opts.from))
				    : json_null());
		json_object_set_new(doc, "to", opts.to ? json_string(redacted(opts.to)) : json_null());
		json_object_set_new(doc, "data", json_boolean(opts.data));
	} else if (!g->quiet) {
		/* Said with the first result: a walk refused says only why. */
		if (g->scratch)
			snprintf(header, sizeof(header), "Testing every downgrade on a scratch server\n");
		else
			snprintf(header, sizeof(header), "Testing every downgrade on %s (%s)\n",
				 varve_db_display(s.db), varve_db_table(s.db));
		w.header = header;
	}
	opts.progress = on_result;
	opts.payload = &w;
	opts.stop = &stop_signal;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	status = varve_test(s.db, s.graph, &opts, &sum);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (status != VARVE_OK)
		out_error(g, "%s", varve_error_last());
	code = status == VARVE_EINTERRUPTED ? 128 + (int)stop_signal
		: status != VARVE_OK ? exit_for_status(status)
		: sum.failed ? EXIT_FINDINGS : EXIT_OK;
	if (doc) {
		json_object_set_new(doc, "ok", json_boolean(code == EXIT_OK));
		json_object_set_new(doc, "error", status != VARVE_OK
				    ? json_string(out_last_error()) : json_null());
		json_object_set_new(doc, "migrations", w.items);
		w.items = NULL;
		json_object_set_new(doc, "summary", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
			"tested", (json_int_t)sum.tested, "passed", (json_int_t)sum.passed,
			"irreversible", (json_int_t)sum.irreversible,
			"no_downgrade", (json_int_t)sum.no_downgrade,
			"failed", (json_int_t)sum.failed, "not_run", (json_int_t)sum.not_run));
		json_object_set_new(doc, "duration_ms", json_real(ms3(sum.total_ms)));
		json_object_set_new(doc, "sql_ms", json_real(ms3(sum.sql_ms)));
		json_object_set_new(doc, "capture_ms", json_real(ms3(sum.capture_ms)));
		out_json(doc);
		doc = NULL;
	} else if (!g->quiet && status == VARVE_OK) {
		if (w.header)
			fputs(w.header, stdout);
		printf("%zu tested: %zu passed", sum.tested, sum.passed);
		if (sum.irreversible)
			printf(", %zu irreversible (skipped)", sum.irreversible);
		if (sum.no_downgrade)
			printf(", %zu without a downgrade (skipped)", sum.no_downgrade);
		if (sum.failed)
			printf(", %zu failed", sum.failed);
		if (sum.not_run)
			printf("; %zu not tested after the failure", sum.not_run);
		printf(" %s(%.1f s; catalog reads %.1f ms a migration)%s\n", color(g, false, DIM),
		       sum.total_ms / 1000, sum.tested ? sum.capture_ms / (double)sum.tested : 0,
		       color(g, false, RESET));
	}
done:
	json_decref(doc);
	json_decref(w.items);
	session_close(&s);
	return code;
}
