/*
 * Printing diagnostics and errors: text (gcc style, colour on a terminal),
 * JSON (one array on stdout) and GitHub workflow annotations.
 */
/* wcwidth */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

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

void out_github(const varve_diag *d)
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
	if (d->hint) {
		fputs("%0Ahint: ", stdout);
		github_escape(stdout, d->hint, false);
	}
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
	if (d->hint)
		fprintf(stderr, "  %shint:%s %s\n", color(g, true, BOLD), color(g, true, RESET),
			d->hint);
}

json_t *out_diag_json(const varve_diag *d)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:I, s:I}",
			      "severity", severity_name(d->severity),
			      "code", d->code,
			      "message", redacted(d->message),
			      "file", d->file ? redacted(d->file) : NULL,
			      "line", (json_int_t)d->line,
			      "column", (json_int_t)d->column);

	if (o && d->hint)
		json_object_set_new(o, "hint", json_string(d->hint));
	if (o && d->docs)
		json_object_set_new(o, "docs", json_string(d->docs));
	return o;
}

void out_diagnostics(const cli_global *g, const varve_diag_list *diags)
{
	size_t n = varve_diag_list_count(diags);

	if (g->format == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, out_diag_json(varve_diag_list_at(diags, i)));
		json_dumpf(arr, stdout, CLI_JSON_FLAGS);
		fputc('\n', stdout);
		json_decref(arr);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const varve_diag *d = varve_diag_list_at(diags, i);

		/* -q: errors only. */
		if (g->quiet && d->severity != VARVE_SEVERITY_ERROR)
			continue;
		if (g->format == FORMAT_GITHUB)
			out_github(d);
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
		/* The answer, not a finding: stdout, like every result. */
		if (ok_message)
			printf("%s✓%s %s\n", color(g, false, GREEN),
			       color(g, false, RESET), ok_message);
		return;
	}
	fprintf(stderr, "%zu error%s, %zu warning%s\n", errors,
		errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
}

static char *last_error;

void out_error(const cli_global *g, const char *fmt, ...)
{
	va_list ap;
	char small[512], *msg = small;
	const char *shown;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(small) && (msg = malloc((size_t)n + 1)) != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	shown = shown_arg(msg ? msg : small);
	free(last_error);
	last_error = strdup(shown);
	fprintf(stderr, "%svarve: error:%s %s\n", color(g, true, RED),
		color(g, true, RESET), shown);
	if (msg != small)
		free(msg);
}

const char *out_last_error(void)
{
	return last_error ? last_error : "";
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

json_t *out_document(const char *command)
{
	return json_pack("{s:i, s:s}", "varve", 1, "command", command);
}

void out_json(json_t *doc)
{
	json_dumpf(doc, stdout, CLI_JSON_FLAGS);
	fputc('\n', stdout);
	fflush(stdout);
	json_decref(doc);
}

/*
 * The columns `s` takes on a terminal (wcwidth of each character; an
 * invalid byte or a character wcwidth does not know counts as one), up to
 * `limit` bytes; *fit (optional) is how many bytes fit in `max` columns.
 */
static int width_of(const char *s, int max, size_t *fit)
{
	mbstate_t st;
	size_t i = 0, len = strlen(s);
	int cols = 0;

	memset(&st, 0, sizeof(st));
	if (fit)
		*fit = len;
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			w = 1;
		} else if ((w = wcwidth(wc)) < 0) {
			w = 1;
		}
		if (fit && cols + w > max) {
			*fit = i;
			return cols;
		}
		cols += w;
		i += n;
	}
	return cols;
}

int display_width(const char *s)
{
	return s ? width_of(s, 0, NULL) : 0;
}

void print_fit(FILE *out, const char *s, int width, bool pad)
{
	int cols;
	size_t fit;

	if (!s)
		s = "";
	if (width >= 0 && display_width(s) > width) {
		/* Cut, and say so with an ellipsis (one column). */
		cols = width_of(s, width > 0 ? width - 1 : 0, &fit);
		fwrite(s, 1, fit, out);
		if (width > 0) {
			fputs("…", out);
			cols++;
		}
	} else {
		cols = display_width(s);
		fputs(s, out);
	}
	for (; pad && cols < width; cols++)
		fputc(' ', out);
}

int terminal_columns(FILE *out)
{
	struct winsize ws;

	if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}
