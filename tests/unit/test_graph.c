/* Unit tests for lib/graph.c: structure, order, labels and link findings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "graph_fixture.h"

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || varve_manifest__new(&f->m, "varve.yaml") != 0 ||
	    varve_diag_list_new(&f->d) != 0)
		return -1;
	*state = f;
	return 0;
}

static void build(fixture *f)
{
	assert_int_equal(varve_graph_build(&f->g, f->m, f->d), 0);
	assert_non_null(f->g);
}

static const char *order(const varve_graph *g)
{
	size_t n;
	const size_t *o = varve_graph_order(g, &n);

	return names(g, o, n);
}

static const char *heads(const varve_graph *g)
{
	size_t n;
	const size_t *h = varve_graph_heads(g, &n);

	return names(g, h, n);
}

static const char *roots(const varve_graph *g)
{
	size_t n;
	const size_t *r = varve_graph_roots(g, &n);

	return names(g, r, n);
}

static size_t node(const varve_graph *g, const char *rev)
{
	long v = varve_graph_find(g, rev);

	assert_true(v >= 0);
	return (size_t)v;
}

/* The findings as "line:column code: message" lines, in discovery order. */
static const char *findings(const varve_diag_list *d)
{
	static char buf[8192];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < varve_diag_list_count(d) && len < sizeof(buf); i++) {
		const varve_diag *x = varve_diag_list_at(d, i);

		assert_string_equal(x->file, "varve.yaml");
		assert_int_equal(x->severity, VARVE_SEVERITY_ERROR);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%u:%u %s: %s\n", x->line, x->column,
					x->code, x->message);
	}
	return buf;
}

static void test_linear_chain(void **state)
{
	fixture *f = *state;
	size_t n;
	const size_t *p;

	add(f->m, "0001", NULL);
	add(f->m, "0002", "0001", NULL);
	add(f->m, "0003", "0002", NULL);
	build(f);
	assert_string_equal(findings(f->d), "");
	assert_int_equal(varve_graph_count(f->g), 3);
	assert_ptr_equal(varve_graph_manifest(f->g), f->m);
	assert_string_equal(order(f->g), "0001 0002 0003");
	assert_string_equal(roots(f->g), "0001");
	assert_string_equal(heads(f->g), "0003");
	p = varve_graph_parents(f->g, node(f->g, "0003"), &n);
	assert_string_equal(names(f->g, p, n), "0002");
	p = varve_graph_children(f->g, node(f->g, "0001"), &n);
	assert_string_equal(names(f->g, p, n), "0002");
	p = varve_graph_parents(f->g, node(f->g, "0001"), &n);
	assert_int_equal(n, 0);
	assert_true(varve_graph_is_ancestor(f->g, node(f->g, "0001"),
					    node(f->g, "0003")));
	assert_true(varve_graph_is_ancestor(f->g, node(f->g, "0002"),
					    node(f->g, "0002")));
	assert_false(varve_graph_is_ancestor(f->g, node(f->g, "0003"),
					     node(f->g, "0001")));
	assert_int_equal(varve_graph_find(f->g, "0004"), -1);
	assert_false(varve_graph__broken(f->g));
}

static void test_diamond(void **state)
{
	fixture *f = *state;
	size_t n;
	const size_t *p;
	bool mark[4] = { false };
	size_t d;

	add(f->m, "a", NULL);
	add(f->m, "b", "a", NULL);
	add(f->m, "c", "a", NULL);
	add(f->m, "d", "b", "c", NULL);
	build(f);
	assert_string_equal(findings(f->d), "");
	assert_string_equal(order(f->g), "a b c d");
	assert_string_equal(heads(f->g), "d");
	p = varve_graph_parents(f->g, node(f->g, "d"), &n);
	assert_string_equal(names(f->g, p, n), "b c");
	p = varve_graph_children(f->g, node(f->g, "a"), &n);
	assert_string_equal(names(f->g, p, n), "b c");
	assert_true(varve_graph_is_ancestor(f->g, node(f->g, "c"),
					    node(f->g, "d")));
	assert_false(varve_graph_is_ancestor(f->g, node(f->g, "b"),
					     node(f->g, "c")));
	assert_false(varve_graph_is_ancestor(f->g, node(f->g, "c"),
					     node(f->g, "b")));

	d = node(f->g, "c");
	assert_int_equal(varve_graph__ancestors(f->g, &d, 1, mark), 0);
	assert_true(mark[0] && !mark[1] && mark[2] && !mark[3]);
	memset(mark, 0, sizeof(mark));
	assert_int_equal(varve_graph__descendants(f->g, node(f->g, "b"), mark), 0);
	assert_true(!mark[0] && mark[1] && !mark[2] && mark[3]);
}

/* Two labelled branches joined by a merge: no findings, labels known. */
static void test_branches_with_merge(void **state)
{
	fixture *f = *state;

	add(f->m, "0001", NULL);
	add_label(f->m, "billing", "0002", "0001");
	add_label(f->m, "search", "0003", "0001");
	add(f->m, "0004", "0002", NULL);
	add(f->m, "0005", "0004", "0003", NULL);
	build(f);
	assert_string_equal(findings(f->d), "");
	assert_string_equal(order(f->g), "0001 0002 0003 0004 0005");
	assert_string_equal(heads(f->g), "0005");
	assert_int_equal(varve_graph__label(f->g, "billing"), 1);
	assert_int_equal(varve_graph__label(f->g, "search"), 2);
	assert_int_equal(varve_graph__label(f->g, "nope"), -1);
}

static void test_labelled_roots(void **state)
{
	fixture *f = *state;

	add_label(f->m, "app", "0001", NULL);
	add_label(f->m, "audit", "0002", NULL);
	add(f->m, "0003", "0001", NULL);
	add(f->m, "0004", "0002", NULL);
	build(f);
	/* Two independent streams, each head under its own label. */
	assert_string_equal(findings(f->d), "");
	assert_string_equal(roots(f->g), "0001 0002");
	assert_string_equal(heads(f->g), "0003 0004");
	assert_string_equal(order(f->g), "0001 0002 0003 0004");
}

static void test_unlabelled_roots(void **state)
{
	fixture *f = *state;

	add(f->m, "0001", NULL);
	add(f->m, "0002", NULL);
	add(f->m, "0003", "0001", "0002", NULL);
	add_label(f->m, "x", "0004", NULL);
	build(f);
	assert_string_equal(findings(f->d),
		"20:15 multiple-roots: multiple roots: '0001', '0002', '0004'; give each root its own branch label, or a down_revision\n"
		"40:15 multiple-roots: multiple roots: '0001', '0002', '0004'; give each root its own branch label, or a down_revision\n"
		"30:15 multiple-heads: multiple heads: '0003', '0004'; join them with 'varve merge'\n"
		"40:15 multiple-heads: multiple heads: '0003', '0004'; join them with 'varve merge'\n");
}

static void test_multiple_heads(void **state)
{
	fixture *f = *state;

	add(f->m, "0001", NULL);
	add(f->m, "0002", "0001", NULL);
	add(f->m, "0003", "0001", NULL);
	build(f);
	assert_string_equal(findings(f->d),
		"20:15 multiple-heads: multiple heads: '0002', '0003'; join them with 'varve merge'\n"
		"30:15 multiple-heads: multiple heads: '0002', '0003'; join them with 'varve merge'\n");
}

/* Each head under a label of its own: deliberate branches. */
static void test_labelled_heads(void **state)
{
	fixture *f = *state;

	add(f->m, "0001", NULL);
	add_label(f->m, "billing", "0002", "0001");
	add_label(f->m, "search", "0003", "0001");
	add(f->m, "0004", "0003", NULL);
	build(f);
	assert_string_equal(findings(f->d), "");
	assert_string_equal(heads(f->g), "0002 0004");
}

/* A label above both heads reaches two of them: still an error. */
static void test_label_reaching_two_heads(void **state)
{
	fixture *f = *state;

	add_label(f->m, "main", "0001", NULL);
	add_label(f->m, "billing", "0002", "0001");
	add(f->m, "0003", "0001", NULL);
	build(f);
	assert_string_equal(findings(f->d),
		"20:15 multiple-heads: multiple heads: '0002', '0003'; join them with 'varve merge'\n"
		"30:15 multiple-heads: multiple heads: '0002', '0003'; join them with 'varve merge'\n");
}

/* One head without any label among its ancestors: an error. */
static void test_unlabelled_head(void **state)
{
	fixture *f = *state;

	add(f->m, "0001", NULL);
	add_label(f->m, "billing", "0002", "0001");
	add(f->m, "0003", "0001", NULL);
	build(f);
	assert_int_equal(varve_diag_list_errors(f->d), 2);
	assert_string_equal(varve_diag_list_at(f->d, 0)->code, "multiple-heads");
}

static void test_duplicate_label(void **state)
{
	fixture *f = *state;

	add_label(f->m, "billing", "0001", NULL);
	add_label(f->m, "billing", "0002", "0001");
	build(f);
	assert_string_equal(findings(f->d),
		"22:13 manifest-schema: branch label 'billing' is already used by '0001'\n");
	assert_int_equal(varve_graph__label(f->g, "billing"), 0);
}

static void test_duplicate_revision(void **state)
{
	fixture *f = *state;
	size_t n;
	const size_t *p;

	add(f->m, "0001", NULL);
	add(f->m, "0002", "0001", NULL);
	add(f->m, "0002", "0001", NULL);
	add(f->m, "0003", "0002", NULL);
	build(f);
	assert_string_equal(findings(f->d),
		"30:15 duplicate-revision: revision '0002' is already defined at line 20\n");
	assert_int_equal(varve_graph_count(f->g), 3);
	assert_string_equal(order(f->g), "0001 0002 0003");
	/* The node is the first entry. */
	assert_int_equal(varve_migration_index(
		varve_graph_node(f->g, node(f->g, "0002"))), 1);
	p = varve_graph_parents(f->g, node(f->g, "0003"), &n);
	assert_string_equal(names(f->g, p, n), "0002");
}

static void test_unknown_parent(void **state)
{
	fixture *f = *state;

	add(f->m, "0001", NULL);
	add(f->m, "0002", "0001", NULL);
	add(f->m, "0003", "0020", NULL);         /* a swap of '0002' */
	add(f->m, "0004", "0003", "zzzz", NULL); /* nothing near */
	add(f->m, "0005", "00", NULL);           /* a prefix, but of several */
	add(f->m, "abcdef", "0004", NULL);
	add(f->m, "0007", "abc", NULL);          /* a unique prefix */
	build(f);
	assert_string_equal(findings(f->d),
		"31:20 unknown-down-revision: down_revision '0020' of '0003' is not defined; did you mean '0002'?\n"
		"41:28 unknown-down-revision: down_revision 'zzzz' of '0004' is not defined\n"
		"51:20 unknown-down-revision: down_revision '00' of '0005' is not defined\n"
		"71:20 unknown-down-revision: down_revision 'abc' of '0007' is not defined; did you mean 'abcdef'?\n");
	assert_true(varve_graph__broken(f->g));
	/* No echoes: the extra roots and heads are the typos' doing. */
	assert_string_equal(order(f->g), "0001 0002 0003 0004 0005 abcdef 0007");
	assert_string_equal(roots(f->g), "0001 0003 0005 0007");
}

static void test_three_cycle(void **state)
{
	fixture *f = *state;

	add(f->m, "0001", NULL);
	add(f->m, "0002", "0004", NULL);
	add(f->m, "0003", "0002", NULL);
	add(f->m, "0004", "0003", NULL);
	add(f->m, "0005", "0004", "0001", NULL);
	build(f);
	assert_string_equal(findings(f->d),
		"20:15 cycle: cycle: 0002 -> 0003 -> 0004 -> 0002\n");
	assert_true(varve_graph__broken(f->g));
	/* Members are left out; what hangs below is ordered without them. */
	assert_string_equal(order(f->g), "0001 0005");
	assert_string_equal(heads(f->g), "0005");
}

static void test_self_loop(void **state)
{
	fixture *f = *state;

	add(f->m, "0001", NULL);
	add(f->m, "0002", "0002", NULL);
	add(f->m, "0003", "0002", NULL);
	build(f);
	assert_string_equal(findings(f->d),
		"20:15 cycle: cycle: 0002 -> 0002\n");
	assert_string_equal(order(f->g), "0001 0003");
}

/* Two separate cycles, each reported once, from its earliest entry. */
static void test_two_cycles(void **state)
{
	fixture *f = *state;

	add(f->m, "b", "a", NULL);
	add(f->m, "a", "b", NULL);
	add(f->m, "x", "z", NULL);
	add(f->m, "y", "x", NULL);
	add(f->m, "z", "y", "x", NULL);
	build(f);
	assert_string_equal(findings(f->d),
		"10:15 cycle: cycle: b -> a -> b\n"
		"30:15 cycle: cycle: x -> z -> x\n");
	assert_string_equal(order(f->g), "");
}

/* The order follows the graph; ties go to the earlier entry. */
static void test_ties_by_manifest_order(void **state)
{
	fixture *f = *state;

	add(f->m, "0004", "0002", "0003", NULL);
	add(f->m, "0003", "0001", NULL);
	add(f->m, "0002", "0001", NULL);
	add(f->m, "0005", "0001", NULL);
	add(f->m, "0001", NULL);
	build(f);
	assert_string_equal(order(f->g), "0001 0003 0002 0004 0005");
	assert_string_equal(roots(f->g), "0001");
	assert_string_equal(heads(f->g), "0004 0005");
}

/* A long cycle's message stays one readable line. */
static void test_long_cycle(void **state)
{
	fixture *f = *state;
	char rev[16], parent[16];

	for (int i = 0; i < 40; i++) {
		snprintf(rev, sizeof(rev), "r%02d", i);
		snprintf(parent, sizeof(parent), "r%02d", (i + 39) % 40);
		add(f->m, rev, parent, NULL);
	}
	build(f);
	assert_string_equal(varve_diag_list_at(f->d, 0)->message,
		"cycle: r00 -> r01 -> r02 -> r03 -> r04 -> r05 -> r06 -> r07 -> "
		"r08 -> r09 -> r10 -> r11 -> r12 -> r13 -> r14 -> r15 -> "
		"... (23 more) -> r39 -> r00");
}

static void test_empty(void **state)
{
	fixture *f = *state;
	size_t n;

	build(f);
	assert_int_equal(varve_graph_count(f->g), 0);
	varve_graph_order(f->g, &n);
	assert_int_equal(n, 0);
	varve_graph_heads(f->g, &n);
	assert_int_equal(n, 0);
	assert_string_equal(findings(f->d), "");
}

/* Entries the loader could not read (no revision) are not nodes. */
static void test_entry_without_revision(void **state)
{
	fixture *f = *state;
	varve_migration *mig = NULL;
	const char *parent = "0001";

	add(f->m, "0001", NULL);
	assert_int_equal(varve_manifest__add(f->m, &mig, NULL, &parent, 1), 0);
	add(f->m, "0002", "0001", NULL);
	build(f);
	assert_string_equal(findings(f->d), "");
	assert_string_equal(order(f->g), "0001 0002");
}

#define BIG 100000

static void test_big_chain(void **state)
{
	fixture *f = *state;
	char rev[16], parent[16];

	for (int i = 0; i < BIG; i++) {
		snprintf(rev, sizeof(rev), "%06d", i);
		snprintf(parent, sizeof(parent), "%06d", i - 1);
		if (i == 0)
			add(f->m, rev, NULL);
		else
			add(f->m, rev, parent, NULL);
	}
	build(f);
	assert_int_equal(varve_diag_list_count(f->d), 0);
	assert_int_equal(varve_graph_count(f->g), BIG);
	assert_true(varve_graph_is_ancestor(f->g, 0, BIG - 1));
	assert_false(varve_graph_is_ancestor(f->g, BIG - 1, 0));
}

static void test_big_fan(void **state)
{
	fixture *f = *state;
	char rev[16];
	size_t n;

	add(f->m, "root", NULL);
	for (int i = 0; i < BIG; i++) {
		snprintf(rev, sizeof(rev), "%06d", i);
		add(f->m, rev, "root", NULL);
	}
	build(f);
	varve_graph_heads(f->g, &n);
	assert_int_equal(n, BIG);
	assert_int_equal(varve_diag_list_count(f->d), BIG);
	assert_string_equal(varve_diag_list_at(f->d, 0)->message,
		"multiple heads: '000000', '000001', '000002', '000003', "
		"'000004', '000005', '000006', '000007', '000008', '000009' "
		"and 99990 more; join them with 'varve merge'");
}

/* A reverse chain (children listed first) with a long cycle below it. */
static void test_big_reversed_with_cycle(void **state)
{
	fixture *f = *state;
	char rev[16], parent[16];
	size_t n;

	for (int i = BIG - 1; i >= 0; i--) {
		snprintf(rev, sizeof(rev), "%06d", i);
		/* 000000 closes the loop back to the last one. */
		snprintf(parent, sizeof(parent), "%06d", i ? i - 1 : BIG - 1);
		add(f->m, rev, parent, NULL);
	}
	build(f);
	assert_int_equal(varve_diag_list_count(f->d), 1);
	assert_string_equal(varve_diag_list_at(f->d, 0)->code, "cycle");
	varve_graph_order(f->g, &n);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_linear_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diamond, setup, teardown),
		cmocka_unit_test_setup_teardown(test_branches_with_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labelled_roots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlabelled_roots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiple_heads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labelled_heads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_label_reaching_two_heads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlabelled_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_label, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_revision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_three_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_cycles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ties_by_manifest_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_without_revision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_fan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_reversed_with_cycle, setup, teardown),
	};

	return cmocka_run_group_tests_name("graph", tests, NULL, NULL);
}
