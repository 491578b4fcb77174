/*
 * Internal side of varve fix (SPEC §7): the plan that varve_fix_plan makes
 * and varve_fix_apply carries out, visible to the unit tests.
 */
#ifndef VARVE_FIX_H
#define VARVE_FIX_H

#include "common.h"
#include "arena.h"
#include "graph.h"
#include "manifest.h"
#include "rewrite.h"

#include <git2.h>

/* A file to rename, with its index paths when git tracks it. */
typedef struct varve_fix__file {
	const char *old_path; /* as the user opens it */
	const char *new_path;
	const char *old_git; /* relative to the work tree; NULL: untracked */
	const char *new_git;
	const char *old_rel; /* relative to the manifest's folder: the journal */
	const char *new_rel;
	bool moved;           /* apply: renamed on disk */
	git_index_entry saved; /* apply: the old index entry, path in the arena */
	bool staged;           /* apply: the index holds the new entry */
} varve_fix__file;

struct varve_fix {
	varve_arena arena;
	const char *path;
	varve_manifest *m;
	varve_graph *g;
	varve_rewrite *rw;
	git_repository *repo;
	bool history;
	bool shallow;
	bool applied;

	varve_fix_item *items;
	size_t count;
	varve_fix_link *links;
	size_t link_count;
	const char **relinked;  /* the old revisions linearize re-parents */
	const char **relink_to; /* ... onto these (old revisions) */
	varve_fix__file *files;
	size_t file_count;
};

/* The journal of a fix under way, beside the manifest (see fix.c). */
#define VARVE_FIX_JOURNAL ".varve-fix.journal"

/*
 * 0 when no interrupted fix of the manifest at `path` left its journal;
 * VARVE_EINVALID with a message naming it and 'varve fix --recover'.
 */
int varve_fix__pending(const char *path);

#endif
