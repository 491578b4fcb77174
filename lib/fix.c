/*
 * varve fix (SPEC §7): timestamp revisions become sequential numbers in
 * the order git history added them.
 *
 * The plan is made without touching anything: the numbering (a Kahn
 * order of the graph whose ready queue is keyed by where each file
 * entered HEAD's first-parent history, from one walk of it), the file
 * renames with their destinations checked, and every manifest edit made
 * on the rewriter, which keeps all other bytes. Applying is all or
 * nothing: the rows (in a transaction left open), the manifest's new text
 * beside it (the write a full disk refuses, so it comes before anything
 * changed), the files, the git index, the manifest put in place last; a
 * failing step undoes the ones before it.
 */
#include "fix.h"
#include "author.h"
#include "buf.h"
#include "db.h"
#include "error.h"
#include "gitlog.h"
#include "graph.h"
#include "manifest.h"
#include "rewrite.h"
#include "strmap.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#define NONE SIZE_MAX

/* ---------------------------------------------------------------------------
 * Accessors
 */

size_t varve_fix_count(const varve_fix *plan)
{
	return plan->count;
}

const varve_fix_item *varve_fix_at(const varve_fix *plan, size_t i)
{
	assert(i < plan->count);
	return &plan->items[i];
}

size_t varve_fix_link_count(const varve_fix *plan)
{
	return plan->link_count;
}

const varve_fix_link *varve_fix_link_at(const varve_fix *plan, size_t i)
{
	assert(i < plan->link_count);
	return &plan->links[i];
}

bool varve_fix_history(const varve_fix *plan)
{
	return plan->history;
}

bool varve_fix_shallow(const varve_fix *plan)
{
	return plan->shallow;
}

void varve_fix_free(varve_fix *plan)
{
	if (!plan)
		return;
	varve_rewrite__free(plan->rw);
	varve_graph_free(plan->g);
	varve_manifest_free(plan->m);
	varve_gitlog__close(plan->repo);
	varve_arena_dispose(&plan->arena);
	free(plan);
}

/* ---------------------------------------------------------------------------
 * Numbering
 */

static void *alloc_array(size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n)
		return NULL;
	return calloc(n ? n : 1, size);
}

/* The numbers taken in the manifest at `ref` (same place in its tree). */
static int count_taken_at(git_repository *repo, const char *path, const char *ref,
			  unsigned long long *max, int *width)
{
	varve_manifest *there = NULL;
	varve_diag_list *ignored = NULL;
	char *rel = NULL, *data = NULL;
	size_t len;
	git_oid id;
	int error;

	if ((error = varve_gitlog__resolve(&id, repo, ref)) != 0) {
		if (error == VARVE_ENOTFOUND)
			error = VARVE_EUSAGE;
		goto done;
	}
	if ((error = varve_gitlog__relative(&rel, repo, path)) != 0)
		goto done;
	error = varve_gitlog__read(&data, &len, repo, &id, rel);
	if (error == VARVE_ENOTFOUND) {
		error = 0; /* no manifest there: nothing taken */
		goto done;
	}
	if (error || (error = varve_diag_list_new(&ignored)) != 0)
		goto done;
	error = varve_manifest__load_buffer(&there, path, data, len, ignored);
	if (error == VARVE_EINVALID) {
		error = varve_error__set(VARVE_EINVALID,
					 "cannot read the manifest at '%s': it does not parse", ref);
		goto done;
	}
	if (!error)
		varve_manifest__sequential_max(there, max, width);
done:
	varve_manifest_free(there);
	varve_diag_list_free(ignored);
	free(rel);
	free(data);
	return error;
}

/* The revision's files that fix renames: those named after it. */
static const char *const *entry_files(const varve_migration *mig, const char *out[3],
				      varve_pos pos[3], size_t *n)
{
	*n = 0;
	if (mig->file) {
		pos[*n] = mig->file_pos;
		out[(*n)++] = mig->file;
	}
	if (mig->up) {
		pos[*n] = mig->up_pos;
		out[(*n)++] = mig->up;
	}
	if (mig->down) {
		pos[*n] = mig->down_pos;
		out[(*n)++] = mig->down;
	}
	return out;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The ready-queue key of a node: smaller goes first. */
typedef struct fix_key {
	int timestamp;    /* existing revisions first */
	size_t entered;   /* the commit its file entered (NONE: not yet) */
	const char *rev;  /* then by timestamp */
	size_t index;     /* then manifest order */
	size_t node;
} fix_key;

static int key_cmp(const void *pa, const void *pb)
{
	const fix_key *a = pa, *b = pb;
	int c;

	if (a->timestamp != b->timestamp)
		return a->timestamp - b->timestamp;
	if (a->entered != b->entered)
		return a->entered < b->entered ? -1 : 1;
	if (a->timestamp && (c = strcmp(a->rev, b->rev)) != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * Where each node's file entered HEAD's first-parent history; a node
 * without files (a merge) enters with the latest of its parents. Returns
 * the priority rank of each node (rank[node]) and its inverse.
 */
static int rank_nodes(const varve_graph *g, const varve_gitlog *log, size_t *rank,
		      size_t *by_rank)
{
	size_t n = g->count;
	size_t *entered = alloc_array(n, sizeof(size_t));
	fix_key *keys = alloc_array(n, sizeof(fix_key));

	if (!entered || !keys) {
		free(entered);
		free(keys);
		return varve_error__oom();
	}
	for (size_t k = 0; k < g->order_count; k++) {
		size_t v = g->order[k], files;
		const varve_migration *mig = g->nodes[v];
		const char *names[3];
		varve_pos pos[3];

		entered[v] = 0;
		entry_files(mig, names, pos, &files);
		if (!files) {
			for (size_t e = g->parent_off[v]; e < g->parent_off[v + 1]; e++)
				if (entered[g->parents[e]] > entered[v])
					entered[v] = entered[g->parents[e]];
			continue;
		}
		entered[v] = NONE;
		for (size_t i = 0; i < files; i++) {
			const varve_gitlog_file *f = log ? varve_gitlog__find(log, names[i]) : NULL;
			size_t at = f ? f->order : VARVE_GITLOG_UNCOMMITTED;

			if (at < entered[v])
				entered[v] = at;
		}
	}
	for (size_t v = 0; v < n; v++) {
		const varve_migration *mig = g->nodes[v];
		bool ts = varve_manifest__is_timestamp(mig->revision);

		keys[v] = (fix_key){ts, ts ? entered[v] : 0, mig->revision, mig->index, v};
	}
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t r = 0; r < n; r++) {
		rank[keys[r].node] = r;
		by_rank[r] = keys[r].node;
	}
	free(entered);
	free(keys);
	return 0;
}

/*
 * Kahn's order with the ready queue keyed by rank. relink[v] != NONE
 * replaces v's parents by that one node (linearize). `out` gets n nodes.
 */
static int kahn(const varve_graph *g, const size_t *rank, const size_t *by_rank,
		const size_t *relink, size_t *out)
{
	size_t n = g->count, k = 0;
	size_t *indeg = alloc_array(n, sizeof(size_t)), *follow = alloc_array(n, sizeof(size_t));
	varve_graph__heap h = {alloc_array(n, sizeof(size_t)), 0};
	int error = 0;

	if (!indeg || !follow || !h.items) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t v = 0; v < n; v++) {
		indeg[v] = relink[v] != NONE ? 1 : g->parent_off[v + 1] - g->parent_off[v];
		follow[v] = NONE;
	}
	for (size_t v = 0; v < n; v++)
		if (relink[v] != NONE)
			follow[relink[v]] = v;
	for (size_t v = 0; v < n; v++)
		if (!indeg[v])
			varve_graph__heap_push(&h, rank[v]);
	while (h.len) {
		size_t v = by_rank[varve_graph__heap_pop(&h)];

		out[k++] = v;
		for (size_t e = g->child_off[v]; e < g->child_off[v + 1]; e++) {
			size_t c = g->children[e];

			if (relink[c] == NONE && --indeg[c] == 0)
				varve_graph__heap_push(&h, rank[c]);
		}
		if (follow[v] != NONE && --indeg[follow[v]] == 0)
			varve_graph__heap_push(&h, rank[follow[v]]);
	}
	/* The graph has no cycle (the load refused one) and a relink never
	 * points into its own branch. */
	assert(k == n);
done:
	free(indeg);
	free(follow);
	free(h.items);
	return error;
}

/* ---------------------------------------------------------------------------
 * Linearize
 */

typedef struct head_key {
	size_t key;  /* the first position of its branch in the order */
	size_t pos;
	size_t head;
	size_t i;    /* its row in the ancestor marks */
} head_key;

static int head_cmp(const void *pa, const void *pb)
{
	const head_key *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/*
 * Chain the heads: in the order their branches first appear in `order`,
 * each branch's first migration is re-parented onto the previous branch's
 * head (relink[first] = that head). Refused (VARVE_EINVALID) where a
 * branch does not start at one migration with one parent.
 */
static int linearize(varve_fix *p, const size_t *order, size_t *relink)
{
	const varve_graph *g = p->g;
	size_t n = g->count, k, tip;
	const size_t *heads = varve_graph_heads(g, &k);
	size_t *pos = NULL;
	bool *anc = NULL, *chain = NULL, *member = NULL;
	head_key *hk = NULL;
	int error = 0;

	if (k < 2)
		return 0;
	pos = alloc_array(n, sizeof(size_t));
	anc = alloc_array(k, n * sizeof(bool));
	chain = alloc_array(n, sizeof(bool));
	member = alloc_array(n, sizeof(bool));
	hk = alloc_array(k, sizeof(head_key));
	p->links = varve_arena_alloc(&p->arena, (k - 1) * sizeof(*p->links));
	p->relinked = varve_arena_alloc(&p->arena, (k - 1) * sizeof(*p->relinked));
	p->relink_to = varve_arena_alloc(&p->arena, (k - 1) * sizeof(*p->relink_to));
	if (!pos || !anc || !chain || !member || !hk || !p->links || !p->relinked ||
	    !p->relink_to) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		pos[order[i]] = i;
	for (size_t i = 0; i < k; i++)
		if ((error = varve_graph__ancestors(g, &heads[i], 1, anc + i * n)) != 0)
			goto done;
	for (size_t i = 0; i < k; i++) {
		hk[i] = (head_key){NONE, pos[heads[i]], heads[i], i};
		for (size_t v = 0; v < n; v++) {
			bool common = true;

			if (!anc[i * n + v])
				continue;
			for (size_t j = 0; j < k && common; j++)
				common = anc[j * n + v];
			if (!common && pos[v] < hk[i].key)
				hk[i].key = pos[v];
		}
	}
	qsort(hk, k, sizeof(*hk), head_cmp);
	memcpy(chain, anc + hk[0].i * n, n * sizeof(bool));
	tip = hk[0].head;
	for (size_t i = 1; i < k; i++) {
		const bool *mine = anc + hk[i].i * n;
		size_t first = NONE, firsts = 0;
		const varve_migration *f;

		for (size_t v = 0; v < n; v++)
			member[v] = mine[v] && !chain[v];
		for (size_t v = 0; v < n; v++) {
			bool starts = member[v];

			for (size_t e = g->parent_off[v]; starts && e < g->parent_off[v + 1]; e++)
				starts = !member[g->parents[e]];
			if (starts && firsts++ == 0)
				first = v;
		}
		if (firsts != 1) {
			error = varve_error__set(VARVE_EINVALID,
						 "cannot linearize: the branch of '%s' starts at "
						 "%zu migrations; join the heads with 'varve merge'",
						 g->nodes[hk[i].head]->revision, firsts);
			goto done;
		}
		f = g->nodes[first];
		if (f->parent_count != 1) {
			error = varve_error__set(VARVE_EINVALID,
						 "cannot linearize: '%s' %s; join the heads with "
						 "'varve merge'",
						 f->revision,
						 f->parent_count ? "is a merge" : "is a second root");
			goto done;
		}
		relink[first] = tip;
		p->relinked[p->link_count] = f->revision;
		p->relink_to[p->link_count] = g->nodes[tip]->revision;
		/* Names are filled in once the new ones are known. */
		p->links[p->link_count++] = (varve_fix_link){f->revision, f->parents[0],
							   g->nodes[tip]->revision};
		for (size_t v = 0; v < n; v++)
			chain[v] |= mine[v];
		tip = hk[i].head;
	}
done:
	free(pos);
	free(anc);
	free(chain);
	free(member);
	free(hk);
	return error;
}

/* ---------------------------------------------------------------------------
 * The plan
 */

/* A path joined under a folder ("" for none), in the plan's arena. */
static const char *join(varve_fix *p, const char *folder, const char *rel)
{
	varve_buf b = VARVE_BUF_INIT;
	const char *s;

	varve_buf_printf(&b, "%s%s%s", folder, *folder ? "/" : "", rel);
	s = b.oom ? NULL : varve_arena_strdup(&p->arena, b.ptr);
	varve_buf_dispose(&b);
	return s;
}

/* `rel` with its basename's first `old_len` bytes replaced by `rev`. */
static const char *renamed(varve_fix *p, const char *rel, size_t old_len, const char *rev)
{
	const char *base = base_name(rel);
	varve_buf b = VARVE_BUF_INIT;
	const char *s;

	varve_buf_printf(&b, "%.*s%s%s", (int)(base - rel), rel, rev, base + old_len);
	s = b.oom ? NULL : varve_arena_strdup(&p->arena, b.ptr);
	varve_buf_dispose(&b);
	return s;
}

/*
 * The items, the file renames and the manifest edits for the numbering in
 * `order`; `names[node]` is each node's revision after the fix.
 */
static int plan_edits(varve_fix *p, const varve_gitlog *log, const char *folder,
		      const size_t *order, const char **names)
{
	const varve_graph *g = p->g;
	varve_strmap seen = VARVE_STRMAP_INIT;
	size_t nfiles = 0;
	int error = 0;

	for (size_t k = 0; k < g->count; k++)
		nfiles += 3 * (names[order[k]] != g->nodes[order[k]]->revision);
	p->items = varve_arena_alloc(&p->arena, (p->count ? p->count : 1) * sizeof(*p->items));
	p->files = varve_arena_alloc(&p->arena, (nfiles ? nfiles : 1) * sizeof(*p->files));
	if (!p->items || !p->files)
		return varve_error__oom();
	p->count = 0;
	for (size_t k = 0; k < g->count && !error; k++) {
		size_t v = order[k], files;
		const varve_migration *mig = g->nodes[v];
		const char *rels[3], **olds, **news;
		varve_pos pos[3];
		size_t old_len = strlen(mig->revision);
		varve_fix_item *it;

		if (names[v] == mig->revision)
			continue;
		it = &p->items[p->count++];
		memset(it, 0, sizeof(*it));
		it->old_revision = mig->revision;
		it->new_revision = names[v];
		entry_files(mig, rels, pos, &files);
		olds = varve_arena_alloc(&p->arena, 3 * sizeof(char *));
		news = varve_arena_alloc(&p->arena, 3 * sizeof(char *));
		if (!olds || !news) {
			error = varve_error__oom();
			break;
		}
		it->old_paths = olds;
		it->new_paths = news;
		error = varve_rewrite__replace_scalar(p->rw, mig->revision_pos, mig->revision,
						      names[v]);
		for (size_t i = 0; i < files && !error; i++) {
			const char *base = base_name(rels[i]), *rel;
			varve_fix__file *f;
			struct stat st;
			const varve_gitlog_file *lf;
			int r;

			if (strncmp(base, mig->revision, old_len) != 0)
				continue; /* not named after it: stays */
			if (!(rel = renamed(p, rels[i], old_len, names[v]))) {
				error = varve_error__oom();
				break;
			}
			if ((error = varve_rewrite__replace_scalar(p->rw, pos[i], rels[i], rel)) != 0)
				break;
			/* `up` and `down` may name one file: rename it once. */
			if ((r = varve_strmap_put(&seen, rels[i], 0, NULL)) != 0) {
				error = r < 0 ? r : 0;
				continue;
			}
			f = &p->files[p->file_count++];
			memset(f, 0, sizeof(*f));
			if (!(f->old_path = join(p, p->m->directory_path, rels[i])) ||
			    !(f->new_path = join(p, p->m->directory_path, rel)) ||
			    !(f->old_rel = join(p, p->m->directory, rels[i])) ||
			    !(f->new_rel = join(p, p->m->directory, rel))) {
				error = varve_error__oom();
				break;
			}
			if (lstat(f->old_path, &st) != 0) {
				error = varve_error__set(VARVE_EINVALID, "cannot rename '%s': %s",
							 f->old_path, strerror(errno));
				break;
			}
			if (lstat(f->new_path, &st) == 0 || errno != ENOENT) {
				error = varve_error__set(VARVE_EEXISTS,
							 "cannot rename '%s': '%s' already exists",
							 f->old_path, f->new_path);
				break;
			}
			lf = log ? varve_gitlog__find(log, rels[i]) : NULL;
			if (lf && lf->tracked &&
			    (!(f->old_git = join(p, folder, rels[i])) ||
			     !(f->new_git = join(p, folder, rel)))) {
				error = varve_error__oom();
				break;
			}
			olds[it->path_count] = f->old_path;
			news[it->path_count++] = f->new_path;
		}
	}
	/* Every down_revision naming a renamed or re-parented revision. */
	for (size_t k = 0; k < g->count && !error; k++) {
		varve_migration *mig = (varve_migration *)g->nodes[order[k]];

		for (size_t i = 0; i < mig->parent_count && !error; i++) {
			const char *want = mig->parents[i];
			long node;

			for (size_t l = 0; l < p->link_count; l++)
				if (p->relinked[l] == mig->revision)
					want = p->relink_to[l];
			if ((node = varve_graph_find(g, want)) >= 0)
				want = names[node];
			if (strcmp(want, mig->parents[i]) != 0)
				error = varve_rewrite__replace_scalar(p->rw, mig->parent_pos[i],
								      mig->parents[i], want);
		}
	}
	varve_strmap_dispose(&seen);
	return error;
}

int varve_fix_plan(varve_fix **out, const char *path, const varve_fix_options *o,
		   varve_diag_list *diags)
{
	varve_fix *p = NULL;
	varve_gitlog *log = NULL;
	char *folder = NULL;
	size_t n, *rank = NULL, *by_rank = NULL, *relink = NULL, *order = NULL;
	const char **names = NULL;
	unsigned long long next = 0;
	int width = 0, error;

	*out = NULL;
	if (!(p = calloc(1, sizeof(*p))))
		return varve_error__oom();
	if (!(p->path = varve_arena_strdup(&p->arena, path))) {
		error = varve_error__oom();
		goto done;
	}
	if ((error = varve_author__load(&p->m, &p->g, path, diags)) != 0)
		goto done;
	error = varve_gitlog__open(&p->repo, p->m->base);
	if (error == VARVE_ENOTFOUND && !o->against) {
		error = 0; /* no history: by timestamp */
	} else if (error) {
		if (error == VARVE_ENOTFOUND)
			error = VARVE_EUSAGE;
		goto done;
	} else {
		p->history = true;
		if ((error = varve_gitlog__relative(&folder, p->repo, p->m->directory_path)) != 0 ||
		    (error = varve_gitlog__entries(&log, p->repo, folder,
						   o->against != NULL)) != 0)
			goto done;
		p->shallow = log->shallow;
	}
	varve_manifest__sequential_max(p->m, &next, &width);
	if (o->against && (error = count_taken_at(p->repo, path, o->against, &next, &width)) != 0)
		goto done;
	if (!width)
		width = 4;
	n = p->g->count;
	rank = alloc_array(n, sizeof(size_t));
	by_rank = alloc_array(n, sizeof(size_t));
	relink = alloc_array(n, sizeof(size_t));
	order = alloc_array(n, sizeof(size_t));
	names = alloc_array(n, sizeof(char *));
	if (!rank || !by_rank || !relink || !order || !names) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t v = 0; v < n; v++)
		relink[v] = NONE;
	if ((error = rank_nodes(p->g, log, rank, by_rank)) != 0 ||
	    (error = kahn(p->g, rank, by_rank, relink, order)) != 0)
		goto done;
	if (o->linearize && p->link_count == 0) {
		if ((error = linearize(p, order, relink)) != 0 ||
		    (error = kahn(p->g, rank, by_rank, relink, order)) != 0)
			goto done;
	}
	for (size_t k = 0; k < n; k++) {
		const varve_migration *mig = p->g->nodes[order[k]];
		char num[32];

		names[order[k]] = mig->revision;
		if (!varve_manifest__is_timestamp(mig->revision))
			continue;
		snprintf(num, sizeof(num), "%0*llu", width, ++next);
		if (!(names[order[k]] = varve_arena_strdup(&p->arena, num))) {
			error = varve_error__oom();
			goto done;
		}
		p->count++;
	}
	/* The links in new names. */
	for (size_t l = 0; l < p->link_count; l++) {
		varve_fix_link *k = &p->links[l];

		k->revision = names[varve_graph_find(p->g, k->revision)];
		k->old_parent = names[varve_graph_find(p->g, k->old_parent)];
		k->new_parent = names[varve_graph_find(p->g, k->new_parent)];
	}
	if ((error = varve_rewrite__open(&p->rw, path)) != 0 ||
	    (error = plan_edits(p, log, folder ? folder : "", order, names)) != 0)
		goto done;
	{
		/* Overlapping edits would fail the write: fail the plan instead. */
		char *text = NULL;
		size_t len;

		if ((error = varve_rewrite__apply(p->rw, &text, &len)) != 0)
			goto done;
		free(text);
	}
	*out = p;
	p = NULL;
done:
	varve_gitlog__free(log);
	free(folder);
	free(rank);
	free(by_rank);
	free(relink);
	free(order);
	free(names);
	varve_fix_free(p);
	return error;
}

/* ---------------------------------------------------------------------------
 * Applying
 */

/*
 * rename(2) that never replaces: link then unlink, so a destination that
 * appeared since the plan fails with EEXIST; where hard links are not
 * possible, a check then rename.
 */
static int move_file(const char *from, const char *to)
{
	struct stat st;
	int err;

	if (link(from, to) == 0) {
		if (unlink(from) == 0)
			return 0;
		err = errno;
		unlink(to);
		errno = err;
		return -1;
	}
	if (errno != EPERM && errno != EXDEV && errno != EMLINK && errno != ENOSYS &&
	    errno != EOPNOTSUPP)
		return -1;
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

/*
 * libgit2's message for a failure, else the system's for `err`: a write
 * that fails part way (a full disk) sets no message of its own.
 */
static int git_failed(int code, const char *what, int err)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message && *e->message ? e->message : NULL;
	char why[128];
	size_t len;

	if (!msg)
		msg = err ? varve_error__reason(err, why, sizeof(why)) : "unknown error";
	len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '.'))
		len--;
	return varve_error__set(code, "%s: %.*s", what, (int)len, msg);
}

/*
 * Put the files back where they were. Best effort: it runs after a
 * failure. Returns whether every one is back.
 */
static bool unmove(varve_fix *p)
{
	bool all = true;

	for (size_t i = p->file_count; i-- > 0;) {
		varve_fix__file *f = &p->files[i];

		if (f->moved && move_file(f->new_path, f->old_path) == 0)
			f->moved = false;
		all &= !f->moved;
	}
	return all;
}

/* Move the tracked files' index entries; written by the caller. */
static int stage(varve_fix *p, git_index *index)
{
	for (size_t i = 0; i < p->file_count; i++) {
		varve_fix__file *f = &p->files[i];
		const git_index_entry *e;
		git_index_entry moved;

		if (!f->old_git || !(e = git_index_get_bypath(index, f->old_git, 0)))
			continue;
		/* Keep what is staged (the blob, the mode), not the work tree. */
		f->saved = *e;
		if (!(f->saved.path = varve_arena_strdup(&p->arena, e->path)))
			return varve_error__oom();
		moved = f->saved;
		moved.path = f->new_git;
		if (git_index_add(index, &moved) < 0 ||
		    git_index_remove_bypath(index, f->old_git) < 0)
			return git_failed(VARVE_ERROR, "cannot update the git index", 0);
		f->staged = true;
	}
	return 0;
}

/* Undo stage() in the index (in memory). Best effort. */
static void unstage(varve_fix *p, git_index *index)
{
	for (size_t i = p->file_count; i-- > 0;) {
		varve_fix__file *f = &p->files[i];

		if (!f->staged)
			continue;
		git_index_remove_bypath(index, f->new_git);
		git_index_add(index, &f->saved);
		f->staged = false;
	}
}

/* ---------------------------------------------------------------------------
 * The journal
 *
 * Written (and flushed) before the first rename and removed after the
 * last step, `.varve-fix.journal` beside the manifest tells the next
 * varve that a fix was cut short by a signal no process can catch (kill
 * -9, a power cut), and what it was doing:
 *
 *   varve-fix-journal 1
 *   manifest varve.yaml
 *   old <SHA-256 of the manifest before>
 *   new <SHA-256 of the manifest after>
 *   database 0|1
 *   file <old> <new> <old in the index> <new in the index>   (one a file)
 *   end
 *
 * Paths are relative to the manifest's folder (the index's to the work
 * tree, "-" for an untracked file), with bytes up to the space, '%' and
 * DEL as %XX. Putting the manifest in place is the step that decides:
 * `varve fix --recover` completes a fix whose manifest is the new one
 * (every rename came before it) and undoes one whose manifest is the old
 * one. The rows of a database were renamed in a transaction that commits
 * after the manifest: a kill before undid them in the server.
 */

/* The file `name` beside the manifest at `path` (malloc'd), or NULL. */
static char *beside(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	varve_buf b = VARVE_BUF_INIT;

	if (slash)
		varve_buf_printf(&b, "%.*s/%s", (int)(slash - path), path, name);
	else
		varve_buf_puts(&b, name);
	if (b.oom) {
		varve_buf_dispose(&b);
		return NULL;
	}
	return varve_buf_detach(&b);
}

static void put_field(varve_buf *b, const char *s)
{
	varve_buf_putc(b, ' ');
	if (!s) {
		varve_buf_putc(b, '-');
		return;
	}
	/* "-" alone is the absent field: that path is written %2D. */
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		bool dash = *u == '-' && !u[1] && u == (const unsigned char *)s;

		if (*u <= ' ' || *u == '%' || *u == 0x7F || dash)
			varve_buf_printf(b, "%%%02X", *u);
		else
			varve_buf_putc(b, (char)*u);
	}
}

/* Decode a field in place; NULL for "-" (and for a bad escape: *bad). */
static char *get_field(char *s, bool *bad)
{
	char *w = s;

	if (strcmp(s, "-") == 0)
		return NULL;
	for (char *r = s; *r; r++) {
		if (*r == '%') {
			int hi = varve_rewrite__hex_digit(r[1]),
			    lo = hi < 0 ? -1 : varve_rewrite__hex_digit(r[2]);

			if (lo < 0 || (hi == 0 && lo == 0)) {
				*bad = true;
				return NULL;
			}
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

static int sha256_hex(char out[65], const char *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32)
		return varve_error__set(VARVE_ERROR, "cannot compute SHA-256");
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* Remove a file and make that durable (the folder flushed). */
static void remove_durably(const char *path)
{
	const char *slash = strrchr(path, '/');
	char folder[4096];
	int fd;

	if (unlink(path) != 0)
		return;
	snprintf(folder, sizeof(folder), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	if (!*folder)
		snprintf(folder, sizeof(folder), "/");
	if ((fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Write the journal of `p` (the manifest's new text is `text`). */
static int write_journal(varve_fix *p, const char *text, size_t len, bool database,
			 char **path)
{
	varve_buf b = VARVE_BUF_INIT;
	const char *slash = strrchr(p->path, '/'), *old;
	char sum_old[65], sum_new[65];
	size_t old_len;
	int error;

	*path = NULL;
	old = varve_rewrite__text(p->rw, &old_len);
	if ((error = sha256_hex(sum_old, old, old_len)) != 0 ||
	    (error = sha256_hex(sum_new, text, len)) != 0)
		return error;
	varve_buf_puts(&b, "varve-fix-journal 1\nmanifest");
	put_field(&b, slash ? slash + 1 : p->path);
	varve_buf_printf(&b, "\nold %s\nnew %s\ndatabase %d\n", sum_old, sum_new, database);
	for (size_t i = 0; i < p->file_count; i++) {
		const varve_fix__file *f = &p->files[i];

		varve_buf_puts(&b, "file");
		put_field(&b, f->old_rel);
		put_field(&b, f->new_rel);
		put_field(&b, f->old_git);
		put_field(&b, f->new_git);
		varve_buf_putc(&b, '\n');
	}
	varve_buf_puts(&b, "end\n");
	if (b.oom || !(*path = beside(p->path, VARVE_FIX_JOURNAL))) {
		varve_buf_dispose(&b);
		return varve_error__oom();
	}
	/* A temporary file, flushed, renamed: the journal is whole or absent. */
	error = varve_rewrite__write_file(*path, b.ptr, b.len, 0644);
	varve_buf_dispose(&b);
	if (error) {
		free(*path);
		*path = NULL;
	}
	return error;
}

typedef struct journal_file {
	char *old_rel, *new_rel, *old_git, *new_git;
} journal_file;

typedef struct journal {
	varve_buf text;
	char *manifest;
	char old_sum[65], new_sum[65];
	bool database;
	journal_file *files;
	size_t count;
} journal;

static void journal_dispose(journal *j)
{
	varve_buf_dispose(&j->text);
	free(j->files);
	memset(j, 0, sizeof(*j));
}

/*
 * Read the journal at `jpath`: VARVE_ENOTFOUND (no message) when there is
 * none, VARVE_EINVALID when it is not one varve wrote whole.
 */
static int read_journal(journal *j, const char *jpath)
{
	char *line, *next, *field[6], *save;
	size_t lines = 0, cap = 0;
	bool ended = false, bad = false;
	int error;

	memset(j, 0, sizeof(*j));
	if ((error = varve_buf_read_file(&j->text, jpath, 64 * 1024 * 1024)) != 0) {
		char why[128];

		if (error == VARVE_EIO && errno == ENOENT)
			return VARVE_ENOTFOUND;
		return error == VARVE_ENOMEM ? varve_error__oom()
		       : varve_error__set(VARVE_EIO, "cannot read '%s': %s", jpath,
					  error == VARVE_EIO ? varve_error__reason(errno, why,
										    sizeof(why))
							     : "too large");
	}
	if (!j->text.ptr || memchr(j->text.ptr, '\0', j->text.len))
		bad = true;
	for (line = j->text.ptr; !bad && !ended && line && *line; line = next, lines++) {
		size_t n = 0;

		if (!(next = strchr(line, '\n'))) {
			bad = true; /* the last line is cut */
			break;
		}
		*next++ = '\0';
		for (char *f = strtok_r(line, " ", &save); f && n < 6;
		     f = strtok_r(NULL, " ", &save))
			field[n++] = f;
		if (lines == 0) {
			bad = n != 2 || strcmp(field[0], "varve-fix-journal") != 0 ||
			      strcmp(field[1], "1") != 0;
		} else if (n == 2 && strcmp(field[0], "manifest") == 0) {
			j->manifest = get_field(field[1], &bad);
		} else if (n == 2 && strlen(field[1]) == 64 &&
			   (strcmp(field[0], "old") == 0 || strcmp(field[0], "new") == 0)) {
			memcpy(field[0][0] == 'o' ? j->old_sum : j->new_sum, field[1], 65);
		} else if (n == 2 && strcmp(field[0], "database") == 0) {
			j->database = strcmp(field[1], "1") == 0;
		} else if (n == 5 && strcmp(field[0], "file") == 0) {
			journal_file *jf;

			if (j->count == cap) {
				cap = cap ? 2 * cap : 16;
				if (!(jf = realloc(j->files, cap * sizeof(*jf))))
					return varve_error__oom();
				j->files = jf;
			}
			jf = &j->files[j->count++];
			jf->old_rel = get_field(field[1], &bad);
			jf->new_rel = get_field(field[2], &bad);
			jf->old_git = get_field(field[3], &bad);
			jf->new_git = get_field(field[4], &bad);
			bad |= !jf->old_rel || !jf->new_rel || !jf->old_git != !jf->new_git;
		} else if (n == 1 && strcmp(field[0], "end") == 0) {
			ended = true;
		} else {
			bad = true;
		}
	}
	if (bad || !ended || !j->manifest || !j->old_sum[0] || !j->new_sum[0])
		return varve_error__set(VARVE_EINVALID,
					"'%s' is not a journal that varve wrote whole; remove it if "
					"you are sure no 'varve fix' was cut short",
					jpath);
	return 0;
}

int varve_fix_interrupted(const char *path)
{
	return varve_fix__pending(path);
}

int varve_fix__pending(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *jpath = beside(path, VARVE_FIX_JOURNAL);
	struct stat st;
	journal j;
	int error;

	if (!jpath)
		return varve_error__oom();
	if (lstat(jpath, &st) != 0) {
		free(jpath);
		return 0;
	}
	error = read_journal(&j, jpath);
	if (error == VARVE_ENOTFOUND)
		error = 0;
	else if (!error && strcmp(j.manifest, slash ? slash + 1 : path) != 0)
		error = 0; /* another manifest's, in the same folder */
	else if (!error || error == VARVE_EINVALID)
		error = varve_error__set(VARVE_EINVALID,
					 "a 'varve fix' of '%s' was cut short (its journal '%s' is "
					 "there): run 'varve fix --recover' to complete or undo it",
					 path, jpath);
	journal_dispose(&j);
	free(jpath);
	return error;
}

/* Whether two paths name one file (the link of move_file, made twice). */
static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * Bring one file to `to` from `from` (complete) or back: whichever side
 * it is on, and both sides when a kill came between the link and the
 * unlink of move_file.
 */
static int settle_file(const char *from, const char *to)
{
	struct stat a, b;
	bool has_from = lstat(from, &a) == 0, has_to = lstat(to, &b) == 0;
	char why[128];

	if (has_from && has_to) {
		if (!same_file(&a, &b))
			return varve_error__set(VARVE_EEXISTS,
						"cannot recover: both '%s' and '%s' exist; keep "
						"the right one, then run 'varve fix --recover' "
						"again",
						from, to);
		if (unlink(from) != 0)
			return varve_error__set(VARVE_EIO, "cannot remove '%s': %s", from,
						varve_error__reason(errno, why, sizeof(why)));
		return 0;
	}
	if (has_to)
		return 0;
	if (!has_from)
		return varve_error__set(VARVE_EINVALID,
					"cannot recover: neither '%s' nor '%s' exists", from, to);
	if (move_file(from, to) != 0)
		return varve_error__set(VARVE_EIO, "cannot rename '%s' to '%s': %s", from, to,
					varve_error__reason(errno, why, sizeof(why)));
	return 0;
}

/* The index entries of the journal's files moved to `forward`'s side. */
static int settle_index(const char *path, const journal *j, bool forward)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	bool changed = false;
	int error = 0, rc;

	for (size_t i = 0; i < j->count && !error; i++)
		changed |= j->files[i].old_git != NULL;
	if (!changed)
		return 0;
	changed = false;
	{
		char *folder = beside(path, ".");

		if (!folder)
			return varve_error__oom();
		error = varve_gitlog__open(&repo, folder);
		free(folder);
		if (error)
			return error;
	}
	git_error_clear();
	errno = 0;
	if (git_repository_index(&index, repo) < 0) {
		error = git_failed(VARVE_EIO, "cannot read the git index", errno);
		goto done;
	}
	for (size_t i = 0; i < j->count && !error; i++) {
		const journal_file *f = &j->files[i];
		const char *from = forward ? f->old_git : f->new_git;
		const char *to = forward ? f->new_git : f->old_git;
		const git_index_entry *e;
		git_index_entry moved;

		if (!from || !(e = git_index_get_bypath(index, from, 0)) ||
		    git_index_get_bypath(index, to, 0))
			continue;
		moved = *e;
		moved.path = to;
		if (git_index_add(index, &moved) < 0 || git_index_remove_bypath(index, from) < 0)
			error = git_failed(VARVE_ERROR, "cannot update the git index", 0);
		changed = true;
	}
	if (!error && changed && (rc = git_index_write(index)) < 0)
		error = git_failed(rc == GIT_ELOCKED ? VARVE_ERROR : VARVE_EIO,
				   rc == GIT_ELOCKED
				       ? "cannot write the git index (if no git is running, remove "
					 "'.git/index.lock' and run 'varve fix --recover' again)"
				       : "cannot write the git index",
				   errno);
done:
	git_index_free(index);
	varve_gitlog__close(repo);
	return error;
}

int varve_fix_recover(const char *path, varve_fix_recovered *out)
{
	char *jpath = NULL, sum[65];
	varve_buf now = VARVE_BUF_INIT;
	journal j;
	bool forward;
	int error, lock = -1;

	memset(out, 0, sizeof(*out));
	memset(&j, 0, sizeof(j));
	if (!(jpath = beside(path, VARVE_FIX_JOURNAL)))
		return varve_error__oom();
	if ((error = varve_rewrite__lock(path, &lock)) != 0)
		goto done;
	if ((error = read_journal(&j, jpath)) == VARVE_ENOTFOUND) {
		error = 0;
		goto sweep;
	}
	if (error)
		goto done;
	{
		const char *slash = strrchr(path, '/');

		if (strcmp(j.manifest, slash ? slash + 1 : path) != 0) {
			error = varve_error__set(VARVE_EINVALID,
						 "'%s' is the journal of '%s', not of '%s'", jpath,
						 j.manifest, path);
			goto done;
		}
	}
	if ((error = varve_buf_read_file(&now, path, (size_t)256 * 1024 * 1024)) != 0) {
		char why[128];

		error = error == VARVE_ENOMEM ? varve_error__oom()
			: varve_error__set(VARVE_EIO, "cannot read '%s': %s", path,
					   varve_error__reason(errno, why, sizeof(why)));
		goto done;
	}
	if ((error = sha256_hex(sum, now.ptr ? now.ptr : "", now.len)) != 0)
		goto done;
	if (strcmp(sum, j.new_sum) == 0) {
		forward = true;
	} else if (strcmp(sum, j.old_sum) == 0) {
		forward = false;
	} else {
		error = varve_error__set(VARVE_ECHANGED,
					 "cannot recover: '%s' is neither the manifest before the "
					 "fix nor the one after it; put back the one before it "
					 "(e.g. 'git checkout %s') and run 'varve fix --recover' "
					 "again",
					 path, path);
		goto done;
	}
	for (size_t i = 0; i < j.count && !error; i++) {
		char *a = beside(path, j.files[i].old_rel), *b = beside(path, j.files[i].new_rel);

		if (!a || !b)
			error = varve_error__oom();
		else
			error = forward ? settle_file(a, b) : settle_file(b, a);
		free(a);
		free(b);
	}
	if (error || (error = settle_index(path, &j, forward)) != 0)
		goto done;
	remove_durably(jpath);
	out->outcome = forward ? VARVE_FIX_COMPLETED : VARVE_FIX_UNDONE;
	out->files = j.count;
	out->database = j.database;
sweep:
	/* The SQL files a kill -9 of `new` left need the entries: best effort. */
	{
		varve_diag_list *ignored = NULL;
		varve_manifest *m = NULL;

		if (varve_diag_list_new(&ignored) == 0 &&
		    varve_manifest_load(&m, path, ignored) != 0) {
			varve_manifest_free(m);
			m = NULL;
		}
		varve_author__sweep(path, m);
		varve_manifest_free(m);
		varve_diag_list_free(ignored);
	}
done:
	journal_dispose(&j);
	varve_buf_dispose(&now);
	varve_rewrite__unlock(lock);
	free(jpath);
	return error;
}

/* ---------------------------------------------------------------------------
 * Applying
 */

/* The caller's stop flag (a signal handler's) is up: undo, change nothing. */
static int interrupted(volatile sig_atomic_t *stop)
{
	if (stop && *stop)
		return varve_error__set(VARVE_EINTERRUPTED, "interrupted");
	return 0;
}

/* Rename the applied rows inside an open transaction. */
static int rename_rows(varve_fix *p, varve_db *db)
{
	size_t n;
	const varve_applied *rows = varve_db_applied(db, &n);
	varve_strmap applied = VARVE_STRMAP_INIT;
	int error = 0;

	for (size_t i = 0; i < n && !error; i++)
		if (varve_strmap_put(&applied, rows[i].revision, i, NULL) < 0)
			error = varve_error__oom();
	for (size_t l = 0; l < p->link_count && !error; l++)
		if (varve_strmap_get(&applied, p->relinked[l], NULL))
			error = varve_error__set(VARVE_EINVALID,
						 "cannot linearize: '%s' is applied in %s and "
						 "would get a new parent; join the heads with "
						 "'varve merge'",
						 p->relinked[l], varve_db_display(db));
	for (size_t i = 0; i < p->count && !error; i++)
		if (varve_strmap_get(&applied, p->items[i].new_revision, NULL))
			error = varve_error__set(VARVE_EINVALID,
						 "cannot rename '%s' to '%s': %s records '%s' "
						 "already",
						 p->items[i].old_revision, p->items[i].new_revision,
						 varve_db_display(db), p->items[i].new_revision);
	if (!error)
		error = varve_db__exec(db, "BEGIN", 0, NULL, NULL);
	for (size_t i = 0; i < p->count && !error; i++) {
		if (!varve_strmap_get(&applied, p->items[i].old_revision, NULL))
			continue;
		if ((error = varve_db__rename(db, p->items[i].old_revision,
					      p->items[i].new_revision)) == 0)
			p->items[i].row_renamed = true;
	}
	varve_strmap_dispose(&applied);
	return error;
}

static void rollback(varve_db *db)
{
	if (db && PQstatus(db->conn) == CONNECTION_OK)
		PQclear(PQexec(db->conn, "ROLLBACK"));
}

int varve_fix_apply(varve_fix *p, const varve_fix_apply_options *o)
{
	varve_db *db = o ? o->db : NULL;
	volatile sig_atomic_t *stop = o ? o->stop : NULL;
	git_index *index = NULL;
	char *manifest = NULL; /* the new text, staged beside the manifest */
	char *text = NULL, *journal_at = NULL;
	size_t len;
	bool in_tx = false, staged = false, written = false, tracked = false, undone = true;
	int error = 0, rc, lock = -1;

	assert(!p->applied);
	p->applied = true;
	if (!p->count && !p->link_count)
		return 0;
	/* The plan was made from the manifest as it was read; an edit since
	 * (a `varve new` while the user read the plan) would be lost. */
	if ((error = varve_rewrite__lock(p->path, &lock)) != 0 ||
	    (error = varve_fix__pending(p->path)) != 0 ||
	    (error = varve_rewrite__unchanged(p->rw, p->path)) != 0)
		goto fail;
	varve_author__sweep(p->path, p->m);
	if (db) {
		if ((!db->locked && (error = varve_db_lock(db, o->lock_wait)) != 0) ||
		    (error = interrupted(stop)) != 0)
			goto fail;
		in_tx = true;
		if ((error = rename_rows(p, db)) != 0)
			goto fail;
	}
	if ((error = varve_rewrite__apply(p->rw, &text, &len)) != 0 ||
	    (error = varve_rewrite__stage_file(&manifest, p->path, text, len, 0644)) != 0 ||
	    (error = interrupted(stop)) != 0)
		goto fail;
	/* From here a kill -9 leaves the journal: the next varve refuses to
	 * edit until 'varve fix --recover' completed or undid this. */
	if ((error = write_journal(p, text, len, db != NULL, &journal_at)) != 0)
		goto fail;
	varve_rewrite__test_point();
	for (size_t i = 0; i < p->file_count; i++) {
		varve_fix__file *f = &p->files[i];

		if ((error = interrupted(stop)) != 0)
			goto fail;
		if (move_file(f->old_path, f->new_path) != 0) {
			char why[128];

			error = errno == EEXIST
					? varve_error__set(VARVE_EEXISTS,
							   "cannot rename '%s': '%s' already exists",
							   f->old_path, f->new_path)
					: varve_error__set(VARVE_EIO, "cannot rename '%s' to '%s': %s",
							   f->old_path, f->new_path,
							   varve_error__reason(errno, why, sizeof(why)));
			goto fail;
		}
		f->moved = true;
		tracked |= f->old_git != NULL;
		varve_rewrite__test_point();
	}
	if (tracked) {
		if ((error = interrupted(stop)) != 0)
			goto fail;
		git_error_clear();
		errno = 0;
		if (git_repository_index(&index, p->repo) < 0) {
			error = git_failed(VARVE_EIO, "cannot read the git index", errno);
			goto fail;
		}
		staged = true;
		if ((error = stage(p, index)) != 0)
			goto fail;
		git_error_clear();
		errno = 0;
		if ((rc = git_index_write(index)) < 0) {
			/* Another git at work is not a failing disk. */
			error = git_failed(rc == GIT_ELOCKED ? VARVE_ERROR : VARVE_EIO,
					   "cannot write the git index", errno);
			goto fail;
		}
		written = true;
		varve_rewrite__test_point();
	}
	/* The last chance to undo; from the manifest on, the fix completes. */
	if ((error = interrupted(stop)) != 0)
		goto fail;
	error = varve_rewrite__install(manifest, p->path);
	manifest = NULL;
	if (error)
		goto fail;
	varve_rewrite__test_point();
	if (in_tx && (error = varve_db__exec(db, "COMMIT", 0, NULL, NULL)) != 0) {
		size_t old_len;
		const char *old = varve_rewrite__text(p->rw, &old_len);

		in_tx = false;
		/* The rows stay as they were: so must the manifest. */
		varve_rewrite__write_file(p->path, old, old_len, 0644);
		goto fail;
	}
	remove_durably(journal_at);
	if (db)
		error = varve_db__reload(db);
	git_index_free(index);
	varve_rewrite__unlock(lock);
	free(text);
	free(journal_at);
	return error;
fail:
	varve_rewrite__discard(manifest);
	if (in_tx)
		rollback(db);
	for (size_t i = 0; i < p->count; i++)
		p->items[i].row_renamed = false;
	if (staged) {
		unstage(p, index);
		if (written && git_index_write(index) < 0)
			undone = false;
		else if (!written)
			git_index_read(index, 1);
	}
	git_index_free(index);
	undone &= unmove(p);
	/* What could not be put back stays in the journal for --recover. */
	if (journal_at && undone)
		remove_durably(journal_at);
	varve_rewrite__unlock(lock);
	free(text);
	free(journal_at);
	return error;
}
