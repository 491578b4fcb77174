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

/* A lint finding's hint, docs, table and origin travel with it through
 * append, sort and remove. */
static void test_annotations(void **state)
{
	varve_diag_list *a = NULL, *b = NULL;
	const char *origin = NULL;
	bool sized = false;
	bool drop[3] = { false, true, false };

	(void)state;
	assert_int_equal(varve_diag_list_new(&a), 0);
	assert_int_equal(varve_diag_list_new(&b), 0);
	varve_diag__warning(a, "plain", "f", 9, 1, "no hint");
	assert_null(varve_diag_list_at(a, 0)->hint);
	assert_null(varve_diag_list_at(a, 0)->docs);
	varve_diag__warning(a, "lint", "f", 2, 8, "an index");
	assert_int_equal(varve_diag__annotate(a, "use CONCURRENTLY", "https://x/lint", "users",
					      true, "0002"), 0);
	varve_diag__warning(a, "other", "f", 5, 1, "dropped below");
	assert_int_equal(varve_diag__append(b, a), 0);
	varve_diag_list_sort(b); /* f:2:8, f:5:1, f:9:1 */
	assert_string_equal(varve_diag_list_at(b, 0)->hint, "use CONCURRENTLY");
	assert_string_equal(varve_diag_list_at(b, 0)->docs, "https://x/lint");
	assert_string_equal(varve_diag__subject(b, 0, &sized, &origin), "users");
	assert_true(sized);
	assert_string_equal(origin, "0002");
	assert_null(varve_diag__subject(b, 1, &sized, &origin));
	assert_false(sized);
	assert_null(origin);
	varve_diag__remove(b, drop);
	assert_int_equal(varve_diag_list_count(b), 2);
	assert_string_equal(varve_diag_list_at(b, 0)->code, "lint");
	assert_string_equal(varve_diag_list_at(b, 1)->code, "plain");
	varve_diag_list_free(a);
	varve_diag_list_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_count),
		cmocka_unit_test(test_sort_is_stable_by_position),
		cmocka_unit_test(test_long_message),
		cmocka_unit_test(test_error_wraps_last),
		cmocka_unit_test(test_annotations),
	};

	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
