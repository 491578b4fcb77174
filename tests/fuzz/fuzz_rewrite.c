/*
 * Fuzz entry point for the manifest rewriter, all in memory: the input is
 * loaded as a manifest and, when it loads without errors, rewritten as
 * `fix` and `hash` and `new` would do it (every revision renumbered "0001",
 * "0002", ... with its down_revision references, a checksum inserted or
 * replaced in every entry, one entry appended). The result must load again
 * without errors, with one entry more, the new revisions, parents and
 * checksums, and every other value as it was; otherwise abort(), so the
 * fuzzer reports the input.
 *
 * The rewriter may refuse an edit it documents as refused (a revision
 * written as a block scalar or folded over lines): such inputs are
 * skipped, not reported.
 *
 * A file without a final line break is compared with itself plus one: a
 * block scalar ending such a file gains the line break its chomping keeps
 * once a key follows it, as YAML can put nothing after it on its line.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "rewrite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Enough to reach every rewriter path; larger manifests only slow it. */
#define MAX_ENTRIES 256

static bool has_errors(const varve_diag_list *diags)
{
	for (size_t i = 0; i < varve_diag_list_count(diags); i++)
		if (varve_diag_list_at(diags, i)->severity == VARVE_SEVERITY_ERROR)
			return true;
	return false;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void revision_of(char *buf, size_t size, size_t i)
{
	snprintf(buf, size, "%04zu", i + 1);
}

static void checksum_of(char *buf, size_t size, size_t i)
{
	snprintf(buf, size, "sha256:%064zx", i + 1);
}

/* The new revision for an old one: by the index of its entry, else as is. */
static const char *renumbered(const varve_manifest *m, char (*revs)[16], const char *old)
{
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->migrations[i]->revision, old) == 0)
			return revs[i];
	return old;
}

/*
 * Apply the edits to `m` through `rw`. Returns 1 when the rewriter refused
 * an edit (skip the input), 0 on success; aborts on other failures.
 */
static int edit(varve_rewrite *rw, const varve_manifest *m, char (*revs)[16], char (*sums)[80])
{
	char quote = varve_rewrite__quote_char(rw, m);
	varve_buf yaml = VARVE_BUF_INIT, parent = VARVE_BUF_INIT, sum = VARVE_BUF_INIT;
	varve_rewrite_field fields[4];
	int rc = 0;

	for (size_t i = 0; i < m->count; i++) {
		const varve_migration *mig = m->migrations[i];

		if (varve_rewrite__replace_scalar(rw, mig->revision_pos, mig->revision, revs[i]) !=
		    0) {
			rc = 1;
			goto done;
		}
		for (size_t j = 0; j < mig->parent_count; j++) {
			const char *to = renumbered(m, revs, mig->parents[j]);

			/* A parent that names no entry keeps its name; it must not
			 * become one of the new revisions by chance. */
			for (size_t k = 0; to == mig->parents[j] && k <= m->count; k++)
				if (strcmp(to, revs[k]) == 0) {
					rc = 1;
					goto done;
				}
			if (to != mig->parents[j] &&
			    varve_rewrite__replace_scalar(rw, mig->parent_pos[j], mig->parents[j],
							  to) != 0) {
				rc = 1;
				goto done;
			}
		}
		if (mig->checksum) {
			if (varve_rewrite__replace_scalar(rw, mig->checksum_pos, mig->checksum,
							  sums[i]) != 0) {
				rc = 1;
				goto done;
			}
		} else if (varve_rewrite__insert_key(rw, mig, "checksum", sums[i]) != 0) {
			abort(); /* an entry that loaded has an end */
		}
	}
	varve_buf_clear(&yaml);
	if (varve_rewrite__scalar(&yaml, revs[m->count], quote, true) != 0)
		abort();
	if (m->count) {
		if (varve_rewrite__scalar(&parent, revs[m->count - 1], quote, true) != 0)
			abort();
	} else {
		varve_buf_puts(&parent, "null");
	}
	if (varve_rewrite__scalar(&sum, sums[m->count], quote, false) != 0 || parent.oom)
		abort();
	fields[0] = (varve_rewrite_field){"revision", varve_buf_cstr(&yaml)};
	fields[1] = (varve_rewrite_field){"down_revision", varve_buf_cstr(&parent)};
	fields[2] = (varve_rewrite_field){"file", "fuzz.sql"};
	fields[3] = (varve_rewrite_field){"checksum", varve_buf_cstr(&sum)};
	if (varve_rewrite__append_entry(rw, m, fields, 4) != 0)
		rc = 1; /* no `migrations` sequence, or an empty block one */
done:
	varve_buf_dispose(&yaml);
	varve_buf_dispose(&parent);
	varve_buf_dispose(&sum);
	return rc;
}

/* Why an input fails, for triage: VARVE_FUZZ_SHOW=1 prints the result. */
static void fail(const char *why, const char *text, size_t len, const varve_diag_list *diags)
{
	if (getenv("VARVE_FUZZ_SHOW")) {
		fprintf(stderr, "fuzz_rewrite: %s\n--- rewritten ---\n%.*s\n---\n", why, (int)len,
			text ? text : "");
		for (size_t i = 0; diags && i < varve_diag_list_count(diags); i++) {
			const varve_diag *d = varve_diag_list_at(diags, i);

			fprintf(stderr, "%u:%u: %s\n", d->line, d->column, d->message);
		}
	}
	abort();
}

/* The properties of the rewritten manifest `r` against the original `m`. */
static bool check(const varve_manifest *m, const varve_manifest *r, char (*revs)[16],
		  char (*sums)[80])
{
	const varve_migration *last;

	if (r->count != m->count + 1)
		return false;
	for (size_t i = 0; i < m->count; i++) {
		const varve_migration *a = m->migrations[i], *b = r->migrations[i];

		if (!same(b->revision, revs[i]) || !same(b->checksum, sums[i]) ||
		    a->parent_count != b->parent_count || a->links_invalid != b->links_invalid)
			return false;
		for (size_t j = 0; j < a->parent_count; j++)
			if (!same(b->parents[j], renumbered(m, revs, a->parents[j])))
				return false;
		if (!same(a->description, b->description) || !same(a->file, b->file) ||
		    !same(a->up, b->up) || !same(a->down, b->down) || !same(a->branch, b->branch) ||
		    a->transaction != b->transaction || a->flow != b->flow)
			return false;
	}
	last = r->migrations[m->count];
	if (!same(last->revision, revs[m->count]) || !same(last->checksum, sums[m->count]) ||
	    !same(last->file, "fuzz.sql") || last->parent_count != (m->count ? 1u : 0u) ||
	    (m->count && !same(last->parents[0], revs[m->count - 1])))
		return false;
	if (!same(m->directory, r->directory) || !same(m->version_table, r->version_table) ||
	    m->naming != r->naming || m->format_version != r->format_version)
		return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	varve_diag_list *diags = NULL, *again = NULL, *ref = NULL;
	varve_manifest *m = NULL, *r = NULL;
	varve_rewrite *rw = NULL;
	char(*revs)[16] = NULL, (*sums)[80] = NULL;
	char *text = NULL;
	size_t len = 0;

	if (varve_diag_list_new(&diags) != 0 || varve_diag_list_new(&again) != 0 ||
	    varve_diag_list_new(&ref) != 0)
		abort(); /* the harness itself failed, not the rewriter */
	if (varve_manifest__load_buffer(&m, "varve.yaml", (const char *)data, size, diags) != 0 ||
	    has_errors(diags) || m->count > MAX_ENTRIES)
		goto done;
	for (size_t i = 0; i < m->count; i++)
		if (!m->migrations[i]->revision)
			goto done;
	if (!(revs = calloc(m->count + 1, sizeof(*revs))) ||
	    !(sums = calloc(m->count + 1, sizeof(*sums))))
		abort();
	for (size_t i = 0; i <= m->count; i++) {
		revision_of(revs[i], sizeof(revs[i]), i);
		checksum_of(sums[i], sizeof(sums[i]), i);
	}
	if (varve_rewrite__new(&rw, (const char *)data, size) != 0)
		abort();
	if (edit(rw, m, revs, sums) != 0)
		goto done;
	if (varve_rewrite__apply(rw, &text, &len) != 0)
		fail("overlapping edits", NULL, 0, NULL);
	if (size && data[size - 1] != '\n' && data[size - 1] != '\r') {
		char *copy = malloc(size + 1);
		size_t count = m->count;
		int rc;

		if (!copy)
			abort();
		memcpy(copy, data, size);
		copy[size] = '\n';
		varve_manifest_free(m);
		m = NULL;
		rc = varve_manifest__load_buffer(&m, "varve.yaml", copy, size + 1, ref);
		free(copy);
		if (rc != 0 || has_errors(ref) || m->count != count)
			goto done;
	}
	if (varve_manifest__load_buffer(&r, "varve.yaml", text, len, again) != 0 ||
	    has_errors(again))
		fail("the result does not load", text, len, again);
	if (!check(m, r, revs, sums))
		fail("the result reads differently", text, len, NULL);
done:
	free(text);
	free(revs);
	free(sums);
	varve_rewrite__free(rw);
	varve_manifest_free(r);
	varve_manifest_free(m);
	varve_diag_list_free(again);
	varve_diag_list_free(ref);
	varve_diag_list_free(diags);
	return 0;
}
