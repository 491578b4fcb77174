/*
 * Unit tests for lib/gitlog.c on real repositories, built with the git
 * command in a fresh folder with fixed names and dates.
 */
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

#include "gitlog.h"

struct fixture {
	char dir[64];
	git_repository *repo;
	varve_gitlog *log;
};

/* Run a shell command in the repository folder; fail the test if it fails. */
static void VARVE_PRINTF(2, 3) sh(const struct fixture *f, const char *fmt, ...)
{
	char cmd[2048];
	int n;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && { ", f->dir);
	va_start(ap, fmt);
	n += vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	assert_true((size_t)n + 16 < sizeof(cmd));
	strncat(cmd, "; } >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	assert_int_equal(system(cmd), 0);
}

/* Write `text` to `rel` under the repository folder. */
static void put(const struct fixture *f, const char *rel, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* A commit of everything staged, dated `date` (author and committer). */
static void commit(const struct fixture *f, const char *date, const char *msg)
{
	sh(f,
	   "GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' git commit -q "
	   "--allow-empty -m '%s'",
	   date, date, msg);
}

static void merge(const struct fixture *f, const char *date, const char *branch)
{
	sh(f,
	   "GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' git merge -q "
	   "--no-ff --no-edit %s",
	   date, date, branch);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/varve-gitlog-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	/* Nothing from the machine's configuration may change the history. */
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_AUTHOR_NAME", "Ada", 1);
	setenv("GIT_AUTHOR_EMAIL", "ada@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Ada", 1);
	setenv("GIT_COMMITTER_EMAIL", "ada@example.com", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	varve_gitlog__free(f->log);
	varve_gitlog__close(f->repo);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

static void open_repo(struct fixture *f)
{
	assert_int_equal(varve_gitlog__open(&f->repo, f->dir), 0);
}

static size_t order_of(const struct fixture *f, const char *path)
{
	const varve_gitlog_file *file = varve_gitlog__find(f->log, path);

	if (!file)
		fail_msg("'%s' is not in the log", path);
	return file->order;
}

/*
 * Two branches add timestamp migrations; they are merged into main in an
 * order that differs from both their timestamps and their commit dates:
 * the entry order is the merge order.
 */
static void test_merge_order(void **state)
{
	struct fixture *f = *state;

	sh(f, "git init -q -b main && mkdir migrations");
	put(f, "migrations/20250101000000_init.sql", "select 1;\n");
	put(f, "README", "x\n");
	sh(f, "git add -A");
	commit(f, "2025-01-01T00:00:00Z", "init");

	sh(f, "git checkout -q -b a");
	put(f, "migrations/20250201000000_a1.sql", "select 2;\n");
	sh(f, "git add -A");
	commit(f, "2025-02-01T00:00:00Z", "a1");
	put(f, "migrations/20250202000000_a2.sql", "select 3;\n");
	sh(f, "git add -A");
	commit(f, "2025-02-02T00:00:00Z", "a2");

	sh(f, "git checkout -q main && git checkout -q -b b");
	put(f, "migrations/20250301000000_b1.sql", "select 4;\n");
	sh(f, "git add -A");
	commit(f, "2025-03-01T00:00:00Z", "b1");

	/* b, the later one by timestamp and by date, lands first. */
	sh(f, "git checkout -q main");
	merge(f, "2025-04-01T00:00:00Z", "b");
	merge(f, "2025-04-02T00:00:00Z", "a");

	open_repo(f);
	assert_int_equal(varve_gitlog__entries(&f->log, f->repo, "migrations", false), 0);
	assert_int_equal(f->log->commits, 3); /* init, merge b, merge a */
	assert_int_equal(f->log->count, 4);
	assert_int_equal(order_of(f, "20250101000000_init.sql"), 0);
	assert_int_equal(order_of(f, "20250301000000_b1.sql"), 1);
	assert_int_equal(order_of(f, "20250201000000_a1.sql"), 2);
	assert_int_equal(order_of(f, "20250202000000_a2.sql"), 2);
	assert_true(varve_gitlog__find(f->log, "20250201000000_a1.sql")->tracked);
	assert_null(varve_gitlog__find(f->log, "README"));

	/* On branch a, before any merge, a1 and a2 have commits of their own. */
	varve_gitlog__free(f->log);
	f->log = NULL;
	sh(f, "git checkout -q a");
	assert_int_equal(varve_gitlog__entries(&f->log, f->repo, "migrations", false), 0);
	assert_int_equal(f->log->commits, 3);
	assert_int_equal(order_of(f, "20250201000000_a1.sql"), 1);
	assert_int_equal(order_of(f, "20250202000000_a2.sql"), 2);
	assert_null(varve_gitlog__find(f->log, "20250301000000_b1.sql"));
}

/*
 * A file added, deleted and added again enters where it was added last; a
 * file deleted for good is not listed; commits outside the folder count
 * but change nothing.
 */
static void test_readded(void **state)
{
	struct fixture *f = *state;

	sh(f, "git init -q -b main && mkdir -p db/migrations/sub");
	put(f, "db/migrations/x.sql", "select 1;\n");
	put(f, "db/migrations/y.sql", "select 1;\n");
	sh(f, "git add -A");
	commit(f, "2025-01-01T00:00:00Z", "add x, y");
	sh(f, "git rm -q db/migrations/x.sql db/migrations/y.sql");
	commit(f, "2025-01-02T00:00:00Z", "drop x, y");
	put(f, "other.txt", "x\n");
	sh(f, "git add -A");
	commit(f, "2025-01-03T00:00:00Z", "elsewhere");
	put(f, "db/migrations/x.sql", "select 2;\n");
	put(f, "db/migrations/sub/z.sql", "select 3;\n");
	sh(f, "git add -A");
	commit(f, "2025-01-04T00:00:00Z", "x again");

	open_repo(f);
	assert_int_equal(varve_gitlog__entries(&f->log, f->repo, "db/migrations", false), 0);
	assert_int_equal(f->log->commits, 4);
	assert_int_equal(f->log->count, 2);
	assert_int_equal(order_of(f, "x.sql"), 3);
	assert_int_equal(order_of(f, "sub/z.sql"), 3);
	assert_null(varve_gitlog__find(f->log, "y.sql"));
}

/* Files not committed come last; the index says which are tracked. */
static void test_uncommitted(void **state)
{
	struct fixture *f = *state;
	const varve_gitlog_file *file;

	sh(f, "git init -q -b main && mkdir migrations");
	put(f, "migrations/0001_a.sql", "select 1;\n");
	sh(f, "git add -A");
	commit(f, "2025-01-01T00:00:00Z", "a");
	put(f, "migrations/0002_staged.sql", "select 2;\n");
	sh(f, "git add migrations/0002_staged.sql");
	put(f, "migrations/0003_untracked.sql", "select 3;\n");

	open_repo(f);
	assert_int_equal(varve_gitlog__entries(&f->log, f->repo, "migrations", false), 0);
	assert_int_equal(f->log->count, 3);
	assert_int_equal(order_of(f, "0001_a.sql"), 0);
	file = varve_gitlog__find(f->log, "0002_staged.sql");
	assert_non_null(file);
	assert_true(file->order == VARVE_GITLOG_UNCOMMITTED);
	assert_true(file->tracked);
	file = varve_gitlog__find(f->log, "0003_untracked.sql");
	assert_non_null(file);
	assert_true(file->order == VARVE_GITLOG_UNCOMMITTED);
	assert_false(file->tracked);
	assert_true(varve_gitlog__find(f->log, "0001_a.sql")->tracked);
}

/* A repository without commits: everything is uncommitted. */
static void test_unborn(void **state)
{
	struct fixture *f = *state;

	sh(f, "git init -q -b main && mkdir migrations");
	put(f, "migrations/0001_a.sql", "select 1;\n");
	open_repo(f);
	assert_int_equal(varve_gitlog__entries(&f->log, f->repo, "migrations", false), 0);
	assert_int_equal(f->log->commits, 0);
	assert_int_equal(f->log->count, 1);
	assert_true(order_of(f, "0001_a.sql") == VARVE_GITLOG_UNCOMMITTED);
}

/* Reading a file at another commit, the merge base, paths, errors. */
static void test_read_at(void **state)
{
	struct fixture *f = *state;
	git_oid main_id, base, side;
	char *data = NULL, *rel = NULL, path[128];
	size_t len;

	sh(f, "git init -q -b main && mkdir sub");
	put(f, "sub/varve.yaml", "one\n");
	sh(f, "git add -A");
	commit(f, "2025-01-01T00:00:00Z", "one");
	sh(f, "git checkout -q -b side");
	put(f, "sub/varve.yaml", "two\n");
	sh(f, "git add -A");
	commit(f, "2025-01-02T00:00:00Z", "two");
	sh(f, "git checkout -q main");
	put(f, "other", "x\n");
	sh(f, "git add -A");
	commit(f, "2025-01-03T00:00:00Z", "three");

	open_repo(f);
	snprintf(path, sizeof(path), "%s/sub/varve.yaml", f->dir);
	assert_int_equal(varve_gitlog__relative(&rel, f->repo, path), 0);
	assert_string_equal(rel, "sub/varve.yaml");
	free(rel);
	assert_int_equal(varve_gitlog__relative(&rel, f->repo, f->dir), 0);
	assert_string_equal(rel, "");
	free(rel);
	assert_int_equal(varve_gitlog__relative(&rel, f->repo, "/tmp"), VARVE_EINVALID);

	assert_int_equal(varve_gitlog__resolve(&side, f->repo, "side"), 0);
	assert_int_equal(varve_gitlog__read(&data, &len, f->repo, &side, "sub/varve.yaml"), 0);
	assert_int_equal(len, 4);
	assert_string_equal(data, "two\n");
	free(data);
	assert_int_equal(varve_gitlog__read(&data, &len, f->repo, &side, "sub/absent.yaml"),
			 VARVE_ENOTFOUND);
	assert_null(data);
	assert_int_equal(varve_gitlog__read(&data, &len, f->repo, &side, "sub"), VARVE_ENOTFOUND);

	assert_int_equal(varve_gitlog__merge_base(&base, f->repo, &side), 0);
	assert_int_equal(varve_gitlog__resolve(&main_id, f->repo, "main~1"), 0);
	assert_true(git_oid_equal(&base, &main_id));

	assert_int_equal(varve_gitlog__resolve(&side, f->repo, "nope"), VARVE_ENOTFOUND);
	assert_string_equal(varve_error_last(), "unknown revision 'nope'");
}

static void test_not_a_repository(void **state)
{
	struct fixture *f = *state;

	/* The fixture's folder is under /tmp, which no repository holds. */
	assert_int_equal(varve_gitlog__open(&f->repo, f->dir), VARVE_ENOTFOUND);
	assert_null(f->repo);
	assert_non_null(strstr(varve_error_last(), "not a git repository"));
}

/*
 * A repository that another user owns is refused, as git refuses it,
 * not taken for no repository (libgit2 1.5 says "not found" there).
 */
static void test_owned_by_another(void **state)
{
	struct fixture *f = *state;
	const char *home = getenv("HOME");
	char *saved = home ? strdup(home) : NULL;
	int error;

	if (geteuid() != 0)
		skip(); /* only root can give a folder away */
	sh(f, "git init -q -b main . && chown -R 65534:65534 .");
	/* No safe.directory from the machine's git configuration. */
	setenv("HOME", f->dir, 1);
	error = varve_gitlog__open(&f->repo, f->dir);
	if (saved)
		setenv("HOME", saved, 1);
	free(saved);
	assert_int_equal(error, VARVE_ERROR);
	assert_null(f->repo);
	assert_non_null(strstr(varve_error_last(), "belongs to another user"));
}

/*
 * A real shallow clone (git clone --depth 2): refused with the way out,
 * unless asked to number from what is there; then the oldest commit
 * fetched holds every file that entered before it.
 */
static void test_shallow(void **state)
{
	struct fixture *f = *state;
	char clone[128];

	sh(f, "git init -q -b main && mkdir migrations");
	put(f, "migrations/0001_a.sql", "select 1;\n");
	sh(f, "git add -A");
	commit(f, "2025-01-01T00:00:00Z", "a");
	put(f, "migrations/0002_b.sql", "select 2;\n");
	sh(f, "git add -A");
	commit(f, "2025-01-02T00:00:00Z", "b");
	put(f, "migrations/20250103000000_c.sql", "select 3;\n");
	sh(f, "git add -A");
	commit(f, "2025-01-03T00:00:00Z", "c");
	put(f, "migrations/20250104000000_d.sql", "select 4;\n");
	sh(f, "git add -A");
	commit(f, "2025-01-04T00:00:00Z", "d");
	sh(f, "git clone -q --depth 2 \"file://$PWD\" clone");
	snprintf(clone, sizeof(clone), "%s/clone", f->dir);
	assert_int_equal(varve_gitlog__open(&f->repo, clone), 0);

	assert_int_equal(varve_gitlog__entries(&f->log, f->repo, "migrations", false),
			 VARVE_EINVALID);
	assert_null(f->log);
	assert_non_null(strstr(varve_error_last(), "is shallow"));
	assert_non_null(strstr(varve_error_last(), "git fetch --unshallow"));

	assert_int_equal(varve_gitlog__entries(&f->log, f->repo, "migrations", true), 0);
	assert_true(f->log->shallow);
	assert_int_equal(f->log->commits, 2);
	assert_int_equal(order_of(f, "0001_a.sql"), 0);
	assert_int_equal(order_of(f, "20250103000000_c.sql"), 0);
	assert_int_equal(order_of(f, "20250104000000_d.sql"), 1);
	assert_true(varve_gitlog__find(f->log, "20250104000000_d.sql")->tracked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_merge_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_uncommitted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unborn, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_at, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_repository, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_owned_by_another, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shallow, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
