/*
 * varve schema dump: the canonical schema as SQL DDL (docs/schema.md), of
 * a database (-d URL) or of a scratch server migrated to head.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { OPT_OUTPUT = 1, OPT_OWNERS };

const cli_option cli_schema_options[] = {
    {"output", 'o', true, OPT_OUTPUT, "FILE", "write the SQL to FILE instead of stdout"},
    {"owners", 0, false, OPT_OWNERS, NULL, "also dump owners (ALTER ... OWNER TO)"},
    {NULL, 0, false, 0, NULL, NULL},
};

/* A failed migration while building head, as `upgrade` says it. */
static void print_failure(cli_global *g, const varve_failure *f)
{
	if (f->file) {
		fprintf(stderr, "%s", shown_arg(f->file));
		if (f->line)
			fprintf(stderr, ":%u", f->line);
		if (f->line && f->column)
			fprintf(stderr, ":%u", f->column);
		fprintf(stderr, ": %serror:%s ", color(g, true, "\033[1;31m"),
			color(g, true, "\033[0m"));
	} else {
		fprintf(stderr, "varve: %serror:%s '%s' failed: ", color(g, true, "\033[1;31m"),
			color(g, true, "\033[0m"), f->revision);
	}
	fputs(shown_arg(f->message), stderr);
	if (f->sqlstate && *f->sqlstate)
		fprintf(stderr, " [%s]", f->sqlstate);
	fputc('\n', stderr);
	if (f->detail)
		fprintf(stderr, "  detail: %s\n", shown_arg(f->detail));
	if (f->hint)
		fprintf(stderr, "  hint: %s\n", shown_arg(f->hint));
}

/* The schema of -d URL (the manifest, when there is one, names the
 * version table to leave out). */
static int capture_database(cli_global *g, const varve_schema_options *opts, varve_schema **out)
{
	varve_schema_options o = *opts;
	varve_manifest *m = NULL;
	varve_graph *graph = NULL;
	varve_db *db = NULL;
	char *conninfo = NULL;
	const char *table = "varve_version";
	int status, code = EXIT_OK;

	if (access(g->manifest, F_OK) == 0) {
		if ((code = load_graph(g, &m, &graph)) != EXIT_OK)
			return code;
	}
	if (m && varve_manifest_version_table(m))
		table = varve_manifest_version_table(m);
	if (varve_conninfo_resolve(&conninfo, g->database, NULL) != VARVE_OK) {
		out_error(g, "out of memory");
		code = EXIT_FINDINGS;
		goto done;
	}
	if ((status = varve_db_open(&db, conninfo, table)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	o.exclude_table = varve_db_table(db);
	if ((status = varve_schema_capture(out, varve_db_conn(db), &o)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
	}
done:
	varve_db_free(db);
	free(conninfo);
	varve_graph_free(graph);
	varve_manifest_free(m);
	return code;
}

/* The schema of the manifest's head, built on a scratch server. */
static int capture_head(cli_global *g, const varve_schema_options *opts, varve_schema **out)
{
	varve_manifest *m = NULL;
	varve_graph *graph = NULL;
	varve_failure *failure = NULL;
	int status, code;

	if ((code = load_graph(g, &m, &graph)) != EXIT_OK)
		return code;
	if (g->verbose)
		fprintf(stderr, "varve: building head on a scratch server\n");
	if ((status = varve_schema_head(out, graph, opts, &failure)) != VARVE_OK) {
		if (failure)
			print_failure(g, failure);
		else
			out_error(g, "%s", varve_error_last());
		code = status == VARVE_ENOTFOUND ? EXIT_DATABASE : exit_for_status(status);
	}
	varve_failure_free(failure);
	varve_graph_free(graph);
	varve_manifest_free(m);
	return code;
}

/* Write `text` to `path` through a temporary file and a rename. */
static int write_output(cli_global *g, const char *path, const char *text)
{
	size_t len = strlen(path) + 16;
	char *tmp = malloc(len);
	FILE *f;
	int ok;

	if (!tmp) {
		out_error(g, "out of memory");
		return EXIT_FINDINGS;
	}
	snprintf(tmp, len, "%s.tmp%ld", path, (long)getpid());
	if (!(f = fopen(tmp, "w"))) {
		out_error(g, "cannot write '%s': %s", shown_arg(path), strerror(errno));
		free(tmp);
		return EXIT_USAGE;
	}
	ok = fputs(text, f) >= 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		out_error(g, "cannot write '%s': %s", shown_arg(path), strerror(errno));
		unlink(tmp);
		free(tmp);
		return EXIT_USAGE;
	}
	free(tmp);
	return EXIT_OK;
}

/* {"varve": 1, "command": "schema dump", "objects": [...]}, malloc'd. */
static char *schema_json(const varve_schema *schema)
{
	json_t *doc = out_document("schema dump"), *list = json_array();
	char *text = NULL;

	for (size_t i = 0; doc && list && i < varve_schema_count(schema); i++) {
		const char *kind, *name, *definition;

		varve_schema_at(schema, i, &kind, &name, &definition);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "kind", kind, "name", name,
						      "definition", definition));
	}
	if (doc && list && json_object_set_new(doc, "objects", list) == 0) {
		list = NULL;
		text = json_dumps(doc, CLI_JSON_FLAGS);
	}
	json_decref(list);
	json_decref(doc);
	if (text) {
		/* One document and a line break, as out_json prints it. */
		size_t len = strlen(text);
		char *t = realloc(text, len + 2);

		if (!t) {
			free(text);
			return NULL;
		}
		t[len] = '\n';
		t[len + 1] = '\0';
		text = t;
	}
	return text;
}

int cmd_schema(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("schema");
	varve_schema_options opts = VARVE_SCHEMA_OPTIONS_INIT;
	varve_schema *schema = NULL;
	const char *output = NULL;
	char *sql = NULL;
	cli_parser p;
	int id, status, code;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0) {
		if (id == OPT_OUTPUT)
			output = p.arg;
		else if (id == OPT_OWNERS)
			opts.owners = true;
	}
	if (id < 0)
		return EXIT_USAGE;
	if (p.npos == 0)
		return cli_usage_error(self, "missing subcommand: 'varve schema dump'");
	if (strcmp(argv[0], "dump") != 0)
		return cli_usage_error(self, "unknown subcommand '%s' (schema has 'dump')",
				       argv[0]);
	if (p.npos > 1)
		return cli_usage_error(self, "unexpected argument '%s'", argv[1]);
	if (g->database && !g->scratch)
		code = capture_database(g, &opts, &schema);
	else
		code = capture_head(g, &opts, &schema);
	if (code != EXIT_OK)
		goto done;
	if (g->format == FORMAT_JSON) {
		if (!(sql = schema_json(schema))) {
			out_error(g, "out of memory");
			code = EXIT_FINDINGS;
			goto done;
		}
	} else if ((status = varve_schema_sql(&sql, schema)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	if (output) {
		code = write_output(g, output, sql);
		if (code == EXIT_OK && !g->quiet)
			fprintf(stderr, "varve: wrote '%s' (%zu objects)\n", shown_arg(output),
				varve_schema_count(schema));
	} else {
		fputs(sql, stdout);
	}
done:
	free(sql);
	varve_schema_free(schema);
	return code;
}
