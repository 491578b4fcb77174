/* Internal side of the commands that edit the manifest (author.c, fix.c). */
#ifndef VARVE_AUTHOR_H
#define VARVE_AUTHOR_H

#include "common.h"
#include "graph.h"
#include "manifest.h"

/*
 * Load the manifest at `path` (and with `g`, its graph) for an edit.
 * Findings go to `diags` (may be NULL) only when they refuse the edit:
 * any error among them does, except several heads or roots, which are
 * what `merge` and `fix --linearize` are for. Returns VARVE_EINVALID
 * ("cannot edit ...: it has N errors"), VARVE_EIO, VARVE_ENOMEM; on
 * failure *m and *g are NULL.
 */
int varve_author__load(varve_manifest **m, varve_graph **g, const char *path,
		       varve_diag_list *diags);

/*
 * Remove what a `kill -9` of an edit left beside the manifest at `path`
 * and in its migrations folder (`m` may be NULL: then only the former):
 * temporary files of processes that are gone (see varve_rewrite__stale),
 * and a SQL file `new` linked into place for an entry the manifest does
 * not have (the same file as its temporary one). Call it under the
 * manifest's lock. Best effort: failures are ignored.
 */
void varve_author__sweep(const char *path, const varve_manifest *m);

#endif
