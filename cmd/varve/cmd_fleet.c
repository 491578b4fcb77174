/*
 * upgrade, downgrade and status with --fleet FILE (docs/fleet.md): every
 * target of a fleet file from this one process. On a terminal a live line
 * counts the targets; at the end a table (or one JSON document) gives
 * each target's outcome.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static const char *state_name(varve_target_state s);

typedef struct fleet_view {
	cli_global *g;
	varve_fleet *fleet;
	bool live; /* the summary line on a terminal */
	bool drawn;
	size_t selected;
} fleet_view;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* status: a target read is current, pending or dirty. */
static const char *status_name(const varve_fleet_target *t)
{
	if (t->state != VARVE_TARGET_DONE)
		return state_name(t->state);
	if (t->findings)
		return varve_diag_list_errors(t->findings) ? "errors" : "ok";
	return t->dirty ? "dirty" : t->planned ? "pending" : "current";
}

static const char *state_name(varve_target_state s)
{
	switch (s) {
	case VARVE_TARGET_WAITING:
		return "waiting";
	case VARVE_TARGET_RUNNING:
		return "running";
	case VARVE_TARGET_DONE:
		return "done";
	case VARVE_TARGET_FAILED:
		return "failed";
	case VARVE_TARGET_UNREACHABLE:
		return "unreachable";
	case VARVE_TARGET_STOPPED:
		return "stopped";
	default:
		return "skipped";
	}
}

/* A target as the user named it: its label, else its URL (masked), with
 * its schema. Lives until the next call. */
static const char *target_name(const varve_fleet_target *t)
{
	static char buf[512];

	if (t->label)
		return printable(t->label);
	snprintf(buf, sizeof(buf), "%s", printable(t->display));
	return buf;
}

/* "N done, M running, K failed; slowest: NAME 3.2 s (0004)", redrawn. */
static void draw(fleet_view *v)
{
	size_t counts[VARVE_TARGET_SKIPPED + 1] = { 0 };
	const varve_fleet_target *slowest = NULL;
	size_t n = varve_fleet_count(v->fleet);
	double now = now_ms();
	int cols = terminal_columns(stdout);
	char line[1024];
	int len;

	for (size_t i = 0; i < n; i++) {
		const varve_fleet_target *t = varve_fleet_at(v->fleet, i);

		counts[t->state]++;
		if (t->state == VARVE_TARGET_RUNNING &&
		    (!slowest || t->started_ms < slowest->started_ms))
			slowest = t;
	}
	len = snprintf(line, sizeof(line), "%zu done, %zu running, %zu failed, %zu waiting",
		       counts[VARVE_TARGET_DONE], counts[VARVE_TARGET_RUNNING],
		       counts[VARVE_TARGET_FAILED] + counts[VARVE_TARGET_UNREACHABLE],
		       v->selected - counts[VARVE_TARGET_DONE] - counts[VARVE_TARGET_RUNNING] -
		       counts[VARVE_TARGET_FAILED] - counts[VARVE_TARGET_UNREACHABLE] -
		       counts[VARVE_TARGET_STOPPED] - counts[VARVE_TARGET_SKIPPED]);
	if (slowest && len > 0 && (size_t)len < sizeof(line))
		snprintf(line + len, sizeof(line) - (size_t)len, "; slowest: %s %.1f s%s%s%s",
			 target_name(slowest), (now - slowest->started_ms) / 1000,
			 slowest->running ? " (" : "",
			 slowest->running ? varve_migration_revision(slowest->running) : "",
			 slowest->running ? ")" : "");
	fputs("\r\033[K", stdout);
	print_fit(stdout, line, cols > 1 ? cols - 1 : -1, false);
	fflush(stdout);
	v->drawn = true;
}

static void on_event(const varve_fleet_event *ev, void *payload)
{
	fleet_view *v = payload;

	if (v->live && (ev->kind == VARVE_FLEET_EVENT_TICK || ev->kind == VARVE_FLEET_EVENT_END))
		draw(v);
	if (v->g->verbose && ev->kind == VARVE_FLEET_EVENT_END) {
		const varve_fleet_target *t = varve_fleet_at(v->fleet, ev->target);

		if (v->drawn)
			fputs("\r\033[K", stdout);
		fflush(stdout);
		fprintf(stderr, "varve: %s: %s\n", target_name(t), state_name(t->state));
	}
}

/* The failure of a target on one line: file:line:col: message [SQLSTATE]. */
static void print_reason(FILE *out, const varve_fleet_target *t)
{
	const varve_failure *f = t->failure;

	if (f && f->file) {
		fputs(shown_arg(f->file), out);
		if (f->line)
			fprintf(out, ":%u", f->line);
		if (f->line && f->column)
			fprintf(out, ":%u", f->column);
		fprintf(out, ": %s", shown_arg(f->message));
		if (f->sqlstate && *f->sqlstate)
			fprintf(out, " [%s]", f->sqlstate);
	} else if (f) {
		fprintf(out, "'%s' failed: %s", f->revision, shown_arg(f->message));
	} else if (t->error) {
		fputs(shown_arg(t->error), out);
	}
}

/* print_duration's words, for a padded column. Lives until the next call. */
static const char *duration(double ms)
{
	static char buf[32];
	FILE *m = fmemopen(buf, sizeof(buf), "w");

	buf[0] = '\0';
	if (m) {
		print_duration(m, ms);
		fclose(m);
	}
	return buf;
}

static void print_table(fleet_view *v, const cli_fleet_request *req, double ms)
{
	cli_global *g = v->g;
	size_t n = varve_fleet_count(v->fleet), counts[VARVE_TARGET_SKIPPED + 1] = { 0 };
	int w = 6;

	for (size_t i = 0; i < n; i++) {
		int tw = display_width(target_name(varve_fleet_at(v->fleet, i)));

		w = tw > w ? tw : w;
	}
	if (w > 48)
		w = 48;
	if (req->action == VARVE_FLEET_CHECK)
		printf("  %-*s  %-11s  %7s  %7s  %6s  %8s\n", w, "TARGET", "STATE", "APPLIED",
		       "PENDING", "ERRORS", "WARNINGS");
	else if (req->action == VARVE_FLEET_STATUS)
		printf("  %-*s  %-11s  %7s  %7s  %5s\n", w, "TARGET", "STATE", "APPLIED", "PENDING",
		       "DIRTY");
	else
		printf("  %-*s  %-11s  %10s  %8s\n", w, "TARGET", "STATE", "MIGRATIONS", "TIME");
	for (size_t i = 0; i < n; i++) {
		const varve_fleet_target *t = varve_fleet_at(v->fleet, i);
		const char *col = t->state == VARVE_TARGET_DONE ? GREEN
			: t->state == VARVE_TARGET_FAILED || t->state == VARVE_TARGET_UNREACHABLE
			? RED : YELLOW;
		char migrations[48];

		if (t->state == VARVE_TARGET_WAITING)
			continue; /* not selected */
		counts[t->state]++;
		fputs("  ", stdout);
		print_fit(stdout, target_name(t), w, true);
		if (req->action == VARVE_FLEET_STATUS && t->state == VARVE_TARGET_DONE)
			col = t->dirty ? RED : t->planned ? YELLOW : GREEN;
		if (req->action == VARVE_FLEET_CHECK && t->findings)
			col = varve_diag_list_errors(t->findings) ? RED : GREEN;
		printf("  %s%-11s%s  ", color(g, false, col), req->action != VARVE_FLEET_MIGRATE
		       ? status_name(t) : state_name(t->state), color(g, false, RESET));
		if (req->action == VARVE_FLEET_CHECK) {
			if (t->findings)
				printf("%7zu  %7zu  %6zu  %8zu", t->applied, t->planned,
				       varve_diag_list_errors(t->findings),
				       varve_diag_list_warnings(t->findings));
			else
				printf("%7s  %7s  %6s  %8s", "", "", "", "");
		} else if (req->action == VARVE_FLEET_STATUS) {
			if (t->state == VARVE_TARGET_DONE)
				printf("%7zu  %7zu  %5zu", t->applied, t->planned, t->dirty);
			else
				printf("%7s  %7s  %5s", "", "", "");
		} else {
			snprintf(migrations, sizeof(migrations), "%zu/%zu", t->done, t->planned);
			printf("%10s  ", t->state == VARVE_TARGET_SKIPPED ? "" : migrations);
			fputs(color(g, false, DIM), stdout);
			printf("%8s", t->state == VARVE_TARGET_SKIPPED ? "" : duration(t->duration_ms));
			fputs(color(g, false, RESET), stdout);
		}
		if (t->failure || t->error) {
			fputs("  ", stdout);
			print_reason(stdout, t);
		}
		fputc('\n', stdout);
	}
	printf("%zu target%s: ", v->selected, v->selected == 1 ? "" : "s");
	if (req->action == VARVE_FLEET_CHECK) {
		size_t ok = 0, bad = 0;

		for (size_t i = 0; i < n; i++) {
			const varve_fleet_target *t = varve_fleet_at(v->fleet, i);

			if (t->state != VARVE_TARGET_DONE || !t->findings)
				continue;
			bad += varve_diag_list_errors(t->findings) > 0;
			ok += varve_diag_list_errors(t->findings) == 0;
		}
		printf("%zu ok, %zu with errors", ok, bad);
	} else if (req->action == VARVE_FLEET_STATUS) {
		size_t current = 0, pending = 0, dirty = 0;

		for (size_t i = 0; i < n; i++) {
			const varve_fleet_target *t = varve_fleet_at(v->fleet, i);

			if (t->state != VARVE_TARGET_DONE)
				continue;
			dirty += t->dirty > 0;
			pending += !t->dirty && t->planned;
			current += !t->dirty && !t->planned;
		}
		printf("%zu current, %zu pending", current, pending);
		if (dirty)
			printf(", %zu dirty", dirty);
	} else {
		printf("%zu done", counts[VARVE_TARGET_DONE]);
	}
	for (int s = VARVE_TARGET_FAILED; s <= VARVE_TARGET_SKIPPED; s++)
		if (counts[s])
			printf(", %zu %s", counts[s], state_name((varve_target_state)s));
	printf(" in ");
	print_duration(stdout, ms);
	fputc('\n', stdout);
}

/* Milliseconds to the microsecond, for JSON. */
static double ms3(double ms)
{
	return (double)(long long)(ms * 1000 + 0.5) / 1000;
}

static json_t *target_json(const cli_fleet_request *req, const varve_fleet_target *t,
			   double start)
{
	json_t *o = json_pack("{s:s?, s:s, s:s?, s:s}",
			      "label", t->label,
			      "database", redacted(t->display),
			      "schema", t->schema,
			      "state", req->action != VARVE_FLEET_MIGRATE ? status_name(t)
			      : state_name(t->state));

	if (req->action == VARVE_FLEET_CHECK) {
		json_t *list = json_array();

		for (size_t i = 0; t->findings && i < varve_diag_list_count(t->findings); i++)
			json_array_append_new(list, out_diag_json(varve_diag_list_at(t->findings, i)));
		json_object_set_new(o, "applied", t->findings
				    ? json_integer((json_int_t)t->applied) : json_null());
		json_object_set_new(o, "pending", t->findings
				    ? json_integer((json_int_t)t->planned) : json_null());
		json_object_set_new(o, "dirty", t->findings
				    ? json_integer((json_int_t)t->dirty) : json_null());
		json_object_set_new(o, "findings", t->findings ? list : json_null());
		if (!t->findings)
			json_decref(list);
	} else if (req->action == VARVE_FLEET_STATUS) {
		json_object_set_new(o, "applied", json_integer((json_int_t)t->applied));
		json_object_set_new(o, "pending", json_integer((json_int_t)t->planned));
		json_object_set_new(o, "dirty", json_integer((json_int_t)t->dirty));
	} else {
		json_object_set_new(o, "planned", json_integer((json_int_t)t->planned));
		json_object_set_new(o, "done", json_integer((json_int_t)t->done));
	}
	json_object_set_new(o, "started_ms", t->state == VARVE_TARGET_SKIPPED ? json_null()
			    : json_real(ms3(t->started_ms - start)));
	json_object_set_new(o, "duration_ms", t->state == VARVE_TARGET_SKIPPED ? json_null()
			    : json_real(ms3(t->duration_ms)));
	json_object_set_new(o, "failure", t->failure ? cli_failure_json(t->failure) : json_null());
	json_object_set_new(o, "error", t->error && !t->failure ? json_string(redacted(t->error))
			    : json_null());
	return o;
}

/*
 * check: each target's findings, grouped by target in the fleet's order,
 * each message led by the target's name (so that a GitHub annotation
 * says which database it is about). Counts them into errors, warnings.
 */
static void print_findings(const cli_global *g, varve_fleet *fleet, size_t *errors,
			   size_t *warnings)
{
	size_t n = varve_fleet_count(fleet);

	for (size_t i = 0; i < n; i++) {
		const varve_fleet_target *t = varve_fleet_at(fleet, i);
		size_t count = t->findings ? varve_diag_list_count(t->findings) : 0;

		for (size_t k = 0; k < count; k++) {
			varve_diag d = *varve_diag_list_at(t->findings, k);
			char *msg = NULL;
			size_t size = 0;
			FILE *m;

			*errors += d.severity == VARVE_SEVERITY_ERROR;
			*warnings += d.severity != VARVE_SEVERITY_ERROR;
			if (g->quiet && d.severity != VARVE_SEVERITY_ERROR)
				continue;
			if (!(m = open_memstream(&msg, &size)))
				continue;
			fprintf(m, "%s: %s", target_name(t), d.message);
			fclose(m);
			d.message = msg;
			if (g->format == FORMAT_GITHUB)
				out_github(&d);
			else
				out_diagnostic(g, &d);
			free(msg);
		}
	}
	fflush(stdout);
}

/* --only: "failed", or labels (schemas, for schema targets) by commas. */
static int select_targets(cli_global *g, const cli_fleet_request *req, varve_fleet *fleet,
			  const varve_graph *graph, bool *selected)
{
	size_t n = varve_fleet_count(fleet);

	if (!req->only) {
		for (size_t i = 0; i < n; i++)
			selected[i] = true;
		return EXIT_OK;
	}
	if (strcmp(req->only, "failed") == 0) {
		varve_fleet_options o = VARVE_FLEET_OPTIONS_INIT;

		/* Not at the goal: a reading of every target first. */
		o.action = VARVE_FLEET_STATUS;
		o.direction = req->direction;
		o.target = req->target;
		o.concurrency = req->concurrency;
		o.on_failure = VARVE_FLEET_CONTINUE;
		o.lock_wait = g->lock_wait;
		o.stop = &stop_signal;
		if (varve_fleet_run(fleet, graph, &o) != VARVE_OK) {
			out_error(g, "%s", varve_error_last());
			return EXIT_FINDINGS;
		}
		for (size_t i = 0; i < n; i++) {
			const varve_fleet_target *t = varve_fleet_at(fleet, i);

			selected[i] = t->state != VARVE_TARGET_DONE || t->planned || t->dirty;
		}
		return EXIT_OK;
	}
	{
		bool any = false;

		for (size_t i = 0; i < n; i++) {
			const varve_fleet_target *t = varve_fleet_at(fleet, i);
			const char *p = req->only;

			selected[i] = false;
			while (*p && t->label) {
				size_t len = strcspn(p, ",");

				if (strlen(t->label) == len && strncmp(p, t->label, len) == 0)
					selected[i] = true;
				p += len + (p[len] == ',');
			}
			any = any || selected[i];
		}
		if (!any) {
			out_error(g, "--only '%s': no target of '%s' has that label",
				  shown_arg(req->only), shown_arg(req->path));
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

bool cli_parse_concurrency(const cli_command *self, const char *arg, unsigned *out)
{
	long n;

	if (!cli_parse_count(arg, &n) || n < 1 || n > 1024) {
		cli_usage_error(self, "--concurrency must be a number from 1 to 1024, not '%s'",
				shown_arg(arg));
		return false;
	}
	*out = (unsigned)n;
	return true;
}

int cli_fleet(cli_global *g, const cli_fleet_request *req)
{
	const char *name = req->action == VARVE_FLEET_CHECK ? "check"
		: req->action == VARVE_FLEET_STATUS ? "status"
		: req->direction == VARVE_UPGRADE ? "upgrade" : "downgrade";
	varve_fleet_options opts = VARVE_FLEET_OPTIONS_INIT;
	varve_diag_list *diags = NULL;
	varve_fleet *fleet = NULL;
	varve_manifest *m = NULL;
	varve_graph *graph = NULL;
	bool *selected = NULL, json = g->format == FORMAT_JSON;
	struct sigaction sa, old_int, old_term;
	fleet_view v;
	double start;
	size_t n, counts[VARVE_TARGET_SKIPPED + 1] = { 0 }, pending = 0;
	size_t errors = 0, warnings = 0;
	int status, code;

	memset(&v, 0, sizeof(v));
	v.g = g;
	if (req->offline) {
		errors = varve_diag_list_errors(req->offline);
		warnings = varve_diag_list_warnings(req->offline);
	}
	if (varve_diag_list_new(&diags) != VARVE_OK) {
		out_error(g, "out of memory");
		return EXIT_FINDINGS;
	}
	status = varve_fleet_load(&fleet, req->path, diags);
	if (status != VARVE_OK) {
		if (varve_diag_list_count(diags)) {
			for (size_t i = 0; i < varve_diag_list_count(diags); i++)
				out_diagnostic(g, varve_diag_list_at(diags, i));
			code = EXIT_FINDINGS;
		} else {
			out_error(g, "%s", varve_error_last());
			code = exit_for_status(status);
		}
		goto done;
	}
	if ((code = load_graph(g, &m, &graph)) != EXIT_OK)
		goto done;
	if ((status = varve_fleet_resolve(fleet)) != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto done;
	}
	n = varve_fleet_count(fleet);
	if (!(selected = calloc(n ? n : 1, sizeof(*selected)))) {
		out_error(g, "out of memory");
		code = EXIT_FINDINGS;
		goto done;
	}
	/* Ctrl-C and SIGTERM: no target starts, statements are cancelled. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if ((code = select_targets(g, req, fleet, graph, selected)) != EXIT_OK)
		goto restore;
	for (size_t i = 0; i < n; i++)
		v.selected += selected[i];
	v.fleet = fleet;
	v.live = !json && !g->quiet && isatty(STDOUT_FILENO) && terminal_columns(stdout) > 0 &&
		 !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	opts.action = req->action;
	opts.direction = req->direction;
	opts.target = req->target;
	opts.lock_wait = g->lock_wait;
	opts.concurrency = req->concurrency;
	opts.selected = selected;
	opts.progress = on_event;
	opts.payload = &v;
	opts.stop = &stop_signal;
	/* check: the offline findings once, before any target's. */
	if (req->offline && !json)
		out_diagnostics(g, req->offline);
	if (!json && !g->quiet && req->action == VARVE_FLEET_MIGRATE)
		printf("%s %zu target%s of %s (concurrency %u, on_failure %s)\n",
		       req->direction == VARVE_UPGRADE ? "Upgrading" : "Downgrading", v.selected,
		       v.selected == 1 ? "" : "s", shown_arg(req->path),
		       req->concurrency ? req->concurrency : varve_fleet_concurrency(fleet),
		       varve_fleet_failure_mode(fleet) == VARVE_FLEET_STOP ? "stop" : "continue");
	fflush(stdout);
	start = now_ms();
	status = varve_fleet_run(fleet, graph, &opts);
	if (v.drawn)
		fputs("\r\033[K", stdout);
	if (status != VARVE_OK) {
		out_error(g, "%s", varve_error_last());
		code = exit_for_status(status);
		goto restore;
	}
	for (size_t i = 0; i < n; i++) {
		const varve_fleet_target *t = varve_fleet_at(fleet, i);

		counts[t->state]++;
		pending += t->state == VARVE_TARGET_DONE && t->planned;
	}
	if (json) {
		json_t *doc = out_document(name), *list = json_array();

		for (size_t i = 0; i < n; i++)
			if (selected[i])
				json_array_append_new(list, target_json(req, varve_fleet_at(fleet, i),
									start));
		json_object_set_new(doc, "fleet", json_string(redacted(req->path)));
		json_object_set_new(doc, "target", json_string(redacted(req->target ? req->target
									       : "head")));
		json_object_set_new(doc, "concurrency", json_integer(req->concurrency
			? req->concurrency : varve_fleet_concurrency(fleet)));
		json_object_set_new(doc, "on_failure", json_string(varve_fleet_failure_mode(fleet)
			== VARVE_FLEET_STOP ? "stop" : "continue"));
		json_object_set_new(doc, "duration_ms",
				    json_real(ms3(now_ms() - start)));
		json_object_set_new(doc, "counts", json_pack("{s:I, s:I, s:I, s:I, s:I}",
			"done", (json_int_t)counts[VARVE_TARGET_DONE],
			"failed", (json_int_t)counts[VARVE_TARGET_FAILED],
			"unreachable", (json_int_t)counts[VARVE_TARGET_UNREACHABLE],
			"stopped", (json_int_t)counts[VARVE_TARGET_STOPPED],
			"skipped", (json_int_t)counts[VARVE_TARGET_SKIPPED]));
		json_object_set_new(doc, "targets", list);
		if (req->offline) {
			json_t *off = json_array();

			for (size_t i = 0; i < varve_diag_list_count(req->offline); i++)
				json_array_append_new(off, out_diag_json(
					varve_diag_list_at(req->offline, i)));
			json_object_set_new(doc, "offline", off);
			for (size_t i = 0; i < n; i++) {
				const varve_fleet_target *t = varve_fleet_at(fleet, i);

				errors += t->findings ? varve_diag_list_errors(t->findings) : 0;
			}
		}
		out_json(doc);
	} else {
		if (req->action == VARVE_FLEET_CHECK)
			print_findings(g, fleet, &errors, &warnings);
		if (!g->quiet)
			print_table(&v, req, now_ms() - start);
		fflush(stdout);
		if (req->action == VARVE_FLEET_CHECK && !g->quiet) {
			if (errors || warnings)
				fprintf(stderr, "%zu error%s, %zu warning%s\n", errors,
					errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
			else if (!counts[VARVE_TARGET_UNREACHABLE] && !counts[VARVE_TARGET_FAILED])
				printf("%s✓%s manifest and every database agree\n",
				       color(g, false, GREEN), color(g, false, RESET));
		}
	}
	if (stop_signal)
		code = 128 + (int)stop_signal;
	else if (counts[VARVE_TARGET_FAILED] || errors)
		code = EXIT_FINDINGS;
	else if (counts[VARVE_TARGET_UNREACHABLE])
		code = EXIT_DATABASE; /* those it stopped are its doing */
	else if (counts[VARVE_TARGET_STOPPED] || counts[VARVE_TARGET_SKIPPED])
		code = EXIT_FINDINGS;
	else if (req->exit_code && pending)
		code = EXIT_PENDING;
	else
		code = EXIT_OK;
	/* A dirty migration makes status exit 1, as for one database. */
	if (code == EXIT_OK && req->action == VARVE_FLEET_STATUS)
		for (size_t i = 0; i < n; i++)
			if (varve_fleet_at(fleet, i)->dirty)
				code = EXIT_FINDINGS;
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
done:
	free(selected);
	varve_fleet_free(fleet);
	varve_graph_free(graph);
	varve_manifest_free(m);
	varve_diag_list_free(diags);
	return code;
}
