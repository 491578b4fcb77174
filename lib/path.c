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

int varve_path__check(const char *root, const char *rel, const char **reason)
{
	varve_buf path = VARVE_BUF_INIT;
	char *real_root = NULL;
	size_t i, start;
	int error = 0;

	if ((*reason = lexical_problem(rel)) != NULL)
		return VARVE_EINVALID;
	varve_buf_printf(&path, "%s/%s", root, rel);
	if (path.oom)
		return VARVE_ENOMEM;
	/* Walk each existing component: the kernel follows links in earlier
	 * components, so lstat sees the link itself at each step. */
	start = strlen(root) + 1;
	for (i = start; i <= path.len; i++) {
		struct stat st;
		char saved = path.ptr[i];

		if (saved != '/' && saved != '\0')
			continue;
		if (i == start || path.ptr[i - 1] == '/')
			continue;
		path.ptr[i] = '\0';
		if (lstat(path.ptr, &st) < 0) {
			path.ptr[i] = saved;
			break; /* missing: not an escape */
		}
		if (S_ISLNK(st.st_mode) &&
		    !link_inside(root, &real_root, path.ptr)) {
			*reason = "symlink leads outside the project";
			error = VARVE_EINVALID;
		}
		path.ptr[i] = saved;
		if (error)
			break;
	}
	free(real_root);
	varve_buf_dispose(&path);
	return error;
}
