/* Unit tests for connection resolution, redaction and connect errors (lib/pg.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

/*
 * Every way a password reached the screen in the second hardening round
 * (issue 10 section 2): what each redactor makes of it, and that the
 * secret is gone. `conninfo` is varve_conninfo_redact's result (NULL:
 * only the secret's absence is checked), text is varve_text_redact's.
 */
static const struct {
	const char *in;
	const char *conninfo;
} leaks[] = {
	/* SQLAlchemy's dialect+driver, typos of the scheme, other schemes */
	{ "postgresql+psycopg2://app:s3cret@db/app", "postgresql+psycopg2://app:***@db/app" },
	{ "postgres+asyncpg://app:s3cret@db/app", "postgres+asyncpg://app:***@db/app" },
	{ "postgress://app:s3cret@db/app", "postgress://app:***@db/app" },
	{ "pg://app:s3cret@db/app", "pg://app:***@db/app" },
	{ "pg://app@db/app?password=s3cret", "pg://app@db/app?password=***" },
	/* not a URI to libpq: a database name the server echoes */
	{ "postgresql:/app:s3cret@db/app", "postgresql:/app:***@db/app" },
	{ "app:s3cret@db/app", "app:***@db/app" },
	{ "app:s3cret@db", "app:***@db" },
	{ "dbname='app:s3cret@db/app'", "dbname='app:***@db/app'" },
	/* a password equal to another field's value */
	{ "postgresql://u:s3cret@h/db?application_name=s3cret",
	  "postgresql://u:***@h/db?application_name=***" },
	{ "host=h password=s3cret application_name=s3cret",
	  "host=h password=*** application_name=***" },
	{ "postgresql://s3cret:s3cret@h/db", "postgresql://***:***@h/db" },
	/* as before */
	{ "postgresql://u:s3cret@h/db", "postgresql://u:***@h/db" },
	{ "host=h password='s3 cret'", "host=h password=***" },
};

static void test_redact_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(leaks) / sizeof(leaks[0]); i++) {
		char *got = varve_conninfo_redact(leaks[i].in);
		char *text = varve_text_redact(leaks[i].in);
		char *quoted, line[512];

		snprintf(line, sizeof(line), "invalid target '%s' (see 'varve %s')", leaks[i].in,
			 leaks[i].in);
		quoted = varve_text_redact(line);
		assert_non_null(got);
		assert_non_null(text);
		assert_non_null(quoted);
		if (strstr(got, "s3cret") || strstr(text, "s3cret") || strstr(quoted, "s3cret"))
			fail_msg("'%s' leaks: '%s' / '%s' / '%s'", leaks[i].in, got, text, quoted);
		if (leaks[i].conninfo)
			assert_string_equal(got, leaks[i].conninfo);
		free(got);
		free(text);
		free(quoted);
	}
}

static void test_text_redact(void **state)
{
	char *got;

	(void)state;
	/* A check finding that quotes a URL put into lock_timeout. */
	got = varve_text_redact("timeout.yaml:3:17: error: invalid 'database.lock_timeout' "
				"'postgresql://u:s3cret@h/db' (expected digits) [manifest-schema]");
	assert_string_equal(got, "timeout.yaml:3:17: error: invalid 'database.lock_timeout' "
				 "'postgresql://u:***@h/db' (expected digits) [manifest-schema]");
	free(got);
	got = varve_text_redact("x password = 'a b' and PASSWORD=c&d=e");
	assert_string_equal(got, "x password = *** and PASSWORD=***&d=e");
	free(got);
	/* Positions, times, addresses and plain words stay. */
	got = varve_text_redact("a.sql:3:1: error at 12:30, mail me@example.com or git@h:o/r");
	assert_string_equal(got, "a.sql:3:1: error at 12:30, mail me@example.com or git@h:o/r");
	free(got);
	got = varve_text_redact("");
	assert_string_equal(got, "");
	free(got);
}

static void test_resolve_strips_driver(void **state)
{
	char *out;

	(void)state;
	unsetenv("VARVE_DATABASE_URL");
	unsetenv("DATABASE_URL");
	assert_int_equal(varve_conninfo_resolve(&out, "postgresql+psycopg2://app:pw@db/app", NULL), 0);
	assert_string_equal(out, "postgresql://app:pw@db/app");
	free(out);
	setenv("DATABASE_URL", "postgres+asyncpg:///app", 1);
	assert_int_equal(varve_conninfo_resolve(&out, NULL, NULL), 0);
	assert_string_equal(out, "postgres:///app");
	free(out);
	unsetenv("DATABASE_URL");
	assert_int_equal(varve_conninfo_resolve(&out, NULL, "postgresql+pg8000://u@h/d"), 0);
	assert_string_equal(out, "postgresql://u@h/d");
	free(out);
	/* Only libpq's own schemes lose a driver. */
	assert_int_equal(varve_conninfo_resolve(&out, "mysql+pymysql://u@h/d", NULL), 0);
	assert_string_equal(out, "mysql+pymysql://u@h/d");
	free(out);
}

static void test_connect_schemes(void **state)
{
	PGconn *conn;

	(void)state;
	/* The driver goes: libpq gets a URI it reads, and tries the socket. */
	check_connect_hides("postgresql+psycopg2://u:hunter2@%2Fnonexistent%2Fvarve-socket/db",
			    "hunter2");
	for (size_t i = 0; i < 3; i++) {
		static const char *const urls[] = {
			"pg://u:hunter2@h/db", "postgress://u:hunter2@h/db",
			"mysql+pymysql://u:hunter2@h/db",
		};

		assert_int_equal(varve_pg_connect(&conn, urls[i]), VARVE_EINVALID);
		assert_null(strstr(varve_error_last(), "hunter2"));
		assert_non_null(strstr(varve_error_last(), "unknown scheme"));
	}
}

/* A TCP port on 127.0.0.1 whose connections the kernel completes but
 * nobody ever answers: listen() without accept(). */
static int silent_listener(int *port)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	*port = ntohs(addr.sin_port);
	return fd;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The URL's and PGCONNECT_TIMEOUT's connect_timeout are honoured (the
 * default of 10 s is in tests/cli/connect.t, which waits for it once).
 * libpq counts whole seconds, so 2 s may end after one.
 */
static void test_connect_timeout(void **state)
{
	PGconn *conn;
	char url[128];
	struct timespec t0;
	int port, fd = silent_listener(&port);
	double took;

	(void)state;
	snprintf(url, sizeof(url), "postgresql://u@127.0.0.1:%d/db?connect_timeout=2", port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(varve_pg_connect(&conn, url), VARVE_ECONNECT);
	took = seconds_since(&t0);
	assert_non_null(strstr(varve_error_last(), "timeout expired"));
	assert_true(took >= 0.5 && took < 8);

	snprintf(url, sizeof(url), "host=127.0.0.1 port=%d dbname=db", port);
	setenv("PGCONNECT_TIMEOUT", "2", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(varve_pg_connect(&conn, url), VARVE_ECONNECT);
	took = seconds_since(&t0);
	unsetenv("PGCONNECT_TIMEOUT");
	assert_non_null(strstr(varve_error_last(), "timeout expired"));
	assert_true(took >= 0.5 && took < 8);
	close(fd);
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
	    cmocka_unit_test(test_redact_table),
	    cmocka_unit_test(test_text_redact),
	    cmocka_unit_test(test_resolve_strips_driver),
	    cmocka_unit_test(test_connect_schemes),
	    cmocka_unit_test(test_connect_timeout),
	};

	/* PGPASSWORD would be scrubbed too; keep the environment out of it. */
	unsetenv("PGPASSWORD");
	return cmocka_run_group_tests_name("pg", tests, NULL, NULL);
}
