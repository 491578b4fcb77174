/* varve import: a manifest for another tool's folder, and its applied state. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_FROM = 1, OPT_FORCE, OPT_DRY_RUN, OPT_TABLE };

/* The command's options (its entry in main.c's table points here). */
const cli_option cli_import_options[] = {
	{ "from", 0, true, 1, "TOOL",
	  "pycopg, sqlspec, manticore, golang-migrate, dbmate, goose, flyway, sqitch, auto" },
	{ "force", 0, false, 2, NULL,
	  "replace an existing manifest; record applied versions despite gaps" },
	{ "dry-run", 0, false, 3, NULL, "print the manifest and what would be recorded" },
	{ "table", 0, true, 4, "NAME", "the tool's version table, when not its default" },
	{ NULL, 0, false, 0, NULL, NULL },
};

/* The folder's path when none is given: `migrations` beside the manifest. */
static char *default_dir(const char *manifest)
{
	const char *slash = strrchr(manifest, '/');
	size_t n = slash ? (size_t)(slash - manifest) + 1 : 0;
	char *dir = malloc(n + sizeof("migrations"));

	if (dir) {
		memcpy(dir, manifest, n);
		memcpy(dir + n, "migrations", sizeof("migrations"));
	}
	return dir;
}

static void print_entries(const cli_global *g, const varve_import *im)
{
	if (g->verbose <= 0)
		return;
	for (size_t i = 0; i < varve_import_count(im); i++) {
		const varve_import_entry *e = varve_import_at(im, i);

		printf("  %s", printable(e->revision));
		if (strcmp(e->revision, e->version) != 0)
			printf(" (%s %s)", varve_import_tool_name(varve_import_tool_used(im)),
			       printable(e->version));
		printf("  %s\n", printable(e->file ? e->file : e->up));
	}
}

/* The applied state read from the tool's table, before or after recording. */
static void print_applied(const cli_global *g, const varve_import *im, bool dry_run,
			  bool refused)
{
	size_t n = varve_import_applied_count(im), dirty = 0, missing = 0, done = 0;
	const char *tool = varve_import_tool_name(varve_import_tool_used(im));

	for (size_t i = 0; i < n; i++) {
		const varve_import_applied *a = varve_import_applied_at(im, i);

		if (!a->revision) {
			missing++;
			fprintf(stderr, "varve: warning: %s records version %s as applied, but "
					"no file has it\n", tool, printable(a->version));
			continue;
		}
		if (a->dirty) {
			dirty++;
			fprintf(stderr, "varve: warning: %s marks version %s dirty (failed "
					"part-way): '%s' is recorded dirty; repair it, then run "
					"'varve resolve %s --applied' or '--rolled-back'\n", tool,
				printable(a->version), printable(a->revision), printable(a->revision));
		}
		if (a->recorded)
			done++;
		if (refused)
			continue;
		if (dry_run)
			printf("would record %s%s\n", printable(a->revision), a->dirty ? " (dirty)" : "");
		else if (a->recorded && g->verbose > 0)
			printf("recorded %s%s\n", printable(a->revision), a->dirty ? " (dirty)" : "");
	}
	if (g->quiet || refused)
		return;
	if (dry_run)
		printf("%s: %zu applied in %s (%zu dirty, %zu without a file); nothing "
		       "recorded (dry run)\n", tool, n - missing,
		       printable(varve_import_applied_table(im)), dirty, missing);
	else
		printf("Recorded %zu applied migration%s from %s%s%s, no SQL run\n", done,
		       done == 1 ? "" : "s", printable(varve_import_applied_table(im)),
		       dirty ? " (dirty: " : "", dirty ? "see above)" : "");
}

int cmd_import(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("import");
	const char *from = NULL, *table = NULL;
	bool force = false, dry_run = false;
	varve_import_tool tool;
	varve_import *im = NULL;
	varve_diag_list *diags = NULL;
	varve_db *db = NULL;
	char *dir = NULL, *conninfo = NULL;
	size_t present = 0;
	cli_parser p;
	int id, status, code = EXIT_OK;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0) {
		switch (id) {
		case OPT_FROM: from = p.arg; break;
		case OPT_FORCE: force = true; break;
		case OPT_DRY_RUN: dry_run = true; break;
		case OPT_TABLE: table = p.arg; break;
		}
	}
	if (id < 0)
		return EXIT_USAGE;
	if (!from)
		return cli_usage_error(self, "which tool? e.g. 'varve import --from golang-migrate'");
	if (p.npos > 1)
		return cli_usage_error(self, "unexpected argument '%s'", argv[1]);
	if (varve_import_tool_parse(&tool, from) != 0)
		return cli_usage_error(self, "%s", varve_error_last());
	if (table && !g->database)
		return cli_usage_error(self, "--table needs --database");
	dir = p.npos ? strdup(argv[0]) : default_dir(g->manifest);
	if (!dir || varve_diag_list_new(&diags) != 0) {
		out_error(g, "out of memory");
		code = EXIT_FINDINGS;
		goto done;
	}
	status = varve_import_plan(&im, g->manifest, dir, tool, diags);
	varve_diag_list_sort(diags);
	out_diagnostics(g, diags);
	if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = status == VARVE_EIO ? EXIT_USAGE : EXIT_FINDINGS;
		goto done;
	}
	if (tool == VARVE_IMPORT_AUTO && !g->quiet)
		fprintf(stderr, "varve: recognised %s (%s) in %s\n",
			varve_import_tool_name(varve_import_tool_used(im)),
			varve_import_reason(im), printable(dir));
	/* The applied state is read before anything is written, so a table
	 * that is not the tool's leaves everything as it was. */
	if (g->database) {
		if (varve_conninfo_resolve(&conninfo, g->database, NULL) != 0 ||
		    (status = varve_db_open(&db, conninfo, "varve_version")) != 0 ||
		    (status = varve_import_read_applied(im, db, table)) != 0) {
			out_error(g, "%s", varve_error_last());
			code = exit_for_status(status);
			goto done;
		}
		varve_db_set_lock_wait(db, g->lock_wait);
		varve_db_applied(db, &present);
		if (present && !force) {
			out_error(g, "%s already records %zu migration%s; nothing written "
				     "(--force records only what it lacks)", varve_db_table(db),
				  present, present == 1 ? "" : "s");
			code = EXIT_FINDINGS;
			goto done;
		}
		if (!force)
			for (size_t i = 0; i < varve_import_applied_count(im); i++)
				if (!varve_import_applied_at(im, i)->revision) {
					print_applied(g, im, true, true);
					out_error(g, "an applied version has no file; nothing written "
						     "(--force imports the folder and records the others)");
					code = EXIT_FINDINGS;
					goto done;
				}
	}
	if (dry_run) {
		fwrite(varve_import_yaml(im, NULL), 1, strlen(varve_import_yaml(im, NULL)), stdout);
		if (db)
			print_applied(g, im, true, false);
		if (!g->quiet)
			printf("(dry run: nothing written)\n");
		goto done;
	}
	if ((status = varve_import_write(im, force)) != 0) {
		out_error(g, "%s; nothing written", varve_error_last());
		code = status == VARVE_EEXISTS ? EXIT_FINDINGS : exit_for_status(status);
		goto done;
	}
	print_entries(g, im);
	if (!g->quiet)
		printf("Imported %zu migration%s from %s (%s) into %s\n", varve_import_count(im),
		       varve_import_count(im) == 1 ? "" : "s", printable(dir),
		       varve_import_tool_name(varve_import_tool_used(im)), printable(g->manifest));
	if (db) {
		if ((status = varve_import_record(im, db, force)) != 0) {
			out_error(g, "%s", varve_error_last());
			code = exit_for_status(status);
			goto done;
		}
		print_applied(g, im, false, false);
	}
done:
	varve_db_free(db);
	free(conninfo);
	varve_import_free(im);
	varve_diag_list_free(diags);
	free(dir);
	return code;
}
