/* Paths named by a manifest must stay inside the project (SPEC §2). */
#ifndef VARVE_PATH_H
#define VARVE_PATH_H

#include "common.h"

/*
 * Whether `rel`, a path written in the manifest, is safe to open under
 * `root`: relative, no `..` component, not empty, and no existing
 * component that is a symlink leading outside `root`. Returns 0 when safe;
 * otherwise VARVE_EINVALID with a static one-line reason in *reason
 * (e.g. "absolute path", "'..' escapes the project",
 * "symlink leads outside the project").
 */
int varve_path__check(const char *root, const char *rel, const char **reason);

/*
 * The same for `rel` inside `dir`, a folder under `root` that was already
 * checked: only the components of `rel` are examined (one lstat each), so
 * checking many files in one directory stays cheap. `dir` may be NULL.
 */
int varve_path__check_under(const char *root, const char *dir,
			    const char *rel, const char **reason);

#endif
