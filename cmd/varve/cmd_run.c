/* varve upgrade and downgrade: take the database to a target (SPEC §4, §5). */
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

enum { OPT_DRY_RUN = 1, OPT_SQL, OPT_SINGLE };

typedef struct progress {
	cli_global *g;
	int rev_width;
	int desc_width;
	size_t done;
} progress;

#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static void print_duration(FILE *out, double ms)
{
	if (ms < 1000)
		fprintf(out, "%.0f ms", ms);
	else if (ms < 60000)
		fprintf(out, "%.1f s", ms / 1000);
	else
		fprintf(out, "%.0fm%02.0fs", ms / 60000, (ms - 60000 * (int)(ms / 60000)) / 1000);
}

static void on_event(const varve_event *ev, void *payload)
{
	progress *p = payload;
	cli_global *g = p->g;
	const char *desc = printable(varve_migration_description(ev->migration));

	if (g->format == FORMAT_JSON)
		return;
	switch (ev->kind) {
	case VARVE_EVENT_DONE:
	case VARVE_EVENT_FAILED:
		if (ev->kind == VARVE_EVENT_DONE)
			p->done++;
		if (g->quiet && ev->kind == VARVE_EVENT_DONE)
			return;
		printf("  %s%s%s %-*s  %-*s  ", color(g, false, ev->kind == VARVE_EVENT_DONE ? GREEN : RED),
		       ev->kind == VARVE_EVENT_DONE ? "✓" : "✗", color(g, false, RESET),
		       p->rev_width, varve_migration_revision(ev->migration),
		       p->desc_width, desc ? desc : "");
		fputs(color(g, false, DIM), stdout);
		print_duration(stdout, ev->duration_ms);
		fputs(color(g, false, RESET), stdout);
		fputc('\n', stdout);
		fflush(stdout);
		break;
	case VARVE_EVENT_RENAMED:
		printf("  %s↻%s renamed %s to %s in %s (%s: 'varve fix' renumbered it)\n",
		       color(g, false, YELLOW), color(g, false, RESET), ev->old_revision,
		       varve_migration_revision(ev->migration), "the version table",
		       varve_migration_file(ev->migration) || varve_migration_up(ev->migration)
		       ? "same checksum" : "a merge of the same parents");
		break;
	case VARVE_EVENT_RETRY:
		fprintf(stderr, "%s!%s %s hit lock_timeout; retry %d in ",
			color(g, true, YELLOW), color(g, true, RESET),
			varve_migration_revision(ev->migration), ev->attempt);
		print_duration(stderr, ev->duration_ms);
		fputc('\n', stderr);
		break;
	default:
		break;
	}
}

/*
 * Ctrl-C or SIGTERM during a run: cancel the statement under way (the
 * server rolls the migration back and the lock goes with the session) and
 * start no other. A second signal acts as usual. A server that does not
 * answer the cancel within CANCEL_GRACE seconds (a stopped or hung
 * backend) gets its connection closed, and varve exits all the same.
 */
#define CANCEL_GRACE 5
static volatile sig_atomic_t stop_signal;
static varve_canceller *canceller;

static void on_grace_over(int sig)
{
	(void)sig;
	varve_canceller_abort(canceller);
}

static void on_signal(int sig)
{
	stop_signal = sig;
	varve_canceller_cancel(canceller);
	alarm(CANCEL_GRACE);
}

static void catch_signals(cli_session *s)
{
	struct sigaction sa;

	if (varve_db_canceller(&canceller, s->db) != VARVE_OK)
		canceller = NULL; /* still stops between migrations */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_grace_over;
	sigaction(SIGALRM, &sa, NULL);
}

static void release_signals(void)
{
	alarm(0);
	signal(SIGALRM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	varve_canceller_free(canceller);
	canceller = NULL;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void print_failure(cli_global *g, const varve_failure *f)
{
	fprintf(stderr, "%s", color(g, true, "\033[1m"));
	if (f->file) {
		fputs(printable(f->file), stderr);
		if (f->line)
			fprintf(stderr, ":%u", f->line);
		if (f->line && f->column)
			fprintf(stderr, ":%u", f->column);
	} else {
		fputs("varve", stderr);
	}
	fprintf(stderr, ":%s %serror:%s ", color(g, true, RESET),
		color(g, true, "\033[1;31m"), color(g, true, RESET));
	/* Without a file, the message alone would not say which migration. */
	if (!f->file)
		fprintf(stderr, "'%s' failed: ", f->revision);
	fputs(printable(f->message), stderr);
	if (f->sqlstate && *f->sqlstate)
		fprintf(stderr, " [%s]", f->sqlstate);
	fputc('\n', stderr);
	if (f->detail)
		fprintf(stderr, "  detail: %s\n", printable(f->detail));
	if (f->hint)
		fprintf(stderr, "  hint: %s\n", printable(f->hint));
	if (f->dirty)
		fprintf(stderr, "  '%s' is now recorded dirty: repair the database, then run "
			"'varve resolve %s --applied' or '--rolled-back'\n", f->revision, f->revision);
	if (f->cleanup) {
		const char *line = f->cleanup, *nl;
		bool several = strchr(line, '\n') != NULL;

		fprintf(stderr, "  %s left behind; drop %s with:\n",
			several ? "INVALID indexes were" : "an INVALID index was",
			several ? "them" : "it");
		for (; (nl = strchr(line, '\n')); line = nl + 1)
			fprintf(stderr, "    %.*s\n", (int)(nl - line), line);
		fprintf(stderr, "    %s\n", line);
	}
}

static void widths(const varve_graph *graph, const varve_steps *steps, progress *p)
{
	for (size_t i = 0; i < varve_steps_count(steps); i++) {
		const varve_migration *m = varve_graph_node(graph, varve_steps_at(steps, i));
		const char *d = varve_migration_description(m);
		int r = (int)strlen(varve_migration_revision(m)), w = d ? (int)strlen(d) : 0;

		p->rev_width = r > p->rev_width ? r : p->rev_width;
		p->desc_width = w > p->desc_width ? w : p->desc_width;
	}
	if (p->desc_width > 48)
		p->desc_width = 48;
}

static void nothing_to_do(cli_global *g, varve_direction dir)
{
	if (!g->quiet)
		printf("Nothing to do: %s\n", dir == VARVE_UPGRADE
		       ? "every migration up to the target is applied"
		       : "nothing above the target is applied");
}

/*
 * A dirty migration stops every run, also one with nothing to do: the
 * database is in a state no revision describes. Returns whether it did.
 */
static bool refuse_dirty(cli_global *g, cli_session *s)
{
	size_t n;
	const varve_applied *rows = varve_db_applied(s->db, &n);

	for (size_t i = 0; i < n; i++) {
		if (!rows[i].dirty)
			continue;
		out_error(g, "'%s' is dirty: a non-transactional migration failed part way; "
			  "repair the database, then run 'varve resolve %s --applied' or "
			  "'--rolled-back'", rows[i].revision, rows[i].revision);
		return true;
	}
	return false;
}

static int run(cli_global *g, int argc, char **argv, varve_direction dir)
{
	const char *name = dir == VARVE_UPGRADE ? "upgrade" : "downgrade";
	const cli_command *self = cli_find_command(name);
	varve_run_options opts = VARVE_RUN_OPTIONS_INIT;
	bool dry_run = false, sql = false;
	const char *target;
	cli_session s;
	varve_steps *steps = NULL;
	varve_failure *failure = NULL;
	progress p = { g, 0, 0, 0 };
	const char *const *applied = NULL;
	size_t napplied = 0, n;
	cli_parser parser;
	double start;
	int id, status, code;

	cli_parser_init(&parser, g, self, argc, argv);
	while ((id = cli_next_option(&parser)) > 0) {
		if (id == OPT_DRY_RUN)
			dry_run = true;
		else if (id == OPT_SQL)
			sql = true;
		else if (id == OPT_SINGLE)
			opts.single_transaction = true;
	}
	if (id < 0)
		return EXIT_USAGE;
	if (parser.npos > 1)
		return cli_usage_error(self, "unexpected argument '%s'", argv[1]);
	if (parser.npos == 0 && dir == VARVE_DOWNGRADE)
		return cli_usage_error(self, "which target? e.g. 'varve downgrade -1' or "
				       "'varve downgrade base'");
	target = parser.npos ? argv[0] : "head";
	/* A fix cut short left the files half renamed: not a plan to run. */
	if ((status = varve_fix_interrupted(g->manifest)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		return exit_for_status(status);
	}
	/* --sql without a database writes the script for an empty one. */
	if ((code = session_open(g, &s, !sql || g->database || g->scratch ||
				 getenv("VARVE_DATABASE_URL") || getenv("DATABASE_URL") ||
				 dir == VARVE_DOWNGRADE)) != EXIT_OK)
		goto done;
	/* Rows that `varve fix` renamed elsewhere take their new names first. */
	if (s.db && !sql && !dry_run &&
	    (status = varve_reconcile(s.db, s.graph, on_event, &p)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	if (s.db)
		applied = session_applied(&s, &napplied);
	status = varve_target_resolve(&steps, s.graph, target, dir, applied, napplied);
	if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = EXIT_FINDINGS;
		goto done;
	}
	n = varve_steps_count(steps);
	if (sql) {
		char *script = NULL;

		status = varve_script(&script, s.graph, steps, dir,
				      varve_manifest_version_table(s.manifest));
		if (status != VARVE_OK) {
			out_error(g, "%s", varve_error_last());
			code = EXIT_FINDINGS;
			goto done;
		}
		fputs(script, stdout);
		free(script);
		code = EXIT_OK;
		goto done;
	}
	widths(s.graph, steps, &p);
	if (!dry_run && refuse_dirty(g, &s)) {
		code = EXIT_FINDINGS;
		goto done;
	}
	if (n == 0) {
		nothing_to_do(g, dir);
		code = EXIT_OK;
		goto done;
	}
	if (dry_run) {
		printf("Would %s %zu migration%s on %s:\n", dir == VARVE_UPGRADE ? "apply" : "roll back",
		       n, n == 1 ? "" : "s", varve_db_display(s.db));
		for (size_t i = 0; i < n; i++) {
			const varve_migration *m = varve_graph_node(s.graph, varve_steps_at(steps, i));
			const char *d = printable(varve_migration_description(m));

			printf("  %-*s  %s%s\n", p.rev_width, varve_migration_revision(m), d ? d : "",
			       varve_migration_transaction(m) ? "" : "  (no transaction)");
		}
		code = EXIT_OK;
		goto done;
	}
	if (!g->quiet)
		printf("%s %s (%s)\n", dir == VARVE_UPGRADE ? "Upgrading" : "Downgrading",
		       varve_db_display(s.db), varve_db_table(s.db));
	status = varve_db_lock(s.db, g->lock_wait);
	if (status == VARVE_OK) {
		/* The state may have moved while we waited: plan again. */
		varve_steps_free(steps);
		steps = NULL;
		applied = session_applied(&s, &napplied);
		status = varve_target_resolve(&steps, s.graph, target, dir, applied, napplied);
		if (status != VARVE_OK) {
			out_error(g, "%s", varve_error_last());
			code = EXIT_FINDINGS;
			goto done;
		}
		n = varve_steps_count(steps);
		if (refuse_dirty(g, &s)) {
			code = EXIT_FINDINGS;
			goto done;
		}
		if (n == 0) {
			/* Another runner did it while we waited. */
			nothing_to_do(g, dir);
			code = EXIT_OK;
			goto done;
		}
	}
	if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	opts.progress = on_event;
	opts.payload = &p;
	opts.stop = &stop_signal;
	start = now_ms();
	catch_signals(&s);
	status = varve_run(s.db, s.graph, steps, dir, &opts, &failure);
	release_signals();
	/* A lost connection is not the migration's fault: one message. */
	if (failure && status != VARVE_ECONNECT && status != VARVE_EINTERRUPTED)
		print_failure(g, failure);
	else if (status != VARVE_OK)
		out_error(g, "%s", varve_error_last());
	if (!g->quiet) {
		/* One transaction: a failure takes back what seemed done. */
		bool undone = opts.single_transaction && status != VARVE_OK && p.done;

		printf("%s %zu migration%s in ", dir == VARVE_UPGRADE ? "Applied" : "Rolled back",
		       undone ? 0 : p.done, !undone && p.done == 1 ? "" : "s");
		print_duration(stdout, now_ms() - start);
		if (undone)
			printf("; the whole run was rolled back, %zu not run", n);
		else if (status != VARVE_OK && p.done < n)
			printf("; %zu not run", n - p.done);
		fputc('\n', stdout);
	}
	code = status == VARVE_OK ? EXIT_OK
		: status == VARVE_EINTERRUPTED ? 128 + (int)stop_signal
		: exit_for_status(status);
done:
	varve_failure_free(failure);
	varve_steps_free(steps);
	session_close(&s);
	return code;
}

int cmd_upgrade(cli_global *g, int argc, char **argv)
{
	return run(g, argc, argv, VARVE_UPGRADE);
}

int cmd_downgrade(cli_global *g, int argc, char **argv)
{
	return run(g, argc, argv, VARVE_DOWNGRADE);
}
