/*
 * The manifest rewriter (see rewrite.h). It never parses YAML itself: the
 * loader says where things are, and this file only finds the extent of a
 * scalar or a line around those positions, then splices text in.
 */
#include "rewrite.h"
#include "error.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct edit {
	size_t start;
	size_t end;
	size_t seq; /* the order of insertions at one offset */
	char *text;
};

struct varve_rewrite {
	char *text; /* the original, NUL-terminated */
	size_t len;
	size_t bom; /* 3 when the text starts with a UTF-8 byte-order mark */
	const char *eol;
	size_t *lines; /* byte offset of each line's start */
	size_t line_count;
	struct edit *edits;
	size_t count;
	size_t cap;
};

/* ---------------------------------------------------------------------------
 * Lines and positions
 */

/*
 * The length of the line break at `p`, 0 when there is none. As libyaml:
 * CR LF, CR, LF, and NEL, LS, PS in UTF-8.
 */
static size_t break_len(const varve_rewrite *rw, size_t p)
{
	const unsigned char *u = (const unsigned char *)rw->text;
	size_t len = rw->len;

	if (p >= len)
		return 0;
	if (u[p] == '\r')
		return p + 1 < len && u[p + 1] == '\n' ? 2 : 1;
	if (u[p] == '\n')
		return 1;
	if (u[p] == 0xC2 && p + 1 < len && u[p + 1] == 0x85)
		return 2;
	if (u[p] == 0xE2 && p + 2 < len && u[p + 1] == 0x80 &&
	    (u[p + 2] == 0xA8 || u[p + 2] == 0xA9))
		return 3;
	return 0;
}

static int index_lines(varve_rewrite *rw)
{
	size_t n = 1, i = 0, k = 1, b;

	for (i = 0; i < rw->len; i += b ? b : 1)
		if ((b = break_len(rw, i)) != 0)
			n++;
	if (!(rw->lines = malloc(n * sizeof(*rw->lines))))
		return varve_error__oom();
	rw->lines[0] = 0;
	rw->eol = NULL;
	for (i = 0; i < rw->len; i += b ? b : 1) {
		if ((b = break_len(rw, i)) == 0)
			continue;
		if (!rw->eol)
			rw->eol = rw->text[i] == '\r' ? (b == 2 ? "\r\n" : "\r") : "\n";
		rw->lines[k++] = i + b;
	}
	if (!rw->eol)
		rw->eol = "\n";
	rw->line_count = n;
	return 0;
}

int varve_rewrite__offset(const varve_rewrite *rw, varve_pos pos, size_t *out)
{
	const unsigned char *u = (const unsigned char *)rw->text;
	size_t p;

	if (!pos.line || pos.line > rw->line_count || !pos.column)
		return varve_error__set(VARVE_EINVALID, "position %u:%u is outside the manifest",
					pos.line, pos.column);
	p = rw->lines[pos.line - 1] + (pos.line == 1 ? rw->bom : 0);
	for (unsigned col = 1; col < pos.column; col++) {
		if (p >= rw->len || break_len(rw, p))
			return varve_error__set(VARVE_EINVALID,
						"position %u:%u is outside the manifest", pos.line,
						pos.column);
		p++;
		while (p < rw->len && (u[p] & 0xC0) == 0x80)
			p++;
	}
	*out = p;
	return 0;
}

/* The start of the line holding byte `p`. */
static size_t line_start(const varve_rewrite *rw, size_t p)
{
	size_t lo = 0, hi = rw->line_count;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (rw->lines[mid] <= p)
			lo = mid;
		else
			hi = mid;
	}
	return rw->lines[lo] + (lo == 0 && p >= rw->bom ? rw->bom : 0);
}

/* Where the line holding byte `p` ends: its line break, or the end. */
static size_t line_end(const varve_rewrite *rw, size_t p)
{
	while (p < rw->len && !break_len(rw, p))
		p++;
	return p;
}

static bool all_blank(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* ---------------------------------------------------------------------------
 * Life cycle
 */

int varve_rewrite__new(varve_rewrite **out, const char *text, size_t len)
{
	varve_rewrite *rw;
	int error;

	*out = NULL;
	if (!(rw = calloc(1, sizeof(*rw))) || !(rw->text = malloc(len + 1))) {
		free(rw);
		return varve_error__oom();
	}
	memcpy(rw->text, text, len);
	rw->text[len] = '\0';
	rw->len = len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		rw->bom = 3;
	if ((error = index_lines(rw)) != 0) {
		varve_rewrite__free(rw);
		return error;
	}
	*out = rw;
	return 0;
}

/* The manifest's bytes, with the messages of a failed read. */
static int read_text(varve_buf *b, const char *path)
{
	char why[128];
	int error = varve_buf_read_file(b, path, (size_t)256 * 1024 * 1024);

	if (error == VARVE_EIO)
		return varve_error__set(VARVE_EIO, "cannot read '%s': %s", path,
					varve_error__reason(errno, why, sizeof(why)));
	if (error == VARVE_EINVALID)
		return varve_error__set(VARVE_EINVALID, "cannot read '%s': too large", path);
	return error ? varve_error__oom() : 0;
}

int varve_rewrite__open(varve_rewrite **out, const char *path)
{
	varve_buf b = VARVE_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = read_text(&b, path)) == 0)
		error = varve_rewrite__new(out, varve_buf_cstr(&b), b.len);
	varve_buf_dispose(&b);
	return error;
}

void varve_rewrite__free(varve_rewrite *rw)
{
	if (!rw)
		return;
	for (size_t i = 0; i < rw->count; i++)
		free(rw->edits[i].text);
	free(rw->edits);
	free(rw->lines);
	free(rw->text);
	free(rw);
}

const char *varve_rewrite__text(const varve_rewrite *rw, size_t *len)
{
	if (len)
		*len = rw->len;
	return rw->text;
}

const char *varve_rewrite__eol(const varve_rewrite *rw)
{
	return rw->eol;
}

int varve_rewrite__replace(varve_rewrite *rw, size_t start, size_t end, const char *text)
{
	struct edit *e;

	assert(start <= end && end <= rw->len);
	if (rw->count == rw->cap) {
		size_t cap = rw->cap ? rw->cap * 2 : 8;

		if (!(e = realloc(rw->edits, cap * sizeof(*e))))
			return varve_error__oom();
		rw->edits = e;
		rw->cap = cap;
	}
	e = &rw->edits[rw->count];
	if (!(e->text = strdup(text)))
		return varve_error__oom();
	e->start = start;
	e->end = end;
	e->seq = rw->count++;
	return 0;
}

/*
 * Insert `body` (whole lines, each ending with the file's line break) after
 * the line that holds byte `p`. At the end of a file without a final line
 * break, the break goes first, so the file still ends as it did. A `p` at
 * the start of a line ends what precedes it (a block scalar's end is past
 * its line breaks): the body goes there, before that line.
 */
static int insert_lines(varve_rewrite *rw, size_t p, const char *body)
{
	size_t e = line_end(rw, p), b = break_len(rw, e);
	size_t eol = strlen(rw->eol), n = strlen(body);
	varve_buf t = VARVE_BUF_INIT;
	int error;

	if (p > rw->bom && line_start(rw, p) == p)
		return varve_rewrite__replace(rw, p, p, body);
	if (b || !n)
		return varve_rewrite__replace(rw, e + b, e + b, body);
	varve_buf_puts(&t, rw->eol);
	varve_buf_put(&t, body, n >= eol ? n - eol : n);
	error = t.oom ? varve_error__oom() : varve_rewrite__replace(rw, e, e, t.ptr);
	varve_buf_dispose(&t);
	return error;
}

/* ---------------------------------------------------------------------------
 * Scalars
 */

static bool word_is(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcasecmp(s, *words) == 0)
			return true;
	return false;
}

/* Whether a byte sequence at s is NEL, LS or PS (line breaks to YAML). */
static size_t unicode_break(const unsigned char *s)
{
	if (s[0] == 0xC2 && s[1] == 0x85)
		return 2;
	if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
		return 3;
	return 0;
}

static bool has_control(const char *value)
{
	for (const unsigned char *u = (const unsigned char *)value; *u; u++)
		if (*u < 0x20 || *u == 0x7F || unicode_break(u))
			return true;
	return false;
}

/*
 * Whether a plain scalar would not read back as this string: YAML 1.1 and
 * 1.2 types (null, booleans, numbers in any base, sexagesimals), indicators,
 * and characters that end a plain scalar in block or flow context.
 */
static bool needs_quotes(const char *v)
{
	static const char *const words[] = {"null", "~",   "true", "false", "yes", "no",
					    "on",   "off", "y",	   "n",	    NULL};
	size_t n = strlen(v);

	if (!n || has_control(v) || word_is(v, words))
		return true;
	if (strchr("-?:,[]{}#&*!|>'\"%@` \t", v[0]) || v[n - 1] == ' ' || v[n - 1] == '\t' ||
	    v[n - 1] == ':')
		return true;
	if (strstr(v, ": ") || strstr(v, ":\t") || strstr(v, " #") || strstr(v, "\t#") ||
	    strpbrk(v, ",[]{}"))
		return true;
	if ((v[0] >= '0' && v[0] <= '9') || v[0] == '+' || v[0] == '.')
		return strspn(v, "0123456789_.:+-eExXoOabcdefABCDEF") == n;
	return false;
}

static void put_double(varve_buf *b, const char *v)
{
	const unsigned char *u = (const unsigned char *)v;

	varve_buf_putc(b, '"');
	for (; *u; u++) {
		size_t ub = unicode_break(u);

		if (ub) {
			varve_buf_puts(b, ub == 2 ? "\\N" : u[2] == 0xA8 ? "\\L" : "\\P");
			u += ub - 1;
		} else if (*u == '"' || *u == '\\') {
			varve_buf_putc(b, '\\');
			varve_buf_putc(b, (char)*u);
		} else if (*u == '\n') {
			varve_buf_puts(b, "\\n");
		} else if (*u == '\t') {
			varve_buf_puts(b, "\\t");
		} else if (*u == '\r') {
			varve_buf_puts(b, "\\r");
		} else if (*u < 0x20 || *u == 0x7F) {
			varve_buf_printf(b, "\\x%02x", *u);
		} else {
			varve_buf_putc(b, (char)*u);
		}
	}
	varve_buf_putc(b, '"');
}

static void put_single(varve_buf *b, const char *v)
{
	varve_buf_putc(b, '\'');
	for (; *v; v++) {
		if (*v == '\'')
			varve_buf_putc(b, '\'');
		varve_buf_putc(b, *v);
	}
	varve_buf_putc(b, '\'');
}

int varve_rewrite__scalar(varve_buf *buf, const char *value, char quote, bool force)
{
	if (!force && !needs_quotes(value))
		varve_buf_puts(buf, value);
	else if (quote == '\'' && !has_control(value))
		put_single(buf, value);
	else
		put_double(buf, value);
	return buf->oom ? varve_error__oom() : 0;
}

int varve_rewrite__hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode the quoted scalar text[p+1 .. q) into `b`: the escapes that
 * revisions and paths could hold. Anything else (line folding, \u) makes
 * it fail, and the caller refuses the edit rather than guess.
 */
static bool decode_quoted(varve_buf *b, const char *s, size_t n, char quote)
{
	static const char from[] = "\\\"/'ntr", to[] = "\\\"/'\n\t\r";

	for (size_t i = 0; i < n; i++) {
		const char *hit;

		if (s[i] == '\n' || s[i] == '\r')
			return false;
		if (quote == '\'' && s[i] == '\'') {
			varve_buf_putc(b, '\'');
			i++;
		} else if (quote == '"' && s[i] == '\\') {
			if (++i >= n)
				return false;
			if (s[i] == 'x' && i + 2 < n &&
			    varve_rewrite__hex_digit(s[i + 1]) >= 0 &&
			    varve_rewrite__hex_digit(s[i + 2]) >= 0) {
				varve_buf_putc(b, (char)(varve_rewrite__hex_digit(s[i + 1]) * 16 +
							 varve_rewrite__hex_digit(s[i + 2])));
				i += 2;
			} else if ((hit = strchr(from, s[i])) != NULL) {
				varve_buf_putc(b, to[hit - from]);
			} else {
				return false;
			}
		} else {
			varve_buf_putc(b, s[i]);
		}
	}
	return !b->oom;
}

/*
 * The extent [p, *end) of the scalar that starts at byte p and reads
 * `old`, and its style ('"', '\'' or 0 for plain).
 */
static int scalar_extent(const varve_rewrite *rw, size_t p, const char *old, size_t *end,
			 char *style)
{
	const char *s = rw->text;
	size_t q, n = strlen(old);
	varve_buf b = VARVE_BUF_INIT;
	bool ok;

	*style = s[p];
	if (s[p] == '"' || s[p] == '\'') {
		for (q = p + 1; q < rw->len; q++) {
			if (s[p] == '"' && s[q] == '\\')
				q++; /* the escaped character */
			else if (s[p] == '\'' && s[q] == '\'' && s[q + 1] == '\'')
				q++; /* '' is one quote */
			else if (s[q] == s[p])
				break;
		}
		if (q >= rw->len)
			return VARVE_EINVALID;
		ok = decode_quoted(&b, s + p + 1, q - p - 1, s[p]) && b.len == n &&
		     memcmp(varve_buf_cstr(&b), old, n) == 0;
		varve_buf_dispose(&b);
		*end = q + 1;
		return ok ? 0 : VARVE_EINVALID;
	}
	*style = 0;
	if (!n || p + n > rw->len || memcmp(s + p, old, n) != 0 || strchr("|>[{&*!", s[p]))
		return VARVE_EINVALID;
	/* The plain scalar must end there, not merely start with `old`. */
	q = p + n;
	if (q < rw->len && !break_len(rw, q) && !strchr(" \t,]}", s[q]))
		return VARVE_EINVALID;
	*end = q;
	return 0;
}

int varve_rewrite__replace_scalar(varve_rewrite *rw, varve_pos pos, const char *old,
				  const char *value)
{
	varve_buf b = VARVE_BUF_INIT;
	size_t start, end;
	char style;
	int error;

	if ((error = varve_rewrite__offset(rw, pos, &start)) != 0)
		return error;
	if (scalar_extent(rw, start, old, &end, &style) != 0)
		return varve_error__set(VARVE_EINVALID,
					"cannot rewrite the value at %u:%u: "
					"it does not read '%s' on one line",
					pos.line, pos.column, old);
	if (style)
		error = varve_rewrite__scalar(&b, value, style, true);
	else
		error = varve_rewrite__scalar(&b, value, '"', false);
	if (!error)
		error = varve_rewrite__replace(rw, start, end, varve_buf_cstr(&b));
	varve_buf_dispose(&b);
	return error;
}

char varve_rewrite__quote_char(const varve_rewrite *rw, const varve_manifest *m)
{
	size_t p;

	for (size_t i = m->count; i-- > 0;) {
		if (varve_rewrite__offset(rw, m->migrations[i]->revision_pos, &p) != 0)
			continue;
		return rw->text[p] == '\'' ? '\'' : '"';
	}
	return '"';
}

/* ---------------------------------------------------------------------------
 * Keys and entries
 */

static void put_spaces(varve_buf *b, size_t n)
{
	while (n--)
		varve_buf_putc(b, ' ');
}

int varve_rewrite__insert_key(varve_rewrite *rw, const varve_migration *mig, const char *key,
			      const char *yaml)
{
	varve_buf b = VARVE_BUF_INIT;
	size_t p;
	int error;

	if ((error = varve_rewrite__offset(rw, mig->end_pos, &p)) != 0)
		return error;
	if (mig->flow) {
		varve_buf_printf(&b, ", %s: %s", key, yaml);
		error = b.oom ? varve_error__oom() : varve_rewrite__replace(rw, p, p, b.ptr);
	} else {
		put_spaces(&b, mig->pos.column - 1);
		varve_buf_printf(&b, "%s: %s%s", key, yaml, rw->eol);
		error = b.oom ? varve_error__oom() : insert_lines(rw, p, b.ptr);
	}
	varve_buf_dispose(&b);
	return error;
}

/* `{k: v, k: v}` */
static void put_flow(varve_buf *b, const varve_rewrite_field *f, size_t n)
{
	varve_buf_putc(b, '{');
	for (size_t i = 0; i < n; i++)
		varve_buf_printf(b, "%s%s: %s", i ? ", " : "", f[i].key, f[i].yaml);
	varve_buf_putc(b, '}');
}

/* The keys of a block mapping; the first follows `first` (its "- "). */
static void put_block(varve_buf *b, const char *eol, const char *first, size_t first_len,
		      size_t indent, const varve_rewrite_field *f, size_t n)
{
	varve_buf_put(b, first, first_len);
	for (size_t i = 0; i < n; i++) {
		if (i)
			put_spaces(b, indent);
		varve_buf_printf(b, "%s: %s%s", f[i].key, f[i].yaml, eol);
	}
}

/*
 * `migrations: []` becomes a block sequence: the brackets go (with the
 * line when nothing else is on it) and the entry follows the key's line.
 */
static int append_to_empty(varve_rewrite *rw, const varve_manifest *m, const varve_rewrite_field *f,
			   size_t n)
{
	varve_buf b = VARVE_BUF_INIT;
	size_t a, z, lb, ls, le, from, indent;
	bool alone;
	int error;

	if ((error = varve_rewrite__offset(rw, m->migrations_pos, &a)) != 0 ||
	    (error = varve_rewrite__offset(rw, m->migrations_end, &z)) != 0)
		return error;
	ls = line_start(rw, a);
	le = line_end(rw, z);
	/* libyaml takes a byte-order mark at the start of any line (and
	 * when the line goes, the mark goes with it). */
	lb = ls;
	if (a - ls >= 3 && memcmp(rw->text + ls, "\xEF\xBB\xBF", 3) == 0)
		ls += 3;
	indent = 0;
	while (ls + indent < a && rw->text[ls + indent] == ' ')
		indent++;
	alone = all_blank(rw->text, ls, a);
	if (alone && all_blank(rw->text, z, le)) {
		/* `[]` alone on its line: the line goes. */
		error = varve_rewrite__replace(rw, lb, le + break_len(rw, le), "");
	} else if (all_blank(rw->text, z, le)) {
		from = a;
		while (from > ls && (rw->text[from - 1] == ' ' || rw->text[from - 1] == '\t'))
			from--;
		error = varve_rewrite__replace(rw, from, le, "");
		indent += 2;
	} else if (alone) {
		/* `[]  # comment`: the brackets go with the blanks after them,
		 * the comment stays where it was; the entry follows its line. */
		from = z;
		while (from < le && (rw->text[from] == ' ' || rw->text[from] == '\t'))
			from++;
		error = varve_rewrite__replace(rw, a, from, "");
	} else {
		error = varve_rewrite__replace(rw, a, z, "");
		indent += 2;
	}
	if (error)
		return error;
	put_spaces(&b, indent);
	varve_buf_puts(&b, "- ");
	put_block(&b, rw->eol, "", 0, indent + 2, f, n);
	if (b.oom)
		error = varve_error__oom();
	else if (alone && all_blank(rw->text, z, le))
		error = varve_rewrite__replace(rw, le + break_len(rw, le), le + break_len(rw, le),
					       b.ptr);
	else
		error = insert_lines(rw, z, b.ptr);
	varve_buf_dispose(&b);
	return error;
}

/* A new flow mapping after the last one of a flow sequence. */
static int append_to_flow(varve_rewrite *rw, const varve_migration *last,
			  const varve_rewrite_field *f, size_t n)
{
	varve_buf b = VARVE_BUF_INIT;
	size_t start, close, ls;
	int error;

	if ((error = varve_rewrite__offset(rw, last->pos, &start)) != 0 ||
	    (error = varve_rewrite__offset(rw, last->close_pos, &close)) != 0)
		return error;
	ls = line_start(rw, start);
	if (all_blank(rw->text, ls, start)) {
		/* One entry a line: so is the new one. */
		varve_buf_printf(&b, ",%s", rw->eol);
		varve_buf_put(&b, rw->text + ls, start - ls);
	} else {
		varve_buf_puts(&b, ", ");
	}
	put_flow(&b, f, n);
	error = b.oom ? varve_error__oom() : varve_rewrite__replace(rw, close, close, b.ptr);
	varve_buf_dispose(&b);
	return error;
}

int varve_rewrite__append_entry(varve_rewrite *rw, const varve_manifest *m,
				const varve_rewrite_field *f, size_t n)
{
	varve_buf b = VARVE_BUF_INIT;
	const varve_migration *last;
	size_t start, close, ls, dash, indent;
	int error;

	if (!m->migrations_pos.line)
		return varve_error__set(VARVE_EINVALID, "'%s' has no 'migrations' sequence",
					m->path);
	if (!m->count)
		return m->migrations_flow ? append_to_empty(rw, m, f, n)
					  : varve_error__set(VARVE_EINVALID,
							     "'%s' has an empty 'migrations' "
							     "that is not '[]'",
							     m->path);
	last = m->migrations[m->count - 1];
	if (m->migrations_flow)
		return append_to_flow(rw, last, f, n);
	if ((error = varve_rewrite__offset(rw, last->pos, &start)) != 0 ||
	    (error = varve_rewrite__offset(rw, last->close_pos, &close)) != 0)
		return error;
	/* Introduce the entry as the last one is: its "  - " is copied when
	 * it shares the line with the first key, else made from the indent. */
	ls = line_start(rw, start);
	indent = last->pos.column - 1;
	dash = ls;
	while (dash < start && rw->text[dash] == ' ')
		dash++;
	if (dash < start && rw->text[dash] == '-' && all_blank(rw->text, dash + 1, start) &&
	    dash + 1 < start) {
		varve_buf_put(&b, rw->text + ls, start - ls);
	} else {
		put_spaces(&b, indent >= 2 ? indent - 2 : 0);
		varve_buf_puts(&b, "- ");
		indent = indent >= 2 ? indent : 2;
	}
	if (last->flow) {
		put_flow(&b, f, n);
		varve_buf_puts(&b, rw->eol);
	} else {
		put_block(&b, rw->eol, "", 0, indent, f, n);
	}
	error = b.oom ? varve_error__oom() : insert_lines(rw, close, b.ptr);
	varve_buf_dispose(&b);
	return error;
}

/* ---------------------------------------------------------------------------
 * Output
 */

static int by_offset(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end) /* an insertion before a replacement there */
		return x->end < y->end ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int varve_rewrite__apply(const varve_rewrite *rw, char **out, size_t *len)
{
	varve_buf b = VARVE_BUF_INIT;
	struct edit *sorted = NULL;
	size_t at = 0;
	int error = 0;

	*out = NULL;
	if (rw->count && !(sorted = malloc(rw->count * sizeof(*sorted))))
		return varve_error__oom();
	if (rw->count) {
		memcpy(sorted, rw->edits, rw->count * sizeof(*sorted));
		qsort(sorted, rw->count, sizeof(*sorted), by_offset);
	}
	varve_buf_grow(&b, rw->len + 1);
	for (size_t i = 0; i < rw->count; i++) {
		if (sorted[i].start < at) {
			error = varve_error__set(VARVE_EINVALID,
						 "overlapping edits "
						 "of the manifest at byte %zu",
						 sorted[i].start);
			goto done;
		}
		varve_buf_put(&b, rw->text + at, sorted[i].start - at);
		varve_buf_puts(&b, sorted[i].text);
		at = sorted[i].end;
	}
	varve_buf_put(&b, rw->text + at, rw->len - at);
	varve_buf_puts(&b, "");
	if (b.oom) {
		error = varve_error__oom();
		goto done;
	}
	*len = b.len;
	*out = varve_buf_detach(&b);
done:
	free(sorted);
	varve_buf_dispose(&b);
	return error;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The folder of `path` as shown in messages: "." when it has none. */
static void folder_of(char *out, size_t size, const char *path, int dir_len)
{
	if (dir_len > 1)
		snprintf(out, size, "%.*s", dir_len - 1, path);
	else
		snprintf(out, size, "%s", dir_len ? "/" : ".");
}

int varve_rewrite__stage_file(char **tmp, const char *path, const char *data, size_t len,
			      unsigned mode)
{
	static unsigned counter;
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	char name[4096], why[128];
	struct stat st;
	int fd = -1, error = 0, attempt;
	bool existed = false;

	*tmp = NULL;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
		existed = true;
	} else if (errno != ENOENT)
		return varve_error__set(VARVE_EIO, "cannot write '%s': %s", path,
					varve_error__reason(errno, why, sizeof(why)));
	for (attempt = 0; attempt < 100; attempt++) {
		if ((size_t)snprintf(name, sizeof(name), "%.*s.%s.%ld.%u.tmp", dir_len, path,
				     path + dir_len, (long)getpid(), counter++) >= sizeof(name))
			return varve_error__set(VARVE_EIO, "cannot write '%s': path too long",
						path);
		/* O_EXCL: a symlink planted at the name is never followed (the
		 * open fails and the next name is tried), so the name may be
		 * predictable. */
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		char folder[4096];

		/* The folder refuses a new file (read-only, full): say which. */
		varve_error__reason(errno, why, sizeof(why));
		folder_of(folder, sizeof(folder), path, dir_len);
		return varve_error__set(VARVE_EIO,
					"cannot write '%s': cannot create a file in '%s': %s", path,
					folder, why);
	}
	/* The umask must not narrow the mode the file had; a new file gets
	 * what the umask leaves of `mode`, as open gave it. A failure names
	 * the file the user knows: the temporary one is gone by then. */
	if ((existed && fchmod(fd, (mode_t)mode) != 0) || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		error = varve_error__set(VARVE_EIO, "cannot write '%s': %s", path,
					 varve_error__reason(errno, why, sizeof(why)));
		close(fd);
		goto done;
	}
	if (close(fd) != 0) {
		error = varve_error__set(VARVE_EIO, "cannot write '%s': %s", path,
					 varve_error__reason(errno, why, sizeof(why)));
		goto done;
	}
	if (!(*tmp = strdup(name)))
		error = varve_error__oom();
done:
	if (error)
		unlink(name);
	return error;
}

int varve_rewrite__install(char *tmp, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0, fd;
	char folder[4096], why[128];

	assert(tmp);
	if (rename(tmp, path) != 0) {
		int err = errno;

		unlink(tmp);
		free(tmp);
		return varve_error__set(VARVE_EIO, "cannot replace '%s': %s", path,
					varve_error__reason(err, why, sizeof(why)));
	}
	free(tmp);
	/* Make the rename itself durable; a failure here changes nothing. */
	folder_of(folder, sizeof(folder), path, dir_len);
	if ((fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

void varve_rewrite__discard(char *tmp)
{
	if (!tmp)
		return;
	unlink(tmp);
	free(tmp);
}

int varve_rewrite__write_file(const char *path, const char *data, size_t len, unsigned mode)
{
	char *tmp;
	int error = varve_rewrite__stage_file(&tmp, path, data, len, mode);

	return error ? error : varve_rewrite__install(tmp, path);
}

int varve_rewrite__stage(const varve_rewrite *rw, char **tmp, const char *path)
{
	char *text;
	size_t len;
	int error;

	*tmp = NULL;
	if ((error = varve_rewrite__apply(rw, &text, &len)) != 0)
		return error;
	error = varve_rewrite__stage_file(tmp, path, text, len, 0644);
	free(text);
	return error;
}

int varve_rewrite__write(const varve_rewrite *rw, const char *path)
{
	char *tmp;
	int error = varve_rewrite__stage(rw, &tmp, path);

	return error ? error : varve_rewrite__install(tmp, path);
}

int varve_rewrite__lock(const char *path, int *fd)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	char folder[4096], why[128];
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	folder_of(folder, sizeof(folder), path, dir_len);
	if ((*fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return varve_error__set(VARVE_EIO, "cannot lock '%s': %s", path,
					varve_error__reason(errno, why, sizeof(why)));
	/* Polled, not waited on: an editor that hangs must not hang us. */
	for (int attempt = 0; attempt < 500; attempt++) {
		if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			varve_error__reason(errno, why, sizeof(why));
			varve_rewrite__unlock(*fd);
			*fd = -1;
			return varve_error__set(VARVE_EIO, "cannot lock '%s': %s", path, why);
		}
		nanosleep(&pause, NULL);
	}
	varve_rewrite__unlock(*fd);
	*fd = -1;
	return varve_error__set(VARVE_ECHANGED,
				"another varve has been editing '%s' for 10 s; try again", path);
}

void varve_rewrite__unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the folder releases its flock */
}

int varve_rewrite__unchanged(const varve_rewrite *rw, const char *path)
{
	varve_buf now = VARVE_BUF_INIT;
	int error = read_text(&now, path);

	if (!error && (now.len != rw->len || memcmp(now.ptr, rw->text, rw->len) != 0))
		error = varve_error__set(VARVE_ECHANGED,
					 "'%s' changed since it was read; run the command again",
					 path);
	varve_buf_dispose(&now);
	return error;
}

/* ---------------------------------------------------------------------------
 * Interrupted edits
 */

bool varve_rewrite__stale(const char *name, size_t *base_len)
{
	size_t n = strlen(name), end, dot;
	unsigned long long pid = 0;

	if (n < 8 || name[0] != '.' || strcmp(name + n - 4, ".tmp") != 0)
		return false;
	end = n - 4;
	/* ".<base>.<pid>.<counter>": the counter, then the pid, are digits. */
	for (dot = end; dot > 1 && name[dot - 1] >= '0' && name[dot - 1] <= '9'; dot--)
		;
	if (dot == end || dot < 2 || name[dot - 1] != '.')
		return false;
	end = dot - 1;
	for (dot = end; dot > 1 && name[dot - 1] >= '0' && name[dot - 1] <= '9'; dot--)
		;
	if (dot == end || dot < 3 || name[dot - 1] != '.' || end - dot > 9)
		return false;
	for (size_t i = dot; i < end; i++)
		pid = pid * 10 + (unsigned long long)(name[i] - '0');
	if (!pid || pid > INT_MAX || (pid_t)pid == getpid())
		return false;
	/* EPERM: alive, another user's. */
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return false;
	*base_len = dot - 2;
	return true;
}

void varve_rewrite__test_point(void)
{
	static unsigned long seen;
	const char *spec = getenv("VARVE_TEST_RAISE");
	char *end;
	unsigned long at;
	long sig;

	if (!spec || !*spec)
		return;
	at = strtoul(spec, &end, 10);
	if (*end != ':')
		return;
	sig = strtol(end + 1, &end, 10);
	if (*end || sig <= 0 || sig >= 65)
		return;
	if (++seen == at)
		raise((int)sig);
}
