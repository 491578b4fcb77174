/* varve wait: until the database accepts connections (CI containers, compose). */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { OPT_TIMEOUT = 1 };

/*
 * A duration: a number of seconds, or a number with ms, s, m (min) or h.
 * Returns false for anything else (negative, not finite, an unknown unit).
 */
bool cli_parse_duration(const char *s, double *out)
{
	static const struct {
		const char *unit;
		double seconds;
	} units[] = {
		{ "", 1 }, { "ms", 0.001 }, { "s", 1 }, { "m", 60 }, { "min", 60 }, { "h", 3600 },
	};
	char *end;
	double v;

	if (!*s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			*out = v * units[i].seconds;
			return true;
		}
	}
	return false;
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* database.url of the manifest, when there is one to read (-f or ./varve.yaml). */
static char *manifest_url(cli_global *g)
{
	varve_manifest *m = NULL;
	varve_diag_list *diags = NULL;
	char *url = NULL;

	if (access(g->manifest, F_OK) != 0 || varve_diag_list_new(&diags) != 0)
		return NULL;
	if (varve_manifest_load(&m, g->manifest, diags) == VARVE_OK &&
	    varve_manifest_database_url(m))
		url = strdup(varve_manifest_database_url(m));
	varve_manifest_free(m);
	varve_diag_list_free(diags);
	return url;
}

int cmd_wait(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("wait");
	const char *timeout_arg = NULL;
	char *conninfo = NULL, *url = NULL, *shown = NULL;
	double timeout = 60, waited = 0;
	struct sigaction sa;
	cli_parser p;
	int id, status, code;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0)
		if (id == OPT_TIMEOUT)
			timeout_arg = p.arg;
	if (id < 0)
		return EXIT_USAGE;
	if (timeout_arg && !cli_parse_duration(timeout_arg, &timeout))
		return cli_usage_error(self, "--timeout needs a duration (60, 60s, 500ms, 2m), "
				       "not '%s'", timeout_arg);
	if (p.npos > 0)
		return cli_usage_error(self, "unexpected argument '%s'", argv[0]);
	if (g->scratch)
		return cli_usage_error(self, "--scratch starts its own server: there is nothing "
				       "to wait for");
	/* -d, the environment, then the manifest's url when a manifest is there. */
	if (!g->database && !getenv("VARVE_DATABASE_URL") && !getenv("DATABASE_URL"))
		url = manifest_url(g);
	if (varve_conninfo_resolve(&conninfo, g->database, url) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		free(url);
		return EXIT_FINDINGS;
	}
	free(url);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	status = varve_pg_wait(conninfo, timeout, &stop_signal, &waited);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (status == VARVE_OK) {
		shown = varve_conninfo_redact(conninfo);
		if (!g->quiet)
			printf("✓ %s accepts connections (waited %.1f s)\n",
			       *conninfo ? printable(shown ? shown : "") : "the default server",
			       waited);
		code = EXIT_OK;
	} else {
		out_error(g, "%s", varve_error_last());
		code = status == VARVE_EINTERRUPTED ? 128 + (int)stop_signal
			: status == VARVE_EINVALID ? EXIT_FINDINGS : exit_for_status(status);
	}
	free(shown);
	free(conninfo);
	return code;
}
