/*
 * varve.h - the public API of libvarve.
 *
 * Conventions (as in libgit2):
 * - Handles are opaque. A `**out` parameter belongs to the caller, who frees
 *   it with the matching varve_<type>_free(); every _free accepts NULL.
 *   A pointer returned directly is borrowed from its parent handle.
 * - Functions return an int: 0 (VARVE_OK) on success, a negative VARVE_E*
 *   code on failure, with a one-line message read with varve_error_last().
 * - Validation findings are values (varve_diag), collected in a
 *   varve_diag_list that the caller owns. A function that validates returns
 *   0 even when it found errors; the caller asks the list.
 * - The library never prints and never exits.
 *
 * What the behaviour is (the manifest, check codes, targets, the database)
 * is documented in the repository's docs/ (docs/README.md); the sections
 * below name the page.
 */
#ifndef VARVE_H
#define VARVE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every function declared here is exported from the shared library, and
 * nothing else: the library is compiled with -fvisibility=hidden, so its
 * internal helpers (varve_buf_*, varve_<module>__*) stay inside it.
 */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC visibility push(default)
#endif

/*
 * The version of this header. build.zig.zon's `version` is the one source:
 * the build refuses to compile when these differ from it. varve_version()
 * gives the version of the library actually loaded.
 */
#define VARVE_VERSION_MAJOR 0
#define VARVE_VERSION_MINOR 1
#define VARVE_VERSION_PATCH 0
#define VARVE__STR(x) #x
#define VARVE__XSTR(x) VARVE__STR(x)
#define VARVE_VERSION                                                    \
	VARVE__XSTR(VARVE_VERSION_MAJOR) "." VARVE__XSTR(VARVE_VERSION_MINOR) \
	"." VARVE__XSTR(VARVE_VERSION_PATCH)
/* major * 10000 + minor * 100 + patch, for #if comparisons. */
#define VARVE_VERSION_NUMBER                                             \
	(VARVE_VERSION_MAJOR * 10000 + VARVE_VERSION_MINOR * 100 + VARVE_VERSION_PATCH)

/* The version of the loaded library, "MAJOR.MINOR.PATCH". Static. */
const char *varve_version(void);

/* Status codes. */
enum {
	VARVE_OK = 0,
	VARVE_ERROR = -1,      /* generic failure; see varve_error_last() */
	VARVE_ENOMEM = -2,     /* out of memory */
	VARVE_ENOTFOUND = -3,  /* a revision, label or file does not exist */
	VARVE_EAMBIGUOUS = -4, /* a prefix or walk matches several */
	VARVE_EINVALID = -5,   /* input that does not parse or validate */
	VARVE_EIO = -6,        /* reading or writing a file failed */
	VARVE_EUSAGE = -7,     /* a target not valid in this direction */
	VARVE_ECONNECT = -8,   /* cannot connect to, or lost, the database */
	VARVE_ELOCK = -9,      /* another runner holds the lock */
	VARVE_EMIGRATION = -10, /* a migration's SQL failed (see varve_failure) */
	VARVE_EDIRTY = -11,    /* a dirty migration awaits varve resolve */
	VARVE_EINTERRUPTED = -12, /* the run was asked to stop (see `stop`) */
	VARVE_EEXISTS = -13,   /* a file to be created already exists */
	VARVE_ECHANGED = -14,  /* the manifest changed since it was read */
};

/*
 * The message of the last failure in this thread, or "" when none.
 * Borrowed; valid until the next failing call in the thread.
 */
const char *varve_error_last(void);

/*
 * A short description of a status code ("cannot connect to the database"
 * for VARVE_ECONNECT), "unknown error" for a code not listed above. Static.
 */
const char *varve_strerror(int code);

/* ---------------------------------------------------------------------------
 * Diagnostics
 */

typedef enum {
	VARVE_SEVERITY_ERROR = 0,
	VARVE_SEVERITY_WARNING = 1,
} varve_severity;

/*
 * One finding. `file` is the path as the user would open it (relative to the
 * current directory when the manifest path was relative); line and column
 * are 1-based, 0 when unknown; columns count characters (UTF-8 code points),
 * as editors and GitHub do. All strings are owned by the list.
 */
typedef struct varve_diag {
	varve_severity severity;
	const char *code;    /* stable code, e.g. "cycle" */
	const char *message; /* one line, lower-case, no final period */
	const char *file;    /* may be NULL */
	unsigned line;
	unsigned column;
	/* The safe alternative, one line (safety-lint findings), or NULL. */
	const char *hint;
	/* A link to the finding's documentation page, or NULL. */
	const char *docs;
} varve_diag;

typedef struct varve_diag_list varve_diag_list;

/* Create an empty list. Returns VARVE_ENOMEM on failure. */
int varve_diag_list_new(varve_diag_list **out);
void varve_diag_list_free(varve_diag_list *list);
size_t varve_diag_list_count(const varve_diag_list *list);
/* Borrowed; i < count. */
const varve_diag *varve_diag_list_at(const varve_diag_list *list, size_t i);
size_t varve_diag_list_errors(const varve_diag_list *list);
size_t varve_diag_list_warnings(const varve_diag_list *list);
/*
 * Sort by file, line, column (stable for equal positions; findings without
 * a file come first), so output order does not depend on discovery order.
 */
void varve_diag_list_sort(varve_diag_list *list);
/* Turn every warning whose code is `code` into an error. */
void varve_diag_list_promote(varve_diag_list *list, const char *code);

/* ---------------------------------------------------------------------------
 * Manifest
 */

typedef struct varve_manifest varve_manifest;
typedef struct varve_migration varve_migration;

typedef enum {
	VARVE_NAMING_TIMESTAMP = 0,
	VARVE_NAMING_SEQUENTIAL = 1,
} varve_naming;

/*
 * Load and validate the manifest at `path` (the rules of docs/manifest.md:
 * types, keys, aliases, paths). Findings go to `diags`; the SQL files are
 * not read (see varve_check).
 *
 * Returns 0 and sets *out when the YAML parsed into a manifest, even one
 * with findings (entries that failed validation are left out or partly
 * filled); returns VARVE_EIO when the file cannot be opened, and
 * VARVE_EINVALID when nothing usable could be read (a yaml-syntax finding
 * is in `diags`). *out is NULL on failure.
 */
int varve_manifest_load(varve_manifest **out, const char *path,
			varve_diag_list *diags);
void varve_manifest_free(varve_manifest *manifest);

/* The manifest path as given. Borrowed. */
const char *varve_manifest_path(const varve_manifest *manifest);
/* The migrations directory as written (default "migrations"). Borrowed. */
const char *varve_manifest_directory(const varve_manifest *manifest);
/* The version table, "[schema.]table" (default "varve_version"). */
const char *varve_manifest_version_table(const varve_manifest *manifest);
varve_naming varve_manifest_naming(const varve_manifest *manifest);
/* `schema:` the schema snapshot file as written, relative to the manifest's
 * folder (docs/schema.md), or NULL. Borrowed. */
const char *varve_manifest_schema(const varve_manifest *manifest);
/* database.url after ${VAR} expansion, or NULL. Borrowed. */
const char *varve_manifest_database_url(const varve_manifest *manifest);
/* database.server_version: the server's major version (e.g. 17), 0 when unset. */
int varve_manifest_server_version(const varve_manifest *manifest);
/*
 * Before connecting with database.url: when it names a variable that is
 * unset or empty and gives no default, add an "unset-variable" error at
 * the url to `diags` (the expansion left a hole, and libpq would fill it
 * with its defaults). The load does not report it, so an offline `check`
 * needs no database variables. Returns 0, or VARVE_ENOMEM.
 */
int varve_manifest_check_url(const varve_manifest *manifest,
			     varve_diag_list *diags);

size_t varve_manifest_count(const varve_manifest *manifest);
/* The i-th entry in manifest order. Borrowed. */
const varve_migration *varve_manifest_at(const varve_manifest *manifest,
					 size_t i);

const char *varve_migration_revision(const varve_migration *m);
/* The parents (down_revision): 0 for a root, 2+ for a merge. */
size_t varve_migration_parent_count(const varve_migration *m);
const char *varve_migration_parent(const varve_migration *m, size_t i);
const char *varve_migration_description(const varve_migration *m); /* or NULL */
const char *varve_migration_branch(const varve_migration *m);      /* or NULL */
/* The paths as written in the manifest, relative to the directory; or NULL. */
const char *varve_migration_file(const varve_migration *m);
const char *varve_migration_up(const varve_migration *m);
const char *varve_migration_down(const varve_migration *m);
const char *varve_migration_checksum(const varve_migration *m);
bool varve_migration_transaction(const varve_migration *m);
/* The position in manifest order. */
size_t varve_migration_index(const varve_migration *m);
/* Line of the entry in the manifest (1-based). */
unsigned varve_migration_line(const varve_migration *m);

/* ---------------------------------------------------------------------------
 * SQL files
 */

typedef struct varve_sqlfile varve_sqlfile;

typedef enum {
	VARVE_SECTION_UP = 0,
	VARVE_SECTION_DOWN = 1,
} varve_section_kind;

/*
 * Read a migration's SQL from `path` (as the user would open it; `display`
 * is the name used in diagnostics, or NULL for `path`). With `split`, the
 * file holds section markers (a manifest `file`); without, the whole file
 * is one section of kind `kind` (a manifest `up` or `down`).
 * Returns VARVE_EIO when the file cannot be read; marker problems, a NUL
 * byte, bytes that are not UTF-8 and text over the scanner's bounds are
 * findings in `diags` (LF, CRLF and CR line endings read the same).
 */
int varve_sqlfile_read(varve_sqlfile **out, const char *path,
		       const char *display, bool split,
		       varve_section_kind kind, varve_diag_list *diags);
void varve_sqlfile_free(varve_sqlfile *file);

/* Whether the file has the section; a present section may be all comments. */
bool varve_sqlfile_has(const varve_sqlfile *file, varve_section_kind kind);
/* The section's text (NUL-terminated, borrowed) or NULL; its length. */
const char *varve_sqlfile_text(const varve_sqlfile *file,
			       varve_section_kind kind, size_t *len);
/* Line (1-based) of the section's first byte in the file. */
unsigned varve_sqlfile_first_line(const varve_sqlfile *file,
				  varve_section_kind kind);
/*
 * Convert a byte offset within a section to a line and column in the file
 * (1-based; columns count characters, i.e. UTF-8 code points, as editors
 * do). 0 and 0 for an absent section.
 */
void varve_sqlfile_position(const varve_sqlfile *file, varve_section_kind kind,
			    size_t offset, unsigned *line, unsigned *column);

/*
 * The checksum of docs/manifest.md: "sha256:" + hex of SHA-256 over the scanner
 * tokens of `sql` (comments left out), each token's bytes followed by one
 * space. Writes 72 characters and a NUL to `out`.
 * Returns VARVE_EINVALID when the scanner rejects the text.
 */
#define VARVE_CHECKSUM_LEN 71
int varve_checksum(char out[VARVE_CHECKSUM_LEN + 1], const char *sql,
		   size_t len);

/*
 * What varve needs to know about one statement of a section.
 */
typedef struct varve_statement {
	size_t offset; /* byte offset of the statement in the section */
	size_t length;
	bool needs_no_transaction; /* e.g. CREATE INDEX CONCURRENTLY */
	bool transaction_control;  /* BEGIN, COMMIT, ROLLBACK, END, ... */
} varve_statement;

/*
 * Parse a section with libpg_query: on a syntax error, adds an "sql-syntax"
 * finding at the file position and returns VARVE_EINVALID. On success fills
 * *out with a malloc'd array of statements (caller frees with free()) and
 * *count. A section of only comments has 0 statements.
 */
int varve_sqlfile_statements(const varve_sqlfile *file,
			     varve_section_kind kind, varve_statement **out,
			     size_t *count, varve_diag_list *diags);

/* ---------------------------------------------------------------------------
 * Graph
 */

typedef struct varve_graph varve_graph;

/*
 * Build the graph of the manifest's migrations and add the findings of
 * docs/check.md that concern links: duplicate-revision, unknown-down-revision, cycle,
 * multiple-roots, multiple-heads. Always returns a graph unless out of
 * memory; entries in a cycle are left out of the order.
 * The graph borrows the manifest, which must outlive it.
 */
int varve_graph_build(varve_graph **out, const varve_manifest *manifest,
		      varve_diag_list *diags);
void varve_graph_free(varve_graph *graph);

const varve_manifest *varve_graph_manifest(const varve_graph *graph);
/* Number of nodes (unique revisions). */
size_t varve_graph_count(const varve_graph *graph);
/* The node's migration. Borrowed. */
const varve_migration *varve_graph_node(const varve_graph *graph, size_t node);
/* The node of an exact revision, or -1. */
long varve_graph_find(const varve_graph *graph, const char *revision);
/*
 * The deterministic topological order: parents first, ties broken by
 * manifest order. Borrowed array of `*count` node numbers.
 */
const size_t *varve_graph_order(const varve_graph *graph, size_t *count);
/* Nodes without parents / without children, in manifest order. Borrowed. */
const size_t *varve_graph_roots(const varve_graph *graph, size_t *count);
const size_t *varve_graph_heads(const varve_graph *graph, size_t *count);
const size_t *varve_graph_parents(const varve_graph *graph, size_t node,
				  size_t *count);
const size_t *varve_graph_children(const varve_graph *graph, size_t node,
				   size_t *count);
/* Whether `ancestor` is `node` or one of its ancestors. */
bool varve_graph_is_ancestor(const varve_graph *graph, size_t ancestor,
			     size_t node);

/* ---------------------------------------------------------------------------
 * Targets (docs/targets.md)
 */

typedef enum {
	VARVE_UPGRADE = 0,
	VARVE_DOWNGRADE = 1,
} varve_direction;

typedef struct varve_steps varve_steps;

/*
 * Resolve `target` in `direction` against the graph and the applied
 * revisions (`applied`, `applied_count` strings in application order,
 * oldest first), and list the migrations to run: for an upgrade the ones
 * to apply in graph order; for a downgrade the ones to roll back, most
 * recently applied first. An empty list means nothing to do.
 *
 * Targets: `head`, `heads`, `base`; a revision (exact, else the entry that
 * carries a branch label of that name, else a unique prefix);
 * `<label>@head`, `<label>@heads`, `<label>@-N` (the N most recently
 * applied members of the label); `+N` (the next N pending in graph order);
 * `-N` (the N most recently applied); `<sym>+N` / `<sym>-N` (N steps
 * along children / parents from a target naming one node, refused where
 * the path forks or merges; one step below a root is `base`). `+N` or
 * `-N` asking for more than there is fails; N = 0 is nothing to do.
 *
 * Applied revisions the graph lacks are ignored here (check reports them).
 * Returns VARVE_ENOTFOUND, VARVE_EAMBIGUOUS, VARVE_EINVALID (a target that
 * does not parse or walks off the graph) or VARVE_EUSAGE (e.g. `base` for
 * an upgrade), with the reason in varve_error_last().
 */
int varve_target_resolve(varve_steps **out, const varve_graph *graph,
			 const char *target, varve_direction direction,
			 const char *const *applied, size_t applied_count);
void varve_steps_free(varve_steps *steps);
size_t varve_steps_count(const varve_steps *steps);
/* The i-th node to run. */
size_t varve_steps_at(const varve_steps *steps, size_t i);

/*
 * Resolve `target` to the set of nodes it names (the heads of the state it
 * describes) without planning: `head`, `heads`, a revision or prefix,
 * `label@head`, `rev+N`, `rev-N`. `base` gives an empty set. Relative forms
 * without a revision (`+N`, `-N`) need applied state and are refused with
 * VARVE_EUSAGE. *out is a malloc'd array the caller frees with free().
 */
int varve_target_nodes(size_t **out, size_t *count, const varve_graph *graph,
		       const char *target);

/* ---------------------------------------------------------------------------
 * Check (docs/check.md, the offline part)
 */

typedef struct varve_check_options {
	bool strict;     /* missing-downgrade, unlisted-file become errors */
	bool sequential; /* timestamp-revision becomes an error */
	const char *against; /* a git REF: also varve_check_against, or NULL */
	/* The server's major version (e.g. 17), or 0 for the manifest's
	 * database.server_version. Newer than varve_parser_major(), SQL the
	 * parser rejects is a parser-too-old warning, not sql-syntax. */
	int server_version;
	/* Leave out the safety lint (check --no-lint). */
	bool no_lint;
} varve_check_options;

#define VARVE_CHECK_OPTIONS_INIT { false, false, NULL, 0, false }

/*
 * The PostgreSQL release whose grammar varve's SQL parser (libpg_query)
 * knows, e.g. "15.1", and its major version (15). Static strings.
 */
const char *varve_parser_version(void);
int varve_parser_major(void);

/*
 * Run every offline check on the manifest at `path`: the manifest schema,
 * the graph, the files and their SQL; with options->against, also
 * varve_check_against. Findings go to `diags`, sorted.
 * Returns 0 when the checks ran (whatever they found), VARVE_EIO when the
 * manifest cannot be opened, or an error of varve_check_against.
 */
int varve_check(const char *path, const varve_check_options *options,
		varve_diag_list *diags);

/*
 * What merging the git revision `ref` (a branch, origin/main, an id) into
 * HEAD would do to the manifest at `path` (docs/check.md, --against): the
 * manifest at the same place in REF's tree and at the merge base of HEAD
 * and REF are read from the repository that holds `path`, and the entries
 * REF added since the merge base are joined with this manifest's, as the
 * merge would. Adds `duplicate-revision` for a revision both sides added
 * with different content, and `multiple-heads` when the joined graph
 * would have several heads and REF brings one of them (the message names
 * REF's heads "(from REF)"). Findings are positioned in this manifest.
 * A REF without a manifest there adds nothing; so does a manifest here
 * that does not load (varve_check reports why).
 *
 * Returns 0 when the join was checked, VARVE_EUSAGE when `path` is not in
 * a git working tree or `ref` names no commit, VARVE_EIO when the
 * manifest cannot be opened, VARVE_ERROR when git fails.
 */
int varve_check_against(const char *path, const char *ref,
			varve_diag_list *diags);

/* ---------------------------------------------------------------------------
 * Connections (docs/database.md)
 */

/* libpq's connection handle; the same typedef as in libpq-fe.h. */
typedef struct pg_conn PGconn;

/*
 * The connection string to use: `flag` (--database), then
 * $VARVE_DATABASE_URL, then $DATABASE_URL, then `manifest_url` (either may
 * be NULL); empty values are skipped. When all are missing *out is "", so
 * libpq's PG* variables apply. A bare name (no '=', no "://") is a
 * database name: "dbname='<name>'". SQLAlchemy's postgresql+DRIVER://
 * becomes postgresql://. *out is malloc'd; the caller frees it.
 * Returns VARVE_ENOMEM on failure.
 */
int varve_conninfo_resolve(char **out, const char *flag, const char *manifest_url);

/*
 * A copy of `conninfo` fit for display: the password of a URI of any
 * scheme (postgres://user:***@host/db, ?password=***), of a key=value
 * string (password=***) or of anything holding a user:password@
 * (postgresql:/u:***@host/db, u:***@host) is masked, and so is any other
 * field whose value equals the password; anything else is returned
 * unchanged. The result is malloc'd (the caller frees it), NULL when out
 * of memory.
 */
char *varve_conninfo_redact(const char *conninfo);

/*
 * A copy of free text (a message, an argument echoed in a usage error) with
 * whatever looks like a credential masked: each word (between white space
 * and quotes) as varve_conninfo_redact masks it, and the value after any
 * "password=". Malloc'd (the caller frees it), NULL when out of memory.
 */
char *varve_text_redact(const char *text);

/*
 * Connect with `conninfo` (a URI or key=value string; "" for libpq's
 * defaults; SQLAlchemy's postgresql+DRIVER:// loses its driver) as
 * application_name 'varve' unless the string sets one, with
 * connect_timeout=10 unless the string or PGCONNECT_TIMEOUT sets one, then
 * set client_connection_check_interval to 1s (so the server notices a dead
 * runner) and client_min_messages to warning. *out belongs to the caller
 * (PQfinish). Returns VARVE_ECONNECT with libpq's reason on one line, any
 * password masked, or VARVE_EINVALID when the string does not parse.
 */
int varve_pg_connect(PGconn **out, const char *conninfo);

/*
 * `varve wait`: wait up to `timeout` seconds until the server of
 * `conninfo` accepts connections. It is polled as pg_isready polls
 * (PQping, with a pause growing from 50 ms to 1 s); a server that is
 * starting up, shutting down or recovering counts as not yet, like no
 * server. Once it answers, one real connection (varve_pg_connect) says
 * whether it lets varve in. Returns 0; VARVE_ECONNECT when the time ran
 * out (the message says what the last attempt saw) or the real connection
 * was refused (a password, a database that does not exist); VARVE_EINVALID
 * for a string that does not parse; VARVE_EINTERRUPTED when `stop` (may be
 * NULL) was set between attempts. *waited (may be NULL) is the time spent,
 * in seconds.
 */
int varve_pg_wait(const char *conninfo, double timeout, volatile sig_atomic_t *stop,
		  double *waited);

/* ---------------------------------------------------------------------------
 * Scratch PostgreSQL (--scratch, docs/commands.md)
 */

typedef struct varve_scratch varve_scratch;

/*
 * Start a private PostgreSQL server: initdb in a new temporary folder
 * (mode 0700), listening only on a unix socket in that folder, fsync off;
 * as root the server runs as the `postgres` user. `bindir` holds initdb and
 * postgres; NULL finds them with pg_config --bindir, then PATH, then the
 * newest /usr/lib/postgresql/N/bin. Waits until the server accepts
 * connections (at most 60 s). A guardian process stops the server and
 * deletes the folder when the handle is freed or this process dies, even by
 * SIGKILL. Returns VARVE_ENOTFOUND without server binaries, VARVE_ERROR
 * when the server does not start (the message ends with its log).
 */
int varve_scratch_start(varve_scratch **out, const char *bindir);

/*
 * The libpq connection string of the server:
 * "host=<folder> port=<port> dbname=postgres user=<superuser>". Borrowed.
 */
const char *varve_scratch_conninfo(const varve_scratch *s);

/*
 * Stop the server (fast shutdown), delete its folder and wait until both
 * are done. Accepts NULL. Connections must be closed first, or the
 * shutdown ends them.
 */
void varve_scratch_free(varve_scratch *s);

/* ---------------------------------------------------------------------------
 * Schema capture, comparison and snapshot (docs/schema.md)
 *
 * A capture is a canonical, sorted description of every object in the
 * database's non-system schemas, read from pg_catalog through libpq (no
 * pg_dump): schemas, extensions, types (enum, composite, domain, range),
 * sequences, tables and their columns, constraints, indexes, triggers,
 * rules and policies, views and materialized views, functions and
 * procedures, grants and comments. Each object has a kind ("table",
 * "column", ...), a qualified name and a definition (SQL text, as
 * PostgreSQL's pg_get_*def functions print it, with every name qualified).
 * OIDs never appear; names PostgreSQL generates (t_a_idx / t_a_idx1,
 * t_a_fkey, the sequence of a serial column) are matched by what they
 * define, not by name (docs/schema.md says the rule). Owners are left
 * out unless asked for.
 */

typedef struct varve_schema varve_schema;

typedef struct varve_schema_options {
	/*
	 * A table left out of the capture with everything that belongs to it
	 * (columns, indexes, constraints, triggers, its sequences, grants,
	 * comments): the version table, which every up and down changes.
	 * The name as SQL writes it ("varve_version", "meta"."versions";
	 * varve_db_table() gives it), resolved with the session's search_path;
	 * a name that resolves to nothing leaves nothing out. NULL: none.
	 */
	const char *exclude_table;
	/* Also capture owners (ALTER ... OWNER TO). Off by default: owners
	 * differ between machines. */
	bool owners;
} varve_schema_options;

#define VARVE_SCHEMA_OPTIONS_INIT { NULL, false }

/*
 * Capture the schema of the database `conn` is connected to, in one
 * read-only snapshot (a REPEATABLE READ transaction of its own; inside
 * the caller's open transaction, a savepoint that is rolled back, so the
 * caller's session settings are untouched). `options` may be NULL.
 * Returns VARVE_ECONNECT when the connection is gone, VARVE_ERROR when a
 * catalog query fails (the server's message in varve_error_last()),
 * VARVE_ENOMEM. *out is freed with varve_schema_free.
 */
int varve_schema_capture(varve_schema **out, PGconn *conn,
			 const varve_schema_options *options);
void varve_schema_free(varve_schema *schema);

/* The number of objects captured. */
size_t varve_schema_count(const varve_schema *schema);

/*
 * The i-th object (i < count), kind by kind in the dump's order (tables
 * by name, each followed by its columns in their order): its
 * kind and name as varve_schema_difference has them, and its definition
 * (the SQL of the dump; a table's without its columns, "(...)"). Strings
 * are borrowed from the capture.
 */
void varve_schema_at(const varve_schema *schema, size_t i, const char **kind,
		     const char **name, const char **definition);

/* Whether two captures describe the same schema (no differences). */
bool varve_schema_equal(const varve_schema *a, const varve_schema *b);

typedef enum {
	VARVE_SCHEMA_ADDED = 0,   /* only in b */
	VARVE_SCHEMA_REMOVED = 1, /* only in a */
	VARVE_SCHEMA_CHANGED = 2, /* in both, defined differently */
} varve_schema_change;

/* One difference between two captures. Strings are owned by the list. */
typedef struct varve_schema_difference {
	varve_schema_change change;
	/* "schema", "extension", "type", "sequence", "table", "column",
	 * "constraint", "index", "trigger", "rule", "policy", "view",
	 * "materialized view", "function", "procedure", "aggregate",
	 * "grant", "comment", "owner" */
	const char *kind;
	/* Qualified, as SQL writes it: "public.users", "public.users.email"
	 * (a column), "public.users_email_idx" (an index), "users_pkey on
	 * public.users" (a constraint, trigger, rule or policy),
	 * "public.f(integer, text)" (a function), "SELECT on table
	 * public.users to reader" (a grant), "column public.users.email" (a
	 * comment's object). */
	const char *name;
	/* The definitions: NULL in `before` when added, in `after` when
	 * removed. For a column "email text NOT NULL DEFAULT ''"; for most
	 * other objects the statement that creates it. */
	const char *before;
	const char *after;
} varve_schema_difference;

typedef struct varve_schema_diff_list varve_schema_diff_list;

/*
 * What differs from `a` (before) to `b` (after), ordered by kind (in the
 * order of the SQL dump) and name. An empty list means the schemas are
 * equal. The objects of an added or removed table (or type, view, ...)
 * are not listed again: "table public.t added" says it. The list does not
 * borrow `a` or `b`. Returns VARVE_ENOMEM.
 */
int varve_schema_diff(varve_schema_diff_list **out, const varve_schema *a,
		      const varve_schema *b);
void varve_schema_diff_list_free(varve_schema_diff_list *list);
size_t varve_schema_diff_list_count(const varve_schema_diff_list *list);
/* Borrowed; i < count. */
const varve_schema_difference *
varve_schema_diff_list_at(const varve_schema_diff_list *list, size_t i);

/*
 * The list as readable text, one difference per line (and the before /
 * after definitions indented below a change; for a definition of several
 * lines, a function's, the lines that differ as a unified diff's hunks):
 *   index public.users_email_idx: added
 *       CREATE INDEX users_email_idx ON public.users USING btree (email)
 *   column public.users.email: changed
 *     - email text
 *     + email character varying(200)
 * "" for an empty list. *out is malloc'd; the caller frees it.
 */
int varve_schema_diff_text(char **out, const varve_schema_diff_list *list);

/*
 * The capture as readable SQL DDL in a stable order (schemas, extensions,
 * types, sequences, functions, tables, constraints, indexes, views,
 * triggers, policies, grants, comments), which psql applies to an empty
 * database (with the same roles) to give an equal capture. *out is
 * malloc'd; the caller frees it.
 */
int varve_schema_sql(char **out, const varve_schema *schema);

/* Why a migration failed (see "Running migrations" below). */
typedef struct varve_failure varve_failure;

/*
 * The schema the manifest's migrations produce: start a scratch server
 * (varve_scratch_start), upgrade its database to every head, and capture
 * it, the version table left out (options->exclude_table is ignored).
 * Returns varve_scratch_start's, varve_migrate's (a failed migration:
 * VARVE_EMIGRATION with *failure set, when `failure` is not NULL) and
 * varve_schema_capture's errors.
 */
int varve_schema_head(varve_schema **out, const varve_graph *graph,
		      const varve_schema_options *options, varve_failure **failure);

/*
 * `check --schema` (docs/schema.md): build the schema of the manifest at
 * `path` on a scratch server (varve_schema_head), apply the manifest's
 * `schema:` snapshot file to a second database of that server, and
 * compare the captures. A snapshot that is missing, does not apply, or
 * captures differently is a "schema-drift" error in `diags` (at the
 * manifest's `schema:` value, or at the statement of the snapshot that
 * failed); then *diff is a unified diff from the snapshot file to what
 * `varve schema dump` writes for head, else "". Returns 0 when the
 * comparison ran (whatever it found); VARVE_EUSAGE when the manifest has
 * no `schema:` key; a manifest with errors is not built (0, nothing
 * added: varve_check reports them); VARVE_EIO, VARVE_EMIGRATION (with
 * *failure) and the errors of varve_schema_head. *diff is malloc'd.
 */
int varve_check_schema(const char *path, varve_diag_list *diags, char **diff,
		       varve_failure **failure);

/* ---------------------------------------------------------------------------
 * The database: version table, lock, applied state (docs/database.md)
 */

typedef struct varve_db varve_db;

/* One row of the version table. Strings are borrowed from the db. */
typedef struct varve_applied {
	const char *revision;
	const char *description; /* or NULL */
	const char *checksum;    /* or NULL */
	const char *applied_at;  /* ISO 8601, UTC */
	const char *applied_by;
	int64_t duration_ms;
	int64_t seq; /* application order */
	bool dirty;
} varve_applied;

/*
 * Connect (see varve_pg_connect) and read the applied state from
 * `version_table` ("[schema.]table"); a missing table reads as nothing
 * applied and is created by the first change. The table is resolved once
 * to its schema (where it is now, else current_schema()), and every query
 * names it so: a migration's search_path cannot move it. Returns
 * VARVE_ECONNECT, VARVE_EINVALID for a bad table name, VARVE_ERROR for a
 * query failure or a table that lacks varve's columns (named).
 */
int varve_db_open(varve_db **out, const char *conninfo,
		  const char *version_table);
/* Release the lock (if held) and close the connection. Accepts NULL. */
void varve_db_free(varve_db *db);
/* The connection as it may be shown (password masked). Borrowed. */
const char *varve_db_display(const varve_db *db);
/* The version table's quoted name. Borrowed. */
const char *varve_db_table(const varve_db *db);
/* libpq's connection, for callers that need more. Borrowed. */
PGconn *varve_db_conn(varve_db *db);
/*
 * Take the advisory lock that keeps runners apart, polling
 * pg_try_advisory_lock with backoff for up to `wait_seconds` (never a
 * blocking wait, which would deadlock against CREATE INDEX CONCURRENTLY),
 * then re-read the applied state. VARVE_ELOCK names the holder (pid,
 * application, state, age, query) in varve_error_last(). The key is that
 * of the resolved schema and table, however the manifest spells them.
 * Behind a pooler that does not keep a session on one server backend
 * (transaction or statement pooling) it returns VARVE_ECONNECT, saying
 * why, before taking anything. varve_run checks the lock is still held
 * before each migration commits.
 */
int varve_db_lock(varve_db *db, double wait_seconds);
/* How long varve_run, varve_stamp, varve_resolve and varve_reconcile wait
 * for the lock when they take it themselves (default 60 s). */
void varve_db_set_lock_wait(varve_db *db, double seconds);
/* The applied rows in application order. Borrowed until the next change. */
const varve_applied *varve_db_applied(const varve_db *db, size_t *count);

/* The row of `revision`, or NULL when it is not recorded. Borrowed. */
const varve_applied *varve_db_find(const varve_db *db, const char *revision);

/* Where the database stands against the manifest's graph. */
typedef struct varve_status_counts {
	size_t applied; /* recorded and in the manifest */
	size_t pending; /* in the manifest, not recorded */
	size_t dirty;   /* recorded dirty (see varve_resolve) */
	size_t unknown; /* recorded, but no entry defines them */
} varve_status_counts;

int varve_status(varve_db *db, const varve_graph *graph, varve_status_counts *out);

/*
 * The checks of `check --database` (docs/check.md): applied-unknown,
 * applied-modified (the upgrade SQL's checksum differs from the recorded
 * one) and dirty, positioned in the manifest. Findings go to `diags`.
 */
int varve_check_database(varve_db *db, const varve_graph *graph,
			 varve_diag_list *diags);

/* ---------------------------------------------------------------------------
 * Import (docs/import.md): a manifest for another tool's migrations folder, and
 * that tool's applied state recorded in varve's version table
 */

typedef enum {
	VARVE_IMPORT_AUTO = 0, /* recognise the tool from names and markers */
	VARVE_IMPORT_PYCOPG,
	VARVE_IMPORT_SQLSPEC,
	VARVE_IMPORT_MANTICORE,
	VARVE_IMPORT_GOLANG_MIGRATE,
	VARVE_IMPORT_DBMATE,
	VARVE_IMPORT_GOOSE,
	VARVE_IMPORT_FLYWAY,
	VARVE_IMPORT_SQITCH,
} varve_import_tool;

/* The tool of a name ("golang-migrate", "flyway", "auto", ...): 0, or
 * VARVE_EINVALID for a name that is none of them. */
int varve_import_tool_parse(varve_import_tool *out, const char *name);
/* The name of a tool, as varve_import_tool_parse takes it. Static. */
const char *varve_import_tool_name(varve_import_tool tool);

typedef struct varve_import varve_import;

/* One imported migration. Strings are owned by the import. */
typedef struct varve_import_entry {
	const char *revision; /* varve's revision ([A-Za-z0-9_]+) */
	const char *version;  /* the tool's version as the tool writes it */
	const char *const *parents;
	size_t parent_count;
	const char *description; /* or NULL */
	const char *file;        /* relative to the directory, or NULL */
	const char *up;
	const char *down;
	bool transaction;
	const char *note; /* why transaction is false, or NULL */
} varve_import_entry;

/*
 * Read the migrations folder `directory` (as the user would open it) as
 * `tool` wrote it (VARVE_IMPORT_AUTO: recognised from file names and
 * markers) and plan the manifest at `manifest_path`, whose `directory:`
 * will point at the folder relative to the manifest's own. Nothing is
 * written: see varve_import_yaml, varve_import_manifest (in memory) and
 * varve_import_write.
 *
 * Files the tool would skip, or that varve cannot represent (Go and
 * Python migrations, Flyway repeatables, Sqitch verify scripts) are
 * `import-skipped` warnings in `diags`, by name. Duplicate versions,
 * symlinks out of the project, reworked Sqitch changes and the like are
 * errors in `diags`: then VARVE_EINVALID and *out is NULL. VARVE_EIO when
 * the folder cannot be read; VARVE_ENOTFOUND when AUTO recognises nothing.
 */
int varve_import_plan(varve_import **out, const char *manifest_path,
		      const char *directory, varve_import_tool tool,
		      varve_diag_list *diags);
void varve_import_free(varve_import *import);

/* The tool whose conventions were read (never AUTO), and why (for AUTO:
 * what recognised it). Static / borrowed. */
varve_import_tool varve_import_tool_used(const varve_import *import);
const char *varve_import_reason(const varve_import *import);
/* The `directory:` value, relative to the manifest's folder. Borrowed. */
const char *varve_import_directory(const varve_import *import);
/* The entries in the tool's order. Borrowed. */
size_t varve_import_count(const varve_import *import);
const varve_import_entry *varve_import_at(const varve_import *import, size_t i);

/* The manifest's text (NUL-terminated, *len bytes). Borrowed. */
const char *varve_import_yaml(const varve_import *import, size_t *len);

/*
 * The planned manifest as a loaded manifest handle, without writing it
 * (for bindings that keep a project in memory): as varve_manifest_load on
 * the text, its paths resolved against the manifest's folder.
 */
int varve_import_manifest(varve_manifest **out, const varve_import *import,
			  varve_diag_list *diags);

/*
 * Write the manifest (a temporary file, then a rename). Without `force`,
 * VARVE_EEXISTS when the manifest exists (it is not touched).
 * VARVE_EIO.
 */
int varve_import_write(const varve_import *import, bool force);

/* One version the tool's table records as applied (or dirty). */
typedef struct varve_import_applied {
	const char *version;  /* as the tool's table holds it */
	const char *revision; /* the entry's revision, NULL when no file */
	bool dirty;           /* the tool marked it dirty or failed */
	bool recorded;        /* varve_import_record wrote it */
} varve_import_applied;

/*
 * Read the applied state from the tool's version table in `db` (`table`,
 * "[schema.]name", or NULL for the tool's default: pycopg and
 * golang-migrate and dbmate schema_migrations, sqlspec ddl_migrations or
 * sqlspec_version, manticore _migrations, goose goose_db_version, Flyway
 * flyway_schema_history, Sqitch sqitch.changes), in the order the tool
 * applied them. Only reads. VARVE_ENOTFOUND when the table does not
 * exist, VARVE_EINVALID when its columns are not the tool's (missing or
 * extra ones), VARVE_ERROR / VARVE_ECONNECT for the query.
 */
int varve_import_read_applied(varve_import *import, varve_db *db,
			      const char *table);
/* What varve_import_read_applied found. Borrowed. */
size_t varve_import_applied_count(const varve_import *import);
const varve_import_applied *varve_import_applied_at(const varve_import *import,
						    size_t i);
/* The table that was read (quoted). Borrowed; NULL before reading. */
const char *varve_import_applied_table(const varve_import *import);

/*
 * Record the applied versions read by varve_import_read_applied in
 * varve's version table of `db`, in one transaction under varve's lock,
 * in the tool's order; no migration SQL runs and the tool's table is not
 * touched. Dirty ones are recorded `dirty`. Without `force`, refuses
 * (VARVE_EINVALID, nothing written) when an applied version has no file
 * or varve's table already records any migration; with it those
 * versions, and revisions already recorded, are left out.
 */
int varve_import_record(varve_import *import, varve_db *db, bool force);

/* ---------------------------------------------------------------------------
 * Running migrations
 */

typedef enum {
	VARVE_EVENT_START = 0, /* a migration begins */
	VARVE_EVENT_DONE,      /* ... and committed */
	VARVE_EVENT_FAILED,    /* ... and failed (see varve_failure) */
	VARVE_EVENT_RETRY,     /* ... hit lock_timeout; retrying after a pause */
	VARVE_EVENT_RENAMED,   /* an applied revision was renamed (docs/database.md) */
} varve_event_kind;

typedef struct varve_event {
	varve_event_kind kind;
	varve_direction direction;
	const varve_migration *migration;
	double duration_ms; /* DONE, FAILED; the pause for RETRY */
	int attempt;        /* RETRY: 1 for the first retry */
	const char *old_revision; /* RENAMED */
} varve_event;

typedef void (*varve_progress_fn)(const varve_event *event, void *payload);

typedef struct varve_run_options {
	bool single_transaction; /* one transaction around the whole run */
	varve_progress_fn progress;
	void *payload;
	/* When set (by a signal handler, say), no further migration starts;
	 * cancel the one under way with varve_canceller_cancel. */
	volatile sig_atomic_t *stop;
} varve_run_options;

#define VARVE_RUN_OPTIONS_INIT { false, NULL, NULL, NULL }

/*
 * Cancelling the statement under way from a signal handler: the migration's
 * transaction is rolled back by the server and varve_run returns
 * VARVE_EINTERRUPTED. Get the canceller before the run (it is tied to the
 * connection); varve_canceller_cancel is async-signal-safe.
 */
typedef struct varve_canceller varve_canceller;

int varve_db_canceller(varve_canceller **out, varve_db *db);
void varve_canceller_cancel(varve_canceller *canceller);
/*
 * When the server does not answer the cancel (its backend is stopped or
 * hung), close the connection's socket from a signal handler (a timer
 * after the cancel, say): the statement under way then fails as a lost
 * connection, which varve_run reports as VARVE_EINTERRUPTED while `stop`
 * is set. Async-signal-safe.
 */
void varve_canceller_abort(varve_canceller *canceller);
void varve_canceller_free(varve_canceller *canceller);

/*
 * Why a migration failed: the server's error mapped to the migration's
 * file (line and column 0 when the server gave no position). Strings are
 * owned by the failure, freed with varve_failure_free.
 */
typedef struct varve_failure {
	char *revision;
	char *file;
	unsigned line;
	unsigned column;
	char *sqlstate; /* e.g. "42P01"; "" when not from the server */
	char *message;
	char *detail;  /* or NULL */
	char *hint;    /* or NULL */
	char *cleanup; /* SQL that cleans up after a failed non-transactional
			* migration (DROP INDEX CONCURRENTLY ...), or NULL */
	bool dirty;    /* the migration is now recorded dirty */
} varve_failure;

void varve_failure_free(varve_failure *failure);

/*
 * Run `steps` (from varve_target_resolve) in `direction`: each migration's
 * SQL and its version-table write in one transaction (COMMIT only after
 * the SQL succeeded); `transaction: false` migrations statement by
 * statement, recorded dirty when one fails. Takes the lock first unless
 * held. Every file is read first, through the same reading and checks as
 * varve_check(): a migration of `steps` with a check error is refused
 * before anything runs (VARVE_EMIGRATION, *failure holding the finding,
 * with its code in brackets after the message). Returns VARVE_EMIGRATION
 * with *failure set when a migration failed (earlier ones stay applied),
 * VARVE_EDIRTY when a dirty migration
 * blocks the run, VARVE_ECONNECT when the connection was lost, VARVE_ELOCK.
 */
int varve_run(varve_db *db, const varve_graph *graph, const varve_steps *steps,
	      varve_direction direction, const varve_run_options *options,
	      varve_failure **failure);

/*
 * `upgrade TARGET` / `downgrade TARGET` in one call: reconcile renamed
 * rows (varve_reconcile), take the lock (unless held), refuse a dirty
 * migration (VARVE_EDIRTY), resolve `target` against the applied state
 * read under the lock (varve_target_resolve's errors), and run
 * (varve_run's errors and *failure). *count is the number of migrations
 * planned (0: nothing to do). `options`, `count` and `failure` may be NULL.
 */
int varve_migrate(varve_db *db, const varve_graph *graph, const char *target,
		  varve_direction direction, const varve_run_options *options,
		  size_t *count, varve_failure **failure);

/*
 * Rename applied revisions that `varve fix` renumbered (docs/database.md): an
 * applied revision the manifest lacks, whose checksum equals that of
 * exactly one unapplied migration, takes that migration's revision, in one
 * transaction; each rename is reported as a VARVE_EVENT_RENAMED event.
 * Takes the lock when there is something to rename.
 */
int varve_reconcile(varve_db *db, const varve_graph *graph,
		    varve_progress_fn progress, void *payload);

/*
 * Record `steps` as applied (upgrade) or remove them (downgrade) without
 * running SQL: `stamp`.
 */
int varve_stamp(varve_db *db, const varve_graph *graph,
		const varve_steps *steps, varve_direction direction);

/*
 * `stamp TARGET` in one call: under the lock, make the recorded state
 * exactly the target's (record what it has and the database lacks, remove
 * what the database has beyond it; `base` removes everything), running no
 * SQL. *recorded and *removed (either may be NULL) count the rows.
 */
int varve_stamp_target(varve_db *db, const varve_graph *graph, const char *target,
		       size_t *recorded, size_t *removed);

/*
 * Clear a dirty migration: `applied` keeps its row as applied, otherwise
 * the row goes (it counts as rolled back). VARVE_ENOTFOUND when `revision`
 * is not dirty.
 */
int varve_resolve(varve_db *db, const char *revision, bool applied);

/*
 * The SQL that varve_run would send, as a script for
 * `psql -v ON_ERROR_STOP=1`, with the version-table bookkeeping. *out is
 * malloc'd (caller frees). Fails with VARVE_EMIGRATION when a migration
 * of `steps` has a check error (a psql meta-command among them: the script
 * never carries one), as varve_run() refuses it.
 */
int varve_script(char **out, const varve_graph *graph, const varve_steps *steps,
		 varve_direction direction, const char *version_table);

/* ---------------------------------------------------------------------------
 * Redo (docs/commands.md: redo)
 */

/* What a migration's downgrade is. */
typedef enum varve_downgrade_kind {
	VARVE_DOWNGRADE_SQL = 0, /* statements to run */
	VARVE_DOWNGRADE_NOOP,    /* present, only comments: the explicit no-op
				  * that marks a migration irreversible */
	VARVE_DOWNGRADE_MISSING, /* none at all (check's missing-downgrade) */
	VARVE_DOWNGRADE_MERGE,   /* a merge without SQL: bookkeeping only */
} varve_downgrade_kind;

/*
 * Read the downgrade of graph node `node` as the runner would and say what
 * it is. With `file` (may be NULL), *file is the file that holds it, as
 * the user would open it (malloc'd; NULL when there is none), and *line
 * (may be NULL) the line where its section starts. A downgrade whose SQL
 * does not parse counts as SQL (running it says what is wrong).
 * Returns 0 or VARVE_ENOMEM.
 */
int varve_migration_downgrade(varve_downgrade_kind *out, const varve_graph *graph,
			      size_t node, char **file, unsigned *line);

/*
 * Plan `redo [TARGET]` against the applied revisions (in application
 * order): `target` NULL is the most recently applied migration; else the
 * one migration it names (varve_target_nodes), which must be applied.
 * *down rolls back that migration and every applied one that descends
 * from it, most recently applied first; *up applies the same ones again,
 * in graph order. Refuses (VARVE_EINVALID) when one of them has no
 * downgrade or is irreversible (a comment-only downgrade); VARVE_ENOTFOUND
 * when nothing is applied; VARVE_EUSAGE when the target is not applied;
 * varve_target_nodes' errors.
 */
int varve_redo_plan(varve_steps **down, varve_steps **up, const varve_graph *graph,
		    const char *target, const char *const *applied, size_t applied_count);

/*
 * `redo [TARGET]` in one call: under one hold of the lock (taken unless
 * held), plan with the applied state read under it, roll back, apply
 * again, each migration in its own transaction as varve_run runs them.
 * *count (may be NULL) is the number of migrations redone. Errors of
 * varve_redo_plan and varve_run (`failure` may be NULL).
 */
int varve_redo(varve_db *db, const varve_graph *graph, const char *target,
	       const varve_run_options *options, size_t *count, varve_failure **failure);

/* ---------------------------------------------------------------------------
 * Test (docs/commands.md: test): every downgrade undoes its upgrade
 */

typedef enum varve_test_outcome {
	VARVE_TEST_PASSED = 0,   /* up, down (the schema before), up (the same schema) */
	VARVE_TEST_IRREVERSIBLE, /* a comment-only downgrade: applied, not tested */
	VARVE_TEST_NO_DOWNGRADE, /* no downgrade at all: applied, not tested */
	VARVE_TEST_FAILED,       /* see varve_test_problem */
} varve_test_outcome;

typedef enum varve_test_problem {
	VARVE_TEST_OK = 0,
	VARVE_TEST_UPGRADE_FAILED,   /* the upgrade's SQL failed (`failure`) */
	VARVE_TEST_DOWNGRADE_FAILED, /* the downgrade's SQL failed (`failure`) */
	VARVE_TEST_NOT_RESTORED,     /* after the downgrade the schema differs from
				      * the one before the upgrade (`diff`) */
	VARVE_TEST_ROWS_LEFT,        /* with `data`: tables whose row counts the
				      * downgrade did not restore (`detail`) */
	VARVE_TEST_REUPGRADE_FAILED, /* the upgrade after the downgrade failed */
	VARVE_TEST_NOT_REPEATABLE,   /* the upgrade after the downgrade gives
				      * another schema than the first (`diff`) */
} varve_test_problem;

/* What became of one migration. Everything is borrowed for the callback. */
typedef struct varve_test_result {
	const varve_migration *migration;
	varve_test_outcome outcome;
	varve_test_problem problem;
	/* NOT_RESTORED: from before the upgrade to after the downgrade;
	 * NOT_REPEATABLE: from after the upgrade to after the second one. */
	const varve_schema_diff_list *diff;
	/* The diff as varve_schema_diff_text writes it, or ROWS_LEFT's lines
	 * ("table public.roles: 0 rows before the upgrade, 3 after the
	 * downgrade"), one per line; NULL otherwise. */
	const char *detail;
	/* The SQL failure of *_FAILED, else NULL. */
	const varve_failure *failure;
	/* Where to look: a failure's place; else the downgrade section's file
	 * and first line (NULL / 0 for a merge). */
	const char *file;
	unsigned line;
	unsigned column;
	/* Wall times (ms): the three runs (varve_run, with its bookkeeping),
	 * the catalog captures, and all of it. */
	double up_ms, down_ms, reup_ms, capture_ms, total_ms;
} varve_test_result;

typedef void (*varve_test_fn)(const varve_test_result *result, void *payload);

typedef struct varve_test_options {
	/* Test from this migration on, in graph order (the ones before it
	 * are applied, not tested); NULL: from the first. */
	const char *from;
	/* Up to this migration: only it and its ancestors; NULL: all. */
	const char *to;
	/* Also compare row counts per table before the upgrade and after the
	 * downgrade: rows a migration inserts its downgrade must remove. */
	bool data;
	varve_test_fn progress; /* called once per migration tested */
	void *payload;
	/* When set (by a signal handler, say), the walk stops between runs. */
	volatile sig_atomic_t *stop;
} varve_test_options;

#define VARVE_TEST_OPTIONS_INIT { NULL, NULL, false, NULL, NULL, NULL }

typedef struct varve_test_summary {
	size_t tested;       /* migrations reported (the walk stops at a failure) */
	size_t passed, irreversible, no_downgrade, failed;
	size_t not_run;      /* left untested after a failure */
	double capture_ms, sql_ms, total_ms;
} varve_test_summary;

/*
 * Walk the graph in order on `db`, which must have no varve history (it
 * is written to: every migration is applied, rolled back and applied
 * again, and stays applied): for each migration, upgrade it, capture the
 * schema (varve_schema_capture, the version table left out), downgrade
 * it, capture (it must equal the capture before the upgrade), upgrade it
 * again, capture (it must equal the first). Irreversible migrations and
 * ones without a downgrade are applied and reported, and the walk goes on
 * above them; the first failure ends the walk. Each migration is reported
 * to options->progress; *out counts them.
 *
 * Returns 0 when the walk ran, whatever it found (see out->failed);
 * VARVE_EINVALID when the database records applied migrations, the graph
 * is broken, or --from/--to do not name one migration; the errors of
 * varve_target_nodes, varve_db_lock, varve_run (not a migration's own
 * failure, which is a result) and varve_schema_capture.
 */
int varve_test(varve_db *db, const varve_graph *graph, const varve_test_options *options,
	       varve_test_summary *out);

/* ---------------------------------------------------------------------------
 * Fleets (docs/fleet.md): one manifest applied to many databases, or to
 * many schemas of one database, from one thread. Each target runs the
 * single-database runner (varve_migrate) unchanged, with its own
 * connection, lock, version table and transactions, as a fiber that the
 * fleet switches away from wherever it would wait for its server; one
 * poll(2) over every connection's socket does the waiting.
 */

typedef struct varve_fleet varve_fleet;

typedef enum {
	VARVE_FLEET_STOP = 0,  /* after a failure, no new target starts (default) */
	VARVE_FLEET_CONTINUE,  /* every target runs whatever the others do */
} varve_fleet_on_failure;

/*
 * Load a fleet file (`varve_fleet: 1`, `concurrency`, `on_failure`,
 * `targets`, `query`, `schemas`). Findings (codes yaml-syntax and
 * fleet-schema, positioned in the file) go to `diags`; *out is NULL and
 * VARVE_EINVALID is returned when there is any. VARVE_EIO when the file
 * cannot be read. ${VAR} and ${VAR:-default} expand in every URL as in
 * the manifest's database.url; an unset one is a finding.
 */
int varve_fleet_load(varve_fleet **out, const char *path, varve_diag_list *diags);
void varve_fleet_free(varve_fleet *fleet);
unsigned varve_fleet_concurrency(const varve_fleet *fleet);
varve_fleet_on_failure varve_fleet_failure_mode(const varve_fleet *fleet);

/*
 * List the targets: the URLs as written, then the rows of `query` (run on
 * its control database: the first column a connection string, an optional
 * second a label), then one target per schema (`names`, or the rows of
 * `sql` run on that database). Connects to the control databases (one at
 * a time, blocking). Once resolved, a second call does nothing. Returns
 * VARVE_ECONNECT when a control database is unreachable, VARVE_ERROR when
 * a query fails or returns no usable column, VARVE_EINVALID for a schema
 * name varve cannot use.
 */
int varve_fleet_resolve(varve_fleet *fleet);
size_t varve_fleet_count(const varve_fleet *fleet);

typedef enum {
	VARVE_TARGET_WAITING = 0, /* not started (yet) */
	VARVE_TARGET_RUNNING,     /* connecting, waiting for its lock, running */
	VARVE_TARGET_DONE,        /* at the goal (status: read) */
	VARVE_TARGET_FAILED,      /* a migration failed, a dirty one blocks it, ... */
	VARVE_TARGET_UNREACHABLE, /* cannot connect, lost the connection, the lock not obtained */
	VARVE_TARGET_STOPPED,     /* stopped at a migration boundary: another target failed, or the caller's stop */
	VARVE_TARGET_SKIPPED,     /* never started: another target failed first, or the caller's stop */
} varve_target_state;

/*
 * One target and the outcome of the last varve_fleet_run. Borrowed from
 * the fleet: valid until it is freed or run again.
 */
typedef struct varve_fleet_target {
	const char *label;   /* the label, or NULL */
	const char *display; /* the connection string, password masked */
	const char *schema;  /* schema-per-tenant: the schema, else NULL */
	varve_target_state state;
	int status;          /* VARVE_OK or the error of the run */
	const char *error;   /* its message (password masked), or NULL */
	const varve_failure *failure; /* the failed migration, or NULL */
	size_t planned;      /* migrations planned (status: pending) */
	size_t done;         /* migrations applied or rolled back */
	size_t applied;      /* status: applied */
	size_t dirty;        /* status: dirty */
	double duration_ms;  /* from its start to its end */
	const varve_migration *running; /* the migration under way, or NULL */
	double started_ms;   /* when it started, CLOCK_MONOTONIC milliseconds */
} varve_fleet_target;

const varve_fleet_target *varve_fleet_at(const varve_fleet *fleet, size_t i);

typedef enum {
	VARVE_FLEET_MIGRATE = 0, /* varve_migrate to `target` in `direction` */
	VARVE_FLEET_STATUS,      /* read each target's state (no lock, no change) */
} varve_fleet_action;

typedef enum {
	VARVE_FLEET_EVENT_START = 0, /* a target starts */
	VARVE_FLEET_EVENT_END,       /* ... and ended: see its state */
	VARVE_FLEET_EVENT_MIGRATION, /* one of its migrations' varve_event */
	VARVE_FLEET_EVENT_TICK,      /* about every 100 ms while targets run */
} varve_fleet_event_kind;

typedef struct varve_fleet_event {
	varve_fleet_event_kind kind;
	size_t target;            /* its index (not for TICK) */
	const varve_event *event; /* MIGRATION */
} varve_fleet_event;

typedef void (*varve_fleet_progress_fn)(const varve_fleet_event *event, void *payload);

typedef struct varve_fleet_options {
	varve_fleet_action action;
	varve_direction direction;
	const char *target;   /* NULL: "head" */
	double lock_wait;     /* each target's wait for its lock, seconds */
	unsigned concurrency; /* 0: the fleet file's */
	int on_failure;       /* -1: the fleet file's, else a varve_fleet_on_failure */
	const bool *selected; /* one per target (varve_fleet_count), or NULL: all */
	varve_fleet_progress_fn progress; /* called in the caller's thread */
	void *payload;
	/* When set (by a signal handler, say): no target starts, and the
	 * statements under way are cancelled (their migrations roll back). */
	volatile sig_atomic_t *stop;
} varve_fleet_options;

#define VARVE_FLEET_OPTIONS_INIT \
	{ VARVE_FLEET_MIGRATE, VARVE_UPGRADE, NULL, 60, 0, -1, NULL, NULL, NULL, NULL }

/*
 * Run `options->action` on every selected target of a resolved fleet,
 * at most `concurrency` at once, and keep each outcome in the target
 * (varve_fleet_at). A target that fails does not stop the others, unless
 * on_failure is stop: then no new target starts and those under way stop
 * after the migration they are running. Returns 0 once every target has
 * ended, whatever their outcomes; VARVE_EINVALID for a fleet with schema
 * targets and a manifest whose version_table names a schema;
 * VARVE_ENOMEM.
 */
int varve_fleet_run(varve_fleet *fleet, const varve_graph *graph,
		    const varve_fleet_options *options);

/* ---------------------------------------------------------------------------
 * Authoring (docs/commands.md: init, new, merge, hash)
 *
 * These edit the manifest in place and change only the bytes they must:
 * comments, key order, quoting, blank lines and line endings stay as they
 * were. The manifest is replaced atomically (a temporary file, fsync,
 * rename), so a failure leaves it untouched. A manifest that does not load
 * cleanly is refused with VARVE_EINVALID and its findings in `diags`
 * (which may be NULL).
 */

/*
 * Write a starter manifest at `path` (commented, `migrations: []`) and
 * create the migrations folder `directory` (NULL: "migrations") beside
 * it. Returns VARVE_EEXISTS when `path` exists (it is not touched),
 * VARVE_EINVALID for a directory outside the project, VARVE_EIO.
 */
int varve_init(const char *path, const char *directory);

typedef struct varve_new_options {
	const char *description; /* may be NULL */
	bool override_naming;    /* use `naming`, not the manifest's */
	varve_naming naming;
	bool transaction;        /* false: write `transaction: false` */
	int64_t now;             /* the clock for timestamps (UTC); 0: now */
	/* `new` only: the parent, one of the heads, as a target names it
	 * (a revision or unique prefix, LABEL@head); NULL: the single head. */
	const char *head;
	/* The SQL of the two sections, written as given; NULL leaves a
	 * section empty (the template), for the author to fill. */
	const char *upgrade_sql;
	const char *downgrade_sql;
} varve_new_options;

#define VARVE_NEW_OPTIONS_INIT { NULL, false, VARVE_NAMING_TIMESTAMP, true, 0, NULL, NULL, NULL }

/* What `new` or `merge` added. Strings are malloc'd; see _dispose. */
typedef struct varve_added {
	char *revision;
	char *file; /* the SQL file as the user would open it; NULL for a merge */
	char **parents;
	size_t parent_count;
} varve_added;

#define VARVE_ADDED_INIT { NULL, NULL, NULL, 0 }

/* Free the contents of `added` and reset it. Accepts NULL. */
void varve_added_dispose(varve_added *added);

/*
 * new, merge and hash (and fix_apply) edit the manifest under a lock on
 * its folder, from reading it to writing it, so that concurrent edits take
 * turns; one that waits over ten seconds gives VARVE_ECHANGED.
 *
 * `varve new`: create `<rev>_<slug>.sql` in the migrations folder from a
 * template with `-- upgrade --` and `-- downgrade --` sections, and append
 * its entry as a child of the single head (a root in an empty manifest).
 * The revision is a UTC timestamp YYYYMMDDHHMMSS, one second later while
 * it is taken, or the next sequential number at the existing width
 * (default 4), as options or the manifest's `naming` say.
 *
 * With several heads (branch labels allow them), options->head chooses
 * the parent among them. The file name's slug is the description in
 * lower-case ASCII: letters with marks lose them, as iconv's
 * "ASCII//TRANSLIT" under a UTF-8 locale gives (Ünïcode → unicode).
 *
 * All or nothing: when the manifest cannot be written, the new file is
 * removed. Returns VARVE_EAMBIGUOUS when there are several heads and no
 * options->head (the message names them), VARVE_EINVALID when head names
 * no head, VARVE_ENOTFOUND when it names nothing, VARVE_EEXISTS when the
 * file exists, VARVE_EIO. On success fills *out (the caller disposes of
 * it).
 */
int varve_new(varve_added *out, const char *path,
	      const varve_new_options *options, varve_diag_list *diags);

/*
 * `varve merge`: append an entry without SQL whose down_revision lists
 * every head in manifest order. Only `description`, `override_naming`,
 * `naming` and `now` of the options count. Returns VARVE_EINVALID when
 * there is a single head ("nothing to merge").
 */
int varve_merge(varve_added *out, const char *path,
		const varve_new_options *options, varve_diag_list *diags);

/*
 * `varve hash`: write or refresh the `checksum` of every entry with SQL
 * (see varve_checksum; a `file`'s upgrade section, or the `up` file).
 * Entries whose checksum is right are not touched; a merge without SQL gets
 * none. *changed is the number of checksums written. Returns VARVE_EIO
 * when a SQL file cannot be read and VARVE_EINVALID when its SQL does not
 * scan; then nothing is written.
 */
int varve_hash(size_t *changed, const char *path, varve_diag_list *diags);

/* ---------------------------------------------------------------------------
 * Fix (docs/commands.md): timestamp revisions to sequential numbers, in the order git
 * history added them
 */

typedef struct varve_fix_options {
	/* A git REF (e.g. origin/main) whose manifest's sequential numbers
	 * count as taken too, or NULL. */
	const char *against;
	/* Chain several heads into one line instead of leaving them to a
	 * merge migration. */
	bool linearize;
} varve_fix_options;

#define VARVE_FIX_OPTIONS_INIT { NULL, false }

/* One renumbered migration. Strings are owned by the plan. */
typedef struct varve_fix_item {
	const char *old_revision;
	const char *new_revision;
	/* Its files renamed (the basename's revision prefix replaced), as the
	 * user would open them: old_paths[i] becomes new_paths[i]. A merge
	 * without SQL, or a file not named after its revision, has none. */
	const char *const *old_paths;
	const char *const *new_paths;
	size_t path_count;
	/* Set by varve_fix_apply: its version-table row was renamed. */
	bool row_renamed;
} varve_fix_item;

/* One link changed by `linearize`: `revision` (new name) now follows
 * `new_parent` instead of `old_parent` (new names). */
typedef struct varve_fix_link {
	const char *revision;
	const char *old_parent;
	const char *new_parent;
} varve_fix_link;

typedef struct varve_fix varve_fix;

/*
 * Plan `varve fix` on the manifest at `path` without changing anything:
 * every timestamp revision gets the next sequential number after the
 * highest one in the manifest (and at options->against), at the widest
 * width in use (default 4), in a topological order of the graph in which,
 * among migrations free to go next, existing revisions go first, then the
 * one whose file entered HEAD's first-parent history first (one walk of
 * the history, lib/gitlog.c); same commit, or not committed (last): by
 * timestamp. Outside a git repository the history is empty (so: by
 * timestamp; see varve_fix_history).
 *
 * Refuses (nothing planned) with VARVE_EINVALID a manifest with errors
 * (findings in `diags`, which may be NULL), a file that is missing, and
 * with linearize, heads that do not chain; with VARVE_EEXISTS a
 * destination that exists; VARVE_EUSAGE for --against outside a git
 * repository or a REF naming no commit. *out is freed with
 * varve_fix_free; an empty plan means nothing to do.
 */
int varve_fix_plan(varve_fix **out, const char *path, const varve_fix_options *options,
		   varve_diag_list *diags);
void varve_fix_free(varve_fix *plan);
size_t varve_fix_count(const varve_fix *plan);
/* The i-th renumbered migration, in the new numbering order. Borrowed. */
const varve_fix_item *varve_fix_at(const varve_fix *plan, size_t i);
size_t varve_fix_link_count(const varve_fix *plan);
const varve_fix_link *varve_fix_link_at(const varve_fix *plan, size_t i);
/* Whether the order came from git history (false outside a repository). */
bool varve_fix_history(const varve_fix *plan);
/*
 * Whether that history is a shallow clone's, numbered from its oldest
 * commit on (only with options->against: without, a shallow clone is
 * refused with VARVE_EINVALID, the message naming 'git fetch --unshallow').
 */
bool varve_fix_shallow(const varve_fix *plan);

typedef struct varve_fix_apply_options {
	/* Rename the applied rows too, in one transaction (NULL: only the
	 * files and the manifest). */
	varve_db *db;
	double lock_wait; /* seconds, for the runners' lock */
	/* When set (by the caller's SIGINT/SIGTERM handler, say) before the
	 * manifest is put in place, the steps taken are undone and the apply
	 * returns VARVE_EINTERRUPTED; once it is in place, the fix completes.
	 * The library installs no signal handler. */
	volatile sig_atomic_t *stop;
} varve_fix_apply_options;

#define VARVE_FIX_APPLY_OPTIONS_INIT { NULL, 60, NULL }

/*
 * Carry out a plan, all or nothing: rename the files (and in the git
 * index those that are tracked, keeping what is staged), with a database
 * rename the version-table rows in a transaction, and write the manifest
 * last (a temporary file, then rename): the revisions, every
 * down_revision naming them, the paths; every other byte stays. When a
 * step fails the steps taken are undone and the error returned:
 * VARVE_EEXISTS (a destination appeared), VARVE_EIO, VARVE_ERROR (git),
 * VARVE_EINVALID (linearize would re-parent an applied migration, or a
 * new revision is recorded already), VARVE_ECONNECT, VARVE_ELOCK, and
 * VARVE_ECHANGED when the manifest changed since the plan was made.
 * A plan is applied at most once.
 */
int varve_fix_apply(varve_fix *plan, const varve_fix_apply_options *options);

/*
 * A fix that a signal no process can catch (kill -9, a power cut) cut
 * short leaves its journal, `.varve-fix.journal` beside the manifest,
 * written and flushed before the first rename. Until it is dealt with,
 * new, merge, hash and fix refuse to edit the manifest (VARVE_EINVALID).
 *
 * varve_fix_interrupted: 0 when the manifest at `path` has no such
 * journal, else VARVE_EINVALID with a message naming it and
 * 'varve fix --recover'.
 */
int varve_fix_interrupted(const char *path);

typedef enum varve_fix_outcome {
	VARVE_FIX_NOTHING = 0, /* there was no journal */
	VARVE_FIX_COMPLETED,   /* the manifest was in place: renames finished */
	VARVE_FIX_UNDONE,      /* it was not: files and index put back */
} varve_fix_outcome;

typedef struct varve_fix_recovered {
	varve_fix_outcome outcome;
	size_t files;  /* the files of the interrupted fix */
	bool database; /* it renamed rows too: when COMPLETED, they may still
			* have the old names (the next upgrade renames them) */
} varve_fix_recovered;

/*
 * `varve fix --recover`: complete the journal's fix when the manifest is
 * the new one, undo it when it is the old one (files and git index), then
 * remove the journal and the temporary files of processes that are gone.
 * Either way the result is wholly the state before or wholly the state
 * after. Returns VARVE_ECHANGED when the manifest is neither (edited
 * since), VARVE_EEXISTS when a file is on both sides, VARVE_EINVALID for
 * a journal varve did not write, VARVE_EIO, VARVE_ERROR (git; a stale
 * '.git/index.lock' is named). Recovering twice is harmless.
 */
int varve_fix_recover(const char *path, varve_fix_recovered *out);

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif
