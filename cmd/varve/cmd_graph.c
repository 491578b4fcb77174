/* varve heads, graph and history: views of the manifest's graph, no database. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static json_t *migration_json(const varve_graph *graph, size_t node)
{
	const varve_migration *m = varve_graph_node(graph, node);
	json_t *parents = json_array();
	size_t nparents, nchildren;

	for (size_t i = 0; i < varve_migration_parent_count(m); i++)
		json_array_append_new(parents, json_string(varve_migration_parent(m, i)));
	varve_graph_parents(graph, node, &nparents);
	varve_graph_children(graph, node, &nchildren);
	return json_pack("{s:s, s:o, s:s?, s:s?, s:b}",
			 "revision", varve_migration_revision(m),
			 "down_revision", parents,
			 "description", varve_migration_description(m),
			 "branch", varve_migration_branch(m),
			 "head", nchildren == 0);
}

/*
 * Print {"varve": 1, "command": command, key: list} (docs/json.md): the
 * format version first, so a reader can refuse a format it does not know.
 * Steals `list`.
 */
static void print_json(const char *command, const char *key, json_t *list)
{
	json_t *doc = json_pack("{s:i, s:s, s:o}", "varve", VARVE_JSON_FORMAT, "command", command,
				key, list);

	json_dumpf(doc, stdout, CLI_JSON_FLAGS);
	fputc('\n', stdout);
	json_decref(doc);
}

int cmd_heads(cli_global *g, int argc, char **argv)
{
	int flags;
	varve_manifest *m;
	varve_graph *graph;
	const size_t *heads;
	size_t n, width = 0;
	int code;

	if (cli_parse_flags(g, "heads", argc, argv, &flags, 0) < 0)
		return EXIT_USAGE;
	if ((code = load_graph(g, &m, &graph)) != EXIT_OK)
		return code;
	heads = varve_graph_heads(graph, &n);
	if (g->format == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, migration_json(graph, heads[i]));
		print_json("heads", "heads", arr);
		goto done;
	}
	if (g->quiet) /* -q: errors only */
		goto done;
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(varve_migration_revision(varve_graph_node(graph, heads[i])));

		width = w > width ? w : width;
	}
	for (size_t i = 0; i < n; i++) {
		const varve_migration *mig = varve_graph_node(graph, heads[i]);
		const char *label = varve_migration_branch(mig);
		const char *desc = printable(varve_migration_description(mig));

		printf("%-*s (head)%s%s%s%s%s\n", (int)width,
		       varve_migration_revision(mig), label ? " [" : "",
		       label ? label : "", label ? "]" : "", desc ? "  " : "",
		       desc ? desc : "");
	}
done:
	varve_graph_free(graph);
	varve_manifest_free(m);
	return EXIT_OK;
}

/* DOT and Mermaid labels: quotes and backslashes escaped, newlines dropped. */
static void print_escaped(const char *s, const char *quote_as)
{
	for (; s && *s; s++) {
		if (*s == '"')
			fputs(quote_as, stdout);
		else if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s != '\n' && *s != '\r')
			fputc(*s, stdout);
	}
}

int cmd_graph(cli_global *g, int argc, char **argv)
{
	int flags;
	bool mermaid;
	varve_manifest *m;
	varve_graph *graph;
	const size_t *order;
	size_t n;
	int code;

	if (cli_parse_flags(g, "graph", argc, argv, &flags, 0) < 0)
		return EXIT_USAGE;
	mermaid = g->format == FORMAT_MERMAID;
	if ((code = load_graph(g, &m, &graph)) != EXIT_OK)
		return code;
	order = varve_graph_order(graph, &n);
	printf(mermaid ? "graph BT\n" : "digraph varve {\n\trankdir=BT;\n\tnode [shape=box];\n");
	for (size_t i = 0; i < n; i++) {
		const varve_migration *mig = varve_graph_node(graph, order[i]);
		const char *rev = varve_migration_revision(mig);
		const char *desc = printable(varve_migration_description(mig));
		const char *label = varve_migration_branch(mig);

		if (mermaid) {
			printf("    r%s[\"%s", rev, rev);
			if (desc) {
				fputs(" ", stdout);
				print_escaped(desc, "#quot;");
			}
			if (label)
				printf(" [%s]", label);
			fputs("\"]\n", stdout);
		} else {
			printf("\t\"%s\" [label=\"%s", rev, rev);
			if (desc) {
				fputs("\\n", stdout);
				print_escaped(desc, "\\\"");
			}
			if (label)
				printf("\\n[%s]", label);
			fputs("\"];\n", stdout);
		}
	}
	for (size_t i = 0; i < n; i++) {
		const varve_migration *mig = varve_graph_node(graph, order[i]);
		size_t np;
		const size_t *parents = varve_graph_parents(graph, order[i], &np);

		for (size_t j = 0; j < np; j++) {
			const char *from = varve_migration_revision(varve_graph_node(graph, parents[j]));

			if (mermaid)
				printf("    r%s --> r%s\n", from, varve_migration_revision(mig));
			else
				printf("\t\"%s\" -> \"%s\";\n", from, varve_migration_revision(mig));
		}
	}
	if (!mermaid)
		printf("}\n");
	varve_graph_free(graph);
	varve_manifest_free(m);
	return EXIT_OK;
}

/*
 * The lanes of `history --graph`, drawn as git log --graph does: each lane
 * waits for a node; a node takes the leftmost lane waiting for it, and its
 * parents take its lane and new lanes to its right. A lane that then waits
 * for the same node as a lane left of it crosses over to that lane at once,
 * one column a row (so a criss-cross merge lands in the right lane).
 */
typedef struct lanes {
	size_t *node;
	size_t count;
} lanes;

static void print_row(const char *row, size_t width)
{
	size_t end = width;

	while (end > 0 && row[end - 1] == ' ')
		end--;
	fwrite(row, 1, end, stdout);
	fputc('\n', stdout);
}

/*
 * Remove lane `at`; the lanes right of it move one place left ("|/"). A
 * lane that joins its left neighbour draws its own "/" too; a lane that
 * ends (a root) just stops.
 */
static void lane_remove(lanes *l, size_t at, bool joins, char *row)
{
	memset(row, ' ', 2 * l->count + 2);
	for (size_t i = 0; i < at; i++)
		row[2 * i] = '|';
	for (size_t i = joins ? at : at + 1; i < l->count; i++)
		row[2 * i - 1] = '/';
	memmove(&l->node[at], &l->node[at + 1], (l->count - at - 1) * sizeof(size_t));
	l->count--;
}

/*
 * Lane `from` waits for the node lane `to` (< from) waits for: it moves
 * left one column a row until it meets `to`, the lanes right of it moving
 * left with it in the first row ("| |/ /", then "|/| |").
 */
static void lane_collapse(lanes *l, size_t from, size_t to, char *row)
{
	lane_remove(l, from, true, row);
	print_row(row, 2 * l->count + 2);
	for (size_t p = from - 1; p > to; p--) {
		memset(row, ' ', 2 * l->count + 2);
		for (size_t i = 0; i < l->count; i++)
			row[2 * i] = '|';
		row[2 * p - 1] = '/';
		print_row(row, 2 * l->count + 2);
	}
}

/* Collapse every lane that waits for the same node as one left of it. */
static void lanes_dedupe(lanes *l, char *row)
{
	for (size_t j = 1; j < l->count; j++)
		for (size_t i = 0; i < j; i++)
			if (l->node[i] == l->node[j]) {
				lane_collapse(l, j, i, row);
				j = 0; /* the lanes moved: look again */
				break;
			}
}

static void history_row(const varve_graph *graph, size_t node, bool draw,
			const char *prefix, const varve_applied *const *by)
{
	const varve_migration *m = varve_graph_node(graph, node);
	const char *desc = printable(varve_migration_description(m));
	const char *label = varve_migration_branch(m);
	size_t np, nc;
	const size_t *parents = varve_graph_parents(graph, node, &np);

	varve_graph_children(graph, node, &nc);
	if (draw)
		printf("%s ", prefix);
	if (!draw) {
		if (np == 0)
			fputs("<base> -> ", stdout);
		for (size_t i = 0; i < np; i++)
			printf("%s%s", i ? ", " : "",
			       varve_migration_revision(varve_graph_node(graph, parents[i])));
		if (np)
			fputs(" -> ", stdout);
	}
	fputs(varve_migration_revision(m), stdout);
	if (nc == 0)
		fputs(" (head)", stdout);
	if (np > 1)
		fputs(" (merge)", stdout);
	if (nc > 1)
		fputs(" (branchpoint)", stdout);
	if (label)
		printf(" [%s]", label);
	if (by) {
		const size_t *kids = varve_graph_children(graph, node, &nc);
		bool current = by[node] != NULL;

		for (size_t i = 0; i < nc; i++)
			current = current && !by[kids[i]];
		printf(" (%s%s)", !by[node] ? "pending" : by[node]->dirty ? "dirty" : "applied",
		       current ? ", current" : "");
	}
	if (desc)
		printf(", %s", desc);
	fputc('\n', stdout);
}

int cmd_history(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("history");
	cli_session s;
	const varve_applied **by = NULL;
	varve_graph *graph;
	bool want_db = false;
	size_t unknown;
	lanes l = { NULL, 0 };
	char *row = NULL;
	const size_t *order;
	size_t n, edges = 0;
	bool draw = false;
	cli_parser p;
	int id, code;

	cli_parser_init(&p, g, self, argc, argv);
	while ((id = cli_next_option(&p)) > 0) {
		if (id == 1)
			draw = true;
		else
			want_db = true;
	}
	if (id < 0)
		return EXIT_USAGE;
	if (p.npos > 0)
		return cli_usage_error(self, "unexpected argument '%s'", argv[0]);
	if ((code = session_open(g, &s, want_db || g->database || g->scratch)) != EXIT_OK)
		goto done;
	graph = s.graph;
	if (s.db && !(by = session_rows_by_node(&s, &unknown))) {
		out_error(g, "out of memory");
		code = EXIT_FINDINGS;
		goto done;
	}
	order = varve_graph_order(graph, &n);
	if (g->format == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = n; i-- > 0;) {
			json_t *o = migration_json(graph, order[i]);

			if (by)
				json_object_set_new(o, "state", json_string(!by[order[i]] ? "pending"
					: by[order[i]]->dirty ? "dirty" : "applied"));
			json_array_append_new(arr, o);
		}
		print_json("history", "migrations", arr);
		goto done;
	}
	if (g->quiet) /* -q: errors only */
		goto done;
	/* A lane is opened per head and per extra parent: edges + 1 at most. */
	for (size_t i = 0; i < n; i++) {
		size_t np;

		varve_graph_parents(graph, order[i], &np);
		edges += np;
	}
	l.node = malloc((edges + 2) * sizeof(size_t));
	row = malloc(2 * edges + 16);
	if (!l.node || !row) {
		out_error(g, "out of memory");
		code = EXIT_FINDINGS;
		goto done;
	}
	for (size_t k = n; k-- > 0;) {
		size_t node = order[k], at = SIZE_MAX, np;
		const size_t *parents = varve_graph_parents(graph, node, &np);

		if (!draw) {
			history_row(graph, node, false, NULL, by);
			continue;
		}
		for (size_t i = 0; i < l.count; i++)
			if (l.node[i] == node) {
				at = i;
				break;
			}
		if (at == SIZE_MAX) {
			at = l.count;
			l.node[l.count++] = node;
		}
		/* Other lanes waiting for this node join it. */
		for (size_t i = l.count; i-- > at + 1;)
			if (l.node[i] == node) {
				lane_remove(&l, i, true, row);
				print_row(row, 2 * l.count + 2);
			}
		memset(row, ' ', 2 * l.count + 2);
		/* Lanes right of a merge lean right: its parents' lanes open there. */
		for (size_t i = 0; i < l.count; i++)
			row[2 * i] = i == at ? '*' : i > at && np > 1 ? '\\' : '|';
		row[2 * l.count - 1] = '\0';
		history_row(graph, node, true, row, by);
		if (np == 0) {
			lane_remove(&l, at, false, row);
			if (at < l.count)
				print_row(row, 2 * l.count + 2);
			continue;
		}
		l.node[at] = parents[0];
		for (size_t j = 1; j < np; j++) {
			size_t ins = at + j;

			/* "|\" and lanes to the right move one place right. */
			memset(row, ' ', 2 * l.count + 4);
			for (size_t i = 0; i < ins; i++)
				row[2 * i] = '|';
			row[2 * ins - 1] = '\\';
			for (size_t i = ins; i < l.count; i++)
				row[2 * i + 1] = '\\';
			print_row(row, 2 * l.count + 4);
			memmove(&l.node[ins + 1], &l.node[ins],
				(l.count - ins) * sizeof(size_t));
			l.node[ins] = parents[j];
			l.count++;
		}
		lanes_dedupe(&l, row);
	}
done:
	free(row);
	free(l.node);
	free(by);
	session_close(&s);
	return code;
}
