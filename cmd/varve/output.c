/*
 * Printing diagnostics and errors: text (gcc style, colour on a terminal),
 * JSON (one array on stdout) and GitHub workflow annotations.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

const char *color(const cli_global *g, bool err, const char *code)
{
	return (err ? g->color_err : g->color_out) ? code : "";
}

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define GREEN "\033[1;32m"
#define RESET "\033[0m"

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

const char *printable(const char *s)
{
	static char *ring[4];
	static size_t next;
	const char *p = s;
	char *copy;

	while (p && *p && !is_control((unsigned char)*p))
		p++;
	if (!p || !*p)
		return s;
	if (!(copy = strdup(s)))
		return "";
	for (char *q = copy; *q; q++)
		if (is_control((unsigned char)*q))
			*q = ' ';
	free(ring[next]);
	ring[next] = copy;
	next = (next + 1) % (sizeof(ring) / sizeof(*ring));
	return copy;
}

static const char *severity_name(varve_severity s)
{
	return s == VARVE_SEVERITY_ERROR ? "error" : "warning";
}

/* Workflow-command escaping; properties also escape ':' and ','. */
static void github_escape(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ':': fputs(property ? "%3A" : ":", out); break;
		case ',': fputs(property ? "%2C" : ",", out); break;
		default: fputc(*s, out);
		}
	}
}

static void print_github(const varve_diag *d)
{
	fprintf(stdout, "::%s ", severity_name(d->severity));
	if (d->file) {
		fputs("file=", stdout);
		github_escape(stdout, shown_arg(d->file), true);
		if (d->line)
			fprintf(stdout, ",line=%u", d->line);
		if (d->column)
			fprintf(stdout, ",col=%u", d->column);
		fputc(',', stdout);
	}
	fputs("title=", stdout);
	github_escape(stdout, d->code, true);
	fputs("::", stdout);
	github_escape(stdout, shown_arg(d->message), false);
	fputc('\n', stdout);
}

void out_diagnostic(const cli_global *g, const varve_diag *d)
{
	const char *sev_color = d->severity == VARVE_SEVERITY_ERROR ? RED : YELLOW;

	fputs(color(g, true, BOLD), stderr);
	if (d->file) {
		fputs(shown_arg(d->file), stderr);
		if (d->line)
			fprintf(stderr, ":%u", d->line);
		if (d->line && d->column)
			fprintf(stderr, ":%u", d->column);
	} else {
		fputs("varve", stderr);
	}
	fprintf(stderr, ":%s %s%s:%s %s [%s]\n", color(g, true, RESET),
		color(g, true, sev_color), severity_name(d->severity),
		color(g, true, RESET), shown_arg(d->message), d->code);
}

static json_t *diag_json(const varve_diag *d)
{
	return json_pack("{s:s, s:s, s:s, s:s?, s:I, s:I}",
			 "severity", severity_name(d->severity),
			 "code", d->code,
			 "message", redacted(d->message),
			 "file", d->file ? redacted(d->file) : NULL,
			 "line", (json_int_t)d->line,
			 "column", (json_int_t)d->column);
}

void out_diagnostics(const cli_global *g, const varve_diag_list *diags)
{
	size_t n = varve_diag_list_count(diags);

	if (g->format == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, diag_json(varve_diag_list_at(diags, i)));
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(arr);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const varve_diag *d = varve_diag_list_at(diags, i);

		if (g->format == FORMAT_GITHUB)
			print_github(d);
		else
			out_diagnostic(g, d);
	}
}

void out_diag_summary(const cli_global *g, const varve_diag_list *diags,
		      const char *ok_message)
{
	size_t errors = varve_diag_list_errors(diags);
	size_t warnings = varve_diag_list_warnings(diags);

	if (g->format == FORMAT_JSON || g->quiet)
		return;
	if (!errors && !warnings) {
		if (ok_message)
			fprintf(stderr, "%s✓%s %s\n", color(g, true, GREEN),
				color(g, true, RESET), ok_message);
		return;
	}
	fprintf(stderr, "%zu error%s, %zu warning%s\n", errors,
		errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
}

void out_error(const cli_global *g, const char *fmt, ...)
{
	va_list ap;
	char small[512], *msg = small;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(small) && (msg = malloc((size_t)n + 1)) != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "%svarve: error:%s %s\n", color(g, true, RED),
		color(g, true, RESET), shown_arg(msg ? msg : small));
	if (msg != small)
		free(msg);
}

int exit_for_status(int status)
{
	switch (status) {
	case VARVE_OK:
		return EXIT_OK;
	case VARVE_EIO:
	case VARVE_EUSAGE:
		return EXIT_USAGE;
	case VARVE_ECONNECT:
	case VARVE_ELOCK:
		return EXIT_DATABASE;
	default:
		return EXIT_FINDINGS;
	}
}
