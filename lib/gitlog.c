/*
 * Git history for fix and check --against (SPEC §3, §7), with libgit2.
 *
 * The entry orders come from one walk of HEAD's first-parent chain, oldest
 * first. Each commit's migrations folder is compared with its first
 * parent's: most commits of a real repository leave the folder alone, and
 * then the two folder trees have the same id and nothing else is done;
 * otherwise a tree-to-tree diff of just the folder lists the files added
 * and deleted there. A merge is compared with its first parent only, so a
 * file brought in by a merge enters at the merge, which is the order the
 * branch it lands on saw.
 */
#include "gitlog.h"
#include "buf.h"
#include "error.h"

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

/* Folders below the migrations folder that are looked into. */
#define MAX_DEPTH 16

/* The one-line message of libgit2's last error, as our failure. */
static int git_fail(int code, const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown error";
	size_t len = strlen(msg);

	/* libgit2 messages may end in a period or a newline: not ours. */
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '.'))
		len--;
	return varve_error__set(code, "%s: %.*s", what, (int)len, msg);
}

/*
 * libgit2 1.5 reports a repository that another user owns as not found
 * when no safe.directory names it (later versions say GIT_EOWNER): look
 * again without the owner check to tell the two apart. The check is a
 * process-wide setting, restored at once. Returns the repository's folder
 * (malloc'd), or NULL when there is none.
 */
static char *owned_by_another(const char *path)
{
	git_repository *probe = NULL;
	const char *where;
	char *found = NULL;
	int checks = 0;

	if (git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &checks) < 0 || !checks ||
	    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0) < 0)
		return NULL;
	if (git_repository_open_ext(&probe, path, 0, NULL) == 0) {
		where = git_repository_workdir(probe);
		found = strdup(where ? where : git_repository_path(probe));
	}
	git_repository_free(probe);
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 1);
	return found;
}

int varve_gitlog__open(git_repository **out, const char *path)
{
	git_repository *repo = NULL;
	char *theirs = NULL;
	int rc;

	*out = NULL;
	if ((rc = git_libgit2_init()) < 0)
		return git_fail(VARVE_ERROR, "cannot start libgit2");
	rc = git_repository_open_ext(&repo, path, 0, NULL);
	/* Not a repository to ignore: git itself refuses it ("dubious
	 * ownership"), and fix would number and rename without its history. */
	if ((rc == GIT_EOWNER || rc == GIT_ENOTFOUND) && (theirs = owned_by_another(path))) {
		git_libgit2_shutdown();
		rc = varve_error__set(VARVE_ERROR,
				      "the git repository '%s' belongs to another user: run "
				      "as its owner, or add it to git's safe.directory",
				      theirs);
		free(theirs);
		return rc;
	}
	if (rc == GIT_ENOTFOUND) {
		git_libgit2_shutdown();
		return varve_error__set(VARVE_ENOTFOUND,
					"not a git repository (or any parent up to /): '%s'", path);
	}
	if (rc < 0) {
		rc = git_fail(VARVE_ERROR, "cannot open the git repository");
		git_libgit2_shutdown();
		return rc;
	}
	*out = repo;
	return 0;
}

void varve_gitlog__close(git_repository *repo)
{
	if (!repo)
		return;
	git_repository_free(repo);
	git_libgit2_shutdown();
}

/*
 * realpath() of `path`, or of its folder with the last component added
 * back when `path` itself does not exist. NULL with errno set on failure.
 */
static char *resolve_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL, *real = NULL, *joined = NULL;
	const char *name;
	varve_buf b = VARVE_BUF_INIT;

	if ((real = realpath(path, NULL)) || errno != ENOENT)
		return real;
	if (slash) {
		dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
		name = slash + 1;
	} else {
		dir = strdup(".");
		name = path;
	}
	if (!dir)
		return NULL;
	if ((real = realpath(dir, NULL))) {
		varve_buf_printf(&b, "%s%s%s", real, real[strlen(real) - 1] == '/' ? "" : "/",
				 name);
		if (!b.oom)
			joined = varve_buf_detach(&b);
		else
			errno = ENOMEM;
	}
	varve_buf_dispose(&b);
	free(real);
	free(dir);
	return joined;
}

int varve_gitlog__relative(char **out, git_repository *repo, const char *path)
{
	const char *workdir = git_repository_workdir(repo);
	char *root = NULL, *full = NULL;
	const char *rest;
	size_t n;
	int error = 0;

	*out = NULL;
	if (!workdir)
		return varve_error__set(VARVE_EINVALID, "'%s' is in a bare git repository", path);
	if (!(root = resolve_path(workdir)) || !(full = resolve_path(path))) {
		error = errno == ENOMEM ? varve_error__oom()
					: varve_error__set(VARVE_EIO, "cannot resolve '%s': %s",
							   root ? path : workdir, strerror(errno));
		goto done;
	}
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (strcmp(root, "/") == 0) {
		rest = full + 1;
	} else if (strncmp(full, root, n) == 0 && (full[n] == '/' || !full[n])) {
		rest = full + n + (full[n] == '/');
	} else {
		error = varve_error__set(VARVE_EINVALID,
					 "'%s' is outside the git working tree '%s'", path, root);
		goto done;
	}
	if (!(*out = strdup(rest)))
		error = varve_error__oom();
done:
	free(root);
	free(full);
	return error;
}

/* ---------------------------------------------------------------------------
 * Entry orders
 */

/* A file deleted after it was added: left out of the result. */
#define GONE (SIZE_MAX - 1)

/* Set the order of `path`, adding the file when new. */
static int note(varve_gitlog *log, const char *path, size_t order)
{
	size_t at;
	const char *key;

	if (varve_strmap_get(&log->by_path, path, &at)) {
		log->files[at].order = order;
		return 0;
	}
	if (order == GONE)
		return 0; /* deleted without being seen: nothing to forget */
	if (log->count == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 64;
		varve_gitlog_file *f = realloc(log->files, cap * sizeof(*f));

		if (!f)
			return varve_error__oom();
		log->files = f;
		log->cap = cap;
	}
	if (!(key = varve_arena_strdup(&log->arena, path)))
		return varve_error__oom();
	if (varve_strmap_put(&log->by_path, key, log->count, NULL) < 0)
		return varve_error__oom();
	log->files[log->count].path = key;
	log->files[log->count].order = order;
	log->files[log->count].tracked = false;
	log->count++;
	return 0;
}

/*
 * The id of the folder's tree in `commit`; *present is false when the
 * commit has no such folder. Only the trees above the folder are read: the
 * folder's own tree, the large one, is read only when its id changed.
 */
static int folder_id(git_oid *out, bool *present, git_repository *repo, const git_commit *commit,
		     const char *folder)
{
	git_tree *root = NULL;
	git_tree_entry *entry = NULL;
	int rc, error = 0;

	*present = false;
	if (!*folder) {
		git_oid_cpy(out, git_commit_tree_id(commit));
		*present = true;
		return 0;
	}
	if (git_tree_lookup(&root, repo, git_commit_tree_id(commit)) < 0)
		return git_fail(VARVE_ERROR, "cannot read a commit's tree");
	rc = git_tree_entry_bypath(&entry, root, folder);
	if (rc == GIT_ENOTFOUND)
		goto done;
	if (rc < 0) {
		error = git_fail(VARVE_ERROR, "cannot read a commit's tree");
		goto done;
	}
	/* A file where the folder should be holds no migrations. */
	if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
		git_oid_cpy(out, git_tree_entry_id(entry));
		*present = true;
	}
done:
	git_tree_entry_free(entry);
	git_tree_free(root);
	return error;
}

/* Note the files added and deleted between two trees of the folder. */
static int diff_folder(varve_gitlog *log, git_repository *repo, git_tree *old, git_tree *now,
		       size_t order)
{
	git_diff_options opts;
	git_diff *diff = NULL;
	size_t n;
	int error = 0;

	/* The header's initialiser leaves fields out, which -Wextra rejects. */
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	/* Only which paths exist matters: never look into blobs. */
	opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, repo, old, now, &opts) < 0)
		return git_fail(VARVE_ERROR, "cannot compare trees");
	n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n && !error; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status == GIT_DELTA_ADDED)
			error = note(log, d->new_file.path, order);
		else if (d->status == GIT_DELTA_DELETED)
			error = note(log, d->old_file.path, GONE);
		else if (d->status == GIT_DELTA_TYPECHANGE)
			error = note(log, d->new_file.path, order);
	}
	git_diff_free(diff);
	return error;
}

/* The folder as the walk last saw it. */
typedef struct walk_state {
	git_tree *prev;
	git_oid prev_id;
	bool prev_present;
} walk_state;

/* One commit of the chain, oldest first: note what changed in the folder. */
static int visit(varve_gitlog *log, git_repository *repo, const char *folder, walk_state *w,
		 const git_oid *oid)
{
	size_t order = log->commits++;
	git_commit *commit = NULL;
	git_tree *now = NULL;
	git_oid now_id;
	bool now_present;
	int error;

	if (git_commit_lookup(&commit, repo, oid) < 0)
		return git_fail(VARVE_ERROR, "cannot read a commit");
	error = folder_id(&now_id, &now_present, repo, commit, folder);
	git_commit_free(commit);
	if (error)
		return error;
	/* The same folder id: not one file changed. */
	if (now_present == w->prev_present &&
	    (!now_present || git_oid_equal(&now_id, &w->prev_id)))
		return 0;
	if (now_present && git_tree_lookup(&now, repo, &now_id) < 0)
		return git_fail(VARVE_ERROR, "cannot read a commit's tree");
	if ((error = diff_folder(log, repo, w->prev, now, order)) != 0) {
		git_tree_free(now);
		return error;
	}
	git_tree_free(w->prev);
	w->prev = now;
	w->prev_present = now_present;
	git_oid_cpy(&w->prev_id, &now_id);
	return 0;
}

/*
 * The first-parent chain of a shallow clone, from HEAD down to the first
 * commit whose parent was not fetched: libgit2 (1.5) walks into the
 * missing parent and fails. Oldest first in *out (malloc'd).
 */
static int shallow_chain(git_oid **out, size_t *n, git_repository *repo)
{
	git_oid *ids = NULL, at;
	size_t cap = 0;
	int error = 0;

	*out = NULL;
	*n = 0;
	if (git_reference_name_to_id(&at, repo, "HEAD") < 0)
		return git_fail(VARVE_ERROR, "cannot read HEAD");
	for (;;) {
		git_commit *c = NULL;
		int rc;

		if (*n == cap) {
			git_oid *more;

			cap = cap ? 2 * cap : 64;
			if (!(more = realloc(ids, cap * sizeof(*ids)))) {
				error = varve_error__oom();
				break;
			}
			ids = more;
		}
		rc = git_commit_lookup(&c, repo, &at);
		if (rc == GIT_ENOTFOUND && *n)
			break; /* the shallow boundary */
		if (rc < 0) {
			error = git_fail(VARVE_ERROR, "cannot read a commit");
			break;
		}
		git_oid_cpy(&ids[(*n)++], &at);
		if (git_commit_parentcount(c) == 0) {
			git_commit_free(c);
			break;
		}
		git_oid_cpy(&at, git_commit_parent_id(c, 0));
		git_commit_free(c);
	}
	if (error) {
		free(ids);
		*n = 0;
		return error;
	}
	for (size_t i = 0; i < *n / 2; i++) {
		git_oid t = ids[i];

		ids[i] = ids[*n - 1 - i];
		ids[*n - 1 - i] = t;
	}
	*out = ids;
	return 0;
}

/*
 * Walk HEAD's first-parent chain from the root commit up (in a shallow
 * clone, from the oldest commit fetched: `shallow_ok`, else refused). An
 * unborn HEAD is an empty chain.
 */
static int walk_chain(varve_gitlog *log, git_repository *repo, const char *folder,
		      bool shallow_ok)
{
	git_revwalk *walk = NULL;
	walk_state w = {NULL, {{0}}, false};
	git_oid oid, *ids = NULL;
	size_t n = 0;
	int rc, error = 0;

	/* push_head reports an unborn HEAD as a plain error: ask first. */
	if ((rc = git_repository_head_unborn(repo)) == 1)
		return 0;
	if (rc < 0)
		return git_fail(VARVE_ERROR, "cannot read HEAD");
	if ((rc = git_repository_is_shallow(repo)) == 1) {
		const char *where = git_repository_workdir(repo);

		if (!shallow_ok)
			return varve_error__set(
			    VARVE_EINVALID,
			    "the git history of '%s' is shallow (a shallow clone): the order in "
			    "which migrations entered it is not all there; fetch the rest with "
			    "'git fetch --unshallow', or give the base with --against REF to "
			    "number from the commits that are there",
			    where ? where : git_repository_path(repo));
		log->shallow = true;
		if ((error = shallow_chain(&ids, &n, repo)) != 0)
			return error;
		for (size_t i = 0; i < n && !error; i++)
			error = visit(log, repo, folder, &w, &ids[i]);
		goto done;
	}
	if (git_revwalk_new(&walk, repo) < 0)
		return git_fail(VARVE_ERROR, "cannot walk the history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	git_revwalk_simplify_first_parent(walk);
	if (git_revwalk_push_head(walk) < 0) {
		error = git_fail(VARVE_ERROR, "cannot read HEAD");
		goto done;
	}
	while ((rc = git_revwalk_next(&oid, walk)) == 0)
		if ((error = visit(log, repo, folder, &w, &oid)) != 0)
			goto done;
	if (rc != GIT_ITEROVER)
		error = git_fail(VARVE_ERROR, "cannot walk the history");
done:
	free(ids);
	git_tree_free(w.prev);
	git_revwalk_free(walk);
	return error;
}

/* Add the files of the working tree's folder that no commit holds. */
static int scan_worktree(varve_gitlog *log, varve_buf *abs, varve_buf *rel, int depth)
{
	DIR *dir;
	struct dirent *de;
	size_t abs_len = abs->len, rel_len = rel->len;
	int error = 0;

	if (!(dir = opendir(abs->ptr)))
		return errno == ENOENT || errno == ENOTDIR
			   ? 0
			   : varve_error__set(VARVE_EIO, "cannot read '%s': %s", abs->ptr,
					      strerror(errno));
	while (!error && (de = readdir(dir))) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0)
			continue;
		varve_buf_printf(abs, "/%s", de->d_name);
		varve_buf_printf(rel, "%s%s", rel_len ? "/" : "", de->d_name);
		if (abs->oom || rel->oom) {
			error = varve_error__oom();
			break;
		}
		if (lstat(abs->ptr, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
				error = scan_worktree(log, abs, rel, depth + 1);
			else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
				 !varve_strmap_get(&log->by_path, rel->ptr, NULL))
				error = note(log, rel->ptr, VARVE_GITLOG_UNCOMMITTED);
		}
		abs->ptr[abs->len = abs_len] = '\0';
		rel->ptr[rel->len = rel_len] = '\0';
	}
	closedir(dir);
	return error;
}

/*
 * Leave out the files deleted since, rebuilding the map over what is left;
 * then ask the index which are tracked.
 */
static int finish(varve_gitlog *log, git_repository *repo, const char *folder)
{
	git_index *index = NULL;
	varve_buf full = VARVE_BUF_INIT;
	size_t kept = 0;
	int error = 0;

	varve_strmap_dispose(&log->by_path);
	for (size_t i = 0; i < log->count; i++) {
		if (log->files[i].order == GONE)
			continue;
		log->files[kept] = log->files[i];
		if (varve_strmap_put(&log->by_path, log->files[kept].path, kept, NULL) < 0)
			return varve_error__oom();
		kept++;
	}
	log->count = kept;
	if (git_repository_index(&index, repo) < 0)
		return git_fail(VARVE_ERROR, "cannot read the git index");
	for (size_t i = 0; i < log->count; i++) {
		varve_buf_clear(&full);
		varve_buf_printf(&full, "%s%s%s", folder, *folder ? "/" : "", log->files[i].path);
		if (full.oom) {
			error = varve_error__oom();
			break;
		}
		log->files[i].tracked = git_index_get_bypath(index, full.ptr, 0) != NULL;
	}
	varve_buf_dispose(&full);
	git_index_free(index);
	return error;
}

int varve_gitlog__entries(varve_gitlog **out, git_repository *repo, const char *folder,
			  bool shallow_ok)
{
	varve_gitlog *log;
	varve_buf abs = VARVE_BUF_INIT, rel = VARVE_BUF_INIT;
	const char *workdir = git_repository_workdir(repo);
	int error;

	*out = NULL;
	if (!(log = calloc(1, sizeof(*log))))
		return varve_error__oom();
	if ((error = walk_chain(log, repo, folder, shallow_ok)) != 0)
		goto done;
	if (workdir) {
		varve_buf_printf(&abs, "%s%s", workdir, folder);
		varve_buf_puts(&rel, "");
		while (abs.len > 1 && abs.ptr[abs.len - 1] == '/')
			abs.ptr[--abs.len] = '\0';
		if (abs.oom || rel.oom) {
			error = varve_error__oom();
			goto done;
		}
		if ((error = scan_worktree(log, &abs, &rel, 0)) != 0)
			goto done;
	}
	if ((error = finish(log, repo, folder)) != 0)
		goto done;
	*out = log;
	log = NULL;
done:
	varve_buf_dispose(&abs);
	varve_buf_dispose(&rel);
	varve_gitlog__free(log);
	return error;
}

const varve_gitlog_file *varve_gitlog__find(const varve_gitlog *log, const char *path)
{
	size_t at;

	if (!varve_strmap_get(&log->by_path, path, &at))
		return NULL;
	return &log->files[at];
}

void varve_gitlog__free(varve_gitlog *log)
{
	if (!log)
		return;
	varve_strmap_dispose(&log->by_path);
	varve_arena_dispose(&log->arena);
	free(log->files);
	free(log);
}

/* ---------------------------------------------------------------------------
 * Other commits
 */

int varve_gitlog__resolve(git_oid *out, git_repository *repo, const char *ref)
{
	git_object *obj = NULL, *commit = NULL;
	int rc, error = 0;

	rc = git_revparse_single(&obj, repo, ref);
	if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EAMBIGUOUS)
		return varve_error__set(VARVE_ENOTFOUND, "unknown revision '%s'", ref);
	if (rc < 0)
		return git_fail(VARVE_ERROR, "cannot resolve revision");
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
		error =
		    varve_error__set(VARVE_ENOTFOUND, "unknown revision '%s': not a commit", ref);
	else
		git_oid_cpy(out, git_object_id(commit));
	git_object_free(commit);
	git_object_free(obj);
	return error;
}

int varve_gitlog__merge_base(git_oid *out, git_repository *repo, const git_oid *commit)
{
	git_oid head;
	int rc;

	rc = git_reference_name_to_id(&head, repo, "HEAD");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return VARVE_ENOTFOUND;
	if (rc < 0)
		return git_fail(VARVE_ERROR, "cannot read HEAD");
	rc = git_merge_base(out, repo, &head, commit);
	if (rc == GIT_ENOTFOUND)
		return VARVE_ENOTFOUND;
	if (rc < 0)
		return git_fail(VARVE_ERROR, "cannot find the merge base");
	return 0;
}

int varve_gitlog__read(char **out, size_t *len, git_repository *repo, const git_oid *commit_id,
		       const char *path)
{
	git_commit *commit = NULL;
	git_object *obj = NULL;
	const git_blob *blob;
	git_object_size_t size;
	int rc, error = 0;

	*out = NULL;
	*len = 0;
	if (git_commit_lookup(&commit, repo, commit_id) < 0)
		return git_fail(VARVE_ERROR, "cannot read a commit");
	rc = git_object_lookup_bypath(&obj, (const git_object *)commit, path, GIT_OBJECT_BLOB);
	if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
		error = VARVE_ENOTFOUND;
		goto done;
	}
	if (rc < 0) {
		error = git_fail(VARVE_ERROR, "cannot read a file from git");
		goto done;
	}
	blob = (const git_blob *)obj;
	size = git_blob_rawsize(blob);
	if ((uint64_t)size >= SIZE_MAX || !(*out = malloc((size_t)size + 1))) {
		error = varve_error__oom();
		goto done;
	}
	memcpy(*out, git_blob_rawcontent(blob), (size_t)size);
	(*out)[size] = '\0';
	*len = (size_t)size;
done:
	git_object_free(obj);
	git_commit_free(commit);
	return error;
}
