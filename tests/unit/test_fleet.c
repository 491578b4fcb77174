/*
 * Unit tests for lib/fiber.c and the fleet file of lib/fleet.c: fibers
 * interleave where they wait and each keeps its own error message; the
 * fleet file's defaults, forms and findings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "fiber.h"
#include "graph.h"
#include "manifest.h"
#include "pg.h"

/* Each fiber appends its letter, waits, and appends it again. */
typedef struct step_log {
	char order[16];
	size_t n;
} step_log;

typedef struct sleeper {
	step_log *log;
	char letter;
	double ms;
	char message[64]; /* varve_error_last() after its wait */
} sleeper;

static void sleep_twice(void *arg)
{
	sleeper *s = arg;

	s->log->order[s->log->n++] = s->letter;
	varve_error__set(VARVE_ERROR, "fiber %c", s->letter);
	varve_fiber__sleep(s->ms);
	s->log->order[s->log->n++] = s->letter;
	snprintf(s->message, sizeof(s->message), "%s", varve_error_last());
}

static void test_fibers_interleave_at_their_waits(void **state)
{
	step_log log = { { 0 }, 0 };
	sleeper a = { &log, 'a', 30, "" }, b = { &log, 'b', 5, "" };
	varve_fiber *fa = NULL, *fb = NULL;
	bool a_done, b_done;

	(void)state;
	varve_error__set(VARVE_ERROR, "main");
	assert_int_equal(varve_fiber__new(&fa, sleep_twice, &a), 0);
	assert_int_equal(varve_fiber__new(&fb, sleep_twice, &b), 0);
	assert_false(varve_fiber__active());
	/* Each runs to its first wait: a sleep, no descriptor. */
	assert_false(varve_fiber__resume(fa, 0));
	assert_false(varve_fiber__resume(fb, 0));
	assert_string_equal(log.order, "ab");
	assert_int_equal(varve_fiber__fd(fa, &(short){ 0 }), -1);
	assert_true(varve_fiber__deadline(fb) < varve_fiber__deadline(fa));
	/* The main context's message is its own. */
	assert_string_equal(varve_error_last(), "main");
	/* b's deadline comes first: resumed when due, it ends first. */
	while (varve_fiber__now_ms() < varve_fiber__deadline(fb))
		usleep(1000);
	b_done = varve_fiber__resume(fb, 0);
	assert_true(b_done);
	while (varve_fiber__now_ms() < varve_fiber__deadline(fa))
		usleep(1000);
	a_done = varve_fiber__resume(fa, 0);
	assert_true(a_done);
	assert_string_equal(log.order, "abba");
	assert_string_equal(a.message, "fiber a");
	assert_string_equal(b.message, "fiber b");
	assert_string_equal(varve_error_last(), "main");
	varve_fiber__free(fa);
	varve_fiber__free(fb);
	varve_fiber__free(NULL);
}

static void test_outside_a_fiber_waits_block(void **state)
{
	double t = varve_fiber__now_ms();

	(void)state;
	assert_false(varve_fiber__active());
	varve_fiber__sleep(20);
	assert_true(varve_fiber__now_ms() - t >= 19);
	/* No descriptor: the deadline ends the wait with no events. */
	assert_int_equal(varve_fiber__wait(-1, 0, varve_fiber__now_ms() + 5), 0);
}

/* The fleet file, written to a temporary path. */
static char path[64];

static void write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/varve-test-fleet-%d.yaml", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_fleet_defaults_and_targets(void **state)
{
	varve_diag_list *diags = NULL;
	varve_fleet *fleet = NULL;
	const varve_fleet_target *t;

	(void)state;
	setenv("VARVE_TEST_FLEET_URL", "postgresql://app:pw@db2/b", 1);
	write_file("varve_fleet: 1\ntargets:\n  - url: postgresql://app:pw@db1/a\n    label: eu\n"
		   "  - url: ${VARVE_TEST_FLEET_URL}\n  - url: ${VARVE_TEST_UNSET:-dbname=c}\n"
		   "schemas:\n  database: dbname=app\n  names: [t1, \"T 2\"]\n");
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_fleet_load(&fleet, path, diags), 0);
	assert_int_equal(varve_diag_list_count(diags), 0);
	assert_int_equal(varve_fleet_concurrency(fleet), 8);
	assert_int_equal(varve_fleet_failure_mode(fleet), VARVE_FLEET_STOP);
	/* URL targets are listed at load; schemas once resolved (no query:
	 * names need no connection). */
	assert_int_equal(varve_fleet_count(fleet), 3);
	assert_int_equal(varve_fleet_resolve(fleet), 0);
	assert_int_equal(varve_fleet_count(fleet), 5);
	t = varve_fleet_at(fleet, 0);
	assert_string_equal(t->label, "eu");
	assert_string_equal(t->display, "postgresql://app:***@db1/a");
	assert_null(t->schema);
	assert_int_equal(t->state, VARVE_TARGET_WAITING);
	assert_string_equal(varve_fleet_at(fleet, 1)->display, "postgresql://app:***@db2/b");
	assert_null(varve_fleet_at(fleet, 1)->label);
	assert_string_equal(varve_fleet_at(fleet, 2)->display, "dbname=c");
	t = varve_fleet_at(fleet, 4);
	assert_string_equal(t->schema, "T 2");
	assert_string_equal(t->label, "T 2");
	/* search_path for the session, quoted for the server, escaped for
	 * libpq's options splitting and for the conninfo. */
	assert_string_equal(t->display, "dbname=app options='-c search_path=\"T\\\\ 2\"'");
	assert_null(varve_fleet_at(fleet, 5));
	varve_fleet_free(fleet);
	varve_diag_list_free(diags);
	unlink(path);
}

static void test_fleet_findings_are_positioned(void **state)
{
	varve_diag_list *diags = NULL;
	varve_fleet *fleet = NULL;
	const varve_diag *d;

	(void)state;
	write_file("varve_fleet: 1\nconcurrency: many\non_failure: continue\n"
		   "targets:\n  - label: x\n");
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_fleet_load(&fleet, path, diags), VARVE_EINVALID);
	assert_null(fleet);
	assert_int_equal(varve_diag_list_count(diags), 2);
	d = varve_diag_list_at(diags, 0);
	assert_string_equal(d->code, "fleet-schema");
	assert_int_equal(d->line, 2);
	assert_int_equal(d->column, 14);
	assert_string_equal(d->message, "'concurrency' must be an integer, not a string");
	d = varve_diag_list_at(diags, 1);
	assert_int_equal(d->line, 5);
	assert_int_equal(d->column, 5);
	assert_string_equal(d->message, "a target needs 'url'");
	varve_diag_list_free(diags);
	unlink(path);
	/* A missing file is an I/O error, not a finding. */
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_fleet_load(&fleet, path, diags), VARVE_EIO);
	assert_int_equal(varve_diag_list_count(diags), 0);
	varve_diag_list_free(diags);
}

/*
 * VARVE_FLEET_CHECK on a scratch server: the reachable target's findings
 * are its own (an applied revision no entry defines), the unreachable one
 * has none (NULL), and on_failure stop does not keep the second from
 * being read after the first failed to connect.
 */
static void test_fleet_check_reads_every_target(void **state)
{
	varve_scratch *s = NULL;
	varve_manifest *m = NULL;
	varve_migration *mig = NULL;
	varve_diag_list *diags = NULL;
	varve_graph *g = NULL;
	varve_steps *steps = NULL;
	varve_fleet *fleet = NULL;
	varve_fleet_options o = VARVE_FLEET_OPTIONS_INIT;
	varve_db *db = NULL;
	varve_buf b = VARVE_BUF_INIT;
	const varve_fleet_target *t;
	PGconn *conn = NULL;
	char *text;

	(void)state;
	if (varve_scratch_start(&s, NULL) == VARVE_ENOTFOUND)
		skip(); /* no PostgreSQL server binaries here */
	assert_non_null(s);
	assert_int_equal(varve_manifest__new(&m, "varve.yaml"), 0);
	assert_int_equal(varve_manifest__add(m, &mig, "0001", NULL, 0), 0);
	assert_int_equal(varve_diag_list_new(&diags), 0);
	assert_int_equal(varve_graph_build(&g, m, diags), 0);
	assert_int_equal(varve_target_resolve(&steps, g, "head", VARVE_UPGRADE, NULL, 0), 0);
	assert_int_equal(varve_db_open(&db, varve_scratch_conninfo(s), "varve_version"), 0);
	assert_int_equal(varve_stamp(db, g, steps, VARVE_UPGRADE), 0);
	varve_db_free(db);
	assert_int_equal(varve_pg_connect(&conn, varve_scratch_conninfo(s)), 0);
	PQclear(PQexec(conn, "INSERT INTO varve_version (revision) VALUES ('0099')"));
	PQfinish(conn);

	/* The URL as a single-quoted YAML scalar. */
	varve_buf_puts(&b, "varve_fleet: 1\non_failure: stop\nconcurrency: 1\ntargets:\n"
		       "  - {label: gone, url: 'host=/nonexistent-varve dbname=x'}\n  - {label: here, url: '");
	for (const char *c = varve_scratch_conninfo(s); *c; c++)
		varve_buf_puts(&b, *c == '\'' ? "''" : (char[]){ *c, 0 });
	varve_buf_puts(&b, "'}\n");
	assert_false(b.oom);
	text = varve_buf_detach(&b);
	write_file(text);
	free(text);
	assert_int_equal(varve_fleet_load(&fleet, path, diags), 0);
	o.action = VARVE_FLEET_CHECK;
	assert_int_equal(varve_fleet_run(fleet, g, &o), 0);
	t = varve_fleet_at(fleet, 0);
	assert_int_equal(t->state, VARVE_TARGET_UNREACHABLE);
	assert_null(t->findings);
	t = varve_fleet_at(fleet, 1);
	assert_int_equal(t->state, VARVE_TARGET_DONE);
	assert_int_equal(t->applied, 2);
	assert_non_null(t->findings);
	assert_int_equal(varve_diag_list_count(t->findings), 1);
	assert_string_equal(varve_diag_list_at(t->findings, 0)->code, "applied-unknown");
	/* A second run starts from fresh results. */
	assert_int_equal(varve_fleet_run(fleet, g, &o), 0);
	assert_int_equal(varve_diag_list_count(varve_fleet_at(fleet, 1)->findings), 1);

	unlink(path);
	varve_fleet_free(fleet);
	varve_steps_free(steps);
	varve_graph_free(g);
	varve_diag_list_free(diags);
	varve_manifest_free(m);
	varve_scratch_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fibers_interleave_at_their_waits),
		cmocka_unit_test(test_outside_a_fiber_waits_block),
		cmocka_unit_test(test_fleet_defaults_and_targets),
		cmocka_unit_test(test_fleet_findings_are_positioned),
		cmocka_unit_test(test_fleet_check_reads_every_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
