/* Internal side of varve check: the git-aware part, for callers that hold
 * the manifest already. */
#ifndef VARVE_CHECK_H
#define VARVE_CHECK_H

#include "common.h"
#include "manifest.h"

/*
 * varve_check_against on a loaded manifest (see varve.h). Findings are
 * positioned in `manifest`.
 */
int varve_check__against(const varve_manifest *manifest, const char *ref, varve_diag_list *diags);

#endif
