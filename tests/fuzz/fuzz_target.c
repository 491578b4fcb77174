/*
 * Fuzz entry point for the target parser and resolver: each input is one
 * target string, resolved in both directions against a fixed branchy
 * graph and a fixed applied state, and as a plain node set.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "graph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static varve_manifest *manifest;
static varve_graph *graph;

static void add(const char *revision, const char *label, size_t n, ...)
{
	const char *parents[4];
	varve_migration *mig = NULL;
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		parents[i] = va_arg(ap, const char *);
	va_end(ap);
	if (varve_manifest__add(manifest, &mig, revision, parents, n) != 0)
		abort();
	if (label)
		mig->branch = varve_manifest__strdup(manifest, label);
}

/*
 *   0001 - 0002 - 0003 [billing] - 0004 - 0006 (merge) - 0007
 *               \ 0005 [search] ---------/            \ 0008 [audit]
 *   ab12 (root) [other] - ab34
 */
static void setup(void)
{
	varve_diag_list *diags = NULL;

	if (varve_manifest__new(&manifest, "varve.yaml") != 0 ||
	    varve_diag_list_new(&diags) != 0)
		abort();
	add("0001", NULL, 0);
	add("0002", NULL, 1, "0001");
	add("0003", "billing", 1, "0002");
	add("0004", NULL, 1, "0003");
	add("0005", "search", 1, "0002");
	add("0006", NULL, 2, "0004", "0005");
	add("0007", NULL, 1, "0006");
	add("0008", "audit", 1, "0006");
	add("ab12", "other", 0);
	add("ab34", NULL, 1, "ab12");
	if (varve_graph_build(&graph, manifest, diags) != 0)
		abort();
	varve_diag_list_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const applied[] = { "0001", "0002", "ab12", "0005",
					       "0003", "gone", "0004" };
	varve_steps *steps = NULL;
	size_t *nodes = NULL, count = 0;
	char *target;

	if (!graph)
		setup();
	if (!(target = malloc(size + 1)))
		return 0;
	memcpy(target, data, size);
	target[size] = '\0';

	for (int dir = VARVE_UPGRADE; dir <= VARVE_DOWNGRADE; dir++) {
		if (varve_target_resolve(&steps, graph, target,
					 (varve_direction)dir, applied,
					 sizeof(applied) / sizeof(*applied)) == 0) {
			for (size_t i = 0; i < varve_steps_count(steps); i++)
				if (varve_steps_at(steps, i) >= graph->count)
					abort();
			varve_steps_free(steps);
		} else if (steps) {
			abort();
		}
		steps = NULL;
	}
	if (varve_target_nodes(&nodes, &count, graph, target) == 0)
		for (size_t i = 0; i < count; i++)
			if (nodes[i] >= graph->count)
				abort();
	free(nodes);
	free(target);
	return 0;
}
