/*
 * Internal side of the migration graph, shared with the target resolver
 * and the planner.
 *
 * Nodes are the unique revisions, numbered in manifest order of their
 * first entry, so a smaller node number is an earlier entry. Edges are
 * kept in compressed form: the parents of node v are
 * parents[parent_off[v] .. parent_off[v + 1]), likewise children, each
 * list in node (manifest) order.
 */
#ifndef VARVE_GRAPH_H
#define VARVE_GRAPH_H

#include "common.h"
#include "manifest.h"
#include "strmap.h"
#include "buf.h"

/* rank[] of a node left out of the order (a member of a cycle). */
#define VARVE_GRAPH_UNORDERED SIZE_MAX

struct varve_graph {
	const varve_manifest *manifest;
	size_t count;
	const varve_migration **nodes; /* node -> its (first) entry */
	varve_strmap by_revision;      /* revision -> node */

	size_t *parent_off; /* count + 1 */
	size_t *parents;
	size_t *child_off; /* count + 1 */
	size_t *children;

	size_t *order; /* topological, ties by manifest order */
	size_t order_count;
	size_t *rank; /* node -> position in order, or VARVE_GRAPH_UNORDERED */

	size_t *roots; /* no resolved parents, manifest order */
	size_t root_count;
	size_t *heads; /* no children, manifest order */
	size_t head_count;

	/* Branch labels: the node that carries each one (first use wins). */
	varve_strmap by_label; /* label -> node */

	bool has_cycle;
	bool has_unknown_parent;
};

/*
 * Whether a cycle or an unknown parent makes the graph unfit to run.
 * multiple-roots and multiple-heads are not reported for such a graph.
 * Note: varve_graph_is_ancestor walks the graph on each call; for many
 * questions about one set, mark it once with varve_graph__ancestors.
 */
bool varve_graph__broken(const varve_graph *graph);

/* The node that carries branch label `label`, or -1. */
long varve_graph__label(const varve_graph *graph, const char *label);

/*
 * Mark `nodes[0..n)` and every ancestor of them in `mark` (an array of
 * graph->count bools, not cleared here; a node already marked is taken
 * as done, with its ancestors). Linear in the nodes visited.
 * Returns 0 or VARVE_ENOMEM.
 */
int varve_graph__ancestors(const varve_graph *graph, const size_t *nodes,
			   size_t n, bool *mark);

/*
 * Mark `node` and every descendant of it in `mark` (graph->count bools,
 * not cleared here): the members of a branch label carried by `node`.
 * Returns 0 or VARVE_ENOMEM.
 */
int varve_graph__descendants(const varve_graph *graph, size_t node,
			     bool *mark);

/*
 * Append "'a', 'b', 'c'" naming `nodes[0..n)` to `buf`, at most `limit`
 * of them followed by "and N more".
 */
void varve_graph__list(const varve_graph *graph, varve_buf *buf,
		       const size_t *nodes, size_t n, size_t limit);

/*
 * A min-heap of size_t (the Kahn queue of the order: nodes, or any
 * priority ranks a caller maps back to nodes). `items` holds room for
 * every value pushed; the caller allocates and frees it.
 */
typedef struct varve_graph__heap {
	size_t *items;
	size_t len;
} varve_graph__heap;

void varve_graph__heap_push(varve_graph__heap *h, size_t v);
/* The smallest value; the heap must not be empty. */
size_t varve_graph__heap_pop(varve_graph__heap *h);

/*
 * Steps (lib/target.c) of exactly `nodes[0..n)` in that order, for the
 * callers that plan by themselves (redo, test). Returns 0 or VARVE_ENOMEM.
 */
int varve_steps__new(varve_steps **out, const size_t *nodes, size_t n);

#endif
