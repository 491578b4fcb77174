#include "graph.h"
#include "error.h"

int varve_graph_build(varve_graph **out, const varve_manifest *manifest,
		      varve_diag_list *diags)
{
	(void)manifest; (void)diags;
	*out = NULL;
	return varve_error__set(VARVE_ERROR, "not implemented");
}

void varve_graph_free(varve_graph *graph) { (void)graph; }
