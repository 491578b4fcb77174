/* Unit tests for the authoring API (lib/author.c): new, merge and hash. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "varve.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char sub[160];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/varve-author-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/varve.yaml", f->dir);
	snprintf(sub, sizeof(sub), "%s/migrations", f->dir);
	if (mkdir(sub, 0755))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

static void write_at(struct fixture *f, const char *rel, const char *text)
{
	char p[256];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", f->dir, rel);
	assert_non_null(fp = fopen(p, "wb"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static char *read_at(struct fixture *f, const char *rel)
{
	static char buf[8192];
	char p[256];
	size_t n;
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", f->dir, rel);
	assert_non_null(fp = fopen(p, "rb"));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

#define UP "-- upgrade --\nSELECT 1;\n-- downgrade --\nSELECT 2;\n"

/* Two `new` in one second: the second timestamp is one second later. */
static void test_timestamp_collision(void **state)
{
	struct fixture *f = *state;
	varve_new_options o = VARVE_NEW_OPTIONS_INIT;
	varve_added a = VARVE_ADDED_INIT;

	write_at(f, "varve.yaml",
		 "varve: 1\nmigrations:\n"
		 "- revision: '20260101000000'\n  down_revision: null\n"
		 "  file: 20260101000000_a.sql\n");
	write_at(f, "migrations/20260101000000_a.sql", UP);
	o.description = "Add Phone";
	o.now = 1767225600; /* 2026-01-01 00:00:00 UTC */
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	assert_string_equal(a.revision, "20260101000001");
	assert_int_equal(a.parent_count, 1);
	assert_string_equal(a.parents[0], "20260101000000");
	assert_non_null(strstr(a.file, "/migrations/20260101000001_add_phone.sql"));
	varve_added_dispose(&a);
	assert_string_equal(read_at(f, "varve.yaml"),
			    "varve: 1\nmigrations:\n"
			    "- revision: '20260101000000'\n  down_revision: null\n"
			    "  file: 20260101000000_a.sql\n"
			    "- revision: '20260101000001'\n  down_revision: '20260101000000'\n"
			    "  description: Add Phone\n"
			    "  file: 20260101000001_add_phone.sql\n");
}

/* The width in use is kept; timestamps do not count as numbers. */
static void test_sequential_width(void **state)
{
	struct fixture *f = *state;
	varve_new_options o = VARVE_NEW_OPTIONS_INIT;
	varve_added a = VARVE_ADDED_INIT;

	write_at(f, "varve.yaml",
		 "varve: 1\nnaming: sequential\nmigrations:\n"
		 "- {revision: '009', down_revision: null, file: a.sql}\n"
		 "- {revision: '20260101000000', down_revision: '009', file: b.sql}\n");
	write_at(f, "migrations/a.sql", UP);
	write_at(f, "migrations/b.sql", UP);
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	assert_string_equal(a.revision, "010");
	assert_non_null(strstr(a.file, "/migrations/010_migration.sql"));
	varve_added_dispose(&a);
	assert_string_equal(read_at(f, "varve.yaml"),
			    "varve: 1\nnaming: sequential\nmigrations:\n"
			    "- {revision: '009', down_revision: null, file: a.sql}\n"
			    "- {revision: '20260101000000', down_revision: '009', file: b.sql}\n"
			    "- {revision: '010', down_revision: '20260101000000', "
			    "file: 010_migration.sql}\n");
}

/* `new` with SQL writes it into the sections (Manticore's
 * create_migration(desc, up, down) in one call); check accepts the file. */
static void test_new_with_sql(void **state)
{
	struct fixture *f = *state;
	varve_new_options o = VARVE_NEW_OPTIONS_INIT;
	varve_added a = VARVE_ADDED_INIT;
	varve_diag_list *diags = NULL;

	write_at(f, "varve.yaml", "varve: 1\nnaming: sequential\nmigrations: []\n");
	o.description = "users";
	o.upgrade_sql = "CREATE TABLE users (id int);";
	o.downgrade_sql = "DROP TABLE users;\n";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	assert_string_equal(a.revision, "0001");
	varve_added_dispose(&a);
	assert_string_equal(read_at(f, "migrations/0001_users.sql"),
			    "-- Migration 0001: users\n-- The first migration.\n"
			    "\n-- upgrade --\nCREATE TABLE users (id int);\n"
			    "\n-- downgrade --\nDROP TABLE users;\n");
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_check(f->path, NULL, diags), 0);
	assert_int_equal(varve_diag_list_count(diags), 0);
	varve_diag_list_free(diags);

	/* Only an upgrade: the downgrade section stays empty. */
	o.description = "index";
	o.upgrade_sql = "CREATE INDEX users_id ON users (id);";
	o.downgrade_sql = NULL;
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	varve_added_dispose(&a);
	assert_string_equal(read_at(f, "migrations/0002_index.sql"),
			    "-- Migration 0002: index\n-- Child of 0001.\n"
			    "\n-- upgrade --\nCREATE INDEX users_id ON users (id);\n"
			    "\n-- downgrade --\n\n");

	/* SQL with a line the reader takes for a marker: refused, nothing
	 * written. */
	o.description = "split";
	o.upgrade_sql = "CREATE TABLE t (id int);\n-- downgrade --\nDROP TABLE users;";
	o.downgrade_sql = NULL;
	assert_int_equal(varve_new(&a, f->path, &o, NULL), VARVE_EINVALID);
	assert_non_null(strstr(varve_error_last(), "section marker"));
	assert_null(strstr(read_at(f, "varve.yaml"), "split"));
}

static void test_merge_needs_heads(void **state)
{
	struct fixture *f = *state;
	varve_new_options o = VARVE_NEW_OPTIONS_INIT;
	varve_added a = VARVE_ADDED_INIT;

	write_at(f, "varve.yaml", "varve: 1\nmigrations: []\n");
	assert_int_equal(varve_merge(&a, f->path, &o, NULL), VARVE_EINVALID);
	assert_non_null(strstr(varve_error_last(), "nothing to merge"));
	assert_non_null(strstr(varve_error_last(), "has no migrations"));
	assert_null(a.revision);
}

/* A SQL file that cannot be read: nothing is written. */
static void test_hash_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "varve: 1\nmigrations:\n"
				   "- {revision: a, down_revision: null, file: a.sql}\n"
				   "- {revision: b, down_revision: a, file: missing.sql}\n";
	varve_diag_list *diags;
	size_t changed = 9;

	write_at(f, "varve.yaml", text);
	write_at(f, "migrations/a.sql", UP);
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_hash(&changed, f->path, diags), VARVE_EIO);
	assert_int_equal(changed, 0);
	assert_string_equal(read_at(f, "varve.yaml"), text);
	varve_diag_list_free(diags);
}

/*
 * A SQL file the scanner rejects: the message names the file once, says
 * why and where (it used to be garbled: the message was formatted into
 * the buffer it was read from), and a positioned finding explains it.
 */
static void test_hash_message(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "varve: 1\nmigrations:\n"
				   "- {revision: a, down_revision: null, file: a.sql}\n";
	varve_diag_list *diags;
	const varve_diag *d;
	size_t changed = 9;

	write_at(f, "varve.yaml", text);
	write_at(f, "migrations/a.sql", "-- upgrade --\nSELECT 1;\n  /* open\n");
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_hash(&changed, f->path, diags), VARVE_EINVALID);
	assert_int_equal(changed, 0);
	assert_non_null(strstr(varve_error_last(), "cannot hash /"));
	assert_non_null(strstr(varve_error_last(), "/migrations/a.sql:3:3: "));
	assert_null(strstr(strstr(varve_error_last(), "cannot hash") + 1, "cannot hash"));
	assert_non_null(strstr(varve_error_last(), "unterminated /* comment"));
	assert_int_equal(varve_diag_list_count(diags), 1);
	d = varve_diag_list_at(diags, 0);
	assert_string_equal(d->code, "sql-syntax");
	assert_int_equal(d->line, 3);
	assert_int_equal(d->column, 3);
	assert_string_equal(read_at(f, "varve.yaml"), text);
	varve_diag_list_free(diags);
}

/* A merge after a fix: --sequential (here, as the option) numbers it. */
static void test_merge_sequential(void **state)
{
	struct fixture *f = *state;
	varve_new_options o = VARVE_NEW_OPTIONS_INIT;
	varve_added a = VARVE_ADDED_INIT;

	write_at(f, "varve.yaml",
		 "varve: 1\nnaming: timestamp\nmigrations:\n"
		 "- {revision: '0001', down_revision: null, file: a.sql}\n"
		 "- {revision: '0002', down_revision: '0001', file: b.sql}\n"
		 "- {revision: '0003', down_revision: '0001', file: c.sql}\n");
	write_at(f, "migrations/a.sql", UP);
	write_at(f, "migrations/b.sql", UP);
	write_at(f, "migrations/c.sql", UP);
	o.override_naming = true;
	o.naming = VARVE_NAMING_SEQUENTIAL;
	assert_int_equal(varve_merge(&a, f->path, &o, NULL), 0);
	assert_string_equal(a.revision, "0004");
	assert_int_equal(a.parent_count, 2);
	varve_added_dispose(&a);
	/* The manifest's naming is the default. */
	write_at(f, "varve.yaml",
		 "varve: 1\nnaming: sequential\nmigrations:\n"
		 "- {revision: '0001', down_revision: null, file: a.sql}\n"
		 "- {revision: '0002', down_revision: '0001', file: b.sql}\n"
		 "- {revision: '0003', down_revision: '0001', file: c.sql}\n");
	assert_int_equal(varve_merge(&a, f->path, &(varve_new_options)VARVE_NEW_OPTIONS_INIT, NULL),
			 0);
	assert_string_equal(a.revision, "0004");
	varve_added_dispose(&a);
}

/*
 * Labelled heads make a valid manifest with several heads: `new` needs
 * --head to choose the parent (a label, LABEL@head or a revision), and
 * refuses one that is not a head.
 */
static void test_new_head(void **state)
{
	struct fixture *f = *state;
	varve_new_options o = VARVE_NEW_OPTIONS_INIT;
	varve_added a = VARVE_ADDED_INIT;

	write_at(f, "varve.yaml",
		 "varve: 1\nnaming: sequential\nmigrations:\n"
		 "- {revision: '0001', down_revision: null, file: a.sql}\n"
		 "- {revision: '0002', down_revision: '0001', file: b.sql, branch: billing}\n"
		 "- {revision: '0003', down_revision: '0001', file: c.sql, branch: search}\n");
	write_at(f, "migrations/a.sql", UP);
	write_at(f, "migrations/b.sql", UP);
	write_at(f, "migrations/c.sql", UP);
	o.description = "more billing";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), VARVE_EAMBIGUOUS);
	assert_non_null(strstr(varve_error_last(), "--head"));
	o.head = "0001";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), VARVE_EINVALID);
	assert_non_null(strstr(varve_error_last(), "not a head"));
	o.head = "nosuch@head";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), VARVE_ENOTFOUND);
	o.head = "billing@head";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	assert_string_equal(a.revision, "0004");
	assert_int_equal(a.parent_count, 1);
	assert_string_equal(a.parents[0], "0002");
	varve_added_dispose(&a);
	o.head = "0003";
	o.description = "more search";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	assert_string_equal(a.parents[0], "0003");
	varve_added_dispose(&a);
}

/* Letters with marks lose them in the file name; what has no ASCII form
 * separates words. */
static void test_new_transliterates(void **state)
{
	struct fixture *f = *state;
	varve_new_options o = VARVE_NEW_OPTIONS_INIT;
	varve_added a = VARVE_ADDED_INIT;

	write_at(f, "varve.yaml", "varve: 1\nnaming: sequential\nmigrations: []\n");
	o.description = "Ünïcode Straße für Łódź";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	assert_non_null(strstr(a.file, "/migrations/0001_unicode_strasse_fur_lodz.sql"));
	varve_added_dispose(&a);
	o.description = "日本 tables";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	assert_non_null(strstr(a.file, "/migrations/0002_tables.sql"));
	varve_added_dispose(&a);
	o.description = "\xff\xfe broken";
	assert_int_equal(varve_new(&a, f->path, &o, NULL), 0);
	assert_non_null(strstr(a.file, "/migrations/0003_broken.sql"));
	varve_added_dispose(&a);
	/* The description itself is kept as written. */
	assert_non_null(strstr(read_at(f, "varve.yaml"), "description: Ünïcode Straße für Łódź"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_timestamp_collision, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sequential_width, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_new_with_sql, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_merge_needs_heads, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hash_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hash_message, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_merge_sequential, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_new_head, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_new_transliterates, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
