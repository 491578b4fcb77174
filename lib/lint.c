/*
 * The safety lint (docs/check.md, "Safety lint"; lint.h says how the two
 * passes divide the work).
 *
 * Cost. `check` reads a 2-statement migration in about 15 µs; a parse
 * tree costs 10 µs (JSON) to 40 µs (protobuf) more per migration, so the
 * lint cannot parse every statement and stay within 15% of check. The
 * scanner's tokens, which check has already, decide first: a statement
 * that cannot fire (a SELECT, an INSERT, a CREATE TABLE without a suspect
 * column type, an index on a table this migration created) is done from
 * its tokens; only ALTER TABLE on a table that exists, renames, and CREATE
 * TABLE with a suspect type get a tree (libpg_query's JSON, read with
 * jansson), and positions come from the tree's `location`s or, for the
 * clauses that have none (ALTER TABLE's subcommands), from the tokens.
 *
 * Names. Tables are compared by their unqualified name, as the parser
 * folds it (lower case unless quoted): `public.users` and `users` are one
 * table. A migration that creates a table makes it new to the rest of that
 * migration; rules about locks and rewrites do not fire on a new table.
 */
#include "common.h"
#include "arena.h"
#include "diag.h"
#include "error.h"
#include "graph.h"
#include "lint.h"
#include "manifest.h"
#include "sqlfile.h"
#include "strmap.h"

#include <jansson.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <strings.h>

#define DOCS_URL "https://varve.dev/docs/lint/"

static const char *const codes[VARVE_LINT_COUNT] = {
	"require-concurrent-index",
	"require-concurrent-index-drop",
	"constraint-missing-not-valid",
	"adding-not-null-field",
	"adding-required-field",
	"volatile-default",
	"changing-column-type",
	"renaming-column",
	"renaming-table",
	"ban-drop-column",
	"ban-drop-table",
	"ban-drop-database",
	"ban-truncate",
	"adding-serial-primary-key",
	"unique-constraint-without-index",
	"prefer-bigint",
	"prefer-identity",
	"prefer-text",
	"prefer-timestamptz",
	"ban-char-field",
	"missing-lock-timeout",
	"enum-value-in-transaction",
	"vacuum-full",
	"cluster",
	"refresh-materialized-view",
	"allow-without-reason",
	"allow-unknown-code",
};

/* Rules that matter only on a table with many rows: check --database
 * leaves them out for a table under lint.small_table_rows. */
static bool size_dependent(int rule)
{
	switch (rule) {
	case VARVE_LINT_CONCURRENT_INDEX:
	case VARVE_LINT_NOT_VALID:
	case VARVE_LINT_NOT_NULL_FIELD:
	case VARVE_LINT_VOLATILE_DEFAULT:
	case VARVE_LINT_COLUMN_TYPE:
	case VARVE_LINT_SERIAL_PRIMARY_KEY:
	case VARVE_LINT_UNIQUE_CONSTRAINT:
	case VARVE_LINT_VACUUM_FULL:
	case VARVE_LINT_CLUSTER:
		return true;
	default:
		return false;
	}
}

/* Drops and TRUNCATE lose data: errors under --strict. */
static bool strict_error(int rule)
{
	return rule == VARVE_LINT_DROP_COLUMN || rule == VARVE_LINT_DROP_TABLE ||
	       rule == VARVE_LINT_DROP_DATABASE || rule == VARVE_LINT_TRUNCATE;
}

int varve_lint__rule(const char *code, size_t len)
{
	for (int i = 0; i < VARVE_LINT_COUNT; i++)
		if (strlen(codes[i]) == len && memcmp(codes[i], code, len) == 0)
			return i;
	return -1;
}

const char *varve_lint__code(int rule)
{
	assert(rule >= 0 && rule < VARVE_LINT_COUNT);
	return codes[rule];
}

/* ---------------------------------------------------------------------------
 * Events
 */

enum ev_kind {
	EV_FINDING,
	EV_CREATE,        /* `table` is created */
	EV_NOTNULL_CHECK, /* CHECK (`column` IS NOT NULL) named `name` on `table` */
	EV_VALIDATE,      /* VALIDATE CONSTRAINT `name` on `table` */
	EV_COLTYPE,       /* `column` of `table` is now of type `name` (col_type();
			   * "": unknown); no `column`: forget the table's columns */
};

typedef struct event {
	enum ev_kind kind;
	int rule;
	bool validated; /* EV_NOTNULL_CHECK: added without NOT VALID */
	unsigned line, column;
	const char *table; /* may be NULL for a finding */
	const char *name;
	const char *column_name;
	const char *message;
} event;

/* What a migration recorded, kept for the report: made only when there is
 * something to keep, so the many migrations without findings cost nothing. */
struct varve_lint_mig {
	const varve_migration *mig;
	char *display;
	event *ev;
	size_t n, cap;
};

/* Names this migration created, by kind: a table, an index, a
 * materialized view, a database. */
enum { N_TABLE = 't', N_INDEX = 'i', N_VIEW = 'v', N_DATABASE = 'd' };
/* A FOREIGN KEY or CHECK added NOT VALID in this migration's transaction
 * ("table\037constraint"). */
enum { N_NOT_VALID = 'n' };
/* A table created with a schema ("schema\037table"), and one created
 * without (its name): so that billing.invoices is not archive.invoices. */
enum { N_QUALIFIED = 'q', N_UNQUALIFIED = 'u' };

#define INLINE_NAMES 16
#define NAME_MAX_LEN 127

/* Reading one migration's upgrade (on the stack of check_section). */
typedef struct varve_lint_reader {
	varve_lint_mig *out; /* NULL until an event is recorded */
	const varve_manifest *m;
	const varve_migration *mig;
	const varve_sqlfile *file;
	varve_section_kind kind;
	const char *display; /* borrowed */
	bool transaction;
	bool creates;         /* record EV_CREATE (check --against needs them) */
	bool lock_timeout;    /* set before the statement being read */
	bool in_block;        /* transaction: false, between BEGIN and COMMIT */
	size_t prev_end;      /* end of the previous statement */
	size_t nnames;
	varve_strmap more;
	/* Enum values added in this transaction: value -> line of the ADD
	 * (keys malloc'd). */
	varve_strmap enum_values;
	uint32_t allowed; /* rules the comments before the statement allow */
	int error;
	/* The first names inline (kind, then the name), the rest in `more`
	 * (keys malloc'd: kind then name). Last: not cleared at the start. */
	char names[INLINE_NAMES][NAME_MAX_LEN + 2];
} reader;

static event *add_event(reader *lm, enum ev_kind kind)
{
	varve_lint_mig *out = lm->out;
	event *e;

	if (!out) {
		if (!(out = calloc(1, sizeof(*out))) || !(out->display = strdup(lm->display))) {
			free(out);
			lm->error = varve_error__oom();
			return NULL;
		}
		out->mig = lm->mig;
		lm->out = out;
	}
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 4;
		event *v = realloc(out->ev, cap * sizeof(*v));

		if (!v) {
			lm->error = varve_error__oom();
			return NULL;
		}
		out->ev = v;
		out->cap = cap;
	}
	e = &out->ev[out->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	return e;
}

/* A copy owned by the event (freed with the migration's record). */
static const char *keep(reader *lm, const char *s)
{
	char *copy;

	if (!s)
		return NULL;
	if (!(copy = strdup(s)))
		lm->error = varve_error__oom();
	return copy;
}

/*
 * A candidate finding of `rule` at byte `offset` of the section, about
 * `table` (NULL: none). Rules the comments before the statement allow are
 * left out here.
 */
static void finding(reader *lm, int rule, size_t offset, const char *table,
		    const char *fmt, ...) VARVE_PRINTF(5, 6);

static void finding(reader *lm, int rule, size_t offset, const char *table,
		    const char *fmt, ...)
{
	char message[512];
	va_list ap;
	event *e;

	if (lm->error || (lm->allowed & (UINT32_C(1) << rule)))
		return;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (!(e = add_event(lm, EV_FINDING)))
		return;
	e->rule = rule;
	varve_sqlfile_position(lm->file, lm->kind, offset, &e->line, &e->column);
	e->table = keep(lm, table);
	e->message = keep(lm, message);
}

static void fact(reader *lm, enum ev_kind kind, const char *table,
		 const char *name, const char *column, bool validated)
{
	event *e;

	if (lm->error || (kind == EV_CREATE && !lm->creates) || !(e = add_event(lm, kind)))
		return;
	e->table = keep(lm, table);
	e->name = keep(lm, name);
	e->column_name = keep(lm, column);
	e->validated = validated;
}

/* Whether this migration created `name` of `kind` before the statement. */
static bool created(const reader *lm, char kind, const char *name)
{
	char key[NAME_MAX_LEN + 2];

	size_t len = strnlen(name, NAME_MAX_LEN);

	for (size_t i = 0; i < lm->nnames && i < INLINE_NAMES; i++)
		if (lm->names[i][0] == kind && strncmp(lm->names[i] + 1, name, NAME_MAX_LEN) == 0)
			return true;
	if (lm->nnames <= INLINE_NAMES)
		return false;
	key[0] = kind;
	memcpy(key + 1, name, len);
	key[len + 1] = '\0';
	return varve_strmap_get(&lm->more, key, NULL);
}

static void remember(reader *lm, char kind, const char *name)
{
	char *key;

	if (lm->error || !name || created(lm, kind, name))
		return;
	if (lm->nnames < INLINE_NAMES) {
		size_t len = strnlen(name, NAME_MAX_LEN);

		lm->names[lm->nnames][0] = kind;
		memcpy(lm->names[lm->nnames] + 1, name, len);
		lm->names[lm->nnames][len + 1] = '\0';
		lm->nnames++;
		return;
	}
	if (!(key = malloc(strlen(name) + 2))) {
		lm->error = varve_error__oom();
		return;
	}
	key[0] = kind;
	memcpy(key + 1, name, strlen(name) + 1);
	if (varve_strmap_put(&lm->more, key, 0, NULL) < 0) {
		free(key);
		lm->error = VARVE_ENOMEM;
		return;
	}
	lm->nnames++;
}

/* remember() a table created as [schema.]name. */
static void remember_table(reader *lm, const char *schema, const char *name)
{
	char key[NAME_MAX_LEN + 1];
	int n = snprintf(key, sizeof(key), "%s\037%s", schema, name);

	remember(lm, N_TABLE, name);
	if (!schema[0])
		remember(lm, N_UNQUALIFIED, name);
	else if (n > 0 && (size_t)n < sizeof(key))
		remember(lm, N_QUALIFIED, key);
	else
		remember(lm, N_UNQUALIFIED, name); /* too long to tell: as before */
}

/* Whether this migration created the table [schema.]name: a name without
 * a schema matches any table of that name, one with a schema a table
 * created with the same schema or without one. */
static bool created_table(const reader *lm, const char *schema, const char *name)
{
	char key[NAME_MAX_LEN + 1];
	int n;

	if (!created(lm, N_TABLE, name))
		return false;
	if (!schema[0] || created(lm, N_UNQUALIFIED, name))
		return true;
	n = snprintf(key, sizeof(key), "%s\037%s", schema, name);
	return n > 0 && (size_t)n < sizeof(key) && created(lm, N_QUALIFIED, key);
}

/* An enum value added in this transaction, at `line`. */
static void remember_value(reader *lm, const char *value, unsigned line)
{
	char *key;

	if (lm->error || varve_strmap_get(&lm->enum_values, value, NULL))
		return;
	if (!(key = strdup(value))) {
		lm->error = varve_error__oom();
		return;
	}
	if (varve_strmap_put(&lm->enum_values, key, line, NULL) < 0) {
		free(key);
		lm->error = VARVE_ENOMEM;
	}
}

static void map_dispose(varve_strmap *map)
{
	for (size_t i = 0; i < map->cap; i++)
		free((char *)map->keys[i]);
	varve_strmap_dispose(map);
}

int varve_lint__begin(varve_lint_reader **rp, const varve_manifest *m,
		      const varve_migration *mig, const varve_sqlfile *file,
		      varve_section_kind kind, const char *display, bool transaction,
		      bool creates)
{
	reader *lm = *rp;

	/* One reader serves every migration a thread reads. */
	if (!lm && !(lm = *rp = malloc(sizeof(*lm))))
		return varve_error__oom();
	/* Every field but the names, which nnames counts. */
	memset(lm, 0, offsetof(reader, names));
	lm->m = m;
	lm->mig = mig;
	lm->file = file;
	lm->kind = kind;
	lm->display = display;
	lm->transaction = transaction;
	lm->creates = creates;
	/* The runner sets database.lock_timeout for every migration. */
	lm->lock_timeout = m->lock_timeout != NULL;
	return 0;
}

varve_lint_mig *varve_lint__end(varve_lint_reader *lm)
{
	varve_lint_mig *out;

	if (!lm)
		return NULL;
	out = lm->out;
	lm->out = NULL;
	map_dispose(&lm->more);
	map_dispose(&lm->enum_values);
	return out;
}

void varve_lint__reader_free(varve_lint_reader *lm)
{
	varve_lint__mig_free(varve_lint__end(lm));
	free(lm);
}

void varve_lint__mig_free(varve_lint_mig *rec)
{
	if (!rec)
		return;
	for (size_t i = 0; i < rec->n; i++) {
		free((char *)rec->ev[i].table);
		free((char *)rec->ev[i].name);
		free((char *)rec->ev[i].column_name);
		free((char *)rec->ev[i].message);
	}
	free(rec->ev);
	free(rec->display);
	free(rec);
}

/* ---------------------------------------------------------------------------
 * Tokens
 */

typedef struct stmt {
	const char *sql; /* the section */
	const varve_token *v;
	size_t n;
	size_t offset; /* of the statement in the section */
} stmt;

static bool tok_word(const stmt *s, size_t i, const char *w)
{
	size_t len;

	if (i >= s->n)
		return false;
	len = (size_t)(s->v[i].end - s->v[i].start);
	return len == strlen(w) && strncasecmp(s->sql + s->v[i].start, w, len) == 0;
}

static int32_t kind_at(const stmt *s, size_t i)
{
	return i < s->n ? s->v[i].kind : 0;
}

static size_t off_at(const stmt *s, size_t i)
{
	return i < s->n ? (size_t)s->v[i].start : s->offset;
}

/*
 * The name token at `i` as the parser folds it: a quoted name without its
 * quotes, any other in lower case. Writes at most `size` bytes.
 */
static void tok_name(const stmt *s, size_t i, char *out, size_t size)
{
	const char *p = s->sql + s->v[i].start;
	size_t len = (size_t)(s->v[i].end - s->v[i].start), k = 0;

	if (len >= 2 && p[0] == '"') {
		for (size_t j = 1; j + 1 < len && k + 1 < size; j++) {
			out[k++] = p[j];
			if (p[j] == '"' && p[j + 1] == '"')
				j++;
		}
	} else {
		for (size_t j = 0; j < len && k + 1 < size; j++) {
			char c = p[j];

			out[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
	}
	out[k] = '\0';
}

/* A token that can be a name: an identifier or a keyword, not punctuation,
 * a literal or a parameter. */
static bool is_name(const stmt *s, size_t i)
{
	int32_t k = kind_at(s, i);

	return i < s->n && (k == PG_QUERY__TOKEN__IDENT || k == PG_QUERY__TOKEN__UIDENT ||
			    (k >= PG_QUERY__TOKEN__ABORT_P && k <= PG_QUERY__TOKEN__ZONE));
}

/*
 * A possibly qualified name starting at *i: its last part into `out`, *i
 * past it. False when there is no name there.
 */
static bool read_name(const stmt *s, size_t *i, char *out, size_t size)
{
	size_t j = *i;

	if (!is_name(s, j))
		return false;
	while (kind_at(s, j + 1) == PG_QUERY__TOKEN__ASCII_46 && is_name(s, j + 2))
		j += 2;
	tok_name(s, j, out, size);
	*i = j + 1;
	return true;
}

/* read_name, and the schema before the last part into `schema` ("" when
 * the name has none). */
static bool read_qname(const stmt *s, size_t *i, char *out, size_t size, char *schema,
		       size_t ssize)
{
	size_t j = *i;

	schema[0] = '\0';
	if (!read_name(s, i, out, size))
		return false;
	while (kind_at(s, j + 1) == PG_QUERY__TOKEN__ASCII_46 && is_name(s, j + 2)) {
		tok_name(s, j, schema, ssize);
		j += 2;
	}
	return true;
}

/* Skip IF [NOT] EXISTS at *i. */
static void skip_if_exists(const stmt *s, size_t *i)
{
	if (kind_at(s, *i) != PG_QUERY__TOKEN__IF_P)
		return;
	(*i)++;
	if (kind_at(s, *i) == PG_QUERY__TOKEN__NOT)
		(*i)++;
	if (kind_at(s, *i) == PG_QUERY__TOKEN__EXISTS)
		(*i)++;
}

/* ---------------------------------------------------------------------------
 * Allow comments: `-- varve:allow CODE reason` on the lines before a
 * statement.
 */

static bool is_hspace(char c)
{
	return c == ' ' || c == '\t';
}

static void allow_line(reader *lm, const char *sql, size_t start, size_t end)
{
	static const char tag[] = "varve:allow";
	size_t p = start;

	while (p < end && is_hspace(sql[p]))
		p++;
	if (end - p < 2 || sql[p] != '-' || sql[p + 1] != '-')
		return;
	p += 2;
	while (p < end && is_hspace(sql[p]))
		p++;
	if (end - p < sizeof(tag) - 1 || strncmp(sql + p, tag, sizeof(tag) - 1) != 0)
		return;
	p += sizeof(tag) - 1;
	if (p < end && !is_hspace(sql[p]))
		return; /* varve:allowed, another word */
	while (p < end && is_hspace(sql[p]))
		p++;
	for (;;) {
		size_t q = p, reason;
		int rule;

		while (q < end && !is_hspace(sql[q]) && sql[q] != ',')
			q++;
		if (q == p)
			break;
		reason = q;
		while (reason < end && (is_hspace(sql[reason]) || sql[reason] == ','))
			reason++;
		rule = varve_lint__rule(sql + p, q - p);
		if (rule < 0) {
			finding(lm, VARVE_LINT_ALLOW_UNKNOWN_CODE, p, NULL,
				"'varve:allow' names '%.*s', which is no lint rule", (int)(q - p),
				sql + p);
		} else {
			lm->allowed |= UINT32_C(1) << rule;
			if (q >= end || sql[q] != ',') {
				/* The reason follows the last code. */
				size_t r = q;

				while (r < end && is_hspace(sql[r]))
					r++;
				if (r >= end || (end - r == 1 && sql[r] == '\r'))
					finding(lm, VARVE_LINT_ALLOW_WITHOUT_REASON, p, NULL,
						"'varve:allow %s' gives no reason; say why the "
						"statement is safe", codes[rule]);
			}
		}
		if (q >= end || sql[q] != ',')
			break;
		p = reason;
	}
}

/*
 * The allow comments on the comment lines right above the statement at
 * `offset` (back to the end of the previous statement).
 */
static void read_allows(reader *lm, const char *sql, size_t offset)
{
	size_t limit = lm->prev_end, line_start = offset;
	int lines = 0;

	lm->allowed = 0;
	if (offset <= limit)
		return;
	/* Most gaps are "\n": look further only when there is an allow. */
	{
		const char *gap = sql + limit;
		size_t glen = offset - limit;
		bool found = false;

		for (size_t i = 0; i + 11 <= glen; i++)
			if (gap[i] == 'v' && memcmp(gap + i, "varve:allow", 11) == 0) {
				found = true;
				break;
			}
		if (!found)
			return;
	}
	while (line_start > limit && sql[line_start - 1] != '\n' && sql[line_start - 1] != '\r')
		line_start--;
	while (line_start > limit && lines++ < 64) {
		size_t end = line_start - 1, start;

		if (sql[end] == '\n' && end > limit && sql[end - 1] == '\r')
			end--;
		start = end;
		while (start > limit && sql[start - 1] != '\n' && sql[start - 1] != '\r')
			start--;
		{
			size_t p = start;

			while (p < end && is_hspace(sql[p]))
				p++;
			if (p + 1 >= end || sql[p] != '-' || sql[p + 1] != '-')
				break; /* a blank line or code ends the comments */
		}
		allow_line(lm, sql, start, end);
		line_start = start;
	}
}

/* ---------------------------------------------------------------------------
 * Parse trees
 */

static json_t *parse_tree(reader *lm, const stmt *s, size_t len, json_t **root)
{
	PgQueryParseResult r;
	char *copy = strndup(s->sql + s->offset, len);
	json_t *stmts, *first, *node = NULL;

	*root = NULL;
	if (!copy) {
		lm->error = varve_error__oom();
		return NULL;
	}
	r = pg_query_parse(copy);
	if (!r.error && r.parse_tree)
		*root = json_loads(r.parse_tree, 0, NULL);
	pg_query_free_parse_result(r);
	free(copy);
	if (*root && (stmts = json_object_get(*root, "stmts")) &&
	    (first = json_array_get(stmts, 0)))
		node = json_object_get(first, "stmt");
	return node;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The section offset of a node's `location`, or `fallback`. */
static size_t jloc(const stmt *s, const json_t *o, size_t fallback)
{
	json_t *l = json_object_get(o, "location");

	if (!json_is_integer(l) || json_integer_value(l) < 0)
		return fallback;
	return s->offset + (size_t)json_integer_value(l);
}

/* The node inside a one-key wrapper `{"Type": {...}}` of type `type`. */
static json_t *jnode(const json_t *wrapper, const char *type)
{
	return json_object_get(wrapper, type);
}

/* The last name of a TypeName: "int4" for pg_catalog.int4. Whether it is
 * pg_catalog's or unqualified. */
static const char *type_name(const json_t *tn, bool *builtin)
{
	json_t *names = json_object_get(tn, "names");
	size_t n = json_array_size(names);
	json_t *last;

	*builtin = false;
	if (!n)
		return NULL;
	last = jnode(json_array_get(names, n - 1), "String");
	if (n == 1)
		*builtin = true;
	else if (n == 2)
		*builtin = strcmp(jstr(jnode(json_array_get(names, 0), "String"), "sval")
					  ? jstr(jnode(json_array_get(names, 0), "String"), "sval")
					  : "",
				  "pg_catalog") == 0;
	return jstr(last, "sval");
}

static bool one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* The integer value of an A_Const typmod, or -1. */
static long typmod_int(const json_t *mod)
{
	const json_t *c = jnode(mod, "A_Const");
	const json_t *iv = json_object_get(c, "ival");

	if (!c || !json_is_object(iv))
		return -1;
	/* Zero values are left out of the tree. */
	return json_is_integer(json_object_get(iv, "ival"))
		       ? (long)json_integer_value(json_object_get(iv, "ival"))
		       : 0;
}

/*
 * A column type as changing-column-type compares them: "varchar", "varchar
 * 64", "numeric", "numeric 10 2", "text"; "" for any other (or an array).
 */
static void col_type(const json_t *tn, char *out, size_t size)
{
	bool builtin;
	const char *t = tn ? type_name(tn, &builtin) : NULL;
	json_t *mods = json_object_get(tn, "typmods");
	size_t n = json_array_size(mods);

	out[0] = '\0';
	if (!t || !builtin || json_array_size(json_object_get(tn, "arrayBounds")))
		return;
	if (strcmp(t, "text") == 0 && n == 0)
		snprintf(out, size, "text");
	else if (strcmp(t, "varchar") == 0 && n == 0)
		snprintf(out, size, "varchar");
	else if (strcmp(t, "varchar") == 0 && n == 1 && typmod_int(json_array_get(mods, 0)) > 0)
		snprintf(out, size, "varchar %ld", typmod_int(json_array_get(mods, 0)));
	else if (strcmp(t, "numeric") == 0 && n == 0)
		snprintf(out, size, "numeric");
	else if (strcmp(t, "numeric") == 0 && n <= 2 && typmod_int(json_array_get(mods, 0)) > 0 &&
		 (n == 1 || typmod_int(json_array_get(mods, 1)) >= 0))
		snprintf(out, size, "numeric %ld %ld", typmod_int(json_array_get(mods, 0)),
			 n == 1 ? 0L : typmod_int(json_array_get(mods, 1)));
}

/*
 * Whether ALTER COLUMN TYPE from `old` to `new` (col_type strings) keeps
 * the rows as they are: a binary-coercible change whose new limit every
 * old value meets (sql-altertable.html: no rewrite, no scan).
 */
static bool keeps_rows(const char *old, const char *new)
{
	long a, b, c, d;

	if (!*old || !*new)
		return false;
	if (strcmp(old, new) == 0)
		return true;
	if (strncmp(old, "varchar", 7) == 0 || strcmp(old, "text") == 0) {
		if (strcmp(new, "text") == 0 || strcmp(new, "varchar") == 0)
			return true;
		return sscanf(old, "varchar %ld", &a) == 1 && sscanf(new, "varchar %ld", &b) == 1 &&
		       b >= a;
	}
	if (strncmp(old, "numeric", 7) == 0) {
		if (strcmp(new, "numeric") == 0)
			return true;
		return sscanf(old, "numeric %ld %ld", &a, &b) == 2 &&
		       sscanf(new, "numeric %ld %ld", &c, &d) == 2 && d == b && c >= a;
	}
	return false;
}

/* Record the type of `column` of `table` for changing-column-type. */
static void column_type(reader *lm, const char *table, const char *column, const json_t *tn)
{
	char type[48];

	col_type(tn, type, sizeof(type));
	fact(lm, EV_COLTYPE, table, type, column, false);
}

static const char *const int32_types[] = { "int4", "int2", "int", "integer", "smallint",
					   "serial", "serial4", "smallserial", "serial2",
					   NULL };
static const char *const serial_types[] = { "serial", "serial4", "serial2", "serial8",
					    "smallserial", "bigserial", NULL };

static bool is_serial(const json_t *tn)
{
	bool builtin;
	const char *t = type_name(tn, &builtin);

	return t && builtin && one_of(t, serial_types);
}

/* Whether a column's constraints make it a key: PRIMARY KEY or an identity. */
static bool key_constraint(const json_t *col)
{
	json_t *cons = json_object_get(col, "constraints"), *c;
	size_t i;

	json_array_foreach(cons, i, c) {
		const char *type = jstr(jnode(c, "Constraint"), "contype");

		if (type && (strcmp(type, "CONSTR_PRIMARY") == 0 ||
			     strcmp(type, "CONSTR_IDENTITY") == 0))
			return true;
	}
	return false;
}

/*
 * prefer-bigint, prefer-identity, prefer-text, prefer-timestamptz,
 * ban-char-field on a column's type. prefer-bigint is about keys, which
 * run out (a serial, an identity, a primary key): a 32-bit count of
 * something is no alarm.
 */
static void type_rules(reader *lm, const stmt *s, const char *column, const json_t *tn,
		       bool key, bool refs)
{
	bool builtin;
	const char *t = type_name(tn, &builtin);
	size_t at = jloc(s, tn, s->offset);

	if (!t || !builtin)
		return;
	/* A foreign key holds the values of the key it references: it runs
	 * out when that key does (or first, if the key is a bigint). */
	if (one_of(t, int32_types) && refs && !key && !one_of(t, serial_types))
		finding(lm, VARVE_LINT_PREFER_BIGINT, at, NULL,
			"column '%s' is a 32-bit integer that references a key, which can "
			"outgrow it", column);
	if (one_of(t, int32_types) && (key || one_of(t, serial_types)))
		finding(lm, VARVE_LINT_PREFER_BIGINT, at, NULL,
			"key column '%s' is a 32-bit %s, which can run out", column,
			strstr(t, "serial") ? "serial" : "integer");
	if (one_of(t, serial_types))
		finding(lm, VARVE_LINT_PREFER_IDENTITY, at, NULL,
			"column '%s' is %s, whose sequence is an object apart from the column "
			"(grants, ownership and copies of the table treat it separately)", column, t);
	if (strcmp(t, "varchar") == 0 && json_array_size(json_object_get(tn, "typmods")))
		finding(lm, VARVE_LINT_PREFER_TEXT, at, NULL,
			"column '%s' is varchar(n): raising the limit later takes an ACCESS "
			"EXCLUSIVE lock", column);
	if (strcmp(t, "timestamp") == 0)
		finding(lm, VARVE_LINT_PREFER_TIMESTAMPTZ, at, NULL,
			"column '%s' is timestamp without time zone", column);
	if (strcmp(t, "bpchar") == 0)
		finding(lm, VARVE_LINT_CHAR_FIELD, at, NULL,
			"column '%s' is char(n), which pads values with spaces", column);
}

/* Whether a column's constraints include REFERENCES. */
static bool references(const json_t *col)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(col, "constraints"), i, c) {
		const char *type = jstr(jnode(c, "Constraint"), "contype");

		if (type && strcmp(type, "CONSTR_FOREIGN") == 0)
			return true;
	}
	return false;
}

/* type_rules on a ColumnDef; `pkey`: a table-level PRIMARY KEY names it;
 * `fkey`: a table-level FOREIGN KEY does. */
static void column_rules(reader *lm, const stmt *s, const json_t *col, bool pkey, bool fkey)
{
	const char *name = jstr(col, "colname");
	const json_t *tn = json_object_get(col, "typeName");

	if (name && tn)
		type_rules(lm, s, name, tn, pkey || key_constraint(col), fkey || references(col));
}

/* Whether a table-level PRIMARY KEY (`type` CONSTR_PRIMARY, `list` "keys")
 * or FOREIGN KEY (CONSTR_FOREIGN, "fk_attrs") of CREATE TABLE's elements is
 * `column` alone (the parts of a composite key are references or ordinals). */
static bool in_key(const json_t *elts, const char *column, const char *ctype,
		   const char *list)
{
	json_t *e, *k;
	size_t i, j;

	json_array_foreach(elts, i, e) {
		const json_t *con = jnode(e, "Constraint");
		const char *type = jstr(con, "contype");

		if (!type || strcmp(type, ctype) != 0 ||
		    json_array_size(json_object_get(con, list)) != 1)
			continue;
		json_array_foreach(json_object_get(con, list), j, k) {
			const char *key = jstr(jnode(k, "String"), "sval");

			if (key && column && strcmp(key, column) == 0)
				return true;
		}
	}
	return false;
}

/* Functions whose value changes from row to row (pg_proc.provolatile = 'v'):
 * as a column default they make ADD COLUMN rewrite the table. STABLE ones
 * (now, statement_timestamp, txid_current...) are evaluated once: no rewrite. */
static const char *const volatile_functions[] = {
	"random", "clock_timestamp", "timeofday", "gen_random_uuid", "uuid_generate_v1",
	"uuid_generate_v1mc", "uuid_generate_v4", "nextval", "random_normal", "setseed",
	"uuidv4", "uuidv7", "gen_random_bytes", NULL,
};

/* The first volatile function call in an expression tree, or NULL. */
static const json_t *volatile_call(const json_t *j, int depth)
{
	const char *key;
	json_t *value;
	size_t i;

	if (depth > 64)
		return NULL;
	if (json_is_array(j)) {
		const json_t *found;

		json_array_foreach(j, i, value)
			if ((found = volatile_call(value, depth + 1)) != NULL)
				return found;
		return NULL;
	}
	if (!json_is_object(j))
		return NULL;
	json_object_foreach((json_t *)j, key, value) {
		const json_t *found;

		if (strcmp(key, "FuncCall") == 0) {
			json_t *names = json_object_get(value, "funcname");
			size_t n = json_array_size(names);
			const char *name = n ? jstr(jnode(json_array_get(names, n - 1), "String"),
						    "sval")
					     : NULL;

			if (name && one_of(name, volatile_functions))
				return value;
		}
		if ((found = volatile_call(value, depth + 1)) != NULL)
			return found;
	}
	return NULL;
}

/* ---------------------------------------------------------------------------
 * Rules
 */

/* missing-lock-timeout: the first statement of the migration that takes a
 * strong lock on `table` (existing) with no lock_timeout set. */
static void strong_lock(reader *lm, const stmt *s, const char *table, const char *lock)
{
	if (lm->lock_timeout)
		return;
	finding(lm, VARVE_LINT_LOCK_TIMEOUT, s->offset, table,
		"this statement waits for %s lock on '%s' with no lock_timeout: queued behind a "
		"long transaction, it blocks every query on the table", lock, table);
}

/* Segment starts of ALTER TABLE's subcommands: the token after the name,
 * then after each comma at depth 0. Returns how many were found. */
static size_t alter_segments(const stmt *s, size_t first, size_t *starts, size_t max)
{
	size_t count = 0;
	int depth = 0;

	if (first < s->n && count < max)
		starts[count++] = first;
	for (size_t i = first; i < s->n; i++) {
		int32_t k = s->v[i].kind;

		if (k == PG_QUERY__TOKEN__ASCII_40)
			depth++;
		else if (k == PG_QUERY__TOKEN__ASCII_41)
			depth--;
		else if (k == PG_QUERY__TOKEN__ASCII_44 && depth == 0) {
			if (count == max)
				return 0;
			starts[count++] = i + 1;
		}
	}
	return count;
}

static void add_column(reader *lm, const stmt *s, const char *table,
		       const json_t *col, size_t at)
{
	const char *name = jstr(col, "colname");
	json_t *cons = json_object_get(col, "constraints"), *c;
	const json_t *tn = json_object_get(col, "typeName");
	const json_t *notnull = NULL, *deflt = NULL, *pkey = NULL, *unique = NULL, *fill = NULL;
	bool generated = false, serial = tn && is_serial(tn);
	size_t i;

	if (!name)
		name = "?";
	json_array_foreach(cons, i, c) {
		const json_t *con = jnode(c, "Constraint");
		const char *type = jstr(con, "contype");

		if (!type)
			continue;
		if (strcmp(type, "CONSTR_NOTNULL") == 0 || strcmp(type, "CONSTR_PRIMARY") == 0)
			notnull = notnull ? notnull : con;
		if (strcmp(type, "CONSTR_DEFAULT") == 0)
			deflt = con;
		if (strcmp(type, "CONSTR_PRIMARY") == 0)
			pkey = con;
		if (strcmp(type, "CONSTR_UNIQUE") == 0)
			unique = con;
		if (strcmp(type, "CONSTR_IDENTITY") == 0 || strcmp(type, "CONSTR_GENERATED") == 0) {
			generated = true;
			fill = con;
		}
	}
	if (tn)
		type_rules(lm, s, name, tn, pkey || key_constraint(col), references(col));
	column_type(lm, table, name, tn);
	if (pkey)
		finding(lm, VARVE_LINT_SERIAL_PRIMARY_KEY, jloc(s, pkey, at), table,
			"adding primary key column '%s' to '%s' builds its index under an ACCESS "
			"EXCLUSIVE lock", name, table);
	if (unique)
		finding(lm, VARVE_LINT_UNIQUE_CONSTRAINT, jloc(s, unique, at), table,
			"adding unique column '%s' to '%s' builds its index under an ACCESS "
			"EXCLUSIVE lock", name, table);
	/* REFERENCES on the column adds a validated foreign key: the same scan
	 * as ADD CONSTRAINT ... FOREIGN KEY without NOT VALID. */
	json_array_foreach(cons, i, c) {
		const json_t *con = jnode(c, "Constraint");
		const char *type = jstr(con, "contype");

		if (type && strcmp(type, "CONSTR_FOREIGN") == 0 &&
		    !json_is_true(json_object_get(con, "skip_validation")))
			finding(lm, VARVE_LINT_NOT_VALID, jloc(s, con, at), table,
				"column '%s' REFERENCES another table: adding it to '%s' validates "
				"the foreign key over every row while writes to both tables wait "
				"(SHARE ROW EXCLUSIVE lock)", name, table);
	}
	if (deflt) {
		const json_t *call = volatile_call(json_object_get(deflt, "raw_expr"), 0);

		if (call) {
			json_t *names = json_object_get(call, "funcname");
			const char *fn = jstr(jnode(json_array_get(names,
				json_array_size(names) - 1), "String"), "sval");

			finding(lm, VARVE_LINT_VOLATILE_DEFAULT, jloc(s, deflt, at), table,
				"column '%s' gets the volatile default %s(), which rewrites '%s' "
				"under an ACCESS EXCLUSIVE lock", name, fn ? fn : "?", table);
		}
	} else if (serial) {
		finding(lm, VARVE_LINT_VOLATILE_DEFAULT, jloc(s, tn, at), table,
			"serial column '%s' fills every row from nextval(), which rewrites '%s' "
			"under an ACCESS EXCLUSIVE lock", name, table);
	} else if (fill) {
		/* An identity fills every row from its sequence, a stored
		 * generated column computes every row: both rewrite. */
		finding(lm, VARVE_LINT_VOLATILE_DEFAULT, jloc(s, fill, at), table,
			"%s column '%s' fills every row, which rewrites '%s' under an ACCESS "
			"EXCLUSIVE lock", strcmp(jstr(fill, "contype"), "CONSTR_IDENTITY") == 0
			? "identity" : "generated", name, table);
	}
	if (notnull && !pkey && !deflt && !generated && !serial)
		finding(lm, VARVE_LINT_REQUIRED_FIELD, jloc(s, notnull, at), table,
			"column '%s' is added NOT NULL without a default: this fails on a table "
			"that has rows", name);
}

static void add_constraint(reader *lm, const stmt *s, const char *table,
			   const json_t *con, size_t at)
{
	const char *type = jstr(con, "contype");
	bool not_valid = json_is_true(json_object_get(con, "skip_validation"));
	size_t where = jloc(s, con, at);

	if (!type)
		return;
	if (not_valid && lm->transaction && jstr(con, "conname") &&
	    (strcmp(type, "CONSTR_FOREIGN") == 0 || strcmp(type, "CONSTR_CHECK") == 0)) {
		char key[NAME_MAX_LEN + 1];
		int n = snprintf(key, sizeof(key), "%s\037%s", table, jstr(con, "conname"));

		if (n > 0 && (size_t)n < sizeof(key))
			remember(lm, N_NOT_VALID, key);
	}
	if (strcmp(type, "CONSTR_FOREIGN") == 0 && !not_valid)
		finding(lm, VARVE_LINT_NOT_VALID, where, table,
			"adding a foreign key to '%s' scans it while writes to it and to the "
			"referenced table wait (SHARE ROW EXCLUSIVE lock)", table);
	if (strcmp(type, "CONSTR_CHECK") == 0) {
		const json_t *nt = jnode(json_object_get(con, "raw_expr"), "NullTest");
		const json_t *ref = jnode(json_object_get(nt, "arg"), "ColumnRef");
		json_t *fields = json_object_get(ref, "fields");

		if (nt && ref && json_array_size(fields) == 1 &&
		    strcmp(jstr(nt, "nulltesttype") ? jstr(nt, "nulltesttype") : "",
			   "IS_NOT_NULL") == 0)
			fact(lm, EV_NOTNULL_CHECK, table, jstr(con, "conname"),
			     jstr(jnode(json_array_get(fields, 0), "String"), "sval"), !not_valid);
		if (!not_valid)
			finding(lm, VARVE_LINT_NOT_VALID, where, table,
				"adding a CHECK constraint to '%s' scans it under an ACCESS EXCLUSIVE "
				"lock", table);
	}
	if (strcmp(type, "CONSTR_PRIMARY") == 0 && !jstr(con, "indexname"))
		finding(lm, VARVE_LINT_SERIAL_PRIMARY_KEY, where, table,
			"adding a primary key to '%s' builds its index under an ACCESS EXCLUSIVE "
			"lock", table);
	if (strcmp(type, "CONSTR_UNIQUE") == 0 && !jstr(con, "indexname"))
		finding(lm, VARVE_LINT_UNIQUE_CONSTRAINT, where, table,
			"adding a unique constraint to '%s' builds its index under an ACCESS "
			"EXCLUSIVE lock", table);
}

/* ALTER TABLE on a table that exists: every subcommand. */
static void alter_table(reader *lm, const stmt *s, const json_t *node, size_t first)
{
	const json_t *rel = json_object_get(node, "relation");
	const char *table = jstr(rel, "relname");
	json_t *cmds = json_object_get(node, "cmds"), *cmd;
	size_t starts[64], nseg, i;
	const char *objtype = jstr(node, "objtype");

	if (!table || (objtype && strcmp(objtype, "OBJECT_TABLE") != 0))
		return;
	nseg = alter_segments(s, first, starts, VARVE_ARRAY_SIZE(starts));
	if (nseg != json_array_size(cmds))
		nseg = 0;
	strong_lock(lm, s, table, "an ACCESS EXCLUSIVE");
	json_array_foreach(cmds, i, cmd) {
		const json_t *c = jnode(cmd, "AlterTableCmd");
		const char *sub = jstr(c, "subtype");
		const json_t *def = json_object_get(c, "def");
		const char *col = jstr(c, "name");
		size_t at = nseg ? off_at(s, starts[i]) : s->offset;

		if (!sub)
			continue;
		if (strcmp(sub, "AT_AddColumn") == 0 && jnode(def, "ColumnDef"))
			add_column(lm, s, table, jnode(def, "ColumnDef"), at);
		else if (strcmp(sub, "AT_AddConstraint") == 0 && jnode(def, "Constraint"))
			add_constraint(lm, s, table, jnode(def, "Constraint"), at);
		else if (strcmp(sub, "AT_ValidateConstraint") == 0) {
			char key[NAME_MAX_LEN + 1];
			int n = col ? snprintf(key, sizeof(key), "%s\037%s", table, col) : -1;

			/* In the transaction that added it NOT VALID, the ADD's lock
			 * is still held: the scan runs under it all the same. */
			if (n > 0 && (size_t)n < sizeof(key) && created(lm, N_NOT_VALID, key))
				finding(lm, VARVE_LINT_NOT_VALID, at, table,
					"VALIDATE CONSTRAINT '%s' runs in the transaction that "
					"added it NOT VALID: the scan of '%s' runs under the lock "
					"ADD CONSTRAINT took, held to the commit", col, table);
			fact(lm, EV_VALIDATE, table, col, NULL, true);
		} else if (strcmp(sub, "AT_SetNotNull") == 0)
			finding(lm, VARVE_LINT_NOT_NULL_FIELD, at, table,
				"SET NOT NULL on '%s.%s' scans the table under an ACCESS EXCLUSIVE "
				"lock", table, col ? col : "?");
		else if (strcmp(sub, "AT_AlterColumnType") == 0) {
			const json_t *tn = json_object_get(jnode(def, "ColumnDef"), "typeName");
			size_t before = lm->out ? lm->out->n : 0;
			char type[48];

			finding(lm, VARVE_LINT_COLUMN_TYPE, at, table,
				"changing the type of '%s.%s' rewrites the table under an ACCESS "
				"EXCLUSIVE lock (unless the types are binary-compatible)", table,
				col ? col : "?");
			/* The report lets it pass if the column's old type, known
			 * from earlier statements, keeps its rows as they are. A
			 * USING expression computes every row anew. */
			col_type(tn, type, sizeof(type));
			if (lm->out && lm->out->n > before && col &&
			    !json_object_get(jnode(def, "ColumnDef"), "raw_default")) {
				lm->out->ev[lm->out->n - 1].column_name = keep(lm, col);
				lm->out->ev[lm->out->n - 1].name = keep(lm, type);
			}
			if (col)
				column_type(lm, table, col, tn);
			/* The new type is the column's: the same rules as a new column's. */
			if (tn)
				type_rules(lm, s, col ? col : "?", tn, false, false);
		} else if (strcmp(sub, "AT_DropColumn") == 0) {
			finding(lm, VARVE_LINT_DROP_COLUMN, at, table,
				"dropping column '%s.%s' breaks the code that still reads it",
				table, col ? col : "?");
			if (col)
				fact(lm, EV_COLTYPE, table, "", col, false);
		}
	}
}

/* The SET NOT NULL findings need their column in the report: recorded as
 * the event's column_name. */
static void set_not_null_columns(reader *lm, size_t from, const json_t *node)
{
	json_t *cmds = json_object_get(node, "cmds"), *cmd;
	size_t i, k = from;

	if (!lm->out)
		return; /* nothing recorded: an allow comment, say */
	json_array_foreach(cmds, i, cmd) {
		const json_t *c = jnode(cmd, "AlterTableCmd");
		const char *sub = jstr(c, "subtype");

		if (!sub || strcmp(sub, "AT_SetNotNull") != 0)
			continue;
		while (k < lm->out->n && !(lm->out->ev[k].kind == EV_FINDING &&
					   lm->out->ev[k].rule == VARVE_LINT_NOT_NULL_FIELD &&
					   !lm->out->ev[k].column_name))
			k++;
		if (k == lm->out->n)
			return;
		lm->out->ev[k++].column_name = keep(lm, jstr(c, "name"));
	}
}

/* Whether CREATE TABLE's or ALTER TABLE's tokens name a type a rule is
 * about: only then is a tree worth its cost. */
static bool suspect_types(const stmt *s, size_t from)
{
	static const char *const idents[] = { "int2", "int4", "serial", "serial2", "serial4",
					      "serial8", "smallserial", "bigserial", "bpchar",
					      NULL };

	for (size_t i = from; i < s->n; i++) {
		switch (s->v[i].kind) {
		case PG_QUERY__TOKEN__INT_P:
		case PG_QUERY__TOKEN__INTEGER:
		case PG_QUERY__TOKEN__SMALLINT:
		case PG_QUERY__TOKEN__CHAR_P:
		case PG_QUERY__TOKEN__CHARACTER:
		case PG_QUERY__TOKEN__VARCHAR:
		case PG_QUERY__TOKEN__NCHAR:
		case PG_QUERY__TOKEN__NATIONAL:
		case PG_QUERY__TOKEN__TIMESTAMP:
			return true;
		case PG_QUERY__TOKEN__IDENT: {
			size_t len = (size_t)(s->v[i].end - s->v[i].start);

			if (len <= 11)
				for (size_t k = 0; idents[k]; k++)
					if (tok_word(s, i, idents[k]))
						return true;
			break;
		}
		default:
			break;
		}
	}
	return false;
}

/* Whether the tokens name a type whose changes changing-column-type can
 * tell apart (varchar, numeric, text): then the columns' types are kept. */
static bool tracked_types(const stmt *s, size_t from)
{
	for (size_t i = from; i < s->n; i++)
		switch (s->v[i].kind) {
		case PG_QUERY__TOKEN__VARCHAR:
		case PG_QUERY__TOKEN__CHARACTER:
		case PG_QUERY__TOKEN__NUMERIC:
		case PG_QUERY__TOKEN__DECIMAL_P:
		case PG_QUERY__TOKEN__DEC:
		case PG_QUERY__TOKEN__TEXT_P:
			return true;
		default:
			break;
		}
	return false;
}

static void create_table(reader *lm, const stmt *s, size_t i, size_t len)
{
	char name[128], schema[128];
	json_t *root = NULL, *node, *elts, *e;
	size_t k;

	if (kind_at(s, i) != PG_QUERY__TOKEN__TABLE)
		return;
	i++;
	skip_if_exists(s, &i);
	if (!read_qname(s, &i, name, sizeof(name), schema, sizeof(schema)))
		return;
	fact(lm, EV_COLTYPE, name, "", NULL, false); /* a new table: new columns */
	if (!suspect_types(s, i) && !tracked_types(s, i)) {
		remember_table(lm, schema, name);
		fact(lm, EV_CREATE, name, NULL, NULL, false);
		return;
	}
	node = jnode(parse_tree(lm, s, len, &root), "CreateStmt");
	elts = json_object_get(node, "tableElts");
	json_array_foreach(elts, k, e) {
		const json_t *col = jnode(e, "ColumnDef");

		if (col) {
			const char *cn = jstr(col, "colname");

			column_rules(lm, s, col, in_key(elts, cn, "CONSTR_PRIMARY", "keys"),
				     in_key(elts, cn, "CONSTR_FOREIGN", "fk_attrs"));
			if (jstr(col, "colname"))
				column_type(lm, name, jstr(col, "colname"),
					    json_object_get(col, "typeName"));
		}
	}
	json_decref(root);
	remember_table(lm, schema, name);
	fact(lm, EV_CREATE, name, NULL, NULL, false);
}

/* CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table */
static void create_index(reader *lm, const stmt *s, size_t i)
{
	size_t at = off_at(s, i);
	bool concurrently = false;
	char index[128] = "", table[128], schema[128];

	i++; /* INDEX */
	if (kind_at(s, i) == PG_QUERY__TOKEN__CONCURRENTLY) {
		concurrently = true;
		i++;
	}
	skip_if_exists(s, &i);
	if (kind_at(s, i) != PG_QUERY__TOKEN__ON && !read_name(s, &i, index, sizeof(index)))
		return;
	if (kind_at(s, i) != PG_QUERY__TOKEN__ON)
		return;
	i++;
	if (kind_at(s, i) == PG_QUERY__TOKEN__ONLY)
		i++;
	if (!read_qname(s, &i, table, sizeof(table), schema, sizeof(schema)))
		return;
	if (index[0])
		remember(lm, N_INDEX, index);
	if (concurrently || created_table(lm, schema, table) || created(lm, N_VIEW, table))
		return;
	finding(lm, VARVE_LINT_CONCURRENT_INDEX, at, table,
		"CREATE INDEX on '%s' blocks writes to it while the index builds (SHARE lock)",
		table);
	strong_lock(lm, s, table, "a SHARE");
}

static void create(reader *lm, const stmt *s, size_t len)
{
	size_t i = 1;
	char name[128];

	if (kind_at(s, i) == PG_QUERY__TOKEN__OR && kind_at(s, i + 1) == PG_QUERY__TOKEN__REPLACE)
		i += 2;
	while (kind_at(s, i) == PG_QUERY__TOKEN__GLOBAL || kind_at(s, i) == PG_QUERY__TOKEN__LOCAL ||
	       kind_at(s, i) == PG_QUERY__TOKEN__TEMP || kind_at(s, i) == PG_QUERY__TOKEN__TEMPORARY ||
	       kind_at(s, i) == PG_QUERY__TOKEN__UNLOGGED)
		i++;
	if (kind_at(s, i) == PG_QUERY__TOKEN__UNIQUE)
		i++;
	switch (kind_at(s, i)) {
	case PG_QUERY__TOKEN__TABLE:
		create_table(lm, s, i, len);
		break;
	case PG_QUERY__TOKEN__INDEX:
		create_index(lm, s, i);
		break;
	case PG_QUERY__TOKEN__DATABASE:
		i++;
		if (read_name(s, &i, name, sizeof(name)))
			remember(lm, N_DATABASE, name);
		break;
	case PG_QUERY__TOKEN__MATERIALIZED:
		if (kind_at(s, i + 1) != PG_QUERY__TOKEN__VIEW)
			break;
		i += 2;
		skip_if_exists(s, &i);
		if (read_name(s, &i, name, sizeof(name)))
			remember(lm, N_VIEW, name);
		break;
	default:
		break;
	}
}

/* ALTER TABLE [IF EXISTS] [ONLY] name ...; ALTER TYPE name ADD VALUE. */
static void alter(reader *lm, const stmt *s, size_t len)
{
	size_t i = 2;
	char name[128], schema[128] = "";
	json_t *root = NULL, *node;

	if (kind_at(s, 1) == PG_QUERY__TOKEN__TYPE_P) {
		if (!read_name(s, &i, name, sizeof(name)) || kind_at(s, i) != PG_QUERY__TOKEN__ADD_P ||
		    kind_at(s, i + 1) != PG_QUERY__TOKEN__VALUE_P)
			return;
		i += 2;
		skip_if_exists(s, &i);
		/* Even for a type created in the same transaction: PostgreSQL
		 * 15 refuses the use (55P04) all the same. */
		if (kind_at(s, i) == PG_QUERY__TOKEN__SCONST && (lm->transaction || lm->in_block)) {
			unsigned line;
			char value[128];

			varve_sqlfile_position(lm->file, lm->kind, s->offset, &line, NULL);
			tok_name(s, i, value, sizeof(value)); /* keeps the quotes */
			remember_value(lm, value, line);
		}
		return;
	}
	if (kind_at(s, 1) != PG_QUERY__TOKEN__TABLE)
		return;
	skip_if_exists(s, &i);
	if (kind_at(s, i) == PG_QUERY__TOKEN__ONLY)
		i++;
	if (!read_qname(s, &i, name, sizeof(name), schema, sizeof(schema)))
		return;
	if (kind_at(s, i) == PG_QUERY__TOKEN__ASCII_42)
		i++;
	if (created_table(lm, schema, name)) {
		/* A new table: only the column types are worth a look. */
		if (!suspect_types(s, i) && !tracked_types(s, i))
			return;
		node = jnode(parse_tree(lm, s, len, &root), "AlterTableStmt");
		if (node) {
			json_t *cmds = json_object_get(node, "cmds"), *cmd;
			size_t k;

			json_array_foreach(cmds, k, cmd) {
				const json_t *c = jnode(cmd, "AlterTableCmd");
				const json_t *col = jnode(json_object_get(c, "def"), "ColumnDef");
				const char *sub = jstr(c, "subtype");

				if (col && sub && strcmp(sub, "AT_AlterColumnType") == 0 &&
				    json_object_get(col, "typeName") && jstr(c, "name")) {
					type_rules(lm, s, jstr(c, "name"),
						   json_object_get(col, "typeName"), false, false);
					column_type(lm, name, jstr(c, "name"),
						    json_object_get(col, "typeName"));
				} else if (col) {
					column_rules(lm, s, col, false, false);
					if (jstr(col, "colname"))
						column_type(lm, name, jstr(col, "colname"),
							    json_object_get(col, "typeName"));
				}
			}
		}
		json_decref(root);
		return;
	}
	{
		json_t *tree = parse_tree(lm, s, len, &root);
		size_t from = lm->out ? lm->out->n : 0;

		if ((node = jnode(tree, "AlterTableStmt")) != NULL) {
			alter_table(lm, s, node, i);
			set_not_null_columns(lm, from, node);
		} else if ((node = jnode(tree, "RenameStmt")) != NULL) {
			const char *type = jstr(node, "renameType");
			const char *table = jstr(json_object_get(node, "relation"), "relname");
			size_t at = s->offset;

			for (size_t k = i; k < s->n; k++)
				if (s->v[k].kind == PG_QUERY__TOKEN__RENAME) {
					at = off_at(s, k);
					break;
				}
			if (type && table && strcmp(type, "OBJECT_COLUMN") == 0)
				finding(lm, VARVE_LINT_RENAME_COLUMN, at, table,
					"renaming column '%s.%s' breaks the code that still uses "
					"the old name", table,
					jstr(node, "subname") ? jstr(node, "subname") : "?");
			else if (type && table && strcmp(type, "OBJECT_TABLE") == 0)
				finding(lm, VARVE_LINT_RENAME_TABLE, at, table,
					"renaming table '%s' breaks the code that still uses the "
					"old name", table);
			if (type && table)
				strong_lock(lm, s, table, "an ACCESS EXCLUSIVE");
		}
		json_decref(root);
	}
}

/* DROP TABLE a, b; DROP INDEX; DROP DATABASE. */
static void drop(reader *lm, const stmt *s)
{
	size_t i = 2, at = off_at(s, 1);
	char name[128];
	int32_t what = kind_at(s, 1);

	if (what == PG_QUERY__TOKEN__DATABASE) {
		skip_if_exists(s, &i);
		if (read_name(s, &i, name, sizeof(name)) && created(lm, N_DATABASE, name))
			return;
		finding(lm, VARVE_LINT_DROP_DATABASE, s->offset, NULL,
			"DROP DATABASE deletes a whole database");
		return;
	}
	if (what == PG_QUERY__TOKEN__INDEX) {
		if (kind_at(s, 2) == PG_QUERY__TOKEN__CONCURRENTLY)
			return;
		skip_if_exists(s, &i);
		if (!read_name(s, &i, name, sizeof(name)) ||
		    created(lm, N_INDEX, name))
			return;
		finding(lm, VARVE_LINT_CONCURRENT_INDEX_DROP, at, NULL,
			"DROP INDEX '%s' waits for, and then blocks, every query on its table "
			"(ACCESS EXCLUSIVE lock)", name);
		return;
	}
	if (what != PG_QUERY__TOKEN__TABLE)
		return;
	skip_if_exists(s, &i);
	for (;;) {
		size_t start = i;

		if (!read_name(s, &i, name, sizeof(name)))
			return;
		fact(lm, EV_COLTYPE, name, "", NULL, false);
		if (!created(lm, N_TABLE, name)) {
			finding(lm, VARVE_LINT_DROP_TABLE, off_at(s, start), name,
				"dropping table '%s' deletes its data and breaks the code that "
				"still uses it", name);
			strong_lock(lm, s, name, "an ACCESS EXCLUSIVE");
		}
		if (kind_at(s, i) != PG_QUERY__TOKEN__ASCII_44)
			return;
		i++;
	}
}

/* TRUNCATE [TABLE] [ONLY] a [*], b */
static void truncate_(reader *lm, const stmt *s)
{
	size_t i = 1;
	char name[128];

	if (kind_at(s, i) == PG_QUERY__TOKEN__TABLE)
		i++;
	for (;;) {
		size_t start;

		if (kind_at(s, i) == PG_QUERY__TOKEN__ONLY)
			i++;
		start = i;
		if (!read_name(s, &i, name, sizeof(name)))
			return;
		if (kind_at(s, i) == PG_QUERY__TOKEN__ASCII_42)
			i++;
		if (!created(lm, N_TABLE, name)) {
			finding(lm, VARVE_LINT_TRUNCATE, off_at(s, start), name,
				"TRUNCATE deletes every row of '%s' under an ACCESS EXCLUSIVE lock",
				name);
			strong_lock(lm, s, name, "an ACCESS EXCLUSIVE");
			return;
		}
		if (kind_at(s, i) != PG_QUERY__TOKEN__ASCII_44)
			return;
		i++;
	}
}

/* VACUUM FULL, VACUUM (FULL [true]) [table] */
static void vacuum(reader *lm, const stmt *s)
{
	size_t full = 0, i;
	int depth = 0;
	char name[128] = "";

	for (i = 1; i < s->n; i++) {
		int32_t k = s->v[i].kind;

		if (k == PG_QUERY__TOKEN__ASCII_40) {
			depth++;
		} else if (k == PG_QUERY__TOKEN__ASCII_41) {
			if (--depth == 0) {
				i++;
				break;
			}
		} else if (k == PG_QUERY__TOKEN__FULL) {
			int32_t next = kind_at(s, i + 1);

			if (depth == 0 || !(next == PG_QUERY__TOKEN__FALSE_P ||
					    next == PG_QUERY__TOKEN__OFF ||
					    tok_word(s, i + 1, "0")))
				full = i;
		} else if (depth == 0 && k != PG_QUERY__TOKEN__FREEZE &&
			   k != PG_QUERY__TOKEN__VERBOSE && k != PG_QUERY__TOKEN__ANALYZE &&
			   k != PG_QUERY__TOKEN__ANALYSE) {
			break;
		}
	}
	if (!full)
		return;
	read_name(s, &i, name, sizeof(name));
	if (name[0] && created(lm, N_TABLE, name))
		return;
	finding(lm, VARVE_LINT_VACUUM_FULL, off_at(s, full), name[0] ? name : NULL,
		"VACUUM FULL rewrites %s%s%s under an ACCESS EXCLUSIVE lock",
		name[0] ? "'" : "every table", name, name[0] ? "'" : "");
}

/* CLUSTER [VERBOSE] table [USING index] */
static void cluster(reader *lm, const stmt *s)
{
	size_t i = 1;
	char name[128] = "";

	if (kind_at(s, i) == PG_QUERY__TOKEN__VERBOSE)
		i++;
	if (kind_at(s, i) == PG_QUERY__TOKEN__ASCII_40)
		return; /* CLUSTER (options): PostgreSQL 15's, rare */
	read_name(s, &i, name, sizeof(name));
	if (name[0] && created(lm, N_TABLE, name))
		return;
	finding(lm, VARVE_LINT_CLUSTER, s->offset, name[0] ? name : NULL,
		"CLUSTER rewrites %s%s%s under an ACCESS EXCLUSIVE lock",
		name[0] ? "'" : "every clustered table", name, name[0] ? "'" : "");
	if (name[0])
		strong_lock(lm, s, name, "an ACCESS EXCLUSIVE");
}

/* REFRESH MATERIALIZED VIEW [CONCURRENTLY] name */
static void refresh(reader *lm, const stmt *s)
{
	size_t i = 3;
	char name[128];

	if (kind_at(s, 1) != PG_QUERY__TOKEN__MATERIALIZED ||
	    kind_at(s, 2) != PG_QUERY__TOKEN__VIEW ||
	    kind_at(s, 3) == PG_QUERY__TOKEN__CONCURRENTLY)
		return;
	if (!read_name(s, &i, name, sizeof(name)) || created(lm, N_VIEW, name))
		return;
	finding(lm, VARVE_LINT_REFRESH_MATVIEW, s->offset, name,
		"REFRESH MATERIALIZED VIEW '%s' blocks every read of it until it is done "
		"(ACCESS EXCLUSIVE lock)", name);
}

/* SET [LOCAL|SESSION] lock_timeout ... */
static void set(reader *lm, const stmt *s)
{
	size_t i = 1;
	bool local = false;

	if (kind_at(s, i) == PG_QUERY__TOKEN__LOCAL) {
		local = true;
		i++;
	} else if (kind_at(s, i) == PG_QUERY__TOKEN__SESSION) {
		i++;
	}
	if (!tok_word(s, i, "lock_timeout"))
		return;
	/* SET LOCAL outside a transaction block has no effect. */
	if (local && !lm->transaction)
		return;
	/* SET lock_timeout = 0 (or DEFAULT) turns it off. */
	lm->lock_timeout = !(tok_word(s, i + 2, "0") || tok_word(s, i + 2, "'0'") ||
			     kind_at(s, i + 2) == PG_QUERY__TOKEN__DEFAULT);
}

/* A use of an enum value added earlier in this transaction. */
static void enum_uses(reader *lm, const stmt *s)
{
	for (size_t i = 0; i < s->n; i++) {
		char value[128];
		size_t line;

		if (s->v[i].kind != PG_QUERY__TOKEN__SCONST)
			continue;
		tok_name(s, i, value, sizeof(value));
		if (!varve_strmap_get(&lm->enum_values, value, &line))
			continue;
		finding(lm, VARVE_LINT_ENUM_VALUE, off_at(s, i), NULL,
			"enum value %s, added at line %zu in the same transaction, cannot be used "
			"before that transaction commits", value, line);
		return;
	}
}

int varve_lint__statement(void *ctx, const char *sql, size_t len,
			  const varve_statement *st, const varve_token *tokens, size_t n)
{
	reader *lm = ctx;
	stmt s = { sql, tokens, n, st->offset };

	(void)len;
	if (!n)
		return 0;
	read_allows(lm, sql, st->offset);
	if (lm->enum_values.count && !(tokens[0].kind == PG_QUERY__TOKEN__ALTER &&
					kind_at(&s, 1) == PG_QUERY__TOKEN__TYPE_P))
		enum_uses(lm, &s);
	switch (tokens[0].kind) {
	case PG_QUERY__TOKEN__CREATE:
		create(lm, &s, st->length);
		break;
	case PG_QUERY__TOKEN__ALTER:
		alter(lm, &s, st->length);
		break;
	case PG_QUERY__TOKEN__DROP:
		drop(lm, &s);
		break;
	case PG_QUERY__TOKEN__TRUNCATE:
		truncate_(lm, &s);
		break;
	case PG_QUERY__TOKEN__VACUUM:
		vacuum(lm, &s);
		break;
	case PG_QUERY__TOKEN__CLUSTER:
		cluster(lm, &s);
		break;
	case PG_QUERY__TOKEN__REFRESH:
		refresh(lm, &s);
		break;
	case PG_QUERY__TOKEN__SET:
		set(lm, &s);
		break;
	case PG_QUERY__TOKEN__BEGIN_P:
	case PG_QUERY__TOKEN__START:
		/* A non-transactional migration's own transaction. */
		lm->in_block = !lm->transaction;
		break;
	case PG_QUERY__TOKEN__COMMIT:
	case PG_QUERY__TOKEN__END_P:
	case PG_QUERY__TOKEN__ROLLBACK:
	case PG_QUERY__TOKEN__ABORT_P:
		/* ... ended (ROLLBACK TO SAVEPOINT does not end it). */
		if (!lm->transaction && !(tokens[0].kind == PG_QUERY__TOKEN__ROLLBACK &&
					  n > 1 && tokens[1].kind == PG_QUERY__TOKEN__TO)) {
			map_dispose(&lm->enum_values);
			lm->in_block = false;
		}
		break;
	default:
		break;
	}
	lm->prev_end = st->offset + st->length;
	return lm->error;
}

/* ---------------------------------------------------------------------------
 * The report
 */

static const char *const hints[VARVE_LINT_COUNT] = {
	"use CREATE INDEX CONCURRENTLY, in a migration with 'transaction: false'",
	"use DROP INDEX CONCURRENTLY, in a migration with 'transaction: false'",
	"add it NOT VALID, then VALIDATE CONSTRAINT in a later migration (a lock that "
	"lets reads and writes go on)",
	"add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later "
	"migration, then SET NOT NULL: PostgreSQL 12+ uses the check instead of a scan",
	"give it a DEFAULT, or add it nullable, backfill, then SET NOT NULL",
	"add the column without a default or with a constant one, then backfill in batches",
	"add a new column, backfill it in batches, switch the code over, then drop the old one",
	"add the new column and switch the code to it first, or use a view for the old name",
	"create a view with the old name for the code that still uses it, or rename in "
	"steps across releases",
	"stop using the column in the code first, then drop it in a later release",
	"stop using the table in the code first, then drop it in a later release",
	"drop databases by hand, not in a migration",
	"delete in batches, or drop the table once no code uses it",
	"CREATE UNIQUE INDEX CONCURRENTLY first, then ADD PRIMARY KEY USING INDEX",
	"CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX",
	"use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)",
	"use bigint GENERATED ALWAYS AS IDENTITY",
	"use text, with CHECK (length(column) <= n) if a limit matters",
	"use timestamptz",
	"use text (or varchar)",
	"set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' "
	"before it",
	"add the value in a migration of its own (committed first), then use it in a "
	"later one",
	"use plain VACUUM, or pg_repack to shrink the table without the lock",
	"use pg_repack, which reorders the table without the lock",
	"use REFRESH MATERIALIZED VIEW CONCURRENTLY (the view needs a unique index)",
	"write the reason after the code: -- varve:allow CODE why it is safe",
	"name a rule: docs/check.md, Safety lint",
};

typedef struct reporter {
	const varve_manifest *m;
	varve_diag_list *diags;
	bool strict;
	varve_strmap fresh;      /* tables created by migrations not applied yet */
	varve_strmap checks;     /* "table\037name" -> NOT NULL check's column (index) */
	varve_strmap not_null;   /* "table\037column" validated NOT NULL checks */
	varve_arena arena;
	const char **columns;    /* for `checks` */
	size_t ncolumns, capcolumns;
	/* Column types (EV_COLTYPE): "table\037column" -> index in `types`;
	 * table -> its generation (a new one each time it is (re)created or
	 * dropped: a column of an older generation is gone). */
	varve_strmap coltypes, generations;
	struct coltype { const char *type; size_t generation; } *types;
	size_t ntypes, captypes, generation;
} reporter;

static const char *pair(reporter *r, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = varve_arena_alloc(&r->arena, la + lb + 2);

	if (!s)
		return NULL;
	memcpy(s, a, la);
	s[la] = '\037';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

/* Insert or update `key` (NULL: out of memory). */
static int put(varve_strmap *map, const char *key, size_t value)
{
	if (!key)
		return varve_error__oom();
	if (varve_strmap_put(map, key, value, NULL) < 0)
		return VARVE_ENOMEM;
	varve_strmap_set(map, key, value);
	return 0;
}

static int emit(reporter *r, const varve_lint_mig *lm, const event *e)
{
	int level = r->m->lint_level[e->rule];
	varve_severity sev = VARVE_SEVERITY_WARNING;
	char docs[96];
	int error;

	if (level == VARVE_LINT_OFF || (lm->mig->lint_off & (UINT32_C(1) << e->rule)))
		return 0;
	if (level == VARVE_LINT_ERROR || (level == VARVE_LINT_DEFAULT && r->strict &&
					  strict_error(e->rule)))
		sev = VARVE_SEVERITY_ERROR;
	snprintf(docs, sizeof(docs), DOCS_URL "%s", codes[e->rule]);
	if ((error = varve_diag__add(r->diags, sev, codes[e->rule], lm->display, e->line,
				     e->column, "%s", e->message)) != 0)
		return error;
	/* The allow-* findings are about the comment's syntax (docs/check.md),
	 * not a rule with a page of its own. */
	return varve_diag__annotate(r->diags, hints[e->rule],
				    e->rule < VARVE_LINT_ALLOW_WITHOUT_REASON ? docs : NULL, e->table,
				    size_dependent(e->rule), lm->mig->revision);
}

/*
 * One migration's events. `applied`: its findings are not reported (it is
 * on REF); `fresh`: it has not run anywhere yet (new relative to REF), so
 * the tables it creates are new to the later ones.
 */
static int report_one(reporter *r, const varve_lint_mig *lm, bool applied, bool fresh)
{
	bool lock_reported = false;
	int error = 0;

	for (size_t i = 0; i < lm->n && !error; i++) {
		const event *e = &lm->ev[i];
		size_t col;

		switch (e->kind) {
		case EV_CREATE:
			if (fresh)
				error = put(&r->fresh, e->table, 0);
			break;
		case EV_NOTNULL_CHECK:
			if (!e->name || !e->column_name || !e->table)
				break;
			if (r->ncolumns == r->capcolumns) {
				size_t cap = r->capcolumns ? r->capcolumns * 2 : 8;
				const char **v = realloc(r->columns, cap * sizeof(*v));

				if (!v)
					return varve_error__oom();
				r->columns = v;
				r->capcolumns = cap;
			}
			r->columns[r->ncolumns] = e->column_name;
			error = put(&r->checks, pair(r, e->table, e->name), r->ncolumns++);
			if (!error && e->validated)
				error = put(&r->not_null, pair(r, e->table, e->column_name), 0);
			break;
		case EV_COLTYPE: {
			size_t gen = 0;

			if (!e->table || !e->name)
				break;
			if (!e->column_name) {
				error = put(&r->generations, e->table, ++r->generation);
				break;
			}
			varve_strmap_get(&r->generations, e->table, &gen);
			if (r->ntypes == r->captypes) {
				size_t cap = r->captypes ? r->captypes * 2 : 8;
				struct coltype *v = realloc(r->types, cap * sizeof(*v));

				if (!v)
					return varve_error__oom();
				r->types = v;
				r->captypes = cap;
			}
			r->types[r->ntypes].type = e->name;
			r->types[r->ntypes].generation = gen;
			error = put(&r->coltypes, pair(r, e->table, e->column_name), r->ntypes++);
			break;
		}
		case EV_VALIDATE: {
			const char *key = e->name ? pair(r, e->table, e->name) : NULL;

			if (key && varve_strmap_get(&r->checks, key, &col))
				error = put(&r->not_null, pair(r, e->table, r->columns[col]), 0);
			break;
		}
		case EV_FINDING:
			if (applied)
				break;
			/* A table a migration created that has not run yet is new. */
			if (e->table && varve_strmap_get(&r->fresh, e->table, NULL))
				break;
			if (e->rule == VARVE_LINT_LOCK_TIMEOUT) {
				if (lock_reported)
					break;
				lock_reported = true;
			}
			if (e->rule == VARVE_LINT_COLUMN_TYPE && e->column_name && e->name) {
				const char *key = pair(r, e->table, e->column_name);
				size_t k, gen = 0;

				if (!key)
					return varve_error__oom();
				varve_strmap_get(&r->generations, e->table, &gen);
				if (varve_strmap_get(&r->coltypes, key, &k) &&
				    r->types[k].generation == gen &&
				    keeps_rows(r->types[k].type, e->name))
					break;
			}
			if (e->rule == VARVE_LINT_NOT_NULL_FIELD && e->column_name) {
				const char *key = pair(r, e->table, e->column_name);

				if (!key)
					return varve_error__oom();
				if (varve_strmap_get(&r->not_null, key, NULL))
					break;
			}
			error = emit(r, lm, e);
			break;
		}
	}
	return error;
}

int varve_lint__report(const varve_graph *graph, varve_lint_mig *const *recorded,
		       const varve_strmap *known, bool strict, varve_diag_list *diags)
{
	reporter r;
	size_t count;
	const size_t *order = varve_graph_order(graph, &count);
	int error = 0;

	memset(&r, 0, sizeof(r));
	r.m = graph->manifest;
	r.diags = diags;
	r.strict = strict;
	for (size_t k = 0; k < count && !error; k++) {
		const varve_migration *mig = varve_graph_node(graph, order[k]);
		const varve_lint_mig *lm = recorded[mig->index];

		if (!lm)
			continue;
		bool old = known && varve_strmap_get(known, mig->revision, NULL);

		/* Offline, every earlier migration counts as applied: its tables
		 * exist. With --against, only REF's do. */
		error = report_one(&r, lm, old, known && !old);
	}
	varve_strmap_dispose(&r.fresh);
	varve_strmap_dispose(&r.checks);
	varve_strmap_dispose(&r.not_null);
	varve_strmap_dispose(&r.coltypes);
	varve_strmap_dispose(&r.generations);
	free(r.types);
	varve_arena_dispose(&r.arena);
	free(r.columns);
	return error;
}
