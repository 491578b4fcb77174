/*
 * The scratch server: initdb in a private folder, a postmaster listening on
 * a unix socket in that folder only (no TCP), and a guardian process that
 * stops the server and deletes the folder when the caller is done or dies.
 *
 * The calling process forks one child, the guardian, which does all the
 * work: it runs initdb, starts the postmaster as its own child (so it can
 * reap it and see it die), waits until it accepts connections and reports
 * on a status pipe. Then it waits on a control socket whose other end only
 * the caller holds (close-on-exec, so programs the caller runs do not keep
 * it open). End of file there means the caller freed the handle or died,
 * even by SIGKILL: the guardian stops the server and removes the folder.
 * A byte 'q' before the end asks for a fast (clean) shutdown; a bare end of
 * file, the caller's death, gets an immediate one.
 *
 * The guardian runs in its own session, so Ctrl-C on the terminal reaches
 * neither it nor the server. It keeps no descriptors but its two channels.
 * As root, initdb and postgres run as the `postgres` user, which owns the
 * folder; the guardian stays root so it can always remove it.
 */
#include "scratch.h"
#include "buf.h"
#include "error.h"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

/* initdb plus the first start; a cold cache on a slow CI machine is slow. */
#define START_TIMEOUT_MS 60000
/* A fast shutdown waits for nothing but checkpoints; escalate after this. */
#define STOP_TIMEOUT_MS 10000
/*
 * The socket lives in the private folder, so the port only names the
 * socket file and every scratch server can use the same one.
 */
#define SCRATCH_PORT 5432
#define SCRATCH_USER "varve"

struct varve_scratch {
	char *dir;
	char *conninfo;
	pid_t guardian;
	pid_t postmaster;
	int control; /* our end of the control socket */
};

/* What the guardian needs; filled by the caller before the fork. */
typedef struct guard {
	const char *bindir;
	const char *dir;
	const char *conninfo;
	char data[PATH_MAX];
	char initdb_log[PATH_MAX];
	char log[PATH_MAX];
	bool drop; /* run the server as uid/gid (we are root) */
	uid_t uid;
	gid_t gid;
	int control;
	int status;
	pid_t postmaster;
} guard;

static volatile sig_atomic_t guard_terminated;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool executable(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);

	return n > 0 && (size_t)n < sizeof(path) && access(path, X_OK) == 0;
}

static bool has_server(const char *dir)
{
	return dir && *dir && executable(dir, "initdb") && executable(dir, "postgres");
}

/* The version number in /usr/lib/postgresql/<N>/bin, or -1. */
static long glob_version(const char *path)
{
	const char *p = path + strlen("/usr/lib/postgresql/");
	char *end;
	long v = strtol(p, &end, 10);

	return end != p && *end == '/' ? v : -1;
}

/*
 * Find the server binaries: pg_config --bindir, then PATH, then the newest
 * /usr/lib/postgresql/N/bin. Returns a malloc'd path, or NULL (no message;
 * the caller says what was tried).
 */
static char *find_bindir(void)
{
	char line[PATH_MAX];
	const char *path = getenv("PATH");
	FILE *f;
	glob_t g;
	long best = -1;
	char *found = NULL;

	f = popen("pg_config --bindir 2>/dev/null", "r");
	if (f) {
		bool ok = fgets(line, sizeof(line), f) != NULL;

		pclose(f);
		if (ok) {
			line[strcspn(line, "\r\n")] = '\0';
			if (has_server(line))
				return strdup(line);
		}
	}
	while (path && *path) {
		size_t len = strcspn(path, ":");

		if (len > 0 && len < sizeof(line)) {
			memcpy(line, path, len);
			line[len] = '\0';
			if (has_server(line))
				return strdup(line);
		}
		path += len;
		if (*path == ':')
			path++;
	}
	if (glob("/usr/lib/postgresql/*/bin", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			long v = glob_version(g.gl_pathv[i]);

			if (v > best && has_server(g.gl_pathv[i])) {
				free(found);
				found = strdup(g.gl_pathv[i]);
				best = v;
			}
		}
		globfree(&g);
	}
	return found;
}

/*
 * The last lines of a log as one line ("a | b | c"), as many as fit in
 * `size`, for error messages: the server's own words are the best
 * explanation of a failure. Blank lines are left out.
 */
static void log_tail(char *out, size_t size, const char *path)
{
	char raw[1024], *lines[64];
	size_t count = 0, first, total = 0, o = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t end, from;
	ssize_t n;
	char *p;

	out[0] = '\0';
	if (fd < 0)
		return;
	end = lseek(fd, 0, SEEK_END);
	from = end > (off_t)sizeof(raw) - 1 ? end - (off_t)sizeof(raw) + 1 : 0;
	n = end > 0 ? pread(fd, raw, sizeof(raw) - 1, from) : 0;
	close(fd);
	raw[n > 0 ? n : 0] = '\0';
	p = raw;
	/* Start at a line boundary unless the whole log fitted. */
	if (from > 0 && strchr(p, '\n'))
		p = strchr(p, '\n') + 1;
	while (*p) {
		char *nl = p + strcspn(p, "\r\n");
		bool blank = true;

		for (char *q = p; q < nl; q++)
			if (*q != ' ' && *q != '\t')
				blank = false;
		if (!blank) {
			if (count == VARVE_ARRAY_SIZE(lines)) {
				memmove(lines, lines + 1, sizeof(lines) - sizeof(lines[0]));
				count--;
			}
			lines[count++] = p;
		}
		p = nl + strspn(nl, "\r\n");
		*nl = '\0';
	}
	/* Walk back from the last line while the lines fit with their separators. */
	for (first = count; first > 0; first--) {
		size_t len = strlen(lines[first - 1]) + (first < count ? 3 : 0);

		if (total + len + 1 > size)
			break;
		total += len;
	}
	/* A last line longer than the room: its beginning, then. */
	if (first == count && count > 0)
		first--;
	for (size_t i = first; i < count && o < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%s", i > first ? " | " : "", lines[i]);
}

/* ---------------------------------------------------------------------------
 * The guardian
 */

static void on_term(int sig)
{
	(void)sig;
	guard_terminated = 1;
}

/* Close every descriptor but stdio and the two channels. */
static void close_other_fds(int keep1, int keep2)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d) {
		for (int fd = 3; fd < 1024; fd++)
			if (fd != keep1 && fd != keep2)
				close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);

		if (*end || end == e->d_name || fd < 3 || fd == keep1 || fd == keep2 ||
		    fd == dirfd(d))
			continue;
		close((int)fd);
	}
	closedir(d);
}

/*
 * Run a server program as its owner in a child, output appended to the
 * log, in its own process group so nothing aimed at the guardian's group
 * reaches it. Returns the pid, or -1 when fork fails.
 */
static pid_t spawn(const guard *g, const char *log, char *const argv[])
{
	pid_t pid = fork();
	int fd;

	if (pid != 0)
		return pid;
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	setpgid(0, 0);
	if ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	if ((fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600)) >= 0) {
		if (g->drop && fchown(fd, g->uid, g->gid) < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	if (g->drop && (setgroups(1, &g->gid) < 0 || setgid(g->gid) < 0 || setuid(g->uid) < 0))
		_exit(126);
	umask(077);
	if (chdir(g->dir) < 0)
		_exit(126);
	execv(argv[0], argv);
	_exit(127);
}

/*
 * Wait up to `ms` for a child; returns true when it exited (status in
 * *status), false on timeout (the child is left running).
 */
static bool wait_child(pid_t pid, long ms, int *status)
{
	long long deadline = now_ms() + ms;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			return true;
		if (now_ms() >= deadline)
			return false;
		sleep_ms(20);
	}
}

static void describe_exit(char *out, size_t size, const char *what, int status)
{
	if (WIFSIGNALED(status))
		snprintf(out, size, "%s was killed by signal %d", what, WTERMSIG(status));
	else
		snprintf(out, size, "%s exited with status %d", what, WEXITSTATUS(status));
}

/*
 * initdb, start, wait for connections. Returns 0, or -1 with a message in
 * `msg` (which includes the tail of the log).
 */
static int guard_start(guard *g, char *msg, size_t size)
{
	char initdb[PATH_MAX], postgres[PATH_MAX], sockdir[PATH_MAX + 32], port[16];
	char what[128], tail[512];
	long long deadline = now_ms() + START_TIMEOUT_MS;
	int status;
	pid_t pid;

	snprintf(initdb, sizeof(initdb), "%s/initdb", g->bindir);
	snprintf(postgres, sizeof(postgres), "%s/postgres", g->bindir);
	snprintf(sockdir, sizeof(sockdir), "unix_socket_directories=%s", g->dir);
	snprintf(port, sizeof(port), "%d", SCRATCH_PORT);
	{
		/* clang-format off */
		char *const argv[] = { initdb, "-D", g->data, "-A", "trust", "-U", SCRATCH_USER,
				       "--no-sync", "-E", "UTF8", "--locale=C", NULL };
		/* clang-format on */

		if ((pid = spawn(g, g->initdb_log, argv)) < 0) {
			snprintf(msg, size, "cannot start '%s': %s", initdb, strerror(errno));
			return -1;
		}
		if (!wait_child(pid, deadline - now_ms(), &status)) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			log_tail(tail, sizeof(tail), g->initdb_log);
			snprintf(msg, size, "initdb did not finish within %d s (log: %s)",
				 START_TIMEOUT_MS / 1000, tail);
			return -1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			describe_exit(what, sizeof(what), "initdb", status);
			log_tail(tail, sizeof(tail), g->initdb_log);
			snprintf(msg, size, "%s (log: %s)", what, tail);
			return -1;
		}
	}
	{
		/* clang-format off */
		char *const argv[] = { postgres, "-D", g->data, "-p", port,
				       "-c", "listen_addresses=", "-c", sockdir,
				       "-c", "fsync=off", "-c", "full_page_writes=off",
				       "-c", "synchronous_commit=off", "-c", "logging_collector=off",
				       NULL };
		/* clang-format on */

		if ((g->postmaster = spawn(g, g->log, argv)) < 0) {
			g->postmaster = 0;
			snprintf(msg, size, "cannot start '%s': %s", postgres, strerror(errno));
			return -1;
		}
	}
	for (;;) {
		if (PQping(g->conninfo) == PQPING_OK)
			return 0;
		if (waitpid(g->postmaster, &status, WNOHANG) == g->postmaster) {
			g->postmaster = 0;
			describe_exit(what, sizeof(what), "postgres", status);
			log_tail(tail, sizeof(tail), g->log);
			snprintf(msg, size, "%s (log: %s)", what, tail);
			return -1;
		}
		if (now_ms() >= deadline || guard_terminated) {
			log_tail(tail, sizeof(tail), g->log);
			if (guard_terminated)
				snprintf(msg, size, "the guardian was terminated (log: %s)", tail);
			else
				snprintf(
				    msg, size,
				    "postgres did not accept connections within %d s (log: %s)",
				    START_TIMEOUT_MS / 1000, tail);
			return -1;
		}
		sleep_ms(50);
	}
}

/*
 * Stop the postmaster: fast shutdown (SIGINT) when asked politely,
 * immediate (SIGQUIT) when the caller died; escalate to SIGKILL when it
 * does not go.
 */
static void guard_stop(guard *g, bool fast)
{
	int status;

	if (g->postmaster <= 0)
		return;
	if (fast) {
		kill(g->postmaster, SIGINT);
		if (wait_child(g->postmaster, STOP_TIMEOUT_MS, &status))
			goto done;
	}
	kill(g->postmaster, SIGQUIT);
	if (wait_child(g->postmaster, STOP_TIMEOUT_MS, &status))
		goto done;
	kill(g->postmaster, SIGKILL);
	waitpid(g->postmaster, &status, 0);
done:
	g->postmaster = 0;
}

/* Remove everything under the directory `fd` (closed here); no symlinks followed. */
static void remove_contents(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;

	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		int sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0 || depth > 32)
			continue;
		sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			remove_contents(sub, depth + 1);
			unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
		}
	}
	closedir(d);
}

static void remove_tree(const char *dir)
{
	/* Backends of a killed postmaster may still be exiting: retry briefly. */
	for (int i = 0; i < 50; i++) {
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (fd >= 0)
			remove_contents(fd, 0);
		if (rmdir(dir) == 0 || errno == ENOENT)
			return;
		sleep_ms(100);
	}
}

/* Wait for 'q' and/or end of file on the control socket. */
static bool guard_wait(guard *g)
{
	bool fast = false;

	while (!guard_terminated) {
		struct pollfd p = {g->control, POLLIN, 0};
		char c;
		ssize_t n;
		int status;

		/* A server that died on its own is reaped; the folder stays for the caller. */
		if (g->postmaster > 0 && waitpid(g->postmaster, &status, WNOHANG) == g->postmaster)
			g->postmaster = 0;
		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = recv(g->control, &c, 1, 0);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			break;
		}
		if (c == 'q')
			fast = true;
	}
	return fast;
}

static void write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void guardian(guard *g)
{
	struct sigaction sa;
	sigset_t none;
	char msg[900];
	int fd;

	setsid();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL); /* the caller may ignore it; we need waitpid */
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);

	/*
	 * A caller started with stdio closed may have got its channels as 0-2:
	 * move them up before /dev/null takes those numbers.
	 */
	if (g->control <= 2)
		g->control = fcntl(g->control, F_DUPFD_CLOEXEC, 3);
	if (g->status <= 2)
		g->status = fcntl(g->status, F_DUPFD_CLOEXEC, 3);
	close_other_fds(g->control, g->status);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}

	if (guard_start(g, msg, sizeof(msg)) == 0) {
		char ok[32];
		int n = snprintf(ok, sizeof(ok), "OK %ld\n", (long)g->postmaster);

		write_all(g->status, ok, (size_t)n);
		close(g->status);
		guard_stop(g, guard_wait(g));
	} else {
		write_all(g->status, "ER ", 3);
		write_all(g->status, msg, strlen(msg));
		close(g->status);
		guard_stop(g, false);
	}
	remove_tree(g->dir);
}

/* ---------------------------------------------------------------------------
 * The caller's side
 */

/* Read the guardian's report until it closes the pipe. */
static int read_status(varve_buf *out, int fd, long ms)
{
	long long deadline = now_ms() + ms;
	char chunk[512];

	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		long left = (long)(deadline - now_ms());
		ssize_t n;
		int r;

		if (left <= 0)
			return -1;
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (out->len < 4096 && varve_buf_put(out, chunk, (size_t)n) < 0)
			return -1;
	}
}

static int cloexec_pipe(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

/* A temporary folder whose socket path stays under the 107-byte limit. */
static const char *temp_base(void)
{
	const char *t = getenv("TMPDIR");

	if (t && *t == '/' && strlen(t) < 60)
		return t;
	return "/tmp";
}

int varve_scratch_start(varve_scratch **out, const char *bindir)
{
	varve_scratch *s = NULL;
	varve_buf status = VARVE_BUF_INIT;
	char *bin = NULL;
	char dir[PATH_MAX];
	int ctl[2] = {-1, -1}, st[2] = {-1, -1};
	guard g;
	int error = 0;

	assert(out);
	*out = NULL;
	memset(&g, 0, sizeof(g));

	if (bindir) {
		if (!has_server(bindir)) {
			error = varve_error__set(
			    VARVE_ENOTFOUND,
			    "no postgresql server in '%s': initdb or postgres missing", bindir);
			goto done;
		}
		bin = strdup(bindir);
	} else {
		bin = find_bindir();
		if (!bin) {
			error = varve_error__set(
			    VARVE_ENOTFOUND,
			    "no postgresql server found (tried pg_config --bindir, "
			    "PATH, /usr/lib/postgresql/*/bin)");
			goto done;
		}
	}
	if (!bin || !(s = calloc(1, sizeof(*s)))) {
		error = varve_error__oom();
		goto done;
	}
	s->control = -1;

	if (geteuid() == 0) {
		/* PostgreSQL refuses to run as root. */
		struct passwd *pw = getpwnam("postgres");

		if (!pw) {
			error = varve_error__set(
			    VARVE_ERROR, "cannot run postgresql as root: no 'postgres' user");
			goto done;
		}
		g.drop = true;
		g.uid = pw->pw_uid;
		g.gid = pw->pw_gid;
	}

	snprintf(dir, sizeof(dir), "%s/varve-scratch-XXXXXX", temp_base());
	if (!mkdtemp(dir)) {
		error = varve_error__set(VARVE_EIO, "cannot create a folder in '%s': %s",
					 temp_base(), strerror(errno));
		goto done;
	}
	if (!(s->dir = strdup(dir))) {
		rmdir(dir);
		error = varve_error__oom();
		goto done;
	}
	if ((g.drop && chown(dir, g.uid, g.gid) < 0) || chmod(dir, 0700) < 0) {
		error =
		    varve_error__set(VARVE_EIO, "cannot prepare '%s': %s", dir, strerror(errno));
		rmdir(dir);
		goto done;
	}
	{
		varve_buf ci = VARVE_BUF_INIT;

		varve_buf_printf(&ci, "host=%s port=%d dbname=postgres user=%s", dir, SCRATCH_PORT,
				 SCRATCH_USER);
		if (!(s->conninfo = varve_buf_detach(&ci))) {
			rmdir(dir);
			error = varve_error__oom();
			goto done;
		}
	}

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0 || cloexec_pipe(st) < 0) {
		rmdir(dir);
		error = varve_error__set(VARVE_ERROR, "cannot create a pipe: %s", strerror(errno));
		goto done;
	}
	g.bindir = bin;
	g.dir = s->dir;
	g.conninfo = s->conninfo;
	snprintf(g.data, sizeof(g.data), "%s/data", dir);
	snprintf(g.initdb_log, sizeof(g.initdb_log), "%s/initdb.log", dir);
	snprintf(g.log, sizeof(g.log), "%s/server.log", dir);
	g.control = ctl[1];
	g.status = st[1];

	s->guardian = fork();
	if (s->guardian < 0) {
		s->guardian = 0;
		rmdir(dir);
		error = varve_error__set(VARVE_ERROR, "cannot fork: %s", strerror(errno));
		goto done;
	}
	if (s->guardian == 0) {
		close(ctl[0]);
		close(st[0]);
		guardian(&g);
		_exit(0);
	}
	s->control = ctl[0];
	ctl[0] = -1;
	close(ctl[1]);
	ctl[1] = -1;
	close(st[1]);
	st[1] = -1;

	/* The guardian bounds every step, so this limit is only a backstop. */
	if (read_status(&status, st[0], START_TIMEOUT_MS + 3 * STOP_TIMEOUT_MS) < 0) {
		error =
		    varve_error__set(VARVE_ERROR, "scratch postgresql in '%s' did not report", dir);
		goto done;
	}
	if (strncmp(varve_buf_cstr(&status), "OK ", 3) == 0) {
		s->postmaster = (pid_t)strtol(varve_buf_cstr(&status) + 3, NULL, 10);
	} else if (strncmp(varve_buf_cstr(&status), "ER ", 3) == 0) {
		error = varve_error__set(VARVE_ERROR, "cannot start scratch postgresql: %s",
					 varve_buf_cstr(&status) + 3);
	} else {
		error = varve_error__set(VARVE_ERROR,
					 "cannot start scratch postgresql: the guardian died");
	}

done:
	if (ctl[0] >= 0)
		close(ctl[0]);
	if (ctl[1] >= 0)
		close(ctl[1]);
	if (st[0] >= 0)
		close(st[0]);
	if (st[1] >= 0)
		close(st[1]);
	varve_buf_dispose(&status);
	free(bin);
	if (error) {
		/* Closing the control socket makes the guardian clean up. */
		varve_scratch_free(s);
		return error;
	}
	*out = s;
	return 0;
}

const char *varve_scratch_conninfo(const varve_scratch *s)
{
	return s->conninfo;
}

const char *varve_scratch__dir(const varve_scratch *s)
{
	return s->dir;
}

pid_t varve_scratch__pid(const varve_scratch *s)
{
	return s->postmaster;
}

pid_t varve_scratch__guardian(const varve_scratch *s)
{
	return s->guardian;
}

void varve_scratch_free(varve_scratch *s)
{
	if (!s)
		return;
	if (s->control >= 0) {
		/* MSG_NOSIGNAL: a guardian that died must not take us with it. */
		send(s->control, "q", 1, MSG_NOSIGNAL);
		close(s->control);
	}
	if (s->guardian > 0)
		while (waitpid(s->guardian, NULL, 0) < 0 && errno == EINTR)
			;
	free(s->dir);
	free(s->conninfo);
	free(s);
}
