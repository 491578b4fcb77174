/*
 * What git knows about the migrations (SPEC §3 --against, §7): where each
 * file entered HEAD's first-parent history, and files as they are at
 * another commit. libgit2 errors are translated here, once.
 *
 * Every function that takes a repository expects one opened with
 * varve_gitlog__open, which also holds libgit2's global state until
 * varve_gitlog__close.
 */
#ifndef VARVE_GITLOG_H
#define VARVE_GITLOG_H

#include "common.h"
#include "arena.h"
#include "strmap.h"

#include <git2.h>

/* The entry order of a file that no commit of the chain holds. */
#define VARVE_GITLOG_UNCOMMITTED SIZE_MAX

typedef struct varve_gitlog_file {
	const char *path; /* relative to the folder, '/'-separated */
	/*
	 * The index of the first commit of HEAD's first-parent chain (the
	 * root commit is 0) from which on every tree holds the file: its own
	 * commit on a straight line, or the merge that brought it in; for a
	 * file deleted and added again, the commit that added it last.
	 * VARVE_GITLOG_UNCOMMITTED for a file only in the working tree or
	 * the index, which sorts last.
	 */
	size_t order;
	bool tracked; /* in the index: a rename must go there too */
} varve_gitlog_file;

typedef struct varve_gitlog {
	varve_arena arena;    /* the paths */
	varve_strmap by_path; /* path -> position in files */
	varve_gitlog_file *files;
	size_t count;
	size_t cap;
	size_t commits; /* the length of the first-parent chain */
	bool shallow;   /* a shallow clone: the chain starts where it was cut */
} varve_gitlog;

/*
 * Open the repository that holds `path` (a file or a folder, searched
 * upwards as git does). Returns VARVE_ENOTFOUND with "not a git repository"
 * when there is none, VARVE_ERROR for other libgit2 failures. *out is
 * closed with varve_gitlog__close.
 */
int varve_gitlog__open(git_repository **out, const char *path);
/* Free the repository and release libgit2. Accepts NULL. */
void varve_gitlog__close(git_repository *repo);

/*
 * The path of `path` (which need not exist, but its folder must) relative
 * to the repository's working tree, '/'-separated, "" for the working tree
 * itself; both sides are resolved through symlinks first. Returns
 * VARVE_EINVALID when it lies outside the working tree or the repository
 * is bare. *out is malloc'd; the caller frees it.
 */
int varve_gitlog__relative(char **out, git_repository *repo, const char *path);

/*
 * Where each file under `folder` (relative to the working tree; "" for all
 * of it) entered HEAD's first-parent chain: one walk of the chain from the
 * root commit up, comparing the folder's tree of each commit with that of
 * its first parent (unchanged folders cost one id comparison), then the
 * working tree for files not committed. An unborn HEAD leaves every file
 * uncommitted. *out is freed with varve_gitlog__free.
 *
 * In a shallow clone the chain is not all there: VARVE_EINVALID (the
 * message says to run 'git fetch --unshallow'), unless `shallow_ok`; then
 * the chain starts at the oldest commit fetched (whose files all enter
 * there) and log->shallow is set.
 */
int varve_gitlog__entries(varve_gitlog **out, git_repository *repo, const char *folder,
			  bool shallow_ok);
/* The file at `path` (relative to the folder), or NULL. Borrowed. */
const varve_gitlog_file *varve_gitlog__find(const varve_gitlog *log, const char *path);
void varve_gitlog__free(varve_gitlog *log);

/*
 * Resolve `ref` (anything git rev-parse takes: a branch, origin/main,
 * HEAD~2, an id) to a commit id. Returns VARVE_ENOTFOUND with
 * "unknown revision 'REF'" when it names nothing or no commit.
 */
int varve_gitlog__resolve(git_oid *out, git_repository *repo, const char *ref);

/*
 * The merge base of HEAD and `commit`. Returns VARVE_ENOTFOUND (without a
 * message: the caller decides what it means) when they share no history or
 * HEAD is unborn.
 */
int varve_gitlog__merge_base(git_oid *out, git_repository *repo, const git_oid *commit);

/*
 * The content of the file at `path` (relative to the working tree) in the
 * tree of `commit`. *out is malloc'd and NUL-terminated (the caller frees
 * it), *len its length. Returns VARVE_ENOTFOUND without a message when
 * the tree does not hold a file there.
 */
int varve_gitlog__read(char **out, size_t *len, git_repository *repo, const git_oid *commit,
		       const char *path);

#endif
