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

struct varve_sqlfile {
	char *data; /* the whole file; each section is followed by a NUL */
	size_t len;
	size_t bom; /* 3 when the file starts with a UTF-8 byte order mark */
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
 * The 1-based line and column of byte `off` of the file. Columns count
 * characters (UTF-8 code points), as editors and libyaml do; a byte order
 * mark takes no column.
 */
static void file_position(const varve_sqlfile *file, size_t off,
			  unsigned *line, unsigned *column)
{
	const char *s = file->data, *p = s, *nl;
	unsigned l = 1, c;

	if (off > file->len)
		off = file->len;
	while ((nl = memchr(p, '\n', (size_t)(s + off - p))) != NULL) {
		l++;
		p = nl + 1;
	}
	c = column_at(file, (size_t)(p - s), off);
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
 * Section markers
 */

enum family { CANONICAL, UPDOWN, UNDO, DBMATE, GOOSE };

/* How each family spells its upgrade marker, for suggestions. */
static const char *const up_spelling[] = {
	[CANONICAL] = "-- upgrade --",
	[UPDOWN] = "-- UP",
	[UNDO] = "",
	[DBMATE] = "-- migrate:up",
	[GOOSE] = "-- +goose Up",
};

struct marker {
	varve_section_kind kind;
	enum family family;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@' ||
	       c == ':' || c == '+';
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return n == strlen(s) && strncasecmp(w, s, n) == 0;
}

/*
 * Whether the line [p, end) (without its newline) is a section marker, and
 * which. A marker is a whole line: "--", the keyword, for the plain forms an
 * optional closing "--", and white space anywhere around them. dbmate's
 * markers may carry options (`-- migrate:up transaction:false`); they are
 * ignored, the manifest's `transaction` decides.
 */
static bool parse_marker(const char *p, const char *end, struct marker *m)
{
	const char *w;
	size_t n;

	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (end - p < 3 || p[0] != '-' || p[1] != '-')
		return false;
	p += 2;
	while (p < end && is_blank(*p))
		p++;
	for (w = p; p < end && is_word(*p); p++)
		;
	n = (size_t)(p - w);

	if (word_is(w, n, "migrate:up") || word_is(w, n, "migrate:down")) {
		m->kind = n == 10 ? VARVE_SECTION_UP : VARVE_SECTION_DOWN;
		m->family = DBMATE;
		return p == end || is_blank(*p);
	}
	if (word_is(w, n, "+goose")) {
		if (p == end || !is_blank(*p))
			return false;
		while (p < end && is_blank(*p))
			p++;
		for (w = p; p < end && is_word(*p); p++)
			;
		n = (size_t)(p - w);
		if (p != end)
			return false;
		m->family = GOOSE;
		if (word_is(w, n, "up"))
			m->kind = VARVE_SECTION_UP;
		else if (word_is(w, n, "down"))
			m->kind = VARVE_SECTION_DOWN;
		else
			return false;
		return true;
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
		return false;
	}
	while (p < end && is_blank(*p))
		p++;
	if (end - p == 2 && p[0] == '-' && p[1] == '-')
		p += 2;
	return p == end;
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
			const char *nl = memchr(s + pos, '\n', end - pos);

			pos = nl ? (size_t)(nl - s) + 1 : end;
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
	int off = 0;

	while (p + off < end && is_blank(p[off]))
		off++;
	while (end > p + off && is_blank(end[-1]))
		end--;
	*len = (int)(end - p - off);
	if (*len > 80)
		*len = 80;
	return off;
}

/*
 * Find the sections of a `file` (SPEC §2). Problems with markers are
 * findings; the sections are still set as well as they can be: a repeated
 * marker is left as a comment inside the section it lies in, and text
 * before the first marker belongs to no section.
 */
static int split_sections(varve_sqlfile *file, varve_diag_list *diags)
{
	char *s = file->data;
	size_t pos = file->bom, len = file->len;
	struct section *cur = NULL;
	bool any = false;
	unsigned line = 1;
	int error = 0;

	while (pos < len) {
		char *nl = memchr(s + pos, '\n', len - pos);
		char *eol = nl ? nl : s + len;
		size_t next = nl ? (size_t)(nl - s) + 1 : len;
		struct marker m;
		struct section *sec;

		if (!parse_marker(s + pos, eol, &m))
			goto next_line;

		if (!any) {
			any = true;
			if (m.family == UNDO) {
				/* Everything before `-- @UNDO` is the upgrade. */
				cur = &file->sections[VARVE_SECTION_UP];
				cur->present = true;
				cur->offset = file->bom;
				cur->first_line = 1;
			} else {
				size_t sql = skip_comments(s, file->bom, pos);

				if (sql < pos) {
					unsigned l, c;
					int off, n;

					off = marker_text(s + pos, eol, &n);
					file_position(file, sql, &l, &c);
					if (m.kind == VARVE_SECTION_UP)
						error = varve_diag__error(
							diags, "sql-syntax",
							file->display, l, c,
							"SQL before the marker '%.*s' belongs to no section: move it below the marker",
							n, s + pos + off);
					else
						error = varve_diag__error(
							diags, "sql-syntax",
							file->display, l, c,
							"SQL before the marker '%.*s' belongs to no section: add '%s' above it",
							n, s + pos + off,
							up_spelling[m.family]);
					if (error)
						return error;
				}
			}
		}

		sec = &file->sections[m.kind];
		if (sec->present) {
			int off, n;

			off = marker_text(s + pos, eol, &n);
			error = varve_diag__error(
				diags, "sql-syntax", file->display, line,
				column_at(file, pos, pos + (size_t)off),
				"repeated marker '%.*s': the %s section began at line %u",
				n, s + pos + off, kind_name(m.kind),
				sec->marker_line ? sec->marker_line : 1);
			if (error)
				return error;
			goto next_line;
		}

		if (cur) {
			cur->len = pos - cur->offset;
			s[pos] = '\0';
		}
		cur = sec;
		cur->present = true;
		cur->offset = next;
		cur->first_line = nl ? line + 1 : line;
		cur->marker_line = line;

	next_line:
		pos = next;
		line++;
	}

	if (!any) {
		cur = &file->sections[VARVE_SECTION_UP];
		cur->present = true;
		cur->offset = file->bom;
		cur->first_line = 1;
	}
	if (cur)
		cur->len = len - cur->offset;
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
	free(file->data);
	free(file);
}

const char *varve_sqlfile__display(const varve_sqlfile *file)
{
	return file->display;
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

struct token {
	int32_t start, end; /* bytes of the text */
	int32_t kind;       /* PgQuery__Token */
};

struct tokens {
	struct token *v;
	size_t n;
	struct token small[128];
	char *error;           /* the scanner's message, malloc'd */
	unsigned error_pos;    /* its cursorpos: 1-based characters, 0 unknown */
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
		struct token *tok;

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

static bool is_comment(const struct token *tok)
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
	size_t i;
	int error = 0;

	t->v = t->small;
	t->n = 0;
	t->error = NULL;
	t->error_pos = 0;

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

static bool tok_is(const struct token *tok, const char *sql, const char *s)
{
	size_t n = (size_t)(tok->end - tok->start);

	return n == strlen(s) && strncasecmp(sql + tok->start, s, n) == 0;
}

/* Whether a boolean option value token says false. */
static bool is_false(const struct token *tok, const char *sql)
{
	return tok->kind == PG_QUERY__TOKEN__FALSE_P ||
	       tok->kind == PG_QUERY__TOKEN__OFF ||
	       tok_is(tok, sql, "0") || tok_is(tok, sql, "'false'") ||
	       tok_is(tok, sql, "'off'") || tok_is(tok, sql, "'0'");
}

/* Whether the option `name` is set to false: `name = false` or `name false`. */
static bool option_false(const struct token *v, size_t n, const char *sql,
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

static bool has_kind(const struct token *v, size_t n, int32_t kind)
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
static bool reindex_needs_no_transaction(const struct token *v, size_t n,
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
static bool cluster_all(const struct token *v, size_t n)
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
static void classify(varve_statement *st, const struct token *v, size_t n,
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
			  unsigned cursorpos, const char *message,
			  varve_diag_list *diags)
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
	error = varve_diag__error(diags, "sql-syntax", file->display, line,
				  column, "%.*s%s", (int)n, message, more);
	if (error)
		return error;
	return varve_error__set(VARVE_EINVALID, "%s:%u:%u: %.*s%s",
				file->display, line, column, (int)n, message,
				more);
}

/*
 * Statements of the section from the parser's boundaries, each trimmed to
 * its tokens and classified.
 */
static int build_statements(const char *sql, size_t len,
			    const PgQuerySplitResult *split,
			    const struct tokens *t, varve_statement **out,
			    size_t *count)
{
	varve_statement *v = NULL;
	struct token small[64], *code = small;
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

int varve_sqlfile__analyze(const varve_sqlfile *file, varve_section_kind kind,
			   char *checksum, varve_statement **out,
			   size_t *count, varve_diag_list *diags)
{
	const struct section *sec = &file->sections[kind];
	const char *sql = sec->present ? file->data + sec->offset : "";
	size_t len = sec->present ? sec->len : 0;
	PgQuerySplitResult split = { 0 };
	bool parsed = false;
	struct tokens t;
	const char *nul;
	int error;

	assert(kind == VARVE_SECTION_UP || kind == VARVE_SECTION_DOWN);
	if (checksum)
		checksum[0] = '\0';
	if (out) {
		assert(count);
		*out = NULL;
		*count = 0;
	}

	if ((error = scan_tokens(&t, sql, len)) != 0)
		goto done;

	/* libpg_query would stop at a NUL and silently ignore the rest. */
	if ((nul = memchr(sql, '\0', len)) != NULL) {
		unsigned line, column;

		file_position(file, sec->offset + (size_t)(nul - sql), &line,
			      &column);
		if (!(error = varve_diag__error(diags, "sql-syntax",
						file->display, line, column,
						"unexpected NUL byte (is this a binary file?)")))
			error = varve_error__set(VARVE_EINVALID,
						 "'%s' holds a NUL byte",
						 file->display);
		goto done;
	}

	if (checksum && !t.error &&
	    (error = checksum_tokens(checksum, sql, &t)) != 0)
		goto done;

	if (!out) {
		if (t.error)
			error = syntax_finding(file, kind, t.error_pos, t.error,
					       diags);
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
			split.error->message ? split.error->message
					     : "syntax error",
			diags);
		goto done;
	}
	if (t.error) {
		/* The parser uses the same scanner; should not happen. */
		error = syntax_finding(file, kind, t.error_pos, t.error, diags);
		goto done;
	}
	error = build_statements(sql, len, &split, &t, out, count);
done:
	if (parsed)
		pg_query_free_split_result(split);
	tokens_dispose(&t);
	return error;
}

int varve_sqlfile_statements(const varve_sqlfile *file,
			     varve_section_kind kind, varve_statement **out,
			     size_t *count, varve_diag_list *diags)
{
	assert(out && count);
	return varve_sqlfile__analyze(file, kind, NULL, out, count, diags);
}
