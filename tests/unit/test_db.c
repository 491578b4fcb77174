/*
 * Unit tests for lib/db.c that need no server: the version table's DDL
 * that the library embeds is schemas/version_table.sql, token for token.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"

static void test_embedded_ddl_is_the_schema_file(void **state)
{
	varve_buf file = VARVE_BUF_INIT;
	char from_file[VARVE_CHECKSUM_LEN + 1], embedded[VARVE_CHECKSUM_LEN + 1];

	(void)state;
	/* The tests run from the repository's root. */
	assert_int_equal(varve_buf_read_file(&file, "schemas/version_table.sql", 0), 0);
	assert_int_equal(varve_checksum(from_file, file.ptr, file.len), 0);
	assert_int_equal(varve_checksum(embedded, varve_db__version_table_ddl,
					strlen(varve_db__version_table_ddl)), 0);
	/* Comments and layout do not count; every token does. */
	assert_string_equal(from_file, embedded);
	varve_buf_dispose(&file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_ddl_is_the_schema_file),
	};

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
