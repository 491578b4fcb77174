/*
 * The safety lint of `varve check` (docs/check.md, "Safety lint"): rules
 * over each upgrade's statements that find SQL which is valid and locks or
 * breaks production, read from the scanner's tokens and, where a rule
 * could fire, from libpg_query's parse tree.
 *
 * Two passes. While check reads a migration (in its worker threads), each
 * statement goes to varve_lint__statement, which records events: the
 * candidate findings, and the facts later migrations need (the tables it
 * creates, the NOT NULL checks it validates). Then varve_lint__report
 * walks the migrations in graph order and turns candidates into findings,
 * with what only the whole manifest knows: the configuration, which tables
 * earlier migrations that have not run yet created, which checks exist.
 */
#ifndef VARVE_LINT_H
#define VARVE_LINT_H

#include "common.h"
#include "sqlfile.h"
#include "strmap.h"

/* The rules, in the order of docs/check.md. */
enum {
	VARVE_LINT_CONCURRENT_INDEX,
	VARVE_LINT_CONCURRENT_INDEX_DROP,
	VARVE_LINT_NOT_VALID,
	VARVE_LINT_NOT_NULL_FIELD,
	VARVE_LINT_REQUIRED_FIELD,
	VARVE_LINT_VOLATILE_DEFAULT,
	VARVE_LINT_COLUMN_TYPE,
	VARVE_LINT_RENAME_COLUMN,
	VARVE_LINT_RENAME_TABLE,
	VARVE_LINT_DROP_COLUMN,
	VARVE_LINT_DROP_TABLE,
	VARVE_LINT_DROP_DATABASE,
	VARVE_LINT_TRUNCATE,
	VARVE_LINT_SERIAL_PRIMARY_KEY,
	VARVE_LINT_UNIQUE_CONSTRAINT,
	VARVE_LINT_PREFER_BIGINT,
	VARVE_LINT_PREFER_IDENTITY,
	VARVE_LINT_PREFER_TEXT,
	VARVE_LINT_PREFER_TIMESTAMPTZ,
	VARVE_LINT_CHAR_FIELD,
	VARVE_LINT_LOCK_TIMEOUT,
	VARVE_LINT_ENUM_VALUE,
	VARVE_LINT_VACUUM_FULL,
	VARVE_LINT_CLUSTER,
	VARVE_LINT_REFRESH_MATVIEW,
	VARVE_LINT_ALLOW_WITHOUT_REASON,
	VARVE_LINT_ALLOW_UNKNOWN_CODE,
	VARVE_LINT_COUNT
};

/* Configured levels (the manifest's `lint:`), per rule. */
enum {
	VARVE_LINT_DEFAULT = 0,
	VARVE_LINT_ERROR = 1,
	VARVE_LINT_WARNING = 2,
	VARVE_LINT_OFF = 3,
};

/* The default for `lint.small_table_rows`. */
#define VARVE_LINT_SMALL_TABLE_ROWS 10000

/* The rule of `code` (`len` bytes), or -1. */
int varve_lint__rule(const char *code, size_t len);
/* The code of rule `rule`. */
const char *varve_lint__code(int rule);

/* What one migration's upgrade recorded, for the report (opaque). */
typedef struct varve_lint_mig varve_lint_mig;
/* The reading of one upgrade (opaque). */
typedef struct varve_lint_reader varve_lint_reader;

/*
 * Start linting the upgrade of `mig`: its section `kind` of `file`, shown
 * as `display` (borrowed until varve_lint__end); `transaction` as check
 * read it; `creates`: also record the tables it creates (the report needs
 * them with `known`). *reader is reused, or made when NULL (one a thread;
 * free it with varve_lint__reader_free). Returns VARVE_ENOMEM only.
 */
int varve_lint__begin(varve_lint_reader **reader, const varve_manifest *m,
		      const varve_migration *mig, const varve_sqlfile *file,
		      varve_section_kind kind, const char *display, bool transaction,
		      bool creates);

/* A varve_statement_fn (ctx: the reader) for varve_sqlfile__analyze_each. */
int varve_lint__statement(void *ctx, const char *sql, size_t len,
			  const varve_statement *st, const varve_token *tokens, size_t n);

/* End the reading (NULL is fine); returns what it recorded, NULL when
 * nothing (free it with varve_lint__mig_free). The reader can begin again. */
varve_lint_mig *varve_lint__end(varve_lint_reader *lm);

/* Free a reader (NULL is fine). */
void varve_lint__reader_free(varve_lint_reader *lm);

void varve_lint__mig_free(varve_lint_mig *rec);

/*
 * Turn the recorded events into findings in `diags`: `recorded[i]` is what
 * m->migrations[i] recorded (NULL: nothing), walked in the graph's order
 * (entries left out of it, in a cycle, are not reported). With `known` (may be NULL), a
 * migration whose revision is in it is taken as applied already (check
 * --against: it is on REF): its findings are not reported, and the tables
 * it created are existing; the tables the others create are new to every
 * later one. `strict`: drops and TRUNCATE become errors. Returns
 * VARVE_ENOMEM only.
 */
int varve_lint__report(const varve_graph *graph, varve_lint_mig *const *recorded,
		       const varve_strmap *known, bool strict, varve_diag_list *diags);

#endif
