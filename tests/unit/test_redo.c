/* Unit tests for lib/redo.c: what `varve redo` rolls back and applies again. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "graph_fixture.h"

/*
 *   0001 - 0002 - 0003 [billing] - 0004 - 0006 (merge) - 0007
 *               \                        /
 *                0005 [search] ---------
 */
static int setup(void **state)
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
	if (varve_graph_build(&f->g, f->m, f->d) != 0 || varve_diag_list_count(f->d) != 0)
		return -1;
	*state = f;
	return 0;
}

/* "down: ... / up: ..." of a plan that must succeed. */
static const char *plan(const varve_graph *g, const char *target, const char *const *applied,
			size_t n)
{
	static char out[512];
	varve_steps *down = NULL, *up = NULL;
	size_t nodes[64];
	char first[256];
	int error = varve_redo_plan(&down, &up, g, target, applied, n);

	if (error)
		fail_msg("'%s': %d %s", target ? target : "(last)", error, varve_error_last());
	for (size_t i = 0; i < varve_steps_count(down); i++)
		nodes[i] = varve_steps_at(down, i);
	snprintf(first, sizeof(first), "%s", names(g, nodes, varve_steps_count(down)));
	for (size_t i = 0; i < varve_steps_count(up); i++)
		nodes[i] = varve_steps_at(up, i);
	snprintf(out, sizeof(out), "down: %s / up: %s", first,
		 names(g, nodes, varve_steps_count(up)));
	varve_steps_free(down);
	varve_steps_free(up);
	return out;
}

static void refused(const varve_graph *g, const char *target, const char *const *applied,
		    size_t n, int code, const char *message)
{
	varve_steps *down = (varve_steps *)1, *up = (varve_steps *)1;

	assert_int_equal(varve_redo_plan(&down, &up, g, target, applied, n), code);
	assert_null(down);
	assert_null(up);
	assert_string_equal(varve_error_last(), message);
}

/* Applied in this order: the search branch before billing's 0003. */
static const char *const applied[] = { "0001", "0002", "0005", "0003", "0004", "0006", "0007" };

static void test_last(void **state)
{
	fixture *f = *state;

	assert_string_equal(plan(f->g, NULL, applied, 7), "down: 0007 / up: 0007");
	/* The last applied, not the last in graph order. */
	assert_string_equal(plan(f->g, NULL, applied, 3), "down: 0005 / up: 0005");
}

static void test_target_and_above(void **state)
{
	fixture *f = *state;

	/* Most recently applied first down; graph order up. */
	assert_string_equal(plan(f->g, "0003", applied, 7),
			    "down: 0007 0006 0004 0003 / up: 0003 0004 0006 0007");
	assert_string_equal(plan(f->g, "search", applied, 7),
			    "down: 0007 0006 0005 / up: 0005 0006 0007");
	/* Only what is applied comes back. */
	assert_string_equal(plan(f->g, "0002", applied, 4),
			    "down: 0003 0005 0002 / up: 0002 0003 0005");
	assert_string_equal(plan(f->g, "0001", applied, 1), "down: 0001 / up: 0001");
}

static void test_refused(void **state)
{
	fixture *f = *state;

	refused(f->g, NULL, applied, 0, VARVE_ENOTFOUND, "nothing is applied: nothing to redo");
	refused(f->g, "0007", applied, 3, VARVE_EUSAGE,
		"'0007' is not applied: nothing to redo (upgrade to it first)");
	refused(f->g, "base", applied, 3, VARVE_EINVALID, "'base' names 0 migrations: redo takes one");
	refused(f->g, "9999", applied, 3, VARVE_ENOTFOUND, "no revision or branch '9999'");
	{
		static const char *const unknown[] = { "0001", "zz99" };

		refused(f->g, NULL, unknown, 2, VARVE_ENOTFOUND,
			"the last applied migration, 'zz99', is not in the manifest");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_last, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target_and_above, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	};

	return cmocka_run_group_tests_name("redo", tests, NULL, NULL);
}
