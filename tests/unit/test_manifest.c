/* Unit tests for the manifest loader (lib/manifest_load.c, lib/path.c). */
/* nftw() needs the X/Open extensions. */
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

#include "lint.h"
#include "manifest.h"
#include "path.h"

struct fixture {
	char dir[64];
	char path[128];
	varve_manifest *m;
	varve_diag_list *diags;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/varve-manifest-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/varve.yaml", f->dir);
	if (varve_diag_list_new(&f->diags))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	varve_manifest_free(f->m);
	varve_diag_list_free(f->diags);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

static void write_bytes(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Write the manifest and load it; returns the loader's status. */
static int load_bytes(struct fixture *f, const char *data, size_t len)
{
	write_bytes(f->path, data, len);
	varve_manifest_free(f->m);
	f->m = NULL;
	return varve_manifest_load(&f->m, f->path, f->diags);
}

static int load(struct fixture *f, const char *yaml)
{
	return load_bytes(f, yaml, strlen(yaml));
}

static size_t count(const struct fixture *f)
{
	return varve_diag_list_count(f->diags);
}

/*
 * The last finding with `code` whose message contains `text`, or NULL: the
 * list grows over the loads of one test, and the newest is the one meant.
 */
static const varve_diag *find(const struct fixture *f, const char *code,
			      const char *text)
{
	for (size_t i = count(f); i-- > 0;) {
		const varve_diag *d = varve_diag_list_at(f->diags, i);

		if (strcmp(d->code, code) == 0 && strstr(d->message, text))
			return d;
	}
	return NULL;
}

static void expect(const struct fixture *f, const char *code,
		   const char *text, unsigned line, unsigned column)
{
	const varve_diag *d = find(f, code, text);

	if (!d) {
		for (size_t i = 0; i < count(f); i++) {
			const varve_diag *e = varve_diag_list_at(f->diags, i);

			print_message("  have %u:%u %s [%s]\n", e->line, e->column,
				      e->message, e->code);
		}
		fail_msg("no %s finding with '%s'", code, text);
	}
	assert_string_equal(d->file, f->path);
	if (line != d->line || column != d->column)
		fail_msg("'%s' at %u:%u, expected %u:%u", d->message, d->line,
			 d->column, line, column);
}

#define HEAD "varve: 1\nmigrations:\n"

/* ---------------------------------------------------------------------------
 * Valid manifests
 */

static void test_valid_every_key(void **state)
{
	struct fixture *f = *state;
	const varve_migration *a, *b, *c;

	setenv("VARVE_TEST_HOST", "db.example", 1);
	assert_int_equal(load(f,
		"varve: 1\n"
		"directory: db/migrations\n"
		"version_table: ops.varve_version\n"
		"naming: sequential\n"
		"database:\n"
		"  url: postgres://${VARVE_TEST_HOST}/${VARVE_TEST_UNSET:-app}$x\n"
		"  lock_timeout: 5s\n"
		"  statement_timeout: 10min\n"
		"  lock_retries: 3\n"
		"migrations:\n"
		"  - revision: \"0001\"\n"
		"    down_revision: null\n"
		"    description: create users\n"
		"    file: 0001_users.sql\n"
		"  - revision: '0002'\n"
		"    down_revision: \"0001\"\n"
		"    up: 0002.up.sql\n"
		"    down: 0002.down.sql\n"
		"    transaction: false\n"
		"    branch: billing-v2\n"
		"    checksum: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
		"  - revision: m_1\n"
		"    down_revision: [\"0001\", \"0002\"]\n"), 0);
	assert_int_equal(count(f), 0);
	/* An unset variable with a default leaves no hole. */
	assert_int_equal(varve_manifest_check_url(f->m, f->diags), 0);
	assert_int_equal(count(f), 0);
	assert_string_equal(varve_manifest_directory(f->m), "db/migrations");
	assert_string_equal(varve_manifest_version_table(f->m), "ops.varve_version");
	assert_int_equal(varve_manifest_naming(f->m), VARVE_NAMING_SEQUENTIAL);
	assert_string_equal(varve_manifest_database_url(f->m),
			    "postgres://db.example/app$x");
	assert_string_equal(f->m->lock_timeout, "5s");
	assert_string_equal(f->m->statement_timeout, "10min");
	assert_int_equal(f->m->lock_retries, 3);
	assert_int_equal(f->m->directory_pos.line, 2);
	assert_int_equal(varve_manifest_count(f->m), 3);

	a = varve_manifest_at(f->m, 0);
	assert_string_equal(a->revision, "0001");
	assert_int_equal(a->parent_count, 0);
	assert_string_equal(a->description, "create users");
	assert_string_equal(a->file, "0001_users.sql");
	assert_true(a->transaction);
	assert_int_equal(a->pos.line, 11);
	assert_int_equal(a->pos.column, 5);
	assert_int_equal(a->revision_pos.line, 11);
	assert_int_equal(a->revision_pos.column, 15);
	assert_int_equal(a->file_pos.line, 14);
	assert_int_equal(a->file_pos.column, 11);

	b = varve_manifest_at(f->m, 1);
	assert_int_equal(b->index, 1);
	assert_int_equal(b->parent_count, 1);
	assert_string_equal(b->parents[0], "0001");
	assert_int_equal(b->parent_pos[0].line, 16);
	assert_int_equal(b->parent_pos[0].column, 20);
	assert_int_equal(b->down_revision_pos.line, 16);
	assert_string_equal(b->up, "0002.up.sql");
	assert_string_equal(b->down, "0002.down.sql");
	assert_int_equal(b->up_pos.line, 17);
	assert_int_equal(b->down_pos.line, 18);
	assert_false(b->transaction);
	assert_int_equal(b->transaction_pos.line, 19);
	assert_string_equal(b->branch, "billing-v2");
	assert_int_equal(b->branch_pos.line, 20);
	assert_non_null(b->checksum);
	assert_int_equal(b->checksum_pos.line, 21);

	c = varve_manifest_at(f->m, 2);
	assert_int_equal(c->parent_count, 2);
	assert_string_equal(c->parents[1], "0002");
	assert_int_equal(c->parent_pos[1].line, 23);
	assert_int_equal(c->parent_pos[1].column, 29);
	assert_null(c->file);
	assert_null(c->up);
}

static void test_defaults(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "varve: 1\nmigrations: []\n"), 0);
	assert_int_equal(count(f), 0);
	assert_string_equal(varve_manifest_directory(f->m), "migrations");
	assert_string_equal(varve_manifest_version_table(f->m), "varve_version");
	assert_null(varve_manifest_database_url(f->m));
	assert_int_equal(varve_manifest_count(f->m), 0);
}

static void test_dollar_literal_outside_url(void **state)
{
	struct fixture *f = *state;

	setenv("VARVE_TEST_X", "expanded", 1);
	assert_int_equal(load(f, HEAD
		"  - revision: a\n"
		"    down_revision: null\n"
		"    description: costs ${VARVE_TEST_X}\n"
		"    file: a.sql\n"), 0);
	assert_int_equal(count(f), 0);
	assert_string_equal(varve_manifest_at(f->m, 0)->description,
			    "costs ${VARVE_TEST_X}");
}

static void test_url_unset_is_empty(void **state)
{
	struct fixture *f = *state;

	unsetenv("VARVE_TEST_NOPE");
	assert_int_equal(load(f, "varve: 1\ndatabase:\n  url: \"a${VARVE_TEST_NOPE}b\"\n"
			      "migrations: []\n"), 0);
	assert_string_equal(varve_manifest_database_url(f->m), "ab");
	/* Not a finding of the load (check needs no database variables), but
	 * of varve_manifest_check_url, before a connection uses the url. */
	assert_int_equal(count(f), 0);
	assert_int_equal(varve_manifest_check_url(f->m, f->diags), 0);
	expect(f, "unset-variable", "uses ${VARVE_TEST_NOPE}, which is not set", 3, 8);
	assert_int_equal(load(f, "varve: 1\ndatabase:\n  url: a${VARVE_TEST_NOPE\n"
			      "migrations: []\n"), 0);
	expect(f, "manifest-schema", "invalid variable reference", 3, 8);
}

/* ---------------------------------------------------------------------------
 * Schema rules
 */

static void test_unknown_key(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, HEAD
		"  - revison: \"0001\"\n"
		"    down_revision: null\n"
		"    file: a.sql\n"
		"colour: blue\n"), 0);
	expect(f, "manifest-schema",
	       "unknown key 'revison' in migration entry (allowed: revision, "
	       "down_revision, description, file, up, down, transaction, branch, "
	       "checksum, lint_off)", 3, 5);
	expect(f, "manifest-schema", "missing required key 'revision'", 3, 5);
	expect(f, "manifest-schema", "unknown key 'colour' in the manifest", 6, 1);
	assert_int_equal(varve_manifest_count(f->m), 0);
}

static void test_wrong_types(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f,
		"varve: \"1\"\n"
		"database: postgres://x\n"
		"migrations:\n"
		"  - revision: a\n"
		"    down_revision: {x: 1}\n"
		"    file: [a.sql]\n"
		"    transaction: \"yes\"\n"
		"    description: 42\n"
		"  - just a string\n"), 0);
	expect(f, "manifest-schema", "'varve' must be an integer, not a string", 1, 8);
	expect(f, "manifest-schema", "'database' must be a mapping, not a string", 2, 11);
	expect(f, "manifest-schema", "'down_revision' must be null, a revision string "
	       "or a list of revisions, not a mapping", 5, 20);
	expect(f, "manifest-schema", "'file' must be a string, not a sequence", 6, 11);
	expect(f, "manifest-schema", "'transaction' must be a boolean", 7, 18);
	expect(f, "manifest-schema", "'description' must be a string, not an integer; "
	       "quote it: \"42\"", 8, 18);
	expect(f, "manifest-schema", "a migration entry must be a mapping, not a string",
	       9, 5);
	/* The entry with a valid revision is kept for the graph. */
	assert_int_equal(varve_manifest_count(f->m), 1);
}

static void test_plain_number_revision(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, HEAD
		"  - revision: 0001\n"
		"    down_revision: 1.5\n"
		"    file: a.sql\n"
		"  - revision: \"0002\"\n"
		"    down_revision: 0x1f\n"
		"    file: b.sql\n"), 0);
	expect(f, "manifest-schema",
	       "'revision' must be a string, not an integer; quote it: \"0001\"", 3, 15);
	expect(f, "manifest-schema", "not a number", 4, 20);
	expect(f, "manifest-schema", "'down_revision' must be null, a revision "
	       "string or a list of revisions, not an integer", 7, 20);
	assert_int_equal(varve_manifest_count(f->m), 1);
}

static void test_missing_keys(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "directory: m\n"), 0);
	expect(f, "manifest-schema", "missing required key 'varve'", 1, 1);
	expect(f, "manifest-schema", "missing required key 'migrations'", 1, 1);
	assert_int_equal(load(f, HEAD "- revision: x\n  file: x.sql\n"), 0);
	expect(f, "manifest-schema",
	       "migration 'x' is missing required key 'down_revision'", 3, 3);
}

static void test_duplicate_key(void **state)
{
	struct fixture *f = *state;
	const varve_migration *m;

	assert_int_equal(load(f, HEAD
		"  - revision: a\n"
		"    down_revision: null\n"
		"    file: a.sql\n"
		"    revision: b\n"), 0);
	expect(f, "manifest-schema", "duplicate key 'revision' (first at line 3)", 6, 5);
	m = varve_manifest_at(f->m, 0);
	assert_string_equal(m->revision, "a");
}

static void test_anchor_and_alias(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, HEAD
		"  - revision: &r a\n"
		"    down_revision: null\n"
		"    file: a.sql\n"
		"  - revision: b\n"
		"    down_revision: *r\n"
		"    file: b.sql\n"), 0);
	expect(f, "manifest-schema", "anchors are not allowed ('&r')", 3, 15);
	expect(f, "manifest-schema", "aliases are not allowed ('*r')", 7, 20);
	assert_int_equal(count(f), 2);
}

static void test_file_rules(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, HEAD
		"  - revision: a\n"
		"    down_revision: null\n"
		"    file: a.sql\n"
		"    up: a.up.sql\n"
		"  - revision: b\n"
		"    down_revision: a\n"
		"    down: b.down.sql\n"
		"  - revision: c\n"
		"    down_revision: b\n"
		"  - revision: d\n"
		"    down_revision: [b, c]\n"
		"  - revision: e\n"
		"    down_revision: [d, d]\n"
		"    file: e.sql\n"
		"  - revision: f\n"
		"    down_revision: [e]\n"
		"    file: f.sql\n"), 0);
	expect(f, "manifest-schema", "'file' cannot be combined with 'up'", 5, 11);
	expect(f, "manifest-schema", "'down' requires 'up'", 9, 11);
	expect(f, "manifest-schema", "migration 'b' has no SQL", 7, 5);
	expect(f, "manifest-schema", "migration 'c' has no SQL", 10, 5);
	expect(f, "manifest-schema", "revision 'd' is listed twice", 15, 24);
	expect(f, "manifest-schema", "'down_revision' lists 1 revision; a merge "
	       "needs 2 or more", 18, 20);
	assert_null(find(f, "manifest-schema", "migration 'd'"));
	assert_int_equal(count(f), 6);
	assert_int_equal(varve_manifest_count(f->m), 6);
	assert_int_equal(varve_manifest_at(f->m, 4)->parent_count, 1);
	assert_int_equal(varve_manifest_at(f->m, 5)->parent_count, 1);
}

static void test_value_formats(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f,
		"varve: 2\n"
		"version_table: 1bad.table\n"
		"naming: random\n"
		"database:\n"
		"  lock_timeout: 5 seconds\n"
		"  lock_retries: 1000\n"
		"migrations:\n"
		"  - revision: a-b\n"
		"    down_revision: null\n"
		"    file: a.sql\n"
		"    branch: \"with space\"\n"
		"    checksum: sha256:ABC\n"), 0);
	expect(f, "manifest-schema", "unsupported manifest format 'varve: 2'", 1, 8);
	expect(f, "manifest-schema", "invalid 'version_table' '1bad.table'", 2, 16);
	expect(f, "manifest-schema", "'naming' must be timestamp or sequential", 3, 9);
	expect(f, "manifest-schema", "invalid 'database.lock_timeout' '5 seconds'", 5, 17);
	expect(f, "manifest-schema", "between 0 and 100, not 1000", 6, 17);
	expect(f, "manifest-schema", "invalid 'revision' 'a-b'", 8, 15);
	expect(f, "manifest-schema", "invalid 'branch' 'with space'", 11, 13);
	expect(f, "manifest-schema", "invalid 'checksum' 'sha256:ABC'", 12, 15);
	assert_int_equal(count(f), 8);
	assert_int_equal(varve_manifest_count(f->m), 0);
	assert_string_equal(varve_manifest_version_table(f->m), "varve_version");
}

static void test_version_table_limits(void **state)
{
	struct fixture *f = *state;
	char yaml[256];

	snprintf(yaml, sizeof(yaml), "varve: 1\nversion_table: s.%064d\nmigrations: []\n", 0);
	assert_int_equal(load(f, yaml), 0);
	expect(f, "manifest-schema", "invalid 'version_table'", 2, 16);
	assert_int_equal(load(f, "varve: 1\nversion_table: a.b.c\nmigrations: []\n"), 0);
	assert_int_equal(count(f), 2);
	assert_int_equal(load(f, "varve: 1\nversion_table: _s$.T_1$\nmigrations: []\n"), 0);
	assert_int_equal(count(f), 2);
}

/* ---------------------------------------------------------------------------
 * YAML syntax
 */

static void test_syntax_error_position(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, HEAD
		"  - revision: a\n"
		"    down_revision: null\n"
		"   file: a.sql\n"), VARVE_EINVALID);
	assert_null(f->m);
	expect(f, "yaml-syntax", "did not find expected '-' indicator (while "
	       "parsing a block collection at 3:3)", 5, 4);
	assert_int_equal(load(f, "varve: 1\nmigrations: [a, b\n"), VARVE_EINVALID);
	expect(f, "yaml-syntax", "did not find expected ',' or ']'", 3, 1);
}

static void test_reader_errors(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "varve: 1\nmigrations: []\n# caf\xc3\xa9 \xff\n"),
			 VARVE_EINVALID);
	expect(f, "yaml-syntax", "invalid leading UTF-8 octet (0xff)", 3, 8);
	assert_int_equal(load_bytes(f, "varve: 1\n\x01\x02\x00\x03", 13), VARVE_EINVALID);
	expect(f, "yaml-syntax", "control characters are not allowed", 2, 1);
}

static void test_empty_and_bare_document(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, ""), 0);
	expect(f, "manifest-schema", "the manifest is empty", 1, 1);
	assert_int_equal(load(f, "---\n"), 0);
	expect(f, "manifest-schema", "the manifest must be a mapping, not null", 2, 1);
	assert_int_equal(load(f, "varve: 1\nmigrations: []\n---\nb: 1\n"), 0);
	expect(f, "manifest-schema", "a single YAML document", 3, 1);
}

/*
 * A manifest read from memory (a git blob): the same loader, positions
 * from the buffer, nothing opened on disk.
 */
static void test_buffer(void **state)
{
	struct fixture *f = *state;
	static const char good[] =
		"varve: 1\ndirectory: ../elsewhere\nmigrations:\n"
		"  - revision: \"0001\"\n    down_revision: null\n    file: a.sql\n"
		"  - revision: \"0002\"\n    down_revision: \"0001\"\n    file: b.sql\n";
	static const char bad[] = "varve: 1\nmigrations: []\n# caf\xc3\xa9 \xff\n";

	assert_int_equal(varve_manifest__load_buffer(&f->m, "main:varve.yaml", good,
						     sizeof(good) - 1, f->diags), 0);
	assert_int_equal(count(f), 0);
	assert_int_equal(f->m->count, 2);
	assert_string_equal(f->m->migrations[1]->parents[0], "0001");
	assert_int_equal(f->m->migrations[1]->revision_pos.line, 7);
	assert_string_equal(varve_manifest_path(f->m), "main:varve.yaml");
	varve_manifest_free(f->m);
	f->m = NULL;

	/* Not NUL-terminated: only `len` bytes count. */
	assert_int_equal(varve_manifest__load_buffer(&f->m, f->path, good, 9,
						     f->diags), 0);
	expect(f, "manifest-schema", "missing required key 'migrations'", 1, 1);
	varve_manifest_free(f->m);
	f->m = NULL;

	assert_int_equal(varve_manifest__load_buffer(&f->m, f->path, bad,
						     sizeof(bad) - 1, f->diags),
			 VARVE_EINVALID);
	expect(f, "yaml-syntax", "invalid leading UTF-8 octet (0xff)", 3, 8);
	assert_null(f->m);
	assert_int_equal(varve_manifest__load_buffer(&f->m, f->path, NULL, 0,
						     f->diags), 0);
	expect(f, "manifest-schema", "the manifest is empty", 1, 1);
}

/* ---------------------------------------------------------------------------
 * Paths
 */

static void test_path_escapes(void **state)
{
	struct fixture *f = *state;
	char p[256];

	snprintf(p, sizeof(p), "%s/migrations", f->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/migrations/evil.sql", f->dir);
	assert_int_equal(symlink("/tmp", p), 0);
	snprintf(p, sizeof(p), "%s/migrations/fine.sql", f->dir);
	assert_int_equal(symlink("../varve.yaml", p), 0);
	assert_int_equal(load(f, HEAD
		"  - revision: a\n"
		"    down_revision: null\n"
		"    file: ../secret.sql\n"
		"  - revision: b\n"
		"    down_revision: a\n"
		"    up: /etc/passwd\n"
		"  - revision: c\n"
		"    down_revision: b\n"
		"    up: evil.sql/x\n"
		"    down: fine.sql\n"
		"  - revision: d\n"
		"    down_revision: c\n"
		"    file: not/there/yet.sql\n"), 0);
	expect(f, "file-outside-project", "'../secret.sql' is outside the project: "
	       "'..' escapes the project", 5, 11);
	expect(f, "file-outside-project", "absolute path", 8, 9);
	expect(f, "file-outside-project", "symlink leads outside the project", 11, 9);
	assert_int_equal(count(f), 3);
	/* What escapes is cleared, so no later step opens it. */
	assert_null(varve_manifest_at(f->m, 0)->file);
	assert_null(varve_manifest_at(f->m, 1)->up);
	assert_null(varve_manifest_at(f->m, 2)->up);
	assert_string_equal(varve_manifest_at(f->m, 2)->down, "fine.sql");
	assert_string_equal(varve_manifest_at(f->m, 3)->file, "not/there/yet.sql");
	/* ...and marked, so that the runner does not take it for a merge. */
	for (size_t i = 0; i < 3; i++)
		assert_true(varve_manifest_at(f->m, i)->path_refused);
	assert_false(varve_manifest_at(f->m, 3)->path_refused);
}

static void test_default_directory_escape(void **state)
{
	struct fixture *f = *state;
	char p[256];

	snprintf(p, sizeof(p), "%s/migrations", f->dir);
	assert_int_equal(symlink("/tmp", p), 0);
	assert_int_equal(load(f, HEAD "- {revision: a, down_revision: ~, file: a.sql}\n"), 0);
	expect(f, "file-outside-project", "directory 'migrations' is outside the "
	       "project: symlink leads outside the project", 1, 1);
	assert_int_equal(count(f), 1);
	/* Nothing under it is opened: the path is gone. */
	assert_true(f->m->directory_refused);
	assert_null(varve_manifest_at(f->m, 0)->file);
	assert_true(varve_manifest_at(f->m, 0)->path_refused);
}

static void test_directory_escapes(void **state)
{
	struct fixture *f = *state;
	char p[256];

	assert_int_equal(load(f, "varve: 1\ndirectory: ../up\nmigrations: []\n"), 0);
	expect(f, "file-outside-project", "directory '../up' is outside", 2, 12);
	snprintf(p, sizeof(p), "%s/out", f->dir);
	assert_int_equal(symlink("/tmp", p), 0);
	assert_int_equal(load(f, "varve: 1\ndirectory: out/m\nmigrations:\n"
			      "- {revision: a, down_revision: ~, file: a.sql}\n"), 0);
	expect(f, "file-outside-project", "symlink leads outside", 2, 12);
	/* The files are not checked again under a refused directory, and
	 * not kept: the default directory they would fall back to was never
	 * checked. */
	assert_int_equal(count(f), 2);
	assert_true(f->m->directory_refused);
	assert_null(varve_manifest_at(f->m, 0)->file);
}

static void test_path_check(void **state)
{
	struct fixture *f = *state;
	const char *reason;

	assert_int_equal(varve_path__check(f->dir, "", &reason), VARVE_EINVALID);
	assert_string_equal(reason, "empty path");
	assert_int_equal(varve_path__check(f->dir, "/x", &reason), VARVE_EINVALID);
	assert_int_equal(varve_path__check(f->dir, "a/../b", &reason), VARVE_EINVALID);
	assert_int_equal(varve_path__check(f->dir, "a/..", &reason), VARVE_EINVALID);
	assert_int_equal(varve_path__check(f->dir, "a/..b/./c", &reason), 0);
	assert_int_equal(varve_path__check(f->dir, "missing/file.sql", &reason), 0);
}

/* ---------------------------------------------------------------------------
 * Hostile input: a positioned finding, quickly, and no crash
 */

static void expect_positioned(const struct fixture *f)
{
	assert_true(count(f) > 0);
	for (size_t i = 0; i < count(f); i++)
		assert_true(varve_diag_list_at(f->diags, i)->line > 0);
}

static void test_truncated(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, HEAD "  - revision: \"00"), VARVE_EINVALID);
	expect(f, "yaml-syntax", "found unexpected end of stream", 3, 18);
}

static void test_huge_scalar(void **state)
{
	struct fixture *f = *state;
	size_t n = 10 * 1024 * 1024;
	char *yaml = malloc(n + 64);

	assert_non_null(yaml);
	memcpy(yaml, "varve: 1\nmigrations: []\ndirectory: ", 35);
	memset(yaml + 35, 'x', n);
	memcpy(yaml + 35 + n, "\n", 2);
	assert_int_equal(load(f, yaml), 0);
	free(yaml);
	expect(f, "manifest-schema", "'directory' is too long (10485760 bytes", 3, 12);
}

static void test_giant_token(void **state)
{
	struct fixture *f = *state;
	size_t n = 17 * 1024 * 1024;
	char *yaml = malloc(n + 64);

	assert_non_null(yaml);
	memcpy(yaml, "varve: 1\nmigrations: []\ndirectory: ", 35);
	memset(yaml + 35, 'x', n);
	memcpy(yaml + 35 + n, "\n", 2);
	assert_int_equal(load(f, yaml), VARVE_EINVALID);
	free(yaml);
	assert_null(f->m);
	expect(f, "manifest-schema", "a value or comment longer than 16 MiB follows", 3, 10);
}

static void test_too_large_file(void **state)
{
	struct fixture *f = *state;
	FILE *fp = fopen(f->path, "wb");

	/* A sparse file: refused from its size, never read. */
	assert_non_null(fp);
	assert_int_equal(ftruncate(fileno(fp), (off_t)300 << 20), 0);
	fclose(fp);
	assert_int_equal(varve_manifest_load(&f->m, f->path, f->diags), VARVE_EINVALID);
	assert_null(f->m);
	expect(f, "manifest-schema", "the manifest is larger than 256 MiB", 1, 1);
}

static void test_tags(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, HEAD
		"  - revision: !!str 0001\n"
		"    down_revision: ! 0000\n"
		"    file: !custom a.sql\n"), 0);
	expect(f, "manifest-schema", "'file' must be a string; tag '!custom' is not "
	       "supported", 5, 11);
	assert_int_equal(count(f), 1);
	assert_string_equal(varve_manifest_at(f->m, 0)->revision, "0001");
	assert_string_equal(varve_manifest_at(f->m, 0)->parents[0], "0000");
}

static void test_deep_nesting(void **state)
{
	struct fixture *f = *state;
	size_t depth = 10000;
	char *yaml = malloc(depth * 4 + 64);
	size_t n = 0;

	assert_non_null(yaml);
	n += (size_t)snprintf(yaml, 64, "varve: 1\nmigrations: ");
	for (size_t i = 0; i < depth; i++)
		yaml[n++] = '[';
	for (size_t i = 0; i < depth; i++)
		yaml[n++] = ']';
	yaml[n] = '\0';
	assert_int_equal(load(f, yaml), 0);
	expect(f, "manifest-schema", "nesting deeper than 32 levels", 2, 44);

	n = (size_t)snprintf(yaml, 64, "varve: 1\nx: ");
	for (size_t i = 0; i < depth; i++) {
		memcpy(yaml + n, "{a: ", 4);
		n += 4;
	}
	yaml[n] = '\0';
	assert_int_equal(load(f, yaml), 0);
	expect_positioned(f);
	expect(f, "manifest-schema", "nesting deeper than 32 levels", 2, 4 + 31 * 4);
	free(yaml);
}

static void test_alias_bomb(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f,
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
		"varve: 1\n"
		"migrations: *i\n"), 0);
	expect_positioned(f);
	expect(f, "manifest-schema", "anchors are not allowed ('&a')", 1, 4);
	expect(f, "manifest-schema", "aliases are not allowed ('*i')", 11, 13);
}

static void test_many_findings_stop(void **state)
{
	struct fixture *f = *state;
	size_t n = 5000, len = 0;
	char *yaml = malloc(n * 8 + 64);

	assert_non_null(yaml);
	len += (size_t)snprintf(yaml, 64, "varve: 1\nmigrations: [");
	for (size_t i = 0; i < n; i++) {
		memcpy(yaml + len, "*a, ", 4);
		len += 4;
	}
	memcpy(yaml + len, "]\n", 3);
	assert_int_equal(load(f, yaml), 0);
	free(yaml);
	assert_int_equal(count(f), 1001);
	expect(f, "manifest-schema", "too many findings", 2, 14 + 4 * 1000);
}

static void test_not_a_file(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(varve_manifest_load(&f->m, f->dir, f->diags), VARVE_EIO);
	assert_null(f->m);
	assert_non_null(strstr(varve_error_last(), "is a directory"));
	assert_int_equal(varve_manifest_load(&f->m, "/nonexistent/varve.yaml",
					     f->diags), VARVE_EIO);
	assert_string_equal(varve_error_last(),
			    "cannot open '/nonexistent/varve.yaml': no such file or directory");
	assert_int_equal(count(f), 0);
}

/* lint: levels per rule, small_table_rows, an entry's lint_off; unknown
 * codes are manifest-schema findings at their position. */
static void test_lint(void **state)
{
	struct fixture *f = *state;
	const varve_migration *mig;

	assert_int_equal(load(f, "varve: 1\n"
		"lint:\n"
		"  error: [require-concurrent-index]\n"
		"  warning: [ban-drop-table]\n"
		"  off: [prefer-text, prefer-bigint]\n"
		"  small_table_rows: 500\n"
		"migrations:\n"
		"  - revision: \"0001\"\n"
		"    down_revision: null\n"
		"    file: a.sql\n"
		"    lint_off: [ban-truncate, cluster]\n"), 0);
	assert_int_equal(count(f), 0);
	assert_int_equal(f->m->lint_level[VARVE_LINT_CONCURRENT_INDEX], VARVE_LINT_ERROR);
	assert_int_equal(f->m->lint_level[VARVE_LINT_DROP_TABLE], VARVE_LINT_WARNING);
	assert_int_equal(f->m->lint_level[VARVE_LINT_PREFER_TEXT], VARVE_LINT_OFF);
	assert_int_equal(f->m->lint_level[VARVE_LINT_PREFER_BIGINT], VARVE_LINT_OFF);
	assert_int_equal(f->m->lint_level[VARVE_LINT_TRUNCATE], VARVE_LINT_DEFAULT);
	assert_int_equal(f->m->lint_small_table_rows, 500);
	mig = f->m->migrations[0];
	assert_int_equal(mig->lint_off, (UINT32_C(1) << VARVE_LINT_TRUNCATE) |
					(UINT32_C(1) << VARVE_LINT_CLUSTER));

	assert_int_equal(load(f, "varve: 1\nmigrations: []\n"), 0);
	assert_int_equal(f->m->lint_small_table_rows, VARVE_LINT_SMALL_TABLE_ROWS);

	assert_int_equal(load(f, "varve: 1\n"
		"lint:\n"
		"  off: [prefer-text, no-such-rule]\n"
		"  small_table_rows: -1\n"
		"  ignore: []\n"
		"migrations:\n"
		"  - revision: \"0001\"\n"
		"    down_revision: null\n"
		"    file: a.sql\n"
		"    lint_off: cluster\n"), 0);
	expect(f, "manifest-schema", "unknown lint rule 'no-such-rule' in 'lint.off'", 3, 22);
	expect(f, "manifest-schema", "'lint.small_table_rows' must be 0 or more, not -1", 4, 21);
	expect(f, "manifest-schema", "unknown key 'ignore' in 'lint'", 5, 3);
	expect(f, "manifest-schema", "'lint_off' must be a sequence of lint rule codes", 10, 15);
	assert_int_equal(f->m->lint_level[VARVE_LINT_PREFER_TEXT], VARVE_LINT_OFF);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_valid_every_key),
		T(test_defaults),
		T(test_dollar_literal_outside_url),
		T(test_url_unset_is_empty),
		T(test_unknown_key),
		T(test_wrong_types),
		T(test_plain_number_revision),
		T(test_missing_keys),
		T(test_duplicate_key),
		T(test_anchor_and_alias),
		T(test_file_rules),
		T(test_value_formats),
		T(test_version_table_limits),
		T(test_syntax_error_position),
		T(test_reader_errors),
		T(test_empty_and_bare_document),
		T(test_buffer),
		T(test_path_escapes),
		T(test_directory_escapes),
		T(test_default_directory_escape),
		T(test_path_check),
		T(test_truncated),
		T(test_huge_scalar),
		T(test_giant_token),
		T(test_too_large_file),
		T(test_tags),
		T(test_deep_nesting),
		T(test_alias_bomb),
		T(test_many_findings_stop),
		T(test_not_a_file),
		T(test_lint),
	};
#undef T

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
