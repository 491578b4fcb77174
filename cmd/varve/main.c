/*
 * varve: the command table, global options and the option parser.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include "cli.h"

#define OPTIONS_DETAIL "Run 'varve COMMAND --help' for a command's options."

enum {
	GOPT_MANIFEST = 1000,
	GOPT_DATABASE,
	GOPT_SCRATCH,
	GOPT_LOCK_WAIT,
	GOPT_FORMAT,
	GOPT_QUIET,
	GOPT_VERBOSE,
	GOPT_NO_COLOR,
	GOPT_COLOR,
	GOPT_HELP,
	GOPT_VERSION,
};

static const cli_option global_options[] = {
	{ "manifest", 'f', true, GOPT_MANIFEST, "PATH", "the manifest (default ./varve.yaml)" },
	{ "database", 'd', true, GOPT_DATABASE, "URL", "the database (beats VARVE_DATABASE_URL, DATABASE_URL)" },
	{ "scratch", 0, false, GOPT_SCRATCH, NULL, "run against a private temporary PostgreSQL" },
	{ "lock-wait", 0, true, GOPT_LOCK_WAIT, "SECONDS", "how long to wait for another runner (default 60)" },
	{ "format", 0, true, GOPT_FORMAT, "FORMAT", "output format: text, json, github (dot, mermaid for graph)" },
	{ "quiet", 'q', false, GOPT_QUIET, NULL, "print only errors (the exit status says the rest)" },
	{ "verbose", 'v', false, GOPT_VERBOSE, NULL,
	  "also show the connection, lock waits and each statement (stderr)" },
	{ "color", 0, true, GOPT_COLOR, "WHEN",
	  "colour: auto (a terminal, not TERM=dumb, no NO_COLOR), always, never" },
	{ "no-color", 0, false, GOPT_NO_COLOR, NULL, "never colour the output (--color=never)" },
	{ "help", 'h', false, GOPT_HELP, NULL, "show this help" },
	{ NULL, 0, false, 0, NULL, NULL },
};

/* Only before a command. */
static const cli_option main_options[] = {
	{ "version", 0, false, GOPT_VERSION, NULL, "print the version" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option check_options[] = {
	{ "strict", 0, false, 1, NULL,
	  "missing-downgrade, unlisted-file and the lint's drops (ban-drop-*, ban-truncate) "
	  "become errors" },
	{ "sequential", 0, false, 2, NULL, "timestamp revisions become errors (run before merging)" },
	{ "database", 0, false, 3, "[URL]",
	  "also check the database (--database URL, or -d URL, the environment or the "
	  "manifest's url): applied-unknown, applied-modified, dirty" },
	{ "against", 0, true, 4, "REF", "also check what merging git REF would bring (e.g. origin/main)" },
	{ "server-version", 0, true, 5, "N",
	  "the server's major version (beats database.server_version): newer than the "
	  "SQL parser's, SQL it rejects is a parser-too-old warning" },
	{ "no-lint", 0, false, 6, NULL,
	  "leave out the safety lint (require-concurrent-index, ban-drop-table, ...)" },
	{ "schema", 0, false, 7, NULL,
	  "also build head on a scratch server and compare its schema with the "
	  "manifest's schema: snapshot (schema-drift, with a diff)" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option graph_options[] = {
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option history_options[] = {
	{ "graph", 0, false, 1, NULL, "draw the graph beside the list, like git log --graph" },
	{ "applied", 0, false, 2, NULL,
	  "mark what the database has applied (also with -d URL or --scratch)" },
	{ NULL, 0, false, 0, NULL, NULL },
};

#define FLEET_OPTIONS \
	{ "fleet", 0, true, 4, "FILE", "every target of a fleet file (docs/fleet.md)" }, \
	{ "only", 0, true, 5, "failed|LABEL,...", \
	  "with --fleet: the targets not at the goal, or those labels" }, \
	{ "concurrency", 0, true, 6, "N", "with --fleet: targets at once (default: the file's)" }

static const cli_option run_options[] = {
	{ "dry-run", 0, false, 1, NULL, "print the plan, change nothing" },
	{ "sql", 0, false, 2, NULL, "print the SQL as a psql script instead of running it" },
	{ "single-transaction", 0, false, 3, NULL, "run every migration in one transaction" },
	FLEET_OPTIONS,
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option down_options[] = {
	{ "dry-run", 0, false, 1, NULL, "print the plan, change nothing" },
	{ "sql", 0, false, 2, NULL, "print the SQL as a psql script instead of running it" },
	FLEET_OPTIONS,
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option status_options[] = {
	{ "exit-code", 0, false, 1, NULL, "exit 4 when migrations are pending" },
	FLEET_OPTIONS,
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option resolve_options[] = {
	{ "applied", 0, false, 2, NULL, "the migration's changes are all in place" },
	{ "rolled-back", 0, false, 3, NULL, "none of its changes are in place" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option init_options[] = {
	{ "directory", 0, true, 5, "DIR", "the migrations folder (default migrations)" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option new_options[] = {
	{ "message", 'm', true, 1, "DESC", "what the migration does (names the file)" },
	{ "timestamp", 0, false, 2, NULL, "name it by the UTC time, YYYYMMDDHHMMSS" },
	{ "sequential", 0, false, 3, NULL, "name it by the next number (0001, 0002, ...)" },
	{ "no-transaction", 0, false, 4, NULL, "write transaction: false (CREATE INDEX CONCURRENTLY)" },
	{ "head", 0, true, 6, "REV|LABEL@head", "the parent, when there are several heads" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option merge_options[] = {
	{ "message", 'm', true, 1, "DESC", "a description for the merge" },
	{ "timestamp", 0, false, 2, NULL, "name it by the UTC time, YYYYMMDDHHMMSS" },
	{ "sequential", 0, false, 3, NULL, "name it by the next number (0001, 0002, ...)" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option fix_options[] = {
	{ "dry-run", 0, false, 1, NULL, "print the plan, change nothing" },
	{ "yes", 'y', false, 2, NULL, "do not ask (needed when not on a terminal)" },
	{ "linearize", 0, false, 3, NULL, "chain several heads into one line instead of a merge" },
	{ "against", 0, true, 4, "REF", "also count the numbers taken at git REF (e.g. origin/main)" },
	{ "database", 0, false, 5, "[URL]",
	  "also rename the applied rows in the version table (--database URL, or -d URL, "
	  "the environment or the manifest's url)" },
	{ "recover", 0, false, 6, NULL,
	  "complete or undo a fix that was cut short (kill -9), from its journal" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option redo_options[] = {
	{ "dry-run", 0, false, 1, NULL, "print the plan, change nothing" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option test_options[] = {
	{ "from", 0, true, 1, "REV", "test from this migration on (the ones before it are applied, not tested)" },
	{ "to", 0, true, 2, "REV", "test up to this migration (it and its ancestors)" },
	{ "data", 0, false, 3, NULL, "also check that a downgrade removes the rows its upgrade inserted" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option wait_options[] = {
	{ "timeout", 0, true, 1, "DURATION", "give up after this long (default 60s; 500ms, 2m, bare seconds)" },
	{ NULL, 0, false, 0, NULL, NULL },
};

#define TARGETS "Targets: head, heads, base, REV (or a unique prefix), LABEL@head,\n" \
	"+N, -N, REV+N, REV-N."

const cli_command cli_commands[] = {
	{ "init", cmd_init, "write a starter varve.yaml and the migrations folder",
	  "[--directory DIR]", "An existing manifest is never overwritten.", init_options,
	  FMT(FORMAT_TEXT) },
	{ "new", cmd_new, "create a migration's SQL file and append its entry",
	  "-m DESC [--timestamp|--sequential] [--no-transaction] [--head REV|LABEL@head]",
	  "The entry is a child of the single head (of the one --head names, when\n"
	  "branch labels allow several). The revision is a UTC timestamp or the\n"
	  "next number, as the manifest's 'naming' says (default timestamp). The\n"
	  "file name is the description in lower-case ASCII (Ünïcode: unicode).\n"
	  "Only the new entry's lines change in the manifest.", new_options,
	  FMT(FORMAT_TEXT) },
	{ "merge", cmd_merge, "join the heads with an empty merge migration",
	  "[-m DESC] [--timestamp|--sequential]",
	  "The new entry's down_revision lists every head; it has no SQL. Its\n"
	  "revision is named as 'new' names one ('naming', or the option).",
	  merge_options,
	  FMT(FORMAT_TEXT) },
	{ "hash", cmd_hash, "write or refresh every entry's checksum in the manifest",
	  "[--format text|json]",
	  "The checksum covers the upgrade SQL's tokens: comments and white space\n"
	  "do not count. Entries whose checksum is right are not touched.",
	  graph_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ "fix", cmd_fix, "renumber timestamp migrations in the order git history added them",
	  "[--dry-run] [--yes] [--linearize] [--against REF] [--database [URL]]\n"
	  "       [--format text|json] | --recover",
	  "Timestamp revisions get the next sequential numbers, in a topological\n"
	  "order in which, among migrations free to go next, the one whose file\n"
	  "entered HEAD's first-parent history first goes first (so on main, merge\n"
	  "order); same commit or not committed: by timestamp. Files are renamed\n"
	  "(in the git index too), the manifest is rewritten in place; all or\n"
	  "nothing, also under Ctrl-C or SIGTERM; after kill -9, --recover completes\n"
	  "or undoes it from its journal. Exit status: 0 done or nothing to do, 1\n"
	  "refused or failed (nothing changed), 2 usage error or not a terminal\n"
	  "without --yes, 128 + N after signal N (undone, or done when too late).",
	  fix_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ "import", cmd_import, "write a manifest for another tool's migrations folder",
	  "--from TOOL [DIR] [-d URL] [--force] [--dry-run] [--table NAME]",
	  "DIR (default: migrations beside the manifest) is read the way TOOL wrote it;\n"
	  "its files are not touched. The manifest goes where -f says. With -d URL,\n"
	  "the versions TOOL's own table records as applied are recorded in varve's\n"
	  "version table too (one transaction, under the lock; no SQL runs; TOOL's\n"
	  "table is only read). Exit status: 0 done, 1 refused (nothing written),\n"
	  "2 usage error or an unreadable folder, 3 the database is unreachable.",
	  cli_import_options,
	  FMT(FORMAT_TEXT) },
	{ "check", cmd_check, "validate the manifest, the graph and the SQL offline",
	  "[--strict] [--sequential] [--database [URL]] [--against REF] [--server-version N]\n"
	  "       [--no-lint] [--schema] [--format text|json|github]",
	  "With --against REF, the manifest at REF is joined with this one as a\n"
	  "merge would: revisions both sides added and the heads the merge would\n"
	  "leave are reported here, before the merge, and the safety lint reads only\n"
	  "the migrations new relative to REF.\n"
	  "Exit status: 0 no errors, 1 errors were found, 2 usage error (also no\n"
	  "git repository, or a REF that names no commit); 3 with --database when\n"
	  "the database is unreachable.",
	  check_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) | FMT(FORMAT_GITHUB) },
	{ "upgrade", cmd_upgrade, "apply migrations up to a target (default head)",
	  "[TARGET] [--dry-run] [--sql] [--single-transaction] [--fleet FILE] [--format text|json|github]",
	  TARGETS "\n\nEach migration and its record commit together or not at all.\n"
	  "Exit status: 0 done, 1 a migration failed or the target did not resolve,\n"
	  "3 the database is unreachable or another runner holds the lock.",
	  run_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) | FMT(FORMAT_GITHUB) },
	{ "downgrade", cmd_downgrade, "roll back migrations down to a target",
	  "TARGET [--dry-run] [--sql] [--fleet FILE [--only SEL]] [--format text|json|github]",
	  TARGETS "\n\ne.g. 'varve downgrade -1' undoes the last applied migration,\n"
	  "'varve downgrade base' all of them.", down_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) | FMT(FORMAT_GITHUB) },
	{ "redo", cmd_redo, "roll back the last applied migration and apply it again",
	  "[TARGET] [--dry-run] [--format text|json|github]",
	  "Without TARGET, the most recently applied migration. With TARGET (one\n"
	  "applied migration: REV, a unique prefix, LABEL@head, REV-N...), it and\n"
	  "every applied migration that descends from it are rolled back, most\n"
	  "recent first, and applied again in graph order. One hold of the lock;\n"
	  "each migration in its own transaction. Refused when one of them is\n"
	  "irreversible (a comment-only downgrade) or has no downgrade.\n"
	  "Exit status: 0 done, 1 refused or a migration failed, 3 the database is\n"
	  "unreachable or another runner holds the lock.", redo_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) | FMT(FORMAT_GITHUB) },
	{ "status", cmd_status, "show every migration: applied, pending or dirty",
	  "[--exit-code] [--fleet FILE [--only SEL]] [--format text|json]",
	  "Exit status: 0, 1 when a migration is dirty, 4 with --exit-code when\n"
	  "migrations are pending, 3 when the database is unreachable.", status_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ "current", cmd_current, "show the applied heads", "[--format text|json]", NULL,
	  graph_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ "stamp", cmd_stamp, "record the state of a target without running SQL",
	  "TARGET [--format text|json]",
	  TARGETS, graph_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ "resolve", cmd_resolve, "clear a dirty migration",
	  "REV --applied|--rolled-back [--format text|json]",
	  "After a transaction: false migration failed part way, repair the database\n"
	  "by hand, then say whether its changes are in place.", resolve_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ "heads", cmd_heads, "list the heads of the manifest's graph", "[--format text|json]",
	  NULL, graph_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ "graph", cmd_graph, "print the migration graph for docs and pull requests",
	  "[--format dot|mermaid]", "The default format is dot.", graph_options,
	  FMT(FORMAT_DOT) | FMT(FORMAT_MERMAID) },
	{ "history", cmd_history, "list migrations in graph order, newest first",
	  "[--graph] [--applied] [--format text|json]",
	  "Without a database this needs none. With --applied, -d URL or --scratch,\n"
	  "each migration is marked applied, dirty or pending, and the applied\n"
	  "heads (current).", history_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ "test", cmd_test, "prove that every downgrade undoes its upgrade (up/down/up)",
	  "[--from REV] [--to REV] [--data] [-d URL] [--format text|json|github]",
	  "On a scratch server (or the throwaway database -d URL names, which must\n"
	  "have no varve history: it is written to), each migration in graph order\n"
	  "is applied, rolled back and applied again, and the schema, read from\n"
	  "the catalogs, compared: after the downgrade it must equal the schema\n"
	  "before the upgrade, after the second upgrade the first one. The first\n"
	  "failure stops the walk and is shown as a diff of catalog objects, at\n"
	  "the downgrade section. Irreversible migrations (a comment-only\n"
	  "downgrade) are applied and skipped. Exit status: 0 every downgrade\n"
	  "restores its schema, 1 one does not (or a migration failed), 2 usage\n"
	  "error, 3 the database is unreachable or no server binaries were found.",
	  test_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) | FMT(FORMAT_GITHUB) },
	{ "wait", cmd_wait, "wait until the database accepts connections",
	  "[--timeout DURATION] [-d URL]",
	  "Polls the server as pg_isready does (a server that is starting up is\n"
	  "not ready yet), then connects once to be sure it lets varve in. For CI\n"
	  "containers and compose files. Exit status: 0 ready, 3 not ready within\n"
	  "the timeout or the connection was refused, 2 usage error.",
	  wait_options,
	  FMT(FORMAT_TEXT) },
	{ "schema", cmd_schema, "write the schema the migrations produce as SQL DDL",
	  "dump [-o FILE] [--owners] [-d URL] [--format text|json]",
	  "The canonical schema, read from the catalogs (no pg_dump), as SQL in a\n"
	  "stable order: of the database -d URL names, or else of a scratch server\n"
	  "migrated to head. Check it in beside the manifest ('schema:' key) and\n"
	  "'varve check --schema' fails when it no longer matches head.\n"
	  "Exit status: 0 done, 1 a migration failed, 2 usage error, 3 the database\n"
	  "is unreachable or no PostgreSQL server binaries were found.",
	  cli_schema_options,
	  FMT(FORMAT_TEXT) | FMT(FORMAT_JSON) },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

const cli_command *cli_find_command(const char *name)
{
	for (const cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void print_option_list(const cli_option *opts, FILE *out)
{
	for (const cli_option *o = opts; o && o->name; o++) {
		char left[64];

		/* A flag that also takes a value (check --database [URL]). */
		const char *arg = o->arg_name ? o->arg_name : "";

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name,
				 o->name, *arg ? " " : "", arg);
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, *arg ? " " : "", arg);
		if (strlen(left) > 26)
			fprintf(out, "  %s\n  %-26s %s\n", left, "", o->help);
		else
			fprintf(out, "  %-26s %s\n", left, o->help);
	}
}

void cli_print_help(const cli_command *cmd, FILE *out)
{
	fprintf(out, "usage: varve %s %s\n\n%s\n", cmd->name, cmd->usage,
		cmd->summary);
	if (cmd->detail)
		fprintf(out, "\n%s\n", cmd->detail);
	if (cmd->options && cmd->options[0].name) {
		fprintf(out, "\noptions:\n");
		print_option_list(cmd->options, out);
	}
	fprintf(out, "\nglobal options:\n");
	print_option_list(global_options, out);
}

static void print_main_help(FILE *out)
{
	fprintf(out, "usage: varve [OPTIONS] COMMAND [ARGS]\n\n"
		     "varve: a manifest-driven PostgreSQL migration runner\n\n"
		     "commands:\n");
	for (const cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\noptions:\n");
	print_option_list(global_options, out);
	fprintf(out, "      --version              print the version\n\n%s\n",
		OPTIONS_DETAIL);
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	char small[512], *msg = small;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(small) && (msg = malloc((size_t)n + 1)) != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	/* Whatever the message echoes (an argument, a value) may hold a
	 * password: the whole line goes through the redactor. */
	fprintf(stderr, "varve%s%s: %s\nrun 'varve %s%s--help' for usage\n",
		cmd ? " " : "", cmd ? cmd->name : "", shown_arg(msg ? msg : small),
		cmd ? cmd->name : "", cmd ? " " : "");
	if (msg != small)
		free(msg);
	return EXIT_USAGE;
}

const char *redacted(const char *s)
{
	static char *ring[8];
	static size_t next;
	char *masked;

	if (!s)
		return NULL;
	if (!(masked = varve_text_redact(s)))
		return "";
	free(ring[next]);
	ring[next] = masked;
	next = (next + 1) % (sizeof(ring) / sizeof(*ring));
	return masked;
}

const char *shown_arg(const char *s)
{
	return printable(redacted(s));
}

bool cli_parse_count(const char *s, long *out)
{
	char *end;
	long v;

	if (!*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0)
		return false;
	*out = v;
	return true;
}

/*
 * Edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours) between short words; SIZE_MAX for long ones.
 */
static size_t edit_distance(const char *a, const char *b)
{
	enum { MAX = 32 };
	size_t d[MAX + 1][MAX + 1], la = strlen(a), lb = strlen(b);

	if (la > MAX || lb > MAX)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* The candidate nearest to `word`, when near enough to be a typo; or NULL. */
static const char *nearest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, len = strlen(word);

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);

		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best && best_d <= 2 && best_d < len ? best : NULL;
}

static const char *nearest_command(const char *word)
{
	const char *names[32];
	size_t n = 0;

	for (const cli_command *c = cli_commands; c->name && n < 31; c++)
		names[n++] = c->name;
	names[n++] = "help";
	return nearest(word, names, n);
}

/* "unknown command 'X'" with the nearest command, if any. */
static int unknown_command(const char *word)
{
	const char *near = nearest_command(word);

	if (near)
		return cli_usage_error(NULL, "unknown command '%s' (did you mean '%s'?)", word, near);
	return cli_usage_error(NULL, "unknown command '%s'", word);
}

static bool parse_format(const char *s, cli_format *out)
{
	static const struct { const char *name; cli_format f; } formats[] = {
		{ "text", FORMAT_TEXT }, { "json", FORMAT_JSON },
		{ "github", FORMAT_GITHUB }, { "dot", FORMAT_DOT },
		{ "mermaid", FORMAT_MERMAID },
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(s, formats[i].name) == 0) {
			*out = formats[i].f;
			return true;
		}
	return false;
}

static const char *format_name(cli_format f)
{
	static const char *const names[] = { "default", "text", "json", "github", "dot", "mermaid" };

	return names[f];
}

/* Apply a global option; false after printing a usage error. */
static bool apply_global(cli_parser *p, int id, const char *arg)
{
	cli_global *g = p->g;
	char *end;

	switch (id) {
	case GOPT_MANIFEST: g->manifest = arg; break;
	case GOPT_DATABASE: g->database = arg; break;
	case GOPT_SCRATCH: g->scratch = true; break;
	case GOPT_LOCK_WAIT:
		errno = 0;
		g->lock_wait = strtod(arg, &end);
		if (errno || end == arg || *end || !(g->lock_wait >= 0)) {
			cli_usage_error(p->cmd, "--lock-wait needs a number of seconds, not '%s'", arg);
			return false;
		}
		break;
	case GOPT_FORMAT:
		if (!parse_format(arg, &g->format)) {
			cli_usage_error(p->cmd, "unknown format '%s'", arg);
			return false;
		}
		break;
	case GOPT_COLOR:
		if (strcmp(arg, "auto") == 0)
			g->color_mode = COLOR_AUTO;
		else if (strcmp(arg, "always") == 0)
			g->color_mode = COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			g->color_mode = COLOR_NEVER;
		else {
			cli_usage_error(p->cmd, "--color must be auto, always or never, not '%s'", arg);
			return false;
		}
		break;
	case GOPT_QUIET: g->quiet++; break;
	case GOPT_VERBOSE: g->verbose++; break;
	case GOPT_NO_COLOR: g->color_mode = COLOR_NEVER; break;
	case GOPT_HELP: p->help = true; break;
	case GOPT_VERSION: p->version = true; break;
	}
	return true;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

/*
 * Colour: --color always/never; otherwise NO_COLOR (when not empty) turns
 * it off, FORCE_COLOR (when not empty, not "0") on, and else a terminal
 * that is not TERM=dumb has it.
 */
static void decide_color(cli_global *g)
{
	const char *force = getenv("FORCE_COLOR"), *term = getenv("TERM");
	bool dumb = term && strcmp(term, "dumb") == 0;

	switch (g->color_mode) {
	case COLOR_ALWAYS:
		g->color_out = g->color_err = true;
		return;
	case COLOR_NEVER:
		g->color_out = g->color_err = false;
		return;
	case COLOR_AUTO:
		break;
	}
	if (env_set("NO_COLOR")) {
		g->color_out = g->color_err = false;
	} else if (force && *force && strcmp(force, "0") != 0) {
		g->color_out = g->color_err = true;
	} else {
		g->color_out = !dumb && isatty(STDOUT_FILENO);
		g->color_err = !dumb && isatty(STDERR_FILENO);
	}
}

void cli_parser_init(cli_parser *p, cli_global *g, const cli_command *cmd,
		     int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->g = g;
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
}

static const cli_option *find_long(const cli_option *opts, const char *name, size_t len)
{
	for (const cli_option *o = opts; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const cli_option *find_short(const cli_option *opts, char c)
{
	for (const cli_option *o = opts; o && o->name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static const cli_option *command_options(const cli_parser *p)
{
	return p->cmd ? p->cmd->options : main_options;
}

/* A command's flag named like a global option with a value (check
 * --database): it takes the value too, as --database=URL or the next word. */
static bool doubles_as_global(const cli_option *o)
{
	const cli_option *go = find_long(global_options, o->name, strlen(o->name));

	return !o->has_arg && go && go->has_arg;
}

/* Whether the option word `w` takes the next word as its value. */
static bool takes_next(const cli_parser *p, const char *w)
{
	const cli_option *o;

	if (w[0] != '-' || !w[1])
		return false;
	if (w[1] == '-') {
		if (strchr(w, '='))
			return false;
		if (!(o = find_long(command_options(p), w + 2, strlen(w + 2))))
			o = find_long(global_options, w + 2, strlen(w + 2));
		return o && o->has_arg;
	}
	for (const char *c = w + 1; *c; c++) {
		if (!(o = find_short(command_options(p), *c)))
			o = find_short(global_options, *c);
		if (!o)
			return false;
		if (o->has_arg)
			return c[1] == '\0';
	}
	return false;
}

static void parser_free(cli_parser *p)
{
	free(p->longs);
	free(p->which);
	free(p->global);
	free(p->orig);
	p->longs = NULL;
	p->which = NULL;
	p->global = NULL;
	p->orig = NULL;
}

/* getopt_long's tables: the command's options, then the global ones. */
static bool parser_start(cli_parser *p)
{
	const cli_option *opts = command_options(p);
	size_t n = 0, k = 0, s = 0;
	int gargc = p->argc + 1;
	char **gargv = p->argv - 1;

	for (const cli_option *o = opts; o && o->name; o++)
		n++;
	for (const cli_option *o = global_options; o->name; o++)
		n++;
	p->longs = calloc(n + 1, sizeof(*p->longs));
	p->which = calloc(n + 1, sizeof(*p->which));
	p->global = calloc(n + 1, sizeof(*p->global));
	p->orig = calloc((size_t)gargc + 1, sizeof(*p->orig));
	if (!p->longs || !p->which || !p->global || !p->orig) {
		fprintf(stderr, "varve: error: out of memory\n");
		return false;
	}
	p->shorts[s++] = p->stop_at_command ? '+' : '-';
	p->shorts[s++] = ':';
	for (int pass = 0; pass < 2; pass++) {
		for (const cli_option *o = pass ? global_options : opts; o && o->name; o++) {
			/* The command's own long option wins (check --database);
			 * the global's short one stays (-d URL). */
			if (!pass || !find_long(opts, o->name, strlen(o->name))) {
				p->longs[k].name = o->name;
				p->longs[k].has_arg = o->has_arg ? required_argument
					: doubles_as_global(o) ? optional_argument : no_argument;
				p->longs[k].val = 256 + (int)k;
				p->which[k] = o;
				p->global[k] = pass == 1 || !p->cmd; /* main_options too */
				k++;
			}
			if (o->short_name && !strchr(p->shorts + 2, o->short_name) &&
			    s + 3 < sizeof(p->shorts)) {
				p->shorts[s++] = o->short_name;
				if (o->has_arg)
					p->shorts[s++] = ':';
			}
		}
	}
	p->shorts[s] = '\0';
	/* "-2" is a target, not an option: getopt sees "2", reported as given. */
	for (int i = 0; i < gargc; i++)
		p->orig[i] = gargv[i];
	for (int i = 1; i < gargc && !p->stop_at_command; i++) {
		char *w = gargv[i];

		if (strcmp(w, "--") == 0)
			break;
		if (w[0] == '-' && w[1] >= '0' && w[1] <= '9')
			gargv[i] = w + 1;
		else if (takes_next(p, w))
			i++;
	}
	optind = 0; /* glibc: start afresh, with these tables */
	opterr = 0;
	p->started = true;
	return true;
}

static int parser_end(cli_parser *p, int status)
{
	if (status == 0 && p->cmd && p->g->format != FORMAT_DEFAULT &&
	    !(p->cmd->formats & FMT(p->g->format))) {
		const char *names[8];
		char list[96] = "";
		size_t n = 0, k = 0;

		for (int f = FORMAT_TEXT; f <= FORMAT_MERMAID; f++)
			if (p->cmd->formats & FMT(f))
				names[k++] = format_name((cli_format)f);
		for (size_t i = 0; i < k; i++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
					      i == 0 ? "" : i + 1 == k ? " or " : ", ", names[i]);
		cli_usage_error(p->cmd, "--format %s is not supported: %s takes %s",
				format_name(p->g->format), p->cmd->name, list);
		status = -1;
	}
	if (status == 0)
		decide_color(p->g);
	parser_free(p);
	p->done = true;
	p->status = status;
	return status;
}

/* An option getopt_long did not take: say why, with the nearest one. */
static int bad_option(cli_parser *p, int c, char **gargv)
{
	const char *word = gargv[optind - 1 >= 1 ? optind - 1 : 1];
	const char *names[64];
	size_t n = 0, len, matches = 0;
	const char *name, *near;

	if (c == ':') {
		if (optopt >= 256)
			cli_usage_error(p->cmd, "option '--%s' needs a value",
					p->which[optopt - 256]->name);
		else
			cli_usage_error(p->cmd, "option '-%c' needs a value", optopt);
		return -1;
	}
	if (optopt >= 256) {
		cli_usage_error(p->cmd, "option '--%s' takes no value", p->which[optopt - 256]->name);
		return -1;
	}
	if (optopt != 0) {
		if (optopt >= 0x20 && optopt < 0x7f)
			cli_usage_error(p->cmd, "unknown option '-%c'", optopt);
		else
			cli_usage_error(p->cmd, "unknown option");
		return -1;
	}
	/* A long option: unknown, or a prefix of several. Its value (after
	 * '=') is never echoed. */
	name = word[0] == '-' && word[1] == '-' ? word + 2 : word;
	len = strcspn(name, "=");
	for (size_t k = 0; p->longs[k].name && n < 64; k++) {
		names[n++] = p->longs[k].name;
		if (strncmp(p->longs[k].name, name, len) == 0)
			matches++;
	}
	if (matches > 1) {
		cli_usage_error(p->cmd, "option '--%.*s' is ambiguous", (int)len, name);
		return -1;
	}
	{
		char *just = strndup(name, len);

		near = just ? nearest(just, names, n) : NULL;
		if (near)
			cli_usage_error(p->cmd, "unknown option '--%s' (did you mean '--%s'?)",
					just, near);
		else
			cli_usage_error(p->cmd, "unknown option '--%s'", just ? just : "");
		free(just);
	}
	return -1;
}

int cli_next_option(cli_parser *p)
{
	int gargc = p->argc + 1;
	char **gargv = p->argv - 1;

	if (p->done)
		return p->status;
	if (!p->started && !parser_start(p))
		return parser_end(p, -1);
	for (;;) {
		const cli_option *o = NULL;
		const char *value;
		bool global = false;
		int c = getopt_long(gargc, gargv, p->shorts, p->longs, NULL);

		if (c == -1) {
			if (p->stop_at_command) {
				p->next = optind;
			} else {
				while (optind < gargc)
					p->argv[p->npos++] = p->orig[optind++];
			}
			return parser_end(p, 0);
		}
		if (c == 1) {
			p->argv[p->npos++] = p->orig[optind - 1];
			continue;
		}
		if (c == '?' || c == ':')
			return parser_end(p, bad_option(p, c, gargv));
		if (c >= 256) {
			o = p->which[c - 256];
			global = p->global[c - 256];
		} else if (!(o = find_short(command_options(p), (char)c))) {
			o = find_short(global_options, (char)c);
			global = true;
		} else {
			global = !p->cmd;
		}
		value = optarg;
		if (!global && doubles_as_global(o)) {
			/* check --database URL, check --database=URL */
			if (!value && optind < gargc && gargv[optind][0] != '-')
				value = p->orig[optind++];
			if (value && !apply_global(p, GOPT_DATABASE, value))
				return parser_end(p, -1);
			value = NULL;
		}
		p->arg = value;
		if (global) {
			if (!apply_global(p, o->id, value))
				return parser_end(p, -1);
			if (p->help && p->cmd) {
				/* After the command: its help, whatever else was given. */
				parser_free(p);
				cli_print_help(p->cmd, stdout);
				exit(EXIT_OK);
			}
			continue;
		}
		return o->id;
	}
}

int cli_parse_flags(cli_global *g, const char *name, int argc, char **argv,
		       int *flags, int max_positional)
{
	const cli_command *self = cli_find_command(name);
	cli_parser p;
	int id;

	cli_parser_init(&p, g, self, argc, argv);
	*flags = 0;
	while ((id = cli_next_option(&p)) > 0)
		*flags |= 1 << id;
	if (id < 0)
		return -1;
	if (p.npos > max_positional) {
		cli_usage_error(self, "unexpected argument '%s'", argv[max_positional]);
		return -1;
	}
	return p.npos;
}

int main(int argc, char **argv)
{
	cli_global g;
	const cli_command *cmd = NULL;
	cli_parser p;
	int i;

	/* Display widths of descriptions (wcwidth): manifests are UTF-8
	 * whatever the locale says. */
	if (!setlocale(LC_CTYPE, "") || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	memset(&g, 0, sizeof(g));
	g.manifest = "varve.yaml";
	g.lock_wait = 60;
	decide_color(&g);

	/* Global options may come before the command; the command's parser
	 * takes the ones after it. */
	cli_parser_init(&p, &g, NULL, argc - 1, argv + 1);
	p.stop_at_command = true;
	if (cli_next_option(&p) < 0)
		return EXIT_USAGE;
	if (p.version) {
		printf("varve %s\nSQL parser: libpg_query, PostgreSQL %s grammar\n",
		       VARVE_VERSION, varve_parser_version());
		return EXIT_OK;
	}
	if (p.help) {
		print_main_help(stdout);
		return EXIT_OK;
	}
	i = p.next;
	if (i >= argc) {
		print_main_help(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 >= argc) {
			print_main_help(stdout);
			return EXIT_OK;
		}
		if (!(cmd = cli_find_command(argv[i + 1])))
			return unknown_command(argv[i + 1]);
		cli_print_help(cmd, stdout);
		return EXIT_OK;
	}
	if (!(cmd = cli_find_command(argv[i])))
		return unknown_command(argv[i]);
	return cmd->run(&g, argc - i - 1, argv + i + 1);
}
