/* Unit tests for lib/sqlfile.c: sections, positions, checksum, statements. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "buf.h"
#include "sqlfile.h"

static char dir[64];
static unsigned counter;

/* Write `len` bytes to a new file in the test folder; returns its path. */
static const char *write_bytes(const char *data, size_t len)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/f%u.sql", dir, counter++);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static const char *write_file(const char *text)
{
	return write_bytes(text, strlen(text));
}

/* Read `text` as a `file` (split) and expect no findings. */
static varve_sqlfile *read_split(const char *text)
{
	varve_diag_list *diags;
	varve_sqlfile *file;

	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_sqlfile_read(&file, write_file(text), "m.sql",
					    true, VARVE_SECTION_UP, diags),
			 0);
	assert_int_equal(varve_diag_list_count(diags), 0);
	varve_diag_list_free(diags);
	return file;
}

static void assert_section(const varve_sqlfile *file, varve_section_kind kind,
			   const char *want, unsigned first_line)
{
	size_t len;
	const char *text = varve_sqlfile_text(file, kind, &len);

	if (!want) {
		assert_false(varve_sqlfile_has(file, kind));
		assert_null(text);
		return;
	}
	assert_true(varve_sqlfile_has(file, kind));
	assert_non_null(text);
	assert_int_equal(len, strlen(want));
	assert_string_equal(text, want);
	assert_int_equal(varve_sqlfile_first_line(file, kind), first_line);
}

static void test_canonical(void **state)
{
	varve_sqlfile *file = read_split("-- upgrade --\n"
					 "CREATE TABLE t (id int);\n"
					 "-- downgrade --\n"
					 "DROP TABLE t;\n");

	(void)state;
	assert_section(file, VARVE_SECTION_UP, "CREATE TABLE t (id int);\n", 2);
	assert_section(file, VARVE_SECTION_DOWN, "DROP TABLE t;\n", 4);
	varve_sqlfile_free(file);
}

static void test_every_style(void **state)
{
	static const char *const styles[][2] = {
		{ "-- upgrade --", "-- downgrade --" },
		{ "-- upgrade", "-- downgrade" },
		{ "  --   UPGRADE   --  ", "\t--DownGrade--" },
		{ "-- UP", "-- DOWN" },
		{ "-- up --", "--down" },
		{ "-- migrate:up", "-- migrate:down" },
		{ "-- migrate:up transaction:false", "-- MIGRATE:DOWN" },
		{ "-- +goose Up", "-- +goose Down" },
		{ "--+GOOSE   up ", "-- +goose DOWN" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
		char text[256];
		varve_sqlfile *file;

		snprintf(text, sizeof(text),
			 "-- licence: MIT\n%s\nSELECT 1;\n%s\nSELECT 2;\n",
			 styles[i][0], styles[i][1]);
		file = read_split(text);
		assert_section(file, VARVE_SECTION_UP, "SELECT 1;\n", 3);
		assert_section(file, VARVE_SECTION_DOWN, "SELECT 2;\n", 5);
		varve_sqlfile_free(file);
	}
}

static void test_not_markers(void **state)
{
	const char *text = "-- upgrade the users table\n"
			   "-- up next: an index\n"
			   "--- up\n"
			   "-- +goose StatementBegin\n"
			   "-- downgrade is a no-op --x\n"
			   "SELECT 1;\n";
	varve_sqlfile *file = read_split(text);

	(void)state;
	assert_section(file, VARVE_SECTION_UP, text, 1);
	assert_section(file, VARVE_SECTION_DOWN, NULL, 0);
	varve_sqlfile_free(file);
}

static void test_crlf(void **state)
{
	varve_sqlfile *file = read_split("-- Upgrade --\r\n"
					 "CREATE TABLE t (id int);\r\n"
					 "-- Downgrade --\r\n"
					 "DROP TABLE t;\r\n");
	varve_statement *st;
	size_t n;
	unsigned line, column;

	(void)state;
	assert_section(file, VARVE_SECTION_UP, "CREATE TABLE t (id int);\r\n",
		       2);
	assert_section(file, VARVE_SECTION_DOWN, "DROP TABLE t;\r\n", 4);
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_DOWN,
						  &st, &n, NULL),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(st[0].offset, 0);
	assert_int_equal(st[0].length, strlen("DROP TABLE t"));
	varve_sqlfile_position(file, VARVE_SECTION_DOWN, 5, &line, &column);
	assert_int_equal(line, 4);
	assert_int_equal(column, 6);
	free(st);
	varve_sqlfile_free(file);
}

static void test_undo(void **state)
{
	varve_sqlfile *file = read_split("CREATE TABLE t ();\n"
					 "  -- @undo\n"
					 "DROP TABLE t;\n");

	(void)state;
	assert_section(file, VARVE_SECTION_UP, "CREATE TABLE t ();\n", 1);
	assert_section(file, VARVE_SECTION_DOWN, "DROP TABLE t;\n", 3);
	varve_sqlfile_free(file);
}

static void test_no_markers(void **state)
{
	varve_sqlfile *file = read_split("-- a comment\nSELECT 1;\n");

	(void)state;
	assert_section(file, VARVE_SECTION_UP, "-- a comment\nSELECT 1;\n", 1);
	assert_section(file, VARVE_SECTION_DOWN, NULL, 0);
	varve_sqlfile_free(file);
}

static void test_up_only(void **state)
{
	varve_sqlfile *file = read_split("-- upgrade --\nSELECT 1;");

	(void)state;
	assert_section(file, VARVE_SECTION_UP, "SELECT 1;", 2);
	assert_section(file, VARVE_SECTION_DOWN, NULL, 0);
	varve_sqlfile_free(file);
}

static void test_empty_downgrade(void **state)
{
	varve_sqlfile *file = read_split("-- upgrade --\nSELECT 1;\n"
					 "-- downgrade --\n"
					 "-- nothing to undo\n/* really */\n");
	varve_statement *st = (varve_statement *)1;
	size_t n = 99;

	(void)state;
	assert_true(varve_sqlfile_has(file, VARVE_SECTION_DOWN));
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_DOWN,
						  &st, &n, NULL),
			 0);
	assert_int_equal(n, 0);
	assert_null(st);
	varve_sqlfile_free(file);

	/* A marker on the last line without a newline: present and empty. */
	file = read_split("-- upgrade --\nSELECT 1;\n-- downgrade --");
	assert_section(file, VARVE_SECTION_DOWN, "", 3);
	varve_sqlfile_free(file);
}

/* Read `text` split, expect exactly one finding and return it (copied). */
static void one_finding(const char *text, unsigned line, unsigned column,
			const char *needle)
{
	varve_diag_list *diags;
	varve_sqlfile *file;
	const varve_diag *d;

	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_sqlfile_read(&file, write_file(text), "m.sql",
					    true, VARVE_SECTION_UP, diags),
			 0);
	assert_int_equal(varve_diag_list_count(diags), 1);
	d = varve_diag_list_at(diags, 0);
	assert_string_equal(d->code, "sql-syntax");
	assert_int_equal(d->severity, VARVE_SEVERITY_ERROR);
	assert_string_equal(d->file, "m.sql");
	assert_int_equal(d->line, line);
	assert_int_equal(d->column, column);
	if (!strstr(d->message, needle))
		fail_msg("'%s' lacks '%s'", d->message, needle);
	varve_sqlfile_free(file);
	varve_diag_list_free(diags);
}

static void test_sql_before_marker(void **state)
{
	(void)state;
	one_finding("-- licence\n  SELECT 1;\n-- upgrade --\nSELECT 2;\n", 2, 3,
		    "SQL before the marker '-- upgrade --' belongs to no "
		    "section: move it below the marker");
	one_finding("/* header */ SELECT 1;\n-- DOWN\nSELECT 2;\n-- UP\n", 1, 14,
		    "add '-- UP' above it");
	one_finding("SELECT 1;\n-- +goose Down\nSELECT 2;\n", 1, 1,
		    "add '-- +goose Up' above it");
	/* Comments alone before the marker are fine. */
	varve_sqlfile_free(read_split("-- licence\n/* more\n  text */\n"
				      "-- upgrade --\nSELECT 1;\n"));
}

static void test_repeated_marker(void **state)
{
	varve_sqlfile *file;
	varve_diag_list *diags;

	(void)state;
	one_finding("-- up\nSELECT 1;\n  -- UP\nSELECT 2;\n", 3, 3,
		    "repeated marker '-- UP': the upgrade section began at "
		    "line 1");
	one_finding("-- up\nSELECT 1;\n-- down\nSELECT 2;\n-- down\n", 5, 1,
		    "the downgrade section began at line 3");
	one_finding("SELECT 1;\n-- @UNDO\nSELECT 2;\n-- up\n", 4, 1,
		    "repeated marker '-- up'");

	/* The repeated marker stays in its section as a comment. */
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(
		varve_sqlfile_read(&file, write_file("-- up\nA;\n-- up\nB;\n"),
				   NULL, true, VARVE_SECTION_UP, diags),
		0);
	assert_section(file, VARVE_SECTION_UP, "A;\n-- up\nB;\n", 2);
	varve_sqlfile_free(file);
	varve_diag_list_free(diags);
}

static void test_unsplit(void **state)
{
	varve_diag_list *diags;
	varve_sqlfile *file;
	const char *text = "-- downgrade --\nDROP TABLE t;\n";

	(void)state;
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_sqlfile_read(&file, write_file(text), NULL,
					    false, VARVE_SECTION_DOWN, diags),
			 0);
	assert_section(file, VARVE_SECTION_UP, NULL, 0);
	assert_section(file, VARVE_SECTION_DOWN, text, 1);
	assert_int_equal(varve_diag_list_count(diags), 0);
	varve_sqlfile_free(file);
	varve_diag_list_free(diags);
}

static void test_bom(void **state)
{
	varve_sqlfile *file = read_split("\xEF\xBB\xBF-- upgrade --\nSELECT 1;\n");
	varve_statement *st;
	size_t n;
	unsigned line, column;

	(void)state;
	assert_section(file, VARVE_SECTION_UP, "SELECT 1;\n", 2);
	varve_sqlfile_free(file);

	file = read_split("\xEF\xBB\xBFSELECT 1;\n");
	assert_section(file, VARVE_SECTION_UP, "SELECT 1;\n", 1);
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_UP, &st,
						  &n, NULL),
			 0);
	assert_int_equal(n, 1);
	varve_sqlfile_position(file, VARVE_SECTION_UP, st[0].offset, &line,
			       &column);
	assert_int_equal(line, 1);
	assert_int_equal(column, 1);
	free(st);
	varve_sqlfile_free(file);
}

static void test_read_errors(void **state)
{
	varve_sqlfile *file = (varve_sqlfile *)1;
	char path[128];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/absent.sql", dir);
	assert_int_equal(varve_sqlfile_read(&file, path, "absent.sql", true,
					    VARVE_SECTION_UP, NULL),
			 VARVE_EIO);
	assert_null(file);
	assert_non_null(strstr(varve_error_last(), "cannot read 'absent.sql'"));

	snprintf(path, sizeof(path), "%s/huge.sql", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 16 * 1024 * 1024 + 1), 0);
	close(fd);
	assert_int_equal(varve_sqlfile_read(&file, path, "huge.sql", true,
					    VARVE_SECTION_UP, NULL),
			 VARVE_EINVALID);
	assert_null(file);
	assert_string_equal(varve_error_last(),
			    "'huge.sql' is larger than 16 MiB");

	assert_int_equal(varve_sqlfile_read(&file, dir, "dir", true,
					    VARVE_SECTION_UP, NULL),
			 VARVE_EIO);
}

/* A string literal and its length, NUL bytes inside included. */
#define LIT(s) s, sizeof(s) - 1

/*
 * Read `len` bytes split; expect exactly one finding with `code` at
 * line:column whose message holds `needle`, and return the file (or NULL
 * when `keep` is false).
 */
static varve_sqlfile *finding_in(const char *data, size_t len,
				 const char *code, unsigned line,
				 unsigned column, const char *needle, bool keep)
{
	varve_diag_list *diags;
	varve_sqlfile *file;
	const varve_diag *d;

	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_sqlfile_read(&file, write_bytes(data, len),
					    "m.sql", true, VARVE_SECTION_UP,
					    diags),
			 0);
	if (varve_diag_list_count(diags) != 1)
		fail_msg("%zu findings for '%.40s'", varve_diag_list_count(diags),
			 data);
	d = varve_diag_list_at(diags, 0);
	assert_string_equal(d->code, code);
	assert_int_equal(d->severity, VARVE_SEVERITY_ERROR);
	assert_int_equal(d->line, line);
	assert_int_equal(d->column, column);
	if (!strstr(d->message, needle))
		fail_msg("'%s' lacks '%s'", d->message, needle);
	varve_diag_list_free(diags);
	if (keep)
		return file;
	varve_sqlfile_free(file);
	return NULL;
}

/* The sections and the statements of `file`'s upgrade as analyze sees them:
 * the analysis must fail (VARVE_EINVALID) with no new finding. */
static void assert_unanalyzable(varve_sqlfile *file)
{
	varve_diag_list *diags;
	varve_statement *st = NULL;
	size_t n = 0;
	char sum[VARVE_CHECKSUM_LEN + 1];

	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_sqlfile__analyze(file, VARVE_SECTION_UP, sum,
						&st, &n, diags),
			 VARVE_EINVALID);
	assert_null(st);
	assert_string_equal(sum, "");
	varve_diag_list_free(diags);
}

static void test_cr_only(void **state)
{
	varve_sqlfile *file = read_split("-- upgrade --\r"
					 "CREATE TABLE t (id int);\r"
					 "-- downgrade --\r"
					 "DROP TABLE t;\r");
	unsigned line, column;

	(void)state;
	assert_section(file, VARVE_SECTION_UP, "CREATE TABLE t (id int);\r", 2);
	assert_section(file, VARVE_SECTION_DOWN, "DROP TABLE t;\r", 4);
	varve_sqlfile_position(file, VARVE_SECTION_DOWN, 5, &line, &column);
	assert_int_equal(line, 4);
	assert_int_equal(column, 6);
	varve_sqlfile_free(file);

	/* Mixed endings: each of LF, CRLF and CR ends one line. */
	file = read_split("-- a\n-- b\r\n-- c\r-- up\rSELECT 1;\r\n-- down\nSELECT 2;");
	assert_section(file, VARVE_SECTION_UP, "SELECT 1;\r\n", 5);
	assert_section(file, VARVE_SECTION_DOWN, "SELECT 2;", 7);
	varve_sqlfile_free(file);
	finding_in(LIT("-- x\r\rSELECT 1;\r-- upgrade --\rSELECT 2;\r"),
		   "sql-syntax", 3, 1, "belongs to no section", false);
}

static void test_unicode_space(void **state)
{
	static const char *const downs[] = {
		"-- downgrade --\xC2\xA0",         /* no-break space */
		"--\xE2\x80\x83" "downgrade",      /* em space */
		"\xE3\x80\x80-- DOWN\xE2\x80\x8B", /* ideographic, zero width */
		"-- migrate:down\xC2\xA0",
		"-- +goose\xC2\xA0" "Down",
		"\xEF\xBB\xBF-- @undo",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(downs) / sizeof(downs[0]); i++) {
		char text[128];
		varve_sqlfile *file;

		snprintf(text, sizeof(text), "%s\nSELECT 1;\n%s\nDROP TABLE t;\n",
			 strstr(downs[i], "goose") ? "-- +goose Up" : "-- up",
			 downs[i]);
		if (strstr(downs[i], "undo"))
			snprintf(text, sizeof(text), "SELECT 1;\n%s\nDROP TABLE t;\n",
				 downs[i]);
		file = read_split(text);
		assert_section(file, VARVE_SECTION_DOWN, "DROP TABLE t;\n", 4 - !!strstr(downs[i], "undo"));
		varve_sqlfile_free(file);
	}
}

static void test_unrecognised_markers(void **state)
{
	static const char *const bad[] = {
		"-- UP:", "-- downgrade -", "-- Upgrade ---", "-- DOWN;",
		"-- @UNDO!", "-- migrate:upp", "-- migrate: down", "-- migrate:",
		"-- +goose", "-- +goose Up now", "-- +goose ENVSUB ON",
		"-- name: migrate-0001-upgrade", "-- name: migrate-1 -up",
	};
	/* Comments that only look alike: none is flagged. */
	const char *fine = "-- upgrade the users table\n"
			   "-- Upgrade: adds the users table\n"
			   "-- down here, the rest\n"
			   "-- up 2 rows\n"
			   "--- up\n"
			   "-- +goose StatementBegin\n"
			   "-- +goose StatementEnd\n"
			   "-- name: get-users\n"
			   "-- name: migrate\n"
			   "-- migrated: yes\n"
			   "-- downgraded?\n"
			   "SELECT 1;\n";
	varve_sqlfile *file;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128];
		int n = snprintf(text, sizeof(text), "SELECT 1;\n  %s\nSELECT 2;\n",
				 bad[i]);
		char needle[64];

		snprintf(needle, sizeof(needle), "'%s' looks like a section marker", bad[i]);
		file = finding_in(text, (size_t)n, "unrecognised-marker", 2, 3,
				  needle, true);
		/* It stays a comment in its section. */
		assert_non_null(strstr(varve_sqlfile_text(file, VARVE_SECTION_UP, NULL),
				       bad[i]));
		varve_sqlfile_free(file);
	}
	file = read_split(fine);
	assert_section(file, VARVE_SECTION_UP, fine, 1);
	varve_sqlfile_free(file);
	finding_in(LIT("-- +goose Up\n-- +goose ENVSUB ON\nSELECT '${X}';\n"),
		   "unrecognised-marker", 2, 1,
		   "varve does not substitute environment variables", false);
}

static void test_sqlspec_markers(void **state)
{
	varve_sqlfile *file = read_split(
		"-- SQLSpec Migration\n"
		"-- Version: 0001\n"
		"-- Description: create users\n"
		"\n"
		"-- name: migrate-0001-up\n"
		"CREATE TABLE users (id int);\n"
		"\n"
		"-- name: migrate-0001-down\n"
		"DROP TABLE users;\n");

	(void)state;
	assert_section(file, VARVE_SECTION_UP, "CREATE TABLE users (id int);\n\n", 6);
	assert_section(file, VARVE_SECTION_DOWN, "DROP TABLE users;\n", 9);
	varve_sqlfile_free(file);
	file = read_split("--name:  MIGRATE-20250101120000_a-UP \n"
			  "SELECT 1;\n");
	assert_section(file, VARVE_SECTION_UP, "SELECT 1;\n", 2);
	varve_sqlfile_free(file);
}

static void test_downgrade_marker_only(void **state)
{
	static const char *const downs[] = {
		"-- DOWN", "-- downgrade --", "-- migrate:down", "-- @UNDO",
		"-- name: migrate-1-down",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(downs) / sizeof(downs[0]); i++) {
		char text[128];
		varve_sqlfile *file;

		/* manticore's create_migration, as it writes a V1__ file. */
		snprintf(text, sizeof(text),
			 "-- Migration: create users table\n"
			 "CREATE TABLE users (id int);\n\n%s\nDROP TABLE users;\n",
			 downs[i]);
		file = read_split(text);
		assert_section(file, VARVE_SECTION_UP,
			       "-- Migration: create users table\n"
			       "CREATE TABLE users (id int);\n\n", 1);
		assert_section(file, VARVE_SECTION_DOWN, "DROP TABLE users;\n", 5);
		varve_sqlfile_free(file);
	}
	/* goose's files always say Up; without it the SQL is misplaced. */
	finding_in(LIT("SELECT 1;\n-- +goose Down\nSELECT 2;\n"), "sql-syntax", 1, 1,
		   "add '-- +goose Up' above it", false);
}

static void test_goose_no_transaction(void **state)
{
	varve_sqlfile *file = read_split("-- +goose NO TRANSACTION\n-- +goose Up\n"
					 "CREATE INDEX CONCURRENTLY i ON t (a);\n");

	(void)state;
	assert_true(varve_sqlfile__no_transaction(file));
	assert_section(file, VARVE_SECTION_UP, "CREATE INDEX CONCURRENTLY i ON t (a);\n", 3);
	varve_sqlfile_free(file);
	file = read_split("-- +goose Up\n-- +goose no   transaction\nSELECT 1;\n");
	assert_true(varve_sqlfile__no_transaction(file));
	varve_sqlfile_free(file);
	file = read_split("-- +goose Up\nSELECT 1;\n");
	assert_false(varve_sqlfile__no_transaction(file));
	varve_sqlfile_free(file);
}

static void test_bytes(void **state)
{
	varve_sqlfile *file;
	char sum[VARVE_CHECKSUM_LEN + 1];

	(void)state;
	/* A NUL byte: libpg_query would have read the text before it. */
	file = finding_in(LIT("CREATE TABLE a (id int);\0DROP TABLE important;"),
			  "sql-syntax", 1, 25, "unexpected NUL byte", true);
	assert_unanalyzable(file);
	assert_non_null(strstr(varve_error_last(), "holds a NUL byte"));
	varve_sqlfile_free(file);
	/* Before the first marker, too. */
	finding_in(LIT("-- x\0y\n-- upgrade --\nSELECT 1;\n"), "sql-syntax", 1, 5,
		   "unexpected NUL byte", false);

	/* Latin-1: the position of the first bad byte, in characters. */
	file = finding_in(LIT("-- up\nSELECT 'äb', 'caf\xE9';\n"), "invalid-encoding",
			  2, 18, "byte 0xE9 is not UTF-8", true);
	assert_unanalyzable(file);
	varve_sqlfile_free(file);
	finding_in(LIT("SELECT '\xC0\xAF';"), "invalid-encoding", 1, 9, "0xC0", false);
	finding_in(LIT("SELECT '\xED\xA0\x80';"), "invalid-encoding", 1, 9, "0xED", false);
	finding_in(LIT("SELECT '\xF4\x90\x80\x80';"), "invalid-encoding", 1, 9, "0xF4", false);
	finding_in(LIT("SELECT 1; -- \xE2\x82"), "invalid-encoding", 1, 14, "0xE2", false);
	/* Valid UTF-8 of every length reads. */
	varve_sqlfile_free(read_split("SELECT 'é€𝄞', \"ñ\";\n"));
	/* varve_checksum refuses a NUL too. */
	assert_int_equal(varve_checksum(sum, "SELECT 1;\0", 10), VARVE_EINVALID);
}

static void test_meta_commands(void **state)
{
	varve_diag_list *diags;
	varve_sqlfile *file;
	varve_statement *st;
	size_t n;
	const char *text = "-- upgrade --\nCREATE TABLE a (id int);\n\\! touch X\n";

	(void)state;
	file = read_split(text);
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_UP, &st, &n,
						  diags),
			 VARVE_EINVALID);
	assert_int_equal(varve_diag_list_count(diags), 1);
	assert_string_equal(varve_diag_list_at(diags, 0)->code, "psql-meta-command");
	assert_int_equal(varve_diag_list_at(diags, 0)->line, 3);
	assert_int_equal(varve_diag_list_at(diags, 0)->column, 1);
	assert_non_null(strstr(varve_diag_list_at(diags, 0)->message,
			       "psql meta-command '\\!'"));
	varve_diag_list_free(diags);
	varve_sqlfile_free(file);

	/* Backslashes inside strings, comments and dollar quotes are SQL. */
	file = read_split("SELECT E'\\\\n\\'', '\\', $$ \\i x $$; -- \\! no\n"
			  "/* \\set */ SELECT \"a\\b\";\n");
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_UP, &st, &n,
						  NULL),
			 0);
	assert_int_equal(n, 2);
	free(st);
	varve_sqlfile_free(file);
}

/* A file of `len` bytes: `head`, then `fill` repeated. */
static char *filled(const char *head, const char *fill, size_t len)
{
	char *s = malloc(len + 1);
	size_t h = strlen(head), f = strlen(fill), i;

	assert_non_null(s);
	memcpy(s, head, h);
	for (i = h; i + f <= len; i += f)
		memcpy(s + i, fill, f);
	memset(s + i, ' ', len - i);
	s[len] = '\0';
	return s;
}

/*
 * Inputs that made libpg_query's scanner take minutes (nested comments,
 * long operator runs, too many tokens) are refused by a linear pass with
 * their position; within the limits they read.
 */
static void test_limits(void **state)
{
	/* Sizes just over each bound: under valgrind, 16 MiB takes minutes
	 * (tests/cli/reader.t reads files of the 16 MiB limit). */
	size_t big;
	char *s;
	varve_sqlfile *file;
	char sum[VARVE_CHECKSUM_LEN + 1];

	(void)state;
	s = filled("", "/*", 200000);
	file = finding_in(s, 200000, "sql-too-complex", 1, 1,
			  "more than 256 nested comments", true);
	assert_unanalyzable(file);
	varve_sqlfile_free(file);
	assert_int_equal(varve_checksum(sum, s, 200000), VARVE_EINVALID);
	free(s);

	big = 2000;
	s = filled("SELECT 1;\n-- comment /*\n/* a */ SELECT ", "/*", big);
	finding_in(s, big, "sql-too-complex", 3, 16, "more than 256 nested", false);
	free(s);
	/* Nested, and in sequence: each comment's own count. */
	big = 18 * 200100;
	s = filled("", "/* /* /* */ */ */\n", big);
	finding_in(s, big, "sql-too-complex", 200001, 1, "more than 1000000 tokens", false);
	free(s);

	s = filled("SELECT 1 ", "+", 40009);
	finding_in(s, 40009, "sql-too-complex", 1, 10, "more than 256 operator", false);
	assert_int_equal(varve_checksum(sum, s, 40009), VARVE_EINVALID);
	free(s);
	big = 34 * 40100;
	s = filled("", "SELECT 1 +-+-+-+-+-+-+-+-+-+-+ 1;\n", big);
	finding_in(s, big, "sql-too-complex", 40001, 1, "more than 1000000 tokens", false);
	free(s);
	big = 1000100;
	s = filled("", ";", big);
	finding_in(s, big, "sql-too-complex", 1, 1000001, "more than 1000000 tokens", false);
	free(s);

	/* Within the limits: 256 nested, 256 operator characters, strings
	 * and comments whatever their length. */
	{
		varve_buf b = VARVE_BUF_INIT;

		varve_buf_puts(&b, "SELECT 1 /*");
		for (int i = 0; i < 256; i++)
			varve_buf_puts(&b, "/*");
		for (int i = 0; i < 257; i++)
			varve_buf_puts(&b, "*/");
		varve_buf_puts(&b, " + ");
		for (int i = 0; i < 255; i++)
			varve_buf_putc(&b, '+');
		varve_buf_puts(&b, "1;");
		file = read_split(varve_buf_cstr(&b));
		assert_int_equal(varve_checksum(sum, b.ptr, b.len), 0);
		varve_sqlfile_free(file);
		varve_buf_dispose(&b);
	}
	big = 4 * 1024 * 1024;
	s = filled("SELECT '", "x'' /* $$ ", big - 2);
	memcpy(s + big - 2 - 10, "';        ", 10);
	file = read_split(s);
	assert_int_equal(varve_checksum(sum, s, strlen(s)), 0);
	varve_sqlfile_free(file);
	free(s);
}

static void checksum_of(char out[VARVE_CHECKSUM_LEN + 1], const char *sql)
{
	assert_int_equal(varve_checksum(out, sql, strlen(sql)), 0);
	assert_int_equal(strlen(out), VARVE_CHECKSUM_LEN);
}

/*
 * The checksum computed the slow, obvious way: protobuf-c's unpacker and the
 * scanner's own token ends. Agrees with varve_checksum wherever those ends
 * are right (everything but U&"..." literals).
 */
static void reference_checksum(char out[VARVE_CHECKSUM_LEN + 1],
			       const char *sql)
{
	PgQueryScanResult r = pg_query_scan(sql);
	PgQuery__ScanResult *s;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32];
	unsigned int mdlen;
	size_t i;

	assert_null(r.error);
	s = pg_query__scan_result__unpack(NULL, r.pbuf.len,
					  (const uint8_t *)r.pbuf.data);
	assert_non_null(s);
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha256(), NULL), 1);
	for (i = 0; i < s->n_tokens; i++) {
		const PgQuery__ScanToken *t = s->tokens[i];

		if (t->token == PG_QUERY__TOKEN__SQL_COMMENT ||
		    t->token == PG_QUERY__TOKEN__C_COMMENT)
			continue;
		EVP_DigestUpdate(ctx, sql + t->start,
				 (size_t)(t->end - t->start));
		EVP_DigestUpdate(ctx, " ", 1);
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	memcpy(out, "sha256:", 7);
	for (i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	pg_query__scan_result__free_unpacked(s, NULL);
	pg_query_free_scan_result(r);
}

static void test_checksum(void **state)
{
	static const char *const same[] = {
		"CREATE TABLE t (id int primary key);\n",
		"CREATE TABLE t (id int primary key);",
		"CREATE   TABLE t(id int primary key) ;",
		"CREATE TABLE t (id int primary key);\r\n",
		"-- Copyright 2025 Example Corp.\n-- SPDX-License-Identifier: MIT\n"
		"\n/* a header */\nCREATE TABLE t (\n\tid int -- the key\n"
		"\t\tprimary key\n);\n\n",
		"CREATE/**/TABLE t(id int/* x */primary key);",
	};
	static const char *const different[] = {
		"CREATE TABLE t (id int primary key)",
		"CREATE TABLE t (id INT primary key);",
		"CREATE TABLE u (id int primary key);",
		"CREATE TABLE t (id int primary keys);",
		"CREATE TABLE \"t\" (id int primary key);",
	};
	char want[VARVE_CHECKSUM_LEN + 1], got[VARVE_CHECKSUM_LEN + 1];
	size_t i;

	(void)state;
	checksum_of(want, same[0]);
	/* Computed once; it must never change (deployed manifests hold it). */
	assert_string_equal(want, "sha256:"
			    "0d0a4da43386443d4108795333d27384fa4a47a750bf3aaa5b18a30f7c977cc7");
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		checksum_of(got, same[i]);
		assert_string_equal(got, want);
		reference_checksum(got, same[i]);
		assert_string_equal(got, want);
	}
	for (i = 0; i < sizeof(different) / sizeof(different[0]); i++) {
		checksum_of(got, different[i]);
		assert_string_not_equal(got, want);
	}

	/* Empty or comment-only text: the hash of nothing. */
	checksum_of(got, "-- nothing\n");
	assert_string_equal(got, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	/* An edit inside U&"..." counts even though the scanner's end is wrong. */
	checksum_of(want, "SELECT U&\"d\\0061t\";");
	checksum_of(got, "SELECT U&\"d\\0062t\";");
	assert_string_not_equal(got, want);
	checksum_of(want, "SELECT U&'d\\0061t';");
	checksum_of(got, "SELECT U&'d\\0062t';");
	assert_string_not_equal(got, want);

	/* `len` is honoured: the text need not be NUL-terminated. */
	assert_int_equal(varve_checksum(got, "SELECT 1;garbage", 9), 0);
	checksum_of(want, "SELECT 1;");
	assert_string_equal(got, want);

	assert_int_equal(varve_checksum(got, "SELECT 'abc", 11), VARVE_EINVALID);
	assert_non_null(strstr(varve_error_last(), "unterminated"));
	assert_int_equal(varve_checksum(got, "SELECT\0 1", 9), VARVE_EINVALID);
}

static void test_checksum_file_equals_up(void **state)
{
	const char *sql = "CREATE TABLE t (id int);\nCREATE INDEX ON t (id);\n";
	char text[256], a[VARVE_CHECKSUM_LEN + 1], b[VARVE_CHECKSUM_LEN + 1];
	char c[VARVE_CHECKSUM_LEN + 1];
	varve_sqlfile *file, *up;
	varve_statement *st;
	size_t len, n;
	const char *s;

	(void)state;
	snprintf(text, sizeof(text),
		 "-- licence\n-- upgrade --\n%s-- downgrade --\nDROP TABLE t;\n",
		 sql);
	file = read_split(text);
	assert_int_equal(varve_sqlfile_read(&up, write_file(sql), NULL, false,
					    VARVE_SECTION_UP, NULL),
			 0);
	s = varve_sqlfile_text(file, VARVE_SECTION_UP, &len);
	assert_int_equal(varve_checksum(a, s, len), 0);
	s = varve_sqlfile_text(up, VARVE_SECTION_UP, &len);
	assert_int_equal(varve_checksum(b, s, len), 0);
	assert_string_equal(a, b);
	checksum_of(c, sql);
	assert_string_equal(a, c);

	/* The combined call gives the same checksum and the statements. */
	assert_int_equal(varve_sqlfile__analyze(file, VARVE_SECTION_UP, c, &st,
						&n, NULL),
			 0);
	assert_string_equal(a, c);
	assert_int_equal(n, 2);
	free(st);
	assert_int_equal(varve_sqlfile__analyze(up, VARVE_SECTION_UP, c, NULL,
						NULL, NULL),
			 0);
	assert_string_equal(a, c);

	varve_sqlfile_free(file);
	varve_sqlfile_free(up);
}

static void test_syntax_error_position(void **state)
{
	const char *text = "-- licence line 1\n"
			   "-- line 2\n"
			   "-- line 3\n"
			   "-- line 4\n"
			   "-- line 5\n"
			   "-- upgrade --\n"
			   "-- straße, größe\n"
			   "SELECT 'ü' AS x; CREATE TABEL t ();\n"
			   "-- downgrade --\n"
			   "DROP TABLE t;\n";
	varve_diag_list *diags;
	varve_sqlfile *file;
	varve_statement *st = (varve_statement *)1;
	const varve_diag *d;
	size_t n = 99;

	(void)state;
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_sqlfile_read(&file, write_file(text), "m.sql",
					    true, VARVE_SECTION_UP, diags),
			 0);
	assert_int_equal(varve_sqlfile_first_line(file, VARVE_SECTION_UP), 7);
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_UP, &st,
						  &n, diags),
			 VARVE_EINVALID);
	assert_null(st);
	assert_int_equal(n, 0);
	assert_int_equal(varve_diag_list_count(diags), 1);
	d = varve_diag_list_at(diags, 0);
	assert_string_equal(d->code, "sql-syntax");
	assert_string_equal(d->file, "m.sql");
	assert_string_equal(d->message, "syntax error at or near \"TABEL\"");
	assert_int_equal(d->line, 8);
	assert_int_equal(d->column, 25); /* characters; the byte is 26 */
	assert_string_equal(varve_error_last(),
			    "m.sql:8:25: syntax error at or near \"TABEL\"");

	/* The downgrade is fine. */
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_DOWN,
						  &st, &n, diags),
			 0);
	assert_int_equal(n, 1);
	free(st);

	varve_sqlfile_free(file);
	varve_diag_list_free(diags);
}

static void test_syntax_error_scanner(void **state)
{
	varve_diag_list *diags;
	varve_sqlfile *file;
	varve_statement *st;
	char sum[VARVE_CHECKSUM_LEN + 1];
	const varve_diag *d;
	size_t n;

	(void)state;
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_sqlfile_read(&file,
					    write_file("SELECT 1;\nSELECT 'é', 'x\n"),
					    "u.sql", false, VARVE_SECTION_UP,
					    diags),
			 0);
	assert_int_equal(varve_sqlfile__analyze(file, VARVE_SECTION_UP, sum,
						&st, &n, diags),
			 VARVE_EINVALID);
	assert_string_equal(sum, "");
	assert_int_equal(varve_diag_list_count(diags), 1);
	d = varve_diag_list_at(diags, 0);
	assert_int_equal(d->line, 2);
	assert_int_equal(d->column, 13);
	assert_non_null(strstr(d->message, "unterminated quoted string"));
	varve_sqlfile_free(file);

	/* The message quotes the rest of the text: it is cut to one line. */
	{
		char text[4096];
		size_t i;

		memcpy(text, "SELECT 1;\n/* ", 13);
		for (i = 13; i < sizeof(text) - 1; i++)
			text[i] = 'x';
		text[i] = '\0';
		assert_int_equal(varve_sqlfile__read_buffer(&file, text,
							    strlen(text),
							    "c.sql", false,
							    VARVE_SECTION_UP,
							    diags),
				 0);
		assert_int_equal(varve_sqlfile_statements(file,
							  VARVE_SECTION_UP,
							  &st, &n, diags),
				 VARVE_EINVALID);
		d = varve_diag_list_at(diags, 1);
		assert_int_equal(d->line, 2);
		assert_int_equal(d->column, 1);
		assert_true(strlen(d->message) < 160);
		assert_non_null(strstr(d->message, "unterminated /* comment"));
		assert_non_null(strstr(d->message, "xxx...\""));
		varve_sqlfile_free(file);
	}

	/* A NUL byte: a positioned finding, not a silently shorter file. */
	assert_int_equal(varve_sqlfile_read(&file,
					    write_bytes("SELECT 1;\n\0DROP", 15),
					    "b.sql", false, VARVE_SECTION_UP,
					    diags),
			 0);
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_UP, &st,
						  &n, diags),
			 VARVE_EINVALID);
	assert_int_equal(varve_diag_list_count(diags), 3);
	d = varve_diag_list_at(diags, 2);
	assert_int_equal(d->line, 2);
	assert_int_equal(d->column, 1);
	assert_non_null(strstr(d->message, "NUL byte"));
	varve_sqlfile_free(file);
	varve_diag_list_free(diags);
}

struct kind_case {
	const char *sql;
	bool no_transaction;
	bool control;
};

static void test_statement_kinds(void **state)
{
	static const struct kind_case cases[] = {
		{ "CREATE INDEX CONCURRENTLY i ON t (a)", true, false },
		{ "create unique index concurrently if not exists i on t (a)", true, false },
		{ "CREATE INDEX i ON t (a)", false, false },
		{ "CREATE INDEX ON t (a)", false, false },
		{ "CREATE INDEX \"concurrently\" ON t (a)", false, false },
		{ "DROP INDEX CONCURRENTLY i", true, false },
		{ "DROP INDEX i", false, false },
		{ "REINDEX INDEX CONCURRENTLY i", true, false },
		{ "REINDEX (CONCURRENTLY) TABLE t", true, false },
		{ "REINDEX (CONCURRENTLY false) TABLE t", false, false },
		{ "REINDEX TABLE t", false, false },
		{ "REINDEX DATABASE d", true, false },
		{ "REINDEX SYSTEM d", true, false },
		{ "REINDEX SCHEMA s", true, false },
		{ "VACUUM", true, false },
		{ "VACUUM (ANALYZE) t", true, false },
		{ "ANALYZE t", false, false },
		{ "CREATE DATABASE d", true, false },
		{ "DROP DATABASE IF EXISTS d", true, false },
		{ "CREATE TABLESPACE ts LOCATION '/srv/ts'", true, false },
		{ "DROP TABLESPACE ts", true, false },
		{ "ALTER SYSTEM SET work_mem = '64MB'", true, false },
		{ "ALTER DATABASE d SET TABLESPACE ts", true, false },
		{ "ALTER DATABASE d SET work_mem = '64MB'", false, false },
		{ "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p", true, false },
		{ "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p "
		  "WITH (create_slot = false, slot_name = NONE, enabled = false)",
		  false, false },
		{ "DROP SUBSCRIPTION s", true, false },
		{ "ALTER SUBSCRIPTION s REFRESH PUBLICATION", true, false },
		{ "ALTER SUBSCRIPTION s SET PUBLICATION p", true, false },
		{ "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)", false, false },
		{ "ALTER SUBSCRIPTION s DISABLE", false, false },
		{ "ALTER TABLE t DETACH PARTITION p CONCURRENTLY", true, false },
		{ "ALTER TABLE t DETACH PARTITION p", false, false },
		{ "ALTER TABLE t ADD COLUMN a int", false, false },
		{ "CLUSTER", true, false },
		{ "CLUSTER VERBOSE", true, false },
		{ "CLUSTER t USING i", false, false },
		{ "DISCARD ALL", true, false },
		{ "DISCARD PLANS", false, false },
		{ "BEGIN", false, true },
		{ "BEGIN ISOLATION LEVEL SERIALIZABLE", false, true },
		{ "START TRANSACTION", false, true },
		{ "COMMIT", false, true },
		{ "COMMIT AND CHAIN", false, true },
		{ "END", false, true },
		{ "ROLLBACK", false, true },
		{ "ABORT", false, true },
		{ "PREPARE TRANSACTION 'x'", false, true },
		{ "COMMIT PREPARED 'x'", false, true },
		{ "ROLLBACK PREPARED 'x'", false, true },
		{ "SAVEPOINT a", false, false },
		{ "RELEASE SAVEPOINT a", false, false },
		{ "ROLLBACK TO SAVEPOINT a", false, false },
		{ "ROLLBACK TO a", false, false },
		{ "PREPARE q AS SELECT 1", false, false },
		{ "DO $$ BEGIN COMMIT; END $$", false, true },
		{ "do language plpgsql $body$ begin if true then rollback; "
		  "end if; end $body$", false, true },
		{ "DO 'BEGIN PERFORM 1; COMMIT; END'", false, true },
		{ "DO $$ BEGIN PERFORM commit FROM t; END $$", false, false },
		{ "DO $$ BEGIN RAISE NOTICE 'COMMIT;'; END $$", false, false },
		{ "DO LANGUAGE plperl $$ commit; $$", false, false },
		{ "CREATE FUNCTION f() RETURNS int LANGUAGE sql "
		  "BEGIN ATOMIC SELECT 1; END", false, false },
		{ "/* lead */ -- more\n  vacuum t", true, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		varve_sqlfile *file;
		varve_statement *st;
		size_t n;

		assert_int_equal(varve_sqlfile_read(&file,
						    write_file(cases[i].sql),
						    NULL, false,
						    VARVE_SECTION_UP, NULL),
				 0);
		if (varve_sqlfile_statements(file, VARVE_SECTION_UP, &st, &n,
					     NULL) != 0)
			fail_msg("'%s': %s", cases[i].sql, varve_error_last());
		if (n != 1 || st[0].needs_no_transaction !=
				      cases[i].no_transaction ||
		    st[0].transaction_control != cases[i].control)
			fail_msg("'%s': %zu statements, no_transaction %d, "
				 "control %d",
				 cases[i].sql, n,
				 n ? st[0].needs_no_transaction : -1,
				 n ? st[0].transaction_control : -1);
		free(st);
		varve_sqlfile_free(file);
	}
}

static void test_statement_offsets(void **state)
{
	const char *sql = "-- head\n"
			  "CREATE TABLE t (id int);  /* c */\n"
			  "\n"
			  "  CREATE INDEX ON t (id) -- tail\n"
			  ";;\n"
			  "SELECT 'ä', 1 -- no semicolon\n";
	varve_sqlfile *file = read_split(sql);
	varve_statement *st;
	size_t n;
	unsigned line, column;

	(void)state;
	assert_int_equal(varve_sqlfile_statements(file, VARVE_SECTION_UP, &st,
						  &n, NULL),
			 0);
	assert_int_equal(n, 3);
	assert_memory_equal(sql + st[0].offset, "CREATE TABLE t (id int)",
			    st[0].length);
	assert_int_equal(st[0].length, strlen("CREATE TABLE t (id int)"));
	assert_int_equal(st[1].length, strlen("CREATE INDEX ON t (id)"));
	assert_memory_equal(sql + st[1].offset, "CREATE INDEX ON t (id)",
			    st[1].length);
	assert_int_equal(st[2].length, strlen("SELECT 'ä', 1"));
	assert_memory_equal(sql + st[2].offset, "SELECT 'ä', 1",
			    st[2].length);
	varve_sqlfile_position(file, VARVE_SECTION_UP, st[1].offset, &line,
			       &column);
	assert_int_equal(line, 4);
	assert_int_equal(column, 3);
	varve_sqlfile_position(file, VARVE_SECTION_UP, st[2].offset + 11,
			       &line, &column);
	assert_int_equal(line, 6);
	assert_int_equal(column, 11); /* the 1 after 'ä', */
	free(st);
	varve_sqlfile_free(file);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/varve-sqlfile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[128];
	unsigned i;

	(void)state;
	for (i = 0; i < counter; i++) {
		snprintf(path, sizeof(path), "%s/f%u.sql", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/huge.sql", dir);
	unlink(path);
	rmdir(dir);
	/* libpg_query keeps a memory context per thread; give it back. */
	pg_query_exit();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_every_style),
		cmocka_unit_test(test_not_markers),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_no_markers),
		cmocka_unit_test(test_up_only),
		cmocka_unit_test(test_empty_downgrade),
		cmocka_unit_test(test_sql_before_marker),
		cmocka_unit_test(test_repeated_marker),
		cmocka_unit_test(test_unsplit),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_checksum_file_equals_up),
		cmocka_unit_test(test_syntax_error_position),
		cmocka_unit_test(test_syntax_error_scanner),
		cmocka_unit_test(test_statement_kinds),
		cmocka_unit_test(test_statement_offsets),
		cmocka_unit_test(test_cr_only),
		cmocka_unit_test(test_unicode_space),
		cmocka_unit_test(test_unrecognised_markers),
		cmocka_unit_test(test_sqlspec_markers),
		cmocka_unit_test(test_downgrade_marker_only),
		cmocka_unit_test(test_goose_no_transaction),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_meta_commands),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("sqlfile", tests, setup, teardown);
}
