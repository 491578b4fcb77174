/*
 * Unit tests for lib/db.c: the version table's DDL that the library embeds
 * is schemas/version_table.sql, token for token; and, on a scratch server,
 * names and values that would break SQL written with them unquoted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "db.h"
#include "graph.h"
#include "manifest.h"
#include "pg.h"
#include "pgutil.h"

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

/* The one value `sql` returns, copied. */
/* Whether schema.table exists under exactly these names. */
static void assert_table(PGconn *conn, const char *schema, const char *table)
{
	const char *params[] = { schema, table };
	PGresult *res = PQexecParams(conn,
		"SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
		"WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r'",
		2, NULL, params, NULL, NULL, 0);

	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	PQclear(res);
}

/*
 * The manifest's loader admits only plain identifiers as the version
 * table, but the library takes any name: every way it reaches SQL (the
 * runner's queries, the DDL, the --sql script) quotes it, and values
 * travel as parameters or quoted literals. A description with a quote,
 * a backslash and line breaks is stored as written, and nothing runs.
 */
/* A manifest of one entry, 0001, without SQL, and the plan to upgrade to
 * it. Fields of `mig` that the graph does not read may be set after. */
struct plan {
	varve_manifest *m;
	varve_migration *mig;
	varve_diag_list *diags;
	varve_graph *g;
	varve_steps *steps;
};

static void plan_one(struct plan *p)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(varve_manifest__new(&p->m, "varve.yaml"), 0);
	assert_int_equal(varve_manifest__add(p->m, &p->mig, "0001", NULL, 0), 0);
	assert_int_equal(varve_diag_list_new(&p->diags), 0);
	assert_int_equal(varve_graph_build(&p->g, p->m, p->diags), 0);
	assert_int_equal(varve_target_resolve(&p->steps, p->g, "head", VARVE_UPGRADE, NULL, 0), 0);
}

static void plan_free(struct plan *p)
{
	varve_steps_free(p->steps);
	varve_graph_free(p->g);
	varve_diag_list_free(p->diags);
	varve_manifest_free(p->m);
}

static void test_hostile_names_and_values(void **state)
{
	static const char desc[] = "it's \\'; DROP TABLE x; --\n\\! false\r\nDROP TABLE x;";
	const char *script_table = "Sch\"ema.va\"rve; drop table x; --";
	const char *run_table = "Run\"S.t\"2; drop table x; --";
	varve_scratch *s = NULL;
	struct plan p;
	varve_db *db = NULL;
	PGconn *conn = NULL;
	const varve_applied *rows;
	PGresult *res;
	char *script = NULL, *v;
	size_t n;

	(void)state;
	if (varve_scratch_start(&s, NULL) == VARVE_ENOTFOUND)
		skip(); /* no PostgreSQL server binaries here */
	assert_non_null(s);
	plan_one(&p);
	p.mig->description = desc; /* no SQL: only the bookkeeping */
	assert_int_equal(varve_pg_connect(&conn, varve_scratch_conninfo(s)), 0);
	PQclear(PQexec(conn, "CREATE TABLE x ()"));

	/* The script, as psql would send it, read with backslash escapes on. */
	assert_int_equal(varve_script(&script, p.g, p.steps, VARVE_UPGRADE, script_table), 0);
	PQclear(PQexec(conn, "SET standard_conforming_strings = off"));
	res = PQexec(conn, script);
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	PQclear(PQexec(conn, "RESET standard_conforming_strings"));
	assert_table(conn, "Sch\"ema", "va\"rve; drop table x; --");
	v = query1(conn, "SELECT description FROM \"Sch\"\"ema\".\"va\"\"rve; drop table x; --\"", NULL);
	assert_string_equal(v, desc);
	free(v);

	/* The runner: DDL, lock, stamp, rename, reload, all on the odd name. */
	assert_int_equal(varve_db_open(&db, varve_scratch_conninfo(s), run_table), 0);
	assert_string_equal(varve_db_table(db), "\"Run\"\"S\".\"t\"\"2; drop table x; --\"");
	assert_int_equal(varve_stamp(db, p.g, p.steps, VARVE_UPGRADE), 0);
	assert_table(conn, "Run\"S", "t\"2; drop table x; --");
	assert_int_equal(varve_db__rename(db, "0001", "0002"), 0);
	assert_int_equal(varve_db__reload(db), 0);
	rows = varve_db_applied(db, &n);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].revision, "0002");
	assert_string_equal(rows[0].description, desc);

	v = query1(conn, "SELECT count(*) FROM pg_class WHERE relname = $1", "x");
	assert_string_equal(v, "1");
	free(v);

	varve_db_free(db);
	PQfinish(conn);
	free(script);
	plan_free(&p);
	varve_scratch_free(s);
}

/* An entry whose SQL path the loader refused is not run as a merge (which
 * would record it without its SQL): the run fails before anything runs. */
static void test_refused_path_is_no_merge(void **state)
{
	varve_scratch *s = NULL;
	struct plan p;
	varve_db *db = NULL;
	varve_failure *failure = NULL;
	varve_run_options opts = VARVE_RUN_OPTIONS_INIT;
	size_t n;

	(void)state;
	if (varve_scratch_start(&s, NULL) == VARVE_ENOTFOUND)
		skip(); /* no PostgreSQL server binaries here */
	plan_one(&p);
	p.mig->path_refused = true; /* as the loader leaves a symlink out */
	assert_int_equal(varve_db_open(&db, varve_scratch_conninfo(s), "varve_version"), 0);
	assert_int_equal(varve_run(db, p.g, p.steps, VARVE_UPGRADE, &opts, &failure),
			 VARVE_EMIGRATION);
	assert_non_null(failure);
	assert_non_null(strstr(failure->message, "refused"));
	assert_int_equal(varve_db__reload(db), 0);
	varve_db_applied(db, &n);
	assert_int_equal(n, 0);

	varve_failure_free(failure);
	varve_db_free(db);
	plan_free(&p);
	varve_scratch_free(s);
}

/*
 * The version table is resolved once through the server: two spellings of
 * one table get one lock key and one qualified name; a table elsewhere on
 * search_path resolves to where it is; a different schema, another key.
 */
static void test_lock_key_of_the_resolved_table(void **state)
{
	varve_scratch *s = NULL;
	varve_db *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	PGconn *conn = NULL;
	varve_buf ci = VARVE_BUF_INIT;

	(void)state;
	if (varve_scratch_start(&s, NULL) == VARVE_ENOTFOUND)
		skip(); /* no PostgreSQL server binaries here */
	assert_int_equal(varve_db_open(&a, varve_scratch_conninfo(s), "varve_version"), 0);
	assert_int_equal(varve_db_open(&b, varve_scratch_conninfo(s), "public.varve_version"), 0);
	assert_int_equal(varve_db_open(&c, varve_scratch_conninfo(s), "ops.varve_version"), 0);
	assert_true(a->lock_key == b->lock_key);
	assert_true(a->lock_key != c->lock_key);
	assert_string_equal(a->qualified, "\"public\".\"varve_version\"");
	assert_string_equal(b->qualified, a->qualified);
	assert_string_equal(a->table, "\"varve_version\""); /* as spelt, for messages */
	assert_string_equal(c->qualified, "\"ops\".\"varve_version\"");

	/* An existing table found through search_path, not public. */
	assert_int_equal(varve_pg_connect(&conn, varve_scratch_conninfo(s)), 0);
	PQclear(PQexec(conn, "CREATE SCHEMA ops; CREATE TABLE ops.v2 (revision text, "
		       "description text, checksum text, applied_at timestamptz, "
		       "applied_by text, duration_ms bigint, seq bigint, state text)"));
	varve_buf_printf(&ci, "%s options='-csearch_path=public,ops'", varve_scratch_conninfo(s));
	assert_int_equal(varve_db_open(&d, varve_buf_cstr(&ci), "v2"), 0);
	assert_string_equal(d->qualified, "\"ops\".\"v2\"");
	varve_db_free(d);
	d = NULL;
	assert_int_equal(varve_db_open(&d, varve_scratch_conninfo(s), "ops.v2"), 0);
	varve_db_free(d);

	varve_buf_dispose(&ci);
	PQfinish(conn);
	varve_db_free(a);
	varve_db_free(b);
	varve_db_free(c);
	varve_scratch_free(s);
}

/* The first jitter value of a fresh process, as the lock's backoff takes it. */
static double first_jitter_of_a_child(void)
{
	int fds[2];
	double v = -1;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		double j = varve_db__jitter();

		_exit(write(fds[1], &j, sizeof(j)) == (ssize_t)sizeof(j) ? 0 : 1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &v, sizeof(v)), (ssize_t)sizeof(v));
	close(fds[0]);
	waitpid(pid, NULL, 0);
	return v;
}

/* Retry pauses differ between runners: unseeded rand() gave every process
 * the same sequence. */
static void test_jitter_differs_between_processes(void **state)
{
	double a, b, c;

	(void)state;
	a = first_jitter_of_a_child();
	b = first_jitter_of_a_child();
	c = first_jitter_of_a_child();
	assert_true(a >= 0 && a < 1 && b >= 0 && b < 1);
	assert_false(a == b && b == c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_ddl_is_the_schema_file),
		cmocka_unit_test(test_hostile_names_and_values),
		cmocka_unit_test(test_refused_path_is_no_merge),
		cmocka_unit_test(test_lock_key_of_the_resolved_table),
		cmocka_unit_test(test_jitter_differs_between_processes),
	};

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
