/* Unit tests for connection resolution, redaction and connect errors (lib/pg.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

static void check_redact(const char *in, const char *want)
{
	char *got = varve_conninfo_redact(in);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_redact_uri(void **state)
{
	(void)state;
	check_redact("postgres://user:secret@host/db", "postgres://user:***@host/db");
	check_redact("postgresql://user:secret@host:5433/db?sslmode=require&password=x",
		     "postgresql://user:***@host:5433/db?sslmode=require&password=***");
	check_redact("postgres://user:secret@host/db?password=x",
		     "postgres://user:***@host/db?password=***");
	check_redact("postgres://user:p%40ss%2Fw@host/db", "postgres://user:***@host/db");
	/* An '@' in the password, unencoded: mask up to the last one. */
	check_redact("postgres://user:a@b@host/db", "postgres://user:***@host/db");
	/* A '/' in it: libpq finds no userinfo, but the mask still covers it. */
	check_redact("postgres://user:a/b@host/db", "postgres://user:***@host/db");
	/* A '?' in it does not start the query. */
	check_redact("postgres://user:a?b@host/db?sslmode=require",
		     "postgres://user:***@host/db?sslmode=require");
	/* libpq wants the scheme in lower case, but masking does not. */
	check_redact("POSTGRES://user:secret@host/db", "POSTGRES://user:***@host/db");
}

static void test_redact_uri_without_password(void **state)
{
	(void)state;
	check_redact("postgres://user@host/db", "postgres://user@host/db");
	check_redact("postgres://host:5432/db?sslmode=disable",
		     "postgres://host:5432/db?sslmode=disable");
	check_redact("postgresql://", "postgresql://");
	check_redact("postgres://[::1]:5432/db", "postgres://[::1]:5432/db");
}

static void test_redact_kv(void **state)
{
	(void)state;
	check_redact("host=h password=secret dbname=d", "host=h password=*** dbname=d");
	check_redact("host=h password='a b' user=u", "host=h password=*** user=u");
	check_redact("password = 'it\\'s' host=h", "password = *** host=h");
	check_redact("password=secret", "password=***");
	check_redact("host=h dbname='postgres://u:pw@h/db'",
		     "host=h dbname='postgres://u:***@h/db'");
}

static void test_redact_unchanged(void **state)
{
	(void)state;
	check_redact("", "");
	check_redact("host=/tmp port=5432 user=u", "host=/tmp port=5432 user=u");
	check_redact("mydb", "mydb");
	check_redact("passwordless=1", "passwordless=1");
}

static void test_resolve_order(void **state)
{
	char *out;

	(void)state;
	unsetenv("VARVE_DATABASE_URL");
	unsetenv("DATABASE_URL");
	assert_int_equal(varve_conninfo_resolve(&out, NULL, NULL), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(varve_conninfo_resolve(&out, NULL, "postgres:///m"), 0);
	assert_string_equal(out, "postgres:///m");
	free(out);
	setenv("DATABASE_URL", "postgres:///d", 1);
	assert_int_equal(varve_conninfo_resolve(&out, "", "postgres:///m"), 0);
	assert_string_equal(out, "postgres:///d");
	free(out);
	setenv("VARVE_DATABASE_URL", "postgres:///v", 1);
	assert_int_equal(varve_conninfo_resolve(&out, NULL, "postgres:///m"), 0);
	assert_string_equal(out, "postgres:///v");
	free(out);
	assert_int_equal(varve_conninfo_resolve(&out, "postgres:///f", "postgres:///m"), 0);
	assert_string_equal(out, "postgres:///f");
	free(out);
	setenv("VARVE_DATABASE_URL", "", 1);
	assert_int_equal(varve_conninfo_resolve(&out, NULL, NULL), 0);
	assert_string_equal(out, "postgres:///d");
	free(out);
	unsetenv("VARVE_DATABASE_URL");
	unsetenv("DATABASE_URL");
	/* A bare name is a database, as for psql; quotes are escaped. */
	assert_int_equal(varve_conninfo_resolve(&out, "my'db", NULL), 0);
	assert_string_equal(out, "dbname='my\\'db'");
	free(out);
	assert_int_equal(varve_conninfo_resolve(&out, "host=h dbname=x", NULL), 0);
	assert_string_equal(out, "host=h dbname=x");
	free(out);
}

static void check_connect_hides(const char *conninfo, const char *secret)
{
	PGconn *conn = (PGconn *)1;
	int error = varve_pg_connect(&conn, conninfo);

	assert_int_equal(error, VARVE_ECONNECT);
	assert_null(conn);
	assert_null(strstr(varve_error_last(), secret));
	assert_null(strchr(varve_error_last(), '\n'));
	assert_non_null(strstr(varve_error_last(), "***"));
}

static void test_connect_failure_hides_password(void **state)
{
	(void)state;
	check_connect_hides("host=/nonexistent/varve-socket password=hunter2", "hunter2");
	check_connect_hides("postgres://u:hunter2@%2Fnonexistent%2Fvarve-socket/db", "hunter2");
	check_connect_hides("postgres://u:hun%74er2@%2Fnonexistent%2Fhunter2/db", "hunter2");
	/* libpq echoes the socket path: a host that equals the password is masked too. */
	check_connect_hides("host=/nonexistent/hunter2 password=hunter2", "hunter2");
	check_connect_hides("postgres://u:hunter2?x@%2Fnonexistent%2Fvarve-socket/db", "hunter2");
	/* An unencoded '/': libpq reads "hunter2" as the port and echoes it. */
	check_connect_hides("postgres://u:hunter2/x@%2Fnonexistent%2Fvarve-socket/db", "hunter2");
	check_connect_hides("postgres://u:hun%74er2/x@%2Fnonexistent%2Fvarve-socket/db", "hunter2");
}

static void test_connect_invalid(void **state)
{
	PGconn *conn;

	(void)state;
	assert_int_equal(varve_pg_connect(&conn, "host=h password=hunter2 bogus=1"),
			 VARVE_EINVALID);
	assert_null(strstr(varve_error_last(), "hunter2"));
	assert_non_null(strstr(varve_error_last(), "bogus"));
	/* An unterminated quote swallows the password into another value. */
	assert_int_equal(varve_pg_connect(&conn, "host='h password=hunter2"), VARVE_EINVALID);
	assert_null(strstr(varve_error_last(), "hunter2"));
	/* Not a URI to libpq, which echoes it whole. */
	assert_int_equal(varve_pg_connect(&conn, "POSTGRESQL://u:hunter2@h/db"), VARVE_EINVALID);
	assert_null(strstr(varve_error_last(), "hunter2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_redact_uri),
	    cmocka_unit_test(test_redact_uri_without_password),
	    cmocka_unit_test(test_redact_kv),
	    cmocka_unit_test(test_redact_unchanged),
	    cmocka_unit_test(test_resolve_order),
	    cmocka_unit_test(test_connect_failure_hides_password),
	    cmocka_unit_test(test_connect_invalid),
	};

	/* PGPASSWORD would be scrubbed too; keep the environment out of it. */
	unsetenv("PGPASSWORD");
	return cmocka_run_group_tests_name("pg", tests, NULL, NULL);
}
