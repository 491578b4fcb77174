#include "sqlfile.h"
#include "error.h"

int varve_sqlfile_read(varve_sqlfile **out, const char *path,
		       const char *display, bool split,
		       varve_section_kind kind, varve_diag_list *diags)
{
	(void)display; (void)split; (void)kind; (void)diags;
	*out = NULL;
	return varve_error__set(VARVE_EIO, "cannot read '%s': not implemented", path);
}

void varve_sqlfile_free(varve_sqlfile *file) { (void)file; }
