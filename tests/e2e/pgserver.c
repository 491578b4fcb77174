/*
 * varve-testpg: one scratch server shared by many varve commands in the
 * end-to-end shell tests. Prints
 *   export PGHOST=... PGPORT=... PGUSER=... PGDATABASE=postgres
 * then serves until its stdin closes or it gets SIGTERM/SIGINT, and stops
 * the server. Run it as a coprocess:
 *   coproc PG { varve-testpg; }; read -r line <&"${PG[0]}"; eval "$line"
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "varve.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *option(PQconninfoOption *opts, const char *keyword)
{
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val)
			return o->val;
	return "";
}

int main(int argc, char **argv)
{
	varve_scratch *s = NULL;
	PQconninfoOption *opts;
	struct sigaction sa;
	char c;

	/* A closed stdin means "done already"; keep the library's sockets off fd 0. */
	if (fcntl(0, F_GETFD) < 0 && open("/dev/null", O_RDONLY) != 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: poll must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (varve_scratch_start(&s, argc > 1 ? argv[1] : NULL) != 0) {
		fprintf(stderr, "varve-testpg: %s\n", varve_error_last());
		return 1;
	}
	opts = PQconninfoParse(varve_scratch_conninfo(s), NULL);
	if (!opts) {
		fprintf(stderr, "varve-testpg: out of memory\n");
		varve_scratch_free(s);
		return 1;
	}
	/* mkdtemp names have no shell metacharacters: no quoting needed. */
	printf("export PGHOST=%s PGPORT=%s PGUSER=%s PGDATABASE=%s\n", option(opts, "host"),
	       option(opts, "port"), option(opts, "user"), option(opts, "dbname"));
	fflush(stdout);
	PQconninfoFree(opts);

	while (!stop) {
		struct pollfd p = {0, POLLIN, 0};
		int r = poll(&p, 1, -1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		/* Data is ignored; end of file (or an error) means the tests are done. */
		if (read(0, &c, 1) <= 0)
			break;
	}
	varve_scratch_free(s);
	return 0;
}
