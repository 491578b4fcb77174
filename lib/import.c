/*
 * varve import (SPEC §11): read a migrations folder the way another tool
 * wrote it, plan a manifest for it (the files stay as they are), and adopt
 * the tool's applied state from its version table.
 *
 * Each tool's conventions are one scanner that lists entries with the
 * tool's version; what follows is shared: the order, duplicate versions,
 * chaining into a graph, transaction detection, the YAML.
 */
#include "import.h"
#include "buf.h"
#include "db.h"
#include "diag.h"
#include "error.h"
#include "manifest.h"
#include "path.h"
#include "rewrite.h"
#include "strmap.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#define SKIPPED "import-skipped"
#define DUPLICATE "import-duplicate"
#define UNSUPPORTED "import-unsupported"
#define ESCAPE "file-outside-project"

/* How far into a file detection and header parsing look. */
#define HEAD_BYTES 65536

static const char *const tool_names[] = {
	[VARVE_IMPORT_AUTO] = "auto",
	[VARVE_IMPORT_PYCOPG] = "pycopg",
	[VARVE_IMPORT_SQLSPEC] = "sqlspec",
	[VARVE_IMPORT_MANTICORE] = "manticore",
	[VARVE_IMPORT_GOLANG_MIGRATE] = "golang-migrate",
	[VARVE_IMPORT_DBMATE] = "dbmate",
	[VARVE_IMPORT_GOOSE] = "goose",
	[VARVE_IMPORT_FLYWAY] = "flyway",
	[VARVE_IMPORT_SQITCH] = "sqitch",
};

int varve_import_tool_parse(varve_import_tool *out, const char *name)
{
	for (size_t i = 0; i < VARVE_ARRAY_SIZE(tool_names); i++)
		if (strcmp(name, tool_names[i]) == 0) {
			*out = (varve_import_tool)i;
			return 0;
		}
	if (strcmp(name, "manticore-cockroachdb") == 0 || strcmp(name, "migrate") == 0) {
		*out = name[0] == 'm' && name[1] == 'a' ? VARVE_IMPORT_MANTICORE
							: VARVE_IMPORT_GOLANG_MIGRATE;
		return 0;
	}
	return varve_error__set(VARVE_EINVALID,
		"unknown tool '%s' (pycopg, sqlspec, manticore, golang-migrate, dbmate, "
		"goose, flyway, sqitch or auto)", name);
}

const char *varve_import_tool_name(varve_import_tool tool)
{
	return (size_t)tool < VARVE_ARRAY_SIZE(tool_names) ? tool_names[tool] : "?";
}

/* ---------------------------------------------------------------------------
 * Small helpers
 */

typedef struct scan {
	varve_import *im;
	varve_diag_list *diags;
	const char *dir;  /* the folder as the user would open it */
	char **names;     /* its entries, sorted */
	size_t nnames;
	bool oom;
	bool failed;      /* an error finding was added */
} scan;

static char *sdup(scan *s, const char *p, size_t n)
{
	char *c = varve_arena_strndup(&s->im->arena, p, n);

	if (!c)
		s->oom = true;
	return c;
}

static char *sdup0(scan *s, const char *p)
{
	return p ? sdup(s, p, strlen(p)) : NULL;
}

static char *join(scan *s, const char *a, const char *b)
{
	varve_buf buf = VARVE_BUF_INIT;
	char *r;

	if (strcmp(a, ".") == 0)
		return sdup0(s, b);
	varve_buf_printf(&buf, "%s/%s", a, b);
	r = buf.oom ? NULL : sdup(s, buf.ptr, buf.len);
	varve_buf_dispose(&buf);
	if (!r)
		s->oom = true;
	return r;
}

static void skip(scan *s, const char *name, const char *fmt, ...) VARVE_PRINTF(3, 4);
static void skip(scan *s, const char *name, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	char *path = join(s, s->dir, name);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (varve_diag__warning(s->diags, SKIPPED, path, 0, 0, "not imported: %s", msg))
		s->oom = true;
}

static void fail(scan *s, const char *path, unsigned line, const char *code,
		 const char *fmt, ...) VARVE_PRINTF(5, 6);
static void fail(scan *s, const char *path, unsigned line, const char *code,
		 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (varve_diag__error(s->diags, code, path, line, line ? 1 : 0, "%s", msg))
		s->oom = true;
	s->failed = true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static size_t digits(const char *p)
{
	size_t n = 0;

	while (p[n] >= '0' && p[n] <= '9')
		n++;
	return n;
}

/* A run of digits without its leading zeros ("0" for all zeros). */
static const char *strip_zeros(const char *p, size_t *n)
{
	while (*n > 1 && *p == '0') {
		p++;
		(*n)--;
	}
	return p;
}

/* Compare two runs of digits as numbers of any size. */
static int numcmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c;

	a = strip_zeros(a, &na);
	b = strip_zeros(b, &nb);
	if (na != nb)
		return na < nb ? -1 : 1;
	c = memcmp(a, b, na);
	return c < 0 ? -1 : c > 0;
}

/* "create_users_table" -> "create users table" (names are slugs). */
static char *describe(scan *s, const char *p, size_t n)
{
	char *d = sdup(s, p, n);

	for (char *c = d; c && *c; c++)
		if (*c == '_')
			*c = ' ';
	return d && *d ? d : NULL;
}

/* The first HEAD_BYTES of a file (NUL-terminated), or "" when unreadable. */
static void read_head(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f) {
		n = fread(out, 1, size - 1, f);
		fclose(f);
	}
	out[n] = '\0';
}

/*
 * Whether a line of `text` (a whole line, case-insensitive, surrounding
 * white space allowed) starts with `marker`; *rest is what follows it.
 */
static const char *find_line(const char *text, const char *marker)
{
	size_t m = strlen(marker);

	for (const char *p = text; p && *p;) {
		const char *q = p;

		while (*q == ' ' || *q == '\t')
			q++;
		if (strncasecmp(q, marker, m) == 0)
			return q + m;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The rest of a line after find_line, trimmed, copied. */
static char *line_value(scan *s, const char *rest)
{
	const char *end;

	while (*rest == ' ' || *rest == '\t')
		rest++;
	end = rest + strcspn(rest, "\r\n");
	while (end > rest && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return sdup(s, rest, (size_t)(end - rest));
}

static struct import_entry *add_entry(scan *s, const char *version, const char *path)
{
	varve_import *im = s->im;
	struct import_entry *e;

	if (im->count == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 64;
		struct import_entry *grown = realloc(im->entries, cap * sizeof(*grown));

		if (!grown) {
			s->oom = true;
			return NULL;
		}
		im->entries = grown;
		im->cap = cap;
	}
	e = &im->entries[im->count++];
	memset(e, 0, sizeof(*e));
	e->pub.version = sdup0(s, version);
	e->pub.revision = e->pub.version;
	e->pub.transaction = true;
	e->key = e->pub.version;
	e->path = path;
	return e;
}

/* The key of an integer version: its digits without leading zeros. */
static void int_key(scan *s, struct import_entry *e)
{
	size_t n = strlen(e->pub.version);
	const char *p = strip_zeros(e->pub.version, &n);

	e->key = sdup(s, p, n);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* List a folder's names, sorted; symlinks leading out are errors. */
static int list_dir(scan *s, const char *dir, const char *root, const char *rel_dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	if (!d)
		return varve_error__set(VARVE_EIO, "cannot read '%s': %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		const char *reason;

		if (de->d_name[0] == '.')
			continue;
		if (varve_path__check_under(root, rel_dir, de->d_name, &reason) != 0) {
			char *path = join(s, dir, de->d_name);

			fail(s, path, 0, ESCAPE, "%s: an imported file must stay inside the project",
			     reason);
			continue;
		}
		if (s->nnames == cap) {
			char **grown;

			cap = cap ? cap * 2 : 256;
			if (!(grown = realloc(s->names, cap * sizeof(*grown)))) {
				s->oom = true;
				break;
			}
			s->names = grown;
		}
		if (!(s->names[s->nnames] = sdup0(s, de->d_name)))
			break;
		s->nnames++;
	}
	closedir(d);
	if (s->oom)
		return varve_error__oom();
	if (s->nnames > 1)
		qsort(s->names, s->nnames, sizeof(*s->names), cmp_names);
	return 0;
}

/* ---------------------------------------------------------------------------
 * The tools
 */

/* NNN_name.sql (pycopg, goose, dbmate, sqlspec, manticore's docs): the
 * length of the version, 0 when the name is not one. */
static size_t numbered(const char *name, char sep)
{
	size_t n = digits(name);

	if (!n || name[n] != sep || !ends_with(name, ".sql"))
		return 0;
	return n;
}

static void scan_pycopg(scan *s)
{
	for (size_t i = 0; i < s->nnames; i++) {
		const char *name = s->names[i];
		size_t n = numbered(name, '_');
		struct import_entry *e;
		char *version;

		if (!ends_with(name, ".sql"))
			continue;
		if (!n) {
			skip(s, name, "pycopg reads only NNN_name.sql files");
			continue;
		}
		if (!(version = sdup(s, name, n)) || !(e = add_entry(s, version, join(s, s->dir, name))))
			return;
		e->pub.file = name;
		e->pub.description = describe(s, name + n + 1, strlen(name) - n - 5);
		int_key(s, e);
	}
}

/*
 * The parents of a sqlspec `-- down_revision:` header: None, a revision,
 * or several (`(a, b)`, `[a, b]`, `a, b`) for a merge.
 */
static void sqlspec_parents(scan *s, struct import_entry *e, const char *value)
{
	char *buf = sdup0(s, value), *tok, *save = NULL;
	size_t n = 0;

	if (!buf)
		return;
	e->parents = varve_arena_alloc(&s->im->arena, (strlen(buf) / 2 + 2) * sizeof(char *));
	if (!e->parents) {
		s->oom = true;
		return;
	}
	for (char *c = buf; *c; c++)
		if (strchr("()[]'\"", *c))
			*c = ' ';
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
		if (strcmp(tok, "None") != 0 && strcmp(tok, "null") != 0)
			e->parents[n++] = tok;
	e->pub.parent_count = n;
	e->pub.parents = (const char *const *)e->parents;
}

static void scan_sqlspec(scan *s)
{
	char head[HEAD_BYTES];

	for (size_t i = 0; i < s->nnames; i++) {
		const char *name = s->names[i], *v;
		size_t n = numbered(name, '_');
		struct import_entry *e;
		char *path, *version;

		if (ends_with(name, ".py") && digits(name)) {
			skip(s, name, "a Python migration: varve runs SQL files only; port it "
				      "to SQL and add its entry by hand");
			continue;
		}
		if (!ends_with(name, ".sql"))
			continue;
		if (!n) {
			skip(s, name, "sqlspec reads only NNNN_name.sql files");
			continue;
		}
		if (!(path = join(s, s->dir, name)) || !(version = sdup(s, name, n)))
			return;
		read_head(path, head, sizeof(head));
		/* The docs' headers name the revision and its parents. */
		if ((v = find_line(head, "-- revision:")))
			version = line_value(s, v);
		if (!version || !(e = add_entry(s, version, path)))
			return;
		e->pub.file = name;
		if ((v = find_line(head, "-- description:")) || (v = find_line(head, "-- Description:")))
			e->pub.description = line_value(s, v);
		else
			e->pub.description = describe(s, name + n + 1, strlen(name) - n - 5);
		if ((v = find_line(head, "-- down_revision:"))) {
			sqlspec_parents(s, e, line_value(s, v));
			e->has_links = true;
		}
		if (find_line(head, "-- transactional: false")) {
			e->pub.transaction = false;
			e->pub.note = "-- transactional: false";
		}
	}
}

static void scan_manticore(scan *s)
{
	for (size_t i = 0; i < s->nnames; i++) {
		const char *name = s->names[i];
		struct import_entry *e;
		size_t n, skipn;
		char *version;

		if (!ends_with(name, ".sql"))
			continue;
		/* The package: V<n>__<desc>.sql; the docs: <14 digits>_<desc>.sql. */
		if (name[0] == 'V' && (n = digits(name + 1)) && strncmp(name + 1 + n, "__", 2) == 0) {
			version = sdup(s, name + 1, n);
			skipn = 1 + n + 2;
		} else if ((n = numbered(name, '_'))) {
			version = sdup(s, name, n);
			skipn = n + 1;
		} else {
			skip(s, name, "manticore reads only V<n>__<desc>.sql and "
				      "<timestamp>_<desc>.sql files");
			continue;
		}
		if (!version || !(e = add_entry(s, version, join(s, s->dir, name))))
			return;
		e->pub.file = name;
		e->pub.description = describe(s, name + skipn, strlen(name) - skipn - 4);
		int_key(s, e);
	}
}

static void scan_golang_migrate(scan *s)
{
	varve_strmap ups = VARVE_STRMAP_INIT;

	for (size_t i = 0; i < s->nnames; i++) {
		const char *name = s->names[i];
		size_t n = digits(name);
		bool up = ends_with(name, ".up.sql"), down = ends_with(name, ".down.sql");
		struct import_entry *e;
		size_t existing;
		char *version;

		if (!ends_with(name, ".sql"))
			continue;
		if (!n || (name[n] != '_' && name[n] != '.') || (!up && !down)) {
			skip(s, name, "golang-migrate reads only VERSION_title.up.sql and "
				      "VERSION_title.down.sql files");
			continue;
		}
		if (!up)
			continue;
		if (!(version = sdup(s, name, n)) || !(e = add_entry(s, version, join(s, s->dir, name))))
			break;
		e->pub.up = name;
		e->pub.description = name[n] == '_'
			? describe(s, name + n + 1, strlen(name) - n - 1 - strlen(".up.sql"))
			: NULL;
		int_key(s, e);
		if (varve_strmap_put(&ups, e->key, s->im->count - 1, &existing) < 0) {
			s->oom = true;
			break;
		}
	}
	/* Each down file joins its up file; one without is skipped. */
	for (size_t i = 0; i < s->nnames && !s->oom; i++) {
		const char *name = s->names[i];
		size_t n = digits(name), at;
		char key[64];
		const char *p;

		if (!n || !ends_with(name, ".down.sql") || (name[n] != '_' && name[n] != '.'))
			continue;
		p = strip_zeros(name, &n);
		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		if (!varve_strmap_get(&ups, key, &at)) {
			skip(s, name, "a down file without its up file");
			continue;
		}
		if (s->im->entries[at].pub.down) {
			fail(s, join(s, s->dir, name), 0, DUPLICATE,
			     "version %s has two down files: '%s' and '%s'", key,
			     s->im->entries[at].pub.down, name);
			continue;
		}
		s->im->entries[at].pub.down = name;
	}
	varve_strmap_dispose(&ups);
}

static void scan_dbmate(scan *s)
{
	char head[HEAD_BYTES];

	for (size_t i = 0; i < s->nnames; i++) {
		const char *name = s->names[i], *v;
		size_t n = digits(name);
		struct import_entry *e;
		char *path, *version;

		if (!ends_with(name, ".sql"))
			continue;
		if (!n) {
			skip(s, name, "dbmate reads only VERSION_name.sql files");
			continue;
		}
		if (!(path = join(s, s->dir, name)))
			return;
		read_head(path, head, sizeof(head));
		if (!(v = find_line(head, "-- migrate:up"))) {
			skip(s, name, "no '-- migrate:up' line (dbmate refuses the file)");
			continue;
		}
		if (!(version = sdup(s, name, n)) || !(e = add_entry(s, version, path)))
			return;
		e->pub.file = name;
		e->pub.description = name[n] == '_' ? describe(s, name + n + 1, strlen(name) - n - 5)
						    : NULL;
		if (strstr(line_value(s, v), "transaction:false")) {
			e->pub.transaction = false;
			e->pub.note = "-- migrate:up transaction:false";
		}
	}
}

static void scan_goose(scan *s)
{
	char head[HEAD_BYTES];

	for (size_t i = 0; i < s->nnames; i++) {
		const char *name = s->names[i];
		size_t n = digits(name);
		struct import_entry *e;
		char *path, *version;

		if (ends_with(name, ".go") && !ends_with(name, "_test.go") && n && name[n] == '_') {
			skip(s, name, "a Go migration: varve runs SQL files only; port it to "
				      "SQL and add its entry by hand");
			continue;
		}
		if (!ends_with(name, ".sql"))
			continue;
		if (!n || name[n] != '_') {
			skip(s, name, "goose reads only VERSION_name.sql files");
			continue;
		}
		if (!(path = join(s, s->dir, name)))
			return;
		read_head(path, head, sizeof(head));
		if (!find_line(head, "-- +goose Up")) {
			skip(s, name, "no '-- +goose Up' annotation (goose refuses the file)");
			continue;
		}
		if (!(version = sdup(s, name, n)) || !(e = add_entry(s, version, path)))
			return;
		e->pub.file = name;
		e->pub.description = describe(s, name + n + 1, strlen(name) - n - 5);
		int_key(s, e);
		if (find_line(head, "-- +goose NO TRANSACTION")) {
			e->pub.transaction = false;
			e->pub.note = "-- +goose NO TRANSACTION";
		}
	}
}

/*
 * Flyway's version of "1_10" / "1.10" / "01.1": the dotted parts with
 * leading zeros and trailing zero parts dropped ("1.10"), as Flyway
 * compares them; NULL when it is not a version.
 */
static char *flyway_key(scan *s, const char *v, size_t len)
{
	varve_buf b = VARVE_BUF_INIT;
	size_t keep = 0;
	char *r;

	for (size_t i = 0; i < len;) {
		size_t n = 0;
		const char *p;

		while (i + n < len && v[i + n] >= '0' && v[i + n] <= '9')
			n++;
		if (!n)
			goto bad;
		p = strip_zeros(v + i, &n);
		if (b.len)
			varve_buf_putc(&b, '.');
		varve_buf_put(&b, p, n);
		if (!(n == 1 && *p == '0'))
			keep = b.len;
		while (i < len && v[i] >= '0' && v[i] <= '9')
			i++;
		if (i < len && v[i] != '.' && v[i] != '_')
			goto bad;
		if (i < len && ++i == len)
			goto bad;
	}
	if (!keep)
		keep = 1; /* "0" */
	r = b.oom ? NULL : sdup(s, b.ptr, keep);
	varve_buf_dispose(&b);
	return r;
bad:
	varve_buf_dispose(&b);
	return NULL;
}

/* Compare two Flyway keys part by part, numerically. */
static int flyway_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		size_t na = digits(a), nb = digits(b);
		int c;

		if (!na || !nb)
			return na ? 1 : nb ? -1 : 0;
		if ((c = numcmp(a, na, b, nb)) != 0)
			return c;
		a += na + (a[na] == '.');
		b += nb + (b[nb] == '.');
	}
	return 0;
}

static void scan_flyway(scan *s)
{
	varve_strmap versions = VARVE_STRMAP_INIT;

	for (int pass = 0; pass < 2 && !s->oom; pass++) {
		for (size_t i = 0; i < s->nnames; i++) {
			const char *name = s->names[i], *sep;
			struct import_entry *e;
			size_t at, existing;
			char *key, *version;

			if (!ends_with(name, ".sql"))
				continue;
			if (strncmp(name, "R__", 3) == 0) {
				if (pass == 0)
					skip(s, name, "a Flyway repeatable migration: varve has "
						      "none; keep running it with Flyway or fold it "
						      "into a versioned migration");
				continue;
			}
			sep = strstr(name, "__");
			if (!sep || !strchr("VUB", name[0]) ||
			    !(key = flyway_key(s, name + 1, (size_t)(sep - name - 1)))) {
				if (pass == 0)
					skip(s, name, "Flyway reads only V<version>__<desc>.sql "
						      "(and U, R) files");
				continue;
			}
			if (name[0] == 'B') {
				if (pass == 0)
					skip(s, name, "a Flyway baseline migration: varve has none");
				continue;
			}
			if (pass == 0 && name[0] == 'V') {
				/* The table records "1.10" for V1_10 and V1.10 alike. */
				if (!(version = sdup(s, name + 1, (size_t)(sep - name - 1))))
					break;
				for (char *c = version; *c; c++)
					if (*c == '_')
						*c = '.';
				if (!(e = add_entry(s, version, join(s, s->dir, name))))
					break;
				e->pub.revision = sdup0(s, version);
				for (char *c = (char *)e->pub.revision; c && *c; c++)
					if (*c == '.')
						*c = '_';
				e->key = key;
				e->pub.up = name;
				e->pub.description = describe(s, sep + 2, strlen(sep + 2) - 4);
				if (varve_strmap_put(&versions, key, s->im->count - 1, &existing) < 0)
					s->oom = true;
			} else if (pass == 1 && name[0] == 'U') {
				if (!varve_strmap_get(&versions, key, &at)) {
					skip(s, name, "an undo file without its versioned migration");
					continue;
				}
				s->im->entries[at].pub.down = name;
			}
		}
	}
	varve_strmap_dispose(&versions);
}

/* A Sqitch change name as a revision: characters outside [A-Za-z0-9_] become _. */
static char *sqitch_revision(scan *s, const char *name)
{
	char *r = sdup0(s, name);

	for (char *c = r; c && *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_'))
			*c = '_';
	return r;
}

/*
 * sqitch.plan: `%pragma`, `@tag`, `#` comments and change lines
 * `name [dep !conflict proj:dep] date planner <email> # note`.
 */
static void scan_sqitch(scan *s, const char *plan_path)
{
	varve_buf plan = VARVE_BUF_INIT;
	varve_strmap seen = VARVE_STRMAP_INIT;
	char *save = NULL, *line;
	unsigned lineno = 0;

	if (varve_buf_read_file(&plan, plan_path, 64u << 20) != 0 || !plan.ptr) {
		fail(s, plan_path, 0, "missing-file", "cannot read the Sqitch plan: %s",
		     varve_error_last());
		varve_buf_dispose(&plan);
		return;
	}
	for (line = plan.ptr; line && !s->oom; line = save) {
		char *nl = strchr(line, '\n'), *p, *name, *deps = NULL, *note;
		struct import_entry *e;
		size_t existing, ndeps = 0;

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		p[strcspn(p, "\r")] = '\0';
		if (strncmp(p, "%project=", 9) == 0) {
			s->im->project = line_value(s, p + 9);
			if (s->im->project)
				((char *)s->im->project)[strcspn(s->im->project, " \t")] = '\0';
		}
		if (!*p || *p == '#' || *p == '%' || *p == '@')
			continue;
		name = p;
		p += strcspn(p, " \t[");
		name = sdup(s, name, (size_t)(p - name));
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[') {
			char *close = strchr(p, ']');

			if (!close) {
				fail(s, plan_path, lineno, UNSUPPORTED, "unclosed '[' in the plan");
				break;
			}
			deps = sdup(s, p + 1, (size_t)(close - p - 1));
			p = close + 1;
		}
		note = strstr(p, " # ");
		if (!name)
			break;
		if (varve_strmap_put(&seen, name, 0, &existing) == 1) {
			fail(s, plan_path, lineno, UNSUPPORTED,
			     "'%s' is reworked (planned twice): varve cannot import reworked "
			     "Sqitch changes", name);
			continue;
		}
		if (!(e = add_entry(s, name, join(s, s->dir, "sqitch.plan"))))
			break;
		e->pub.revision = sqitch_revision(s, name);
		e->pub.description = note ? line_value(s, note + 3) : NULL;
		if (e->pub.description && !*e->pub.description)
			e->pub.description = NULL;
		{
			varve_buf b = VARVE_BUF_INIT;

			varve_buf_printf(&b, "deploy/%s.sql", name);
			e->pub.up = sdup0(s, b.ptr);
			varve_buf_clear(&b);
			varve_buf_printf(&b, "%s/revert/%s.sql", s->dir, name);
			/* A change without a revert script has no downgrade. */
			if (!b.oom && access(b.ptr, F_OK) == 0)
				e->pub.down = sdup0(s, b.ptr + strlen(s->dir) + 1);
			varve_buf_dispose(&b);
		}
		e->path = join(s, s->dir, e->pub.up);
		/* Dependencies within the project become parents. */
		e->parents = varve_arena_alloc(&s->im->arena,
					       ((deps ? strlen(deps) : 0) / 2 + 2) * sizeof(char *));
		if (!e->parents) {
			s->oom = true;
			break;
		}
		for (char *tok = deps ? strtok_r(deps, " \t", &p) : NULL; tok;
		     tok = strtok_r(NULL, " \t", &p)) {
			char *at = strchr(tok, '@');

			if (tok[0] == '!' || strchr(tok, ':'))
				continue; /* a conflict, or another project's change */
			if (at)
				*at = '\0';
			e->parents[ndeps++] = tok;
		}
		e->pub.parent_count = ndeps;
	}
	varve_strmap_dispose(&seen);
	varve_buf_dispose(&plan);
	/* Verify scripts have no place in a manifest. */
	{
		char *verify = join(s, s->dir, "verify");
		DIR *d = verify ? opendir(verify) : NULL;
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' && ends_with(de->d_name, ".sql")) {
				varve_buf b = VARVE_BUF_INIT;

				varve_buf_printf(&b, "verify/%s", de->d_name);
				if (!b.oom)
					skip(s, b.ptr, "a Sqitch verify script: varve does not run "
						       "verify scripts");
				varve_buf_dispose(&b);
			}
		if (d)
			closedir(d);
	}
}

/* ---------------------------------------------------------------------------
 * Recognising the tool
 */

static int detect(scan *s, varve_import_tool *out)
{
	char head[HEAD_BYTES], *path;
	size_t vfiles = 0, numbered_sql = 0;
	bool manticore_v = false, pycopg = false;
	struct stat st;

	if ((path = join(s, s->dir, "sqitch.plan")) && stat(path, &st) == 0) {
		*out = VARVE_IMPORT_SQITCH;
		s->im->reason = "sqitch.plan";
		return 0;
	}
	for (size_t i = 0; i < s->nnames; i++)
		if (ends_with(s->names[i], ".up.sql") || ends_with(s->names[i], ".down.sql")) {
			*out = VARVE_IMPORT_GOLANG_MIGRATE;
			s->im->reason = "*.up.sql / *.down.sql pairs";
			return 0;
		}
	for (size_t i = 0; i < s->nnames; i++) {
		const char *name = s->names[i];

		if (!ends_with(name, ".sql"))
			continue;
		if (!(path = join(s, s->dir, name)))
			return varve_error__oom();
		read_head(path, head, sizeof(head));
		if (find_line(head, "-- +goose ")) {
			*out = VARVE_IMPORT_GOOSE;
			s->im->reason = "'-- +goose' annotations";
			return 0;
		}
		if (find_line(head, "-- migrate:up")) {
			*out = VARVE_IMPORT_DBMATE;
			s->im->reason = "'-- migrate:up' markers";
			return 0;
		}
		if (find_line(head, "-- name: migrate-") || find_line(head, "-- revision:") ||
		    find_line(head, "-- upgrade --")) {
			*out = VARVE_IMPORT_SQLSPEC;
			s->im->reason = find_line(head, "-- name: migrate-")
				? "'-- name: migrate-<version>-up' queries"
				: "'-- revision:' / '-- upgrade --' headers";
			return 0;
		}
		if (find_line(head, "-- @UNDO")) {
			*out = VARVE_IMPORT_MANTICORE;
			s->im->reason = "'-- @UNDO' markers";
			return 0;
		}
		if (name[0] == 'V' && strstr(name, "__")) {
			vfiles++;
			if (strchr(name, ' ') || find_line(head, "-- DOWN"))
				manticore_v = true;
		} else if ((name[0] == 'U' || name[0] == 'R') && strstr(name, "__")) {
			vfiles++;
		} else if (numbered(name, '_')) {
			numbered_sql++;
			if (find_line(head, "-- UP") || find_line(head, "-- DOWN"))
				pycopg = true;
		}
	}
	if (vfiles) {
		*out = manticore_v ? VARVE_IMPORT_MANTICORE : VARVE_IMPORT_FLYWAY;
		s->im->reason = manticore_v ? "V<n>__<desc>.sql files with '-- DOWN' lines"
					    : "V<version>__<desc>.sql files";
		return 0;
	}
	if (numbered_sql) {
		*out = VARVE_IMPORT_PYCOPG;
		s->im->reason = pycopg ? "NNN_name.sql files with '-- UP' / '-- DOWN'"
				       : "NNN_name.sql files";
		return 0;
	}
	return varve_error__set(VARVE_ENOTFOUND,
		"cannot tell which tool wrote '%s': pass --from TOOL", s->dir);
}

/* ---------------------------------------------------------------------------
 * The shared part of the plan
 */

static varve_import_tool sort_tool;

static int cmp_entries(const void *pa, const void *pb)
{
	const struct import_entry *a = pa, *b = pb;
	int c;

	if (sort_tool == VARVE_IMPORT_FLYWAY)
		c = flyway_cmp(a->key, b->key);
	else
		c = numcmp(a->pub.version, digits(a->pub.version), b->pub.version,
			   digits(b->pub.version));
	if (!c)
		c = strcmp(a->pub.version, b->pub.version);
	return c ? c : strcmp(a->path, b->path);
}

/* Order the entries as the tool runs them; report duplicate versions. */
static void order(scan *s)
{
	varve_import *im = s->im;
	varve_strmap keys = VARVE_STRMAP_INIT, revs = VARVE_STRMAP_INIT;

	/* Sqitch runs its plan's order; sqlspec's headers may name any order. */
	if (im->tool != VARVE_IMPORT_SQITCH) {
		sort_tool = im->tool;
		if (im->count > 1)
			qsort(im->entries, im->count, sizeof(*im->entries), cmp_entries);
	}
	for (size_t i = 0; i < im->count && !s->oom; i++) {
		struct import_entry *e = &im->entries[i];
		size_t prev;
		int r;

		if (!e->key || !e->pub.revision) {
			s->oom = true;
			break;
		}
		if ((r = varve_strmap_put(&keys, e->key, i, &prev)) == 1 ||
		    (r == 0 && (r = varve_strmap_put(&revs, e->pub.revision, i, &prev)) == 1))
			fail(s, e->path, 0, DUPLICATE,
			     "version %s is also '%s': %s would refuse the folder; "
			     "renumber one of them", e->pub.version, im->entries[prev].path,
			     varve_import_tool_name(im->tool));
		else if (r < 0)
			s->oom = true;
		if (!varve_manifest__is_revision(e->pub.revision))
			fail(s, e->path, 0, UNSUPPORTED, "version '%s' gives no revision",
			     e->pub.version);
	}
	varve_strmap_dispose(&keys);
	varve_strmap_dispose(&revs);
}

/*
 * The links. Tools without a graph run in their order: each entry
 * follows the one before. sqlspec's headers give the parents where they
 * are. Sqitch: the declared dependencies, plus the change before in the
 * plan when they do not already reach it (Sqitch deploys in plan order),
 * so the graph has one head and Sqitch's order.
 */
static void link_entries(scan *s)
{
	varve_import *im = s->im;
	varve_strmap revs = VARVE_STRMAP_INIT;
	uint64_t *reach = NULL;
	size_t n = im->count, words;

	for (size_t i = 0; i < n; i++) {
		struct import_entry *e = &im->entries[i];

		if (im->tool == VARVE_IMPORT_SQLSPEC && e->has_links)
			continue;
		if (im->tool == VARVE_IMPORT_SQITCH)
			continue;
		if (i == 0) {
			e->pub.parent_count = 0;
			continue;
		}
		if (!(e->parents = varve_arena_alloc(&im->arena, sizeof(char *)))) {
			s->oom = true;
			return;
		}
		e->parents[0] = (char *)im->entries[i - 1].pub.revision;
		e->pub.parent_count = 1;
		e->pub.parents = (const char *const *)e->parents;
	}
	if (im->tool != VARVE_IMPORT_SQITCH || !n)
		return;
	/* Sqitch: bit j of row i says change j is an ancestor of change i. */
	words = (n + 63) / 64;
	if (n > 20000 || !(reach = calloc(n * words, sizeof(*reach)))) {
		if (n > 20000)
			fail(s, im->entries[0].path, 0, UNSUPPORTED, "more than 20000 Sqitch changes");
		else
			s->oom = true;
		return;
	}
	for (size_t i = 0; i < n && !s->oom; i++) {
		struct import_entry *e = &im->entries[i];
		size_t k = 0, existing;

		for (size_t d = 0; d < e->pub.parent_count; d++) {
			size_t j;

			if (!varve_strmap_get(&revs, e->parents[d], &j)) {
				fail(s, e->path, 0, "unknown-down-revision",
				     "'%s' requires '%s', which the plan does not list before it",
				     e->pub.version, e->parents[d]);
				continue;
			}
			e->parents[k++] = (char *)im->entries[j].pub.revision;
			reach[i * words + j / 64] |= (uint64_t)1 << (j % 64);
			for (size_t w = 0; w < words; w++)
				reach[i * words + w] |= reach[j * words + w];
		}
		if (i > 0 && !(reach[i * words + (i - 1) / 64] & ((uint64_t)1 << ((i - 1) % 64)))) {
			e->parents[k++] = (char *)im->entries[i - 1].pub.revision;
			reach[i * words + (i - 1) / 64] |= (uint64_t)1 << ((i - 1) % 64);
			for (size_t w = 0; w < words; w++)
				reach[i * words + w] |= reach[(i - 1) * words + w];
		}
		e->pub.parent_count = k;
		e->pub.parents = (const char *const *)e->parents;
		if (varve_strmap_put(&revs, e->pub.version, i, &existing) < 0)
			s->oom = true;
	}
	free(reach);
	varve_strmap_dispose(&revs);
}

/* Whether a file has a sqlspec downgrade query (`-- name: migrate-V-down`). */
static bool names_down(const char *path)
{
	char head[HEAD_BYTES];

	read_head(path, head, sizeof(head));
	for (const char *p = find_line(head, "-- name: migrate-"); p;
	     p = find_line(p, "-- name: migrate-")) {
		size_t n = strcspn(p, "\r\n");

		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n >= 5 && strncmp(p + n - 5, "-down", 5) == 0)
			return true;
	}
	return false;
}

/*
 * Read each migration's SQL: the checksum of its upgrade (recorded when
 * its applied state is adopted), and `transaction: false` where a section
 * holds a statement that cannot run in a transaction block, or manages
 * its own transaction (as the tool ran it: outside one).
 */
static void inspect(scan *s)
{
	varve_import *im = s->im;
	varve_diag_list *quiet = NULL;

	if (varve_diag_list_new(&quiet) != 0) {
		s->oom = true;
		return;
	}
	for (size_t i = 0; i < im->count && !s->oom; i++) {
		struct import_entry *e = &im->entries[i];
		const char *files[2] = { e->pub.file ? e->pub.file : e->pub.up,
					 e->pub.file ? NULL : e->pub.down };

		for (int f = 0; f < 2; f++) {
			varve_sqlfile *sql = NULL;
			char *path;

			if (!files[f] || !(path = join(s, s->dir, files[f])))
				continue;
			if (varve_sqlfile_read(&sql, path, NULL, e->pub.file != NULL,
					       f ? VARVE_SECTION_DOWN : VARVE_SECTION_UP,
					       quiet) != 0)
				continue;
			/* A reader that does not know sqlspec's named queries would
			 * run the downgrade inside the upgrade: refuse. */
			if (e->pub.file && im->tool == VARVE_IMPORT_SQLSPEC &&
			    !varve_sqlfile_has(sql, VARVE_SECTION_DOWN) && names_down(path)) {
				fail(s, path, 0, UNSUPPORTED, "varve's SQL reader does not split "
				     "sqlspec's '-- name: migrate-<version>-down' queries: the "
				     "downgrade would run inside the upgrade");
				varve_sqlfile_free(sql);
				continue;
			}
			for (int k = 0; k < 2; k++) {
				varve_section_kind kind = k ? VARVE_SECTION_DOWN : VARVE_SECTION_UP;
				varve_statement *st = NULL;
				size_t count = 0, len;
				const char *text = varve_sqlfile_text(sql, kind, &len);

				if (!text)
					continue;
				if (kind == VARVE_SECTION_UP && f == 0 &&
				    varve_checksum(e->checksum, text, len) != 0)
					e->checksum[0] = '\0';
				if (varve_sqlfile_statements(sql, kind, &st, &count, quiet) != 0)
					continue;
				for (size_t j = 0; j < count && e->pub.transaction; j++) {
					if (st[j].needs_no_transaction || st[j].transaction_control) {
						e->pub.transaction = false;
						e->pub.note = st[j].transaction_control
							? "the file manages its own transaction"
							: "a statement that cannot run in a transaction block";
					}
				}
				free(st);
			}
			varve_sqlfile_free(sql);
		}
	}
	varve_diag_list_free(quiet);
}

static void put_scalar(varve_buf *b, const char *v, bool force)
{
	varve_rewrite__scalar(b, v, '"', force);
}

static int render(varve_import *im)
{
	varve_buf b = VARVE_BUF_INIT;

	varve_buf_printf(&b, "# Written by `varve import --from %s` from %s's files (unchanged).\n",
			 varve_import_tool_name(im->tool), varve_import_tool_name(im->tool));
	varve_buf_puts(&b, "varve: 1\ndirectory: ");
	put_scalar(&b, im->directory, false);
	varve_buf_puts(&b, im->count ? "\nmigrations:\n" : "\nmigrations: []\n");
	for (size_t i = 0; i < im->count; i++) {
		const varve_import_entry *e = &im->entries[i].pub;

		varve_buf_puts(&b, "  - revision: ");
		put_scalar(&b, e->revision, true);
		if (strcmp(e->revision, e->version) != 0) {
			varve_buf_printf(&b, "  # %s ", varve_import_tool_name(im->tool));
			/* A comment ends at the line: keep it to one. */
			for (const char *c = e->version; *c; c++)
				varve_buf_putc(&b, (*c == '\n' || *c == '\r') ? ' ' : *c);
		}
		varve_buf_puts(&b, "\n    down_revision: ");
		if (e->parent_count == 0)
			varve_buf_puts(&b, "null");
		else if (e->parent_count == 1)
			put_scalar(&b, e->parents[0], true);
		else
			for (size_t k = 0; k < e->parent_count; k++) {
				varve_buf_puts(&b, k ? ", " : "[");
				put_scalar(&b, e->parents[k], true);
				if (k + 1 == e->parent_count)
					varve_buf_putc(&b, ']');
			}
		if (e->description) {
			varve_buf_puts(&b, "\n    description: ");
			put_scalar(&b, e->description, false);
		}
		if (e->file) {
			varve_buf_puts(&b, "\n    file: ");
			put_scalar(&b, e->file, strchr(e->file, ' ') != NULL);
		}
		if (e->up) {
			varve_buf_puts(&b, "\n    up: ");
			put_scalar(&b, e->up, strchr(e->up, ' ') != NULL);
		}
		if (e->down) {
			varve_buf_puts(&b, "\n    down: ");
			put_scalar(&b, e->down, strchr(e->down, ' ') != NULL);
		}
		if (!e->transaction) {
			varve_buf_puts(&b, "\n    transaction: false");
			if (e->note) {
				varve_buf_puts(&b, "  # ");
				varve_buf_puts(&b, e->note);
			}
		}
		varve_buf_putc(&b, '\n');
	}
	if (b.oom) {
		varve_buf_dispose(&b);
		return varve_error__oom();
	}
	im->yaml_len = b.len;
	im->yaml = varve_buf_detach(&b);
	return 0;
}

/*
 * The folder relative to the manifest's: both resolved (the manifest's
 * folder must exist), the folder inside it. VARVE_EINVALID when it is not.
 */
static int relative_dir(scan *s, const char *base, const char *dir)
{
	char rb[PATH_MAX], rd[PATH_MAX];
	size_t n;

	if (!realpath(base, rb))
		return varve_error__set(VARVE_EIO, "cannot read '%s': %s", base, strerror(errno));
	if (!realpath(dir, rd))
		return varve_error__set(VARVE_EIO, "cannot read '%s': %s", dir, strerror(errno));
	n = strlen(rb);
	if (strcmp(rb, "/") == 0)
		n = 0;
	if (strcmp(rd, rb) == 0) {
		s->im->directory = ".";
	} else if (strncmp(rd, rb, n) == 0 && rd[n] == '/') {
		s->im->directory = sdup0(s, rd + n + 1);
	} else {
		return varve_error__set(VARVE_EINVALID,
			"'%s' is not inside '%s', the manifest's folder: a manifest's "
			"directory must stay inside the project", dir, base);
	}
	return s->oom ? varve_error__oom() : 0;
}

int varve_import_plan(varve_import **out, const char *manifest_path,
		      const char *directory, varve_import_tool tool,
		      varve_diag_list *diags)
{
	varve_import *im = calloc(1, sizeof(*im));
	scan s = { im, diags, directory, NULL, 0, false, false };
	const char *slash;
	const char *reason;
	int error = 0;

	*out = NULL;
	if (!im)
		return varve_error__oom();
	im->tool = tool;
	im->manifest_path = sdup0(&s, manifest_path);
	slash = strrchr(manifest_path, '/');
	im->base = slash ? sdup(&s, manifest_path, slash == manifest_path ? 1 : (size_t)(slash - manifest_path))
			 : ".";
	im->dir_user = sdup0(&s, directory);
	if (s.oom) {
		error = varve_error__oom();
		goto done;
	}
	if ((error = relative_dir(&s, im->base, directory)) != 0)
		goto done;
	if (varve_path__check(im->base, im->directory, &reason) != 0) {
		error = varve_error__set(VARVE_EINVALID, "'%s': %s", directory, reason);
		goto done;
	}
	if ((error = list_dir(&s, directory, im->base, im->directory)) != 0)
		goto done;
	if (tool == VARVE_IMPORT_AUTO) {
		if ((error = detect(&s, &im->tool)) != 0)
			goto done;
	} else {
		im->reason = "--from";
	}
	switch (im->tool) {
	case VARVE_IMPORT_PYCOPG: scan_pycopg(&s); break;
	case VARVE_IMPORT_SQLSPEC: scan_sqlspec(&s); break;
	case VARVE_IMPORT_MANTICORE: scan_manticore(&s); break;
	case VARVE_IMPORT_GOLANG_MIGRATE: scan_golang_migrate(&s); break;
	case VARVE_IMPORT_DBMATE: scan_dbmate(&s); break;
	case VARVE_IMPORT_GOOSE: scan_goose(&s); break;
	case VARVE_IMPORT_FLYWAY: scan_flyway(&s); break;
	case VARVE_IMPORT_SQITCH: {
		char *plan = join(&s, directory, "sqitch.plan");

		if (plan)
			scan_sqitch(&s, plan);
		/* deploy/ and revert/ files must stay inside too. */
		for (size_t i = 0; i < im->count && !s.oom; i++) {
			struct import_entry *e = &im->entries[i];
			const char *files[2] = { e->pub.up, e->pub.down };

			for (int f = 0; f < 2; f++)
				if (files[f] && varve_path__check_under(im->base, im->directory,
									files[f], &reason) != 0)
					fail(&s, join(&s, directory, files[f]), 0, ESCAPE,
					     "%s: an imported file must stay inside the project",
					     reason);
		}
		break;
	}
	case VARVE_IMPORT_AUTO: break;
	}
	if (!s.oom)
		order(&s);
	if (!s.oom && !s.failed)
		link_entries(&s);
	if (!s.oom && !s.failed)
		inspect(&s);
	if (s.oom) {
		error = varve_error__oom();
		goto done;
	}
	if (s.failed) {
		error = varve_error__set(VARVE_EINVALID, "cannot import '%s' as %s: see the "
					 "errors above; nothing written", directory,
					 varve_import_tool_name(im->tool));
		goto done;
	}
	if ((error = render(im)) != 0)
		goto done;
	*out = im;
	im = NULL;
done:
	free(s.names);
	varve_import_free(im);
	return error;
}

void varve_import_free(varve_import *im)
{
	if (!im)
		return;
	free(im->entries);
	free(im->applied);
	free(im->yaml);
	varve_arena_dispose(&im->arena);
	free(im);
}

varve_import_tool varve_import_tool_used(const varve_import *im)
{
	return im->tool;
}

const char *varve_import_reason(const varve_import *im)
{
	return im->reason;
}

const char *varve_import_directory(const varve_import *im)
{
	return im->directory;
}

size_t varve_import_count(const varve_import *im)
{
	return im->count;
}

const varve_import_entry *varve_import_at(const varve_import *im, size_t i)
{
	assert(i < im->count);
	return &im->entries[i].pub;
}

const char *varve_import_yaml(const varve_import *im, size_t *len)
{
	if (len)
		*len = im->yaml_len;
	return im->yaml;
}

int varve_import_manifest(varve_manifest **out, const varve_import *im,
			  varve_diag_list *diags)
{
	return varve_manifest__load_buffer(out, im->manifest_path, im->yaml, im->yaml_len, diags);
}

int varve_import_write(const varve_import *im, bool force)
{
	char *tmp = NULL;
	int error;

	if (force)
		return varve_rewrite__write_file(im->manifest_path, im->yaml, im->yaml_len, 0644);
	if (access(im->manifest_path, F_OK) == 0)
		return varve_error__set(VARVE_EEXISTS, "'%s' exists: pass --force to replace it",
					im->manifest_path);
	if ((error = varve_rewrite__stage_file(&tmp, im->manifest_path, im->yaml, im->yaml_len,
					       0644)) != 0)
		return error;
	/* link() refuses to replace: a manifest that appeared since stays. */
	if (link(tmp, im->manifest_path) != 0) {
		int e = errno;

		varve_rewrite__discard(tmp);
		if (e == EEXIST)
			return varve_error__set(VARVE_EEXISTS, "'%s' exists: pass --force to "
						"replace it", im->manifest_path);
		return varve_error__set(VARVE_EIO, "cannot write '%s': %s", im->manifest_path,
					strerror(e));
	}
	varve_rewrite__discard(tmp);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Applied state: the tool's version table
 */

struct tool_table {
	const char *table;            /* the default */
	const char *const *required;  /* columns that must be there */
	const char *const *known;     /* every column the tool writes; NULL: any */
};

static const char *const pycopg_cols[] = { "version", "name", "applied_at", NULL };
static const char *const sqlspec_req[] = { "version_num", NULL };
static const char *const sqlspec_cols[] = {
	"version_num", "version_type", "execution_sequence", "description", "applied_at",
	"execution_time_ms", "checksum", "applied_by", "replaces", NULL };
static const char *const manticore_cols[] = { "version", "description", "applied_at", NULL };
static const char *const golang_cols[] = { "version", "dirty", NULL };
static const char *const dbmate_cols[] = { "version", NULL };
static const char *const goose_cols[] = { "id", "version_id", "is_applied", "tstamp", NULL };
static const char *const flyway_cols[] = {
	"installed_rank", "version", "description", "type", "script", "checksum",
	"installed_by", "installed_on", "execution_time", "success", NULL };
static const char *const flyway_req[] = { "installed_rank", "version", "type", "success", NULL };
static const char *const sqitch_req[] = { "change_id", "change", "project", "committed_at", NULL };

static const struct tool_table tool_tables[] = {
	[VARVE_IMPORT_AUTO] = { NULL, NULL, NULL },
	[VARVE_IMPORT_PYCOPG] = { "schema_migrations", pycopg_cols, pycopg_cols },
	[VARVE_IMPORT_SQLSPEC] = { "ddl_migrations", sqlspec_req, sqlspec_cols },
	[VARVE_IMPORT_MANTICORE] = { "_migrations", manticore_cols, manticore_cols },
	[VARVE_IMPORT_GOLANG_MIGRATE] = { "schema_migrations", golang_cols, golang_cols },
	[VARVE_IMPORT_DBMATE] = { "schema_migrations", dbmate_cols, dbmate_cols },
	[VARVE_IMPORT_GOOSE] = { "goose_db_version", goose_cols, goose_cols },
	[VARVE_IMPORT_FLYWAY] = { "flyway_schema_history", flyway_req, flyway_cols },
	[VARVE_IMPORT_SQITCH] = { "sqitch.changes", sqitch_req, NULL },
};

static bool int_versions(varve_import_tool t)
{
	return t == VARVE_IMPORT_PYCOPG || t == VARVE_IMPORT_MANTICORE ||
	       t == VARVE_IMPORT_GOLANG_MIGRATE || t == VARVE_IMPORT_GOOSE;
}

static bool listed(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

/* A query on the tool's connection; VARVE_ERROR with the server's words. */
static int query(varve_db *db, PGresult **out, const char *sql, int n,
		 const char *const *params)
{
	PGresult *res = PQexecParams(varve_db_conn(db), sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *why = PQresultErrorMessage(res);
		int error = varve_error__set(varve_db__failure(db, VARVE_ERROR),
					     "cannot read the version table: %.*s",
					     (int)strcspn(why, "\n"), why);

		PQclear(res);
		return error;
	}
	*out = res;
	return 0;
}

/* The table's oid and its quoted name, or VARVE_ENOTFOUND. */
static int find_table(varve_import *im, varve_db *db, const char *table, PGresult **cols,
		      bool quiet)
{
	const char *params[] = { table };
	PGresult *res = NULL;
	int error;

	error = query(db, &res,
		      "SELECT c.oid::regclass::text, a.attname FROM pg_class c "
		      "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
		      "AND NOT a.attisdropped WHERE c.oid = to_regclass($1) ORDER BY a.attnum",
		      1, params);
	if (error)
		return error;
	if (PQntuples(res) == 0) {
		PQclear(res);
		if (quiet)
			return VARVE_ENOTFOUND;
		return varve_error__set(VARVE_ENOTFOUND,
			"no table '%s' in %s: has %s run on this database? (or name its table "
			"with --table)", table, varve_db_display(db), varve_import_tool_name(im->tool));
	}
	im->applied_table = varve_arena_strdup(&im->arena, PQgetvalue(res, 0, 0));
	*cols = res;
	return im->applied_table ? 0 : varve_error__oom();
}

/* Missing or extra columns: it is not the tool's table. */
static int check_columns(varve_import *im, const struct tool_table *tt, PGresult *cols,
			 const char *table)
{
	varve_buf why = VARVE_BUF_INIT;
	int error = 0;

	for (const char *const *r = tt->required; *r; r++) {
		bool found = false;

		for (int i = 0; i < PQntuples(cols); i++)
			found |= strcmp(PQgetvalue(cols, i, 1), *r) == 0;
		if (!found)
			varve_buf_printf(&why, "%slacks column '%s'", why.len ? ", " : "", *r);
	}
	for (int i = 0; tt->known && i < PQntuples(cols); i++)
		if (!PQgetisnull(cols, i, 1) && !listed(tt->known, PQgetvalue(cols, i, 1)))
			varve_buf_printf(&why, "%shas column '%s', which %s does not write",
					 why.len ? ", " : "", PQgetvalue(cols, i, 1),
					 varve_import_tool_name(im->tool));
	if (why.oom)
		error = varve_error__oom();
	else if (why.len)
		error = varve_error__set(VARVE_EINVALID,
			"'%s' is not %s's version table: it %s; nothing written", table,
			varve_import_tool_name(im->tool), why.ptr);
	varve_buf_dispose(&why);
	return error;
}

static bool has_column(PGresult *cols, const char *name)
{
	for (int i = 0; i < PQntuples(cols); i++)
		if (strcmp(PQgetvalue(cols, i, 1), name) == 0)
			return true;
	return false;
}

/* The tool's key of a version read from its table. */
static const char *row_key(scan *s, const char *v)
{
	if (int_versions(s->im->tool)) {
		size_t n = strlen(v);
		const char *p = strip_zeros(v, &n);

		return sdup(s, p, n);
	}
	if (s->im->tool == VARVE_IMPORT_FLYWAY) {
		const char *k = flyway_key(s, v, strlen(v));

		return k ? k : v;
	}
	return v;
}

static int add_applied(scan *s, const char *version, size_t entry, bool dirty,
		       unsigned char *taken)
{
	varve_import *im = s->im;
	struct import_applied *a;

	if (entry != (size_t)-1) {
		if (taken[entry])
			return 0;
		taken[entry] = 1;
	}
	if (im->applied_count == im->applied_cap) {
		size_t cap = im->applied_cap ? im->applied_cap * 2 : 64;
		struct import_applied *grown = realloc(im->applied, cap * sizeof(*grown));

		if (!grown)
			return varve_error__oom();
		im->applied = grown;
		im->applied_cap = cap;
	}
	a = &im->applied[im->applied_count++];
	memset(a, 0, sizeof(*a));
	a->entry = entry;
	a->pub.version = sdup0(s, version);
	a->pub.revision = entry == (size_t)-1 ? NULL : im->entries[entry].pub.revision;
	a->pub.dirty = dirty;
	return s->oom ? varve_error__oom() : 0;
}

/* Every entry at or below `key` in the tool's order (golang-migrate's one
 * row, Flyway's baseline), oldest first. */
static int add_up_to(scan *s, const char *key, unsigned char *taken)
{
	varve_import *im = s->im;

	for (size_t i = 0; i < im->count; i++) {
		const char *k = im->entries[i].key;
		int c = im->tool == VARVE_IMPORT_FLYWAY
			? flyway_cmp(k, key) : numcmp(k, strlen(k), key, strlen(key));
		int error;

		if (c >= 0)
			break;
		if ((error = add_applied(s, im->entries[i].pub.version, i, false, taken)) != 0)
			return error;
	}
	return 0;
}

int varve_import_read_applied(varve_import *im, varve_db *db, const char *table)
{
	const struct tool_table *tt = &tool_tables[im->tool];
	scan s = { im, NULL, im->dir_user, NULL, 0, false, false };
	varve_strmap keys = VARVE_STRMAP_INIT;
	varve_buf q = VARVE_BUF_INIT;
	PGresult *cols = NULL, *rows = NULL;
	unsigned char *taken = NULL;
	const char *params[1] = { im->project };
	int error;

	im->applied_count = 0;
	if (table) {
		error = find_table(im, db, table, &cols, false);
	} else if (im->tool == VARVE_IMPORT_SQLSPEC) {
		/* The package's default, else the docs' name. */
		if ((error = find_table(im, db, "ddl_migrations", &cols, true)) == VARVE_ENOTFOUND)
			error = find_table(im, db, "sqlspec_version", &cols, true);
		if (error == VARVE_ENOTFOUND)
			error = varve_error__set(VARVE_ENOTFOUND,
				"no table 'ddl_migrations' or 'sqlspec_version' in %s: has sqlspec "
				"run on this database? (or name its table with --table)",
				varve_db_display(db));
		table = im->applied_table;
	} else {
		table = tt->table;
		error = find_table(im, db, table, &cols, false);
	}
	if (error || (error = check_columns(im, tt, cols, table)) != 0)
		goto done;
	switch (im->tool) {
	case VARVE_IMPORT_PYCOPG:
	case VARVE_IMPORT_MANTICORE:
		varve_buf_printf(&q, "SELECT version::text, false, applied_at::timestamptz::text, '' "
				 "FROM %s ORDER BY applied_at, version", im->applied_table);
		break;
	case VARVE_IMPORT_SQLSPEC:
		varve_buf_printf(&q, "SELECT version_num::text, false, %s, '' FROM %s ORDER BY %s "
				 "version_num", has_column(cols, "applied_at")
				 ? "applied_at::timestamptz::text" : "NULL", im->applied_table,
				 has_column(cols, "execution_sequence") ? "execution_sequence," :
				 has_column(cols, "applied_at") ? "applied_at," : "");
		break;
	case VARVE_IMPORT_GOLANG_MIGRATE:
		varve_buf_printf(&q, "SELECT version::text, dirty, NULL, '' FROM %s", im->applied_table);
		break;
	case VARVE_IMPORT_DBMATE:
		varve_buf_printf(&q, "SELECT version::text, false, NULL, '' FROM %s ORDER BY version",
				 im->applied_table);
		break;
	case VARVE_IMPORT_GOOSE:
		/* goose appends a row per up and down: the latest row wins. */
		varve_buf_printf(&q, "SELECT version_id::text, false, tstamp::timestamptz::text, '' "
				 "FROM (SELECT DISTINCT ON (version_id) version_id, is_applied, id, "
				 "tstamp FROM %s ORDER BY "
				 "version_id, id DESC) t WHERE is_applied AND version_id <> 0 "
				 "ORDER BY id", im->applied_table);
		break;
	case VARVE_IMPORT_FLYWAY:
		/* The latest row of each version; undone ones are not applied. */
		varve_buf_printf(&q, "SELECT version, NOT success, installed_on::timestamptz::text, "
				 "type FROM (SELECT DISTINCT ON (version) version, success, type, "
				 "installed_rank, installed_on FROM %s WHERE "
				 "version IS NOT NULL ORDER BY version, installed_rank DESC) t "
				 "WHERE type NOT LIKE 'UNDO%%' AND type NOT IN ('DELETE', 'SCHEMA') "
				 "ORDER BY installed_rank", im->applied_table);
		break;
	case VARVE_IMPORT_SQITCH:
		varve_buf_printf(&q, "SELECT change, false, committed_at::text, '' FROM %s %s "
				 "ORDER BY committed_at",
				 im->applied_table, im->project ? "WHERE project = $1" : "");
		break;
	case VARVE_IMPORT_AUTO:
		break;
	}
	if (q.oom) {
		error = varve_error__oom();
		goto done;
	}
	if ((error = query(db, &rows, q.ptr, im->tool == VARVE_IMPORT_SQITCH && im->project,
			   params)) != 0)
		goto done;
	if (im->count && !(taken = calloc(im->count, 1))) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < im->count; i++) {
		size_t existing;

		if (varve_strmap_put(&keys, im->entries[i].key, i, &existing) < 0) {
			error = varve_error__oom();
			goto done;
		}
	}
	if (im->tool == VARVE_IMPORT_GOLANG_MIGRATE && PQntuples(rows) > 1) {
		error = varve_error__set(VARVE_EINVALID, "'%s' holds %d rows: golang-migrate "
					 "keeps one; nothing written", im->applied_table,
					 PQntuples(rows));
		goto done;
	}
	for (int r = 0; r < PQntuples(rows) && !error; r++) {
		const char *v = PQgetvalue(rows, r, 0);
		bool dirty = strcmp(PQgetvalue(rows, r, 1), "t") == 0;
		const char *key = row_key(&s, v);
		size_t at = (size_t)-1;

		if (!key) {
			error = varve_error__oom();
			break;
		}
		/* golang-migrate's one row and Flyway's baseline stand for what
		 * lies below them too. */
		if ((im->tool == VARVE_IMPORT_GOLANG_MIGRATE ||
		     (im->tool == VARVE_IMPORT_FLYWAY &&
		      strcmp(PQgetvalue(rows, r, 3), "BASELINE") == 0)) &&
		    (error = add_up_to(&s, key, taken)) != 0)
			break;
		if (im->tool == VARVE_IMPORT_FLYWAY &&
		    strcmp(PQgetvalue(rows, r, 3), "BASELINE") == 0 &&
		    !varve_strmap_get(&keys, key, &at))
			continue;
		varve_strmap_get(&keys, key, &at);
		error = add_applied(&s, v, at, dirty, taken);
		if (!error && im->applied_count && im->applied[im->applied_count - 1].entry == at &&
		    !PQgetisnull(rows, r, 2))
			im->applied[im->applied_count - 1].applied_at =
				sdup0(&s, PQgetvalue(rows, r, 2));
	}
done:
	free(taken);
	varve_strmap_dispose(&keys);
	varve_buf_dispose(&q);
	PQclear(cols);
	PQclear(rows);
	return error;
}

size_t varve_import_applied_count(const varve_import *im)
{
	return im->applied_count;
}

const varve_import_applied *varve_import_applied_at(const varve_import *im, size_t i)
{
	assert(i < im->applied_count);
	return &im->applied[i].pub;
}

const char *varve_import_applied_table(const varve_import *im)
{
	return im->applied_table;
}

/* A text[] literal element: NULL, or quoted with \ and " escaped. */
static void put_element(varve_buf *b, const char *v)
{
	if (b->len > 1)
		varve_buf_putc(b, ',');
	if (!v) {
		varve_buf_puts(b, "NULL");
		return;
	}
	varve_buf_putc(b, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			varve_buf_putc(b, '\\');
		varve_buf_putc(b, *v);
	}
	varve_buf_putc(b, '"');
}

int varve_import_record(varve_import *im, varve_db *db, bool force)
{
	varve_buf arr[5] = { VARVE_BUF_INIT, VARVE_BUF_INIT, VARVE_BUF_INIT, VARVE_BUF_INIT,
			     VARVE_BUF_INIT };
	varve_buf q = VARVE_BUF_INIT, missing = VARVE_BUF_INIT;
	size_t nmissing = 0, present, n = 0;
	bool begun = false;
	int error = 0;

	for (size_t i = 0; i < im->applied_count; i++)
		if (im->applied[i].entry == (size_t)-1 && nmissing++ < 5)
			varve_buf_printf(&missing, "%s'%s'", nmissing > 1 ? ", " : "",
					 im->applied[i].pub.version);
	if (nmissing && !force) {
		error = varve_error__set(VARVE_EINVALID,
			"%zu applied version%s %s no file: %s%s; nothing written (--force "
			"records the others)", nmissing, nmissing == 1 ? "" : "s",
			nmissing == 1 ? "has" : "have", missing.ptr ? missing.ptr : "",
			nmissing > 5 ? ", ..." : "");
		goto done;
	}
	if (!db->locked && (error = varve_db_lock(db, db->lock_wait)) != 0)
		goto done;
	varve_db_applied(db, &present);
	if (present && !force) {
		error = varve_error__set(VARVE_EINVALID,
			"%s already records %zu migration%s; nothing written (--force records "
			"only what it lacks)", varve_db_table(db), present, present == 1 ? "" : "s");
		goto done;
	}
	for (int k = 0; k < 5; k++)
		varve_buf_putc(&arr[k], '{');
	for (size_t i = 0; i < im->applied_count; i++) {
		struct import_applied *a = &im->applied[i];
		const struct import_entry *e;

		a->pub.recorded = false;
		if (a->entry == (size_t)-1 || varve_db_find(db, a->pub.revision))
			continue;
		e = &im->entries[a->entry];
		put_element(&arr[0], e->pub.revision);
		put_element(&arr[1], e->pub.description);
		put_element(&arr[2], e->checksum[0] ? e->checksum : NULL);
		put_element(&arr[3], a->pub.dirty ? "dirty" : "applied");
		put_element(&arr[4], a->applied_at);
		n++;
	}
	for (int k = 0; k < 5; k++)
		varve_buf_putc(&arr[k], '}');
	/* When the tool kept it, the time it applied the migration. */
	varve_buf_printf(&q, "INSERT INTO %s (revision, description, checksum, state, "
			 "applied_at) SELECT r, d, c, s, coalesce(a, now()) FROM unnest($1::text[], "
			 "$2::text[], $3::text[], $4::text[], $5::timestamptz[]) WITH ORDINALITY "
			 "AS t(r, d, c, s, a, o) ORDER BY o",
			 varve_db_table(db));
	if (q.oom || arr[0].oom || arr[1].oom || arr[2].oom || arr[3].oom || arr[4].oom) {
		error = varve_error__oom();
		goto done;
	}
	if (!n)
		goto done;
	if ((error = varve_db__ensure_table(db)) != 0 ||
	    (error = varve_db__exec(db, "BEGIN", 0, NULL, NULL)) != 0)
		goto done;
	begun = true;
	{
		const char *params[5] = { arr[0].ptr, arr[1].ptr, arr[2].ptr, arr[3].ptr,
					  arr[4].ptr };

		if ((error = varve_db__exec(db, q.ptr, 5, params, NULL)) != 0 ||
		    (error = varve_db__exec(db, "COMMIT", 0, NULL, NULL)) != 0)
			goto done;
	}
	begun = false;
	for (size_t i = 0; i < im->applied_count; i++)
		im->applied[i].pub.recorded = im->applied[i].entry != (size_t)-1 &&
					      !varve_db_find(db, im->applied[i].pub.revision);
	error = varve_db__reload(db);
done:
	if (begun && PQstatus(varve_db_conn(db)) == CONNECTION_OK)
		PQclear(PQexec(varve_db_conn(db), "ROLLBACK"));
	for (int k = 0; k < 5; k++)
		varve_buf_dispose(&arr[k]);
	varve_buf_dispose(&q);
	varve_buf_dispose(&missing);
	return error;
}
