#include "common.h"
#include "error.h"

int varve_check(const char *path, const varve_check_options *options,
		varve_diag_list *diags)
{
	(void)options; (void)diags;
	return varve_error__set(VARVE_ERROR, "cannot check '%s': not implemented", path);
}
