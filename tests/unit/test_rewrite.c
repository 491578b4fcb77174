/*
 * Unit tests for the manifest rewriter (lib/rewrite.c): after each edit the
 * whole output text is compared, so any byte changed by accident shows.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rewrite.h"

struct fixture {
	char dir[64];
	char path[128];
	varve_manifest *m;
	varve_rewrite *rw;
	varve_diag_list *diags;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/varve-rewrite-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/varve.yaml", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	chmod(f->dir, 0700);
	varve_rewrite__free(f->rw);
	varve_manifest_free(f->m);
	varve_diag_list_free(f->diags);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

/* Load `text` as a manifest (it must load without findings) and open a
 * rewriter on it. */
static void load(struct fixture *f, const char *text)
{
	varve_rewrite__free(f->rw);
	varve_manifest_free(f->m);
	varve_diag_list_free(f->diags);
	f->rw = NULL;
	f->m = NULL;
	write_text(f->path, text);
	assert_int_equal(varve_diag_list_new(&f->diags), 0);
	assert_int_equal(varve_manifest_load(&f->m, f->path, f->diags), 0);
	for (size_t i = 0; i < varve_diag_list_count(f->diags); i++)
		print_message("%s\n", varve_diag_list_at(f->diags, i)->message);
	assert_int_equal(varve_diag_list_count(f->diags), 0);
	assert_int_equal(varve_rewrite__new(&f->rw, text, strlen(text)), 0);
}

static void expect(struct fixture *f, const char *want)
{
	char *got;
	size_t len;

	assert_int_equal(varve_rewrite__apply(f->rw, &got, &len), 0);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);
}

static const varve_migration *mig(struct fixture *f, size_t i)
{
	assert_true(i < f->m->count);
	return f->m->migrations[i];
}

/* ---------------------------------------------------------------------------
 * Scalars
 */

static const char commented[] = "# The manifest, with comments everywhere.\n"
				"varve: 1 # format\n"
				"\n"
				"migrations:   # the list\n"
				"  # first\n"
				"  - revision: \"0001\"   # double\n"
				"    down_revision: null\n"
				"    file: 0001_a.sql\n"
				"\n"
				"  - revision: '0002'   # single\n"
				"    down_revision:   \"0001\"  # parent\n"
				"    file: '0002_b.sql'\n"
				"  -   revision: abc\n"
				"      down_revision: '0002'\n"
				"      file: abc.sql # plain\n"
				"# trailing comment\n";

static void test_replace_keeps_style(void **state)
{
	struct fixture *f = *state;

	load(f, commented);
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 0)->revision_pos, "0001", "0101"), 0);
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 1)->revision_pos, "0002", "it's"), 0);
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 1)->parent_pos[0], "0001", "0101"), 0);
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 1)->file_pos, "0002_b.sql", "0202_b.sql"),
	    0);
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 2)->file_pos, "abc.sql", "0003_c.sql"), 0);
	expect(f, "# The manifest, with comments everywhere.\n"
		  "varve: 1 # format\n"
		  "\n"
		  "migrations:   # the list\n"
		  "  # first\n"
		  "  - revision: \"0101\"   # double\n"
		  "    down_revision: null\n"
		  "    file: 0001_a.sql\n"
		  "\n"
		  "  - revision: 'it''s'   # single\n"
		  "    down_revision:   \"0101\"  # parent\n"
		  "    file: '0202_b.sql'\n"
		  "  -   revision: abc\n"
		  "      down_revision: '0002'\n"
		  "      file: 0003_c.sql # plain\n"
		  "# trailing comment\n");
}

/* A plain scalar that would read as a number gets double quotes. */
static void test_plain_needs_quotes(void **state)
{
	struct fixture *f = *state;

	load(f, commented);
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 2)->revision_pos, "abc", "0003"), 0);
	expect(f, "# The manifest, with comments everywhere.\n"
		  "varve: 1 # format\n"
		  "\n"
		  "migrations:   # the list\n"
		  "  # first\n"
		  "  - revision: \"0001\"   # double\n"
		  "    down_revision: null\n"
		  "    file: 0001_a.sql\n"
		  "\n"
		  "  - revision: '0002'   # single\n"
		  "    down_revision:   \"0001\"  # parent\n"
		  "    file: '0002_b.sql'\n"
		  "  -   revision: \"0003\"\n"
		  "      down_revision: '0002'\n"
		  "      file: abc.sql # plain\n"
		  "# trailing comment\n");
}

static void test_replace_refuses_mismatch(void **state)
{
	struct fixture *f = *state;

	load(f, commented);
	assert_int_equal(varve_rewrite__replace_scalar(f->rw, mig(f, 0)->revision_pos, "0002", "x"),
			 VARVE_EINVALID);
	assert_int_equal(varve_rewrite__replace_scalar(f->rw, mig(f, 2)->revision_pos, "ab", "x"),
			 VARVE_EINVALID);
	expect(f, commented);
}

/* Flow lists of parents, a CRLF file, tabs in comments. */
static void test_flow_parents_crlf(void **state)
{
	struct fixture *f = *state;

	load(f, "varve: 1\r\n"
		"migrations:\r\n"
		"- {revision: a, down_revision: null, file: a.sql}\t# tab\r\n"
		"- revision: b\r\n"
		"  down_revision: a\r\n"
		"  file: b.sql\r\n"
		"- revision: c\t#\ttabs\r\n"
		"  down_revision: [ \"a\" ,'b' ]   #\tmerge\r\n");
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 2)->parent_pos[0], "a", "0001"), 0);
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 2)->parent_pos[1], "b", "0002"), 0);
	assert_int_equal(varve_rewrite__replace_scalar(f->rw, mig(f, 0)->revision_pos, "a", "0001"),
			 0);
	assert_int_equal(
	    varve_rewrite__replace_scalar(f->rw, mig(f, 1)->parent_pos[0], "a", "0001"), 0);
	assert_int_equal(varve_rewrite__insert_key(f->rw, mig(f, 0), "checksum", "sha256:00"), 0);
	assert_int_equal(varve_rewrite__insert_key(f->rw, mig(f, 2), "description", "joined"), 0);
	expect(f, "varve: 1\r\n"
		  "migrations:\r\n"
		  "- {revision: \"0001\", down_revision: null, file: a.sql, checksum: "
		  "sha256:00}\t# tab\r\n"
		  "- revision: b\r\n"
		  "  down_revision: \"0001\"\r\n"
		  "  file: b.sql\r\n"
		  "- revision: c\t#\ttabs\r\n"
		  "  down_revision: [ \"0001\" ,'0002' ]   #\tmerge\r\n"
		  "  description: joined\r\n");
}

/* A byte-order mark does not count in columns; a one-line flow manifest. */
static void test_bom_flow_manifest(void **state)
{
	struct fixture *f = *state;
	varve_rewrite_field fields[] = {
	    {"revision", "\"0002\""},
	    {"down_revision", "\"0001\""},
	    {"file", "b.sql"},
	};

	load(f, "\xEF\xBB\xBF{varve: 1, migrations: [{revision: \"0001\", "
		"down_revision: null, file: \"\xC3\xA9.sql\"}]}");
	assert_int_equal(varve_rewrite__replace_scalar(f->rw, mig(f, 0)->file_pos, "\xC3\xA9.sql",
						       "0001_\xC3\xA9.sql"),
			 0);
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, fields, 3), 0);
	expect(f, "\xEF\xBB\xBF{varve: 1, migrations: [{revision: \"0001\", "
		  "down_revision: null, file: \"0001_\xC3\xA9.sql\"}, "
		  "{revision: \"0002\", down_revision: \"0001\", file: b.sql}]}");
}

static void test_scalar_quoting(void **state)
{
	static const struct {
		const char *value;
		char quote;
		const char *want;
	} cases[] = {
	    {"add_email.sql", '"', "add_email.sql"},
	    {"sha256:ab", '"', "sha256:ab"},
	    {"add email", '"', "add email"},
	    {"0003", '"', "\"0003\""},
	    {"20261122101010", '\'', "'20261122101010'"},
	    {"1e5", '"', "\"1e5\""},
	    {"yes", '"', "\"yes\""},
	    {"fix: thing", '"', "\"fix: thing\""},
	    {"it's", '\'', "it's"},
	    {"'quoted'", '\'', "'''quoted'''"},
	    {"a, b", '"', "\"a, b\""},
	    {"# no", '"', "\"# no\""},
	    {"say \"hi\"\n", '\'', "\"say \\\"hi\\\"\\n\""},
	    {"", '"', "\"\""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		varve_buf b = VARVE_BUF_INIT;

		assert_int_equal(varve_rewrite__scalar(&b, cases[i].value, cases[i].quote, false),
				 0);
		assert_string_equal(varve_buf_cstr(&b), cases[i].want);
		varve_buf_dispose(&b);
	}
}

/* ---------------------------------------------------------------------------
 * Keys and entries
 */

static void test_insert_key_after_comments(void **state)
{
	struct fixture *f = *state;

	load(f, "varve: 1\n"
		"migrations:\n"
		"  - revision: \"0001\"\n"
		"    down_revision: null # root\n"
		"    file: a.sql   # last key\n"
		"    # a comment in the entry\n"
		"\n"
		"  - revision: \"0002\"\n"
		"    down_revision:\n"
		"      - \"0001\"\n"
		"      - \"x\"\n"
		"  - revision: x\n"
		"    down_revision: \"0001\"\n"
		"    up: x.sql");
	assert_int_equal(varve_rewrite__insert_key(f->rw, mig(f, 0), "checksum", "sha256:01"), 0);
	assert_int_equal(varve_rewrite__insert_key(f->rw, mig(f, 1), "description", "merge"), 0);
	assert_int_equal(varve_rewrite__insert_key(f->rw, mig(f, 2), "checksum", "sha256:02"), 0);
	expect(f, "varve: 1\n"
		  "migrations:\n"
		  "  - revision: \"0001\"\n"
		  "    down_revision: null # root\n"
		  "    file: a.sql   # last key\n"
		  "    checksum: sha256:01\n"
		  "    # a comment in the entry\n"
		  "\n"
		  "  - revision: \"0002\"\n"
		  "    down_revision:\n"
		  "      - \"0001\"\n"
		  "      - \"x\"\n"
		  "    description: merge\n"
		  "  - revision: x\n"
		  "    down_revision: \"0001\"\n"
		  "    up: x.sql\n"
		  "    checksum: sha256:02");
}

/*
 * A block scalar ends past its line breaks, at the start of the next line:
 * the key goes before that line, not after it (found by fuzz_rewrite).
 */
static void test_insert_key_after_block_scalar(void **state)
{
	struct fixture *f = *state;

	load(f, "varve: 1\n"
		"migrations:\n"
		"  - revision: a\n"
		"    down_revision: null\n"
		"    file: a.sql\n"
		"    description: |\n"
		"      text\n"
		"  - revision: b\n"
		"    down_revision: a\n"
		"    file: b.sql\n"
		"    description: >-\n"
		"      last\n");
	assert_int_equal(varve_rewrite__insert_key(f->rw, mig(f, 0), "checksum", "sha256:01"), 0);
	assert_int_equal(varve_rewrite__insert_key(f->rw, mig(f, 1), "checksum", "sha256:02"), 0);
	expect(f, "varve: 1\n"
		  "migrations:\n"
		  "  - revision: a\n"
		  "    down_revision: null\n"
		  "    file: a.sql\n"
		  "    description: |\n"
		  "      text\n"
		  "    checksum: sha256:01\n"
		  "  - revision: b\n"
		  "    down_revision: a\n"
		  "    file: b.sql\n"
		  "    description: >-\n"
		  "      last\n"
		  "    checksum: sha256:02\n");
}

static const varve_rewrite_field new_entry[] = {
    {"revision", "\"0003\""},
    {"down_revision", "\"0002\""},
    {"file", "0003_c.sql"},
};

static void test_append_block(void **state)
{
	struct fixture *f = *state;

	load(f, commented);
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "# The manifest, with comments everywhere.\n"
		  "varve: 1 # format\n"
		  "\n"
		  "migrations:   # the list\n"
		  "  # first\n"
		  "  - revision: \"0001\"   # double\n"
		  "    down_revision: null\n"
		  "    file: 0001_a.sql\n"
		  "\n"
		  "  - revision: '0002'   # single\n"
		  "    down_revision:   \"0001\"  # parent\n"
		  "    file: '0002_b.sql'\n"
		  "  -   revision: abc\n"
		  "      down_revision: '0002'\n"
		  "      file: abc.sql # plain\n"
		  "  -   revision: \"0003\"\n"
		  "      down_revision: \"0002\"\n"
		  "      file: 0003_c.sql\n"
		  "# trailing comment\n");
	assert_int_equal(varve_rewrite__quote_char(f->rw, f->m), '"');
}

/* Entries at column 1, CRLF, no final line break, a key after the list. */
static void test_append_crlf_no_final_break(void **state)
{
	struct fixture *f = *state;

	load(f, "migrations:\r\n"
		"- revision: '0002'\r\n"
		"  down_revision: null\r\n"
		"  file: b.sql\r\n"
		"varve: 1");
	assert_int_equal(varve_rewrite__quote_char(f->rw, f->m), '\'');
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "migrations:\r\n"
		  "- revision: '0002'\r\n"
		  "  down_revision: null\r\n"
		  "  file: b.sql\r\n"
		  "- revision: \"0003\"\r\n"
		  "  down_revision: \"0002\"\r\n"
		  "  file: 0003_c.sql\r\n"
		  "varve: 1");

	load(f, "varve: 1\n"
		"migrations:\n"
		"  -\n"
		"    revision: \"0002\"\n"
		"    down_revision: null\n"
		"    up: b.sql");
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "varve: 1\n"
		  "migrations:\n"
		  "  -\n"
		  "    revision: \"0002\"\n"
		  "    down_revision: null\n"
		  "    up: b.sql\n"
		  "  - revision: \"0003\"\n"
		  "    down_revision: \"0002\"\n"
		  "    file: 0003_c.sql");
}

static void test_append_to_empty(void **state)
{
	struct fixture *f = *state;

	load(f, "varve: 1\nmigrations: []\n# end\n");
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "varve: 1\nmigrations:\n"
		  "  - revision: \"0003\"\n"
		  "    down_revision: \"0002\"\n"
		  "    file: 0003_c.sql\n"
		  "# end\n");

	load(f, "varve: 1\nmigrations: [ ]   # none yet");
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "varve: 1\nmigrations:    # none yet\n"
		  "  - revision: \"0003\"\n"
		  "    down_revision: \"0002\"\n"
		  "    file: 0003_c.sql");

	load(f, "varve: 1\r\nmigrations:\r\n    []\r\nnaming: sequential\r\n");
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "varve: 1\r\nmigrations:\r\n"
		  "    - revision: \"0003\"\r\n"
		  "      down_revision: \"0002\"\r\n"
		  "      file: 0003_c.sql\r\n"
		  "naming: sequential\r\n");

	/* `[]` alone on its line before a comment (found by fuzz_rewrite):
	 * leaving its indentation and the tabs made a line YAML rejects. */
	load(f, "varve: 1\nmigrations:\n  []\t\t# none yet\n");
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "varve: 1\nmigrations:\n"
		  "  # none yet\n"
		  "  - revision: \"0003\"\n"
		  "    down_revision: \"0002\"\n"
		  "    file: 0003_c.sql\n");

	/* The same after a byte-order mark, which libyaml takes at the
	 * start of any line. */
	load(f, "varve: 1\nmigrations:\n\xEF\xBB\xBF  []\t# none yet\n");
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "varve: 1\nmigrations:\n"
		  "\xEF\xBB\xBF  # none yet\n"
		  "  - revision: \"0003\"\n"
		  "    down_revision: \"0002\"\n"
		  "    file: 0003_c.sql\n");
}

static void test_append_flow_lines(void **state)
{
	struct fixture *f = *state;

	load(f, "varve: 1\n"
		"migrations: [\n"
		"  {revision: \"0002\", down_revision: null, file: b.sql},  # one\n"
		"]\n");
	assert_int_equal(varve_rewrite__append_entry(f->rw, f->m, new_entry, 3), 0);
	expect(f, "varve: 1\n"
		  "migrations: [\n"
		  "  {revision: \"0002\", down_revision: null, file: b.sql},\n"
		  "  {revision: \"0003\", down_revision: \"0002\", file: 0003_c.sql},  # one\n"
		  "]\n");
}

/* Edits made in any order land sorted; overlapping ones are refused. */
static void test_overlap(void **state)
{
	struct fixture *f = *state;
	char *out;
	size_t len;

	assert_int_equal(varve_rewrite__new(&f->rw, "abcdef", 6), 0);
	assert_int_equal(varve_rewrite__replace(f->rw, 4, 5, "E"), 0);
	assert_int_equal(varve_rewrite__replace(f->rw, 0, 0, "<"), 0);
	assert_int_equal(varve_rewrite__replace(f->rw, 0, 1, "A"), 0);
	assert_int_equal(varve_rewrite__replace(f->rw, 6, 6, ">"), 0);
	expect(f, "<AbcdEf>");
	assert_int_equal(varve_rewrite__replace(f->rw, 3, 5, "x"), 0);
	assert_int_equal(varve_rewrite__apply(f->rw, &out, &len), VARVE_EINVALID);
	assert_null(out);
}

/* ---------------------------------------------------------------------------
 * Writing
 */

static void test_write_keeps_mode(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	char buf[64] = "";
	FILE *fp;

	write_text(f->path, "old\n");
	assert_int_equal(chmod(f->path, 0640), 0);
	assert_int_equal(varve_rewrite__new(&f->rw, "old\n", 4), 0);
	assert_int_equal(varve_rewrite__replace(f->rw, 0, 3, "new"), 0);
	assert_int_equal(varve_rewrite__write(f->rw, f->path), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_non_null(fp = fopen(f->path, "r"));
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "new\n");
}

/*
 * The temporary file's name is predictable (pid and a counter): symlinks
 * planted at the first names are never followed, the next free name is
 * taken. First in main(), so that the counter starts at 0.
 */
static void test_write_ignores_planted_symlinks(void **state)
{
	struct fixture *f = *state;
	char victim[128], link[200], buf[64] = "";
	struct stat st;
	FILE *fp;

	snprintf(victim, sizeof(victim), "%s/victim", f->dir);
	write_text(victim, "untouched\n");
	for (unsigned i = 0; i < 32; i++) {
		snprintf(link, sizeof(link), "%s/.varve.yaml.%ld.%u.tmp", f->dir,
			 (long)getpid(), i);
		assert_int_equal(symlink(victim, link), 0);
	}
	write_text(f->path, "old\n");
	assert_int_equal(varve_rewrite__write_file(f->path, "new\n", 4, 0644), 0);
	assert_non_null(fp = fopen(victim, "r"));
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "untouched\n");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_non_null(fp = fopen(f->path, "r"));
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "new\n");
}

/* A new file gets what the umask leaves; an existing one keeps its mode. */
static void test_write_new_file_umask(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	mode_t old = umask(077);

	assert_int_equal(varve_rewrite__write_file(f->path, "x\n", 2, 0644), 0);
	umask(old);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

/* A folder where nothing can be created: the original stays as it was. */
static void test_write_failure_leaves_original(void **state)
{
	struct fixture *f = *state;
	char buf[64] = "";
	FILE *fp;

	if (geteuid() == 0)
		skip(); /* root writes anywhere */
	write_text(f->path, "old\n");
	assert_int_equal(varve_rewrite__new(&f->rw, "old\n", 4), 0);
	assert_int_equal(varve_rewrite__replace(f->rw, 0, 3, "new"), 0);
	assert_int_equal(chmod(f->dir, 0500), 0);
	assert_int_equal(varve_rewrite__write(f->rw, f->path), VARVE_EIO);
	assert_int_equal(chmod(f->dir, 0700), 0);
	assert_non_null(fp = fopen(f->path, "r"));
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "old\n");
}

/* A rename that fails (over a folder): no temporary file is left behind. */
static void test_write_failure_cleans_up(void **state)
{
	struct fixture *f = *state;
	char sub[200];
	int entries = 0;
	DIR *d;

	snprintf(sub, sizeof(sub), "%s/varve.yaml", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(varve_rewrite__new(&f->rw, "new\n", 4), 0);
	assert_int_equal(varve_rewrite__write(f->rw, sub), VARVE_EIO);
	assert_non_null(d = opendir(f->dir));
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		entries += e->d_name[0] != '.' || strstr(e->d_name, ".tmp") != NULL;
	closedir(d);
	assert_int_equal(entries, 1);
}

/* An edit planned from one text is refused once the file holds another;
 * the lock is taken and given back. */
static void test_unchanged_and_lock(void **state)
{
	struct fixture *f = *state;
	char path[200];
	int lock = -1;

	snprintf(path, sizeof(path), "%s/varve.yaml", f->dir);
	assert_int_equal(varve_rewrite__write_file(path, "a: 1\n", 5, 0644), 0);
	assert_int_equal(varve_rewrite__open(&f->rw, path), 0);
	assert_int_equal(varve_rewrite__lock(path, &lock), 0);
	assert_true(lock >= 0);
	assert_int_equal(varve_rewrite__unchanged(f->rw, path), 0);
	assert_int_equal(varve_rewrite__write_file(path, "a: 2\n", 5, 0644), 0);
	assert_int_equal(varve_rewrite__unchanged(f->rw, path), VARVE_ECHANGED);
	assert_non_null(strstr(varve_error_last(), "changed since it was read"));
	varve_rewrite__unlock(lock);
	/* Released: taking it again does not wait. */
	assert_int_equal(varve_rewrite__lock(path, &lock), 0);
	varve_rewrite__unlock(lock);
}

/* The number of entries in the fixture's folder, temporary files included. */
static int entries_in(const char *dir)
{
	int n = 0;
	DIR *d;

	assert_non_null(d = opendir(dir));
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Staged text stays beside the manifest until installed, or goes when discarded. */
static void test_stage_install_discard(void **state)
{
	struct fixture *f = *state;
	char buf[64] = "", *tmp = NULL;
	FILE *fp;

	write_text(f->path, "old\n");
	assert_int_equal(varve_rewrite__new(&f->rw, "old\n", 4), 0);
	assert_int_equal(varve_rewrite__replace(f->rw, 0, 3, "new"), 0);
	assert_int_equal(varve_rewrite__stage(f->rw, &tmp, f->path), 0);
	assert_non_null(tmp);
	assert_int_equal(entries_in(f->dir), 2);
	varve_rewrite__discard(tmp);
	assert_int_equal(entries_in(f->dir), 1);

	assert_int_equal(varve_rewrite__stage(f->rw, &tmp, f->path), 0);
	assert_non_null(fp = fopen(f->path, "r"));
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "old\n");
	assert_int_equal(varve_rewrite__install(tmp, f->path), 0);
	assert_int_equal(entries_in(f->dir), 1);
	assert_non_null(fp = fopen(f->path, "r"));
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "new\n");
}

/*
 * A temporary file of a process that is gone is stale (a kill -9 left
 * it); one of a live process, of this one, or a name of another shape,
 * is not.
 */
static void test_stale(void **state)
{
	char name[128];
	size_t base = 0;
	pid_t dead = fork();

	(void)state;
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	snprintf(name, sizeof(name), ".varve.yaml.%ld.0.tmp", (long)dead);
	assert_true(varve_rewrite__stale(name, &base));
	assert_int_equal(base, strlen("varve.yaml"));
	snprintf(name, sizeof(name), "..varve-fix.journal.%ld.12.tmp", (long)dead);
	assert_true(varve_rewrite__stale(name, &base));
	assert_int_equal(base, strlen(".varve-fix.journal"));
	snprintf(name, sizeof(name), ".varve.yaml.%ld.0.tmp", (long)getpid());
	assert_false(varve_rewrite__stale(name, &base));
	assert_false(varve_rewrite__stale(".varve.yaml.1.0.tmp", &base)); /* init lives */
	assert_false(varve_rewrite__stale(".varve.yaml.x.0.tmp", &base));
	assert_false(varve_rewrite__stale("varve.yaml.99999999.0.tmp", &base));
	assert_false(varve_rewrite__stale(".varve.yaml.99999999.tmp", &base));
	assert_false(varve_rewrite__stale(".varve.yaml.0.0.tmp", &base));
	assert_false(varve_rewrite__stale("..0.tmp", &base));
	assert_false(varve_rewrite__stale(".99999999999.0.tmp", &base));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_write_ignores_planted_symlinks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replace_keeps_style, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_plain_needs_quotes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replace_refuses_mismatch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flow_parents_crlf, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bom_flow_manifest, setup, teardown),
	    cmocka_unit_test(test_scalar_quoting),
	    cmocka_unit_test_setup_teardown(test_insert_key_after_comments, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_insert_key_after_block_scalar, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_append_block, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_append_crlf_no_final_break, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_append_to_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_append_flow_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overlap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_keeps_mode, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_new_file_umask, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_failure_leaves_original, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_failure_cleans_up, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unchanged_and_lock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stage_install_discard, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
