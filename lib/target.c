#include "common.h"
#include "error.h"

int varve_target_resolve(varve_steps **out, const varve_graph *graph,
			 const char *target, varve_direction direction,
			 const char *const *applied, size_t applied_count)
{
	(void)graph; (void)target; (void)direction; (void)applied; (void)applied_count;
	*out = NULL;
	return varve_error__set(VARVE_ERROR, "not implemented");
}

void varve_steps_free(varve_steps *steps) { (void)steps; }
