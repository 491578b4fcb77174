/* Unit tests for lib/manifest.c: to be written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "varve.h"

static void test_placeholder(void **state)
{
	(void)state;
	assert_true(varve_error_last() != NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder),
	};

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
