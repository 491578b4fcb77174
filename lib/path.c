#include "path.h"

int varve_path__check(const char *root, const char *rel, const char **reason)
{
	(void)root;
	(void)rel;
	*reason = "not implemented";
	return VARVE_EINVALID;
}
