/*
 * varve check --against REF (SPEC §3): what merging REF would bring. The
 * manifest at REF and at the merge base of HEAD and REF are read from git;
 * the entries REF added since the merge base are joined with this
 * manifest's, as a merge of the two files would, and the joined graph is
 * checked for the two faults a merge creates without a conflict: a
 * revision both sides added with different content, and a second head.
 * Every finding is placed in this manifest, where the fix is made.
 */
#include "check.h"
#include "buf.h"
#include "diag.h"
#include "error.h"
#include "gitlog.h"
#include "graph.h"
#include "strmap.h"

/* Heads named in one message before "and N more". */
#define LIST_LIMIT 10

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether two entries of one revision say the same (descriptions aside). */
static bool same_entry(const varve_migration *a, const varve_migration *b)
{
	if (a->parent_count != b->parent_count)
		return false;
	for (size_t i = 0; i < a->parent_count; i++)
		if (!same_str(a->parents[i], b->parents[i]))
			return false;
	return same_str(a->file, b->file) && same_str(a->up, b->up) && same_str(a->down, b->down) &&
	       same_str(a->branch, b->branch) && same_str(a->checksum, b->checksum) &&
	       a->transaction == b->transaction;
}

/*
 * The manifest at `commit`, or NULL (*out) when that tree has none or it
 * does not load: then there is nothing to join from it. Its findings are
 * not ours to report.
 */
static int load_at(varve_manifest **out, git_repository *repo, const git_oid *commit,
		   const char *rel, const char *display)
{
	varve_diag_list *ignored = NULL;
	char *data = NULL;
	size_t len;
	int error;

	*out = NULL;
	error = varve_gitlog__read(&data, &len, repo, commit, rel);
	if (error == VARVE_ENOTFOUND) {
		error = 0;
		goto done;
	}
	if (error)
		goto done;
	if ((error = varve_diag_list_new(&ignored)) != 0)
		goto done;
	error = varve_manifest__load_buffer(out, display, data, len, ignored);
	if (error == VARVE_EINVALID)
		error = 0;
done:
	varve_diag_list_free(ignored);
	free(data);
	return error;
}

/* Copy an entry's links into the joined manifest, keeping its position. */
static int join_entry(varve_manifest *joined, const varve_migration *from)
{
	varve_migration *mig;
	int error;

	error = varve_manifest__add(joined, &mig, from->revision,
				    (const char *const *)from->parents, from->parent_count);
	if (error)
		return error;
	mig->pos = from->pos;
	mig->revision_pos = from->revision_pos;
	mig->links_invalid = from->links_invalid;
	if (from->branch && !(mig->branch = varve_manifest__strdup(joined, from->branch)))
		return varve_error__oom();
	return 0;
}

/*
 * The entry of this manifest nearest to a head that came from REF: its
 * first parent, then that one's, until one is ours. NULL when none is.
 */
static const varve_migration *ours_below(const varve_graph *g, size_t node, size_t ours)
{
	for (size_t steps = 0; steps < g->count; steps++) {
		size_t n;
		const size_t *parents = varve_graph_parents(g, node, &n);

		if (!n)
			return NULL;
		node = parents[0];
		if (g->nodes[node]->index < ours)
			return g->nodes[node];
	}
	return NULL;
}

/*
 * multiple-heads of the joined graph, when REF brings one of them (heads
 * that are all ours are this manifest's own finding). Reported at each
 * head of ours, or, when every head came from REF, at the entry of ours
 * below the first of them.
 */
static int report_heads(const varve_manifest *m, const varve_graph *joined,
			const varve_diag_list *found, size_t ours, const char *ref,
			varve_diag_list *diags)
{
	const size_t *heads;
	size_t n, theirs = 0, reported = 0;
	bool fault = false;
	varve_buf b = VARVE_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < varve_diag_list_count(found); i++)
		fault |= strcmp(varve_diag_list_at(found, i)->code, "multiple-heads") == 0;
	heads = varve_graph_heads(joined, &n);
	for (size_t i = 0; i < n; i++)
		theirs += joined->nodes[heads[i]]->index >= ours;
	if (!fault || !theirs)
		return 0;
	varve_buf_printf(&b, "merging '%s' would leave multiple heads: ", ref);
	for (size_t i = 0; i < n && i < LIST_LIMIT; i++)
		varve_buf_printf(&b, "%s'%s'%s%s%s", i ? ", " : "",
				 joined->nodes[heads[i]]->revision,
				 joined->nodes[heads[i]]->index >= ours ? " (from " : "",
				 joined->nodes[heads[i]]->index >= ours ? ref : "",
				 joined->nodes[heads[i]]->index >= ours ? ")" : "");
	if (n > LIST_LIMIT)
		varve_buf_printf(&b, " and %zu more", n - LIST_LIMIT);
	varve_buf_puts(&b, "; join them with 'varve merge'");
	if (b.oom) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < n && !error; i++) {
		const varve_migration *mig = joined->nodes[heads[i]];

		if (mig->index >= ours)
			continue;
		error = varve_diag__error(diags, "multiple-heads", m->path, mig->revision_pos.line,
					  mig->revision_pos.column, "%s", b.ptr);
		reported++;
	}
	if (!error && !reported) {
		const varve_migration *mig = ours_below(joined, heads[0], ours);
		varve_pos at = mig ? mig->revision_pos : (varve_pos){0, 0};

		error = varve_diag__error(diags, "multiple-heads", m->path, at.line, at.column,
					  "%s", b.ptr);
	}
done:
	varve_buf_dispose(&b);
	return error;
}

/*
 * Join: this manifest's entries, then those REF added since the merge
 * base that this manifest does not hold; a revision both hold with
 * different content is a duplicate-revision here.
 */
static int join(const varve_manifest *m, const varve_manifest *theirs, const varve_manifest *base,
		const char *ref, varve_diag_list *diags)
{
	varve_manifest *joined = NULL;
	varve_graph *graph = NULL;
	varve_diag_list *found = NULL;
	varve_strmap in_base = VARVE_STRMAP_INIT, in_ours = VARVE_STRMAP_INIT;
	int error;

	if ((error = varve_manifest__new(&joined, m->path)) != 0 ||
	    (error = varve_diag_list_new(&found)) != 0)
		goto done;
	for (size_t i = 0; base && i < base->count; i++)
		if (varve_strmap_put(&in_base, base->migrations[i]->revision, i, NULL) < 0) {
			error = varve_error__oom();
			goto done;
		}
	for (size_t i = 0; i < m->count; i++) {
		if (varve_strmap_put(&in_ours, m->migrations[i]->revision, i, NULL) < 0) {
			error = varve_error__oom();
			goto done;
		}
		if ((error = join_entry(joined, m->migrations[i])) != 0)
			goto done;
	}
	for (size_t i = 0; i < theirs->count; i++) {
		const varve_migration *t = theirs->migrations[i], *o;
		size_t at;

		if (varve_strmap_get(&in_base, t->revision, NULL))
			continue; /* not added by REF */
		if (!varve_strmap_get(&in_ours, t->revision, &at)) {
			if ((error = join_entry(joined, t)) != 0)
				goto done;
			continue;
		}
		o = m->migrations[at];
		if (same_entry(o, t))
			continue; /* the same entry on both sides, e.g. merged before */
		error = varve_diag__error(diags, "duplicate-revision", m->path,
					  o->revision_pos.line, o->revision_pos.column,
					  "revision '%s' is also added on '%s', with different "
					  "content: merging would define it twice",
					  o->revision, ref);
		if (error)
			goto done;
	}
	if ((error = varve_graph_build(&graph, joined, found)) != 0)
		goto done;
	error = report_heads(m, graph, found, m->count, ref, diags);
done:
	varve_graph_free(graph);
	varve_diag_list_free(found);
	varve_manifest_free(joined);
	varve_strmap_dispose(&in_base);
	varve_strmap_dispose(&in_ours);
	return error;
}

/*
 * timestamp-revision for the timestamp revisions of `m` that neither
 * `theirs` nor `base` holds (either may be NULL): the ones this branch
 * brings, which `varve fix` should number before the merge.
 */
static int new_timestamps(const varve_manifest *m, const varve_manifest *theirs,
			  const varve_manifest *base, const char *ref, varve_diag_list *diags)
{
	const varve_manifest *sides[] = {theirs, base};
	varve_strmap known = VARVE_STRMAP_INIT;
	int error = 0;

	for (size_t k = 0; k < VARVE_ARRAY_SIZE(sides); k++)
		for (size_t i = 0; sides[k] && i < sides[k]->count; i++)
			if (varve_strmap_put(&known, sides[k]->migrations[i]->revision, i, NULL) <
			    0) {
				error = varve_error__oom();
				goto done;
			}
	for (size_t i = 0; i < m->count && !error; i++) {
		const varve_migration *mig = m->migrations[i];

		if (!mig->revision || !varve_manifest__is_timestamp(mig->revision) ||
		    varve_strmap_get(&known, mig->revision, NULL))
			continue;
		error = varve_diag__warning(
		    diags, "timestamp-revision", m->path, mig->revision_pos.line,
		    mig->revision_pos.column,
		    "'%s' is a timestamp revision new on this branch (not on '%s'); "
		    "run 'varve fix' before merging",
		    mig->revision, ref);
	}
done:
	varve_strmap_dispose(&known);
	return error;
}

/* The revisions of `theirs` and `base` (either may be NULL) into `known`. */
static int note_known(varve_strmap *known, varve_arena *arena, const varve_manifest *theirs,
		      const varve_manifest *base)
{
	const varve_manifest *sides[] = {theirs, base};

	for (size_t k = 0; k < VARVE_ARRAY_SIZE(sides); k++)
		for (size_t i = 0; sides[k] && i < sides[k]->count; i++) {
			const char *rev = varve_arena_strdup(arena, sides[k]->migrations[i]->revision);

			if (!rev || varve_strmap_put(known, rev, 0, NULL) < 0)
				return varve_error__oom();
		}
	return 0;
}

int varve_check__against(const varve_manifest *m, const char *ref, bool timestamps,
			 varve_diag_list *diags, varve_strmap *known, varve_arena *arena)
{
	git_repository *repo = NULL;
	varve_manifest *theirs = NULL, *base = NULL;
	varve_buf display = VARVE_BUF_INIT;
	git_oid theirs_id, base_id;
	char *rel = NULL;
	int error;

	error = varve_gitlog__open(&repo, m->base);
	if (error == VARVE_ENOTFOUND) {
		error = varve_error__set(VARVE_EUSAGE,
					 "--against needs a git "
					 "repository: '%s' is not in one",
					 m->path);
		goto done;
	}
	if (error)
		goto done;
	if ((error = varve_gitlog__relative(&rel, repo, m->path)) != 0) {
		if (error == VARVE_EINVALID)
			error = VARVE_EUSAGE; /* the message stands */
		goto done;
	}
	if ((error = varve_gitlog__resolve(&theirs_id, repo, ref)) != 0) {
		if (error == VARVE_ENOTFOUND)
			error = VARVE_EUSAGE; /* the message stands */
		goto done;
	}
	varve_buf_printf(&display, "%s:%s", ref, rel);
	if (display.oom) {
		error = varve_error__oom();
		goto done;
	}
	if ((error = load_at(&theirs, repo, &theirs_id, rel, display.ptr)) != 0)
		goto done;
	if (!theirs) { /* no manifest at REF: nothing to join, all of ours is new */
		if (timestamps)
			error = new_timestamps(m, NULL, NULL, ref, diags);
		goto done;
	}
	error = varve_gitlog__merge_base(&base_id, repo, &theirs_id);
	if (error == 0)
		error = load_at(&base, repo, &base_id, rel, display.ptr);
	else if (error == VARVE_ENOTFOUND)
		error = 0; /* no shared history: REF added all it holds */
	if (error)
		goto done;
	if ((error = join(m, theirs, base, ref, diags)) == 0 && timestamps)
		error = new_timestamps(m, theirs, base, ref, diags);
	if (!error && known)
		error = note_known(known, arena, theirs, base);
done:
	varve_manifest_free(theirs);
	varve_manifest_free(base);
	varve_buf_dispose(&display);
	free(rel);
	varve_gitlog__close(repo);
	return error;
}

int varve_check_against(const char *path, const char *ref, varve_diag_list *diags)
{
	varve_diag_list *ignored = NULL;
	varve_manifest *m = NULL;
	int error;

	assert(path && ref && diags);
	/* The manifest's own findings are varve_check's to report. */
	if ((error = varve_diag_list_new(&ignored)) != 0)
		return error;
	error = varve_manifest_load(&m, path, ignored);
	if (error == VARVE_EINVALID)
		error = 0;
	else if (!error)
		error = varve_check__against(m, ref, false, diags, NULL, NULL);
	varve_manifest_free(m);
	varve_diag_list_free(ignored);
	return error;
}
