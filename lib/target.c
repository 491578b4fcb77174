/*
 * Targets (SPEC §4): parse a target, name the nodes it stands for, and
 * list the migrations that reach it from the applied state.
 *
 * Grammar:
 *   head | heads | base
 *   <rev>             exact revision, else a branch label (the entry that
 *                     carries it), else a unique revision prefix
 *   <label>@head      the one head among the label's members
 *   <label>@heads     every head among them
 *   <label>@-N        roll back the N most recently applied members
 *   +N | -N           the next N pending / the N most recently applied
 *   <sym>+N | <sym>-N N steps from <sym> (any of the forms above that
 *                     names one node) along children / parents
 *
 * Everything is linear in the graph: a resolve is one closure walk and
 * one pass over the order or the applied list.
 */
#include "graph.h"
#include "error.h"

#define LIST_LIMIT 10

struct varve_steps {
	size_t *nodes;
	size_t count;
};

typedef enum {
	T_NODES,      /* the state whose heads are p->nodes */
	T_BASE,       /* nothing applied */
	T_NEXT,       /* +N */
	T_LAST,       /* -N */
	T_LABEL_LAST, /* label@-N */
} target_kind;

typedef struct parsed {
	target_kind kind;
	size_t *nodes; /* malloc'd, for T_NODES */
	size_t count;
	size_t n;      /* N of the relative forms */
	size_t label;  /* carrier of the label, for T_LABEL_LAST */
} parsed;

static void *alloc_array(size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n)
		return NULL;
	return malloc(n ? n * size : 1);
}

static const char *rev(const varve_graph *g, size_t node)
{
	return g->nodes[node]->revision;
}

static bool is_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool is_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Set the error from a buffer built with varve_graph__list. */
static int fail_with(int code, varve_buf *b)
{
	int error = b->oom ? varve_error__oom()
			   : varve_error__set(code, "%s", b->ptr);

	varve_buf_dispose(b);
	return error;
}

static int parse_count(size_t *out, const char *digits, const char *target)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(digits, &end, 10);
	if (errno == ERANGE || *end || n > SIZE_MAX)
		return varve_error__set(VARVE_EINVALID,
					"step count of '%s' is too large",
					target);
	*out = (size_t)n;
	return 0;
}

static int one_node(parsed *p, size_t node)
{
	if (!(p->nodes = malloc(sizeof(size_t))))
		return varve_error__oom();
	p->nodes[0] = node;
	p->count = 1;
	p->kind = T_NODES;
	return 0;
}

/* The heads of the graph, or those among `members` when given. */
static int collect_heads(parsed *p, const varve_graph *g, const bool *members)
{
	p->kind = T_NODES;
	if (!(p->nodes = alloc_array(g->head_count, sizeof(size_t))))
		return varve_error__oom();
	for (size_t i = 0; i < g->head_count; i++)
		if (!members || members[g->heads[i]])
			p->nodes[p->count++] = g->heads[i];
	return 0;
}

/* `head`: the single head, or an error naming them all. */
static int parse_head(parsed *p, const varve_graph *g)
{
	varve_buf b = VARVE_BUF_INIT;

	if (g->head_count == 1)
		return one_node(p, g->heads[0]);
	if (g->head_count == 0)
		return varve_error__set(g->count ? VARVE_EINVALID
						 : VARVE_ENOTFOUND,
					g->count ? "no head: the graph is a cycle"
						 : "the manifest has no migrations");
	varve_buf_puts(&b, "multiple heads: ");
	varve_graph__list(g, &b, g->heads, g->head_count, LIST_LIMIT);
	varve_buf_puts(&b, "; name one, or use 'heads' or '<branch>@head'");
	return fail_with(VARVE_EAMBIGUOUS, &b);
}

/* An exact revision, else a label's carrier, else a unique prefix. */
static int find_revision(size_t *out, const varve_graph *g, const char *name)
{
	size_t found[LIST_LIMIT], hits = 0;
	long node;
	varve_buf b = VARVE_BUF_INIT;

	if ((node = varve_graph_find(g, name)) >= 0 ||
	    (node = varve_graph__label(g, name)) >= 0) {
		*out = (size_t)node;
		return 0;
	}
	for (size_t v = 0, len = strlen(name); v < g->count; v++) {
		if (strncmp(rev(g, v), name, len) != 0)
			continue;
		if (hits < LIST_LIMIT)
			found[hits] = v;
		hits++;
	}
	if (hits == 1) {
		*out = found[0];
		return 0;
	}
	if (hits == 0)
		return varve_error__set(VARVE_ENOTFOUND,
					"no revision or branch '%s'", name);
	varve_buf_printf(&b, "multiple revisions start with '%s': ", name);
	varve_graph__list(g, &b, found, hits < LIST_LIMIT ? hits : LIST_LIMIT,
			  LIST_LIMIT);
	if (hits > LIST_LIMIT)
		varve_buf_printf(&b, " and %zu more", hits - LIST_LIMIT);
	return fail_with(VARVE_EAMBIGUOUS, &b);
}

/* `<label>@...`: `at` points at the '@'. */
static int parse_label(parsed *p, const varve_graph *g, const char *target,
		       const char *at)
{
	char *label = NULL;
	bool *members = NULL;
	const char *rest = at + 1;
	long carrier;
	varve_buf b = VARVE_BUF_INIT;
	int error = 0;

	if (!(label = strndup(target, (size_t)(at - target))))
		return varve_error__oom();
	if (!is_name(label) ||
	    (strcmp(rest, "head") != 0 && strcmp(rest, "heads") != 0 &&
	     !(rest[0] == '-' && is_digits(rest + 1)))) {
		error = varve_error__set(VARVE_EINVALID,
					 "invalid target '%s': expected "
					 "'<branch>@head' or '<branch>@-N'",
					 target);
		goto done;
	}
	if ((carrier = varve_graph__label(g, label)) < 0) {
		error = varve_error__set(VARVE_ENOTFOUND, "no branch '%s'",
					 label);
		goto done;
	}
	if (rest[0] == '-') {
		p->kind = T_LABEL_LAST;
		p->label = (size_t)carrier;
		error = parse_count(&p->n, rest + 1, target);
		goto done;
	}
	if (!(members = calloc(g->count, sizeof(bool)))) {
		error = varve_error__oom();
		goto done;
	}
	if ((error = varve_graph__descendants(g, (size_t)carrier, members)) ||
	    (error = collect_heads(p, g, members)))
		goto done;
	if (strcmp(rest, "head") == 0 && p->count != 1) {
		/* The carrier lies in a cycle: no head below it. */
		if (p->count == 0) {
			error = varve_error__set(VARVE_EINVALID,
						 "branch '%s' has no head",
						 label);
			goto done;
		}
		varve_buf_printf(&b, "branch '%s' has several heads: ", label);
		varve_graph__list(g, &b, p->nodes, p->count, LIST_LIMIT);
		varve_buf_puts(&b, "; name one, or merge them");
		error = fail_with(VARVE_EAMBIGUOUS, &b);
	}
done:
	free(label);
	free(members);
	return error;
}

/*
 * Walk `steps` from `node` along children (up) or parents (down). Going
 * down one step past a root reaches base (the empty state), as
 * `<root>-1` naturally means; any further is an error.
 */
static int walk(parsed *p, const varve_graph *g, size_t node, bool up,
		size_t steps, const char *target)
{
	varve_buf b = VARVE_BUF_INIT;

	for (size_t i = 0; i < steps; i++) {
		const size_t *next;
		size_t n;

		next = up ? varve_graph_children(g, node, &n)
			  : varve_graph_parents(g, node, &n);
		if (n == 1) {
			node = next[0];
			continue;
		}
		if (n == 0 && !up && i + 1 == steps) {
			p->kind = T_BASE;
			return 0;
		}
		if (n == 0)
			return varve_error__set(
				VARVE_EINVALID,
				"cannot walk '%s': walked past the %s at '%s'",
				target, up ? "head" : "base", rev(g, node));
		varve_buf_printf(&b, "cannot walk '%s': '%s' %s ", target,
				 rev(g, node), up ? "forks into" : "merges");
		varve_graph__list(g, &b, next, n, LIST_LIMIT);
		return fail_with(VARVE_EAMBIGUOUS, &b);
	}
	return one_node(p, node);
}

/* A target without a relative suffix. */
static int parse_symbol(parsed *p, const varve_graph *g, const char *sym,
			const char *target)
{
	size_t node;
	int error;

	if (strcmp(sym, "heads") == 0)
		return collect_heads(p, g, NULL);
	if (strcmp(sym, "head") == 0)
		return parse_head(p, g);
	if (strcmp(sym, "base") == 0) {
		p->kind = T_BASE;
		return 0;
	}
	if (!is_name(sym))
		return varve_error__set(VARVE_EINVALID, "invalid target '%s'",
					target);
	if ((error = find_revision(&node, g, sym)) != 0)
		return error;
	return one_node(p, node);
}

static int parse(parsed *p, const varve_graph *g, const char *target)
{
	const char *at, *sign;
	char *base = NULL;
	size_t steps, node;
	int error;

	memset(p, 0, sizeof(*p));
	if (!*target)
		return varve_error__set(VARVE_EINVALID, "empty target");
	if ((at = strchr(target, '@')) != NULL)
		return parse_label(p, g, target, at);

	sign = strrchr(target, '+');
	if (!sign || (strrchr(target, '-') && strrchr(target, '-') > sign))
		sign = strrchr(target, '-');
	if (!sign || !is_digits(sign + 1))
		return parse_symbol(p, g, target, target);

	if ((error = parse_count(&steps, sign + 1, target)) != 0)
		return error;
	if (sign == target) {
		p->kind = *sign == '+' ? T_NEXT : T_LAST;
		p->n = steps;
		return 0;
	}
	if (!(base = strndup(target, (size_t)(sign - target))))
		return varve_error__oom();
	if ((error = parse_symbol(p, g, base, target)) != 0)
		goto done;
	if (p->kind != T_NODES || p->count != 1) {
		error = varve_error__set(VARVE_EINVALID,
					 "cannot walk '%s': '%s' is not one revision",
					 target, base);
		goto done;
	}
	node = p->nodes[0];
	free(p->nodes);
	p->nodes = NULL;
	p->count = 0;
	error = walk(p, g, node, *sign == '+', steps, target);
done:
	free(base);
	return error;
}

/* ---------------------------------------------------------------------------
 * Steps
 */

static int steps_new(varve_steps **out, size_t cap)
{
	varve_steps *s;

	if (!(s = calloc(1, sizeof(*s))) ||
	    !(s->nodes = alloc_array(cap, sizeof(size_t)))) {
		free(s);
		return varve_error__oom();
	}
	*out = s;
	return 0;
}

/* "no migrations are pending", "only 1 migration is applied" */
static int too_many(size_t have, const char *what, const char *target)
{
	if (have == 0)
		return varve_error__set(VARVE_EINVALID,
					"cannot resolve '%s': no migrations are %s",
					target, what);
	return varve_error__set(VARVE_EINVALID,
				"cannot resolve '%s': only %zu migration%s %s %s",
				target, have, have == 1 ? "" : "s",
				have == 1 ? "is" : "are", what);
}

int varve_target_resolve(varve_steps **out, const varve_graph *g,
			 const char *target, varve_direction direction,
			 const char *const *applied, size_t applied_count)
{
	parsed p;
	varve_steps *s = NULL;
	bool *is_applied = NULL, *mark = NULL;
	size_t *hist = NULL, hist_count = 0;
	int error;

	assert(out && g && target);
	*out = NULL;
	if ((error = parse(&p, g, target)) != 0)
		goto done;

	if (direction == VARVE_UPGRADE &&
	    (p.kind == T_BASE || p.kind == T_LAST || p.kind == T_LABEL_LAST)) {
		error = varve_error__set(VARVE_EUSAGE,
					 "cannot upgrade to '%s': it is a downgrade target",
					 target);
		goto done;
	}
	if (direction == VARVE_DOWNGRADE && p.kind == T_NEXT) {
		error = varve_error__set(VARVE_EUSAGE,
					 "cannot downgrade to '%s': it is an upgrade target",
					 target);
		goto done;
	}

	/* The applied nodes in application order, each once. */
	is_applied = calloc(g->count ? g->count : 1, sizeof(bool));
	mark = calloc(g->count ? g->count : 1, sizeof(bool));
	hist = alloc_array(applied_count, sizeof(size_t));
	if (!is_applied || !mark || !hist) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < applied_count; i++) {
		long node = applied[i] ? varve_graph_find(g, applied[i]) : -1;

		if (node < 0 || is_applied[node])
			continue;
		is_applied[node] = true;
		hist[hist_count++] = (size_t)node;
	}
	if ((error = steps_new(&s, direction == VARVE_UPGRADE ? g->count
							       : hist_count)))
		goto done;

	switch (p.kind) {
	case T_NEXT: {
		size_t pending = 0;

		for (size_t i = 0; i < g->order_count; i++)
			if (!is_applied[g->order[i]] && s->count < p.n)
				s->nodes[s->count++] = g->order[i];
		for (size_t i = 0; i < g->order_count; i++)
			pending += !is_applied[g->order[i]];
		if (p.n > pending)
			error = too_many(pending, "pending", target);
		break;
	}
	case T_LAST:
		if (p.n > hist_count) {
			error = too_many(hist_count, "applied", target);
			break;
		}
		for (size_t i = 0; i < p.n; i++)
			s->nodes[s->count++] = hist[hist_count - 1 - i];
		break;
	case T_LABEL_LAST: {
		if ((error = varve_graph__descendants(g, p.label, mark)) != 0)
			break;
		for (size_t i = hist_count; i-- > 0 && s->count < p.n;)
			if (mark[hist[i]])
				s->nodes[s->count++] = hist[i];
		if (s->count < p.n)
			error = too_many(s->count, "applied on the branch",
					 target);
		break;
	}
	case T_BASE:
	case T_NODES:
		if ((error = varve_graph__ancestors(g, p.nodes, p.count, mark)))
			break;
		if (direction == VARVE_DOWNGRADE) {
			for (size_t i = hist_count; i-- > 0;)
				if (!mark[hist[i]])
					s->nodes[s->count++] = hist[i];
			break;
		}
		/* A cycle member cannot be ordered, so cannot be applied. */
		for (size_t v = 0; v < g->count; v++) {
			if (mark[v] && g->rank[v] == VARVE_GRAPH_UNORDERED) {
				error = varve_error__set(
					VARVE_EINVALID,
					"cannot upgrade to '%s': '%s' is part of a cycle",
					target, rev(g, v));
				break;
			}
		}
		for (size_t i = 0; !error && i < g->order_count; i++) {
			size_t v = g->order[i];

			if (mark[v] && !is_applied[v])
				s->nodes[s->count++] = v;
		}
		break;
	}
	if (error)
		goto done;
	*out = s;
	s = NULL;
done:
	varve_steps_free(s);
	free(p.nodes);
	free(is_applied);
	free(mark);
	free(hist);
	return error;
}

int varve_steps__new(varve_steps **out, const size_t *nodes, size_t n)
{
	int error;

	*out = NULL;
	if ((error = steps_new(out, n)) != 0)
		return error;
	if (n)
		memcpy((*out)->nodes, nodes, n * sizeof(*nodes));
	(*out)->count = n;
	return 0;
}

void varve_steps_free(varve_steps *s)
{
	if (!s)
		return;
	free(s->nodes);
	free(s);
}

size_t varve_steps_count(const varve_steps *s)
{
	return s->count;
}

size_t varve_steps_at(const varve_steps *s, size_t i)
{
	assert(i < s->count);
	return s->nodes[i];
}

int varve_target_nodes(size_t **out, size_t *count, const varve_graph *g,
		       const char *target)
{
	parsed p;
	int error;

	assert(out && count && g && target);
	*out = NULL;
	*count = 0;
	if ((error = parse(&p, g, target)) != 0)
		goto done;
	switch (p.kind) {
	case T_NEXT:
	case T_LAST:
	case T_LABEL_LAST:
		error = varve_error__set(VARVE_EUSAGE,
					 "target '%s' is relative to the applied state",
					 target);
		goto done;
	case T_BASE:
		if (!(*out = malloc(sizeof(size_t))))
			error = varve_error__oom();
		goto done;
	case T_NODES:
		*out = p.nodes;
		*count = p.count;
		p.nodes = NULL;
		break;
	}
done:
	free(p.nodes);
	return error;
}
