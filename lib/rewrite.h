/*
 * The manifest rewriter: edits on the manifest's text that change only the
 * intended bytes. Comments, key order, quoting, blank lines, line endings
 * and a byte-order mark stay as they were, because nothing is re-emitted:
 * edits are byte ranges of the original text, found from the loader's
 * positions, and applied all at once.
 *
 * Used by `new`, `merge` and `hash`; `fix` replaces revisions,
 * down_revision references and paths with varve_rewrite__replace_scalar.
 */
#ifndef VARVE_REWRITE_H
#define VARVE_REWRITE_H

#include "common.h"
#include "buf.h"
#include "manifest.h"

typedef struct varve_rewrite varve_rewrite;

/* A rewriter over a copy of `len` bytes at `text`. VARVE_ENOMEM only. */
int varve_rewrite__new(varve_rewrite **out, const char *text, size_t len);
/* A rewriter over the file at `path`: VARVE_EIO when it cannot be read. */
int varve_rewrite__open(varve_rewrite **out, const char *path);
void varve_rewrite__free(varve_rewrite *rw);

/* The original text (NUL-terminated) and its length. Borrowed. */
const char *varve_rewrite__text(const varve_rewrite *rw, size_t *len);
/* The file's line break ("\r\n", "\n" or "\r": the first one found). */
const char *varve_rewrite__eol(const varve_rewrite *rw);

/*
 * The byte offset of a loader position (1-based line and column, columns
 * counting UTF-8 code points, a byte-order mark not counted, as libyaml's
 * marks do). A column may point just past the end of its line. Returns
 * VARVE_EINVALID for a position outside the text.
 */
int varve_rewrite__offset(const varve_rewrite *rw, varve_pos pos, size_t *out);

/*
 * Replace bytes [start, end) of the original with `text` (copied; "" to
 * delete, start == end to insert). Edits are kept until written; they must
 * not overlap (insertions at one offset go in the order they were made).
 */
int varve_rewrite__replace(varve_rewrite *rw, size_t start, size_t end, const char *text);

/*
 * Replace the scalar that starts at `pos` (a loader position such as
 * revision_pos or parent_pos[i]) and reads `old` with `value`, in the same
 * style: plain, 'single' or "double" quoted. A plain scalar whose new value
 * would need quotes gets double quotes. Returns VARVE_EINVALID when the
 * text at `pos` is not a scalar reading `old` (e.g. a block scalar, or a
 * plain scalar folded over lines).
 */
int varve_rewrite__replace_scalar(varve_rewrite *rw, varve_pos pos, const char *old,
				  const char *value);

/*
 * Append `value` to `buf` as a YAML scalar: plain when YAML would read it
 * back as this string (and `force` is false), else quoted with `quote`
 * ('"' or '\''; double quotes whenever the value holds a control
 * character). Returns VARVE_ENOMEM only.
 */
int varve_rewrite__scalar(varve_buf *buf, const char *value, char quote, bool force);

/*
 * The quote character the manifest's entries use for revisions ('"' when
 * there are none, or they are plain), so new entries look like old ones.
 */
char varve_rewrite__quote_char(const varve_rewrite *rw, const varve_manifest *m);

/*
 * Add `key: yaml` to the entry `mig` after its last key: on a line of its
 * own at the entry's indentation (after any comment ending the last
 * value's line), or `, key: yaml` inside a flow mapping. `yaml` is written
 * as is (see varve_rewrite__scalar).
 */
int varve_rewrite__insert_key(varve_rewrite *rw, const varve_migration *mig, const char *key,
			      const char *yaml);

/* One key of a new entry; `yaml` is written as is. */
typedef struct varve_rewrite_field {
	const char *key;
	const char *yaml;
} varve_rewrite_field;

/*
 * Append an entry with `fields` at the end of the manifest's `migrations`
 * sequence, indented and introduced as its last entry is (block or flow
 * mapping). An empty flow sequence `[]` becomes a block sequence; a
 * non-empty flow sequence gets a flow mapping. Returns VARVE_EINVALID when
 * the manifest has no `migrations` sequence.
 */
int varve_rewrite__append_entry(varve_rewrite *rw, const varve_manifest *m,
				const varve_rewrite_field *fields, size_t n);

/*
 * The text with every edit applied. *out is malloc'd (the caller frees it).
 * Returns VARVE_EINVALID when two edits overlap.
 */
int varve_rewrite__apply(const varve_rewrite *rw, char **out, size_t *len);

/*
 * Write the edited text over `path` atomically: a temporary file in the
 * same folder (created with O_EXCL, the mode of the original), fsync,
 * rename. On failure the original is untouched and the temporary file
 * removed. Returns VARVE_EIO or VARVE_EINVALID (overlapping edits).
 */
int varve_rewrite__write(const varve_rewrite *rw, const char *path);

/*
 * Write `len` bytes to `path` the same way (the mode of the file it
 * replaces, else `mode`), for callers that build the text themselves.
 */
int varve_rewrite__write_file(const char *path, const char *data, size_t len, unsigned mode);

/*
 * The two halves of those writes, for callers with other steps to take
 * in between. Staging writes the text to the temporary file and flushes
 * it: it is the step that needs disk space, so it goes first, before
 * anything is changed. *tmp (malloc'd) names the file; on failure nothing
 * is left behind and *tmp is NULL. VARVE_EIO, VARVE_ENOMEM, and
 * VARVE_EINVALID for overlapping edits.
 */
int varve_rewrite__stage(const varve_rewrite *rw, char **tmp, const char *path);
int varve_rewrite__stage_file(char **tmp, const char *path, const char *data, size_t len,
			      unsigned mode);
/*
 * Rename the staged file over `path` and make that durable. On failure
 * the staged file is removed and `path` is as it was. Frees tmp.
 * VARVE_EIO.
 */
int varve_rewrite__install(char *tmp, const char *path);
/* Remove a staged file that will not be installed and free tmp; NULL is fine. */
void varve_rewrite__discard(char *tmp);

/*
 * Editors of one manifest take turns: an exclusive flock on its folder
 * (the manifest itself is replaced by rename, so a lock on it would stay
 * with the old file), held from reading the manifest to writing it. Waits
 * up to about ten seconds for another editor, then VARVE_ECHANGED; an
 * unreadable folder is VARVE_EIO. *fd is -1 on failure.
 */
int varve_rewrite__lock(const char *path, int *fd);
/* Release that lock; -1 is fine. */
void varve_rewrite__unlock(int fd);
/*
 * Whether `path` still holds the text `rw` was read from: VARVE_ECHANGED
 * when another edit came in between (call it under the lock).
 */
int varve_rewrite__unchanged(const varve_rewrite *rw, const char *path);

/*
 * Whether the folder entry `name` is a temporary file that stage_file
 * made (".<base>.<pid>.<counter>.tmp") for a process that is gone: a
 * `kill -9` left it. Then *base_len is the length of <base>, which starts
 * at name + 1. A live process's (or another user's) is never stale.
 */
bool varve_rewrite__stale(const char *name, size_t *base_len);

/*
 * A test hook at each step of an edit that a signal could cut (after
 * each rename of fix, before and after a manifest is put in place): with
 * VARVE_TEST_RAISE="N:SIG" in the environment, the Nth call in the process
 * raises signal SIG (9 stands for a `kill -9` at that very point). Does
 * nothing otherwise.
 */
void varve_rewrite__test_point(void);

/* The value of a hexadecimal digit (either case), or -1. */
int varve_rewrite__hex_digit(char c);

#endif
