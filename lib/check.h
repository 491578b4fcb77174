/* Internal side of varve check: the git-aware part, for callers that hold
 * the manifest already. */
#ifndef VARVE_CHECK_H
#define VARVE_CHECK_H

#include "common.h"
#include "manifest.h"

/*
 * varve_check_against on a loaded manifest (see varve.h). Findings are
 * positioned in `manifest`. With `new_timestamps`, also a
 * timestamp-revision warning for each timestamp revision this branch adds
 * (in neither REF's manifest nor the merge base's).
 */
int varve_check__against(const varve_manifest *manifest, const char *ref, bool new_timestamps,
			 varve_diag_list *diags);

#endif
