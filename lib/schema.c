/*
 * Schema capture, comparison and DDL (docs/schema.md).
 *
 * A capture is a sorted array of objects, each with a kind, a key that
 * matches it with its counterpart in another capture, a definition that
 * is compared, and what the SQL dump needs (schema_sql.h describes the
 * fields). The catalogs are read with one query per kind of object, all
 * sent in one round trip inside one snapshot.
 */
#include "schema.h"
#include "arena.h"
#include "error.h"
#include "pg.h"
#include "strmap.h"

#include <libpq-fe.h>

typedef struct object {
	const char *kind;
	const char *key;
	const char *name;
	const char *def;
	const char *text;   /* NULL: def */
	const char *tail;   /* tables */
	const char *post;   /* after every table, or NULL */
	const char *parent; /* or NULL */
	const char *order;  /* tables: "(a, b, c)", the column order */
	int phase;
	long pos;
} object;

struct varve_schema {
	varve_arena arena;
	object *objects; /* sorted by kind, then key */
	size_t count;
	const object **order; /* the dump's order, made on demand */
};

struct varve_schema_diff_list {
	varve_arena arena;
	varve_schema_difference *items;
	size_t count;
};

/* The dump's phases (schema_queries.c gives each row one). */
enum { PHASE_COLUMN = 9, PHASE_POST = 10 };

static int cmp_kind_key(const object *a, const object *b)
{
	int c = strcmp(a->kind, b->kind);

	return c ? c : strcmp(a->key, b->key);
}

static int cmp_objects(const void *pa, const void *pb)
{
	return cmp_kind_key(pa, pb);
}

/* The dump's order: phase, then position (depth, column number), then key. */
static int cmp_dump(const void *pa, const void *pb)
{
	const object *a = *(const object *const *)pa, *b = *(const object *const *)pb;

	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return cmp_kind_key(a, b);
}

/* The dump's order, but a table's columns right after the table. */
static int cmp_listing(const void *pa, const void *pb)
{
	const object *a = *(const object *const *)pa, *b = *(const object *const *)pb;
	int pa_ = a->phase == 9 ? 8 : a->phase, pb_ = b->phase == 9 ? 8 : b->phase;
	const char *ta = a->phase == 9 && a->parent ? a->parent : a->key;
	const char *tb = b->phase == 9 && b->parent ? b->parent : b->key;
	int c;

	if (pa_ != pb_)
		return pa_ < pb_ ? -1 : 1;
	if (pa_ != 8)
		return cmp_dump(pa, pb);
	/* Tables by name, each followed by its columns in position. */
	if ((c = strcmp(ta, tb)) != 0)
		return c;
	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Columns grouped by table, in column order. */
static int cmp_columns(const void *pa, const void *pb)
{
	const object *a = *(const object *const *)pa, *b = *(const object *const *)pb;
	int c = strcmp(a->parent, b->parent);

	if (c)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

void varve_schema_free(varve_schema *schema)
{
	if (!schema)
		return;
	varve_arena_dispose(&schema->arena);
	free(schema->objects);
	free(schema->order);
	free(schema);
}

size_t varve_schema_count(const varve_schema *schema)
{
	return schema ? schema->count : 0;
}

void varve_schema_at(const varve_schema *schema, size_t i, const char **kind, const char **name,
		     const char **definition)
{
	const object *o;

	assert(schema && i < schema->count);
	o = schema->order ? schema->order[i] : &schema->objects[i];
	*kind = o->kind;
	*name = o->name;
	*definition = strcmp(o->kind, "table") == 0 || !o->text ? o->def : o->text;
}

static const char *field(varve_schema *s, const PGresult *res, int row, int col, int *error)
{
	const char *v;

	if (PQgetisnull(res, row, col))
		return NULL;
	v = varve_arena_strdup(&s->arena, PQgetvalue(res, row, col));
	if (!v)
		*error = VARVE_ENOMEM;
	return v;
}

/* Add the rows of one query's result. */
static int add_rows(varve_schema *s, size_t *cap, const PGresult *res)
{
	int rows = PQntuples(res), error = 0;

	if (PQnfields(res) != 10)
		return 0;
	if (s->count + (size_t)rows > *cap) {
		size_t want = (s->count + (size_t)rows) * 2;
		object *grown = realloc(s->objects, want * sizeof(*grown));

		if (!grown)
			return varve_error__oom();
		s->objects = grown;
		*cap = want;
	}
	for (int r = 0; r < rows; r++) {
		object *o = &s->objects[s->count];
		const char *kind, *phase, *pos;

		memset(o, 0, sizeof(*o));
		kind = field(s, res, r, 0, &error);
		o->key = field(s, res, r, 1, &error);
		o->name = field(s, res, r, 2, &error);
		o->def = field(s, res, r, 3, &error);
		o->text = field(s, res, r, 4, &error);
		o->tail = field(s, res, r, 5, &error);
		o->post = field(s, res, r, 6, &error);
		o->parent = field(s, res, r, 7, &error);
		phase = PQgetvalue(res, r, 8);
		pos = PQgetvalue(res, r, 9);
		if (error)
			return varve_error__oom();
		/* A definition PostgreSQL could not print (an object dropped
		 * while we read, say) leaves nothing to compare. */
		if (!kind || !o->key || !o->name || !o->def)
			continue;
		o->kind = kind;
		o->phase = (int)strtol(phase, NULL, 10);
		o->pos = strtol(pos, NULL, 10);
		s->count++;
	}
	return 0;
}

/*
 * Two objects with one key (two unnamed CHECKs with one definition on a
 * table): number the later ones, so that both captures pair them up.
 */
static int number_duplicates(varve_schema *s)
{
	for (size_t i = 1, n = 1; i < s->count; i++) {
		object *a = &s->objects[i - 1], *b = &s->objects[i];
		varve_buf key = VARVE_BUF_INIT;

		if (strcmp(a->kind, b->kind) != 0 || strcmp(a->key, b->key) != 0) {
			n = 1;
			continue;
		}
		n++;
		varve_buf_printf(&key, "%s #%zu", b->key, n);
		if (key.oom)
			return VARVE_ENOMEM;
		b->key = varve_arena_strdup(&s->arena, key.ptr);
		varve_buf_dispose(&key);
		if (!b->key)
			return varve_error__oom();
	}
	return 0;
}

/* The tables' column order, "(a, b, c)", from their columns' positions. */
static int column_orders(varve_schema *s)
{
	const object **cols = NULL;
	size_t n = 0;
	varve_buf order = VARVE_BUF_INIT;
	int error = 0;

	if (!(cols = malloc((s->count ? s->count : 1) * sizeof(*cols))))
		return varve_error__oom();
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->objects[i].kind, "column") == 0 && s->objects[i].parent)
			cols[n++] = &s->objects[i];
	qsort(cols, n, sizeof(*cols), cmp_columns);
	for (size_t i = 0; i < s->count; i++) {
		object *t = &s->objects[i], probe;
		const object *pp = &probe;
		const object **at;
		size_t lo = 0, hi = n;

		if (strcmp(t->kind, "table") != 0)
			continue;
		/* The first column whose table is t. */
		memset(&probe, 0, sizeof(probe));
		probe.parent = t->key;
		probe.pos = -1;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (cmp_columns(&cols[mid], &pp) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		varve_buf_clear(&order);
		varve_buf_putc(&order, '(');
		for (at = cols + lo; at < cols + n && strcmp((*at)->parent, t->key) == 0; at++) {
			size_t plen = strlen(t->key);
			const char *col = (*at)->key;

			if (strncmp(col, t->key, plen) == 0 && col[plen] == '.')
				col += plen + 1;
			varve_buf_printf(&order, "%s%s", at == cols + lo ? "" : ", ", col);
		}
		varve_buf_putc(&order, ')');
		if (order.oom || !(t->order = varve_arena_strdup(&s->arena, order.ptr))) {
			error = varve_error__oom();
			break;
		}
	}
	varve_buf_dispose(&order);
	free(cols);
	return error;
}

/* The failure of a libpq call, with the server's message on one line. */
static int query_failure(PGconn *conn, const PGresult *res)
{
	varve_buf msg = VARVE_BUF_INIT;
	int code = PQstatus(conn) == CONNECTION_OK ? VARVE_ERROR : VARVE_ECONNECT;

	varve_pg__oneline(&msg, res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	varve_error__set(code, "cannot read the schema: %s",
			 msg.len ? varve_buf_cstr(&msg) : "the query failed");
	varve_buf_dispose(&msg);
	return code;
}

/*
 * The connections whose session holds the prepared catalog queries (by
 * pointer and server process, so that a new connection at a freed one's
 * address does not count). A few per thread: a program captures through
 * one or two connections.
 */
static _Thread_local struct prepared {
	const PGconn *conn;
	int pid;
} prepared[8];
static _Thread_local size_t prepared_next;

static struct prepared *find_prepared(const PGconn *conn)
{
	for (size_t i = 0; i < VARVE_ARRAY_SIZE(prepared); i++)
		if (prepared[i].conn == conn && prepared[i].pid == PQbackendPID(conn))
			return &prepared[i];
	return NULL;
}

static void forget_prepared(const PGconn *conn)
{
	struct prepared *p = find_prepared(conn);

	if (p)
		p->conn = NULL;
}

static void remember_prepared(const PGconn *conn)
{
	if (find_prepared(conn))
		return;
	prepared[prepared_next].conn = conn;
	prepared[prepared_next].pid = PQbackendPID(conn);
	prepared_next = (prepared_next + 1) % VARVE_ARRAY_SIZE(prepared);
}

/*
 * How to send the queries on `conn`: EXECUTE when its session holds them
 * (this process prepared them, or a look at pg_prepared_statements finds
 * them all), PREPARE when it holds none, else (a few, of another
 * version?) as plain queries.
 */
static varve_schema__mode choose_mode(PGconn *conn)
{
	PGresult *res;
	long n = -1;

	if (find_prepared(conn))
		return VARVE_SCHEMA__EXECUTE;
	res = PQexec(conn, "SELECT pg_catalog.count(*) FROM pg_catalog.pg_prepared_statements "
			   "WHERE name LIKE '" VARVE_SCHEMA__STATEMENT "%'");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (n == VARVE_SCHEMA__STATEMENTS) {
		remember_prepared(conn);
		return VARVE_SCHEMA__EXECUTE;
	}
	return n == 0 ? VARVE_SCHEMA__PREPARE : VARVE_SCHEMA__PLAIN;
}

/* Forget what an attempt read. */
static void reset(varve_schema *s)
{
	varve_arena_dispose(&s->arena);
	s->count = 0;
}

/*
 * Send the capture's statements in one round trip and add the rows to `s`.
 * On failure, the session is put back as it was, and *sqlstate says why.
 */
static int run_capture(varve_schema *s, size_t *cap, PGconn *conn, const char *literal, bool owners,
		       bool nested, varve_schema__mode mode, char sqlstate[6])
{
	varve_buf sql = VARVE_BUF_INIT;
	PGresult *res;
	int error = 0;

	sqlstate[0] = '\0';
	varve_buf_puts(&sql, nested ? "SAVEPOINT varve_schema;\n"
				    : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n");
	/* The version table and what depends on it (its indexes, sequence,
	 * constraints, row type), resolved with the caller's search_path;
	 * then every name printed qualified. No JIT: on a large schema the
	 * queries' estimated cost passes jit_above_cost, and compiling would
	 * add its own time to every query. */
	varve_buf_printf(&sql,
			 "SELECT pg_catalog.set_config('varve.exclude', coalesce((SELECT "
			 "pg_catalog.array_agg(o)::text "
			 "FROM (SELECT r.oid AS o FROM (SELECT "
			 "pg_catalog.to_regclass(%s)::pg_catalog.oid AS oid) r "
			 "WHERE r.oid IS NOT NULL UNION SELECT d.objid FROM pg_catalog.pg_depend d "
			 "WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
			 "AND d.refobjid = pg_catalog.to_regclass(%s)) x), '{}'), true);\n"
			 "SELECT pg_catalog.set_config('search_path', '', true), "
			 "pg_catalog.set_config('jit', 'off', true);\n",
			 literal ? literal : "NULL", literal ? literal : "NULL");
	if ((error = varve_schema__query(&sql, owners, mode, PQserverVersion(conn))) != 0)
		goto done;
	varve_buf_puts(&sql,
		       nested ? "ROLLBACK TO SAVEPOINT varve_schema; RELEASE SAVEPOINT varve_schema"
			      : "COMMIT");
	if (sql.oom) {
		error = varve_error__oom();
		goto done;
	}
	if (!PQsendQuery(conn, sql.ptr)) {
		error = query_failure(conn, NULL);
		goto done;
	}
	while ((res = PQgetResult(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (!error && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			snprintf(sqlstate, 6, "%s", state ? state : "");
			error = query_failure(conn, res);
		} else if (!error && st == PGRES_TUPLES_OK) {
			error = add_rows(s, cap, res);
		}
		PQclear(res);
	}
	if (error && PQstatus(conn) == CONNECTION_OK) {
		/* The statements after the failing one did not run: leave the
		 * session as it was. */
		res = PQexec(
		    conn, nested
			      ? "ROLLBACK TO SAVEPOINT varve_schema; RELEASE SAVEPOINT varve_schema"
			      : "ROLLBACK");
		PQclear(res);
	}
	if (!error && mode == VARVE_SCHEMA__PREPARE)
		remember_prepared(conn);
done:
	varve_buf_dispose(&sql);
	return error;
}

int varve_schema_capture(varve_schema **out, PGconn *conn, const varve_schema_options *options)
{
	varve_schema_options defaults = VARVE_SCHEMA_OPTIONS_INIT;
	varve_schema *s = NULL;
	char *literal = NULL;
	PGTransactionStatusType tx;
	varve_schema__mode mode;
	char sqlstate[6];
	size_t cap = 0;
	int error = 0;
	bool nested;

	assert(out && conn);
	*out = NULL;
	if (!options)
		options = &defaults;
	if (PQstatus(conn) != CONNECTION_OK)
		return varve_error__set(VARVE_ECONNECT,
					"cannot read the schema: the connection is closed");
	tx = PQtransactionStatus(conn);
	if (tx != PQTRANS_IDLE && tx != PQTRANS_INTRANS)
		return varve_error__set(VARVE_ERROR, "cannot read the schema: the session is %s",
					tx == PQTRANS_INERROR ? "in a failed transaction" : "busy");
	nested = tx == PQTRANS_INTRANS;
	if (PQserverVersion(conn) < 120000)
		return varve_error__set(VARVE_ERROR,
					"cannot read the schema: PostgreSQL %d is too old "
					"(schema captures need 12 or later)",
					PQserverVersion(conn) / 10000);
	if (!(s = calloc(1, sizeof(*s))))
		return varve_error__oom();
	if (options->exclude_table &&
	    !(literal =
		  PQescapeLiteral(conn, options->exclude_table, strlen(options->exclude_table)))) {
		error = varve_error__oom();
		goto done;
	}
	mode = choose_mode(conn);
	error = run_capture(s, &cap, conn, literal, options->owners, nested, mode, sqlstate);
	if (error && PQstatus(conn) == CONNECTION_OK &&
	    (strcmp(sqlstate, "26000") == 0 || strcmp(sqlstate, "42P05") == 0)) {
		/* Someone deallocated them (DISCARD ALL), or prepared ours:
		 * once more, plainly. */
		forget_prepared(conn);
		reset(s);
		error = run_capture(s, &cap, conn, literal, options->owners, nested,
				    VARVE_SCHEMA__PLAIN, sqlstate);
	}
	if (error)
		goto done;
	qsort(s->objects, s->count, sizeof(*s->objects), cmp_objects);
	if ((error = number_duplicates(s)) != 0)
		goto done;
	qsort(s->objects, s->count, sizeof(*s->objects), cmp_objects);
	if ((error = column_orders(s)) != 0)
		goto done;
	/* The listing's order (varve_schema_at). */
	if (!(s->order = malloc((s->count + 1) * sizeof(*s->order)))) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < s->count; i++)
		s->order[i] = &s->objects[i];
	qsort(s->order, s->count, sizeof(*s->order), cmp_listing);
	*out = s;
	s = NULL;
done:
	if (literal)
		PQfreemem(literal);
	varve_schema_free(s);
	return error;
}

/* ---------------------------------------------------------------------------
 * Comparison
 */

/* What a difference shows: the real definition (a generated name too). */
static const char *shown(const object *o)
{
	if (strcmp(o->kind, "table") == 0 || !o->text)
		return o->def;
	return o->text;
}

/* Whether the definitions differ (tables: also their column order). */
static bool differs(const object *a, const object *b)
{
	return strcmp(a->def, b->def) != 0;
}

typedef struct raw {
	varve_schema_change change;
	const object *a, *b;
	bool hidden;
	bool order; /* a table whose column order changed */
} raw;

static int cmp_raw(const void *pa, const void *pb)
{
	const raw *x = pa, *y = pb;
	const object *a = x->b ? x->b : x->a, *b = y->b ? y->b : y->a;

	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	return cmp_kind_key(a, b);
}

void varve_schema_diff_list_free(varve_schema_diff_list *list)
{
	if (!list)
		return;
	varve_arena_dispose(&list->arena);
	free(list->items);
	free(list);
}

size_t varve_schema_diff_list_count(const varve_schema_diff_list *list)
{
	return list ? list->count : 0;
}

const varve_schema_difference *varve_schema_diff_list_at(const varve_schema_diff_list *list,
							 size_t i)
{
	assert(list && i < list->count);
	return &list->items[i];
}

static const char *copy(varve_schema_diff_list *l, const char *s, int *error)
{
	char *c;

	if (!s)
		return NULL;
	if (!(c = varve_arena_strdup(&l->arena, s)))
		*error = VARVE_ENOMEM;
	return c;
}

/* Whether `table` has a column added or removed among the differences. */
static bool columns_changed(const raw *r, size_t n, const char *table)
{
	for (size_t i = 0; i < n; i++) {
		const object *o = r[i].a ? r[i].a : r[i].b;

		if (r[i].change != VARVE_SCHEMA_CHANGED && strcmp(o->kind, "column") == 0 &&
		    o->parent && strcmp(o->parent, table) == 0)
			return true;
	}
	return false;
}

int varve_schema_diff(varve_schema_diff_list **out, const varve_schema *a, const varve_schema *b)
{
	varve_schema_diff_list *l = NULL;
	varve_strmap added = VARVE_STRMAP_INIT, removed = VARVE_STRMAP_INIT;
	raw *r = NULL;
	size_t n = 0, i = 0, j = 0, shown_n = 0;
	int error = 0;

	assert(out && a && b);
	*out = NULL;
	if (!(r = malloc((a->count + b->count + 1) * sizeof(*r))) || !(l = calloc(1, sizeof(*l)))) {
		error = varve_error__oom();
		goto done;
	}
	while (i < a->count || j < b->count) {
		const object *x = i < a->count ? &a->objects[i] : NULL;
		const object *y = j < b->count ? &b->objects[j] : NULL;
		int c = !x ? 1 : !y ? -1 : cmp_kind_key(x, y);

		memset(&r[n], 0, sizeof(r[n]));
		if (c < 0) {
			r[n].change = VARVE_SCHEMA_REMOVED;
			r[n++].a = x;
			i++;
		} else if (c > 0) {
			r[n].change = VARVE_SCHEMA_ADDED;
			r[n++].b = y;
			j++;
		} else {
			if (differs(x, y) ||
			    (x->order && y->order && strcmp(x->order, y->order) != 0)) {
				r[n].change = VARVE_SCHEMA_CHANGED;
				r[n].a = x;
				r[n].b = y;
				r[n].order = strcmp(x->def, y->def) == 0;
				n++;
			}
			i++;
			j++;
		}
	}
	/* The parts of an added or removed object are not listed again. */
	for (size_t k = 0; k < n; k++) {
		const object *o = r[k].a ? r[k].a : r[k].b;

		if (r[k].change == VARVE_SCHEMA_CHANGED)
			continue;
		if (varve_strmap_put(r[k].change == VARVE_SCHEMA_ADDED ? &added : &removed, o->key,
				     k, NULL) < 0) {
			error = VARVE_ENOMEM;
			goto done;
		}
	}
	for (size_t k = 0; k < n; k++) {
		const object *o = r[k].a ? r[k].a : r[k].b;

		if (r[k].change == VARVE_SCHEMA_ADDED && o->parent &&
		    varve_strmap_get(&added, o->parent, NULL))
			r[k].hidden = true;
		if (r[k].change == VARVE_SCHEMA_REMOVED && o->parent &&
		    varve_strmap_get(&removed, o->parent, NULL))
			r[k].hidden = true;
		/* Column order: only when no column came or went, which
		 * says it already. */
		if (r[k].order && columns_changed(r, n, o->key))
			r[k].hidden = true;
	}
	qsort(r, n, sizeof(*r), cmp_raw);
	if (!(l->items = calloc(n ? n : 1, sizeof(*l->items)))) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t k = 0; k < n; k++) {
		varve_schema_difference *d = &l->items[shown_n];
		const object *o = r[k].a ? r[k].a : r[k].b;

		if (r[k].hidden)
			continue;
		d->change = r[k].change;
		d->kind = copy(l, o->kind, &error);
		d->name = copy(l, (r[k].b ? r[k].b : r[k].a)->name, &error);
		if (r[k].order) {
			d->before = copy(l, r[k].a->order, &error);
			d->after = copy(l, r[k].b->order, &error);
		} else {
			d->before = r[k].a ? copy(l, shown(r[k].a), &error) : NULL;
			d->after = r[k].b ? copy(l, shown(r[k].b), &error) : NULL;
		}
		if (error) {
			error = varve_error__oom();
			goto done;
		}
		shown_n++;
	}
	l->count = shown_n;
	*out = l;
	l = NULL;
done:
	if (error == VARVE_ENOMEM)
		varve_error__oom();
	varve_strmap_dispose(&added);
	varve_strmap_dispose(&removed);
	free(r);
	varve_schema_diff_list_free(l);
	return error;
}

bool varve_schema_equal(const varve_schema *a, const varve_schema *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++) {
		const object *x = &a->objects[i], *y = &b->objects[i];

		if (cmp_kind_key(x, y) != 0 || differs(x, y) ||
		    (x->order && y->order && strcmp(x->order, y->order) != 0))
			return false;
	}
	return true;
}

/* `text` with every line indented by `indent` and `mark`. */
static void put_indented(varve_buf *out, const char *indent, const char *text)
{
	const char *p = text;

	for (;;) {
		size_t len = strcspn(p, "\n");

		varve_buf_puts(out, indent);
		varve_buf_put(out, p, len);
		varve_buf_putc(out, '\n');
		if (!p[len])
			break;
		p += len + 1;
	}
}

int varve_schema_diff_text(char **out, const varve_schema_diff_list *list)
{
	varve_buf text = VARVE_BUF_INIT;

	assert(out && list);
	*out = NULL;
	varve_buf_puts(&text, "");
	for (size_t i = 0; i < list->count; i++) {
		const varve_schema_difference *d = &list->items[i];

		switch (d->change) {
		case VARVE_SCHEMA_ADDED:
			varve_buf_printf(&text, "%s %s: added\n", d->kind, d->name);
			put_indented(&text, "    ", d->after);
			break;
		case VARVE_SCHEMA_REMOVED:
			varve_buf_printf(&text, "%s %s: removed\n", d->kind, d->name);
			put_indented(&text, "    ", d->before);
			break;
		case VARVE_SCHEMA_CHANGED:
			varve_buf_printf(&text, "%s %s: changed\n", d->kind, d->name);
			if (strchr(d->before, '\n') || strchr(d->after, '\n')) {
				/* A function's body: the lines that differ, in context. */
				char *u = NULL;
				const char *hunks;

				if (varve_schema__unified(&u, d->before, d->after, "") != 0) {
					varve_buf_dispose(&text);
					return VARVE_ENOMEM;
				}
				hunks = strstr(u, "\n@@");
				put_indented(&text, "    ", hunks ? hunks + 1 : u);
				free(u);
				/* put_indented ended the text's own last line break
				 * with an indented empty line: take it back. */
				if (text.len >= 5 &&
				    memcmp(text.ptr + text.len - 5, "    \n", 5) == 0)
					text.ptr[text.len -= 5] = '\0';
			} else {
				put_indented(&text, "  - ", d->before);
				put_indented(&text, "  + ", d->after);
			}
			break;
		}
	}
	if (text.oom)
		return varve_error__oom();
	*out = varve_buf_detach(&text);
	return *out ? 0 : varve_error__oom();
}

/* ---------------------------------------------------------------------------
 * DDL
 */

/* A statement, ended by ";" (unless it is), and a blank line. */
static void put_statement(varve_buf *out, const char *stmt)
{
	size_t len = strlen(stmt);

	while (len && (stmt[len - 1] == '\n' || stmt[len - 1] == ' '))
		len--;
	varve_buf_put(out, stmt, len);
	if (len && stmt[len - 1] != ';')
		varve_buf_putc(out, ';');
	varve_buf_puts(out, "\n\n");
}

/* CREATE TABLE with its columns in order. */
static void put_table(varve_buf *out, const object *t, const object *const *cols, size_t ncols)
{
	bool partition = strstr(t->text ? t->text : "", " PARTITION OF ") != NULL;
	size_t lo = 0, hi = ncols, k;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(cols[mid]->parent, t->key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	varve_buf_puts(out, t->text ? t->text : t->def);
	if (!partition || (lo < ncols && strcmp(cols[lo]->parent, t->key) == 0)) {
		varve_buf_puts(out, " (");
		for (k = lo; k < ncols && strcmp(cols[k]->parent, t->key) == 0; k++)
			varve_buf_printf(out, "%s\n    %s", k == lo ? "" : ",",
					 cols[k]->text ? cols[k]->text : cols[k]->def);
		varve_buf_puts(out, k == lo ? ")" : "\n)");
	}
	varve_buf_puts(out, t->tail ? t->tail : "");
	varve_buf_puts(out, ";\n\n");
}

int varve_schema_sql(char **out, const varve_schema *schema)
{
	varve_buf sql = VARVE_BUF_INIT;
	const object **order = NULL, **cols = NULL;
	size_t ncols = 0;
	bool posts = false;

	assert(out && schema);
	*out = NULL;
	if (!(order = malloc((schema->count + 1) * sizeof(*order))) ||
	    !(cols = malloc((schema->count + 1) * sizeof(*cols)))) {
		free(order);
		return varve_error__oom();
	}
	for (size_t i = 0; i < schema->count; i++) {
		order[i] = &schema->objects[i];
		if (order[i]->phase == PHASE_COLUMN && order[i]->parent)
			cols[ncols++] = order[i];
	}
	qsort(order, schema->count, sizeof(*order), cmp_dump);
	qsort(cols, ncols, sizeof(*cols), cmp_columns);
	varve_buf_puts(&sql,
		       "-- The schema, as varve schema dump prints it: objects in a stable order,\n"
		       "-- every name qualified. Apply with: psql -v ON_ERROR_STOP=1 -f FILE\n\n"
		       "SET check_function_bodies = false;\n"
		       "SET client_min_messages = warning;\n\n");
	for (size_t i = 0; i < schema->count; i++) {
		const object *o = order[i];

		if (!posts && o->phase > PHASE_POST) {
			/* Once every table exists: OWNED BY, row security. */
			for (size_t k = 0; k < schema->count; k++)
				if (order[k]->post)
					put_statement(&sql, order[k]->post);
			posts = true;
		}
		if (o->phase == PHASE_COLUMN)
			continue;
		if (strcmp(o->kind, "table") == 0)
			put_table(&sql, o, cols, ncols);
		else
			put_statement(&sql, o->text ? o->text : o->def);
	}
	if (!posts)
		for (size_t k = 0; k < schema->count; k++)
			if (order[k]->post)
				put_statement(&sql, order[k]->post);
	free(order);
	free(cols);
	if (sql.oom)
		return varve_error__oom();
	/* Drop the last blank line. */
	if (sql.len >= 2 && sql.ptr[sql.len - 1] == '\n' && sql.ptr[sql.len - 2] == '\n')
		sql.ptr[--sql.len] = '\0';
	*out = varve_buf_detach(&sql);
	return *out ? 0 : varve_error__oom();
}
