/* Unit tests for the import API (lib/import.c): planning in memory. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "varve.h"

#define FIX "tests/fixtures/import"

/* A plan of a fixture folder, with no finding of severity error. */
static varve_import *plan(const char *tool_dir, const char *folder, varve_import_tool tool)
{
	char manifest[256], dir[256];
	varve_diag_list *diags = NULL;
	varve_import *im = NULL;

	snprintf(manifest, sizeof(manifest), FIX "/%s/varve.yaml", tool_dir);
	snprintf(dir, sizeof(dir), FIX "/%s/%s", tool_dir, folder);
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_import_plan(&im, manifest, dir, tool, diags), 0);
	assert_int_equal(varve_diag_list_errors(diags), 0);
	varve_diag_list_free(diags);
	return im;
}

static void test_tool_names(void **state)
{
	varve_import_tool t;

	(void)state;
	assert_int_equal(varve_import_tool_parse(&t, "golang-migrate"), 0);
	assert_int_equal(t, VARVE_IMPORT_GOLANG_MIGRATE);
	assert_int_equal(varve_import_tool_parse(&t, "manticore-cockroachdb"), 0);
	assert_int_equal(t, VARVE_IMPORT_MANTICORE);
	assert_int_equal(varve_import_tool_parse(&t, "liquibase"), VARVE_EINVALID);
	assert_string_equal(varve_import_tool_name(VARVE_IMPORT_SQITCH), "sqitch");
	varve_import_free(NULL);
}

/* A binding keeps the project in memory: a manifest handle and its graph,
 * and no varve.yaml on disk. */
static void test_in_memory(void **state)
{
	varve_import *im = plan("sqlspec", "migrations", VARVE_IMPORT_AUTO);
	varve_diag_list *diags = NULL;
	varve_manifest *m = NULL;
	varve_graph *g = NULL;
	const varve_import_entry *merge;
	size_t heads;

	(void)state;
	assert_int_equal(varve_import_tool_used(im), VARVE_IMPORT_SQLSPEC);
	assert_string_equal(varve_import_directory(im), "migrations");
	assert_int_equal(varve_import_count(im), 4);
	merge = varve_import_at(im, 3);
	assert_string_equal(merge->revision, "0004");
	assert_int_equal(merge->parent_count, 2);
	assert_string_equal(merge->parents[0], "0002");
	assert_string_equal(merge->parents[1], "0003");

	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_import_manifest(&m, im, diags), 0);
	assert_int_equal(varve_manifest_count(m), 4);
	assert_string_equal(varve_manifest_directory(m), "migrations");
	assert_int_equal(varve_graph_build(&g, m, diags), 0);
	assert_int_equal(varve_diag_list_count(diags), 0);
	varve_graph_heads(g, &heads);
	assert_int_equal(heads, 1);
	assert_int_not_equal(access(FIX "/sqlspec/varve.yaml", F_OK), 0);

	varve_graph_free(g);
	varve_manifest_free(m);
	varve_diag_list_free(diags);
	varve_import_free(im);
}

/* Flyway's order is numeric per part; revisions spell dots as underscores
 * and keep the version as Flyway's table holds it. */
static void test_flyway_order(void **state)
{
	static const char *const revs[] = { "1", "1_1", "1_2", "1_9", "1_10", "2_0_1" };
	static const char *const versions[] = { "1", "1.1", "1.2", "1.9", "1.10", "2.0.1" };
	varve_import *im = plan("flyway", "sql", VARVE_IMPORT_FLYWAY);

	(void)state;
	assert_int_equal(varve_import_count(im), 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(varve_import_at(im, i)->revision, revs[i]);
		assert_string_equal(varve_import_at(im, i)->version, versions[i]);
	}
	assert_string_equal(varve_import_at(im, 4)->down, "U1.10__orders.sql");
	assert_false(varve_import_at(im, 5)->transaction);
	varve_import_free(im);
}

/* The write refuses an existing manifest unless forced. */
static void test_write(void **state)
{
	char dir[] = "/tmp/varve-import-XXXXXX", path[128], mig[128], sql[160];
	varve_diag_list *diags = NULL;
	varve_import *im = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/varve.yaml", dir);
	snprintf(mig, sizeof(mig), "%s/migrations", dir);
	snprintf(sql, sizeof(sql), "%s/001_users.sql", mig);
	assert_int_equal(mkdir(mig, 0755), 0);
	assert_non_null(f = fopen(sql, "w"));
	fputs("-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n", f);
	fclose(f);
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_import_plan(&im, path, mig, VARVE_IMPORT_PYCOPG, diags), 0);
	assert_int_equal(varve_import_write(im, false), 0);
	assert_int_equal(varve_import_write(im, false), VARVE_EEXISTS);
	assert_int_equal(varve_import_write(im, true), 0);
	assert_int_equal(varve_import_at(im, 0)->transaction, true);
	varve_import_free(im);
	varve_diag_list_free(diags);
	testutil_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tool_names),
		cmocka_unit_test(test_in_memory),
		cmocka_unit_test(test_flyway_order),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
