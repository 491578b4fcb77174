/* varve upgrade and downgrade: take the database to a target (SPEC §4, §5). */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

enum { OPT_DRY_RUN = 1, OPT_SQL, OPT_SINGLE, OPT_FLEET, OPT_ONLY, OPT_CONCURRENCY };

/*
 * What a run shows as it goes: a line per migration (text), the
 * migration under way with its time on a terminal (a ticker thread
 * redraws it), and what JSON collects for the one document at the end.
 */
typedef struct progress {
	cli_global *g;
	const varve_manifest *manifest; /* for -v: where the SQL files are */
	varve_direction dir;
	int rev_width;
	int desc_width;
	bool cut; /* on a terminal: descriptions cut to desc_width */
	size_t done;
	json_t *items;   /* JSON: one object per migration reported */
	json_t *renamed; /* JSON: reconciled revisions */
	/* The live line on a terminal. */
	bool live;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t ticker;
	bool ticking, stop;
	const varve_migration *running;
	double started;
	/* redo: each row says which way it went. */
	bool redo;
	varve_direction row_dir;
} progress;

#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void print_duration(FILE *out, double ms)
{
	if (ms < 1000)
		fprintf(out, "%.0f ms", ms);
	else if (ms < 60000)
		fprintf(out, "%.1f s", ms / 1000);
	else
		fprintf(out, "%.0fm%02.0fs", ms / 60000, (ms - 60000 * (int)(ms / 60000)) / 1000);
}

/* "  ✓ 0001  create users          2 ms": the mark, padded columns, the time. */
static void print_row(progress *p, const char *mark, const char *mark_color,
		      const varve_migration *m, double ms)
{
	cli_global *g = p->g;
	const char *desc = printable(varve_migration_description(m));

	printf("  %s%s%s ", color(g, false, mark_color), mark, color(g, false, RESET));
	print_fit(stdout, varve_migration_revision(m), p->rev_width, true);
	fputs("  ", stdout);
	if (p->cut) {
		print_fit(stdout, desc, p->desc_width, true);
	} else {
		/* Not a terminal: the whole description, padded. */
		fputs(desc ? desc : "", stdout);
		for (int w = display_width(desc); w < p->desc_width; w++)
			fputc(' ', stdout);
	}
	fputs("  ", stdout);
	if (p->redo)
		fputs(p->row_dir == VARVE_UPGRADE ? "up    " : "down  ", stdout);
	fputs(color(g, false, DIM), stdout);
	print_duration(stdout, ms);
	fputs(color(g, false, RESET), stdout);
}

/* Redraw the line of the migration under way (with p->lock held). */
static void draw_running(progress *p)
{
	if (!p->running)
		return;
	fputs("\r\033[K", stdout);
	print_row(p, "→", YELLOW, p->running, now_ms() - p->started);
	fflush(stdout);
}

static void *tick(void *arg)
{
	progress *p = arg;
	struct timespec until;
	sigset_t all;

	/* Ctrl-C is for the main thread, which is inside libpq. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&p->wake, &p->lock, &until);
		if (!p->stop)
			draw_running(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void live_start(progress *p)
{
	if (!p->live)
		return;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->ticking = pthread_create(&p->ticker, NULL, tick, p) == 0;
	if (!p->ticking) {
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		p->live = false;
	}
}

static void live_stop(progress *p)
{
	if (!p->ticking)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	if (p->running)
		fputs("\r\033[K", stdout);
	p->running = NULL;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->ticker, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	p->ticking = false;
}

/* A duration for JSON: milliseconds to the microsecond. */
static double milliseconds(double ms)
{
	return (double)(long long)(ms * 1000 + 0.5) / 1000;
}

static const char *outcome_done(varve_direction dir)
{
	return dir == VARVE_UPGRADE ? "applied" : "rolled_back";
}

static json_t *item_json(const varve_migration *m, varve_direction dir, const char *outcome,
			 double ms)
{
	json_t *o = json_pack("{s:s, s:s?, s:s, s:s, s:b}",
			      "revision", varve_migration_revision(m),
			      "description", varve_migration_description(m),
			      "direction", dir == VARVE_UPGRADE ? "upgrade" : "downgrade",
			      "outcome", outcome,
			      "transaction", varve_migration_transaction(m));

	json_object_set_new(o, "duration_ms", ms >= 0 ? json_real(milliseconds(ms))
			    : json_null());
	return o;
}

/* A migration's file as the user would open it: the manifest's folder,
 * the migrations directory, the path in the entry. Malloc'd. */
static char *sql_path(const varve_manifest *manifest, const char *rel)
{
	const char *mpath = varve_manifest_path(manifest), *slash = strrchr(mpath, '/');
	const char *dir = varve_manifest_directory(manifest);
	size_t len = (slash ? (size_t)(slash - mpath) + 1 : 0) + strlen(dir) + strlen(rel) + 2;
	char *out = malloc(len);

	if (out)
		snprintf(out, len, "%.*s%s/%s", slash ? (int)(slash - mpath) + 1 : 0, mpath, dir,
			 rel);
	return out;
}

/*
 * -v: the statements of the migration that starts, each with its position
 * (read as the runner reads them). A transactional migration's statements
 * reach the server in one batch, a `transaction: false` one's one by one.
 */
static void verbose_statements(const progress *p, const varve_migration *m,
			       varve_direction dir)
{
	const char *rel = varve_migration_file(m);
	varve_section_kind kind = dir == VARVE_UPGRADE ? VARVE_SECTION_UP : VARVE_SECTION_DOWN;
	varve_sqlfile *file = NULL;
	varve_statement *stmts = NULL;
	varve_diag_list *diags = NULL;
	size_t count = 0, len;
	const char *text;
	char *path;

	if (!rel)
		rel = dir == VARVE_UPGRADE ? varve_migration_up(m) : varve_migration_down(m);
	if (!rel || !p->manifest || !(path = sql_path(p->manifest, rel)))
		return;
	if (varve_diag_list_new(&diags) == 0 &&
	    varve_sqlfile_read(&file, path, path, varve_migration_file(m) != NULL, kind,
			       diags) == 0 &&
	    (text = varve_sqlfile_text(file, kind, &len)) != NULL &&
	    varve_sqlfile_statements(file, kind, &stmts, &count, diags) == 0) {
		fprintf(stderr, "varve: %zu statement%s%s\n", count, count == 1 ? "" : "s",
			count < 2 ? "" : varve_migration_transaction(m)
			? ", sent in one batch inside the transaction" : ", one by one");
		for (size_t i = 0; i < count; i++) {
			const char *sql = text + stmts[i].offset;
			size_t n = stmts[i].length;
			unsigned line, column;

			while (n && (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r')) {
				sql++;
				n--;
			}
			varve_sqlfile_position(file, kind, (size_t)(sql - text), &line, &column);
			/* Its first line, at most 100 bytes of it. */
			{
				const char *nl = memchr(sql, '\n', n);
				bool more = nl != NULL || n > 100;
				char *first;

				if (nl)
					n = (size_t)(nl - sql);
				if (n > 100)
					n = 100;
				if (!(first = strndup(sql, n)))
					break;
				fprintf(stderr, "varve:   %s:%u:%u: %s%s\n", shown_arg(path), line,
					column, shown_arg(first), more ? " …" : "");
				free(first);
			}
		}
	}
	free(stmts);
	varve_sqlfile_free(file);
	varve_diag_list_free(diags);
	free(path);
}

static void on_event(const varve_event *ev, void *payload)
{
	progress *p = payload;
	cli_global *g = p->g;
	bool done = ev->kind == VARVE_EVENT_DONE;

	if (p->ticking)
		pthread_mutex_lock(&p->lock);
	switch (ev->kind) {
	case VARVE_EVENT_START:
		p->row_dir = ev->direction;
		p->running = ev->migration;
		p->started = now_ms();
		if (p->ticking)
			draw_running(p);
		if (g->verbose) {
			fflush(stdout);
			fprintf(stderr, "varve: %s %s\n", ev->direction == VARVE_UPGRADE
				? "applying" : "rolling back", varve_migration_revision(ev->migration));
			verbose_statements(p, ev->migration, ev->direction);
		}
		break;
	case VARVE_EVENT_DONE:
	case VARVE_EVENT_FAILED:
		/* Counted in every format: the summary and the exit depend on it. */
		if (done)
			p->done++;
		if (p->items)
			json_array_append_new(p->items, item_json(ev->migration, ev->direction,
				done ? outcome_done(ev->direction) : "failed", ev->duration_ms));
		if (p->running && p->ticking)
			fputs("\r\033[K", stdout);
		p->running = NULL;
		if (g->format == FORMAT_JSON || g->quiet)
			break;
		p->row_dir = ev->direction;
		print_row(p, done ? "✓" : "✗", done ? GREEN : RED, ev->migration, ev->duration_ms);
		fputc('\n', stdout);
		fflush(stdout);
		break;
	case VARVE_EVENT_RENAMED:
		if (p->renamed)
			json_array_append_new(p->renamed, json_pack("{s:s, s:s}", "from",
				ev->old_revision, "to", varve_migration_revision(ev->migration)));
		if (g->format == FORMAT_JSON || g->quiet)
			break;
		printf("  %s↻%s renamed %s to %s in %s (%s: 'varve fix' renumbered it)\n",
		       color(g, false, YELLOW), color(g, false, RESET), ev->old_revision,
		       varve_migration_revision(ev->migration), "the version table",
		       varve_migration_file(ev->migration) || varve_migration_up(ev->migration)
		       ? "same checksum" : "a merge of the same parents");
		break;
	case VARVE_EVENT_RETRY:
		if (g->quiet)
			break;
		if (p->running && p->ticking)
			fputs("\r\033[K", stdout);
		fflush(stdout);
		fprintf(stderr, "%s!%s %s hit lock_timeout; retry %d in ",
			color(g, true, YELLOW), color(g, true, RESET),
			varve_migration_revision(ev->migration), ev->attempt);
		print_duration(stderr, ev->duration_ms);
		fputc('\n', stderr);
		break;
	default:
		break;
	}
	if (p->ticking)
		pthread_mutex_unlock(&p->lock);
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

void cli_print_failure(cli_global *g, const varve_failure *f)
{
	fprintf(stderr, "%s", color(g, true, "\033[1m"));
	if (f->file) {
		fputs(shown_arg(f->file), stderr);
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
	fputs(shown_arg(f->message), stderr);
	if (f->sqlstate && *f->sqlstate)
		fprintf(stderr, " [%s]", f->sqlstate);
	fputc('\n', stderr);
	if (f->detail)
		fprintf(stderr, "  detail: %s\n", shown_arg(f->detail));
	if (f->hint)
		fprintf(stderr, "  hint: %s\n", shown_arg(f->hint));
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

/* The failure as a GitHub workflow annotation on the migration's file. */
static void print_failure_github(const varve_failure *f)
{
	varve_diag d;
	char title[64], *message = NULL;
	size_t len;

	memset(&d, 0, sizeof(d));
	snprintf(title, sizeof(title), "migration %s failed%s%s%s", f->revision,
		 f->sqlstate && *f->sqlstate ? " (" : "", f->sqlstate ? f->sqlstate : "",
		 f->sqlstate && *f->sqlstate ? ")" : "");
	len = strlen(f->message) + (f->detail ? strlen(f->detail) + 10 : 0) +
	      (f->hint ? strlen(f->hint) + 10 : 0) + 1;
	if ((message = malloc(len)) != NULL)
		snprintf(message, len, "%s%s%s%s%s", f->message,
			 f->detail ? "\ndetail: " : "", f->detail ? f->detail : "",
			 f->hint ? "\nhint: " : "", f->hint ? f->hint : "");
	d.severity = VARVE_SEVERITY_ERROR;
	d.code = title;
	d.message = message ? message : f->message;
	d.file = f->file;
	d.line = f->line;
	d.column = f->column;
	out_github(&d);
	free(message);
}

json_t *cli_failure_json(const varve_failure *f)
{
	json_t *o = json_pack("{s:s, s:s?, s:I, s:I, s:s?, s:s, s:s?, s:s?, s:b, s:s?}",
			      "revision", f->revision,
			      "file", f->file ? redacted(f->file) : NULL,
			      "line", (json_int_t)f->line,
			      "column", (json_int_t)f->column,
			      "sqlstate", f->sqlstate && *f->sqlstate ? f->sqlstate : NULL,
			      "message", redacted(f->message),
			      "detail", f->detail ? redacted(f->detail) : NULL,
			      "hint", f->hint ? redacted(f->hint) : NULL,
			      "dirty", f->dirty,
			      "cleanup", f->cleanup);

	return o;
}

/*
 * Column widths by display width (wcwidth, not bytes); on a terminal,
 * descriptions are cut to what fits beside the revision and the time.
 */
static void widths(const varve_graph *graph, const varve_steps *steps, progress *p)
{
	int cols = terminal_columns(stdout);

	for (size_t i = 0; i < varve_steps_count(steps); i++) {
		const varve_migration *m = varve_graph_node(graph, varve_steps_at(steps, i));
		int r = display_width(varve_migration_revision(m));
		int w = display_width(printable(varve_migration_description(m)));

		p->rev_width = r > p->rev_width ? r : p->rev_width;
		p->desc_width = w > p->desc_width ? w : p->desc_width;
	}
	if (p->desc_width > 48)
		p->desc_width = 48;
	/* "  ✓ " rev "  " desc "  " "99.9 s" */
	p->cut = cols > 0;
	if (cols > 0 && 4 + p->rev_width + 2 + p->desc_width + 2 + 8 > cols) {
		p->desc_width = cols - (4 + p->rev_width + 2 + 2 + 8);
		if (p->desc_width < 0)
			p->desc_width = 0;
	}
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

/* The plan of a dry run, or what did not run, as JSON items. */
static void items_rest(progress *p, const varve_graph *graph, const varve_steps *steps,
		       size_t from, const char *outcome)
{
	for (size_t i = from; p->items && i < varve_steps_count(steps); i++)
		json_array_append_new(p->items, item_json(varve_graph_node(graph,
			varve_steps_at(steps, i)), p->dir, outcome, -1));
}

/* The document's failure (a migration's own) or error (anything else). */
static void run_json_failure(json_t *doc, int status, const varve_failure *failure)
{
	bool own = failure && status != VARVE_ECONNECT && status != VARVE_EINTERRUPTED;

	json_object_set_new(doc, "failure", own ? cli_failure_json(failure) : json_null());
	json_object_set_new(doc, "error", status != VARVE_OK && !own
			    ? json_string(out_last_error()) : json_null());
}

/* Complete and print the document of a run that got as far as a plan;
 * the document and p's lists are used up. */
static void run_json_print(json_t *doc, progress *p, int code)
{
	size_t done_count = 0;

	for (size_t i = 0; i < json_array_size(p->items); i++) {
		const char *o = json_string_value(json_object_get(json_array_get(p->items, i),
								 "outcome"));

		done_count += strcmp(o, "applied") == 0 || strcmp(o, "rolled_back") == 0;
	}
	if (!json_object_get(doc, "failure"))
		json_object_set_new(doc, "failure", json_null());
	if (!json_object_get(doc, "error"))
		json_object_set_new(doc, "error", code == EXIT_OK ? json_null()
				    : json_string(out_last_error()));
	json_object_set_new(doc, "ok", json_boolean(code == EXIT_OK));
	json_object_set_new(doc, "done", json_integer((json_int_t)done_count));
	json_object_set_new(doc, "migrations", p->items);
	json_object_set_new(doc, "renamed", p->renamed);
	p->items = p->renamed = NULL;
	out_json(doc);
}

static int run(cli_global *g, int argc, char **argv, varve_direction dir)
{
	const char *name = dir == VARVE_UPGRADE ? "upgrade" : "downgrade";
	const cli_command *self = cli_find_command(name);
	varve_run_options opts = VARVE_RUN_OPTIONS_INIT;
	bool dry_run = false, sql = false, json = g->format == FORMAT_JSON, bad = false;
	const char *target;
	cli_session s;
	varve_steps *steps = NULL;
	varve_failure *failure = NULL;
	cli_fleet_request fleet;
	progress p;
	json_t *doc = NULL;
	const char *const *applied = NULL;
	size_t napplied = 0, n;
	cli_parser parser;
	double start;
	int id, status, code;

	memset(&s, 0, sizeof(s));
	memset(&p, 0, sizeof(p));
	memset(&fleet, 0, sizeof(fleet));
	p.g = g;
	p.dir = dir;
	cli_parser_init(&parser, g, self, argc, argv);
	while ((id = cli_next_option(&parser)) > 0) {
		if (id == OPT_DRY_RUN)
			dry_run = true;
		else if (id == OPT_SQL)
			sql = true;
		else if (id == OPT_SINGLE)
			opts.single_transaction = true;
		else if (id == OPT_FLEET)
			fleet.path = parser.arg;
		else if (id == OPT_ONLY)
			fleet.only = parser.arg;
		else if (id == OPT_CONCURRENCY && !bad)
			bad = !cli_parse_concurrency(self, parser.arg, &fleet.concurrency);
	}
	/* The parser frees its tables once it has seen every word. */
	if (id < 0 || bad)
		return EXIT_USAGE;
	if ((fleet.only || fleet.concurrency) && !fleet.path)
		return cli_usage_error(self, "--%s needs --fleet FILE",
				       fleet.only ? "only" : "concurrency");
	if (fleet.path) {
		if (dry_run || sql || opts.single_transaction || g->database || g->scratch)
			return cli_usage_error(self, "--fleet does not go with %s",
					       dry_run ? "--dry-run" : sql ? "--sql"
					       : opts.single_transaction ? "--single-transaction"
					       : g->database ? "--database" : "--scratch");
		if (g->format == FORMAT_GITHUB)
			return cli_usage_error(self, "--fleet prints --format text or json, not github");
		if (parser.npos > 1)
			return cli_usage_error(self, "unexpected argument '%s'", argv[1]);
		if (parser.npos == 0 && dir == VARVE_DOWNGRADE)
			return cli_usage_error(self, "which target? e.g. 'varve downgrade "
					       "--fleet FILE -1'");
		fleet.action = VARVE_FLEET_MIGRATE;
		fleet.direction = dir;
		fleet.target = parser.npos ? argv[0] : "head";
		return cli_fleet(g, &fleet);
	}
	json = g->format == FORMAT_JSON;
	if (parser.npos > 1)
		return cli_usage_error(self, "unexpected argument '%s'", argv[1]);
	if (parser.npos == 0 && dir == VARVE_DOWNGRADE)
		return cli_usage_error(self, "which target? e.g. 'varve downgrade -1' or "
				       "'varve downgrade base'");
	if (sql && g->format != FORMAT_DEFAULT && g->format != FORMAT_TEXT)
		return cli_usage_error(self, "--sql prints a psql script: --format %s does not apply",
				       json ? "json" : "github");
	target = parser.npos ? argv[0] : "head";
	/* A fix cut short left the files half renamed: not a plan to run. */
	if ((status = varve_fix_interrupted(g->manifest)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		return exit_for_status(status);
	}
	if (json) {
		doc = out_document(name);
		p.items = json_array();
		p.renamed = json_array();
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
	p.manifest = s.manifest;
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
	if (doc) {
		json_object_set_new(doc, "database", json_string(varve_db_display(s.db)));
		json_object_set_new(doc, "table", json_string(varve_db_table(s.db)));
		json_object_set_new(doc, "target", json_string(redacted(target)));
		json_object_set_new(doc, "dry_run", json_boolean(dry_run));
	}
	widths(s.graph, steps, &p);
	if (!dry_run && refuse_dirty(g, &s)) {
		code = EXIT_FINDINGS;
		goto done;
	}
	if (n == 0) {
		if (!json)
			nothing_to_do(g, dir);
		code = EXIT_OK;
		goto done;
	}
	if (dry_run) {
		if (json) {
			items_rest(&p, s.graph, steps, 0, "planned");
		} else if (!g->quiet) {
			printf("Would %s %zu migration%s on %s:\n",
			       dir == VARVE_UPGRADE ? "apply" : "roll back",
			       n, n == 1 ? "" : "s", varve_db_display(s.db));
			for (size_t i = 0; i < n; i++) {
				const varve_migration *m = varve_graph_node(s.graph,
									   varve_steps_at(steps, i));

				fputs("  ", stdout);
				print_fit(stdout, varve_migration_revision(m), p.rev_width, true);
				fputs("  ", stdout);
				print_fit(stdout, printable(varve_migration_description(m)),
					  p.cut ? p.desc_width : -1, false);
				printf("%s\n", varve_migration_transaction(m) ? "" : "  (no transaction)");
			}
		}
		code = EXIT_OK;
		goto done;
	}
	if (!g->quiet && !json)
		printf("%s %s (%s)\n", dir == VARVE_UPGRADE ? "Upgrading" : "Downgrading",
		       varve_db_display(s.db), varve_db_table(s.db));
	status = session_lock(g, &s);
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
			if (!json)
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
	/* The line of the migration under way, redrawn with its time. */
	p.live = !json && !g->quiet && isatty(STDOUT_FILENO) && terminal_columns(stdout) > 0 &&
		 !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	start = now_ms();
	catch_signals(&s);
	live_start(&p);
	status = varve_run(s.db, s.graph, steps, dir, &opts, &failure);
	live_stop(&p);
	release_signals();
	/* A lost connection is not the migration's fault: one message. */
	if (failure && status != VARVE_ECONNECT && status != VARVE_EINTERRUPTED) {
		cli_print_failure(g, failure);
		if (g->format == FORMAT_GITHUB)
			print_failure_github(failure);
	} else if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
	}
	{
		/* One transaction: a failure takes back what seemed done. */
		bool undone = opts.single_transaction && status != VARVE_OK && p.done;
		size_t reported = p.items ? json_array_size(p.items) : 0;

		if (doc) {
			if (undone)
				for (size_t i = 0; i < reported; i++) {
					json_t *it = json_array_get(p.items, i);

					if (strcmp(json_string_value(json_object_get(it, "outcome")),
						   "failed") != 0)
						json_object_set_new(it, "outcome", json_string("undone"));
				}
			items_rest(&p, s.graph, steps, reported, "not_run");
			json_object_set_new(doc, "duration_ms",
					    json_real(milliseconds(now_ms() - start)));
			run_json_failure(doc, status, failure);
		} else if (!g->quiet) {
			printf("%s %zu migration%s in ",
			       dir == VARVE_UPGRADE ? "Applied" : "Rolled back",
			       undone ? 0 : p.done, !undone && p.done == 1 ? "" : "s");
			print_duration(stdout, now_ms() - start);
			if (undone)
				printf("; the whole run was rolled back, %zu not run", n);
			else if (status != VARVE_OK && p.done < n)
				printf("; %zu not run", n - p.done);
			fputc('\n', stdout);
		}
	}
	code = status == VARVE_OK ? EXIT_OK
		: status == VARVE_EINTERRUPTED ? 128 + (int)stop_signal
		: exit_for_status(status);
done:
	/* One document for every run that got as far as a plan. */
	if (doc && code != EXIT_USAGE && s.db && steps) {
		run_json_print(doc, &p, code);
		doc = NULL;
	}
	json_decref(doc);
	json_decref(p.items);
	json_decref(p.renamed);
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

/*
 * varve redo [TARGET]: roll back the last applied migration (or TARGET and
 * what was applied on top of it) and apply it again, under one hold of the
 * lock, each migration in its own transaction; the output of upgrade and
 * downgrade, each row saying which way it went.
 */
int cmd_redo(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("redo");
	varve_run_options opts = VARVE_RUN_OPTIONS_INIT;
	bool dry_run = false, json = false;
	const char *target;
	cli_session s;
	varve_steps *down = NULL, *up = NULL;
	varve_failure *failure = NULL;
	progress p;
	json_t *doc = NULL;
	const char *const *applied = NULL;
	size_t napplied = 0, n;
	cli_parser parser;
	double start;
	int id, status, code;

	memset(&s, 0, sizeof(s));
	memset(&p, 0, sizeof(p));
	p.g = g;
	p.dir = VARVE_DOWNGRADE;
	p.redo = true;
	cli_parser_init(&parser, g, self, argc, argv);
	while ((id = cli_next_option(&parser)) > 0)
		if (id == OPT_DRY_RUN)
			dry_run = true;
	if (id < 0)
		return EXIT_USAGE;
	json = g->format == FORMAT_JSON;
	if (parser.npos > 1)
		return cli_usage_error(self, "unexpected argument '%s'", argv[1]);
	target = parser.npos ? argv[0] : NULL;
	if ((status = varve_fix_interrupted(g->manifest)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		return exit_for_status(status);
	}
	if (json) {
		doc = out_document("redo");
		p.items = json_array();
		p.renamed = json_array();
	}
	if ((code = session_open(g, &s, true)) != EXIT_OK)
		goto done;
	if (!dry_run && (status = varve_reconcile(s.db, s.graph, on_event, &p)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	p.manifest = s.manifest;
	applied = session_applied(&s, &napplied);
	if ((status = varve_redo_plan(&down, &up, s.graph, target, applied, napplied)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = EXIT_FINDINGS;
		goto done;
	}
	if (refuse_dirty(g, &s)) {
		code = EXIT_FINDINGS;
		goto done;
	}
	if (!dry_run) {
		if ((status = session_lock(g, &s)) != VARVE_OK) {
			out_error(g, "%s", varve_error_last());
			code = exit_for_status(status);
			goto done;
		}
		/* The state may have moved while we waited: plan again. */
		varve_steps_free(down);
		varve_steps_free(up);
		down = up = NULL;
		applied = session_applied(&s, &napplied);
		status = varve_redo_plan(&down, &up, s.graph, target, applied, napplied);
		if (status != VARVE_OK || refuse_dirty(g, &s)) {
			if (status != VARVE_OK)
				out_error(g, "%s", varve_error_last());
			code = EXIT_FINDINGS;
			goto done;
		}
	}
	n = varve_steps_count(down);
	widths(s.graph, down, &p);
	if (doc) {
		json_object_set_new(doc, "database", json_string(varve_db_display(s.db)));
		json_object_set_new(doc, "table", json_string(varve_db_table(s.db)));
		json_object_set_new(doc, "target", json_string(target ? redacted(target)
			: varve_migration_revision(varve_graph_node(s.graph, varve_steps_at(down, 0)))));
		json_object_set_new(doc, "dry_run", json_boolean(dry_run));
	}
	if (dry_run) {
		if (json) {
			p.dir = VARVE_DOWNGRADE;
			items_rest(&p, s.graph, down, 0, "planned");
			p.dir = VARVE_UPGRADE;
			items_rest(&p, s.graph, up, 0, "planned");
		} else if (!g->quiet) {
			printf("Would roll back and apply again %zu migration%s on %s:\n", n,
			       n == 1 ? "" : "s", varve_db_display(s.db));
			for (size_t i = 0; i < n; i++) {
				const varve_migration *m = varve_graph_node(s.graph,
									   varve_steps_at(down, i));

				fputs("  ", stdout);
				print_fit(stdout, varve_migration_revision(m), p.rev_width, true);
				fputs("  ", stdout);
				print_fit(stdout, printable(varve_migration_description(m)),
					  p.cut ? p.desc_width : -1, false);
				fputc('\n', stdout);
			}
		}
		code = EXIT_OK;
		goto done;
	}
	if (!g->quiet && !json)
		printf("Redoing %s (%s)\n", varve_db_display(s.db), varve_db_table(s.db));
	opts.progress = on_event;
	opts.payload = &p;
	opts.stop = &stop_signal;
	p.live = !json && !g->quiet && isatty(STDOUT_FILENO) && terminal_columns(stdout) > 0 &&
		 !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	start = now_ms();
	catch_signals(&s);
	live_start(&p);
	status = varve_run(s.db, s.graph, down, VARVE_DOWNGRADE, &opts, &failure);
	if (status == VARVE_OK)
		status = varve_run(s.db, s.graph, up, VARVE_UPGRADE, &opts, &failure);
	live_stop(&p);
	release_signals();
	if (failure && status != VARVE_ECONNECT && status != VARVE_EINTERRUPTED) {
		cli_print_failure(g, failure);
		if (g->format == FORMAT_GITHUB)
			print_failure_github(failure);
	} else if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
	}
	if (doc) {
		size_t reported = json_array_size(p.items);

		/* What did not run: the rest of the way down, then the way up. */
		if (reported < n) {
			p.dir = VARVE_DOWNGRADE;
			items_rest(&p, s.graph, down, reported, "not_run");
			reported = n;
		}
		p.dir = VARVE_UPGRADE;
		items_rest(&p, s.graph, up, reported - n, "not_run");
		json_object_set_new(doc, "duration_ms", json_real(milliseconds(now_ms() - start)));
		run_json_failure(doc, status, failure);
	} else if (!g->quiet) {
		if (status == VARVE_OK)
			printf("Redid %zu migration%s in ", n, n == 1 ? "" : "s");
		else
			printf("Redo stopped after ");
		print_duration(stdout, now_ms() - start);
		fputc('\n', stdout);
	}
	code = status == VARVE_OK ? EXIT_OK
		: status == VARVE_EINTERRUPTED ? 128 + (int)stop_signal
		: exit_for_status(status);
done:
	if (doc && code != EXIT_USAGE && s.db && down) {
		run_json_print(doc, &p, code);
		doc = NULL;
	}
	json_decref(doc);
	json_decref(p.items);
	json_decref(p.renamed);
	varve_failure_free(failure);
	varve_steps_free(down);
	varve_steps_free(up);
	session_close(&s);
	return code;
}
