/*
 * The manifest loader (SPEC §2). libyaml's event API drives a descent over
 * the fixed shape of the format, so no document tree is built and the cost
 * per entry stays small. The descent only recurses as deep as the schema
 * (manifest, migrations, entry, down_revision list); anything unknown or
 * misplaced is skipped by counting depth, never by recursion, and nesting
 * beyond MAX_DEPTH stops the load. Aliases are reported, never expanded.
 *
 * Plain scalars are typed as in YAML 1.2's core schema, so `revision: 0001`
 * is an integer and an error, as a JSON Schema validator would say.
 */
#include "manifest.h"
#include "buf.h"
#include "diag.h"
#include "error.h"
#include "lint.h"
#include "path.h"
#include "strmap.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define MAX_FILE ((size_t)256 * 1024 * 1024)
#define MAX_SCALAR ((size_t)64 * 1024)
/* libyaml holds a token whole before its event: refuse to feed a longer one. */
#define MAX_TOKEN ((size_t)16 * 1024 * 1024)
#define MAX_DEPTH 32
#define MAX_FINDINGS 1000
#define MAX_REVISION 128
#define MAX_IDENT 63
#define SHOWN 64 /* bytes of a user's string quoted in a message */

/* A parse function's result besides 0 and negative errors: stop reading. */
#define STOP 1

#define SCHEMA "manifest-schema"
#define SYNTAX "yaml-syntax"
#define OUTSIDE "file-outside-project"

typedef enum {
	K_NULL,
	K_BOOL,
	K_INT,
	K_FLOAT,
	K_STR,
	K_TAG, /* a scalar with a tag we do not know */
	K_SEQ,
	K_MAP,
	K_ALIAS,
	K_OTHER,
} kind;

struct loader {
	yaml_parser_t parser;
	bool parser_ready;
	yaml_event_t ev; /* the current event */
	bool has_ev;
	varve_manifest *m;
	varve_diag_list *diags;
	const char *path;
	int fd; /* the manifest, read by libyaml through read_input */
	/* ... or a buffer (a git blob): then no file is opened, and paths are
	 * not checked on disk, since they name files of that commit's tree. */
	const unsigned char *data;
	size_t data_len;
	size_t data_off;
	uint64_t read_total;
	bool too_large;
	int read_errno; /* a failed read(), or 0 */
	yaml_mark_t last_mark; /* the end of the last event */
	/* The end of the last event that covers text, and the one before:
	 * block ends and empty scalars cover none, so these mark where an
	 * entry's last key or value ends (for the rewriter). */
	yaml_mark_t content_end;
	yaml_mark_t prev_content_end;
	bool token_too_long;
	unsigned depth;
	size_t findings;
	int status;  /* 0, STOP or a negative error: once set, parsing ends */
	bool syntax; /* the YAML did not parse */
	bool dir_ok; /* `directory` is safe, so file paths can be checked */

	/* The parents of the entry being read, copied to the arena at the end. */
	const char **parents;
	varve_pos *parent_pos;
	size_t parent_count;
	size_t parent_cap;
};

struct keyset {
	const char *where; /* "in migration entry" */
	const char *const *names;
	size_t count;
	const char *allowed;
};

/* ---------------------------------------------------------------------------
 * Findings and positions
 */

static varve_pos at(yaml_mark_t mark)
{
	varve_pos pos = { (unsigned)mark.line + 1, (unsigned)mark.column + 1 };

	return pos;
}

static varve_pos here(const struct loader *l)
{
	return at(l->ev.start_mark);
}

/*
 * libyaml's reader errors carry a byte offset, not a mark: count lines and
 * characters (UTF-8 lead bytes) up to it as libyaml's marks would, a
 * byte-order mark left out. A file is read again: this is only the error
 * path, so the input need not be kept in memory.
 */
struct counter {
	varve_pos pos;
	size_t done;
	bool cr, bom;
};

static void count_bytes(struct counter *c, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++, c->done++) {
		unsigned char ch = p[i];

		if (c->done == 0)
			c->bom = ch == 0xEF;
		if (ch == '\n' && c->cr) {
			c->cr = false;
		} else if (ch == '\n' || ch == '\r') {
			c->pos.line++;
			c->pos.column = 1;
			c->cr = ch == '\r';
		} else {
			c->cr = false;
			c->pos.column += (ch & 0xC0) != 0x80;
		}
	}
}

static varve_pos offset_pos(const struct loader *l, size_t offset)
{
	struct counter c = { { 1, 1 }, 0, false, false };
	unsigned char buf[4096];
	int fd;

	if (l->data) {
		count_bytes(&c, l->data, offset < l->data_len ? offset : l->data_len);
	} else if ((fd = open(l->path, O_RDONLY | O_CLOEXEC)) >= 0) {
		while (c.done < offset) {
			size_t want = offset - c.done < sizeof(buf) ? offset - c.done
								    : sizeof(buf);
			ssize_t n = read(fd, buf, want);

			if (n <= 0)
				break;
			count_bytes(&c, buf, (size_t)n);
		}
		close(fd);
	}
	if (c.bom && c.pos.line == 1 && c.pos.column > 1 && offset >= 3)
		c.pos.column--;
	return c.pos;
}

/*
 * Add a finding at `pos`. Failures land in l->status, which every parse
 * step checks, so callers need not. After MAX_FINDINGS the load stops: a
 * hostile manifest must not cost memory in diagnostics.
 */
static void VARVE_PRINTF(4, 5) report(struct loader *l, const char *code,
				      varve_pos pos, const char *fmt, ...)
{
	char small[256], *msg = small;
	va_list ap;
	int n;

	if (l->status)
		return;
	if (l->findings++ == MAX_FINDINGS) {
		if (varve_diag__error(l->diags, SCHEMA, l->path, pos.line,
				      pos.column, "too many findings in the manifest; stopped after %d",
				      MAX_FINDINGS))
			l->status = VARVE_ENOMEM;
		else
			l->status = STOP;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(small)) {
		if (!(msg = malloc((size_t)n + 1))) {
			l->status = varve_error__oom();
			return;
		}
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (varve_diag__error(l->diags, code, l->path, pos.line, pos.column,
			      "%s", msg))
		l->status = VARVE_ENOMEM;
	if (msg != small)
		free(msg);
}

/* How many bytes of a user's string to quote, and the ellipsis after. */
static int shown(size_t len)
{
	return len > SHOWN ? SHOWN : (int)len;
}

static const char *more(size_t len)
{
	return len > SHOWN ? "..." : "";
}

/*
 * A git conflict marker: "<<<<<<<" at the start of a line, then a space or
 * the line's end. scan_marker() feeds bytes through a small state; the
 * input is read again from the start, as offset_pos does: only the error
 * path pays for it.
 */
struct marker_scan {
	unsigned line;
	int match; /* '<' seen since the line's start, or -1 */
	bool found;
};

static void scan_marker(struct marker_scan *s, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && !s->found; i++) {
		unsigned char ch = p[i];

		if (s->match >= 0 && s->match < 7 && ch == '<') {
			s->match++;
			continue;
		}
		if (s->match == 7 && (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')) {
			s->found = true;
			break;
		}
		s->match = -1;
		if (ch == '\n') {
			s->line++;
			s->match = 0;
		}
	}
}

/* The line of the manifest's first conflict marker, or 0. */
static unsigned conflict_line(const struct loader *l)
{
	struct marker_scan s = { 1, 0, false };
	unsigned char buf[4096];
	ssize_t n;
	int fd;

	if (l->data) {
		scan_marker(&s, l->data, l->data_len);
	} else if ((fd = open(l->path, O_RDONLY | O_CLOEXEC)) >= 0) {
		while (!s.found && (n = read(fd, buf, sizeof(buf))) > 0)
			scan_marker(&s, buf, (size_t)n);
		close(fd);
	}
	return s.found || s.match == 7 ? s.line : 0;
}

static void syntax_error(struct loader *l)
{
	const yaml_parser_t *p = &l->parser;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	varve_pos conflict = { 0, 1 };

	if (p->error == YAML_MEMORY_ERROR) {
		l->status = varve_error__oom();
		return;
	}
	if (l->read_errno || l->too_large || l->token_too_long) {
		l->status = STOP; /* not the YAML's fault: see finish() */
		return;
	}
	if ((conflict.line = conflict_line(l)) != 0) {
		/* libyaml's complaint about the markers would hide the cause. */
		report(l, SYNTAX, conflict, "unresolved merge conflict ('<<<<<<<' "
		       "marker): resolve it and remove the markers");
	} else if (p->error == YAML_READER_ERROR) {
		varve_pos pos = offset_pos(l, p->problem_offset);

		if (p->problem_value >= 0)
			report(l, SYNTAX, pos, "%s (0x%x)", problem,
			       (unsigned)p->problem_value);
		else
			report(l, SYNTAX, pos, "%s", problem);
	} else if (p->context) {
		varve_pos ctx = at(p->context_mark);

		report(l, SYNTAX, at(p->problem_mark), "%s (%s at %u:%u)",
		       problem, p->context, ctx.line, ctx.column);
	} else {
		report(l, SYNTAX, at(p->problem_mark), "%s", problem);
	}
	l->syntax = true;
	if (!l->status)
		l->status = STOP;
}

/* ---------------------------------------------------------------------------
 * Events
 */

/* Anchors, aliases and depth are checked here, once for every event. */
static int check_event(struct loader *l)
{
	const yaml_event_t *ev = &l->ev;
	const yaml_char_t *anchor = NULL;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		report(l, SCHEMA, here(l), "aliases are not allowed ('*%.*s')",
		       SHOWN, (const char *)ev->data.alias.anchor);
		break;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		l->depth++;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		l->depth++;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		l->depth--;
		break;
	default:
		break;
	}
	if (anchor)
		report(l, SCHEMA, here(l), "anchors are not allowed ('&%.*s')",
		       SHOWN, (const char *)anchor);
	if (l->depth > MAX_DEPTH) {
		report(l, SCHEMA, here(l), "nesting deeper than %d levels",
		       MAX_DEPTH);
		if (!l->status)
			l->status = STOP;
	}
	return l->status;
}

/* Move to the next event. Returns nonzero when the load must end. */
static int next(struct loader *l)
{
	if (l->status)
		return l->status;
	if (l->has_ev) {
		yaml_event_delete(&l->ev);
		l->has_ev = false;
	}
	if (!yaml_parser_parse(&l->parser, &l->ev)) {
		syntax_error(l);
		return l->status;
	}
	l->has_ev = true;
	l->last_mark = l->ev.end_mark;
	if (l->ev.start_mark.index != l->ev.end_mark.index) {
		l->prev_content_end = l->content_end;
		l->content_end = l->ev.end_mark;
	}
	return check_event(l);
}

/*
 * Skip the node that starts at the current event, leaving the current event
 * on its last one. Iterative: the depth counter is the only stack.
 */
static int skip(struct loader *l)
{
	unsigned depth = l->depth;
	int rc;

	if (l->ev.type != YAML_SEQUENCE_START_EVENT &&
	    l->ev.type != YAML_MAPPING_START_EVENT)
		return 0;
	do {
		if ((rc = next(l)) != 0)
			return rc;
	} while (l->depth >= depth);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Scalar types (YAML 1.2 core schema)
 */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_in(const char *s, size_t n, const char *set)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return false;
	return true;
}

static bool is_word(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && memcmp(s, *words, n) == 0)
			return true;
	return false;
}

static bool is_int(const char *s, size_t n)
{
	if (n > 2 && s[0] == '0' && s[1] == 'o')
		return all_in(s + 2, n - 2, "01234567");
	if (n > 2 && s[0] == '0' && s[1] == 'x')
		return all_in(s + 2, n - 2, "0123456789abcdefABCDEF");
	if (n && (s[0] == '-' || s[0] == '+'))
		s++, n--;
	return all_in(s, n, "0123456789");
}

static bool is_float(const char *s, size_t n)
{
	static const char *const inf[] = { ".inf", ".Inf", ".INF", NULL };
	static const char *const nan[] = { ".nan", ".NaN", ".NAN", NULL };
	size_t i = 0, digits = 0;

	if (is_word(s, n, nan))
		return true;
	if (n && (s[0] == '-' || s[0] == '+'))
		i++;
	if (is_word(s + i, n - i, inf))
		return true;
	for (; i < n && is_digit(s[i]); i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && is_digit(s[i]); i++)
			digits++;
	if (!digits)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == n)
			return false;
		while (i < n && is_digit(s[i]))
			i++;
	}
	return i == n;
}

static kind plain_kind(const char *s, size_t n)
{
	static const char *const nulls[] = { "null", "Null", "NULL", "~", NULL };
	static const char *const bools[] = { "true", "True", "TRUE", "false",
					     "False", "FALSE", NULL };

	if (!n || is_word(s, n, nulls))
		return K_NULL;
	if (is_word(s, n, bools))
		return K_BOOL;
	if (is_int(s, n))
		return K_INT;
	if (is_float(s, n))
		return K_FLOAT;
	return K_STR;
}

static kind tag_kind(const char *tag)
{
	static const char prefix[] = "tag:yaml.org,2002:";

	if (strcmp(tag, "!") == 0)
		return K_STR;
	if (strncmp(tag, prefix, sizeof(prefix) - 1) != 0)
		return K_TAG;
	tag += sizeof(prefix) - 1;
	if (strcmp(tag, "str") == 0)
		return K_STR;
	if (strcmp(tag, "int") == 0)
		return K_INT;
	if (strcmp(tag, "bool") == 0)
		return K_BOOL;
	if (strcmp(tag, "null") == 0)
		return K_NULL;
	if (strcmp(tag, "float") == 0)
		return K_FLOAT;
	return K_TAG;
}

static kind event_kind(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
		return K_SEQ;
	case YAML_MAPPING_START_EVENT:
		return K_MAP;
	case YAML_ALIAS_EVENT:
		return K_ALIAS;
	case YAML_SCALAR_EVENT:
		break;
	default:
		return K_OTHER;
	}
	if (ev->data.scalar.tag)
		return tag_kind((const char *)ev->data.scalar.tag);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return K_STR;
	return plain_kind((const char *)ev->data.scalar.value,
			  ev->data.scalar.length);
}

static const char *kind_name(kind k)
{
	static const char *const names[] = {
		"null", "a boolean", "an integer", "a number", "a string",
		"a tagged value", "a sequence", "a mapping", "an alias",
		"an event",
	};

	return names[k];
}

/* ---------------------------------------------------------------------------
 * Values. Each reader starts on the value's first event and leaves the
 * current event on its last one.
 */

/*
 * Report a value of the wrong type and skip it. A plain scalar where a
 * string is wanted gets the fix in the message: quote it.
 */
static int wrong_type(struct loader *l, const char *what, const char *want)
{
	const yaml_event_t *ev = &l->ev;
	kind k = event_kind(ev);

	if (k == K_ALIAS)
		return 0; /* reported as an alias */
	if (k == K_TAG) {
		report(l, SCHEMA, here(l), "%s must be %s; tag '%.*s' is not supported",
		       what, want, SHOWN, (const char *)ev->data.scalar.tag);
	} else if ((k == K_INT || k == K_FLOAT || k == K_BOOL) &&
		   strcmp(want, "a string") == 0 && ev->data.scalar.length <= SHOWN) {
		report(l, SCHEMA, here(l), "%s must be a string, not %s; quote it: \"%s\"",
		       what, kind_name(k), (const char *)ev->data.scalar.value);
	} else {
		report(l, SCHEMA, here(l), "%s must be %s, not %s", what, want,
		       kind_name(k));
	}
	return skip(l);
}

/*
 * Read a string into the arena. *out stays NULL when the value is not a
 * usable string (which is reported); *pos is the value's position anyway.
 */
static int read_string(struct loader *l, const char *what, const char **out,
		       varve_pos *pos)
{
	const char *s = (const char *)l->ev.data.scalar.value;
	size_t n = l->ev.data.scalar.length;

	*out = NULL;
	*pos = here(l);
	if (event_kind(&l->ev) != K_STR)
		return wrong_type(l, what, "a string");
	if (n > MAX_SCALAR) {
		report(l, SCHEMA, *pos, "%s is too long (%zu bytes; at most %zu)",
		       what, n, MAX_SCALAR);
		return 0;
	}
	if (memchr(s, '\0', n)) {
		report(l, SCHEMA, *pos, "%s must not contain a NUL character", what);
		return 0;
	}
	if (!(*out = varve_manifest__strndup(l->m, s, n)))
		l->status = varve_error__oom();
	return l->status;
}

/* A string that must match `valid`; *out is NULL when it does not. */
static int read_checked(struct loader *l, const char *what, const char **out,
			varve_pos *pos, bool (*valid)(const char *),
			const char *expected)
{
	int rc = read_string(l, what, out, pos);

	if (rc || !*out || valid(*out))
		return rc;
	report(l, SCHEMA, *pos, "invalid %s '%.*s'%s (expected %s)", what,
	       shown(strlen(*out)), *out, more(strlen(*out)), expected);
	*out = NULL;
	return 0;
}

static int read_int(struct loader *l, const char *what, long *out, bool *ok)
{
	const char *s = (const char *)l->ev.data.scalar.value;
	char *end;
	int base = 10;

	*ok = false;
	if (event_kind(&l->ev) != K_INT)
		return wrong_type(l, what, "an integer");
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		base = s[1] == 'o' ? 8 : 16;
		s += 2;
	}
	errno = 0;
	*out = strtol(s, &end, base);
	if (errno || end == s || *end) {
		report(l, SCHEMA, here(l), "%s is not a valid integer", what);
		return 0;
	}
	*ok = true;
	return 0;
}

static int read_bool(struct loader *l, const char *what, bool *out,
		     varve_pos *pos)
{
	static const char *const yes[] = { "true", "True", "TRUE", NULL };
	static const char *const no[] = { "false", "False", "FALSE", NULL };
	const char *s = (const char *)l->ev.data.scalar.value;
	size_t n = l->ev.data.scalar.length;

	*pos = here(l);
	if (event_kind(&l->ev) != K_BOOL)
		return wrong_type(l, what, "a boolean (true or false)");
	if (is_word(s, n, yes))
		*out = true;
	else if (is_word(s, n, no))
		*out = false;
	else
		report(l, SCHEMA, *pos, "%s must be true or false", what);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Mappings
 */

static int key_index(struct loader *l, const struct keyset *ks)
{
	const char *s = (const char *)l->ev.data.scalar.value;
	size_t n = l->ev.data.scalar.length;

	if (l->ev.type == YAML_ALIAS_EVENT)
		return -1;
	if (l->ev.type != YAML_SCALAR_EVENT) {
		report(l, SCHEMA, here(l), "keys %s must be strings, not %s",
		       ks->where, kind_name(event_kind(&l->ev)));
		return -1;
	}
	for (size_t i = 0; i < ks->count; i++)
		if (strlen(ks->names[i]) == n && memcmp(ks->names[i], s, n) == 0)
			return (int)i;
	report(l, SCHEMA, here(l), "unknown key '%.*s'%s %s (allowed: %s)",
	       shown(n), s, more(n), ks->where, ks->allowed);
	return -1;
}

/*
 * Advance to the next key of the mapping being read. Sets *idx to the
 * key's index in `ks`, with the current event on its value, or to -1 at the
 * end of the mapping. Unknown, duplicate and non-string keys are reported
 * and skipped with their values. seen[i] keeps the line of key i.
 */
static int next_key(struct loader *l, const struct keyset *ks,
		    unsigned *seen, int *idx)
{
	int rc, i;

	for (;;) {
		if ((rc = next(l)) != 0)
			return rc;
		if (l->ev.type == YAML_MAPPING_END_EVENT) {
			*idx = -1;
			return 0;
		}
		if ((i = key_index(l, ks)) >= 0 && seen[i]) {
			report(l, SCHEMA, here(l), "duplicate key '%s' (first at line %u)",
			       ks->names[i], seen[i]);
			i = -1;
		} else if (i >= 0) {
			seen[i] = here(l).line;
		}
		if ((rc = skip(l)) != 0 || (rc = next(l)) != 0)
			return rc;
		if (i >= 0) {
			*idx = i;
			return 0;
		}
		if ((rc = skip(l)) != 0)
			return rc;
	}
}

/* ---------------------------------------------------------------------------
 * Patterns
 */

bool varve_manifest__is_revision(const char *s)
{
	size_t n = strlen(s);

	return n <= MAX_REVISION && all_in(s, n,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
}

static bool is_label(const char *s)
{
	return all_in(s, strlen(s),
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
}

static bool is_checksum(const char *s)
{
	return strncmp(s, "sha256:", 7) == 0 && strlen(s + 7) == 64 &&
	       all_in(s + 7, 64, "0123456789abcdef");
}

static bool is_ident(const char *s, size_t n)
{
	return n >= 1 && n <= MAX_IDENT && !is_digit(s[0]) && s[0] != '$' &&
	       all_in(s, n, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$");
}

static bool is_table(const char *s)
{
	const char *dot = strchr(s, '.');

	if (!dot)
		return is_ident(s, strlen(s));
	return is_ident(s, (size_t)(dot - s)) && is_ident(dot + 1, strlen(dot + 1));
}

static bool is_duration(const char *s)
{
	static const char *const units[] = { "", "ms", "s", "min", "h", "d", NULL };
	size_t n = strspn(s, "0123456789");

	return n > 0 && is_word(s + n, strlen(s + n), units);
}

#define REVISION_EXPECTED "letters, digits and '_', at most 128 characters"

/* ---------------------------------------------------------------------------
 * database
 */

int varve_manifest__expand(varve_buf *out, const char *s, varve_buf *unset)
{
	varve_buf name = VARVE_BUF_INIT;
	const char *p = s, *ref;
	int error = 0;

	while ((ref = strstr(p, "${")) != NULL) {
		const char *end = strchr(ref + 2, '}');
		const char *n = ref + 2, *value;
		size_t len = strspn(n, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

		varve_buf_put(out, p, (size_t)(ref - p));
		if (!end || !len || is_digit(*n) ||
		    (n + len != end && strncmp(n + len, ":-", 2) != 0)) {
			error = VARVE_EINVALID;
			goto done;
		}
		varve_buf_clear(&name);
		varve_buf_put(&name, n, len);
		value = name.oom ? NULL : getenv(varve_buf_cstr(&name));
		if (value && *value)
			varve_buf_puts(out, value);
		else if (n + len != end)
			varve_buf_put(out, n + len + 2, (size_t)(end - n - len - 2));
		else if (unset && !unset->len)
			varve_buf_puts(unset, varve_buf_cstr(&name));
		p = end + 1;
	}
	varve_buf_puts(out, p);
	if (out->oom || name.oom || (unset && unset->oom))
		error = varve_error__oom();
done:
	varve_buf_dispose(&name);
	return error;
}

/*
 * Expand ${VAR} and ${VAR:-default} (the default also replaces an empty
 * value, as in the shell). Returns 0 with *out NULL after reporting a
 * malformed reference.
 */
static int expand(struct loader *l, const char *s, varve_pos pos,
		  const char **out)
{
	varve_buf b = VARVE_BUF_INIT, unset = VARVE_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = varve_manifest__expand(&b, s, &unset)) == VARVE_EINVALID) {
		report(l, SCHEMA, pos, "invalid variable reference in 'database.url' "
		       "(expected ${NAME} or ${NAME:-default})");
	} else if (error) {
		l->status = error;
	} else {
		if (unset.len && !l->m->database_url_unset &&
		    !(l->m->database_url_unset = varve_manifest__strdup(l->m, unset.ptr)))
			l->status = varve_error__oom();
		if (!l->status && !(*out = varve_manifest__strdup(l->m, varve_buf_cstr(&b))))
			l->status = varve_error__oom();
	}
	varve_buf_dispose(&b);
	varve_buf_dispose(&unset);
	return l->status;
}

static const char *const database_names[] = {
	"url", "lock_timeout", "statement_timeout", "lock_retries", "server_version",
};

static const struct keyset database_keys = {
	"in 'database'", database_names, VARVE_ARRAY_SIZE(database_names),
	"url, lock_timeout, statement_timeout, lock_retries, server_version",
};

#define DURATION_EXPECTED "digits and an optional unit ms, s, min, h or d, e.g. \"5s\""

static int database_value(struct loader *l, int idx)
{
	varve_manifest *m = l->m;
	const char *s;
	varve_pos pos;
	long n;
	bool ok;
	int rc;

	switch (idx) {
	case 0:
		if ((rc = read_string(l, "'database.url'", &s, &pos)) || !s)
			return rc;
		m->database_url_pos = pos;
		return expand(l, s, pos, &m->database_url);
	case 1:
		return read_checked(l, "'database.lock_timeout'", &m->lock_timeout,
				    &pos, is_duration, DURATION_EXPECTED);
	case 2:
		return read_checked(l, "'database.statement_timeout'",
				    &m->statement_timeout, &pos, is_duration,
				    DURATION_EXPECTED);
	case 4:
		if ((rc = read_int(l, "'database.server_version'", &n, &ok)) || !ok)
			return rc;
		if (n < 10 || n > 99)
			report(l, SCHEMA, here(l),
			       "'database.server_version' must be a PostgreSQL major version "
			       "from 10 to 99, not %ld", n);
		else
			m->server_version = (int)n;
		return 0;
	default:
		if ((rc = read_int(l, "'database.lock_retries'", &n, &ok)) || !ok)
			return rc;
		if (n < 0 || n > 100)
			report(l, SCHEMA, here(l),
			       "'database.lock_retries' must be between 0 and 100, not %ld", n);
		else
			m->lock_retries = (int)n;
		return 0;
	}
}

static int load_database(struct loader *l)
{
	unsigned seen[VARVE_ARRAY_SIZE(database_names)] = { 0 };
	int rc, idx;

	if (l->ev.type != YAML_MAPPING_START_EVENT)
		return wrong_type(l, "'database'", "a mapping");
	while ((rc = next_key(l, &database_keys, seen, &idx)) == 0 && idx >= 0)
		if ((rc = database_value(l, idx)) != 0)
			return rc;
	return rc;
}

/* ---------------------------------------------------------------------------
 * lint: {error: [...], warning: [...], off: [...], small_table_rows: N}
 */

static const char *const lint_names[] = {
	"error", "warning", "off", "small_table_rows",
};

static const struct keyset lint_keys = {
	"in 'lint'", lint_names, VARVE_ARRAY_SIZE(lint_names),
	"error, warning, off, small_table_rows",
};

/*
 * A sequence of lint rule codes: each known one calls back with its rule.
 * An unknown code is a manifest-schema finding at its position.
 */
static int read_rules(struct loader *l, const char *what,
		      void (*each)(struct loader *, int, void *), void *ctx)
{
	int rc;

	if (l->ev.type != YAML_SEQUENCE_START_EVENT)
		return wrong_type(l, what, "a sequence of lint rule codes");
	while ((rc = next(l)) == 0 && l->ev.type != YAML_SEQUENCE_END_EVENT) {
		const char *code;
		varve_pos pos;
		int rule;

		if ((rc = read_string(l, "a lint rule code", &code, &pos)) != 0)
			return rc;
		if (!code)
			continue;
		if ((rule = varve_lint__rule(code, strlen(code))) < 0)
			report(l, SCHEMA, pos, "unknown lint rule '%.*s'%s in %s (the rules: "
			       "docs/check.md, Safety lint)", shown(strlen(code)), code,
			       more(strlen(code)), what);
		else
			each(l, rule, ctx);
	}
	return rc ? rc : l->status;
}

static void set_level(struct loader *l, int rule, void *ctx)
{
	l->m->lint_level[rule] = (unsigned char)*(int *)ctx;
}

static void set_off(struct loader *l, int rule, void *ctx)
{
	(void)l;
	((varve_migration *)ctx)->lint_off |= UINT32_C(1) << rule;
}

static int load_lint(struct loader *l)
{
	static const char *const whats[] = { "'lint.error'", "'lint.warning'", "'lint.off'" };
	unsigned seen[VARVE_ARRAY_SIZE(lint_names)] = { 0 };
	int rc, idx;

	if (l->ev.type != YAML_MAPPING_START_EVENT)
		return wrong_type(l, "'lint'", "a mapping");
	while ((rc = next_key(l, &lint_keys, seen, &idx)) == 0 && idx >= 0) {
		if (idx < 3) {
			int level = idx == 0 ? VARVE_LINT_ERROR
				  : idx == 1 ? VARVE_LINT_WARNING : VARVE_LINT_OFF;

			if ((rc = read_rules(l, whats[idx], set_level, &level)) != 0)
				return rc;
		} else {
			long n;
			bool ok;

			if ((rc = read_int(l, "'lint.small_table_rows'", &n, &ok)) != 0)
				return rc;
			if (ok && n < 0)
				report(l, SCHEMA, here(l),
				       "'lint.small_table_rows' must be 0 or more, not %ld", n);
			else if (ok)
				l->m->lint_small_table_rows = n;
		}
	}
	return rc;
}

/* ---------------------------------------------------------------------------
 * Migration entries
 */

enum {
	E_REVISION,
	E_DOWN_REVISION,
	E_DESCRIPTION,
	E_FILE,
	E_UP,
	E_DOWN,
	E_TRANSACTION,
	E_BRANCH,
	E_CHECKSUM,
	E_LINT_OFF,
	E_COUNT,
};

static const char *const entry_names[E_COUNT] = {
	"revision", "down_revision", "description", "file", "up", "down",
	"transaction", "branch", "checksum", "lint_off",
};

static const struct keyset entry_keys = {
	"in migration entry", entry_names, E_COUNT,
	"revision, down_revision, description, file, up, down, transaction, "
	"branch, checksum, lint_off",
};

struct entry {
	varve_migration mig; /* the parents are in the loader's scratch */
	unsigned seen[E_COUNT];
	bool merge; /* down_revision is a list */
};

static int push_parent(struct loader *l, const char *rev, varve_pos pos)
{
	if (l->parent_count == l->parent_cap) {
		size_t cap = l->parent_cap ? l->parent_cap * 2 : 8;
		const char **p = realloc(l->parents, cap * sizeof(*p));
		varve_pos *q;

		if (p)
			l->parents = p;
		if (!p || !(q = realloc(l->parent_pos, cap * sizeof(*q))))
			return l->status = varve_error__oom();
		l->parent_pos = q;
		l->parent_cap = cap;
	}
	l->parents[l->parent_count] = rev;
	l->parent_pos[l->parent_count++] = pos;
	return 0;
}

/* The items of a merge's down_revision list: distinct revisions. */
static int load_parent_list(struct loader *l, struct entry *e)
{
	varve_strmap seen = VARVE_STRMAP_INIT;
	size_t items = 0;
	int rc;

	e->merge = true;
	while ((rc = next(l)) == 0 && l->ev.type != YAML_SEQUENCE_END_EVENT) {
		const char *rev;
		varve_pos pos;

		items++;
		if ((rc = read_checked(l, "revision in 'down_revision'", &rev, &pos,
				       varve_manifest__is_revision, REVISION_EXPECTED)) != 0)
			break;
		if (!rev) {
			e->mig.links_invalid = true;
			continue;
		}
		if ((rc = varve_strmap_put(&seen, rev, 0, NULL)) < 0) {
			l->status = rc;
			break;
		}
		if (rc == 1)
			report(l, SCHEMA, pos, "revision '%s' is listed twice in 'down_revision'",
			       rev);
		else if ((rc = push_parent(l, rev, pos)) != 0)
			break;
		rc = 0;
	}
	varve_strmap_dispose(&seen);
	if (!rc && items < 2)
		report(l, SCHEMA, e->mig.down_revision_pos,
		       "'down_revision' lists %zu revision%s; a merge needs 2 or more "
		       "(write a single parent as a string)", items, items == 1 ? "" : "s");
	return rc ? rc : l->status;
}

static int load_down_revision(struct loader *l, struct entry *e)
{
	const char *rev;
	varve_pos pos;
	int rc;

	e->mig.down_revision_pos = here(l);
	switch (event_kind(&l->ev)) {
	case K_NULL:
		return 0;
	case K_SEQ:
		return load_parent_list(l, e);
	case K_STR:
		if ((rc = read_checked(l, "'down_revision'", &rev, &pos,
				       varve_manifest__is_revision,
				       REVISION_EXPECTED)) != 0 || !rev) {
			e->mig.links_invalid = true;
			return rc;
		}
		return push_parent(l, rev, pos);
	default:
		e->mig.links_invalid = true;
		return wrong_type(l, "'down_revision'",
				  "null, a revision string or a list of revisions");
	}
}

/* A path under the directory: a string, not empty (escapes are checked
 * once the directory is known). */
static int read_path(struct loader *l, const char *what, const char **out,
		     varve_pos *pos)
{
	int rc = read_string(l, what, out, pos);

	if (!rc && *out && !**out) {
		report(l, SCHEMA, *pos, "%s must not be empty", what);
		*out = NULL;
	}
	return rc;
}

static int entry_value(struct loader *l, struct entry *e, int idx)
{
	varve_migration *m = &e->mig;

	switch (idx) {
	case E_REVISION:
		return read_checked(l, "'revision'", &m->revision, &m->revision_pos,
				    varve_manifest__is_revision, REVISION_EXPECTED);
	case E_DOWN_REVISION:
		return load_down_revision(l, e);
	case E_DESCRIPTION: {
		varve_pos pos;

		return read_string(l, "'description'", &m->description, &pos);
	}
	case E_FILE:
		return read_path(l, "'file'", &m->file, &m->file_pos);
	case E_UP:
		return read_path(l, "'up'", &m->up, &m->up_pos);
	case E_DOWN:
		return read_path(l, "'down'", &m->down, &m->down_pos);
	case E_TRANSACTION:
		return read_bool(l, "'transaction'", &m->transaction,
				 &m->transaction_pos);
	case E_BRANCH:
		return read_checked(l, "'branch'", &m->branch, &m->branch_pos,
				    is_label, "letters, digits, '_' and '-'");
	case E_LINT_OFF:
		return read_rules(l, "'lint_off'", set_off, m);
	default:
		return read_checked(l, "'checksum'", &m->checksum, &m->checksum_pos,
				    is_checksum, "'sha256:' and 64 lower-case hex digits");
	}
}

/* The rules between keys; presence counts, so a bad value is not reported
 * twice. */
static void entry_rules(struct loader *l, const struct entry *e)
{
	const varve_migration *m = &e->mig;
	const char *rev = m->revision ? m->revision : "";
	const char *sep = m->revision ? "' " : "";
	const char *who = m->revision ? "migration '" : "migration entry ";

	if (!e->seen[E_REVISION])
		report(l, SCHEMA, m->pos, "migration entry is missing required key 'revision'");
	if (!e->seen[E_DOWN_REVISION])
		report(l, SCHEMA, m->pos, "%s%s%sis missing required key 'down_revision' "
		       "(null for a first migration)", who, rev, sep);
	if (e->seen[E_FILE] && (e->seen[E_UP] || e->seen[E_DOWN]))
		report(l, SCHEMA, m->file_pos, "'file' cannot be combined with '%s'",
		       e->seen[E_UP] ? "up" : "down");
	else if (e->seen[E_DOWN] && !e->seen[E_UP])
		report(l, SCHEMA, m->down_pos, "'down' requires 'up'");
	if (!e->seen[E_FILE] && !e->seen[E_UP] && !e->merge)
		report(l, SCHEMA, m->pos, "%s%s%shas no SQL: add 'file' or 'up' "
		       "(only a merge may have none)", who, rev, sep);
}

static int add_entry(struct loader *l, struct entry *e)
{
	varve_manifest *m = l->m;
	varve_migration *mig;
	size_t index, n = l->parent_count;
	int rc;

	if ((rc = varve_manifest__add(m, &mig, NULL, NULL, 0)) != 0)
		return l->status = rc;
	index = mig->index;
	*mig = e->mig;
	mig->index = index;
	if (!n)
		return 0;
	mig->parents = varve_arena_alloc(&m->arena, n * sizeof(*mig->parents));
	mig->parent_pos = varve_arena_alloc(&m->arena, n * sizeof(*mig->parent_pos));
	if (!mig->parents || !mig->parent_pos)
		return l->status = varve_error__oom();
	memcpy(mig->parents, l->parents, n * sizeof(*mig->parents));
	memcpy(mig->parent_pos, l->parent_pos, n * sizeof(*mig->parent_pos));
	mig->parent_count = n;
	return 0;
}

/* An entry without a usable revision is left out: nothing could name it. */
static int load_entry(struct loader *l)
{
	struct entry e;
	int rc, idx;

	if (l->ev.type != YAML_MAPPING_START_EVENT)
		return wrong_type(l, "a migration entry", "a mapping");
	memset(&e, 0, sizeof(e));
	e.mig.pos = here(l);
	e.mig.transaction = true;
	e.mig.flow = l->ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	l->parent_count = 0;
	while ((rc = next_key(l, &entry_keys, e.seen, &idx)) == 0 && idx >= 0)
		if ((rc = entry_value(l, &e, idx)) != 0)
			return rc;
	if (rc)
		return rc;
	/* On the mapping's end: a flow `}` covers text, a block end none. */
	e.mig.close_pos = at(l->content_end);
	e.mig.end_pos = e.mig.flow ? at(l->prev_content_end) : e.mig.close_pos;
	entry_rules(l, &e);
	if (!e.seen[E_DOWN_REVISION])
		e.mig.links_invalid = true;
	return e.mig.revision ? add_entry(l, &e) : l->status;
}

static int load_migrations(struct loader *l)
{
	int rc;

	if (l->ev.type != YAML_SEQUENCE_START_EVENT)
		return wrong_type(l, "'migrations'", "a sequence");
	l->m->migrations_pos = here(l);
	l->m->migrations_flow =
		l->ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	while ((rc = next(l)) == 0 && l->ev.type != YAML_SEQUENCE_END_EVENT)
		if ((rc = load_entry(l)) != 0)
			return rc;
	if (!rc && l->m->migrations_flow)
		l->m->migrations_end = at(l->content_end);
	return rc;
}

/* ---------------------------------------------------------------------------
 * Paths
 */

static void path_error(struct loader *l, const char *what, const char *rel,
		       varve_pos pos, const char *reason)
{
	report(l, OUTSIDE, pos, "%s '%.*s'%s is outside the project: %s", what,
	       shown(strlen(rel)), rel, more(strlen(rel)), reason);
}

static int load_directory(struct loader *l)
{
	const char *dir, *reason;
	varve_pos pos;
	int rc;

	if ((rc = read_path(l, "'directory'", &dir, &pos)) != 0 || !dir) {
		l->dir_ok = false;
		return rc;
	}
	rc = l->data ? 0 : varve_path__check(l->m->base, dir, &reason);
	if (rc == VARVE_ENOMEM)
		return l->status = rc;
	if (rc) {
		path_error(l, "directory", dir, pos, reason);
		l->dir_ok = false;
		return 0;
	}
	if ((rc = varve_manifest__set_directory(l->m, dir)) != 0)
		return l->status = rc;
	l->m->directory_pos = pos;
	return 0;
}

/*
 * A file is checked under the directory, itself checked once: a symlinked
 * directory inside the project is fine. A path that escapes is reported
 * and cleared, so that no later step opens it.
 */
static void check_file(struct loader *l, const varve_strmap *regular,
		       varve_migration *mig, const char **rel, varve_pos pos)
{
	const char *reason;
	int rc;

	if (!*rel)
		return;
	/* A plain name the listing calls a regular file is no symlink. */
	if (!strchr(*rel, '/') && varve_strmap_get(regular, *rel, NULL))
		return;
	rc = varve_path__check_under(l->m->base, l->m->directory, *rel, &reason);
	if (rc == VARVE_ENOMEM) {
		l->status = rc;
	} else if (rc) {
		path_error(l, "file", *rel, pos, reason);
		*rel = NULL;
		mig->path_refused = true;
	}
}

/* The default directory was not checked when read: check it now. */
static void check_default_directory(struct loader *l)
{
	varve_pos first = { 1, 1 };
	const char *reason;
	int rc;

	if (l->m->directory_pos.line || !l->dir_ok)
		return;
	rc = varve_path__check(l->m->base, l->m->directory, &reason);
	if (rc == VARVE_ENOMEM) {
		l->status = rc;
	} else if (rc) {
		path_error(l, "directory", l->m->directory, first, reason);
		l->dir_ok = false;
	}
}

/*
 * The regular files directly in the directory, from one listing, so that
 * most files need no lstat of their own (100,000 of them add up).
 */
static void list_regular(struct loader *l, varve_strmap *names, varve_arena *arena)
{
	DIR *dir = opendir(l->m->directory_path);
	struct dirent *e;

	if (!dir)
		return; /* each file is then checked on its own */
	while ((e = readdir(dir)) != NULL) {
		char *name;

		if (e->d_type != DT_REG)
			continue;
		if (!(name = varve_arena_strdup(arena, e->d_name)) ||
		    varve_strmap_put(names, name, 0, NULL) < 0)
			break; /* out of memory: the slow path still works */
	}
	closedir(dir);
}

static int check_paths(struct loader *l)
{
	varve_strmap regular = VARVE_STRMAP_INIT;
	varve_arena arena = VARVE_ARENA_INIT;

	if (l->data)
		return l->status; /* nothing on disk to check them against */
	check_default_directory(l);
	if (!l->dir_ok) {
		/* Files under a directory that is refused (or was not given
		 * right) cannot be checked, so none is opened. */
		l->m->directory_refused = true;
		for (size_t i = 0; i < l->m->count; i++) {
			varve_migration *mig = l->m->migrations[i];

			mig->path_refused = mig->file || mig->up || mig->down;
			mig->file = mig->up = mig->down = NULL;
		}
		return l->status;
	}
	list_regular(l, &regular, &arena);
	for (size_t i = 0; i < l->m->count; i++) {
		varve_migration *mig = l->m->migrations[i];

		check_file(l, &regular, mig, &mig->file, mig->file_pos);
		check_file(l, &regular, mig, &mig->up, mig->up_pos);
		check_file(l, &regular, mig, &mig->down, mig->down_pos);
	}
	varve_strmap_dispose(&regular);
	varve_arena_dispose(&arena);
	return l->status;
}

/* ---------------------------------------------------------------------------
 * The top level
 */

enum { T_VARVE, T_DIRECTORY, T_VERSION_TABLE, T_NAMING, T_DATABASE, T_MIGRATIONS, T_LINT,
       T_SCHEMA, T_COUNT };

static const char *const top_names[T_COUNT] = {
	"varve", "directory", "version_table", "naming", "database", "migrations", "lint",
	"schema",
};

static const struct keyset top_keys = {
	"in the manifest", top_names, T_COUNT,
	"varve, directory, version_table, naming, database, migrations, lint, schema",
};

static int load_format(struct loader *l)
{
	long v;
	bool ok;
	int rc;

	if ((rc = read_int(l, "'varve'", &v, &ok)) != 0 || !ok)
		return rc;
	if (v != 1)
		report(l, SCHEMA, here(l), "unsupported manifest format 'varve: %ld' "
		       "(this varve reads format 1)", v);
	return 0;
}

static int load_naming(struct loader *l)
{
	const char *s;
	varve_pos pos;
	int rc;

	if ((rc = read_string(l, "'naming'", &s, &pos)) != 0 || !s)
		return rc;
	if (strcmp(s, "timestamp") == 0) {
		l->m->naming = VARVE_NAMING_TIMESTAMP;
	} else if (strcmp(s, "sequential") == 0) {
		l->m->naming = VARVE_NAMING_SEQUENTIAL;
	} else {
		report(l, SCHEMA, pos, "'naming' must be timestamp or sequential, not '%.*s'%s",
		       shown(strlen(s)), s, more(strlen(s)));
		return 0;
	}
	l->m->has_naming = true;
	return 0;
}

/* `schema:` the snapshot file (docs/schema.md), relative to the manifest. */
static int load_schema(struct loader *l)
{
	const char *path, *reason;
	varve_pos pos;
	int rc;

	if ((rc = read_path(l, "'schema'", &path, &pos)) != 0 || !path)
		return rc;
	rc = l->data ? 0 : varve_path__check(l->m->base, path, &reason);
	if (rc == VARVE_ENOMEM)
		return l->status = rc;
	if (rc) {
		path_error(l, "schema", path, pos, reason);
		return 0;
	}
	l->m->schema = path;
	l->m->schema_pos = pos;
	return 0;
}

static int top_value(struct loader *l, int idx)
{
	const char *s;
	varve_pos pos;
	int rc;

	switch (idx) {
	case T_VARVE:
		return load_format(l);
	case T_DIRECTORY:
		return load_directory(l);
	case T_VERSION_TABLE:
		rc = read_checked(l, "'version_table'", &s, &pos, is_table,
				  "[schema.]table, each part a letter or '_' then letters, "
				  "digits, '_' or '$', at most 63 characters");
		if (!rc && s)
			l->m->version_table = s;
		return rc;
	case T_NAMING:
		return load_naming(l);
	case T_DATABASE:
		return load_database(l);
	case T_LINT:
		return load_lint(l);
	case T_SCHEMA:
		return load_schema(l);
	default:
		return load_migrations(l);
	}
}

static int load_top(struct loader *l)
{
	unsigned seen[T_COUNT] = { 0 };
	varve_pos start = here(l);
	int rc, idx;

	while ((rc = next_key(l, &top_keys, seen, &idx)) == 0 && idx >= 0)
		if ((rc = top_value(l, idx)) != 0)
			return rc;
	if (rc)
		return rc;
	if (!seen[T_VARVE])
		report(l, SCHEMA, start, "the manifest is missing required key 'varve' "
		       "(the format version: varve: 1)");
	if (!seen[T_MIGRATIONS])
		report(l, SCHEMA, start, "the manifest is missing required key 'migrations'");
	return check_paths(l);
}

static int load_stream(struct loader *l)
{
	varve_pos first = { 1, 1 };
	int rc;

	if ((rc = next(l)) != 0 || (rc = next(l)) != 0)
		return rc; /* the stream start, then a document or the end */
	if (l->ev.type == YAML_STREAM_END_EVENT) {
		report(l, SCHEMA, first, "the manifest is empty (expected a mapping "
		       "with 'varve' and 'migrations')");
		return l->status;
	}
	if ((rc = next(l)) != 0)
		return rc;
	if (l->ev.type == YAML_MAPPING_START_EVENT)
		rc = load_top(l);
	else
		rc = wrong_type(l, "the manifest", "a mapping");
	/* The document's end, then the stream's end or another document. */
	if (rc || (rc = next(l)) != 0 || (rc = next(l)) != 0)
		return rc;
	if (l->ev.type == YAML_DOCUMENT_START_EVENT)
		report(l, SCHEMA, here(l), "the manifest must be a single YAML document");
	return l->status;
}

static int io_error(const char *verb, const char *path, int err)
{
	char message[128];

	return varve_error__set(VARVE_EIO, "cannot %s '%s': %s", verb, path,
				varve_error__reason(err, message, sizeof(message)));
}

/*
 * libyaml reads the file in chunks through this handler, so the input is
 * never whole in memory (SPEC §9: 100,000 entries within 64 MiB).
 */
static int read_input(void *data, unsigned char *buffer, size_t size,
		      size_t *size_read)
{
	struct loader *l = data;
	ssize_t n;

	if (l->data) {
		n = (ssize_t)(l->data_len - l->data_off < size ? l->data_len - l->data_off
							       : size);
		memcpy(buffer, l->data + l->data_off, (size_t)n);
		l->data_off += (size_t)n;
	} else {
		do
			n = read(l->fd, buffer, size);
		while (n < 0 && errno == EINTR);
	}
	if (n < 0) {
		l->read_errno = errno;
		return 0;
	}
	l->read_total += (uint64_t)n;
	if (l->read_total > MAX_FILE) {
		l->too_large = true;
		return 0;
	}
	if (l->parser.mark.index - l->last_mark.index > MAX_TOKEN) {
		l->token_too_long = true;
		return 0;
	}
	*size_read = (size_t)n;
	return 1;
}

static int too_large(struct loader *l)
{
	varve_diag__error(l->diags, SCHEMA, l->path, 1, 1,
			  "the manifest is larger than %zu MiB", MAX_FILE >> 20);
	return varve_error__set(VARVE_EINVALID, "cannot load '%s': larger than %zu MiB",
				l->path, MAX_FILE >> 20);
}

static int open_input(struct loader *l)
{
	struct stat st;

	/* O_NONBLOCK: a FIFO must not keep open() waiting for a writer. */
	if ((l->fd = open(l->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return io_error("open", l->path, errno);
	if (fstat(l->fd, &st) < 0)
		return io_error("open", l->path, errno);
	if (S_ISDIR(st.st_mode))
		return io_error("open", l->path, EISDIR);
	if (!S_ISREG(st.st_mode))
		return varve_error__set(VARVE_EIO, "cannot open '%s': not a regular file",
					l->path);
	if (fcntl(l->fd, F_SETFL, fcntl(l->fd, F_GETFL) & ~O_NONBLOCK) < 0)
		return io_error("open", l->path, errno);
	if ((uint64_t)st.st_size > MAX_FILE)
		return too_large(l);
	return 0;
}

/* The parse's outcome, once the events have been read. */
static int finish(struct loader *l, varve_manifest **out)
{
	varve_manifest *m = l->m;

	if (l->read_errno)
		return io_error("read", l->path, l->read_errno);
	if (l->too_large)
		return too_large(l);
	if (l->token_too_long) {
		varve_pos pos = at(l->last_mark);

		varve_diag__error(l->diags, SCHEMA, l->path, pos.line, pos.column,
				  "a value or comment longer than %zu MiB follows", MAX_TOKEN >> 20);
		return varve_error__set(VARVE_EINVALID, "cannot load '%s': a token "
					"longer than %zu MiB", l->path, MAX_TOKEN >> 20);
	}
	if (l->syntax)
		return varve_error__set(VARVE_EINVALID, "cannot parse '%s': invalid YAML",
					l->path);
	/* Give back the slack of the doubling growth: the manifest lives on
	 * through graph and check. */
	if (m->count && m->count < m->cap) {
		varve_migration **fit = realloc(m->migrations,
					       m->count * sizeof(*fit));

		if (fit) {
			m->migrations = fit;
			m->cap = m->count;
		}
	}
	*out = m;
	l->m = NULL;
	return 0;
}

/* The load shared by a file and a buffer, once the input is ready. */
static int load(struct loader *l, varve_manifest **out)
{
	int error;

	if ((error = varve_manifest__new(&l->m, l->path)) != 0)
		return error;
	if (!yaml_parser_initialize(&l->parser))
		return varve_error__oom();
	l->parser_ready = true;
	yaml_parser_set_input(&l->parser, read_input, l);
	if ((error = load_stream(l)) < 0)
		return error;
	return finish(l, out);
}

static void loader_init(struct loader *l, const char *path,
			varve_diag_list *diags)
{
	memset(l, 0, sizeof(*l));
	l->diags = diags;
	l->path = path;
	l->dir_ok = true;
	l->fd = -1;
}

static void loader_dispose(struct loader *l)
{
	if (l->has_ev)
		yaml_event_delete(&l->ev);
	if (l->parser_ready)
		yaml_parser_delete(&l->parser);
	if (l->fd >= 0)
		close(l->fd);
	free(l->parents);
	free(l->parent_pos);
	varve_manifest_free(l->m);
}

int varve_manifest_load(varve_manifest **out, const char *path,
			varve_diag_list *diags)
{
	struct loader l;
	int error;

	*out = NULL;
	loader_init(&l, path, diags);
	if ((error = open_input(&l)) == 0)
		error = load(&l, out);
	loader_dispose(&l);
	return error;
}

int varve_manifest__load_buffer(varve_manifest **out, const char *display_path,
				const char *data, size_t len,
				varve_diag_list *diags)
{
	struct loader l;
	int error;

	*out = NULL;
	loader_init(&l, display_path, diags);
	/* A non-NULL pointer marks buffer mode, even for an empty buffer. */
	l.data = len ? (const unsigned char *)data : (const unsigned char *)"";
	l.data_len = len;
	if (len > MAX_FILE)
		error = too_large(&l);
	else
		error = load(&l, out);
	loader_dispose(&l);
	return error;
}
