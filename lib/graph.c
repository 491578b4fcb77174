/*
 * The migration graph: nodes, edges, a deterministic topological order,
 * roots, heads, branch labels, and the link findings of SPEC §3.
 *
 * Manifests may hold 100,000 entries and `check` must stay near a second,
 * so every step here is linear or O(n log n): a hash map for revisions,
 * compressed edge arrays, Kahn's algorithm over a binary heap, Tarjan's
 * algorithm (iterative: chains are deep) only over what Kahn left behind.
 */
#include "graph.h"
#include "diag.h"
#include "error.h"

/* Names listed in one message before "and N more". */
#define LIST_LIMIT 10
/* Unknown parents that get a "did you mean" (each costs a few thousand lookups). */
#define SUGGEST_LIMIT 64
/* Revisions longer than this get no one-edit suggestion. */
#define SUGGEST_MAXLEN 64
/* Nodes printed in a cycle's path before it is shortened. */
#define PATH_HEAD 16

#define NONE SIZE_MAX

static const char rev_chars[] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";

static varve_pos pos_or(varve_pos p, varve_pos fallback)
{
	return p.line ? p : fallback;
}

static const char *rev(const varve_graph *g, size_t node)
{
	return g->nodes[node]->revision;
}

/* malloc for n elements of `size`, never asking for 0 bytes. */
static void *alloc_array(size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n)
		return NULL;
	return malloc(n ? n * size : 1);
}

/* ---------------------------------------------------------------------------
 * A min-heap of node numbers: the smallest node is the earliest entry, so
 * popping it breaks ties by manifest order.
 */

typedef varve_graph__heap heap;
#define heap_push varve_graph__heap_push
#define heap_pop varve_graph__heap_pop

void varve_graph__heap_push(varve_graph__heap *h, size_t v)
{
	size_t i = h->len++;

	while (i > 0) {
		size_t up = (i - 1) / 2;

		if (h->items[up] <= v)
			break;
		h->items[i] = h->items[up];
		i = up;
	}
	h->items[i] = v;
}

size_t varve_graph__heap_pop(varve_graph__heap *h)
{
	size_t top = h->items[0], last = h->items[--h->len], i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->len)
			break;
		if (c + 1 < h->len && h->items[c + 1] < h->items[c])
			c++;
		if (last <= h->items[c])
			break;
		h->items[i] = h->items[c];
		i = c;
	}
	if (h->len)
		h->items[i] = last;
	return top;
}

/* ---------------------------------------------------------------------------
 * Messages
 */

void varve_graph__list(const varve_graph *g, varve_buf *buf,
		       const size_t *nodes, size_t n, size_t limit)
{
	for (size_t i = 0; i < n && i < limit; i++)
		varve_buf_printf(buf, "%s'%s'", i ? ", " : "",
				 rev(g, nodes[i]));
	if (n > limit)
		varve_buf_printf(buf, " and %zu more", n - limit);
}

/*
 * A revision that `name` was probably meant to be: the only one that
 * starts with it, else the only one a single edit (insert, delete,
 * substitute, swap two neighbours) away. -1 when there is no unique one.
 */
static long suggest(const varve_graph *g, const char *name)
{
	size_t len = strlen(name), hits = 0, node;
	long found = -1;
	char buf[SUGGEST_MAXLEN + 2];

	if (len == 0)
		return -1;
	for (size_t v = 0; v < g->count && hits < 2; v++) {
		if (strncmp(rev(g, v), name, len) == 0) {
			found = (long)v;
			hits++;
		}
	}
	if (hits == 1)
		return found;
	if (hits > 1 || len > SUGGEST_MAXLEN)
		return -1;

#define TRY()                                                          \
	do {                                                           \
		if (varve_strmap_get(&g->by_revision, buf, &node)) {   \
			if (found >= 0 && (size_t)found != node)       \
				return -1;                             \
			found = (long)node;                            \
		}                                                      \
	} while (0)

	for (size_t i = 0; i < len; i++) {
		/* deletion */
		memcpy(buf, name, i);
		memcpy(buf + i, name + i + 1, len - i);
		TRY();
		/* swap with the next */
		if (i + 1 < len) {
			memcpy(buf, name, len + 1);
			buf[i] = name[i + 1];
			buf[i + 1] = name[i];
			TRY();
		}
		/* substitution */
		memcpy(buf, name, len + 1);
		for (const char *c = rev_chars; *c; c++) {
			if (*c == name[i])
				continue;
			buf[i] = *c;
			TRY();
		}
	}
	for (size_t i = 0; i <= len; i++) {
		/* insertion */
		memcpy(buf, name, i);
		memcpy(buf + i + 1, name + i, len - i + 1);
		for (const char *c = rev_chars; *c; c++) {
			buf[i] = *c;
			TRY();
		}
	}
#undef TRY
	return found;
}

/* ---------------------------------------------------------------------------
 * Building
 */

/* Nodes are the unique revisions; a later entry with a taken one is reported. */
static int add_nodes(varve_graph *g, varve_diag_list *diags)
{
	const varve_manifest *m = g->manifest;
	int error;

	if (!(g->nodes = alloc_array(m->count, sizeof(*g->nodes))))
		return varve_error__oom();
	for (size_t i = 0; i < m->count; i++) {
		const varve_migration *mig = m->migrations[i];
		size_t first;
		int r;

		/* The loader leaves out what it could not read. */
		if (!mig->revision)
			continue;
		r = varve_strmap_put(&g->by_revision, mig->revision, g->count,
				     &first);
		if (r < 0)
			return r;
		if (r == 1) {
			const varve_migration *was = g->nodes[first];
			varve_pos at = pos_or(mig->revision_pos, mig->pos);
			varve_pos there = pos_or(was->revision_pos, was->pos);

			error = varve_diag__error(
				diags, "duplicate-revision", m->path, at.line,
				at.column,
				"revision '%s' is already defined at line %u",
				mig->revision, there.line);
			if (error)
				return error;
			continue;
		}
		g->nodes[g->count++] = mig;
	}
	return 0;
}

/*
 * unknown-down-revision at the parent's position, with a guess when
 * `guess` (each guess costs a few thousand lookups, so only the first
 * SUGGEST_LIMIT get one).
 */
static int report_unknown(const varve_graph *g, const varve_migration *mig,
			  size_t i, bool guess, varve_diag_list *diags)
{
	const char *name = mig->parents[i];
	varve_pos none = { 0, 0 };
	varve_pos at = pos_or(mig->parent_pos ? mig->parent_pos[i] : none,
			      pos_or(mig->down_revision_pos,
				     pos_or(mig->revision_pos, mig->pos)));
	long hint = guess ? suggest(g, name) : -1;

	if (hint < 0)
		return varve_diag__error(diags, "unknown-down-revision",
					 g->manifest->path, at.line, at.column,
					 "down_revision '%s' of '%s' is not defined",
					 name, mig->revision);
	return varve_diag__error(diags, "unknown-down-revision",
				 g->manifest->path, at.line, at.column,
				 "down_revision '%s' of '%s' is not defined; "
				 "did you mean '%s'?",
				 name, mig->revision, rev(g, (size_t)hint));
}

/*
 * Resolve each node's parents into edges. Unknown parents are reported
 * and dropped; a parent named twice counts once.
 */
static int add_edges(varve_graph *g, varve_diag_list *diags)
{
	size_t n = g->count, total = 0, edges = 0, suggested = 0;
	size_t *stamp = NULL, *cursor = NULL;
	int error = 0;

	for (size_t v = 0; v < n; v++)
		total += g->nodes[v]->parent_count;
	g->parent_off = alloc_array(n + 1, sizeof(size_t));
	g->child_off = calloc(n + 1, sizeof(size_t));
	g->parents = alloc_array(total, sizeof(size_t));
	stamp = alloc_array(n, sizeof(size_t));
	if (!g->parent_off || !g->child_off || !g->parents || !stamp) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t v = 0; v < n; v++)
		stamp[v] = NONE;

	for (size_t v = 0; v < n; v++) {
		const varve_migration *mig = g->nodes[v];

		g->parent_off[v] = edges;
		/* The loader already reported why; roots and heads would be guesses. */
		if (mig->links_invalid)
			g->has_unknown_parent = true;
		for (size_t i = 0; i < mig->parent_count; i++) {
			const char *name = mig->parents[i];
			size_t p;

			if (!name)
				continue;
			if (varve_strmap_get(&g->by_revision, name, &p)) {
				if (stamp[p] == v)
					continue;
				stamp[p] = v;
				g->parents[edges++] = p;
				g->child_off[p + 1]++;
				continue;
			}
			g->has_unknown_parent = true;
			error = report_unknown(g, mig, i, suggested++ < SUGGEST_LIMIT,
					       diags);
			if (error)
				goto done;
		}
	}
	g->parent_off[n] = edges;

	/* Children, filled in node order so each list is in manifest order. */
	for (size_t v = 0; v < n; v++)
		g->child_off[v + 1] += g->child_off[v];
	if (!(g->children = alloc_array(edges, sizeof(size_t))) ||
	    !(cursor = alloc_array(n, sizeof(size_t)))) {
		error = varve_error__oom();
		goto done;
	}
	memcpy(cursor, g->child_off, n * sizeof(size_t));
	for (size_t v = 0; v < n; v++)
		for (size_t e = g->parent_off[v]; e < g->parent_off[v + 1]; e++)
			g->children[cursor[g->parents[e]]++] = v;
done:
	free(stamp);
	free(cursor);
	return error;
}

/* Scratch arrays of the cycle search, all of graph->count entries. */
typedef struct tarjan {
	size_t *index, *low, *stack, *call_node, *call_pos;
	size_t *comp, *prev, *queue;
	bool *on_stack;
	size_t cycles;
} tarjan;

/*
 * Report the cycle formed by the strongly connected component `members`
 * (numbered `id` in t->comp): the shortest path from its earliest entry
 * back to itself, at that entry's revision.
 */
static int report_cycle(varve_graph *g, tarjan *t, size_t id,
			const size_t *members, size_t size,
			varve_diag_list *diags)
{
	size_t start = members[0], head = 0, tail = 0, end = NONE, len = 0;
	varve_buf b = VARVE_BUF_INIT;
	varve_pos at;
	int error;

	for (size_t i = 1; i < size; i++)
		if (members[i] < start)
			start = members[i];

	/* Breadth-first along children, staying inside the component. */
	t->queue[tail++] = start;
	t->prev[start] = start;
	while (head < tail && end == NONE) {
		size_t x = t->queue[head++];

		for (size_t e = g->child_off[x]; e < g->child_off[x + 1]; e++) {
			size_t w = g->children[e];

			if (w == start) {
				end = x;
				break;
			}
			if (t->comp[w] != id || t->prev[w] != NONE)
				continue;
			t->prev[w] = x;
			t->queue[tail++] = w;
		}
	}
	assert(end != NONE);
	/* The path, backwards from `end`; the queue is free again. */
	for (size_t x = end;; x = t->prev[x]) {
		t->queue[len++] = x;
		if (x == start)
			break;
	}
	varve_buf_puts(&b, "cycle: ");
	for (size_t i = 0; i < len; i++) {
		size_t x = t->queue[len - 1 - i];

		if (len > 2 * PATH_HEAD && i == PATH_HEAD) {
			varve_buf_printf(&b, "... (%zu more) -> ",
					 len - PATH_HEAD - 1);
			i = len - 2;
			continue;
		}
		varve_buf_printf(&b, "%s -> ", rev(g, x));
	}
	varve_buf_puts(&b, rev(g, start));
	if (b.oom) {
		varve_buf_dispose(&b);
		return varve_error__oom();
	}
	at = pos_or(g->nodes[start]->revision_pos, g->nodes[start]->pos);
	error = varve_diag__error(diags, "cycle", g->manifest->path, at.line,
				  at.column, "%s", b.ptr);
	varve_buf_dispose(&b);
	return error;
}

static bool self_loop(const varve_graph *g, size_t v)
{
	for (size_t e = g->parent_off[v]; e < g->parent_off[v + 1]; e++)
		if (g->parents[e] == v)
			return true;
	return false;
}

/*
 * Find the cycles among the nodes Kahn's algorithm could not order
 * (indeg > 0): Tarjan's strongly connected components, iteratively.
 * Members of cycles get t->comp set; every cycle is reported once.
 */
static int find_cycles(varve_graph *g, tarjan *t, const size_t *indeg,
		       varve_diag_list *diags)
{
	size_t n = g->count, counter = 0, sp = 0;
	int error;

	for (size_t v = 0; v < n; v++) {
		t->index[v] = NONE;
		t->comp[v] = NONE;
		t->prev[v] = NONE;
	}
	for (size_t s = 0; s < n; s++) {
		size_t top = 0;

		if (!indeg[s] || t->index[s] != NONE)
			continue;
		t->index[s] = t->low[s] = counter++;
		t->stack[sp++] = s;
		t->on_stack[s] = true;
		t->call_node[top] = s;
		t->call_pos[top++] = g->child_off[s];
		while (top > 0) {
			size_t v = t->call_node[top - 1];

			if (t->call_pos[top - 1] < g->child_off[v + 1]) {
				size_t w = g->children[t->call_pos[top - 1]++];

				if (t->index[w] == NONE) {
					t->index[w] = t->low[w] = counter++;
					t->stack[sp++] = w;
					t->on_stack[w] = true;
					t->call_node[top] = w;
					t->call_pos[top++] = g->child_off[w];
				} else if (t->on_stack[w] &&
					   t->index[w] < t->low[v]) {
					t->low[v] = t->index[w];
				}
				continue;
			}
			top--;
			if (top > 0 && t->low[v] < t->low[t->call_node[top - 1]])
				t->low[t->call_node[top - 1]] = t->low[v];
			if (t->low[v] == t->index[v]) {
				size_t k = sp, size;

				while (t->stack[--k] != v)
					;
				size = sp - k;
				for (size_t i = k; i < sp; i++)
					t->on_stack[t->stack[i]] = false;
				if (size > 1 || self_loop(g, v)) {
					size_t id = t->cycles++;

					for (size_t i = k; i < sp; i++)
						t->comp[t->stack[i]] = id;
					error = report_cycle(g, t, id,
							     t->stack + k, size,
							     diags);
					if (error)
						return error;
				}
				sp = k;
			}
		}
	}
	return 0;
}

/*
 * The topological order: Kahn's algorithm, the earliest entry first among
 * those free to go. What is left over holds cycles; their members are
 * left out, and what hangs below them is ordered without them.
 */
static int build_order(varve_graph *g, varve_diag_list *diags)
{
	size_t n = g->count;
	size_t *indeg = NULL;
	heap h = { NULL, 0 };
	tarjan t = { 0 };
	int error = 0;

	g->order = alloc_array(n, sizeof(size_t));
	g->rank = alloc_array(n, sizeof(size_t));
	indeg = alloc_array(n, sizeof(size_t));
	h.items = alloc_array(n, sizeof(size_t));
	if (!g->order || !g->rank || !indeg || !h.items) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t v = 0; v < n; v++) {
		g->rank[v] = VARVE_GRAPH_UNORDERED;
		indeg[v] = g->parent_off[v + 1] - g->parent_off[v];
		if (!indeg[v])
			heap_push(&h, v);
	}
	for (int pass = 0; pass < 2; pass++) {
		while (h.len) {
			size_t v = heap_pop(&h);

			g->rank[v] = g->order_count;
			g->order[g->order_count++] = v;
			for (size_t e = g->child_off[v]; e < g->child_off[v + 1];
			     e++)
				if (--indeg[g->children[e]] == 0)
					heap_push(&h, g->children[e]);
		}
		if (pass == 1 || g->order_count == n)
			break;

		g->has_cycle = true;
		t.index = alloc_array(n, sizeof(size_t));
		t.low = alloc_array(n, sizeof(size_t));
		t.stack = alloc_array(n, sizeof(size_t));
		t.call_node = alloc_array(n, sizeof(size_t));
		t.call_pos = alloc_array(n, sizeof(size_t));
		t.comp = alloc_array(n, sizeof(size_t));
		t.prev = alloc_array(n, sizeof(size_t));
		t.queue = alloc_array(n, sizeof(size_t));
		t.on_stack = calloc(n, sizeof(bool));
		if (!t.index || !t.low || !t.stack || !t.call_node ||
		    !t.call_pos || !t.comp || !t.prev || !t.queue ||
		    !t.on_stack) {
			error = varve_error__oom();
			goto done;
		}
		if ((error = find_cycles(g, &t, indeg, diags)) != 0)
			goto done;
		/* Cut the edges out of cycles so their descendants can go. */
		for (size_t v = 0; v < n; v++) {
			if (t.comp[v] == NONE)
				continue;
			for (size_t e = g->child_off[v]; e < g->child_off[v + 1];
			     e++) {
				size_t w = g->children[e];

				if (t.comp[w] == NONE && --indeg[w] == 0)
					heap_push(&h, w);
			}
		}
	}
done:
	free(indeg);
	free(h.items);
	free(t.index);
	free(t.low);
	free(t.stack);
	free(t.call_node);
	free(t.call_pos);
	free(t.comp);
	free(t.prev);
	free(t.queue);
	free(t.on_stack);
	return error;
}

static int find_ends(varve_graph *g)
{
	size_t n = g->count;

	g->roots = alloc_array(n, sizeof(size_t));
	g->heads = alloc_array(n, sizeof(size_t));
	if (!g->roots || !g->heads)
		return varve_error__oom();
	for (size_t v = 0; v < n; v++) {
		if (g->parent_off[v] == g->parent_off[v + 1])
			g->roots[g->root_count++] = v;
		if (g->child_off[v] == g->child_off[v + 1])
			g->heads[g->head_count++] = v;
	}
	return 0;
}

/* Labels are unique: the first entry to use one keeps it. */
static int add_labels(varve_graph *g, varve_diag_list *diags)
{
	for (size_t v = 0; v < g->count; v++) {
		const varve_migration *mig = g->nodes[v];
		size_t first;
		varve_pos at;
		int r;

		if (!mig->branch)
			continue;
		r = varve_strmap_put(&g->by_label, mig->branch, v, &first);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		at = pos_or(mig->branch_pos, pos_or(mig->revision_pos, mig->pos));
		r = varve_diag__error(diags, "manifest-schema", g->manifest->path,
				      at.line, at.column,
				      "branch label '%s' is already used by '%s'",
				      mig->branch, rev(g, first));
		if (r)
			return r;
	}
	return 0;
}

/*
 * multiple-roots: roots are the entries whose down_revision is null
 * (an entry whose only parent is unknown is not one); several are fine
 * when each carries a label of its own.
 */
static int check_roots(varve_graph *g, varve_diag_list *diags)
{
	size_t *declared = NULL, count = 0;
	bool unlabelled = false;
	varve_buf b = VARVE_BUF_INIT;
	int error = 0;

	if (!(declared = alloc_array(g->count, sizeof(size_t))))
		return varve_error__oom();
	for (size_t v = 0; v < g->count; v++) {
		if (g->nodes[v]->parent_count)
			continue;
		declared[count++] = v;
		unlabelled |= !g->nodes[v]->branch;
	}
	if (count < 2 || !unlabelled)
		goto done;
	varve_buf_puts(&b, "multiple roots: ");
	varve_graph__list(g, &b, declared, count, LIST_LIMIT);
	varve_buf_puts(&b, "; give each root its own branch label, or a down_revision");
	if (b.oom) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 1; i < count; i++) {
		const varve_migration *mig = g->nodes[declared[i]];
		varve_pos at = pos_or(mig->revision_pos, mig->pos);

		error = varve_diag__error(diags, "multiple-roots",
					  g->manifest->path, at.line,
					  at.column, "%s", b.ptr);
		if (error)
			goto done;
	}
done:
	free(declared);
	varve_buf_dispose(&b);
	return error;
}

/*
 * multiple-heads: fine only when every head carries a label (its own or
 * an ancestor's) and no label reaches two heads. Both are one pass over
 * the order: labels flow down, and each node keeps up to two of the heads
 * below it, which is all "reaches two heads" needs.
 */
static int check_heads(varve_graph *g, varve_diag_list *diags)
{
	size_t n = g->count;
	bool *labelled = NULL, fine = true;
	size_t *reach0 = NULL, *reach1 = NULL;
	varve_buf b = VARVE_BUF_INIT;
	int error = 0;

	if (g->head_count < 2)
		return 0;
	labelled = calloc(n ? n : 1, sizeof(bool));
	reach0 = alloc_array(n, sizeof(size_t));
	reach1 = alloc_array(n, sizeof(size_t));
	if (!labelled || !reach0 || !reach1) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < g->order_count; i++) {
		size_t v = g->order[i];

		labelled[v] = g->nodes[v]->branch != NULL;
		for (size_t e = g->parent_off[v];
		     !labelled[v] && e < g->parent_off[v + 1]; e++)
			labelled[v] = labelled[g->parents[e]];
	}
	for (size_t i = 0; i < g->head_count; i++)
		fine &= labelled[g->heads[i]];
	for (size_t i = g->order_count; fine && i-- > 0;) {
		size_t v = g->order[i];
		size_t found;

		reach0[v] = reach1[v] = NONE;
		if (g->child_off[v] == g->child_off[v + 1])
			reach0[v] = v;
		for (size_t e = g->child_off[v];
		     reach1[v] == NONE && e < g->child_off[v + 1]; e++) {
			size_t c = g->children[e];
			size_t r[2] = { reach0[c], reach1[c] };

			for (int k = 0; k < 2 && r[k] != NONE; k++) {
				if (reach0[v] == NONE)
					reach0[v] = r[k];
				else if (reach0[v] != r[k])
					reach1[v] = r[k];
			}
		}
		if (g->nodes[v]->branch &&
		    varve_strmap_get(&g->by_label, g->nodes[v]->branch,
				     &found) &&
		    found == v && reach1[v] != NONE)
			fine = false;
	}
	if (fine)
		goto done;
	varve_buf_puts(&b, "multiple heads: ");
	varve_graph__list(g, &b, g->heads, g->head_count, LIST_LIMIT);
	varve_buf_puts(&b, "; join them with 'varve merge'");
	if (b.oom) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < g->head_count; i++) {
		const varve_migration *mig = g->nodes[g->heads[i]];
		varve_pos at = pos_or(mig->revision_pos, mig->pos);

		error = varve_diag__error(diags, "multiple-heads",
					  g->manifest->path, at.line,
					  at.column, "%s", b.ptr);
		if (error)
			goto done;
	}
done:
	free(labelled);
	free(reach0);
	free(reach1);
	varve_buf_dispose(&b);
	return error;
}

int varve_graph_build(varve_graph **out, const varve_manifest *manifest,
		      varve_diag_list *diags)
{
	varve_graph *g;
	int error;

	assert(out && manifest && diags);
	*out = NULL;
	if (!(g = calloc(1, sizeof(*g))))
		return varve_error__oom();
	g->manifest = manifest;
	if ((error = add_nodes(g, diags)) != 0 ||
	    (error = add_edges(g, diags)) != 0 ||
	    (error = build_order(g, diags)) != 0 ||
	    (error = find_ends(g)) != 0 ||
	    (error = add_labels(g, diags)) != 0)
		goto fail;
	/*
	 * A cycle or an unknown parent leaves roots and heads that are only
	 * echoes of it (a mistyped parent turns its child into a root and
	 * the intended parent into a head): report those once it is fixed.
	 */
	if (!varve_graph__broken(g) &&
	    ((error = check_roots(g, diags)) != 0 ||
	     (error = check_heads(g, diags)) != 0))
		goto fail;
	*out = g;
	return 0;
fail:
	varve_graph_free(g);
	return error;
}

void varve_graph_free(varve_graph *g)
{
	if (!g)
		return;
	free(g->nodes);
	varve_strmap_dispose(&g->by_revision);
	varve_strmap_dispose(&g->by_label);
	free(g->parent_off);
	free(g->parents);
	free(g->child_off);
	free(g->children);
	free(g->order);
	free(g->rank);
	free(g->roots);
	free(g->heads);
	free(g);
}

/* ---------------------------------------------------------------------------
 * Queries
 */

const varve_manifest *varve_graph_manifest(const varve_graph *g)
{
	return g->manifest;
}

size_t varve_graph_count(const varve_graph *g)
{
	return g->count;
}

const varve_migration *varve_graph_node(const varve_graph *g, size_t node)
{
	assert(node < g->count);
	return g->nodes[node];
}

long varve_graph_find(const varve_graph *g, const char *revision)
{
	size_t node;

	if (!varve_strmap_get(&g->by_revision, revision, &node))
		return -1;
	return (long)node;
}

const size_t *varve_graph_order(const varve_graph *g, size_t *count)
{
	*count = g->order_count;
	return g->order;
}

const size_t *varve_graph_roots(const varve_graph *g, size_t *count)
{
	*count = g->root_count;
	return g->roots;
}

const size_t *varve_graph_heads(const varve_graph *g, size_t *count)
{
	*count = g->head_count;
	return g->heads;
}

const size_t *varve_graph_parents(const varve_graph *g, size_t node,
				  size_t *count)
{
	assert(node < g->count);
	*count = g->parent_off[node + 1] - g->parent_off[node];
	return g->parents + g->parent_off[node];
}

const size_t *varve_graph_children(const varve_graph *g, size_t node,
				   size_t *count)
{
	assert(node < g->count);
	*count = g->child_off[node + 1] - g->child_off[node];
	return g->children + g->child_off[node];
}

/*
 * A walk up from `node`. An ancestor comes earlier in the order, so
 * nodes ranked before `ancestor` are not explored. Returns false when
 * out of memory (the library never aborts).
 */
bool varve_graph_is_ancestor(const varve_graph *g, size_t ancestor,
			     size_t node)
{
	size_t floor = g->rank[ancestor], *stack = NULL, sp = 0;
	bool *seen = NULL, found = false;

	assert(ancestor < g->count && node < g->count);
	if (ancestor == node)
		return true;
	if (floor != VARVE_GRAPH_UNORDERED &&
	    g->rank[node] != VARVE_GRAPH_UNORDERED && floor > g->rank[node])
		return false;
	stack = alloc_array(g->count, sizeof(size_t));
	seen = calloc(g->count, sizeof(bool));
	if (!stack || !seen)
		goto done;
	stack[sp++] = node;
	seen[node] = true;
	while (sp && !found) {
		size_t v = stack[--sp];

		for (size_t e = g->parent_off[v]; e < g->parent_off[v + 1]; e++) {
			size_t p = g->parents[e];

			if (p == ancestor) {
				found = true;
				break;
			}
			if (seen[p] || (floor != VARVE_GRAPH_UNORDERED &&
					g->rank[p] != VARVE_GRAPH_UNORDERED &&
					g->rank[p] < floor))
				continue;
			seen[p] = true;
			stack[sp++] = p;
		}
	}
done:
	free(stack);
	free(seen);
	return found;
}

bool varve_graph__broken(const varve_graph *g)
{
	return g->has_cycle || g->has_unknown_parent;
}

long varve_graph__label(const varve_graph *g, const char *label)
{
	size_t node;

	if (!varve_strmap_get(&g->by_label, label, &node))
		return -1;
	return (long)node;
}

/* Mark everything reachable from the starting nodes along one edge set. */
static int closure(const varve_graph *g, const size_t *start, size_t n,
		   const size_t *off, const size_t *edges, bool *mark)
{
	size_t *stack, sp = 0;

	if (!(stack = alloc_array(g->count, sizeof(size_t))))
		return varve_error__oom();
	for (size_t i = 0; i < n; i++) {
		assert(start[i] < g->count);
		if (mark[start[i]])
			continue;
		mark[start[i]] = true;
		stack[sp++] = start[i];
	}
	while (sp) {
		size_t v = stack[--sp];

		for (size_t e = off[v]; e < off[v + 1]; e++) {
			if (mark[edges[e]])
				continue;
			mark[edges[e]] = true;
			stack[sp++] = edges[e];
		}
	}
	free(stack);
	return 0;
}

int varve_graph__ancestors(const varve_graph *g, const size_t *nodes,
			   size_t n, bool *mark)
{
	return closure(g, nodes, n, g->parent_off, g->parents, mark);
}

int varve_graph__descendants(const varve_graph *g, size_t node, bool *mark)
{
	return closure(g, &node, 1, g->child_off, g->children, mark);
}
