/*
 * sqlfile.c - a migration's SQL: sections, positions, checksum, statements.
 *
 * A file is read once into one buffer. Sections are ranges of that buffer;
 * the byte after each section (the first byte of the next marker line, or
 * the file's own terminator) is overwritten with a NUL, so each section is a
 * C string for libpg_query without a copy.
 *
 * libpg_query does the SQL work: pg_query_scan gives the tokens (for the
 * checksum and for telling statements apart), pg_query_split_with_parser
 * parses (syntax errors) and gives statement boundaries. Its parse tree is
 * not used: building and unpacking the protobuf tree costs about ten times
 * the parse itself, and the first tokens of a statement that parsed tell
 * all varve needs to know about it.
 */
#include "sqlfile.h"
#include "buf.h"
#include "diag.h"
#include "error.h"

#include <strings.h>

#include <openssl/evp.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

struct section {
	bool present;
	size_t offset; /* of the first byte, in the file */
	size_t len;
	unsigned first_line;
	unsigned marker_line; /* 0 when the section has no marker line */
};

struct checkpoint {
	unsigned line, column;
};

#define BLOCK 4096

struct varve_sqlfile {
	char *data; /* the whole file; each section is followed by a NUL */
	size_t len;
	size_t bom; /* 3 when the file starts with a UTF-8 byte order mark */
	/* The line and column of every BLOCK-th byte, so that a position is
	 * found by scanning at most BLOCK bytes (a check of a file with
	 * 300,000 findings read the file from its start for each). */
	struct checkpoint *blocks;
	bool no_transaction; /* it says `-- +goose NO TRANSACTION` */
	/* Why no section may go to the scanner (a NUL byte, not UTF-8, over
	 * the limits), a finding said so; NULL when it may. */
	const char *unreadable;
	struct section sections[2];
	char display[]; /* the name used in diagnostics */
};

/* ---------------------------------------------------------------------------
 * Positions
 */

/* The 1-based column of byte `off`, on the line that starts at `line_start`. */
static unsigned column_at(const varve_sqlfile *file, size_t line_start,
			  size_t off)
{
	unsigned c = 1;
	size_t i = line_start < file->bom ? file->bom : line_start;

	for (; i < off; i++)
		if (((unsigned char)file->data[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/*
 * Step the line and column of byte `i` to those of byte i + 1. LF, CRLF and
 * CR alone each end a line; columns count characters (UTF-8 code points),
 * as editors and libyaml do, and a byte order mark takes none.
 */
static void advance(const varve_sqlfile *file, size_t i, unsigned *line,
		    unsigned *column)
{
	char c = file->data[i];

	if (c == '\n' || (c == '\r' && (i + 1 >= file->len ||
					 file->data[i + 1] != '\n'))) {
		(*line)++;
		*column = 1;
	} else if (i >= file->bom && ((unsigned char)c & 0xC0) != 0x80) {
		(*column)++;
	}
}

/* Record the checkpoints of the file, in one pass. */
static int index_lines(varve_sqlfile *file)
{
	unsigned line = 1, column = 1;

	file->blocks = malloc((file->len / BLOCK + 1) * sizeof(*file->blocks));
	if (!file->blocks)
		return varve_error__oom();
	for (size_t i = 0;; i++) {
		if (i % BLOCK == 0) {
			file->blocks[i / BLOCK].line = line;
			file->blocks[i / BLOCK].column = column;
		}
		if (i == file->len)
			break;
		advance(file, i, &line, &column);
	}
	return 0;
}

/* The 1-based line and column of byte `off` of the file. */
static void file_position(const varve_sqlfile *file, size_t off,
			  unsigned *line, unsigned *column)
{
	size_t i;
	unsigned l, c;

	if (off > file->len)
		off = file->len;
	i = off / BLOCK * BLOCK;
	l = file->blocks[off / BLOCK].line;
	c = file->blocks[off / BLOCK].column;
	for (; i < off; i++)
		advance(file, i, &l, &c);
	if (line)
		*line = l;
	if (column)
		*column = c;
}

/* The byte offset of the `chars`-th character (0-based) of `s`, at most len. */
static size_t char_to_byte(const char *s, size_t len, size_t chars)
{
	size_t i = 0;

	while (i < len) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == 0)
				return i;
			chars--;
		}
		i++;
	}
	return len;
}

/* ---------------------------------------------------------------------------
 * Lines
 *
 * Every line-ending convention reads the same: LF, CRLF and a CR alone (as
 * PostgreSQL's scanner ends a `--` comment at either byte).
 */

/* The offset of the end of the line starting at `pos` (its terminator, or
 * `len`); *next is where the next line starts. */
static size_t line_end(const char *s, size_t pos, size_t len, size_t *next)
{
	for (size_t i = pos; i < len; i++) {
		if (s[i] == '\n') {
			*next = i + 1;
			return i;
		}
		if (s[i] == '\r') {
			*next = i + 1 < len && s[i + 1] == '\n' ? i + 2 : i + 1;
			return i;
		}
	}
	*next = len;
	return len;
}

/* ---------------------------------------------------------------------------
 * Section markers
 */

enum family { CANONICAL, UPDOWN, UNDO, DBMATE, GOOSE, SQLSPEC };

/* How each family spells its upgrade marker, for suggestions. */
static const char *const up_spelling[] = {
	[CANONICAL] = "-- upgrade --",
	[UPDOWN] = "-- UP",
	[UNDO] = "-- upgrade --",
	[DBMATE] = "-- migrate:up",
	[GOOSE] = "-- +goose Up",
	[SQLSPEC] = "-- name: migrate-VERSION-up",
};

/* What a line that starts with "--" is. */
enum line_kind {
	PLAIN,        /* a comment, or SQL */
	MARKER,       /* a section marker */
	ANNOTATION,   /* goose's StatementBegin/End, NO TRANSACTION */
	UNRECOGNISED, /* looks like a marker, is none varve knows */
};

struct marker {
	varve_section_kind kind;
	enum family family;
	bool no_transaction; /* an ANNOTATION that says so */
	const char *hint;    /* for UNRECOGNISED: what to write instead */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * The length of the white space character at `p` (before `end`): ASCII
 * blanks and the Unicode spaces an editor or a web page can slip in (no-break,
 * the U+2000 range, ideographic, zero-width, a stray byte order mark). 0 if
 * there is none.
 */
static size_t space_at(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = (size_t)(end - p);

	if (n == 0)
		return 0;
	if (is_blank(p[0]))
		return 1;
	if (n >= 2 && u[0] == 0xC2 && (u[1] == 0xA0 || u[1] == 0x85))
		return 2;
	if (n < 3)
		return 0;
	if ((u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80) ||  /* U+1680 */
	    (u[0] == 0xE2 && u[1] == 0x80 &&
	     (u[2] <= 0x8B || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF)) ||
	    (u[0] == 0xE2 && u[1] == 0x81 && (u[2] == 0x9F || u[2] == 0xA0)) ||
	    (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) ||  /* U+3000 */
	    (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF))    /* U+FEFF */
		return 3;
	return 0;
}

static const char *skip_space(const char *p, const char *end)
{
	size_t k;

	while ((k = space_at(p, end)) != 0)
		p += k;
	return p;
}

/* `end` less the white space that ends [start, end). */
static const char *trim_space(const char *start, const char *end)
{
	for (;;) {
		size_t k = 0;

		for (size_t i = 1; i <= 3 && i <= (size_t)(end - start) && !k; i++)
			if (space_at(end - i, end) == i)
				k = i;
		if (!k)
			return end;
		end -= k;
	}
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_word(char c)
{
	return is_alpha(c) || c == '@' || c == ':' || c == '+';
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return n == strlen(s) && strncasecmp(w, s, n) == 0;
}

static bool starts_with(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && strncasecmp(p, s, n) == 0;
}

/* Whether [p, end) holds an ASCII letter or digit. */
static bool has_alnum(const char *p, const char *end)
{
	for (; p < end; p++)
		if (is_alpha(*p) || (*p >= '0' && *p <= '9'))
			return true;
	return false;
}

/* goose's annotations after "+goose": Up, Down, and the ones varve honours
 * or ignores; anything else (ENVSUB ON, a typo) is unrecognised. */
static enum line_kind parse_goose(const char *p, const char *end,
				  struct marker *m)
{
	const char *w;
	size_t n;

	m->family = GOOSE;
	m->hint = "write '-- +goose Up' or '-- +goose Down'";
	if (p == end || !space_at(p, end))
		return UNRECOGNISED;
	p = skip_space(p, end);
	for (w = p; p < end && is_word(*p); p++)
		;
	n = (size_t)(p - w);
	if (p == end && word_is(w, n, "up")) {
		m->kind = VARVE_SECTION_UP;
		return MARKER;
	}
	if (p == end && word_is(w, n, "down")) {
		m->kind = VARVE_SECTION_DOWN;
		return MARKER;
	}
	/* Statements are told apart by the parser, with or without these. */
	if (p == end && (word_is(w, n, "statementbegin") ||
			 word_is(w, n, "statementend")))
		return ANNOTATION;
	if (word_is(w, n, "no") && p < end && space_at(p, end)) {
		p = skip_space(p, end);
		if (word_is(p, (size_t)(end - p), "transaction")) {
			m->no_transaction = true;
			return ANNOTATION;
		}
	}
	if (word_is(w, n, "envsub"))
		m->hint = "varve does not substitute environment variables; "
			  "remove it";
	return UNRECOGNISED;
}

/* SQLSpec's named queries: "-- name: migrate-<version>-up" / "-down". */
static enum line_kind parse_sqlspec(const char *p, const char *end,
				    struct marker *m)
{
	const char *v;

	p = skip_space(p, end);
	if (!starts_with(p, end, "migrate-"))
		return PLAIN; /* a named query of aiosql, sqlc, ... */
	m->family = SQLSPEC;
	m->hint = "write '-- name: migrate-VERSION-up' or "
		  "'-- name: migrate-VERSION-down'";
	v = p + strlen("migrate-");
	for (const char *q = v; q < end; q++)
		if (space_at(q, end))
			return UNRECOGNISED;
	if (end - v > 3 && starts_with(end - 3, end, "-up")) {
		m->kind = VARVE_SECTION_UP;
		return MARKER;
	}
	if (end - v > 5 && starts_with(end - 5, end, "-down")) {
		m->kind = VARVE_SECTION_DOWN;
		return MARKER;
	}
	return UNRECOGNISED;
}

/*
 * What the line [p, end) (without its line ending) is. A marker is a whole
 * line: "--", the keyword, for the plain forms an optional closing "--",
 * and white space (Unicode spaces too) anywhere around them. dbmate's
 * markers may carry options (`-- migrate:up transaction:false`); they are
 * ignored, the manifest's `transaction` decides.
 *
 * A line is UNRECOGNISED when it is a marker keyword followed by nothing
 * but punctuation (`-- UP:`, `-- downgrade -`), or uses a tool's marker
 * prefix with a word varve does not know (`-- migrate:upp`,
 * `-- +goose ENVSUB ON`, `-- name: migrate-1-upgrade`): run as SQL, such a
 * line would hide a downgrade inside the upgrade. A keyword followed by
 * words (`-- up next: an index`) is a comment.
 */
static enum line_kind parse_marker(const char *p, const char *end,
				   struct marker *m)
{
	const char *w, *a, *rest;
	size_t n, an;

	memset(m, 0, sizeof(*m));
	p = skip_space(p, end);
	end = trim_space(p, end);
	if (end - p < 3 || p[0] != '-' || p[1] != '-')
		return PLAIN;
	p = skip_space(p + 2, end);
	for (w = p; p < end && is_word(*p); p++)
		;
	n = (size_t)(p - w);

	if (starts_with(w, end, "name:"))
		return parse_sqlspec(w + 5, end, m);
	if (word_is(w, n, "+goose"))
		return parse_goose(p, end, m);
	if (n >= 8 && starts_with(w, w + n, "migrate:")) {
		m->family = DBMATE;
		m->hint = "write '-- migrate:up' or '-- migrate:down'";
		if (!(p == end || space_at(p, end)))
			return UNRECOGNISED;
		if (word_is(w, n, "migrate:up"))
			m->kind = VARVE_SECTION_UP;
		else if (word_is(w, n, "migrate:down"))
			m->kind = VARVE_SECTION_DOWN;
		else
			return UNRECOGNISED;
		return MARKER;
	}

	if (word_is(w, n, "upgrade")) {
		m->kind = VARVE_SECTION_UP;
		m->family = CANONICAL;
	} else if (word_is(w, n, "downgrade")) {
		m->kind = VARVE_SECTION_DOWN;
		m->family = CANONICAL;
	} else if (word_is(w, n, "up")) {
		m->kind = VARVE_SECTION_UP;
		m->family = UPDOWN;
	} else if (word_is(w, n, "down")) {
		m->kind = VARVE_SECTION_DOWN;
		m->family = UPDOWN;
	} else if (word_is(w, n, "@undo")) {
		m->kind = VARVE_SECTION_DOWN;
		m->family = UNDO;
	} else {
		/* `-- UP:` reads as the word "UP:" above. */
		for (a = w; a < end && (is_alpha(*a) || *a == '@'); a++)
			;
		an = (size_t)(a - w);
		if ((word_is(w, an, "upgrade") || word_is(w, an, "downgrade") ||
		     word_is(w, an, "up") || word_is(w, an, "down") ||
		     word_is(w, an, "@undo")) && !has_alnum(a, end)) {
			m->hint = "write '-- upgrade --' or '-- downgrade --', "
				  "or reword the comment";
			return UNRECOGNISED;
		}
		return PLAIN;
	}
	rest = skip_space(p, end);
	if (end - rest == 2 && rest[0] == '-' && rest[1] == '-')
		rest += 2;
	if (rest == end)
		return MARKER;
	if (has_alnum(rest, end))
		return PLAIN;
	m->hint = m->family == CANONICAL
		? "write '-- upgrade --' or '-- downgrade --', or reword the comment"
		: m->family == UPDOWN ? "write '-- UP' or '-- DOWN', or reword the comment"
		: "write '-- @UNDO', or reword the comment";
	return UNRECOGNISED;
}

/*
 * The offset of the first byte in [pos, end) that is neither white space
 * nor part of a comment, or `end`. Block comments nest, as in PostgreSQL.
 */
static size_t skip_comments(const char *s, size_t pos, size_t end)
{
	while (pos < end) {
		char c = s[pos];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			pos++;
		} else if (c == '-' && pos + 1 < end && s[pos + 1] == '-') {
			size_t next;

			line_end(s, pos, end, &next);
			pos = next;
		} else if (c == '/' && pos + 1 < end && s[pos + 1] == '*') {
			unsigned depth = 1;

			pos += 2;
			while (pos < end && depth) {
				if (s[pos] == '*' && pos + 1 < end &&
				    s[pos + 1] == '/') {
					depth--;
					pos += 2;
				} else if (s[pos] == '/' && pos + 1 < end &&
					   s[pos + 1] == '*') {
					depth++;
					pos += 2;
				} else {
					pos++;
				}
			}
		} else {
			break;
		}
	}
	return pos;
}

static const char *kind_name(varve_section_kind kind)
{
	return kind == VARVE_SECTION_UP ? "upgrade" : "downgrade";
}

/* The marker line as written, without surrounding white space. */
static int marker_text(const char *p, const char *end, int *len)
{
	const char *start = skip_space(p, end);

	end = trim_space(start, end);
	*len = (int)(end - start);
	if (*len > 80)
		*len = 80;
	return (int)(start - p);
}

/* A marker line found by the first pass of split_sections. */
struct mark {
	size_t pos, next; /* of the line, and of the line after it */
	unsigned line;
	struct marker m;
};

/*
 * Find the sections of a `file` (SPEC §2). Problems with markers are
 * findings; the sections are still set as well as they can be: a repeated
 * marker is left as a comment inside the section it lies in, and text
 * before the first marker belongs to no section, except before `-- @UNDO`
 * and in a file whose only markers are downgrade markers (manticore's
 * `-- DOWN`): there the text before is the upgrade. goose's files always
 * have `-- +goose Up`.
 */
static int split_sections(varve_sqlfile *file, varve_diag_list *diags)
{
	char *s = file->data;
	size_t pos = file->bom, len = file->len, nmarks = 0, cap = 0;
	struct mark *marks = NULL;
	struct section *cur = NULL;
	bool has_up = false;
	unsigned line = 1;
	int error = 0;

	/* First pass: the marker lines, and findings about the others. */
	while (pos < len) {
		size_t next, eol = line_end(s, pos, len, &next);
		struct marker m;
		enum line_kind k = parse_marker(s + pos, s + eol, &m);

		if (k == MARKER) {
			if (nmarks == cap) {
				struct mark *bigger;

				cap = cap ? 2 * cap : 8;
				if (!(bigger = realloc(marks, cap * sizeof(*marks)))) {
					error = varve_error__oom();
					goto done;
				}
				marks = bigger;
			}
			marks[nmarks].pos = pos;
			marks[nmarks].next = next;
			marks[nmarks].line = line;
			marks[nmarks++].m = m;
			has_up |= m.kind == VARVE_SECTION_UP;
		} else if (k == ANNOTATION && m.no_transaction) {
			file->no_transaction = true;
		} else if (k == UNRECOGNISED) {
			int off, n;

			off = marker_text(s + pos, s + eol, &n);
			error = varve_diag__error(
				diags, "unrecognised-marker", file->display,
				line, column_at(file, pos, pos + (size_t)off),
				"'%.*s' looks like a section marker but is not "
				"one: %s", 
				n, s + pos + off, m.hint);
			if (error)
				goto done;
		}
		pos = next;
		line++;
	}

	for (size_t i = 0; i < nmarks; i++) {
		const struct mark *mk = &marks[i];
		struct section *sec = &file->sections[mk->m.kind];
		size_t eol = line_end(s, mk->pos, len, &pos);

		if (i == 0 && mk->m.kind == VARVE_SECTION_DOWN &&
		    (mk->m.family == UNDO || (!has_up && mk->m.family != GOOSE))) {
			/* Everything before the downgrade marker is the upgrade. */
			cur = &file->sections[VARVE_SECTION_UP];
			cur->present = true;
			cur->offset = file->bom;
			cur->first_line = 1;
		} else if (i == 0) {
			size_t sql = skip_comments(s, file->bom, mk->pos);

			if (sql < mk->pos) {
				unsigned l, c;
				int off, n;

				off = marker_text(s + mk->pos, s + eol, &n);
				file_position(file, sql, &l, &c);
				if (mk->m.kind == VARVE_SECTION_UP)
					error = varve_diag__error(
						diags, "sql-syntax",
						file->display, l, c,
						"SQL before the marker '%.*s' belongs to no section: move it below the marker",
						n, s + mk->pos + off);
				else
					error = varve_diag__error(
						diags, "sql-syntax",
						file->display, l, c,
						"SQL before the marker '%.*s' belongs to no section: add '%s' above it",
						n, s + mk->pos + off,
						up_spelling[mk->m.family]);
				if (error)
					goto done;
			}
		}

		if (sec->present) {
			int off, n;

			off = marker_text(s + mk->pos, s + eol, &n);
			error = varve_diag__error(
				diags, "sql-syntax", file->display, mk->line,
				column_at(file, mk->pos, mk->pos + (size_t)off),
				"repeated marker '%.*s': the %s section began at line %u",
				n, s + mk->pos + off, kind_name(mk->m.kind),
				sec->marker_line ? sec->marker_line : 1);
			if (error)
				goto done;
			continue;
		}

		if (cur) {
			cur->len = mk->pos - cur->offset;
			s[mk->pos] = '\0';
		}
		cur = sec;
		cur->present = true;
		cur->offset = mk->next;
		cur->first_line = mk->next > eol ? mk->line + 1 : mk->line;
		cur->marker_line = mk->line;
	}

	if (!nmarks) {
		cur = &file->sections[VARVE_SECTION_UP];
		cur->present = true;
		cur->offset = file->bom;
		cur->first_line = 1;
	}
	if (cur)
		cur->len = len - cur->offset;
done:
	free(marks);
	return error;
}

/* ---------------------------------------------------------------------------
 * Bytes and limits
 */

/*
 * The offset of the first byte of `s` that does not belong to a valid
 * UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), or `len`. A truncated sequence is bad at its first byte.
 */
static size_t utf8_invalid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i], lo = 0x80, hi = 0xBF;
		size_t n;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return i;
		}
		if (len - i <= n || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += n + 1;
	}
	return len;
}

/*
 * A NUL byte (libpg_query would stop there and the rest would be silently
 * dropped) or bytes that are not UTF-8 (the server refuses them, 22021,
 * after earlier migrations ran) make the whole file unreadable.
 */
static int check_bytes(varve_sqlfile *file, varve_diag_list *diags)
{
	const char *s = file->data + file->bom;
	size_t len = file->len - file->bom, bad;
	const char *nul = memchr(s, '\0', len);
	unsigned line, column;
	int error;

	if (nul) {
		file_position(file, file->bom + (size_t)(nul - s), &line, &column);
		error = varve_diag__error(diags, "sql-syntax", file->display,
					  line, column,
					  "unexpected NUL byte (is this a binary file?)");
		file->unreadable = "holds a NUL byte";
		return error;
	}
	if ((bad = utf8_invalid((const unsigned char *)s, len)) < len) {
		file_position(file, file->bom + bad, &line, &column);
		error = varve_diag__error(diags, "invalid-encoding",
			file->display, line, column,
			"byte 0x%02X is not UTF-8: varve reads SQL files as UTF-8; "
			"convert the file (e.g. iconv -f LATIN1 -t UTF-8)",
			(unsigned char)s[bad]);
		file->unreadable = "is not UTF-8";
		return error;
	}
	return 0;
}

/*
 * Bounds on what libpg_query's scanner is given. It slows down
 * quadratically with the `/ *` and `* /` nested inside one block comment
 * (10,000 levels took 2 s, 40,000 took 31 s) and with a run of operator
 * characters it has to take apart (`+` 40,000 times took 5.7 s), and every
 * token costs about half a microsecond. A cheap pass that knows strings,
 * quoted identifiers, dollar quotes and comments as PostgreSQL does
 * counts them first, a comment or an operator run weighing as the square
 * of its size where the scanner's cost does, so that no file of up to
 * 16 MiB takes more than about a second of scanning.
 */
#define MAX_TOKENS 1000000
#define MAX_NESTED_COMMENTS 256
#define MAX_OPERATOR 256

static bool is_ident_start(unsigned char c)
{
	return is_alpha((char)c) || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static bool is_op_char(char c)
{
	return c && strchr("~!@#^&|`?+-*/%<>=", c) != NULL;
}

/* The first `needle` (of `n` bytes, the first a '$') in `s`, or NULL. */
static const char *find(const char *s, size_t len, const char *needle,
			size_t n)
{
	const char *end = s + len, *p = s;

	while ((p = memchr(p, '$', (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < n)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

/*
 * Count the tokens of `s` into *tokens and check the limits. Returns NULL,
 * or what is wrong with *at set to the offset it is about.
 */
static const char *over_limits(const char *s, size_t len, size_t *tokens,
			       size_t *at)
{
	size_t i = 0, n = *tokens;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t start = i, k;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			i++;
			continue;
		}
		if (++n > MAX_TOKENS) {
			*at = i;
			return "more than 1000000 tokens in one file: split it "
			       "into several migrations";
		}
		if (c == '-' && i + 1 < len && s[i + 1] == '-') {
			line_end(s, i, len, &i);
		} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			unsigned depth = 1, nested = 0;

			for (i += 2; i < len && depth;) {
				if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
					depth++;
					nested++;
					i += 2;
				} else if (s[i] == '*' && i + 1 < len &&
					   s[i + 1] == '/') {
					depth--;
					i += 2;
				} else {
					i++;
				}
				if (nested > MAX_NESTED_COMMENTS) {
					*at = start;
					return "a block comment holds more than 256 "
					       "nested comments";
				}
			}
			/* The scanner's cost grows with the square of the
			 * markers inside one comment. */
			k = 2 * (size_t)nested;
			n += k * k / 128 > k ? k * k / 128 : k;
		} else if (c == '\'') {
			/* E'...' knows backslash escapes; '' is a quote. */
			bool esc = i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
				   (i < 2 || !is_ident_char((unsigned char)s[i - 2]));

			for (i++; i < len; i++) {
				if (esc && s[i] == '\\') {
					i++;
				} else if (s[i] == '\'') {
					if (i + 1 < len && s[i + 1] == '\'')
						i++;
					else
						break;
				}
			}
			i++;
		} else if (c == '"') {
			for (i++; i < len; i++) {
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"')
						i++;
					else
						break;
				}
			}
			i++;
		} else if (c == '$') {
			size_t j = i + 1;

			if (j < len && is_ident_start((unsigned char)s[j]))
				while (j < len && is_ident_char((unsigned char)s[j]) &&
				       s[j] != '$')
					j++;
			if (j < len && s[j] == '$') {
				/* A dollar quote: to the same tag, or the end. */
				size_t tag = j + 1 - i;
				const char *close = find(s + j + 1, len - j - 1,
							 s + i, tag);

				i = close ? (size_t)(close - s) + tag : len;
			} else {
				for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
					;
			}
		} else if (is_ident_char(c)) {
			while (i < len && is_ident_char((unsigned char)s[i]))
				i++;
		} else if (is_op_char((char)c)) {
			size_t run = 0;

			while (i < len && is_op_char(s[i]) &&
			       !(i + 1 < len && ((s[i] == '-' && s[i + 1] == '-') ||
						 (s[i] == '/' && s[i + 1] == '*')))) {
				i++;
				run++;
			}
			if (run == 0)
				i++; /* cannot be: comments were taken above */
			if (run > MAX_OPERATOR) {
				*at = start;
				return "a run of more than 256 operator characters";
			}
			/* And with the square of a run it takes apart. */
			n += run * run / 64 > run ? run * run / 64 : run ? run - 1 : 0;
		} else {
			i++;
		}
		if (n > MAX_TOKENS) {
			*at = start;
			return "more than 1000000 tokens in one file: split it "
			       "into several migrations";
		}
	}
	*tokens = n;
	return NULL;
}

/* The limits over every section of the file (SPEC §10: no hangs). */
static int check_limits(varve_sqlfile *file, varve_diag_list *diags)
{
	size_t tokens = 0, at = 0;

	for (int k = 0; k < 2; k++) {
		const struct section *sec = &file->sections[k];
		const char *why;
		unsigned line, column;
		int error;

		if (!sec->present)
			continue;
		why = over_limits(file->data + sec->offset, sec->len, &tokens, &at);
		if (!why)
			continue;
		file_position(file, sec->offset + at, &line, &column);
		error = varve_diag__error(diags, "sql-too-complex", file->display,
					  line, column, "%s", why);
		file->unreadable = "is too complex to read";
		return error;
	}
	return 0;
}

/* ---------------------------------------------------------------------------
 * Reading
 */

/*
 * Make a file of `buf`'s contents (taken over, emptied) and find its
 * sections.
 */
static int sqlfile_new(varve_sqlfile **out, varve_buf *buf,
		       const char *display, bool split,
		       varve_section_kind kind, varve_diag_list *diags)
{
	varve_sqlfile *file = NULL;
	size_t dlen = strlen(display);
	int error = 0;

	file = calloc(1, sizeof(*file) + dlen + 1);
	if (!file) {
		error = varve_error__oom();
		goto done;
	}
	memcpy(file->display, display, dlen + 1);
	file->len = buf->len;
	file->data = varve_buf_detach(buf);
	if (!file->data) {
		error = varve_error__oom();
		goto done;
	}
	if (file->len >= 3 && memcmp(file->data, "\xEF\xBB\xBF", 3) == 0)
		file->bom = 3;
	if ((error = index_lines(file)) != 0 ||
	    (error = check_bytes(file, diags)) != 0)
		goto done;
	if (split) {
		if ((error = split_sections(file, diags)) != 0)
			goto done;
	} else {
		struct section *sec = &file->sections[kind];

		sec->present = true;
		sec->offset = file->bom;
		sec->len = file->len - file->bom;
		sec->first_line = 1;
	}
	if (!file->unreadable && (error = check_limits(file, diags)) != 0)
		goto done;

	*out = file;
	file = NULL;
done:
	varve_sqlfile_free(file);
	return error;
}

int varve_sqlfile_read(varve_sqlfile **out, const char *path,
		       const char *display, bool split,
		       varve_section_kind kind, varve_diag_list *diags)
{
	varve_buf buf = VARVE_BUF_INIT;
	int error;

	assert(out && path);
	assert(kind == VARVE_SECTION_UP || kind == VARVE_SECTION_DOWN);
	*out = NULL;
	if (!display)
		display = path;

	error = varve_buf_read_file(&buf, path, VARVE_SQLFILE_MAX_SIZE);
	if (error == VARVE_EIO)
		error = varve_error__set(VARVE_EIO, "cannot read '%s': %s",
					 display, strerror(errno));
	else if (error == VARVE_EINVALID)
		error = varve_error__set(VARVE_EINVALID,
					 "'%s' is larger than 16 MiB", display);
	else if (!error)
		error = sqlfile_new(out, &buf, display, split, kind, diags);
	varve_buf_dispose(&buf);
	return error;
}

int varve_sqlfile__read_buffer(varve_sqlfile **out, const char *data,
			       size_t len, const char *display, bool split,
			       varve_section_kind kind, varve_diag_list *diags)
{
	varve_buf buf = VARVE_BUF_INIT;
	int error;

	assert(out && display && (data || !len));
	assert(kind == VARVE_SECTION_UP || kind == VARVE_SECTION_DOWN);
	*out = NULL;
	if (len > VARVE_SQLFILE_MAX_SIZE)
		return varve_error__set(VARVE_EINVALID,
					"'%s' is larger than 16 MiB", display);
	if ((error = varve_buf_put(&buf, data, len)) == 0)
		error = sqlfile_new(out, &buf, display, split, kind, diags);
	varve_buf_dispose(&buf);
	return error;
}

void varve_sqlfile_free(varve_sqlfile *file)
{
	if (!file)
		return;
	free(file->blocks);
	free(file->data);
	free(file);
}

const char *varve_sqlfile__display(const varve_sqlfile *file)
{
	return file->display;
}

bool varve_sqlfile__no_transaction(const varve_sqlfile *file)
{
	return file->no_transaction;
}

bool varve_sqlfile_has(const varve_sqlfile *file, varve_section_kind kind)
{
	assert(kind == VARVE_SECTION_UP || kind == VARVE_SECTION_DOWN);
	return file->sections[kind].present;
}

const char *varve_sqlfile_text(const varve_sqlfile *file,
			       varve_section_kind kind, size_t *len)
{
	const struct section *sec = &file->sections[kind];

	assert(kind == VARVE_SECTION_UP || kind == VARVE_SECTION_DOWN);
	if (!sec->present) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = sec->len;
	return file->data + sec->offset;
}

unsigned varve_sqlfile_first_line(const varve_sqlfile *file,
				  varve_section_kind kind)
{
	assert(kind == VARVE_SECTION_UP || kind == VARVE_SECTION_DOWN);
	return file->sections[kind].present ? file->sections[kind].first_line
					    : 0;
}

void varve_sqlfile_position(const varve_sqlfile *file, varve_section_kind kind,
			    size_t offset, unsigned *line, unsigned *column)
{
	const struct section *sec = &file->sections[kind];

	assert(kind == VARVE_SECTION_UP || kind == VARVE_SECTION_DOWN);
	if (!sec->present) {
		if (line)
			*line = 0;
		if (column)
			*column = 0;
		return;
	}
	if (offset > sec->len)
		offset = sec->len;
	file_position(file, sec->offset + offset, line, column);
}

/* ---------------------------------------------------------------------------
 * Tokens
 */

struct tokens {
	varve_token *v;
	size_t n;
	varve_token small[128];
	char *error;           /* the scanner's message, malloc'd */
	unsigned error_pos;    /* its cursorpos: 1-based characters, 0 unknown */
	const char *error_code; /* "sql-syntax", or "sql-too-complex" */
};

static void tokens_dispose(struct tokens *t)
{
	if (t->v != t->small)
		free(t->v);
	t->v = NULL;
	t->n = 0;
	free(t->error);
	t->error = NULL;
}

static bool read_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;
	unsigned shift;

	for (shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t b = *(*p)++;

		r |= (uint64_t)(b & 0x7F) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

/* Skip a field of wire type `wire` that is not wanted. */
static bool skip_field(const uint8_t **p, const uint8_t *end, unsigned wire)
{
	uint64_t v;

	switch (wire) {
	case 0:
		return read_varint(p, end, &v);
	case 1:
		if (end - *p < 8)
			return false;
		*p += 8;
		return true;
	case 2:
		if (!read_varint(p, end, &v) || v > (uint64_t)(end - *p))
			return false;
		*p += v;
		return true;
	case 5:
		if (end - *p < 4)
			return false;
		*p += 4;
		return true;
	default:
		return false;
	}
}

/*
 * Decode a ScanResult (pg_query.proto: 2 = repeated ScanToken tokens;
 * ScanToken: 1 = start, 2 = end, 4 = token) straight from the wire.
 * protobuf-c's generic unpacker costs as much as the scan itself, and only
 * three integers per token are needed. The test checks this decoder
 * against pg_query__scan_result__unpack.
 */
static int decode_scan(struct tokens *t, const uint8_t *p, size_t size)
{
	const uint8_t *end = p + size;
	size_t cap = size / 2 + 1; /* each token takes at least 2 bytes */

	if (cap > VARVE_ARRAY_SIZE(t->small)) {
		t->v = malloc(cap * sizeof(*t->v));
		if (!t->v)
			return varve_error__oom();
	}
	while (p < end) {
		uint64_t key, len;
		const uint8_t *q, *qend;
		varve_token *tok;

		if (!read_varint(&p, end, &key))
			goto bad;
		if (key >> 3 != 2 || (key & 7) != 2) {
			if (!skip_field(&p, end, (unsigned)(key & 7)))
				goto bad;
			continue;
		}
		if (!read_varint(&p, end, &len) || len > (uint64_t)(end - p))
			goto bad;
		q = p;
		qend = p + len;
		p = qend;
		if (t->n == cap)
			goto bad;
		tok = &t->v[t->n++];
		memset(tok, 0, sizeof(*tok));
		while (q < qend) {
			uint64_t k, v;

			if (!read_varint(&q, qend, &k))
				goto bad;
			if ((k & 7) != 0 || ((k >> 3) != 1 && (k >> 3) != 2 &&
					      (k >> 3) != 4)) {
				if (!skip_field(&q, qend, (unsigned)(k & 7)))
					goto bad;
				continue;
			}
			if (!read_varint(&q, qend, &v))
				goto bad;
			switch (k >> 3) {
			case 1:
				tok->start = (int32_t)(uint32_t)v;
				break;
			case 2:
				tok->end = (int32_t)(uint32_t)v;
				break;
			default:
				tok->kind = (int32_t)(uint32_t)v;
				break;
			}
		}
	}
	return 0;
bad:
	return varve_error__set(VARVE_ERROR,
				"cannot read the SQL scanner's output");
}

static bool is_comment(const varve_token *tok)
{
	return tok->kind == PG_QUERY__TOKEN__SQL_COMMENT ||
	       tok->kind == PG_QUERY__TOKEN__C_COMMENT;
}

static bool is_sql_space(char c)
{
	/* PostgreSQL 15's scanner: space [ \t\n\r\f] */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Scan `sql` (NUL at sql[len]) into tokens. A scanner error is not a
 * failure here: it is kept in t->error for the caller to place.
 *
 * Token ends are recomputed: each token runs to the start of the next one
 * (or the end of the text) less trailing white space. The scanner skips
 * nothing but white space (comments are tokens), so this is each token's
 * exact text; libpg_query's own `end` is the same for every token except
 * U&"..." and U&'...', where it is wrong (it stops after the U).
 */
static int scan_tokens(struct tokens *t, const char *sql, size_t len)
{
	PgQueryScanResult r;
	size_t i, ntokens = 0, at = 0;
	const char *why;
	int error = 0;

	t->v = t->small;
	t->n = 0;
	t->error = NULL;
	t->error_pos = 0;
	t->error_code = "sql-syntax";

	/* Bounded work first: the scanner is quadratic on some inputs. */
	if ((why = over_limits(sql, len, &ntokens, &at)) != NULL) {
		if (!(t->error = strdup(why)))
			return varve_error__oom();
		t->error_code = "sql-too-complex";
		t->error_pos = 1;
		for (size_t k = 0; k < at; k++)
			if (((unsigned char)sql[k] & 0xC0) != 0x80)
				t->error_pos++;
		return 0;
	}
	r = pg_query_scan(sql);
	if (r.error) {
		t->error = strdup(r.error->message ? r.error->message
						   : "cannot scan the SQL");
		if (!t->error) {
			error = varve_error__oom();
			goto done;
		}
		t->error_pos = r.error->cursorpos > 0
				       ? (unsigned)r.error->cursorpos
				       : 0;
		goto done;
	}
	if (r.pbuf.len &&
	    (error = decode_scan(t, (const uint8_t *)r.pbuf.data,
				 r.pbuf.len)) != 0)
		goto done;

	for (i = 0; i < t->n; i++) {
		size_t start = (size_t)t->v[i].start, end;

		end = i + 1 < t->n ? (size_t)t->v[i + 1].start : len;
		if (t->v[i].start < 0 || start > end || end > len) {
			error = varve_error__set(
				VARVE_ERROR,
				"cannot read the SQL scanner's output");
			goto done;
		}
		while (end > start && is_sql_space(sql[end - 1]))
			end--;
		t->v[i].end = (int32_t)end;
	}
done:
	pg_query_free_scan_result(r);
	return error;
}

/* ---------------------------------------------------------------------------
 * Checksum
 */

static const char hexdigits[] = "0123456789abcdef";

static int checksum_tokens(char *out, const char *sql, const struct tokens *t)
{
	char small[4096], *buf = small;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t i, n = 0, need = 0;
	int error = 0;

	for (i = 0; i < t->n; i++)
		if (!is_comment(&t->v[i]))
			need += (size_t)(t->v[i].end - t->v[i].start) + 1;
	if (need > sizeof(small)) {
		buf = malloc(need);
		if (!buf)
			return varve_error__oom();
	}
	for (i = 0; i < t->n; i++) {
		size_t k = (size_t)(t->v[i].end - t->v[i].start);

		if (is_comment(&t->v[i]))
			continue;
		memcpy(buf + n, sql + t->v[i].start, k);
		n += k;
		buf[n++] = ' ';
	}
	if (!EVP_Digest(buf, n, md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen != 32) {
		error = varve_error__set(VARVE_ERROR, "cannot compute SHA-256");
		goto done;
	}
	memcpy(out, "sha256:", 7);
	for (i = 0; i < 32; i++) {
		out[7 + 2 * i] = hexdigits[md[i] >> 4];
		out[7 + 2 * i + 1] = hexdigits[md[i] & 0xF];
	}
	out[VARVE_CHECKSUM_LEN] = '\0';
done:
	if (buf != small)
		free(buf);
	return error;
}

int varve_checksum(char out[VARVE_CHECKSUM_LEN + 1], const char *sql,
		   size_t len)
{
	struct tokens t;
	char small[4096], *copy = small;
	int error;

	assert(out && (sql || !len));
	out[0] = '\0';
	if (len && memchr(sql, '\0', len))
		return varve_error__set(VARVE_EINVALID,
					"SQL text holds a NUL byte");
	/* The scanner wants a C string; `sql` need not be one. */
	if (len >= sizeof(small)) {
		copy = malloc(len + 1);
		if (!copy)
			return varve_error__oom();
	}
	if (len)
		memcpy(copy, sql, len);
	copy[len] = '\0';

	if ((error = scan_tokens(&t, copy, len)) != 0)
		goto done;
	if (t.error) {
		error = varve_error__set(VARVE_EINVALID, "%s", t.error);
		goto done;
	}
	error = checksum_tokens(out, copy, &t);
done:
	tokens_dispose(&t);
	if (copy != small)
		free(copy);
	return error;
}

/* ---------------------------------------------------------------------------
 * Statements
 */

static bool tok_is(const varve_token *tok, const char *sql, const char *s)
{
	size_t n = (size_t)(tok->end - tok->start);

	return n == strlen(s) && strncasecmp(sql + tok->start, s, n) == 0;
}

/* Whether a boolean option value token says false. */
static bool is_false(const varve_token *tok, const char *sql)
{
	return tok->kind == PG_QUERY__TOKEN__FALSE_P ||
	       tok->kind == PG_QUERY__TOKEN__OFF ||
	       tok_is(tok, sql, "0") || tok_is(tok, sql, "'false'") ||
	       tok_is(tok, sql, "'off'") || tok_is(tok, sql, "'0'");
}

/* Whether the option `name` is set to false: `name = false` or `name false`. */
static bool option_false(const varve_token *v, size_t n, const char *sql,
			 const char *name)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (!tok_is(&v[i], sql, name))
			continue;
		if (v[i + 1].kind == PG_QUERY__TOKEN__ASCII_61)
			return i + 2 < n && is_false(&v[i + 2], sql);
		return is_false(&v[i + 1], sql);
	}
	return false;
}

static bool has_kind(const varve_token *v, size_t n, int32_t kind)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].kind == kind)
			return true;
	return false;
}

/*
 * REINDEX: concurrently (outside the option list, or in it without a false
 * value), or of a whole schema, database or system.
 */
static bool reindex_needs_no_transaction(const varve_token *v, size_t n,
					 const char *sql)
{
	size_t i;
	int depth = 0;

	for (i = 1; i < n; i++) {
		int32_t k = v[i].kind;

		if (k == PG_QUERY__TOKEN__ASCII_40) {
			depth++;
		} else if (k == PG_QUERY__TOKEN__ASCII_41) {
			depth--;
		} else if (k == PG_QUERY__TOKEN__CONCURRENTLY) {
			if (depth == 0 || i + 1 >= n || !is_false(&v[i + 1], sql))
				return true;
		} else if (depth == 0 && (k == PG_QUERY__TOKEN__SCHEMA ||
					  k == PG_QUERY__TOKEN__DATABASE ||
					  k == PG_QUERY__TOKEN__SYSTEM_P)) {
			return true;
		}
	}
	return false;
}

/* CLUSTER without a table: every table, which PostgreSQL refuses in a block. */
static bool cluster_all(const varve_token *v, size_t n)
{
	size_t i;
	int depth = 0;

	for (i = 1; i < n; i++) {
		int32_t k = v[i].kind;

		if (k == PG_QUERY__TOKEN__ASCII_40)
			depth++;
		else if (k == PG_QUERY__TOKEN__ASCII_41)
			depth--;
		else if (depth == 0 && k != PG_QUERY__TOKEN__VERBOSE)
			return false;
	}
	return true;
}

/*
 * Classify a statement that parsed from its tokens `v` (comments left out):
 * the leading keywords decide the statement's kind in PostgreSQL's grammar,
 * and the few options that matter are plain keywords too. The list follows
 * PostgreSQL 15's PreventInTransactionBlock callers.
 */
static void classify(varve_statement *st, const varve_token *v, size_t n,
		     const char *sql)
{
	int32_t k0, k1, k2;

	if (n == 0)
		return;
	k0 = v[0].kind;
	k1 = n > 1 ? v[1].kind : 0;
	k2 = n > 2 ? v[2].kind : 0;

	switch (k0) {
	case PG_QUERY__TOKEN__BEGIN_P:
	case PG_QUERY__TOKEN__START:
	case PG_QUERY__TOKEN__COMMIT: /* also COMMIT PREPARED */
	case PG_QUERY__TOKEN__END_P:
	case PG_QUERY__TOKEN__ABORT_P:
		st->transaction_control = true;
		break;
	case PG_QUERY__TOKEN__ROLLBACK:
		/* ROLLBACK TO SAVEPOINT stays inside the transaction. */
		st->transaction_control = !has_kind(v, n, PG_QUERY__TOKEN__TO);
		break;
	case PG_QUERY__TOKEN__PREPARE:
		st->transaction_control = k1 == PG_QUERY__TOKEN__TRANSACTION;
		break;
	case PG_QUERY__TOKEN__VACUUM:
		st->needs_no_transaction = true;
		break;
	case PG_QUERY__TOKEN__REINDEX:
		st->needs_no_transaction =
			reindex_needs_no_transaction(v, n, sql);
		break;
	case PG_QUERY__TOKEN__CLUSTER:
		st->needs_no_transaction = cluster_all(v, n);
		break;
	case PG_QUERY__TOKEN__DISCARD:
		st->needs_no_transaction = k1 == PG_QUERY__TOKEN__ALL;
		break;
	case PG_QUERY__TOKEN__CREATE:
		if (k1 == PG_QUERY__TOKEN__UNIQUE) {
			k1 = k2;
			k2 = n > 3 ? v[3].kind : 0;
		}
		if (k1 == PG_QUERY__TOKEN__INDEX)
			st->needs_no_transaction =
				k2 == PG_QUERY__TOKEN__CONCURRENTLY;
		else if (k1 == PG_QUERY__TOKEN__DATABASE ||
			 k1 == PG_QUERY__TOKEN__TABLESPACE)
			st->needs_no_transaction = true;
		else if (k1 == PG_QUERY__TOKEN__SUBSCRIPTION)
			/* Only creating the replication slot is refused. */
			st->needs_no_transaction =
				!option_false(v, n, sql, "create_slot") &&
				!option_false(v, n, sql, "connect");
		break;
	case PG_QUERY__TOKEN__DROP:
		if (k1 == PG_QUERY__TOKEN__INDEX)
			st->needs_no_transaction =
				k2 == PG_QUERY__TOKEN__CONCURRENTLY;
		else if (k1 == PG_QUERY__TOKEN__DATABASE ||
			 k1 == PG_QUERY__TOKEN__TABLESPACE ||
			 /* refused when it has a slot, unknown here */
			 k1 == PG_QUERY__TOKEN__SUBSCRIPTION)
			st->needs_no_transaction = true;
		break;
	case PG_QUERY__TOKEN__ALTER:
		if (k1 == PG_QUERY__TOKEN__SYSTEM_P) {
			st->needs_no_transaction = true;
		} else if (k1 == PG_QUERY__TOKEN__TABLE) {
			size_t i;

			for (i = 2; i + 1 < n; i++)
				if (v[i].kind == PG_QUERY__TOKEN__DETACH &&
				    v[i + 1].kind == PG_QUERY__TOKEN__PARTITION &&
				    has_kind(v + i, n - i,
					     PG_QUERY__TOKEN__CONCURRENTLY))
					st->needs_no_transaction = true;
		} else if (k1 == PG_QUERY__TOKEN__DATABASE) {
			size_t i;

			for (i = 2; i + 1 < n; i++)
				if (v[i].kind == PG_QUERY__TOKEN__SET &&
				    v[i + 1].kind == PG_QUERY__TOKEN__TABLESPACE)
					st->needs_no_transaction = true;
		} else if (k1 == PG_QUERY__TOKEN__SUBSCRIPTION) {
			/* REFRESH, and SET/ADD/DROP PUBLICATION that refresh. */
			if (has_kind(v, n, PG_QUERY__TOKEN__REFRESH) &&
			    !has_kind(v, n, PG_QUERY__TOKEN__PUBLICATION))
				st->needs_no_transaction = true;
			else if (has_kind(v, n, PG_QUERY__TOKEN__PUBLICATION))
				st->needs_no_transaction =
					!option_false(v, n, sql, "refresh");
		}
		break;
	default:
		break;
	}
}

/* Add an "sql-syntax" finding at `cursorpos` (1-based characters) of a section. */
static int syntax_finding(const varve_sqlfile *file, varve_section_kind kind,
			  unsigned cursorpos, const char *code,
			  const char *message, varve_diag_list *diags)
{
	const struct section *sec = &file->sections[kind];
	const char *text = file->data + sec->offset;
	size_t off = cursorpos ? char_to_byte(text, sec->len, cursorpos - 1)
			       : 0;
	size_t n = strlen(message);
	const char *more = "";
	unsigned line, column;
	int error;

	/*
	 * "at or near" quotes the rest of the text; an unterminated comment or
	 * string quotes the whole file. A finding is one line.
	 */
	if (n > 160) {
		n = 150;
		while (n && ((unsigned char)message[n] & 0xC0) == 0x80)
			n--;
		more = strstr(message, " near \"") ? "...\"" : "...";
	}
	file_position(file, sec->offset + off, &line, &column);
	error = varve_diag__error(diags, code, file->display, line,
				  column, "%.*s%s", (int)n, message, more);
	if (error)
		return error;
	return varve_error__set(VARVE_EINVALID, "%s:%u:%u: %.*s%s",
				file->display, line, column, (int)n, message,
				more);
}

/*
 * psql meta-commands (`\\! cmd`, `\\i file`, `\\set`): a backslash outside
 * strings, comments and quoted names. The server would refuse one, but
 * `upgrade --sql` hands the text to psql, which would run it (a shell
 * command, for `\\!`). Reports the first; returns VARVE_EINVALID then.
 */
static int meta_commands(const varve_sqlfile *file, varve_section_kind kind,
			 const char *sql, const struct tokens *t,
			 varve_diag_list *diags)
{
	const struct section *sec = &file->sections[kind];

	for (size_t i = 0; i < t->n; i++) {
		const char *p = sql + t->v[i].start, *q = p + 1;
		unsigned line, column;
		int error;

		if (*p != '\\')
			continue;
		while (q < sql + sec->len && q - p < 32 && *q > ' ' && *q < 0x7F)
			q++;
		file_position(file, sec->offset + (size_t)t->v[i].start, &line,
			      &column);
		if ((error = varve_diag__error(diags, "psql-meta-command",
				file->display, line, column,
				"psql meta-command '%.*s': varve sends SQL to the "
				"server, not to psql; remove it", (int)(q - p), p)) != 0)
			return error;
		return varve_error__set(VARVE_EINVALID, "%s:%u:%u: psql meta-command '%.*s'",
					file->display, line, column, (int)(q - p), p);
	}
	return 0;
}

/*
 * Whether the DO block `sql` (`len` bytes) commits or rolls back: its body
 * parsed by libpg_query's PL/pgSQL parser (the server's, without catalog
 * lookups). A body that does not parse, or is not PL/pgSQL, says nothing.
 */
static int do_block_commits(const char *sql, size_t len, bool *out)
{
	PgQueryPlpgsqlParseResult r;
	char *copy = strndup(sql, len);

	*out = false;
	if (!copy)
		return varve_error__oom();
	r = pg_query_parse_plpgsql(copy);
	/* JSON: a key can only appear outside a string, where it is not
	 * escaped. */
	if (!r.error && r.plpgsql_funcs &&
	    (strstr(r.plpgsql_funcs, "{\"PLpgSQL_stmt_commit\"") ||
	     strstr(r.plpgsql_funcs, "{\"PLpgSQL_stmt_rollback\"")))
		*out = true;
	pg_query_free_plpgsql_parse_result(r);
	free(copy);
	return 0;
}

/*
 * Statements of the section from the parser's boundaries, each trimmed to
 * its tokens and classified.
 */
static int build_statements(const char *sql, size_t len,
			    const PgQuerySplitResult *split,
			    const struct tokens *t, varve_statement **out,
			    size_t *count, varve_statement_fn fn, void *ctx)
{
	varve_statement *v = NULL;
	varve_token small[64], *code = small;
	size_t i, j = 0, nv = 0;
	int error = 0;

	if (split->n_stmts <= 0)
		goto done;
	v = calloc((size_t)split->n_stmts, sizeof(*v));
	if (!v) {
		error = varve_error__oom();
		goto done;
	}
	if (t->n > VARVE_ARRAY_SIZE(small)) {
		code = malloc(t->n * sizeof(*code));
		if (!code) {
			error = varve_error__oom();
			goto done;
		}
	}
	for (i = 0; i < (size_t)split->n_stmts; i++) {
		size_t loc = (size_t)split->stmts[i]->stmt_location;
		size_t slen = (size_t)split->stmts[i]->stmt_len;
		size_t end, nc = 0;
		varve_statement *st = &v[nv];

		if (loc > len)
			loc = len;
		end = slen && slen <= len - loc ? loc + slen : len;
		while (j < t->n && (size_t)t->v[j].start < loc)
			j++;
		for (; j < t->n && (size_t)t->v[j].start < end; j++)
			if (!is_comment(&t->v[j]))
				code[nc++] = t->v[j];
		if (nc == 0)
			continue; /* nothing but comments: not a statement */
		st->offset = (size_t)code[0].start;
		st->length = (size_t)code[nc - 1].end - st->offset;
		classify(st, code, nc, sql);
		if (code[0].kind == PG_QUERY__TOKEN__DO &&
		    (error = do_block_commits(sql + st->offset, st->length,
					      &st->transaction_control)) != 0)
			goto done;
		if (fn && (error = fn(ctx, sql, len, st, code, nc)) != 0)
			goto done;
		nv++;
	}
done:
	if (code != small)
		free(code);
	if (error || nv == 0) {
		free(v);
		v = NULL;
		nv = 0;
	}
	*out = v;
	*count = nv;
	return error;
}

int varve_sqlfile__analyze_each(const varve_sqlfile *file, varve_section_kind kind,
				char *checksum, varve_statement **out, size_t *count,
				varve_diag_list *diags, varve_statement_fn fn, void *ctx)
{
	const struct section *sec = &file->sections[kind];
	const char *sql = sec->present ? file->data + sec->offset : "";
	size_t len = sec->present ? sec->len : 0;
	PgQuerySplitResult split = { 0 };
	bool parsed = false;
	struct tokens t;
	int error;

	assert(kind == VARVE_SECTION_UP || kind == VARVE_SECTION_DOWN);
	if (checksum)
		checksum[0] = '\0';
	if (out) {
		assert(count);
		*out = NULL;
		*count = 0;
	}

	/* The reader said why already. */
	if (file->unreadable)
		return varve_error__set(VARVE_EINVALID, "'%s' %s", file->display,
					file->unreadable);
	if ((error = scan_tokens(&t, sql, len)) != 0)
		goto done;
	if (t.error && strcmp(t.error_code, "sql-syntax") != 0) {
		error = syntax_finding(file, kind, t.error_pos, t.error_code,
				       t.error, diags);
		goto done;
	}
	if (!t.error && (error = meta_commands(file, kind, sql, &t, diags)) != 0)
		goto done;

	if (checksum && !t.error &&
	    (error = checksum_tokens(checksum, sql, &t)) != 0)
		goto done;

	if (!out) {
		if (t.error)
			error = syntax_finding(file, kind, t.error_pos,
					       t.error_code, t.error, diags);
		goto done;
	}

	split = pg_query_split_with_parser(sql);
	parsed = true;
	if (split.error) {
		error = syntax_finding(
			file, kind,
			split.error->cursorpos > 0
				? (unsigned)split.error->cursorpos
				: 0,
			"sql-syntax",
			split.error->message ? split.error->message
					     : "syntax error",
			diags);
		goto done;
	}
	if (t.error) {
		/* The parser uses the same scanner; should not happen. */
		error = syntax_finding(file, kind, t.error_pos, t.error_code,
				       t.error, diags);
		goto done;
	}
	error = build_statements(sql, len, &split, &t, out, count, fn, ctx);
done:
	if (parsed)
		pg_query_free_split_result(split);
	tokens_dispose(&t);
	return error;
}

int varve_sqlfile__analyze(const varve_sqlfile *file, varve_section_kind kind,
			   char *checksum, varve_statement **out,
			   size_t *count, varve_diag_list *diags)
{
	return varve_sqlfile__analyze_each(file, kind, checksum, out, count, diags, NULL, NULL);
}

int varve_sqlfile_statements(const varve_sqlfile *file,
			     varve_section_kind kind, varve_statement **out,
			     size_t *count, varve_diag_list *diags)
{
	assert(out && count);
	return varve_sqlfile__analyze(file, kind, NULL, out, count, diags);
}
