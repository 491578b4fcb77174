/*
 * The command-line program: argument parsing and output only. Everything
 * else is libvarve, through varve.h.
 */
#ifndef VARVE_CLI_H
#define VARVE_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

/* Every JSON document varve prints: indented, keys in order, and reals
 * with 9 significant digits (a duration of 8.039 ms, not 8.0389999999999997). */
#define CLI_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9))

#include "varve.h"

/* Exit status (SPEC §6). */
enum {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1, /* check errors, unresolved target, failed migration */
	EXIT_USAGE = 2,
	EXIT_DATABASE = 3,
	EXIT_PENDING = 4,
};

/*
 * The version of the JSON documents varve prints ({"varve": 1, "command":
 * NAME, ...}; check's array names it in its schema's $id): docs/json.md.
 */
#define VARVE_JSON_FORMAT 1

typedef enum {
	FORMAT_DEFAULT = 0, /* the command's own default */
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_GITHUB,
	FORMAT_DOT,
	FORMAT_MERMAID,
} cli_format;

/* The formats a command supports, as a set: FMT(FORMAT_JSON) | ... */
#define FMT(f) (1u << (f))

typedef enum {
	COLOR_AUTO = 0, /* a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR */
	COLOR_ALWAYS,
	COLOR_NEVER,
} cli_color;

/* The global options of SPEC §6. */
typedef struct cli_global {
	const char *manifest;
	const char *database;
	bool scratch;
	double lock_wait;
	cli_format format;
	int quiet;
	int verbose;
	cli_color color_mode; /* --color, --no-color */
	bool color_out; /* colour on stdout (decided once the options are read) */
	bool color_err; /* colour on stderr */
} cli_global;

/*
 * One option of a command. `id` is returned by cli_next_option; options
 * with has_arg take the next word or `--name=value`.
 */
typedef struct cli_option {
	const char *name; /* long name without dashes */
	char short_name;  /* 0 when none */
	bool has_arg;
	int id;
	const char *arg_name; /* for help, e.g. "REF" */
	const char *help;
} cli_option;

typedef struct cli_command {
	const char *name;
	int (*run)(cli_global *g, int argc, char **argv);
	const char *summary;
	const char *usage;  /* after "varve NAME " */
	const char *detail; /* printed under the usage by --help, may be NULL */
	const cli_option *options; /* terminated by a zeroed entry, may be NULL */
	unsigned formats; /* the --format values it takes, FMT(...); 0: none */
} cli_command;

/*
 * Walk a command's arguments with glibc's getopt_long: returns the id of
 * the next option (filling `arg` for options with an argument), 0 at the
 * end, or -1 after printing a usage error. Short options bundle (-qv,
 * -fFILE); long ones take `--name value` or `--name=value` and may be
 * abbreviated while unambiguous. Positional arguments are collected into
 * argv[0..npos); a word like "-2" is one (a target). Global options are
 * handled here too, and at the end the command's --format is checked and
 * colour decided. --help prints the command's help and exits 0.
 */
typedef struct cli_parser {
	cli_global *g;
	const cli_command *cmd;
	int argc;
	char **argv;
	int npos;
	const char *arg;
	bool help;
	bool version;         /* --version (before a command only) */
	bool stop_at_command; /* the options before the command: stop at it */
	int next;             /* then: argv's index of the command */
	/* getopt_long's tables and state */
	struct option *longs;
	const struct cli_option **which; /* the cli_option of each entry of longs */
	bool *global;                    /* ... and whether it is a global one */
	char **orig;                     /* the words as given ("-2", not "2") */
	char shorts[96];
	int status; /* once done: 0 or -1 */
	bool started, done;
} cli_parser;

void cli_parser_init(cli_parser *p, cli_global *g, const cli_command *cmd,
		     int argc, char **argv);
int cli_next_option(cli_parser *p);
void cli_print_help(const cli_command *cmd, FILE *out);
/* A usage error: "varve NAME: message", then a hint; returns EXIT_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Parse a command whose options are all flags: each option's id sets bit
 * (1 << id) of *flags. Returns the number of positional arguments (at most
 * `max_positional`, left in argv[0..]), or -1 after a usage error.
 */
int cli_parse_flags(cli_global *g, const char *name, int argc, char **argv,
		    int *flags, int max_positional);
/* Parse a non-negative integer; false when not one. */
bool cli_parse_count(const char *s, long *out);
/*
 * `s` as it may be echoed: any password in it masked (varve_text_redact),
 * control characters as spaces. Lives until a few more calls.
 */
const char *shown_arg(const char *s);
/* `s` with any password masked (varve_text_redact), for JSON. Lives until a
 * few more calls. */
const char *redacted(const char *s);

/* output.c */
void out_diagnostics(const cli_global *g, const varve_diag_list *diags);
/* One finding as a GitHub workflow annotation on stdout. */
void out_github(const varve_diag *d);
/* One finding as a JSON object (message and file redacted). */
json_t *out_diag_json(const varve_diag *d);
/* One finding as text on stderr. */
void out_diagnostic(const cli_global *g, const varve_diag *d);
/* The line under diagnostics: "2 errors, 1 warning" (stderr, text only). */
void out_diag_summary(const cli_global *g, const varve_diag_list *diags,
		      const char *ok_message);
/* A failure of the library: "varve: error: <varve_error_last()>". */
void out_error(const cli_global *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A JSON document of a command: {"varve": 1, "command": command}. */
json_t *out_document(const char *command);
/* Print `doc` on stdout and release it. */
void out_json(json_t *doc);
/* Columns `s` takes on a terminal (wcwidth); 0 for NULL. */
int display_width(const char *s);
/*
 * Print `s` in at most `width` columns (cut with "…"; width < 0: no
 * limit), padded with spaces to `width` when `pad`.
 */
void print_fit(FILE *out, const char *s, int width, bool pad);
/* The width of the terminal `out` is, or 0 when it is not one. */
int terminal_columns(FILE *out);
/* The last message out_error printed (redacted), or "". */
const char *out_last_error(void);
/* Map a library status to an exit code. */
int exit_for_status(int status);
const char *color(const cli_global *g, bool err, const char *code);
/*
 * `s` fit for a terminal or a CI log: control characters (line breaks,
 * escape sequences) become spaces, so that text from a manifest cannot
 * forge lines or workflow commands. `s` itself when it has none, else a
 * copy that lives until a few more calls. NULL stays NULL.
 */
const char *printable(const char *s);

/* session.c: the manifest, its graph and the database of a command. */
typedef struct cli_session {
	varve_manifest *manifest;
	varve_graph *graph;
	varve_scratch *scratch;
	varve_db *db;
	const char **applied_revs;
} cli_session;

/*
 * Load the manifest and graph (printing what makes them unusable) and,
 * with need_db, connect. Returns an exit code; EXIT_OK on success.
 */
int load_graph(cli_global *g, varve_manifest **m, varve_graph **graph);
int session_open(cli_global *g, cli_session *s, bool need_db);
void session_close(cli_session *s);
/* Take the runners' lock (varve_db_lock), saying so with -v. */
int session_lock(cli_global *g, cli_session *s);
/*
 * The applied row of each graph node, or NULL (a malloc'd array the caller
 * frees); *unknown counts the rows the graph lacks.
 */
const varve_applied **session_rows_by_node(cli_session *s, size_t *unknown);
/* The applied revisions in application order, for varve_target_resolve. */
const char *const *session_applied(cli_session *s, size_t *count);

/* cmd_run.c: "12 ms", "1.5 s", "2m03s". */
void print_duration(FILE *out, double ms);
/* A failed migration as JSON (docs/json.md), passwords masked. */

/*
 * cmd_fleet.c: upgrade, downgrade or status over every target of the
 * fleet file `path` (docs/fleet.md). `only` selects targets: "failed"
 * (those not at the goal, read first) or labels separated by commas.
 * Returns the exit code.
 */
typedef struct cli_fleet_request {
	const char *path;
	varve_fleet_action action;
	varve_direction direction;
	const char *target;
	const char *only;
	unsigned concurrency; /* 0: the fleet file's */
	bool exit_code;       /* status: 4 when work is pending */
	/* check: the offline findings, printed once before the targets'
	 * (and no target is read when they hold an error). */
	varve_diag_list *offline;
} cli_fleet_request;
int cli_fleet(cli_global *g, const cli_fleet_request *req);
/* --concurrency N: 1 to 1024; false after a usage error. */
bool cli_parse_concurrency(const cli_command *self, const char *arg, unsigned *out);

/* The commands, one file each. */
int cmd_check(cli_global *g, int argc, char **argv);
int cmd_heads(cli_global *g, int argc, char **argv);
int cmd_graph(cli_global *g, int argc, char **argv);
int cmd_history(cli_global *g, int argc, char **argv);
int cmd_upgrade(cli_global *g, int argc, char **argv);
int cmd_downgrade(cli_global *g, int argc, char **argv);
int cmd_status(cli_global *g, int argc, char **argv);
int cmd_current(cli_global *g, int argc, char **argv);
int cmd_stamp(cli_global *g, int argc, char **argv);
int cmd_resolve(cli_global *g, int argc, char **argv);
int cmd_init(cli_global *g, int argc, char **argv);
int cmd_new(cli_global *g, int argc, char **argv);
int cmd_merge(cli_global *g, int argc, char **argv);
int cmd_hash(cli_global *g, int argc, char **argv);
int cmd_fix(cli_global *g, int argc, char **argv);
int cmd_import(cli_global *g, int argc, char **argv);
int cmd_redo(cli_global *g, int argc, char **argv);
int cmd_test(cli_global *g, int argc, char **argv);
/* cmd_run.c: a failed migration on stderr (file:line:col: error: ...), and as JSON. */
void cli_print_failure(cli_global *g, const varve_failure *f);
json_t *cli_failure_json(const varve_failure *f);
int cmd_wait(cli_global *g, int argc, char **argv);
/* A duration: seconds, or a number with ms, s, m, min or h (cmd_wait.c). */
bool cli_parse_duration(const char *s, double *out);
extern const cli_option cli_import_options[];
int cmd_schema(cli_global *g, int argc, char **argv);
extern const cli_option cli_schema_options[];

extern const cli_command cli_commands[];
const cli_command *cli_find_command(const char *name);

#endif
