/*
 * varve: the command table, global options and the option parser.
 */
#include <stdarg.h>
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
	GOPT_HELP,
};

static const cli_option global_options[] = {
	{ "manifest", 'f', true, GOPT_MANIFEST, "PATH", "the manifest (default ./varve.yaml)" },
	{ "database", 'd', true, GOPT_DATABASE, "URL", "the database (beats VARVE_DATABASE_URL, DATABASE_URL)" },
	{ "scratch", 0, false, GOPT_SCRATCH, NULL, "run against a private temporary PostgreSQL" },
	{ "lock-wait", 0, true, GOPT_LOCK_WAIT, "SECONDS", "how long to wait for another runner (default 60)" },
	{ "format", 0, true, GOPT_FORMAT, "FORMAT", "output format: text, json, github (dot, mermaid for graph)" },
	{ "quiet", 'q', false, GOPT_QUIET, NULL, "print less" },
	{ "verbose", 'v', false, GOPT_VERBOSE, NULL, "print more" },
	{ "no-color", 0, false, GOPT_NO_COLOR, NULL, "never colour the output" },
	{ "help", 'h', false, GOPT_HELP, NULL, "show this help" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option check_options[] = {
	{ "strict", 0, false, 1, NULL, "missing-downgrade and unlisted-file become errors" },
	{ "sequential", 0, false, 2, NULL, "timestamp revisions become errors (run before merging)" },
	{ "database", 0, false, 3, NULL,
	  "also check the database (-d URL, the environment or the manifest's url): "
	  "applied-unknown, applied-modified, dirty" },
	{ "against", 0, true, 4, "REF", "also check what merging git REF would bring (e.g. origin/main)" },
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

static const cli_option run_options[] = {
	{ "dry-run", 0, false, 1, NULL, "print the plan, change nothing" },
	{ "sql", 0, false, 2, NULL, "print the SQL as a psql script instead of running it" },
	{ "single-transaction", 0, false, 3, NULL, "run every migration in one transaction" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option down_options[] = {
	{ "dry-run", 0, false, 1, NULL, "print the plan, change nothing" },
	{ "sql", 0, false, 2, NULL, "print the SQL as a psql script instead of running it" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option status_options[] = {
	{ "exit-code", 0, false, 1, NULL, "exit 4 when migrations are pending" },
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
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option merge_options[] = {
	{ "message", 'm', true, 1, "DESC", "a description for the merge" },
	{ NULL, 0, false, 0, NULL, NULL },
};

static const cli_option fix_options[] = {
	{ "dry-run", 0, false, 1, NULL, "print the plan, change nothing" },
	{ "yes", 'y', false, 2, NULL, "do not ask (needed when not on a terminal)" },
	{ "linearize", 0, false, 3, NULL, "chain several heads into one line instead of a merge" },
	{ "against", 0, true, 4, "REF", "also count the numbers taken at git REF (e.g. origin/main)" },
	{ "database", 0, false, 5, NULL,
	  "also rename the applied rows in the version table (-d URL, the environment or "
	  "the manifest's url)" },
	{ NULL, 0, false, 0, NULL, NULL },
};

#define TARGETS "Targets: head, heads, base, REV (or a unique prefix), LABEL@head,\n" \
	"+N, -N, REV+N, REV-N."

const cli_command cli_commands[] = {
	{ "init", cmd_init, "write a starter varve.yaml and the migrations folder",
	  "[--directory DIR]", "An existing manifest is never overwritten.", init_options },
	{ "new", cmd_new, "create a migration's SQL file and append its entry",
	  "-m DESC [--timestamp|--sequential] [--no-transaction]",
	  "The entry is a child of the single head. The revision is a UTC timestamp\n"
	  "or the next number, as the manifest's 'naming' says (default timestamp).\n"
	  "Only the new entry's lines change in the manifest.", new_options },
	{ "merge", cmd_merge, "join the heads with an empty merge migration", "[-m DESC]",
	  "The new entry's down_revision lists every head; it has no SQL.",
	  merge_options },
	{ "hash", cmd_hash, "write or refresh every entry's checksum in the manifest", "",
	  "The checksum covers the upgrade SQL's tokens: comments and white space\n"
	  "do not count. Entries whose checksum is right are not touched.",
	  graph_options },
	{ "fix", cmd_fix, "renumber timestamp migrations in the order git history added them",
	  "[--dry-run] [--yes] [--linearize] [--against REF] [--database]",
	  "Timestamp revisions get the next sequential numbers, in a topological\n"
	  "order in which, among migrations free to go next, the one whose file\n"
	  "entered HEAD's first-parent history first goes first (so on main, merge\n"
	  "order); same commit or not committed: by timestamp. Files are renamed\n"
	  "(in the git index too), the manifest is rewritten in place; all or\n"
	  "nothing. Exit status: 0 done or nothing to do, 1 refused or failed\n"
	  "(nothing changed), 2 usage error or not a terminal without --yes.",
	  fix_options },
	{ "import", cmd_import, "write a manifest for another tool's migrations folder",
	  "--from TOOL [DIR] [-d URL] [--force] [--dry-run] [--table NAME]",
	  "DIR (default: migrations beside the manifest) is read the way TOOL wrote it;\n"
	  "its files are not touched. The manifest goes where -f says. With -d URL,\n"
	  "the versions TOOL's own table records as applied are recorded in varve's\n"
	  "version table too (one transaction, under the lock; no SQL runs; TOOL's\n"
	  "table is only read). Exit status: 0 done, 1 refused (nothing written),\n"
	  "2 usage error or an unreadable folder, 3 the database is unreachable.",
	  cli_import_options },
	{ "check", cmd_check, "validate the manifest, the graph and the SQL offline",
	  "[--strict] [--sequential] [--database] [--against REF] [--format text|json|github]",
	  "With --against REF, the manifest at REF is joined with this one as a\n"
	  "merge would: revisions both sides added and the heads the merge would\n"
	  "leave are reported here, before the merge.\n"
	  "Exit status: 0 no errors, 1 errors were found, 2 usage error (also no\n"
	  "git repository, or a REF that names no commit); 3 with --database when\n"
	  "the database is unreachable.",
	  check_options },
	{ "upgrade", cmd_upgrade, "apply migrations up to a target (default head)",
	  "[TARGET] [--dry-run] [--sql] [--single-transaction]",
	  TARGETS "\n\nEach migration and its record commit together or not at all.\n"
	  "Exit status: 0 done, 1 a migration failed or the target did not resolve,\n"
	  "3 the database is unreachable or another runner holds the lock.",
	  run_options },
	{ "downgrade", cmd_downgrade, "roll back migrations down to a target",
	  "TARGET [--dry-run] [--sql]",
	  TARGETS "\n\ne.g. 'varve downgrade -1' undoes the last applied migration,\n"
	  "'varve downgrade base' all of them.", down_options },
	{ "status", cmd_status, "show every migration: applied, pending or dirty",
	  "[--exit-code] [--format text|json]",
	  "Exit status: 0, 1 when a migration is dirty, 4 with --exit-code when\n"
	  "migrations are pending, 3 when the database is unreachable.", status_options },
	{ "current", cmd_current, "show the applied heads", "[--format text|json]", NULL,
	  graph_options },
	{ "stamp", cmd_stamp, "record the state of a target without running SQL", "TARGET",
	  TARGETS, graph_options },
	{ "resolve", cmd_resolve, "clear a dirty migration", "REV --applied|--rolled-back",
	  "After a transaction: false migration failed part way, repair the database\n"
	  "by hand, then say whether its changes are in place.", resolve_options },
	{ "heads", cmd_heads, "list the heads of the manifest's graph", "", NULL, graph_options },
	{ "graph", cmd_graph, "print the migration graph for docs and pull requests",
	  "[--format dot|mermaid]", "The default format is dot.", graph_options },
	{ "history", cmd_history, "list migrations in graph order, newest first",
	  "[--graph] [--applied]",
	  "Without a database this needs none. With --applied, -d URL or --scratch,\n"
	  "each migration is marked applied, dirty or pending, and the applied\n"
	  "heads (current).", history_options },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
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

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name,
				 o->name, o->has_arg ? " " : "",
				 o->has_arg ? o->arg_name : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->has_arg ? " " : "", o->has_arg ? o->arg_name : "");
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

	fprintf(stderr, "varve%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nrun 'varve %s%s--help' for usage\n",
		cmd ? cmd->name : "", cmd ? " " : "");
	return EXIT_USAGE;
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

void cli_parser_init(cli_parser *p, cli_global *g, const cli_command *cmd,
		     int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->g = g;
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
}

static const cli_option *find_long(const cli_option *opts, const char *name,
				   size_t len)
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
		if (errno || end == arg || *end || g->lock_wait < 0) {
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
	case GOPT_QUIET: g->quiet++; break;
	case GOPT_VERBOSE: g->verbose++; break;
	case GOPT_NO_COLOR: g->color_out = g->color_err = false; break;
	case GOPT_HELP: p->help = true; break;
	}
	return true;
}

int cli_next_option(cli_parser *p)
{
	while (p->index < p->argc) {
		char *word = p->argv[p->index++];
		const cli_option *o = NULL, *go;
		const char *value = NULL;
		bool global;

		if (strcmp(word, "--") == 0) {
			while (p->index < p->argc)
				p->argv[p->npos++] = p->argv[p->index++];
			return 0;
		}
		if (word[0] != '-' || word[1] == '\0' ||
		    (word[1] >= '0' && word[1] <= '9')) {
			/* Positional; "-2" is a target, not an option. */
			p->argv[p->npos++] = word;
			continue;
		}
		if (word[1] == '-') {
			const char *name = word + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			global = false;
			if (!(o = find_long(p->cmd ? p->cmd->options : NULL, name, len))) {
				o = find_long(global_options, name, len);
				global = o != NULL;
			}
			if (!o) {
				cli_usage_error(p->cmd, "unknown option '--%.*s'", (int)len, name);
				return -1;
			}
			if (eq && !o->has_arg && !global &&
			    (go = find_long(global_options, name, len)) && go->has_arg) {
				/* `check --database=URL`: the flag and the global. */
				if (!apply_global(p, go->id, eq + 1))
					return -1;
				return o->id;
			}
			if (eq) {
				if (!o->has_arg) {
					cli_usage_error(p->cmd, "option '--%s' takes no value", o->name);
					return -1;
				}
				value = eq + 1;
			}
		} else {
			if (word[2] != '\0') {
				cli_usage_error(p->cmd, "unknown option '%s'", word);
				return -1;
			}
			global = false;
			if (!(o = find_short(p->cmd ? p->cmd->options : NULL, word[1]))) {
				o = find_short(global_options, word[1]);
				global = o != NULL;
			}
			if (!o) {
				cli_usage_error(p->cmd, "unknown option '%s'", word);
				return -1;
			}
		}
		if (o->has_arg && !value) {
			if (p->index >= p->argc) {
				cli_usage_error(p->cmd, "option '--%s' needs a value", o->name);
				return -1;
			}
			value = p->argv[p->index++];
		}
		p->arg = value;
		if (global) {
			if (!apply_global(p, o->id, value))
				return -1;
			continue;
		}
		return o->id;
	}
	return 0;
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
	int i;

	memset(&g, 0, sizeof(g));
	g.manifest = "varve.yaml";
	g.lock_wait = 60;
	g.color_out = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	g.color_err = isatty(STDERR_FILENO) && !getenv("NO_COLOR");

	/* Global options may come before the command; the command's parser
	 * takes the ones after it. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--version") == 0) {
			printf("varve %s\n", VARVE_VERSION);
			return EXIT_OK;
		}
		if (a[0] != '-')
			break;
		{
			cli_parser p;
			int id;

			/* Parse exactly one global option (and its value). */
			int n = 1;
			const cli_option *o = NULL;

			if (a[1] == '-') {
				const char *eq = strchr(a + 2, '=');

				o = find_long(global_options, a + 2,
					      eq ? (size_t)(eq - a - 2) : strlen(a + 2));
				if (o && o->has_arg && !eq)
					n = 2;
			} else if (a[1] && !a[2]) {
				o = find_short(global_options, a[1]);
				if (o && o->has_arg)
					n = 2;
			}
			if (!o)
				return cli_usage_error(NULL, "unknown option '%s'", a);
			if (i + n > argc)
				return cli_usage_error(NULL, "option '--%s' needs a value", o->name);
			cli_parser_init(&p, &g, NULL, n, argv + i);
			id = cli_next_option(&p);
			if (id < 0)
				return EXIT_USAGE;
			if (p.help) {
				print_main_help(stdout);
				return EXIT_OK;
			}
			i += n - 1;
		}
	}
	if (i >= argc) {
		print_main_help(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc && (cmd = cli_find_command(argv[i + 1]))) {
			cli_print_help(cmd, stdout);
			return EXIT_OK;
		}
		print_main_help(stdout);
		return EXIT_OK;
	}
	if (!(cmd = cli_find_command(argv[i])))
		return cli_usage_error(NULL, "unknown command '%s'", argv[i]);
	for (int j = i + 1; j < argc; j++)
		if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
			cli_print_help(cmd, stdout);
			return EXIT_OK;
		}
	return cmd->run(&g, argc - i - 1, argv + i + 1);
}
