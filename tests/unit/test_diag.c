/* Unit tests for the diagnostic list (lib/diag.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "diag.h"
#include "error.h"

static void test_add_and_count(void **state)
{
	varve_diag_list *list;

	(void)state;
	assert_int_equal(varve_diag_list_new(&list), 0);
	assert_int_equal(varve_diag__error(list, "cycle", "a.yaml", 3, 5,
					   "cycle %s", "a -> b -> a"), 0);
	assert_int_equal(varve_diag__warning(list, "unlisted-file", "b.sql",
					     0, 0, "not listed"), 0);
	assert_int_equal(varve_diag_list_count(list), 2);
	assert_int_equal(varve_diag_list_errors(list), 1);
	assert_int_equal(varve_diag_list_warnings(list), 1);
	assert_string_equal(varve_diag_list_at(list, 0)->message, "cycle a -> b -> a");
	varve_diag_list_promote(list, "unlisted-file");
	assert_int_equal(varve_diag_list_errors(list), 2);
	varve_diag_list_free(list);
}

static void test_sort_is_stable_by_position(void **state)
{
	varve_diag_list *list;

	(void)state;
	assert_int_equal(varve_diag_list_new(&list), 0);
	varve_diag__error(list, "b", "m.yaml", 9, 1, "third");
	varve_diag__error(list, "a", "m.yaml", 2, 7, "second");
	varve_diag__error(list, "c", NULL, 0, 0, "first");
	varve_diag__error(list, "d", "m.yaml", 9, 1, "fourth");
	varve_diag__error(list, "e", "a.sql", 100, 1, "zeroth");
	varve_diag_list_sort(list);
	assert_string_equal(varve_diag_list_at(list, 0)->message, "first");
	assert_string_equal(varve_diag_list_at(list, 1)->message, "zeroth");
	assert_string_equal(varve_diag_list_at(list, 2)->message, "second");
	assert_string_equal(varve_diag_list_at(list, 3)->message, "third");
	assert_string_equal(varve_diag_list_at(list, 4)->message, "fourth");
	varve_diag_list_free(list);
}

static void test_long_message(void **state)
{
	varve_diag_list *list;
	char big[3000];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(varve_diag_list_new(&list), 0);
	varve_diag__error(list, "x", "f", 1, 1, "%s!", big);
	assert_int_equal(strlen(varve_diag_list_at(list, 0)->message), sizeof(big));
	varve_diag_list_free(list);
}

/* The last message may be an argument of the next (lib/error.c). */
static void test_error_wraps_last(void **state)
{
	(void)state;
	varve_error__set(VARVE_EINVALID, "f.sql:3:1: %s", "unterminated comment");
	assert_int_equal(varve_error__set(VARVE_EINVALID, "cannot hash %s", varve_error_last()),
			 VARVE_EINVALID);
	assert_string_equal(varve_error_last(), "cannot hash f.sql:3:1: unterminated comment");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_count),
		cmocka_unit_test(test_sort_is_stable_by_position),
		cmocka_unit_test(test_long_message),
		cmocka_unit_test(test_error_wraps_last),
	};

	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
