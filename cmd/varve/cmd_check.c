/* varve check: the offline CI gate (SPEC §3). */
#include <stdlib.h>

#include "cli.h"

enum { OPT_STRICT = 1, OPT_SEQUENTIAL = 2, OPT_AGAINST = 3 };

int cmd_check(cli_global *g, int argc, char **argv)
{
	varve_check_options opts = VARVE_CHECK_OPTIONS_INIT;
	varve_diag_list *diags = NULL;
	const cli_command *self = cli_find_command("check");
	cli_parser p;
	int id, status, code;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0) {
		if (id == OPT_STRICT)
			opts.strict = true;
		else if (id == OPT_SEQUENTIAL)
			opts.sequential = true;
		else if (id == OPT_AGAINST)
			opts.against = p.arg;
	}
	if (id < 0)
		return EXIT_USAGE;
	if (p.npos > 0)
		return cli_usage_error(self, "unexpected argument '%s'", argv[0]);
	if (g->format != FORMAT_DEFAULT && g->format != FORMAT_TEXT &&
	    g->format != FORMAT_JSON && g->format != FORMAT_GITHUB)
		return cli_usage_error(self, "--format must be text, json or github");
	if (varve_diag_list_new(&diags) != 0) {
		out_error(g, "%s", varve_error_last());
		return EXIT_FINDINGS;
	}
	status = varve_check(g->manifest, &opts, diags);
	if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	out_diagnostics(g, diags);
	out_diag_summary(g, diags, "manifest is valid");
	code = varve_diag_list_errors(diags) ? EXIT_FINDINGS : EXIT_OK;
done:
	varve_diag_list_free(diags);
	return code;
}
