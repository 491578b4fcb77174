/* Internal side of the SQL file reader. */
#ifndef VARVE_SQLFILE_H
#define VARVE_SQLFILE_H

#include "common.h"

/* The largest SQL file varve reads. */
#define VARVE_SQLFILE_MAX_SIZE ((size_t)16 * 1024 * 1024)

/*
 * varve_sqlfile_read() of `len` bytes at `data` (copied) instead of a file:
 * for files read from git (`check --against`) and for fuzzing.
 */
int varve_sqlfile__read_buffer(varve_sqlfile **out, const char *data,
			       size_t len, const char *display, bool split,
			       varve_section_kind kind, varve_diag_list *diags);

/* The name used in diagnostics (the `display` given to read, else the path). */
const char *varve_sqlfile__display(const varve_sqlfile *file);

/* Whether the file says `-- +goose NO TRANSACTION` (goose's spelling of
 * `transaction: false`). */
bool varve_sqlfile__no_transaction(const varve_sqlfile *file);

/*
 * Everything `check` needs from one section, with one scan and one parse:
 * the checksum (when `checksum` is not NULL) and the statements (when `out`
 * is not NULL; *out is a malloc'd array the caller frees with free(), NULL
 * when there are none). This is what varve_checksum() plus
 * varve_sqlfile_statements() give, at about half the cost: call it instead
 * of both when checking many files.
 *
 * Each statement's offset points at its first token (leading comments and
 * white space skipped) and its length ends after its last token (before the
 * semicolon and trailing comments), so varve_sqlfile_position(file, kind,
 * s->offset, ...) is where an editor should jump.
 *
 * A syntax error adds an "sql-syntax" finding at its file position (a psql
 * meta-command "psql-meta-command", text over the scanner's limits
 * "sql-too-complex") and returns VARVE_EINVALID; *out is NULL and *count 0
 * then, and the checksum is "" when the scanner rejected the text too. A
 * file the reader found unreadable (a NUL byte, not UTF-8, over the
 * limits: the reader's finding says so) returns VARVE_EINVALID with no new
 * finding. An absent section reads as empty text.
 */
int varve_sqlfile__analyze(const varve_sqlfile *file, varve_section_kind kind,
			   char *checksum, varve_statement **out,
			   size_t *count, varve_diag_list *diags);

/* One scanner token: bytes [start, end) of the section, and its kind
 * (PgQuery__Token of libpg_query's protobuf). */
typedef struct varve_token {
	int32_t start, end;
	int32_t kind;
} varve_token;

/*
 * Called by varve_sqlfile__analyze_each for each statement, in order, with
 * the section's text (`sql`, `len` bytes, NUL-terminated), the statement
 * and its tokens without comments. A non-zero return stops the analysis
 * and is returned.
 */
typedef int (*varve_statement_fn)(void *ctx, const char *sql, size_t len,
				  const varve_statement *st, const varve_token *tokens,
				  size_t n);

/* varve_sqlfile__analyze, and `fn` (may be NULL) on each statement of a
 * section that parsed (with `out` not NULL). */
int varve_sqlfile__analyze_each(const varve_sqlfile *file, varve_section_kind kind,
				char *checksum, varve_statement **out, size_t *count,
				varve_diag_list *diags, varve_statement_fn fn, void *ctx);

#endif
