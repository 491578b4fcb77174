/*
 * The command-line program: argument parsing and output only. Everything
 * else is libvarve, through varve.h.
 */
#ifndef VARVE_CLI_H
#define VARVE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "varve.h"

/* Exit status (SPEC §6). */
enum {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1, /* check errors, unresolved target, failed migration */
	EXIT_USAGE = 2,
	EXIT_DATABASE = 3,
	EXIT_PENDING = 4,
};

typedef enum {
	FORMAT_DEFAULT = 0, /* the command's own default */
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_GITHUB,
	FORMAT_DOT,
	FORMAT_MERMAID,
} cli_format;

/* The global options of SPEC §6. */
typedef struct cli_global {
	const char *manifest;
	const char *database;
	bool scratch;
	double lock_wait;
	cli_format format;
	int quiet;
	int verbose;
	bool color_out; /* colour on stdout */
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
} cli_command;

/*
 * Walk a command's arguments: returns the id of the next option (filling
 * *arg for options with an argument), 0 at the end, or -1 after printing a
 * usage error. Positional arguments are collected into argv[0..*npos).
 * Global options are handled here too.
 */
typedef struct cli_parser {
	cli_global *g;
	const cli_command *cmd;
	int argc;
	char **argv;
	int index;
	int npos;
	const char *arg;
	bool help;
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

/* output.c */
void out_diagnostics(const cli_global *g, const varve_diag_list *diags);
/* One finding as text on stderr. */
void out_diagnostic(const cli_global *g, const varve_diag *d);
/* The line under diagnostics: "2 errors, 1 warning" (stderr, text only). */
void out_diag_summary(const cli_global *g, const varve_diag_list *diags,
		      const char *ok_message);
/* A failure of the library: "varve: error: <varve_error_last()>". */
void out_error(const cli_global *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
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
/*
 * The applied row of each graph node, or NULL (a malloc'd array the caller
 * frees); *unknown counts the rows the graph lacks.
 */
const varve_applied **session_rows_by_node(cli_session *s, size_t *unknown);
/* The applied revisions in application order, for varve_target_resolve. */
const char *const *session_applied(cli_session *s, size_t *count);

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
extern const cli_option cli_import_options[];

extern const cli_command cli_commands[];
const cli_command *cli_find_command(const char *name);

#endif
