/* Unit tests for lib/target.c: every target form, in both directions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "graph_fixture.h"

/*
 * The main graph:
 *
 *   0001 - 0002 - 0003 [billing] - 0004 - 0006 (merge) - 0007
 *               \                        /
 *                0005 [search] ---------
 */
static int setup_merged(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || varve_manifest__new(&f->m, "varve.yaml") != 0 ||
	    varve_diag_list_new(&f->d) != 0)
		return -1;
	add(f->m, "0001", NULL);
	add(f->m, "0002", "0001", NULL);
	add_label(f->m, "billing", "0003", "0002");
	add(f->m, "0004", "0003", NULL);
	add_label(f->m, "search", "0005", "0002");
	add(f->m, "0006", "0004", "0005", NULL);
	add(f->m, "0007", "0006", NULL);
	if (varve_graph_build(&f->g, f->m, f->d) != 0 ||
	    varve_diag_list_count(f->d) != 0)
		return -1;
	*state = f;
	return 0;
}

/*
 * Two labelled heads, and a label above both:
 *
 *   0001 [main] - 0002 - 0003 [billing]
 *                      \ 0004 [search] - 0005
 */
static int setup_forked(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || varve_manifest__new(&f->m, "varve.yaml") != 0 ||
	    varve_diag_list_new(&f->d) != 0)
		return -1;
	add_label(f->m, "main", "0001", NULL);
	add(f->m, "0002", "0001", NULL);
	add_label(f->m, "billing", "0003", "0002");
	add_label(f->m, "search", "0004", "0002");
	add(f->m, "0005", "0004", NULL);
	if (varve_graph_build(&f->g, f->m, f->d) != 0)
		return -1;
	*state = f;
	return 0;
}

/* Hash-like revisions for prefixes. */
static int setup_hashes(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || varve_manifest__new(&f->m, "varve.yaml") != 0 ||
	    varve_diag_list_new(&f->d) != 0)
		return -1;
	add(f->m, "ae1027a6acf", NULL);
	add(f->m, "27c6a30d7c24", "ae1027a6acf", NULL);
	add(f->m, "27d1f0e2b9aa", "27c6a30d7c24", NULL);
	if (varve_graph_build(&f->g, f->m, f->d) != 0 ||
	    varve_diag_list_count(f->d) != 0)
		return -1;
	*state = f;
	return 0;
}

/* "0001 0002" for the steps of a resolve that must succeed. */
static const char *resolve(const varve_graph *g, const char *target,
			   varve_direction dir, const char *const *applied,
			   size_t applied_count)
{
	varve_steps *s = NULL;
	size_t nodes[64], n;
	const char *out;
	int error = varve_target_resolve(&s, g, target, dir, applied,
					 applied_count);

	if (error)
		fail_msg("'%s': %d %s", target, error, varve_error_last());
	n = varve_steps_count(s);
	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++)
		nodes[i] = varve_steps_at(s, i);
	out = names(g, nodes, n);
	varve_steps_free(s);
	return out;
}

#define UP(target, ...)                                                    \
	resolve(f->g, target, VARVE_UPGRADE,                               \
		(const char *const[]){ NULL, __VA_ARGS__ } + 1,            \
		sizeof((const char *const[]){ NULL, __VA_ARGS__ }) /       \
				sizeof(char *) - 1)
#define DOWN(target, ...)                                                  \
	resolve(f->g, target, VARVE_DOWNGRADE,                             \
		(const char *const[]){ NULL, __VA_ARGS__ } + 1,            \
		sizeof((const char *const[]){ NULL, __VA_ARGS__ }) /       \
				sizeof(char *) - 1)

/* A resolve that must fail with `code` and `message`. */
static void refused(const varve_graph *g, const char *target,
		    varve_direction dir, int code, const char *message)
{
	static const char *const applied[] = { "0001", "0002" };
	varve_steps *s = (varve_steps *)1;

	assert_int_equal(varve_target_resolve(&s, g, target, dir, applied, 2),
			 code);
	assert_null(s);
	assert_string_equal(varve_error_last(), message);
}

static const char *nodes_of(const varve_graph *g, const char *target)
{
	size_t *nodes = NULL, n = 0;
	const char *out;
	int error = varve_target_nodes(&nodes, &n, g, target);

	if (error)
		fail_msg("'%s': %d %s", target, error, varve_error_last());
	assert_non_null(nodes);
	out = names(g, nodes, n);
	free(nodes);
	return out;
}

/* ------------------------------------------------------------------------ */

static void test_head(void **state)
{
	fixture *f = *state;

	assert_string_equal(UP("head"), "0001 0002 0003 0004 0005 0006 0007");
	assert_string_equal(UP("head", "0001", "0002", "0003"),
			    "0004 0005 0006 0007");
	assert_string_equal(nodes_of(f->g, "head"), "0007");
	/* Already there: nothing to do, and that is a success. */
	assert_string_equal(UP("head", "0001", "0002", "0003", "0004", "0005",
			       "0006", "0007"), "");
}

/*
 * The search branch was merged below what was applied: upgrading to the
 * head brings it in before the merge.
 */
static void test_upgrade_brings_in_merged_branch(void **state)
{
	fixture *f = *state;

	assert_string_equal(UP("head", "0001", "0002", "0003", "0004"),
			    "0005 0006 0007");
	assert_string_equal(UP("0006", "0001", "0002", "0003", "0004"),
			    "0005 0006");
	/* Applied revisions the manifest lacks are ignored. */
	assert_string_equal(UP("0002", "gone", "0001"), "0002");
}

static void test_multiple_heads(void **state)
{
	fixture *f = *state;

	refused(f->g, "head", VARVE_UPGRADE, VARVE_EAMBIGUOUS,
		"multiple heads: '0003', '0005'; name one, or use 'heads' or '<branch>@head'");
	assert_string_equal(UP("heads"), "0001 0002 0003 0004 0005");
	assert_string_equal(UP("heads", "0001", "0002", "0003"), "0004 0005");
	assert_string_equal(nodes_of(f->g, "heads"), "0003 0005");
	assert_string_equal(DOWN("heads", "0001", "0002", "0003"), "");
}

static void test_branch_head(void **state)
{
	fixture *f = *state;

	assert_string_equal(UP("billing@head", "0001", "0002"), "0003");
	assert_string_equal(UP("search@head", "0001", "0002"), "0004 0005");
	assert_string_equal(nodes_of(f->g, "search@heads"), "0005");
	assert_string_equal(nodes_of(f->g, "main@heads"), "0003 0005");
	refused(f->g, "main@head", VARVE_UPGRADE, VARVE_EAMBIGUOUS,
		"branch 'main' has several heads: '0003', '0005'; name one, or merge them");
	refused(f->g, "nope@head", VARVE_UPGRADE, VARVE_ENOTFOUND,
		"no branch 'nope'");
	refused(f->g, "billing@tail", VARVE_UPGRADE, VARVE_EINVALID,
		"invalid target 'billing@tail': expected '<branch>@head' or '<branch>@-N'");
	/* A label alone names the entry that carries it. */
	assert_string_equal(nodes_of(f->g, "search"), "0004");
}

/* After a merge both labels reach the merge and what follows it. */
static void test_branch_head_after_merge(void **state)
{
	fixture *f = *state;

	assert_string_equal(nodes_of(f->g, "billing@head"), "0007");
	assert_string_equal(nodes_of(f->g, "search@head"), "0007");
	assert_string_equal(UP("search@head", "0001", "0002", "0005"),
			    "0003 0004 0006 0007");
}

static void test_base(void **state)
{
	fixture *f = *state;

	assert_string_equal(DOWN("base", "0001", "0002", "0003", "0005", "0004"),
			    "0004 0005 0003 0002 0001");
	assert_string_equal(DOWN("base", "0001"), "0001");
	refused(f->g, "base", VARVE_UPGRADE, VARVE_EUSAGE,
		"cannot upgrade to 'base': it is a downgrade target");
	assert_string_equal(nodes_of(f->g, "base"), "");
}

static void test_revision(void **state)
{
	fixture *f = *state;

	assert_string_equal(UP("0004", "0001"), "0002 0003 0004");
	assert_string_equal(UP("0004", "0001", "0002", "0003", "0004", "0005"), "");
	assert_string_equal(DOWN("0002", "0001", "0002", "0003", "0004"),
			    "0004 0003");
	refused(f->g, "9999", VARVE_UPGRADE, VARVE_ENOTFOUND,
		"no revision or branch '9999'");
	refused(f->g, "000", VARVE_UPGRADE, VARVE_EAMBIGUOUS,
		"multiple revisions start with '000': '0001', '0002', '0003', '0004', '0005', '0006', '0007'");
	refused(f->g, "00 1", VARVE_UPGRADE, VARVE_EINVALID,
		"invalid target '00 1'");
	refused(f->g, "", VARVE_DOWNGRADE, VARVE_EINVALID, "empty target");
}

static void test_prefix(void **state)
{
	fixture *f = *state;

	assert_string_equal(nodes_of(f->g, "ae"), "ae1027a6acf");
	assert_string_equal(nodes_of(f->g, "27d"), "27d1f0e2b9aa");
	assert_string_equal(UP("27c", "ae1027a6acf"), "27c6a30d7c24");
	refused(f->g, "27", VARVE_UPGRADE, VARVE_EAMBIGUOUS,
		"multiple revisions start with '27': '27c6a30d7c24', '27d1f0e2b9aa'");
	assert_string_equal(nodes_of(f->g, "27c+1"), "27d1f0e2b9aa");
}

/*
 * Downgrading to a revision on the other branch rolls back everything
 * that is not below it, most recent first.
 */
static void test_downgrade_to_other_branch(void **state)
{
	fixture *f = *state;

	assert_string_equal(DOWN("0005", "0001", "0002", "0003", "0004",
				 "0005", "0006", "0007"),
			    "0007 0006 0004 0003");
	/* The target need not be applied. */
	assert_string_equal(DOWN("0005", "0001", "0002", "0003", "0004"),
			    "0004 0003");
	/* Nothing above it applied: nothing to do. */
	assert_string_equal(DOWN("0004", "0001", "0002", "0003"), "");
}

static void test_plus_n(void **state)
{
	fixture *f = *state;

	assert_string_equal(UP("+1"), "0001");
	assert_string_equal(UP("+2", "0001", "0002"), "0003 0004");
	assert_string_equal(UP("+3", "0001", "0002", "0003"), "0004 0005 0006");
	assert_string_equal(UP("+0", "0001"), "");
	refused(f->g, "+6", VARVE_UPGRADE, VARVE_EINVALID,
		"cannot resolve '+6': only 5 migrations are pending");
	refused(f->g, "+1", VARVE_DOWNGRADE, VARVE_EUSAGE,
		"cannot downgrade to '+1': it is an upgrade target");
	refused(f->g, "+99999999999999999999999", VARVE_UPGRADE, VARVE_EINVALID,
		"step count of '+99999999999999999999999' is too large");
}

static void test_plus_n_nothing_pending(void **state)
{
	fixture *f = *state;
	static const char *const all[] = { "0001", "0002", "0003", "0004",
					   "0005", "0006", "0007" };
	varve_steps *s = NULL;

	assert_int_equal(varve_target_resolve(&s, f->g, "+1", VARVE_UPGRADE,
					      all, 7),
			 VARVE_EINVALID);
	assert_string_equal(varve_error_last(),
			    "cannot resolve '+1': no migrations are pending");
	assert_int_equal(varve_target_resolve(&s, f->g, "+1", VARVE_UPGRADE,
					      all, 6),
			 0);
	assert_int_equal(varve_steps_count(s), 1);
	varve_steps_free(s);
}

/* -N follows the application order, not the graph. */
static void test_minus_n(void **state)
{
	fixture *f = *state;

	assert_string_equal(DOWN("-1", "0001", "0002", "0003", "0005", "0004",
				 "0006"),
			    "0006");
	assert_string_equal(DOWN("-2", "0001", "0002", "0003", "0005", "0004",
				 "0006"),
			    "0006 0004");
	assert_string_equal(DOWN("-3", "0001", "0002", "0005", "0003", "0004",
				 "0006"),
			    "0006 0004 0003");
	assert_string_equal(DOWN("-0", "0001"), "");
	/* A revision listed twice, or unknown, counts once, or not at all. */
	assert_string_equal(DOWN("-2", "0001", "zzzz", "0001", "0002"),
			    "0002 0001");
	refused(f->g, "-3", VARVE_DOWNGRADE, VARVE_EINVALID,
		"cannot resolve '-3': only 2 migrations are applied");
	refused(f->g, "-1", VARVE_UPGRADE, VARVE_EUSAGE,
		"cannot upgrade to '-1': it is a downgrade target");
}

static void test_label_minus_n(void **state)
{
	fixture *f = *state;

	assert_string_equal(DOWN("search@-1", "0001", "0002", "0003", "0005",
				 "0004", "0006"),
			    "0006");
	assert_string_equal(DOWN("billing@-2", "0001", "0002", "0003", "0005",
				 "0004", "0006"),
			    "0006 0004");
	assert_string_equal(DOWN("search@-2", "0001", "0002", "0003", "0005",
				 "0004", "0006"),
			    "0006 0005");
	refused(f->g, "billing@-1", VARVE_DOWNGRADE, VARVE_EINVALID,
		"cannot resolve 'billing@-1': no migrations are applied on the branch");
	refused(f->g, "billing@-1", VARVE_UPGRADE, VARVE_EUSAGE,
		"cannot upgrade to 'billing@-1': it is a downgrade target");
}

static void test_walk(void **state)
{
	fixture *f = *state;

	assert_string_equal(nodes_of(f->g, "0003+1"), "0004");
	assert_string_equal(nodes_of(f->g, "0003+2"), "0006");
	assert_string_equal(nodes_of(f->g, "0004-2"), "0002");
	assert_string_equal(nodes_of(f->g, "0007-1"), "0006");
	assert_string_equal(nodes_of(f->g, "head-1"), "0006");
	assert_string_equal(nodes_of(f->g, "billing+1"), "0004");
	assert_string_equal(nodes_of(f->g, "0002-1"), "0001");
	assert_string_equal(nodes_of(f->g, "0005+0"), "0005");
	/* One step below a root is base. */
	assert_string_equal(nodes_of(f->g, "0002-2"), "");
	assert_string_equal(DOWN("0002-2", "0001", "0002"), "0002 0001");
	assert_string_equal(UP("0001+1"), "0001 0002");
	assert_string_equal(DOWN("0007-1", "0001", "0002", "0003", "0004",
				 "0005", "0006", "0007"),
			    "0007");
}

static void test_walk_refused(void **state)
{
	fixture *f = *state;
	size_t *nodes = NULL, n = 0;

	refused(f->g, "0002+1", VARVE_UPGRADE, VARVE_EAMBIGUOUS,
		"cannot walk '0002+1': '0002' forks into '0003', '0005'");
	refused(f->g, "0001+2", VARVE_UPGRADE, VARVE_EAMBIGUOUS,
		"cannot walk '0001+2': '0002' forks into '0003', '0005'");
	refused(f->g, "0006-1", VARVE_DOWNGRADE, VARVE_EAMBIGUOUS,
		"cannot walk '0006-1': '0006' merges '0004', '0005'");
	refused(f->g, "0007-2", VARVE_DOWNGRADE, VARVE_EAMBIGUOUS,
		"cannot walk '0007-2': '0006' merges '0004', '0005'");
	refused(f->g, "0007+1", VARVE_UPGRADE, VARVE_EINVALID,
		"cannot walk '0007+1': walked past the head at '0007'");
	refused(f->g, "0002-3", VARVE_DOWNGRADE, VARVE_EINVALID,
		"cannot walk '0002-3': walked past the base at '0001'");
	refused(f->g, "base-1", VARVE_DOWNGRADE, VARVE_EINVALID,
		"cannot walk 'base-1': 'base' is not one revision");
	refused(f->g, "x+y-1", VARVE_DOWNGRADE, VARVE_EINVALID,
		"invalid target 'x+y-1'");

	assert_int_equal(varve_target_nodes(&nodes, &n, f->g, "-1"),
			 VARVE_EUSAGE);
	assert_null(nodes);
	assert_string_equal(varve_error_last(),
			    "target '-1' is relative to the applied state");
	assert_int_equal(varve_target_nodes(&nodes, &n, f->g, "+2"),
			 VARVE_EUSAGE);
	assert_int_equal(varve_target_nodes(&nodes, &n, f->g, "search@-1"),
			 VARVE_EUSAGE);
}

static void test_empty_manifest(void **state)
{
	varve_manifest *m = NULL;
	varve_diag_list *d = NULL;
	varve_graph *g = NULL;

	(void)state;
	assert_int_equal(varve_manifest__new(&m, "varve.yaml"), 0);
	assert_int_equal(varve_diag_list_new(&d), 0);
	assert_int_equal(varve_graph_build(&g, m, d), 0);
	refused(g, "head", VARVE_UPGRADE, VARVE_ENOTFOUND,
		"the manifest has no migrations");
	refused(g, "+1", VARVE_UPGRADE, VARVE_EINVALID,
		"cannot resolve '+1': no migrations are pending");
	assert_string_equal(resolve(g, "heads", VARVE_UPGRADE, NULL, 0), "");
	assert_string_equal(resolve(g, "base", VARVE_DOWNGRADE, NULL, 0), "");
	varve_graph_free(g);
	varve_diag_list_free(d);
	varve_manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_head, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_brings_in_merged_branch, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_multiple_heads, setup_forked, teardown),
		cmocka_unit_test_setup_teardown(test_branch_head, setup_forked, teardown),
		cmocka_unit_test_setup_teardown(test_branch_head_after_merge, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_base, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_revision, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_prefix, setup_hashes, teardown),
		cmocka_unit_test_setup_teardown(test_downgrade_to_other_branch, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_plus_n, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_plus_n_nothing_pending, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_minus_n, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_label_minus_n, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_walk, setup_merged, teardown),
		cmocka_unit_test_setup_teardown(test_walk_refused, setup_merged, teardown),
		cmocka_unit_test(test_empty_manifest),
	};

	return cmocka_run_group_tests_name("target", tests, NULL, NULL);
}
