#include "path.h"
#include "buf.h"

#include <sys/stat.h>
#include <unistd.h>

/* The lexical rules: no empty path, no absolute path, no `..` component. */
static const char *lexical_problem(const char *rel)
{
	const char *p = rel;

	if (!*rel)
		return "empty path";
	if (*rel == '/')
		return "absolute path";
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "'..' escapes the project";
		p += n;
		while (*p == '/')
			p++;
	}
	return NULL;
}

/* Whether the resolved `real` lies inside the resolved `root`. */
static bool is_inside(const char *root, const char *real)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return true;
	return strncmp(root, real, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

/*
 * Resolve the symlink `path` (a prefix of the joined path) and tell whether
 * it stays inside `root`. The root is resolved once, on the first symlink,
 * since most paths have none. A dangling link counts as missing, which the
 * caller reports elsewhere; so does a root that cannot be resolved.
 */
static bool link_inside(const char *root, char **real_root, const char *path)
{
	char *target;
	bool inside;

	if (!*real_root && !(*real_root = realpath(root, NULL)))
		return true;
	if (!(target = realpath(path, NULL)))
		return true;
	inside = is_inside(*real_root, target);
	free(target);
	return inside;
}

/*
 * Walk the components of `path` from byte `start` on (the part before is
 * known to be safe): the kernel follows links in earlier components, so
 * lstat sees each link itself, and only links are resolved.
 */
static int walk(const char *root, varve_buf *path, size_t start,
		const char **reason)
{
	char *real_root = NULL;
	int error = 0;

	for (size_t i = start; i <= path->len && !error; i++) {
		struct stat st;
		char saved = path->ptr[i];

		if ((saved != '/' && saved != '\0') || i == start ||
		    path->ptr[i - 1] == '/')
			continue;
		path->ptr[i] = '\0';
		if (lstat(path->ptr, &st) < 0) {
			path->ptr[i] = saved;
			break; /* missing: not an escape */
		}
		if (S_ISLNK(st.st_mode) && !link_inside(root, &real_root, path->ptr)) {
			*reason = "symlink leads outside the project";
			error = VARVE_EINVALID;
		}
		path->ptr[i] = saved;
	}
	free(real_root);
	return error;
}

int varve_path__check(const char *root, const char *rel, const char **reason)
{
	return varve_path__check_under(root, NULL, rel, reason);
}

int varve_path__check_under(const char *root, const char *dir,
			    const char *rel, const char **reason)
{
	varve_buf path = VARVE_BUF_INIT;
	size_t start;
	int error;

	if ((*reason = lexical_problem(rel)) != NULL)
		return VARVE_EINVALID;
	varve_buf_puts(&path, root);
	varve_buf_putc(&path, '/');
	if (dir) {
		varve_buf_puts(&path, dir);
		varve_buf_putc(&path, '/');
	}
	start = path.len;
	varve_buf_puts(&path, rel);
	error = path.oom ? VARVE_ENOMEM : walk(root, &path, start, reason);
	varve_buf_dispose(&path);
	return error;
}
