#include "manifest.h"
#include "diag.h"
#include "error.h"

int varve_manifest_load(varve_manifest **out, const char *path,
			varve_diag_list *diags)
{
	(void)diags;
	*out = NULL;
	return varve_error__set(VARVE_ERROR, "cannot load '%s': not implemented", path);
}
