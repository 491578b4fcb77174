/*
 * Unit tests for the scratch server (lib/scratch.c): these start real
 * PostgreSQL servers, so they need the server binaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pg.h"
#include "pgutil.h"
#include "scratch.h"

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static void assert_query(PGconn *conn, const char *sql, const char *want)
{
	char *v = query1(conn, sql, NULL);

	assert_string_equal(v, want);
	free(v);
}

static bool pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno != ESRCH;
}

/*
 * Whether any process still belongs to the folder: the postmaster names it
 * on its command line, and every server process works inside it.
 */
static bool folder_in_use(const char *dir)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool found = false;

	assert_non_null(d);
	while (!found && (e = readdir(d)) != NULL) {
		char path[PATH_MAX], buf[4096];
		ssize_t n;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cwd", e->d_name);
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			if (strncmp(buf, dir, strlen(dir)) == 0)
				found = true;
		}
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		if ((f = fopen(path, "r")) != NULL) {
			size_t len = fread(buf, 1, sizeof(buf) - 1, f);

			for (size_t i = 0; i < len; i++)
				if (buf[i] == '\0')
					buf[i] = ' ';
			buf[len] = '\0';
			if (strstr(buf, dir) && !strstr(buf, "test_scratch"))
				found = true;
			fclose(f);
		}
	}
	closedir(d);
	return found;
}

static int count_fds(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%ld/fd", (long)pid);
	d = opendir(path);
	assert_non_null(d);
	/* Below 1000: valgrind keeps its own descriptors far above. */
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && strtol(e->d_name, NULL, 10) < 1000)
			n++;
	closedir(d);
	return n;
}

static void test_start_connect_free(void **state)
{
	varve_scratch *s = NULL;
	PGconn *conn = NULL;
	char dir[PATH_MAX];
	struct stat st;
	pid_t pid;

	(void)state;
	assert_int_equal(varve_scratch_start(&s, NULL), 0);
	snprintf(dir, sizeof(dir), "%s", varve_scratch__dir(s));
	pid = varve_scratch__pid(s);
	assert_true(pid > 0);
	assert_true(pid_alive(pid));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_non_null(strstr(varve_scratch_conninfo(s), dir));
	/* The guardian keeps stdio and its control socket, nothing else. */
	assert_int_equal(count_fds(varve_scratch__guardian(s)), 4);

	assert_int_equal(varve_pg_connect(&conn, varve_scratch_conninfo(s)), 0);
	assert_query(conn, "SELECT 1", "1");
	assert_query(conn,
		     "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()",
		     "varve");
	assert_query(conn, "SHOW listen_addresses", "");
	assert_query(conn, "SHOW fsync", "off");
	assert_query(conn, "SHOW client_connection_check_interval", "1s");
	assert_query(conn, "SHOW client_min_messages", "warning");
	assert_query(conn, "SELECT current_user", "varve");
	PQfinish(conn);

	varve_scratch_free(s);
	assert_int_equal(access(dir, F_OK), -1);
	assert_int_equal(errno, ENOENT);
	assert_false(pid_alive(pid));
}

static void test_two_servers(void **state)
{
	varve_scratch *a = NULL, *b = NULL;
	PGconn *ca = NULL, *cb = NULL;

	(void)state;
	assert_int_equal(varve_scratch_start(&a, NULL), 0);
	assert_int_equal(varve_scratch_start(&b, NULL), 0);
	assert_int_equal(varve_pg_connect(&ca, varve_scratch_conninfo(a)), 0);
	assert_int_equal(varve_pg_connect(&cb, varve_scratch_conninfo(b)), 0);
	PQclear(PQexec(ca, "CREATE TABLE only_in_a ()"));
	assert_query(ca, "SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'", "1");
	assert_query(cb, "SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'", "0");
	PQfinish(ca);
	PQfinish(cb);
	varve_scratch_free(a);
	varve_scratch_free(b);
}

static void test_user_application_name(void **state)
{
	varve_scratch *s = NULL;
	PGconn *conn = NULL;
	char conninfo[PATH_MAX + 100];

	(void)state;
	assert_int_equal(varve_scratch_start(&s, NULL), 0);
	snprintf(conninfo, sizeof(conninfo), "%s application_name=mine", varve_scratch_conninfo(s));
	assert_int_equal(varve_pg_connect(&conn, conninfo), 0);
	assert_query(conn, "SHOW application_name", "mine");
	PQfinish(conn);
	varve_scratch_free(s);
}

/*
 * Ctrl-C goes to the terminal's process group: the server must not see it.
 * The signal is sent from a child in a process group of its own, so it
 * never reaches the build or the shell that runs the tests.
 */
static void test_interrupt_spares_server(void **state)
{
	pid_t child;
	int status;

	(void)state;
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		varve_scratch *s = NULL;
		int ok;

		if (setpgid(0, 0) != 0)
			_exit(3);
		signal(SIGINT, SIG_IGN);
		if (varve_scratch_start(&s, NULL) != 0)
			_exit(4);
		killpg(0, SIGINT);
		sleep_ms(300);
		ok = PQping(varve_scratch_conninfo(s)) == PQPING_OK;
		varve_scratch_free(s);
		_exit(ok ? 0 : 5);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The caller dies by SIGKILL: the guardian still stops and deletes. */
static void test_kill9_cleans_up(void **state)
{
	int fds[2];
	pid_t child, pid = 0;
	char line[PATH_MAX + 32], dir[PATH_MAX];
	ssize_t n;
	int status, i;

	(void)state;
	/* Orphaned guardians come to us, not to a pid 1 that may not reap. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	assert_int_equal(pipe(fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		varve_scratch *s = NULL;

		close(fds[0]);
		if (varve_scratch_start(&s, NULL) != 0)
			_exit(1);
		dprintf(fds[1], "%ld %s\n", (long)varve_scratch__pid(s), varve_scratch__dir(s));
		close(fds[1]);
		raise(SIGKILL);
		_exit(2);
	}
	close(fds[1]);
	n = read(fds[0], line, sizeof(line) - 1);
	close(fds[0]);
	assert_true(n > 0);
	line[n] = '\0';
	assert_int_equal(sscanf(line, "%d %4095s", &pid, dir), 2);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	for (i = 0; i < 100; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (access(dir, F_OK) < 0 && !pid_alive(pid) && !folder_in_use(dir))
			break;
		sleep_ms(100);
	}
	assert_int_not_equal(access(dir, F_OK), 0);
	assert_false(pid_alive(pid));
	assert_false(folder_in_use(dir));
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* A fake bindir in `root`: initdb and postgres as given (NULL: the real one). */
static void fake_bindir(char *out, size_t size, const char *root, const char *initdb,
			const char *postgres)
{
	const char *names[2] = {"initdb", "postgres"};
	const char *scripts[2] = {initdb, postgres};
	char path[PATH_MAX], real[PATH_MAX];

	snprintf(out, size, "%s/bin", root);
	assert_int_equal(mkdir(out, 0755), 0);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", out, names[i]);
		if (scripts[i]) {
			FILE *f = fopen(path, "w");

			assert_non_null(f);
			fprintf(f, "#!/bin/sh\n%s\n", scripts[i]);
			fclose(f);
			assert_int_equal(chmod(path, 0755), 0);
		} else {
			snprintf(real, sizeof(real), "/usr/lib/postgresql/15/bin/%s", names[i]);
			if (access(real, X_OK) != 0)
				skip();
			assert_int_equal(symlink(real, path), 0);
		}
	}
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/*
 * A server that does not start: the message ends with its log, and the
 * folder is gone. TMPDIR points at a private folder so we can count.
 */
static void check_start_fails(const char *initdb, const char *postgres, const char *want1,
			      const char *want2)
{
	char root[] = "/tmp/varve-test-XXXXXX", bindir[PATH_MAX], cmd[PATH_MAX + 16];
	const char *old = getenv("TMPDIR");
	char *saved = old ? strdup(old) : NULL;
	varve_scratch *s = NULL;
	int error;

	assert_non_null(mkdtemp(root));
	assert_int_equal(chmod(root, 0755), 0);
	fake_bindir(bindir, sizeof(bindir), root, initdb, postgres);
	setenv("TMPDIR", root, 1);
	error = varve_scratch_start(&s, bindir);
	if (saved) {
		setenv("TMPDIR", saved, 1);
		free(saved);
	} else {
		unsetenv("TMPDIR");
	}
	assert_int_equal(error, VARVE_ERROR);
	assert_null(s);
	assert_non_null(strstr(varve_error_last(), want1));
	if (!strstr(varve_error_last(), want2))
		fail_msg("%s", varve_error_last());
	assert_null(strchr(varve_error_last(), '\n'));
	assert_int_equal(count_entries(root), 1); /* bin only */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

static void test_initdb_failure(void **state)
{
	(void)state;
	check_start_fails("echo 'initdb: the disk is made of cheese' >&2; exit 3", "exit 1",
			  "initdb exited with status 3", "the disk is made of cheese");
}

static void test_postgres_failure(void **state)
{
	(void)state;
	check_start_fails(NULL, "echo 'FATAL:  no shared memory today' >&2; exit 1",
			  "postgres exited with status 1", "no shared memory today");
}

static void test_missing_binaries(void **state)
{
	varve_scratch *s = (varve_scratch *)1;

	(void)state;
	assert_int_equal(varve_scratch_start(&s, "/nonexistent/bin"), VARVE_ENOTFOUND);
	assert_null(s);
	assert_non_null(strstr(varve_error_last(), "'/nonexistent/bin'"));
	varve_scratch_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_start_connect_free),
	    cmocka_unit_test(test_two_servers),
	    cmocka_unit_test(test_user_application_name),
	    cmocka_unit_test(test_interrupt_spares_server),
	    cmocka_unit_test(test_kill9_cleans_up),
	    cmocka_unit_test(test_missing_binaries),
	    cmocka_unit_test(test_initdb_failure),
	    cmocka_unit_test(test_postgres_failure),
	};

	return cmocka_run_group_tests_name("scratch", tests, NULL, NULL);
}
