/* varve fix: timestamp revisions to sequential numbers (SPEC §7). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define GREEN "\033[1;32m"
#define RESET "\033[0m"

enum { OPT_DRY_RUN = 1, OPT_YES, OPT_LINEARIZE, OPT_AGAINST, OPT_DATABASE, OPT_RECOVER };

/*
 * SIGINT, SIGTERM or SIGHUP while the plan is applied: the library sees
 * the flag between its steps and undoes them, or, once the manifest is
 * in place, finishes; either way varve then exits with 128 + the signal.
 * Every signal of the three is caught until then (a second Ctrl-C must
 * not cut the undo short; kill -9 leaves the journal for --recover).
 */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction before[3];

/* Catch them (not those ignored, as under nohup); put back what was. */
static void catch_signals(bool on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* libgit2's writes go on */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++) {
		if (!on)
			sigaction(caught[i], &before[i], NULL);
		else if (sigaction(caught[i], NULL, &before[i]) == 0 &&
			 before[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
}

static bool tick(const cli_global *g);

/* varve fix --recover: complete or undo the fix a kill -9 cut short. */
static int recover(cli_global *g)
{
	varve_fix_recovered r;
	int status;

	if ((status = varve_fix_recover(g->manifest, &r)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		return exit_for_status(status);
	}
	if (r.outcome == VARVE_FIX_NOTHING) {
		if (tick(g))
			printf("No interrupted fix of %s: nothing to recover\n", g->manifest);
		return EXIT_OK;
	}
	if (tick(g))
		printf("%s the interrupted fix of %s (%zu file%s)\n",
		       r.outcome == VARVE_FIX_COMPLETED ? "Completed" : "Undid", g->manifest,
		       r.files, r.files == 1 ? "" : "s");
	if (r.outcome == VARVE_FIX_COMPLETED && r.database && !g->quiet)
		fprintf(stderr, "varve: note: the version table may still hold the old "
				"revisions: the next 'varve upgrade' renames them\n");
	return EXIT_OK;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* "✓ " in colour, unless quiet. */
static bool tick(const cli_global *g)
{
	if (g->quiet)
		return false;
	printf("%s✓%s ", color(g, false, GREEN), color(g, false, RESET));
	return true;
}

/* What the plan does, one line per file (or revision) and link. */
static void print_plan(const varve_fix *plan)
{
	for (size_t i = 0; i < varve_fix_count(plan); i++) {
		const varve_fix_item *it = varve_fix_at(plan, i);

		printf("%s → %s", it->old_revision, it->new_revision);
		for (size_t k = 0; k < it->path_count; k++)
			printf("%s%s → %s", k ? ", " : ": ", it->old_paths[k],
			       base_name(it->new_paths[k]));
		putchar('\n');
	}
	for (size_t i = 0; i < varve_fix_link_count(plan); i++) {
		const varve_fix_link *l = varve_fix_link_at(plan, i);

		printf("%s: down_revision %s → %s\n", l->revision, l->old_parent, l->new_parent);
	}
}

static void print_done(const cli_global *g, const varve_fix *plan, const char *db)
{
	for (size_t i = 0; i < varve_fix_count(plan); i++) {
		const varve_fix_item *it = varve_fix_at(plan, i);

		for (size_t k = 0; k < it->path_count; k++)
			if (tick(g))
				printf("Converted %s → %s\n", it->old_paths[k],
				       base_name(it->new_paths[k]));
		if (!it->path_count && tick(g))
			printf("Converted %s → %s\n", it->old_revision, it->new_revision);
		if (it->row_renamed && tick(g))
			printf("Renamed %s → %s in %s\n", it->old_revision, it->new_revision, db);
	}
	for (size_t i = 0; i < varve_fix_link_count(plan); i++) {
		const varve_fix_link *l = varve_fix_link_at(plan, i);

		if (tick(g))
			printf("Re-parented %s onto %s (was %s)\n", l->revision, l->new_parent,
			       l->old_parent);
	}
	if (tick(g))
		printf("Updated %s\n", g->manifest);
}

/* The plan, done or not, as JSON. */
static json_t *plan_json(const cli_global *g, const varve_fix *plan, bool dry_run,
			 const char *db)
{
	json_t *doc = out_document("fix"), *items = json_array(), *links = json_array();

	for (size_t i = 0; i < varve_fix_count(plan); i++) {
		const varve_fix_item *it = varve_fix_at(plan, i);
		json_t *files = json_array();

		for (size_t k = 0; k < it->path_count; k++)
			json_array_append_new(files, json_pack("{s:s, s:s}", "from",
				it->old_paths[k], "to", it->new_paths[k]));
		json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:b}",
			"from", it->old_revision, "to", it->new_revision, "files", files,
			"row_renamed", it->row_renamed));
	}
	for (size_t i = 0; i < varve_fix_link_count(plan); i++) {
		const varve_fix_link *l = varve_fix_link_at(plan, i);

		json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "revision", l->revision,
			"from", l->old_parent, "to", l->new_parent));
	}
	json_object_set_new(doc, "manifest", json_string(redacted(g->manifest)));
	json_object_set_new(doc, "dry_run", json_boolean(dry_run));
	json_object_set_new(doc, "history", json_boolean(varve_fix_history(plan)));
	json_object_set_new(doc, "database", db ? json_string(db) : json_null());
	json_object_set_new(doc, "renumbered", items);
	json_object_set_new(doc, "relinked", links);
	return doc;
}

/* Ask on the terminal; true for y or yes. */
static bool confirm(size_t n)
{
	char line[64];

	fprintf(stderr, "Renumber %zu migration%s? [y/N] ", n, n == 1 ? "" : "s");
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return strcmp(line, "y\n") == 0 || strcmp(line, "Y\n") == 0 || strcmp(line, "yes\n") == 0;
}

int cmd_fix(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("fix");
	varve_fix_options opts = VARVE_FIX_OPTIONS_INIT;
	varve_fix_apply_options apply = VARVE_FIX_APPLY_OPTIONS_INIT;
	varve_fix *plan = NULL;
	varve_diag_list *diags = NULL;
	bool dry_run = false, yes = false, database = false, session = false, recovering = false;
	bool json;
	cli_session s;
	cli_parser p;
	int id, status, code = EXIT_OK;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0) {
		switch (id) {
		case OPT_DRY_RUN: dry_run = true; break;
		case OPT_YES: yes = true; break;
		case OPT_LINEARIZE: opts.linearize = true; break;
		case OPT_AGAINST: opts.against = p.arg; break;
		case OPT_DATABASE: database = true; break;
		case OPT_RECOVER: recovering = true; break;
		}
	}
	if (id < 0)
		return EXIT_USAGE;
	if (p.npos > 0)
		return cli_usage_error(self, "unexpected argument '%s'", argv[0]);
	if (recovering && (dry_run || opts.linearize || opts.against || database))
		return cli_usage_error(self, "--recover takes no other option");
	if (recovering)
		return recover(g);
	json = g->format == FORMAT_JSON;
	if (varve_diag_list_new(&diags) != 0) {
		out_error(g, "%s", varve_error_last());
		return EXIT_FINDINGS;
	}
	if ((status = varve_fix_plan(&plan, g->manifest, &opts, diags)) != VARVE_OK) {
		varve_diag_list_sort(diags);
		for (size_t i = 0; i < varve_diag_list_count(diags); i++)
			out_diagnostic(g, varve_diag_list_at(diags, i));
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	if (!varve_fix_history(plan) && !g->quiet)
		fprintf(stderr, "varve: note: not in a git repository: numbering by timestamp\n");
	if (varve_fix_shallow(plan) && !g->quiet)
		fprintf(stderr, "varve: warning: the git history is shallow: migrations that "
				"entered before its oldest commit count as entered there "
				"('git fetch --unshallow' fetches the rest)\n");
	if (!varve_fix_count(plan) && !varve_fix_link_count(plan)) {
		if (json)
			out_json(plan_json(g, plan, dry_run, NULL));
		else if (tick(g))
			printf("No timestamp migrations in %s: nothing to fix\n", g->manifest);
		goto done;
	}
	if (dry_run) {
		if (json) {
			out_json(plan_json(g, plan, true, NULL));
			goto done;
		}
		print_plan(plan);
		if (!g->quiet)
			printf("(dry run: nothing changed)\n");
		goto done;
	}
	if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			out_error(g, "not a terminal: pass --yes to renumber %zu migration%s "
				     "(or --dry-run to see them)",
				  varve_fix_count(plan),
				  varve_fix_count(plan) == 1 ? "" : "s");
			code = EXIT_USAGE;
			goto done;
		}
		if (!json)
			print_plan(plan);
		if (!confirm(varve_fix_count(plan))) {
			out_error(g, "nothing changed");
			code = EXIT_FINDINGS;
			goto done;
		}
	}
	if (database) {
		session = true;
		if ((code = session_open(g, &s, true)) != EXIT_OK)
			goto done;
		apply.db = s.db;
		apply.lock_wait = g->lock_wait;
		/* The runners' lock first, while Ctrl-C still simply ends the
		 * wait: nothing has changed yet. */
		if ((status = varve_db_lock(s.db, g->lock_wait)) != VARVE_OK) {
			out_error(g, "%s; nothing changed", varve_error_last());
			code = exit_for_status(status);
			goto done;
		}
	}
	apply.stop = &stop_signal;
	catch_signals(true);
	status = varve_fix_apply(plan, &apply);
	catch_signals(false);
	if (status == VARVE_EINTERRUPTED) {
		out_error(g, "interrupted; nothing changed");
		code = 128 + (int)stop_signal;
		goto done;
	}
	if (status != VARVE_OK) {
		out_error(g, "%s; nothing changed", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	if (json)
		out_json(plan_json(g, plan, false, database ? varve_db_display(s.db) : NULL));
	else
		print_done(g, plan, database ? varve_db_display(s.db) : "");
	if (stop_signal) /* it came too late to undo: the fix is complete */
		code = 128 + (int)stop_signal;
done:
	if (session)
		session_close(&s);
	varve_fix_free(plan);
	varve_diag_list_free(diags);
	return code;
}
