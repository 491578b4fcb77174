/*
 * The manifest's internal representation, shared by the modules that read
 * it (graph, target, check) and the loader that fills it.
 */
#ifndef VARVE_MANIFEST_H
#define VARVE_MANIFEST_H

#include "common.h"
#include "arena.h"
#include "buf.h"

/* A position in the manifest: 1-based line and column, 0 when unknown. */
typedef struct varve_pos {
	unsigned line;
	unsigned column;
} varve_pos;

struct varve_migration {
	size_t index; /* manifest order */
	varve_pos pos; /* the entry (its mapping) */

	const char *revision;
	varve_pos revision_pos;

	/* down_revision: 0 parents (null), 1, or 2+ (a merge). */
	const char **parents;
	varve_pos *parent_pos;
	size_t parent_count;
	varve_pos down_revision_pos; /* the value of the down_revision key */
	/* down_revision was missing or invalid: the parents are unknown, so
	 * the graph does not guess roots and heads from them. */
	bool links_invalid;

	const char *description;
	const char *file; /* paths as written, relative to the directory */
	varve_pos file_pos;
	const char *up;
	varve_pos up_pos;
	const char *down;
	varve_pos down_pos;
	bool transaction;
	varve_pos transaction_pos;
	/* A path of this entry (file, up, down, or the directory) was refused
	 * and cleared: it has SQL that must not be read, so it is no merge. */
	bool path_refused;
	const char *branch;
	varve_pos branch_pos;
	const char *checksum;
	varve_pos checksum_pos;
	/* lint_off: one bit per lint rule (lint.h) this entry turns off. */
	uint32_t lint_off;

	/* Where the rewriter adds a key: the end of the entry's last key or
	 * value. For a flow mapping (`{...}`, flow set) close_pos is the end
	 * of its `}`; for a block mapping it equals end_pos. */
	varve_pos end_pos;
	varve_pos close_pos;
	bool flow;
};

struct varve_manifest {
	varve_arena arena; /* every string and array below */

	const char *path;      /* as given by the caller */
	const char *base;      /* the folder holding the manifest, "." if none */
	int format_version;    /* `varve:` */
	const char *directory; /* as written, default "migrations" */
	varve_pos directory_pos;
	const char *directory_path; /* base joined with directory, for opening */
	/* The directory escapes the project or could not be read from the
	 * manifest: nothing looks inside it, and no file path is kept. */
	bool directory_refused;
	const char *version_table;
	varve_naming naming;
	bool has_naming;
	/* `schema:` the snapshot file as written (relative to the manifest's
	 * folder), or NULL; and the position of its value. */
	const char *schema;
	varve_pos schema_pos;

	const char *database_url; /* expanded */
	varve_pos database_url_pos;
	/* The first variable database.url names, unset or empty, without a
	 * default: the url is incomplete. NULL when there is none. */
	const char *database_url_unset;
	const char *lock_timeout; /* as written, e.g. "5s" */
	const char *statement_timeout;
	int lock_retries;
	int server_version; /* database.server_version, a major version; 0: unset */

	/* lint: the level of each lint rule (lint.h's VARVE_LINT_DEFAULT,
	 * _ERROR, _WARNING, _OFF), and lint.small_table_rows. */
	unsigned char lint_level[32];
	long lint_small_table_rows;

	/* The value of `migrations` (its first character) and, for a flow
	 * sequence, the end of its `]`: the rewriter appends entries there. */
	varve_pos migrations_pos;
	varve_pos migrations_end;
	bool migrations_flow;

	/* Entries live in the arena; only this array of pointers grows, so a
	 * 100,000-entry manifest never copies its entries while loading. */
	varve_migration **migrations;
	size_t count;
	size_t cap;
};

/*
 * Create an empty manifest for `path` with the defaults of SPEC §2 (the
 * loader fills it; unit tests build graphs with it directly).
 */
int varve_manifest__new(varve_manifest **out, const char *path);
/*
 * Append an entry with `revision` and the given parents (copied into the
 * arena); returns it through *out (borrowed) with defaults filled in.
 */
int varve_manifest__add(varve_manifest *manifest, varve_migration **out,
			const char *revision, const char *const *parents,
			size_t parent_count);
/* Set the migrations directory (copied) and recompute directory_path. */
int varve_manifest__set_directory(varve_manifest *manifest, const char *dir);

/* Copy into the manifest's arena; NULL when out of memory. */
char *varve_manifest__strdup(varve_manifest *manifest, const char *s);
char *varve_manifest__strndup(varve_manifest *manifest, const char *s,
			      size_t len);

/*
 * Open the SQL that `mig` runs for `kind` (its `file`, split into sections,
 * or its `up`/`down` file). *out is NULL when it has none (a merge, or no
 * `down`); *path is the file as the user would open it (caller frees).
 * Returns the reader's status (VARVE_EIO with errno kept).
 */
int varve_manifest__open_sql(const varve_manifest *m, const varve_migration *mig,
			     varve_section_kind kind, varve_sqlfile **out,
			     char **path, varve_diag_list *diags);

/*
 * varve_manifest_load for a manifest held in memory (a blob read from
 * git): `display_path` names it in findings and gives the base for the
 * directory, `data` need not be NUL-terminated and is not kept. The paths
 * it names are not checked for escapes: they belong to the tree the blob
 * came from, not to the disk, and nothing opens them. Returns as varve_manifest_load, without
 * VARVE_EIO.
 */
int varve_manifest__load_buffer(varve_manifest **out, const char *display_path,
				const char *data, size_t len,
				varve_diag_list *diags);

/*
 * The path of a file named in the manifest (relative to the directory) as
 * the user would open it: "<directory_path>/<rel>". Caller frees.
 */
char *varve_manifest__file_path(const varve_manifest *manifest,
				const char *rel);

/*
 * Whether `rev` is a timestamp revision: exactly 14 digits that read as
 * YYYYMMDDHHMMSS (docs/manifest.md). check reports them where sequential
 * numbers are asked for (docs/check.md); fix renumbers them.
 */
bool varve_manifest__is_timestamp(const char *rev);

/* Whether `s` is a revision the manifest accepts: [A-Za-z0-9_]+, at most
 * 128 characters (import makes its revisions by the same rule). */
bool varve_manifest__is_revision(const char *s);
/*
 * Append `s` to `out` with ${VAR} and ${VAR:-default} expanded (the
 * default also replaces an empty value, as in the shell); the name of the
 * first variable that is unset or empty without a default goes to
 * `unset` (may be NULL). Returns VARVE_EINVALID for a malformed reference,
 * VARVE_ENOMEM.
 */
int varve_manifest__expand(varve_buf *out, const char *s, varve_buf *unset);

/*
 * Whether `rev` is a sequential revision: digits, not a timestamp's
 * length, short enough for an unsigned long long.
 */
bool varve_manifest__is_sequential(const char *rev);

/*
 * Raise *max and *width by the sequential revisions of `m`: the highest
 * number taken and the widest zero-padded width (new and fix number on).
 */
void varve_manifest__sequential_max(const varve_manifest *m,
				    unsigned long long *max, int *width);

#endif
