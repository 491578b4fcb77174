/* varve check: the offline CI gate (SPEC §3), and what the database says. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_STRICT = 1,
	OPT_SEQUENTIAL = 2,
	OPT_DATABASE = 3,
	OPT_AGAINST = 4,
	OPT_SERVER_VERSION = 5,
	OPT_NO_LINT = 6,
	OPT_SCHEMA = 7,
	OPT_FLEET = 8,
	OPT_ONLY = 9,
	OPT_CONCURRENCY = 10
};

/*
 * --schema: head's schema against the snapshot (docs/schema.md); the
 * findings go to `diags`, the diff to stdout (text and github formats).
 */
static int check_schema(cli_global *g, varve_diag_list *diags)
{
	varve_failure *failure = NULL;
	char *diff = NULL;
	int status, code = EXIT_OK;

	if (g->verbose)
		fprintf(stderr, "varve: building head on a scratch server for --schema\n");
	status = varve_check_schema(g->manifest, diags, &diff, &failure);
	if (status != VARVE_OK) {
		if (failure) {
			char at[64] = "";

			if (failure->line)
				snprintf(at, sizeof(at), ":%u:%u", failure->line, failure->column);
			out_error(g, "cannot build head: '%s' failed%s%s%s: %s", failure->revision,
				  failure->file ? " at " : "", failure->file ? failure->file : "", at,
				  failure->message);
		}
		else
			out_error(g, "%s", varve_error_last());
		code = status == VARVE_ENOTFOUND ? EXIT_DATABASE : exit_for_status(status);
	}
	if (status == VARVE_OK && diff && *diff && g->format != FORMAT_JSON) {
		fputs(diff, stdout);
		fflush(stdout);
	}
	varve_failure_free(failure);
	free(diff);
	return code;
}

/* The findings of --database, added to `diags`; an exit code. */
static int check_database(cli_global *g, varve_diag_list *diags)
{
	cli_session s;
	int code, status;

	if ((code = session_open(g, &s, true)) != EXIT_OK)
		goto done;
	if ((status = varve_check_database(s.db, s.graph, diags)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
	}
done:
	session_close(&s);
	return code;
}

int cmd_check(cli_global *g, int argc, char **argv)
{
	varve_check_options opts = VARVE_CHECK_OPTIONS_INIT;
	varve_diag_list *diags = NULL;
	const cli_command *self = cli_find_command("check");
	bool database = false, schema = false, bad = false;
	cli_fleet_request fleet;
	const char *server_version = NULL;
	cli_parser p;
	int id, status, code;

	memset(&fleet, 0, sizeof(fleet));
	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0) {
		if (id == OPT_STRICT)
			opts.strict = true;
		else if (id == OPT_SEQUENTIAL)
			opts.sequential = true;
		else if (id == OPT_DATABASE)
			database = true;
		else if (id == OPT_AGAINST)
			opts.against = p.arg;
		else if (id == OPT_SERVER_VERSION)
			server_version = p.arg;
		else if (id == OPT_NO_LINT)
			opts.no_lint = true;
		else if (id == OPT_SCHEMA)
			schema = true;
		else if (id == OPT_FLEET)
			fleet.path = p.arg;
		else if (id == OPT_ONLY)
			fleet.only = p.arg;
		else if (id == OPT_CONCURRENCY && !bad)
			bad = !cli_parse_concurrency(self, p.arg, &fleet.concurrency);
	}
	if (id < 0 || bad)
		return EXIT_USAGE;
	if ((fleet.only || fleet.concurrency) && !fleet.path)
		return cli_usage_error(self, "--%s needs --fleet FILE",
				       fleet.only ? "only" : "concurrency");
	if (fleet.path && !database)
		return cli_usage_error(self, "--fleet needs --database: it checks each "
				       "target's version table");
	if (fleet.path && (g->database || g->scratch || schema))
		return cli_usage_error(self, "--fleet does not go with %s",
				       g->database ? "--database URL"
				       : g->scratch ? "--scratch" : "--schema");
	/* Checked once the parser is done (a return inside its loop would
	 * keep its tables). */
	if (server_version) {
		long v;

		if (!cli_parse_count(server_version, &v) || v < 10 || v > 99)
			return cli_usage_error(self,
					       "--server-version needs a PostgreSQL "
					       "major version (10 to 99), not '%s'",
					       server_version);
		opts.server_version = (int)v;
	}
	if (p.npos > 0)
		return cli_usage_error(self, "unexpected argument '%s'", argv[0]);
	if (varve_diag_list_new(&diags) != 0) {
		out_error(g, "%s", varve_error_last());
		return EXIT_FINDINGS;
	}
	/* A fix cut short leaves files half renamed: check would report
	 * its middle state as the project's. */
	if ((status = varve_fix_interrupted(g->manifest)) == VARVE_OK)
		status = varve_check(g->manifest, &opts, diags);
	if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	/* The database part needs a graph that loads; without one, the
	 * offline findings say what to fix first. */
	if (fleet.path && varve_diag_list_errors(diags) == 0) {
		fleet.action = VARVE_FLEET_CHECK;
		fleet.direction = VARVE_UPGRADE;
		fleet.target = "head";
		fleet.offline = diags;
		code = cli_fleet(g, &fleet);
		goto done;
	}
	if (database && varve_diag_list_errors(diags) == 0 &&
	    (code = check_database(g, diags)) != EXIT_OK)
		goto done;
	if (schema && varve_diag_list_errors(diags) == 0 &&
	    (code = check_schema(g, diags)) != EXIT_OK)
		goto done;
	varve_diag_list_sort(diags);
	out_diagnostics(g, diags);
	out_diag_summary(g, diags, database ? "manifest and database agree"
			 : schema ? "manifest is valid, its schema snapshot is up to date"
			 : "manifest is valid");
	code = varve_diag_list_errors(diags) ? EXIT_FINDINGS : EXIT_OK;
done:
	varve_diag_list_free(diags);
	return code;
}
