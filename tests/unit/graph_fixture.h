/*
 * Helpers shared by the graph and target tests: build a manifest in
 * memory and print node lists as "0001 0002" for exact comparisons.
 */
#ifndef VARVE_TEST_GRAPH_FIXTURE_H
#define VARVE_TEST_GRAPH_FIXTURE_H

#include "manifest.h"
#include "graph.h"
#include "diag.h"

/* A manifest built by hand, its graph and the findings; freed by teardown. */
typedef struct fixture {
	varve_manifest *m;
	varve_graph *g;
	varve_diag_list *d;
} fixture;

static inline int teardown(void **state)
{
	fixture *f = *state;

	varve_graph_free(f->g);
	varve_diag_list_free(f->d);
	varve_manifest_free(f->m);
	free(f);
	return 0;
}

/*
 * Append an entry: add(m, "0003", "0002", NULL) or a merge with more
 * parents; add(m, "0001", NULL) for a root. Positions are made up from
 * the index so findings can be checked: entry i sits at line 10 * (i + 1),
 * its revision at column 15, its parents on the next line.
 */
static inline varve_migration *add(varve_manifest *m, const char *revision, ...)
{
	const char *parents[16];
	size_t n = 0;
	varve_migration *mig = NULL;
	va_list ap;
	unsigned line = 10 * (unsigned)(m->count + 1);

	va_start(ap, revision);
	for (const char *p; (p = va_arg(ap, const char *)) != NULL;)
		parents[n++] = p;
	va_end(ap);
	assert_int_equal(varve_manifest__add(m, &mig, revision, parents, n), 0);
	mig->pos = (varve_pos){ line, 5 };
	mig->revision_pos = (varve_pos){ line, 15 };
	mig->down_revision_pos = (varve_pos){ line + 1, 20 };
	for (size_t i = 0; i < n; i++)
		mig->parent_pos[i] = (varve_pos){ line + 1, 20 + 8 * (unsigned)i };
	return mig;
}

static inline varve_migration *add_label(varve_manifest *m, const char *label,
				  const char *revision, const char *parent)
{
	varve_migration *mig = parent ? add(m, revision, parent, NULL)
				       : add(m, revision, NULL);

	mig->branch = varve_manifest__strdup(m, label);
	mig->branch_pos = (varve_pos){ mig->pos.line + 2, 13 };
	return mig;
}

static inline const char *names(const varve_graph *g, const size_t *nodes, size_t n)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? " " : "",
					varve_migration_revision(
						varve_graph_node(g, nodes[i])));
	return buf;
}

#endif
