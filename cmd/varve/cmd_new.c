/* varve init, new, merge and hash: the commands that write (SPEC §6). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define GREEN "\033[1;32m"
#define RESET "\033[0m"

enum { OPT_MESSAGE = 1, OPT_TIMESTAMP, OPT_SEQUENTIAL, OPT_NO_TRANSACTION, OPT_DIRECTORY,
       OPT_HEAD };

static void ok(const cli_global *g, const char *fmt, const char *a, const char *b, const char *c)
{
	if (g->quiet)
		return;
	printf("%s✓%s ", color(g, false, GREEN), color(g, false, RESET));
	printf(fmt, a, b, c);
	putchar('\n');
}

/*
 * new, merge and hash write a few files and rename one: short enough to
 * finish whatever Ctrl-C, SIGTERM or SIGHUP says. Those wait (blocked)
 * while the library edits, so that no temporary file and no half of an
 * edit is left; the signal takes effect when they are let through again,
 * after the result was printed.
 */
static sigset_t held;

static void hold_signals(void)
{
	sigemptyset(&held);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGTERM);
	sigaddset(&held, SIGHUP);
	sigaddset(&held, SIGQUIT);
	sigprocmask(SIG_BLOCK, &held, NULL);
}

static void release_signals(void)
{
	fflush(stdout);
	fflush(stderr);
	sigprocmask(SIG_UNBLOCK, &held, NULL);
}

/*
 * A library failure: the findings that explain it (a manifest that does
 * not load), then the message. Returns the exit code.
 */
static int failed(const cli_global *g, int status, varve_diag_list *diags)
{
	if (diags && varve_diag_list_count(diags)) {
		varve_diag_list_sort(diags);
		for (size_t i = 0; i < varve_diag_list_count(diags); i++)
			out_diagnostic(g, varve_diag_list_at(diags, i));
	}
	out_error(g, "%s", varve_error_last());
	return exit_for_status(status);
}

/* Parse a command without positional arguments; -1 after a usage error. */
static int no_positionals(const cli_command *self, const cli_parser *p, char **argv)
{
	if (p->npos > 0) {
		cli_usage_error(self, "unexpected argument '%s'", argv[0]);
		return -1;
	}
	return 0;
}

/* The manifest's name as shown: the path as given. */
static const char *shown(const cli_global *g)
{
	return g->manifest;
}

int cmd_init(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("init");
	const char *directory = "migrations";
	cli_parser p;
	int id, status;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0)
		if (id == OPT_DIRECTORY)
			directory = p.arg;
	if (id < 0 || no_positionals(self, &p, argv) < 0)
		return EXIT_USAGE;
	if ((status = varve_init(g->manifest, directory)) != VARVE_OK)
		return failed(g, status, NULL);
	ok(g, "Created %s and %s/%s", shown(g), directory, "");
	return EXIT_OK;
}

/* "child of 0003", "a root", "merge of 0003, 0004" into buf. */
static const char *relation(char *buf, size_t size, const varve_added *a)
{
	size_t n = 0;

	if (!a->parent_count)
		return "a root";
	n += (size_t)snprintf(buf, size, "%s of ", a->parent_count > 1 ? "merge" : "child");
	for (size_t i = 0; i < a->parent_count && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", a->parents[i]);
	return buf;
}

int cmd_new(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("new");
	varve_new_options opts = VARVE_NEW_OPTIONS_INIT;
	varve_added added = VARVE_ADDED_INIT;
	varve_diag_list *diags = NULL;
	char rel[1024];
	cli_parser p;
	int id, status, code = EXIT_OK;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0) {
		switch (id) {
		case OPT_MESSAGE:
			opts.description = p.arg;
			break;
		case OPT_TIMESTAMP:
			opts.override_naming = true;
			opts.naming = VARVE_NAMING_TIMESTAMP;
			break;
		case OPT_SEQUENTIAL:
			opts.override_naming = true;
			opts.naming = VARVE_NAMING_SEQUENTIAL;
			break;
		case OPT_NO_TRANSACTION:
			opts.transaction = false;
			break;
		case OPT_HEAD:
			opts.head = p.arg;
			break;
		}
	}
	if (id < 0 || no_positionals(self, &p, argv) < 0)
		return EXIT_USAGE;
	if (!opts.description || !*opts.description)
		return cli_usage_error(self, "a description is required: -m DESC");
	if (varve_diag_list_new(&diags) != 0)
		return failed(g, VARVE_ENOMEM, NULL);
	hold_signals();
	if ((status = varve_new(&added, g->manifest, &opts, diags)) != VARVE_OK) {
		code = failed(g, status, diags);
		goto done;
	}
	ok(g, "Created %s%s%s", added.file, "", "");
	ok(g, "Added %s (%s) to %s", added.revision, relation(rel, sizeof(rel), &added), shown(g));
done:
	release_signals();
	varve_added_dispose(&added);
	varve_diag_list_free(diags);
	return code;
}

int cmd_merge(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("merge");
	varve_new_options opts = VARVE_NEW_OPTIONS_INIT;
	varve_added added = VARVE_ADDED_INIT;
	varve_diag_list *diags = NULL;
	char rel[1024];
	cli_parser p;
	int id, status, code = EXIT_OK;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0) {
		if (id == OPT_MESSAGE) {
			opts.description = p.arg;
		} else if (id == OPT_TIMESTAMP || id == OPT_SEQUENTIAL) {
			opts.override_naming = true;
			opts.naming = id == OPT_TIMESTAMP ? VARVE_NAMING_TIMESTAMP
							  : VARVE_NAMING_SEQUENTIAL;
		}
	}
	if (id < 0 || no_positionals(self, &p, argv) < 0)
		return EXIT_USAGE;
	if (varve_diag_list_new(&diags) != 0)
		return failed(g, VARVE_ENOMEM, NULL);
	hold_signals();
	if ((status = varve_merge(&added, g->manifest, &opts, diags)) != VARVE_OK) {
		code = failed(g, status, diags);
		goto done;
	}
	ok(g, "Added %s (%s) to %s", added.revision, relation(rel, sizeof(rel), &added), shown(g));
done:
	release_signals();
	varve_added_dispose(&added);
	varve_diag_list_free(diags);
	return code;
}

int cmd_hash(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("hash");
	varve_diag_list *diags = NULL;
	char count[32];
	size_t changed;
	cli_parser p;
	int id, status, code = EXIT_OK;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0)
		;
	if (id < 0 || no_positionals(self, &p, argv) < 0)
		return EXIT_USAGE;
	if (varve_diag_list_new(&diags) != 0)
		return failed(g, VARVE_ENOMEM, NULL);
	hold_signals();
	if ((status = varve_hash(&changed, g->manifest, diags)) != VARVE_OK) {
		code = failed(g, status, diags);
		goto done;
	}
	if (g->format == FORMAT_JSON) {
		json_t *doc = out_document("hash");

		json_object_set_new(doc, "manifest", json_string(redacted(shown(g))));
		json_object_set_new(doc, "written", json_integer((json_int_t)changed));
		out_json(doc);
		goto done;
	}
	snprintf(count, sizeof(count), "%zu", changed);
	if (changed)
		ok(g, "Wrote %s checksum%s in %s", count, changed == 1 ? "" : "s", shown(g));
	else
		ok(g, "Checksums in %s are up to date%s%s", shown(g), "", "");
done:
	release_signals();
	varve_diag_list_free(diags);
	return code;
}
