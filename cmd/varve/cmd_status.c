/* varve status, current, stamp and resolve: the database's state. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

enum { OPT_EXIT_CODE = 1, OPT_APPLIED, OPT_ROLLED_BACK, OPT_FLEET, OPT_ONLY, OPT_CONCURRENCY };

int cmd_status(cli_global *g, int argc, char **argv)
{
	cli_session s;
	const varve_applied **by = NULL;
	const size_t *order;
	size_t n, nrows, unknown;
	varve_status_counts c;
	const varve_applied *rows;
	int flags, code, w = 8, cols = terminal_columns(stdout);

	{
		const cli_command *self = cli_find_command("status");
		cli_fleet_request fleet;
		cli_parser parser;
		bool bad = false;
		int id;

		memset(&fleet, 0, sizeof(fleet));
		flags = 0;
		cli_parser_init(&parser, g, self, argc, argv);
		while ((id = cli_next_option(&parser)) > 0) {
			flags |= 1 << id;
			if (id == OPT_FLEET)
				fleet.path = parser.arg;
			else if (id == OPT_ONLY)
				fleet.only = parser.arg;
			else if (id == OPT_CONCURRENCY && !bad)
				bad = !cli_parse_concurrency(self, parser.arg, &fleet.concurrency);
		}
		/* The parser frees its tables once it has seen every word. */
		if (id < 0 || bad)
			return EXIT_USAGE;
		if (parser.npos > 0)
			return cli_usage_error(self, "unexpected argument '%s'", argv[0]);
		if ((fleet.only || fleet.concurrency) && !fleet.path)
			return cli_usage_error(self, "--%s needs --fleet FILE",
					       fleet.only ? "only" : "concurrency");
		if (fleet.path) {
			if (g->database || g->scratch)
				return cli_usage_error(self, "--fleet does not go with %s",
						       g->database ? "--database" : "--scratch");
			fleet.action = VARVE_FLEET_STATUS;
			fleet.direction = VARVE_UPGRADE;
			fleet.target = "head";
			fleet.exit_code = flags & (1 << OPT_EXIT_CODE);
			return cli_fleet(g, &fleet);
		}
	}
	if ((code = session_open(g, &s, true)) != EXIT_OK)
		goto done;
	if (!(by = session_rows_by_node(&s, &unknown))) {
		out_error(g, "out of memory");
		code = EXIT_FINDINGS;
		goto done;
	}
	order = varve_graph_order(s.graph, &n);
	rows = varve_db_applied(s.db, &nrows);
	for (size_t i = 0; i < n; i++) {
		int rw = (int)strlen(varve_migration_revision(varve_graph_node(s.graph, order[i])));

		w = rw > w ? rw : w;
	}
	varve_status(s.db, s.graph, &c);
	if (g->format == FORMAT_JSON) {
		json_t *list = json_array(), *unk = json_array();

		for (size_t i = 0; i < n; i++) {
			const varve_migration *m = varve_graph_node(s.graph, order[i]);
			const varve_applied *a = by[order[i]];

			json_array_append_new(list, json_pack("{s:s, s:s?, s:s, s:s?, s:s?}",
				"revision", varve_migration_revision(m),
				"description", varve_migration_description(m),
				"state", !a ? "pending" : a->dirty ? "dirty" : "applied",
				"applied_at", a ? a->applied_at : NULL,
				"applied_by", a ? a->applied_by : NULL));
		}
		for (size_t i = 0; i < nrows; i++)
			if (varve_graph_find(s.graph, rows[i].revision) < 0)
				json_array_append_new(unk, json_string(rows[i].revision));
		/* "o" steals list and unk: the document owns them. */
		json_t *doc = json_pack("{s:i, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:o}",
					"varve", VARVE_JSON_FORMAT, "command", "status",
					"database", varve_db_display(s.db),
					"table", varve_db_table(s.db),
					"migrations", list,
					"applied", (json_int_t)c.applied,
					"pending", (json_int_t)c.pending,
					"dirty", (json_int_t)c.dirty,
					"unknown", unk);
		json_dumpf(doc, stdout, CLI_JSON_FLAGS);
		fputc('\n', stdout);
		json_decref(doc);
	} else if (!g->quiet) {
		printf("Database  %s\nTable     %s\n\n", varve_db_display(s.db), varve_db_table(s.db));
		printf("  %-*s  %-7s  %-20s  %s\n", w, "REVISION", "STATE", "APPLIED AT", "DESCRIPTION");
		for (size_t i = 0; i < n; i++) {
			const varve_migration *m = varve_graph_node(s.graph, order[i]);
			const varve_applied *a = by[order[i]];
			const char *d = printable(varve_migration_description(m));
			const char *state = !a ? "pending" : a->dirty ? "dirty" : "applied";
			const char *col = !a ? "\033[33m" : a->dirty ? "\033[31m" : "\033[32m";

			printf("  %-*s  %s%-7s%s  %-20s  ", w, varve_migration_revision(m),
			       color(g, false, col), state, color(g, false, "\033[0m"),
			       a ? a->applied_at : "");
			/* On a terminal, the description is cut to what is left. */
			print_fit(stdout, d, cols > 0 ? (cols - (2 + w + 2 + 7 + 2 + 20 + 2) > 8
				  ? cols - (2 + w + 2 + 7 + 2 + 20 + 2) : 8) : -1, false);
			fputc('\n', stdout);
		}
		for (size_t i = 0; i < nrows; i++)
			if (varve_graph_find(s.graph, rows[i].revision) < 0)
				printf("  %-*s  %-7s  %-20s  (not in the manifest)\n", w,
				       rows[i].revision, "unknown", rows[i].applied_at);
		printf("\n%zu applied, %zu pending", c.applied, c.pending);
		if (c.dirty)
			printf(", %zu dirty", c.dirty);
		if (c.unknown)
			printf(", %zu unknown", c.unknown);
		fputc('\n', stdout);
	}
	code = c.dirty ? EXIT_FINDINGS
		: (flags & (1 << OPT_EXIT_CODE)) && c.pending ? EXIT_PENDING : EXIT_OK;
done:
	free(by);
	session_close(&s);
	return code;
}

int cmd_current(cli_global *g, int argc, char **argv)
{
	cli_session s;
	const varve_applied **by = NULL;
	json_t *list = NULL;
	size_t unknown, count;
	int flags, code;

	if (cli_parse_flags(g, "current", argc, argv, &flags, 0) < 0)
		return EXIT_USAGE;
	if ((code = session_open(g, &s, true)) != EXIT_OK)
		goto done;
	if (!(by = session_rows_by_node(&s, &unknown))) {
		out_error(g, "out of memory");
		code = EXIT_FINDINGS;
		goto done;
	}
	count = varve_graph_count(s.graph);
	list = json_array();
	/* The applied heads: applied nodes none of whose children is applied. */
	for (size_t node = 0; node < count; node++) {
		const varve_migration *m = varve_graph_node(s.graph, node);
		const size_t *kids;
		size_t nk;
		bool head = true;

		if (!by[node])
			continue;
		kids = varve_graph_children(s.graph, node, &nk);
		for (size_t k = 0; k < nk; k++)
			head = head && !by[kids[k]];
		if (!head)
			continue;
		if (g->format == FORMAT_JSON) {
			json_array_append_new(list, json_pack("{s:s, s:s?, s:s, s:b}",
				"revision", varve_migration_revision(m),
				"description", varve_migration_description(m),
				"applied_at", by[node]->applied_at, "dirty", by[node]->dirty));
		} else if (!g->quiet) {
			const char *d = printable(varve_migration_description(m));

			printf("%s%s%s%s\n", varve_migration_revision(m), by[node]->dirty ? " (dirty)" : "",
			       d ? "  " : "", d ? d : "");
		}
	}
	if (g->format == FORMAT_JSON) {
		json_t *doc = json_pack("{s:i, s:s, s:O}", "varve", VARVE_JSON_FORMAT,
					"command", "current", "current", list);

		json_dumpf(doc, stdout, CLI_JSON_FLAGS);
		fputc('\n', stdout);
		json_decref(doc);
	} else if (json_array_size(list) == 0 && !varve_db_applied(s.db, &count)) {
		if (!g->quiet)
			printf("(nothing applied)\n");
	}
done:
	json_decref(list);
	free(by);
	session_close(&s);
	return code;
}

int cmd_stamp(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("stamp");
	cli_session s;
	varve_steps *up = NULL, *down = NULL;
	const char *const *applied;
	size_t napplied;
	int flags, npos, status, code;

	if ((npos = cli_parse_flags(g, "stamp", argc, argv, &flags, 1)) < 0)
		return EXIT_USAGE;
	if (npos == 0)
		return cli_usage_error(self, "which target? e.g. 'varve stamp head'");
	if ((code = session_open(g, &s, true)) != EXIT_OK)
		goto done;
	if ((status = session_lock(g, &s)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	applied = session_applied(&s, &napplied);
	/* The state of the target exactly: what it lacks and what it has. */
	status = varve_target_resolve(&down, s.graph, argv[0], VARVE_DOWNGRADE, applied, napplied);
	if (status == VARVE_EUSAGE)
		status = varve_target_resolve(&down, s.graph, "heads", VARVE_DOWNGRADE, applied,
					      napplied);
	if (status == VARVE_OK) {
		status = varve_target_resolve(&up, s.graph, argv[0], VARVE_UPGRADE, applied, napplied);
		if (status == VARVE_EUSAGE) /* base: nothing to add */
			status = varve_target_resolve(&up, s.graph, "+0", VARVE_UPGRADE, applied,
						      napplied);
	}
	if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = EXIT_FINDINGS;
		goto done;
	}
	if ((status = varve_stamp(s.db, s.graph, down, VARVE_DOWNGRADE)) != VARVE_OK ||
	    (status = varve_stamp(s.db, s.graph, up, VARVE_UPGRADE)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	if (g->format == FORMAT_JSON) {
		json_t *doc = out_document("stamp"), *rec = json_array(), *rem = json_array();

		for (size_t i = 0; i < varve_steps_count(up); i++)
			json_array_append_new(rec, json_string(varve_migration_revision(
				varve_graph_node(s.graph, varve_steps_at(up, i)))));
		for (size_t i = 0; i < varve_steps_count(down); i++)
			json_array_append_new(rem, json_string(varve_migration_revision(
				varve_graph_node(s.graph, varve_steps_at(down, i)))));
		json_object_set_new(doc, "database", json_string(varve_db_display(s.db)));
		json_object_set_new(doc, "table", json_string(varve_db_table(s.db)));
		json_object_set_new(doc, "target", json_string(redacted(argv[0])));
		json_object_set_new(doc, "recorded", rec);
		json_object_set_new(doc, "removed", rem);
		out_json(doc);
	} else if (!g->quiet) {
		printf("Stamped %s: %zu recorded, %zu removed, no SQL run\n", argv[0],
		       varve_steps_count(up), varve_steps_count(down));
	}
done:
	varve_steps_free(up);
	varve_steps_free(down);
	session_close(&s);
	return code;
}

int cmd_resolve(cli_global *g, int argc, char **argv)
{
	const cli_command *self = cli_find_command("resolve");
	cli_session s;
	int flags, npos, status, code;
	bool applied;

	if ((npos = cli_parse_flags(g, "resolve", argc, argv, &flags, 1)) < 0)
		return EXIT_USAGE;
	applied = flags & (1 << OPT_APPLIED);
	if (npos == 0)
		return cli_usage_error(self, "which revision?");
	if (applied == !!(flags & (1 << OPT_ROLLED_BACK)))
		return cli_usage_error(self, "say what happened: --applied or --rolled-back");
	if ((code = session_open(g, &s, true)) != EXIT_OK)
		goto done;
	if ((status = session_lock(g, &s)) != VARVE_OK ||
	    (status = varve_resolve(s.db, argv[0], applied)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	if (g->format == FORMAT_JSON) {
		json_t *doc = out_document("resolve");

		json_object_set_new(doc, "database", json_string(varve_db_display(s.db)));
		json_object_set_new(doc, "table", json_string(varve_db_table(s.db)));
		json_object_set_new(doc, "revision", json_string(redacted(argv[0])));
		json_object_set_new(doc, "recorded_as", json_string(applied ? "applied"
								     : "rolled_back"));
		out_json(doc);
	} else if (!g->quiet) {
		printf("Resolved %s: recorded as %s\n", argv[0], applied ? "applied" : "rolled back");
	}
done:
	session_close(&s);
	return code;
}
