/*
 * Fleets (docs/fleet.md): the fleet file, its targets, and one run over
 * all of them from one thread.
 *
 * Each target runs varve_migrate, the single-database runner itself, in
 * a fiber (lib/fiber.h): wherever it would wait for its server, it
 * yields, and the loop below waits for all of them in one poll(2). So a
 * target keeps every guarantee of a single run (its advisory lock, one
 * transaction per migration with its record, the dirty state, lock
 * timeout retries, the pooler check) because it is the same code.
 */
#include "buf.h"
#include "db.h"
#include "diag.h"
#include "error.h"
#include "fiber.h"
#include "manifest.h"
#include "pg.h"

#include <poll.h>
#include <sys/stat.h>
#include <yaml.h>

#define SCHEMA "fleet-schema"
#define SYNTAX "yaml-syntax"
#define MAX_FILE ((size_t)16 << 20)
#define MAX_CONCURRENCY 1024
#define SHOWN 64
/* How often the progress callback hears that time passes. */
#define TICK_MS 100.0

typedef struct target {
	varve_fleet_target pub;
	char *conninfo; /* with its password: never shown */
	char *label;
	char *display;
	char *schema;
	char *version_table; /* schema targets: "schema.table" */
	char *error;
	varve_failure *failure;
	varve_diag_list *findings; /* check */
} target;

struct varve_fleet {
	char *path;
	unsigned concurrency;
	varve_fleet_on_failure on_failure;
	/* `query:` and `schemas:` as written, run by varve_fleet_resolve. */
	char *query_db, *query_sql;
	char *schemas_db, *schemas_sql;
	char **schema_names;
	size_t schema_count;
	bool resolved;
	target *targets;
	size_t count, cap;
};

/* ---------------------------------------------------------------------------
 * The fleet file
 */

typedef struct loader {
	yaml_document_t doc;
	const char *path;
	varve_diag_list *diags;
	varve_fleet *fleet;
	unsigned char *seen; /* per node: reached once already (an alias) */
	size_t nodes;
	int status;
	bool bad;
} loader;

static void VARVE_PRINTF(4, 5) report(loader *l, const char *code, yaml_node_t *node,
				      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l->bad = true;
	if (!l->status && varve_diag__error(l->diags, code, l->path,
					    node ? (unsigned)node->start_mark.line + 1 : 1,
					    node ? (unsigned)node->start_mark.column + 1 : 1,
					    "%s", msg))
		l->status = VARVE_ENOMEM;
}

/* The node `id`, or NULL after reporting an alias (a node reached twice). */
static yaml_node_t *node_at(loader *l, int id)
{
	yaml_node_t *n = yaml_document_get_node(&l->doc, id);
	size_t i = (size_t)(id - 1);

	if (!n)
		return NULL;
	if (i < l->nodes && l->seen[i]++) {
		report(l, SCHEMA, n, "aliases are not allowed");
		return NULL;
	}
	return n;
}

static bool is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static const char *kind_of(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (!is_plain(n))
		return "a string";
	if (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0)
		return "null";
	if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
		return "a boolean";
	if (strspn(s, "0123456789") == strlen(s) ||
	    (s[0] == '-' && s[1] && strspn(s + 1, "0123456789") == strlen(s + 1)))
		return "an integer";
	return "a string";
}

/* A string value: any scalar but null, a boolean or a number. */
static const char *string_of(loader *l, yaml_node_t *n, const char *what)
{
	const char *k = kind_of(n);

	if (strcmp(k, "a string") != 0) {
		report(l, SCHEMA, n, "%s must be a string, not %s", what, k);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		report(l, SCHEMA, n, "%s must not contain a NUL character", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* A string with ${VAR} expanded, malloc'd; NULL after a finding. */
static char *url_of(loader *l, yaml_node_t *n, const char *what)
{
	const char *s = string_of(l, n, what);
	varve_buf b = VARVE_BUF_INIT, unset = VARVE_BUF_INIT;
	char *out = NULL;
	int error;

	if (!s)
		return NULL;
	error = varve_manifest__expand(&b, s, &unset);
	if (error == VARVE_EINVALID)
		report(l, SCHEMA, n, "invalid variable reference in %s (expected ${NAME} or "
		       "${NAME:-default})", what);
	else if (error)
		l->status = error;
	else if (unset.len)
		report(l, SCHEMA, n, "%s: environment variable '%s' is unset or empty "
		       "(give it a value, or a default: ${%s:-...})", what, unset.ptr, unset.ptr);
	else if (!(out = varve_buf_detach(&b)))
		l->status = varve_error__oom();
	varve_buf_dispose(&b);
	varve_buf_dispose(&unset);
	return out;
}

/*
 * Walk the mapping `map`: for each key, its index in `names` (-1 after
 * reporting an unknown or duplicate key) and its value. Returns false at
 * the end. `*i` is the walk's position, from 0.
 */
static bool next_pair(loader *l, yaml_node_t *map, const char *const *names, size_t count,
		      const char *where, unsigned *seen, size_t *i, int *idx, yaml_node_t **value)
{
	for (;;) {
		yaml_node_pair_t *pair = map->data.mapping.pairs.start + *i;
		yaml_node_t *key;
		const char *k;

		if (pair >= map->data.mapping.pairs.top)
			return false;
		++*i;
		key = node_at(l, pair->key);
		*value = node_at(l, pair->value);
		if (!key || !*value)
			continue;
		if (key->type != YAML_SCALAR_NODE) {
			report(l, SCHEMA, key, "keys %s must be strings", where);
			continue;
		}
		k = (const char *)key->data.scalar.value;
		*idx = -1;
		for (size_t j = 0; j < count; j++)
			if (strcmp(names[j], k) == 0)
				*idx = (int)j;
		if (*idx < 0) {
			varve_buf allowed = VARVE_BUF_INIT;

			for (size_t j = 0; j < count; j++)
				varve_buf_printf(&allowed, "%s%s", j ? ", " : "", names[j]);
			report(l, SCHEMA, key, "unknown key '%.*s' %s (allowed: %s)", SHOWN, k,
			       where, varve_buf_cstr(&allowed));
			varve_buf_dispose(&allowed);
			continue;
		}
		if (seen[*idx]) {
			report(l, SCHEMA, key, "duplicate key '%s' (first at line %u)", k,
			       seen[*idx]);
			continue;
		}
		seen[*idx] = (unsigned)key->start_mark.line + 1;
		return true;
	}
}

static int add_target(varve_fleet *f, char *conninfo, char *label, char *schema)
{
	target *t;

	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		target *grown = realloc(f->targets, cap * sizeof(*grown));

		if (!grown)
			goto oom;
		f->targets = grown;
		f->cap = cap;
	}
	t = &f->targets[f->count];
	memset(t, 0, sizeof(*t));
	t->conninfo = conninfo;
	t->label = label;
	t->schema = schema;
	if (!(t->display = varve_conninfo_redact(conninfo)))
		goto oom;
	t->pub.label = label;
	t->pub.schema = schema;
	t->pub.display = t->display;
	f->count++;
	return 0;
oom:
	if (conninfo)
		memset(conninfo, 0, strlen(conninfo));
	free(conninfo);
	free(label);
	free(schema);
	return varve_error__oom();
}

static const char *const target_keys[] = { "url", "label" };

static void load_targets(loader *l, yaml_node_t *list)
{
	if (list->type != YAML_SEQUENCE_NODE) {
		report(l, SCHEMA, list, "'targets' must be a list of {url, label}, not %s",
		       kind_of(list));
		return;
	}
	for (yaml_node_item_t *it = list->data.sequence.items.start;
	     it < list->data.sequence.items.top && !l->status; it++) {
		yaml_node_t *entry = node_at(l, *it), *v;
		unsigned seen[2] = { 0, 0 };
		char *url = NULL, *label = NULL;
		size_t i = 0;
		int idx;

		if (!entry)
			continue;
		if (entry->type != YAML_MAPPING_NODE) {
			report(l, SCHEMA, entry, "a target must be a mapping with 'url' "
			       "(and an optional 'label'), not %s", kind_of(entry));
			continue;
		}
		while (next_pair(l, entry, target_keys, 2, "in a target", seen, &i, &idx, &v)) {
			if (idx == 0) {
				free(url);
				url = url_of(l, v, "'url'");
			} else {
				const char *s = string_of(l, v, "'label'");

				free(label);
				label = NULL;
				if (s && (!*s || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
							"0123456789_.-") != strlen(s)))
					report(l, SCHEMA, v, "invalid label '%.*s' (letters, digits, "
					       "'_', '.' and '-')", SHOWN, s);
				else if (s && !(label = strdup(s)))
					l->status = varve_error__oom();
			}
		}
		if (!seen[0])
			report(l, SCHEMA, entry, "a target needs 'url'");
		if (url && !l->bad && !l->status) {
			l->status = add_target(l->fleet, url, label, NULL);
		} else {
			free(url);
			free(label);
		}
	}
}

static const char *const query_keys[] = { "database", "sql" };

static void load_query(loader *l, yaml_node_t *map)
{
	unsigned seen[2] = { 0, 0 };
	yaml_node_t *v;
	size_t i = 0;
	int idx;

	if (map->type != YAML_MAPPING_NODE) {
		report(l, SCHEMA, map, "'query' must be a mapping with 'database' and 'sql', not %s",
		       kind_of(map));
		return;
	}
	while (next_pair(l, map, query_keys, 2, "in 'query'", seen, &i, &idx, &v)) {
		const char *s;

		if (idx == 0) {
			l->fleet->query_db = url_of(l, v, "'query.database'");
		} else if ((s = string_of(l, v, "'query.sql'")) != NULL &&
			   !(l->fleet->query_sql = strdup(s))) {
			l->status = varve_error__oom();
		}
	}
	if (!seen[0] || !seen[1])
		report(l, SCHEMA, map, "'query' needs 'database' and 'sql'");
}

/* A schema name varve can qualify its version table with. */
static bool usable_schema(const char *s)
{
	return *s && strlen(s) <= 63 && !strchr(s, '.');
}

static const char *const schemas_keys[] = { "database", "names", "sql" };

static void load_schemas(loader *l, yaml_node_t *map)
{
	varve_fleet *f = l->fleet;
	unsigned seen[3] = { 0, 0, 0 };
	yaml_node_t *v;
	size_t i = 0;
	int idx;

	if (map->type != YAML_MAPPING_NODE) {
		report(l, SCHEMA, map, "'schemas' must be a mapping with 'database' and 'names' "
		       "or 'sql', not %s", kind_of(map));
		return;
	}
	while (next_pair(l, map, schemas_keys, 3, "in 'schemas'", seen, &i, &idx, &v)) {
		const char *s;

		if (idx == 0) {
			f->schemas_db = url_of(l, v, "'schemas.database'");
		} else if (idx == 2) {
			if ((s = string_of(l, v, "'schemas.sql'")) != NULL &&
			    !(f->schemas_sql = strdup(s)))
				l->status = varve_error__oom();
		} else if (v->type != YAML_SEQUENCE_NODE) {
			report(l, SCHEMA, v, "'schemas.names' must be a list of schema names, not %s",
			       kind_of(v));
		} else {
			size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);

			if (!(f->schema_names = calloc(n ? n : 1, sizeof(char *)))) {
				l->status = varve_error__oom();
				return;
			}
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top && !l->status; it++) {
				yaml_node_t *name = node_at(l, *it);

				if (!name || !(s = string_of(l, name, "a schema name")))
					continue;
				if (!usable_schema(s))
					report(l, SCHEMA, name, "invalid schema name '%.*s' (1 to 63 "
					       "bytes, no '.')", SHOWN, s);
				else if (!(f->schema_names[f->schema_count++] = strdup(s)))
					l->status = varve_error__oom();
			}
		}
	}
	if (!seen[0])
		report(l, SCHEMA, map, "'schemas' needs 'database'");
	if (!seen[1] == !seen[2])
		report(l, SCHEMA, map, "'schemas' needs either 'names' or 'sql'");
}

static const char *const top_keys[] = {
	"varve_fleet", "concurrency", "on_failure", "targets", "query", "schemas",
};

static void load_top(loader *l, yaml_node_t *root)
{
	varve_fleet *f = l->fleet;
	unsigned seen[VARVE_ARRAY_SIZE(top_keys)] = { 0 };
	yaml_node_t *v;
	size_t i = 0;
	int idx;

	if (root->type != YAML_MAPPING_NODE) {
		report(l, SCHEMA, root, "the fleet file must be a mapping with 'varve_fleet: 1' "
		       "and targets, not %s", kind_of(root));
		return;
	}
	while (!l->status && next_pair(l, root, top_keys, VARVE_ARRAY_SIZE(top_keys),
				       "in the fleet file", seen, &i, &idx, &v)) {
		const char *s = (const char *)(v->type == YAML_SCALAR_NODE ? v->data.scalar.value
					       : (yaml_char_t *)"");
		const char *k = kind_of(v);

		switch (idx) {
		case 0:
			if (strcmp(k, "an integer") != 0)
				report(l, SCHEMA, v, "'varve_fleet' must be an integer, not %s", k);
			else if (strcmp(s, "1") != 0)
				report(l, SCHEMA, v, "unsupported fleet format 'varve_fleet: %.*s' "
				       "(this varve reads format 1)", SHOWN, s);
			break;
		case 1:
			if (strcmp(k, "an integer") != 0)
				report(l, SCHEMA, v, "'concurrency' must be an integer, not %s", k);
			else if (strlen(s) > 5 || atol(s) < 1 || atol(s) > MAX_CONCURRENCY)
				report(l, SCHEMA, v, "'concurrency' must be from 1 to %d, not %.*s",
				       MAX_CONCURRENCY, SHOWN, s);
			else
				f->concurrency = (unsigned)strtoul(s, NULL, 10);
			break;
		case 2:
			if (strcmp(k, "a string") == 0 && strcmp(s, "stop") == 0)
				f->on_failure = VARVE_FLEET_STOP;
			else if (strcmp(k, "a string") == 0 && strcmp(s, "continue") == 0)
				f->on_failure = VARVE_FLEET_CONTINUE;
			else if (strcmp(k, "a string") == 0)
				report(l, SCHEMA, v, "'on_failure' must be stop or continue, not '%.*s'",
				       SHOWN, s);
			else
				report(l, SCHEMA, v, "'on_failure' must be stop or continue, not %s", k);
			break;
		case 3:
			load_targets(l, v);
			break;
		case 4:
			load_query(l, v);
			break;
		default:
			load_schemas(l, v);
			break;
		}
	}
	if (!seen[0])
		report(l, SCHEMA, root, "the fleet file is missing required key 'varve_fleet' "
		       "(the format version: varve_fleet: 1)");
	if (!seen[3] && !seen[4] && !seen[5])
		report(l, SCHEMA, root, "the fleet file names no target: give 'targets', "
		       "'query' or 'schemas'");
}

int varve_fleet_load(varve_fleet **out, const char *path, varve_diag_list *diags)
{
	yaml_parser_t parser;
	bool parser_ready = false, doc_ready = false;
	loader l;
	struct stat st;
	FILE *in = NULL;
	int error = 0;

	assert(out && path && diags);
	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.path = path;
	l.diags = diags;
	if (!(in = fopen(path, "rb")) || fstat(fileno(in), &st) != 0) {
		char reason[128];

		error = varve_error__set(VARVE_EIO, "cannot open '%s': %s", path,
					 varve_error__reason(errno, reason, sizeof(reason)));
		goto done;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_FILE) {
		error = varve_error__set(VARVE_EIO, "cannot open '%s': %s", path,
					 S_ISREG(st.st_mode) ? "larger than 16 MiB"
					 : "not a regular file");
		goto done;
	}
	if (!(l.fleet = calloc(1, sizeof(*l.fleet))) || !(l.fleet->path = strdup(path))) {
		error = varve_error__oom();
		goto done;
	}
	l.fleet->concurrency = 8;
	l.fleet->on_failure = VARVE_FLEET_STOP;
	if (!yaml_parser_initialize(&parser)) {
		error = varve_error__oom();
		goto done;
	}
	parser_ready = true;
	yaml_parser_set_input_file(&parser, in);
	if (!yaml_parser_load(&parser, &l.doc)) {
		yaml_node_t at;

		memset(&at, 0, sizeof(at));
		at.start_mark = parser.problem_mark;
		if (parser.error == YAML_MEMORY_ERROR) {
			error = varve_error__oom();
			goto done;
		}
		report(&l, SYNTAX, &at, "%s%s%s", parser.problem ? parser.problem : "invalid YAML",
		       parser.context ? " " : "", parser.context ? parser.context : "");
	} else {
		yaml_node_t *root;

		doc_ready = true;
		l.nodes = (size_t)(l.doc.nodes.top - l.doc.nodes.start);
		if (!(l.seen = calloc(l.nodes ? l.nodes : 1, 1))) {
			error = varve_error__oom();
			goto done;
		}
		if (!(root = node_at(&l, 1)))
			report(&l, SCHEMA, NULL, "the fleet file is empty (expected 'varve_fleet: 1' "
			       "and targets)");
		else
			load_top(&l, root);
	}
	if (l.status) {
		error = l.status;
		goto done;
	}
	if (l.bad) {
		error = varve_error__set(VARVE_EINVALID, "'%s' has errors", path);
		goto done;
	}
	*out = l.fleet;
	l.fleet = NULL;
done:
	if (doc_ready)
		yaml_document_delete(&l.doc);
	if (parser_ready)
		yaml_parser_delete(&parser);
	if (in)
		fclose(in);
	free(l.seen);
	varve_fleet_free(l.fleet);
	return error;
}

void varve_fleet_free(varve_fleet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->count; i++) {
		target *t = &f->targets[i];

		if (t->conninfo)
			memset(t->conninfo, 0, strlen(t->conninfo));
		free(t->conninfo);
		free(t->label);
		free(t->display);
		free(t->schema);
		free(t->version_table);
		free(t->error);
		varve_failure_free(t->failure);
		varve_diag_list_free(t->findings);
	}
	for (size_t i = 0; i < f->schema_count; i++)
		free(f->schema_names[i]);
	free(f->schema_names);
	free(f->targets);
	if (f->query_db)
		memset(f->query_db, 0, strlen(f->query_db));
	if (f->schemas_db)
		memset(f->schemas_db, 0, strlen(f->schemas_db));
	free(f->query_db);
	free(f->query_sql);
	free(f->schemas_db);
	free(f->schemas_sql);
	free(f->path);
	free(f);
}

unsigned varve_fleet_concurrency(const varve_fleet *f) { return f->concurrency; }
varve_fleet_on_failure varve_fleet_failure_mode(const varve_fleet *f) { return f->on_failure; }
size_t varve_fleet_count(const varve_fleet *f) { return f->count; }

const varve_fleet_target *varve_fleet_at(const varve_fleet *f, size_t i)
{
	return i < f->count ? &f->targets[i].pub : NULL;
}

/* ---------------------------------------------------------------------------
 * Targets from a control database
 */

/* Run `sql` on `conninfo`; *out holds its rows (PQclear). */
static int control_query(PGresult **out, const char *conninfo, const char *sql,
			 const char *what)
{
	PGconn *conn = NULL;
	PGresult *res;
	int error;

	*out = NULL;
	if ((error = varve_pg_connect(&conn, conninfo)) != 0) {
		char message[VARVE_ERROR_MESSAGE_MAX];

		snprintf(message, sizeof(message), "%s", varve_error_last());
		return varve_error__set(error, "%s: %s", what, message);
	}
	res = varve_pg__exec(conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		varve_buf msg = VARVE_BUF_INIT;

		varve_pg__oneline(&msg, PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res)
				  : PQerrorMessage(conn));
		error = varve_error__set(PQstatus(conn) == CONNECTION_BAD ? VARVE_ECONNECT
					 : VARVE_ERROR, "%s: the query failed: %s", what,
					 varve_buf_cstr(&msg));
		varve_buf_dispose(&msg);
		PQclear(res);
	} else if (PQnfields(res) < 1) {
		error = varve_error__set(VARVE_ERROR, "%s: the query returned no column", what);
		PQclear(res);
	} else {
		*out = res;
	}
	PQfinish(conn);
	return error;
}

/*
 * `base` with search_path set to `schema` for the whole session: libpq's
 * `options`, which RESET ALL returns to (the runner resets after every
 * migration). A URI gets it as a parameter, a key=value string as a key.
 */
static char *with_search_path(const char *base, const char *schema)
{
	varve_buf opt = VARVE_BUF_INIT, b = VARVE_BUF_INIT;

	/* -c search_path="schema": the identifier quoted for the server,
	 * then spaces and backslashes escaped for the options' splitting. */
	varve_buf_puts(&opt, "-c search_path=\"");
	for (const char *p = schema; *p; p++) {
		if (*p == '"')
			varve_buf_putc(&opt, '"');
		if (*p == ' ' || *p == '\\' || *p == '\t')
			varve_buf_putc(&opt, '\\');
		varve_buf_putc(&opt, *p);
	}
	varve_buf_putc(&opt, '"');
	varve_buf_puts(&b, base);
	if (strstr(base, "://")) {
		varve_buf_puts(&b, strchr(base, '?') ? "&options=" : "?options=");
		for (const char *p = varve_buf_cstr(&opt); *p; p++) {
			unsigned char c = (unsigned char)*p;

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || strchr("-_.~", c))
				varve_buf_putc(&b, (char)c);
			else
				varve_buf_printf(&b, "%%%02X", c);
		}
	} else {
		varve_buf_puts(&b, *base ? " options='" : "options='");
		for (const char *p = varve_buf_cstr(&opt); *p; p++) {
			if (*p == '\'' || *p == '\\')
				varve_buf_putc(&b, '\\');
			varve_buf_putc(&b, *p);
		}
		varve_buf_putc(&b, '\'');
	}
	varve_buf_dispose(&opt);
	if (b.oom) {
		varve_buf_dispose(&b);
		return NULL;
	}
	return varve_buf_detach(&b);
}

static int add_schema(varve_fleet *f, const char *schema)
{
	char *conninfo, *label = NULL, *name = NULL;

	if (!usable_schema(schema))
		return varve_error__set(VARVE_EINVALID, "'%s': invalid schema name '%.*s' "
					"(1 to 63 bytes, no '.')", f->path, SHOWN, schema);
	if (!(conninfo = with_search_path(f->schemas_db, schema)) ||
	    !(label = strdup(schema)) || !(name = strdup(schema))) {
		free(conninfo);
		free(label);
		return varve_error__oom();
	}
	return add_target(f, conninfo, label, name);
}

int varve_fleet_resolve(varve_fleet *f)
{
	PGresult *res = NULL;
	int error = 0;

	if (f->resolved)
		return 0;
	if (f->query_db && f->query_sql) {
		if ((error = control_query(&res, f->query_db, f->query_sql,
					   "the fleet's 'query'")) != 0)
			return error;
		for (int i = 0; i < PQntuples(res) && !error; i++) {
			char *conninfo, *label = NULL;

			if (PQgetisnull(res, i, 0)) {
				error = varve_error__set(VARVE_ERROR, "the fleet's 'query': row %d "
							 "has no connection string (NULL)", i + 1);
				break;
			}
			if (!(conninfo = strdup(PQgetvalue(res, i, 0))) ||
			    (PQnfields(res) > 1 && !PQgetisnull(res, i, 1) &&
			     !(label = strdup(PQgetvalue(res, i, 1))))) {
				free(conninfo);
				error = varve_error__oom();
				break;
			}
			error = add_target(f, conninfo, label, NULL);
		}
		PQclear(res);
		res = NULL;
		if (error)
			return error;
	}
	if (f->schemas_db) {
		for (size_t i = 0; i < f->schema_count && !error; i++)
			error = add_schema(f, f->schema_names[i]);
		if (!error && f->schemas_sql &&
		    (error = control_query(&res, f->schemas_db, f->schemas_sql,
					   "the fleet's 'schemas.sql'")) == 0) {
			for (int i = 0; i < PQntuples(res) && !error; i++)
				if (!PQgetisnull(res, i, 0))
					error = add_schema(f, PQgetvalue(res, i, 0));
			PQclear(res);
		}
		if (error)
			return error;
	}
	f->resolved = true;
	return 0;
}

/* ---------------------------------------------------------------------------
 * The run
 */

typedef struct fleet_run {
	varve_fleet *fleet;
	const varve_graph *graph;
	const varve_fleet_options *opts;
	const char *version_table;
	/* Asks every target under way to stop after its migration: the
	 * runner's own `stop` (varve_run_options). */
	volatile sig_atomic_t halt;
	bool stop_on_failure;
	bool interrupted; /* the caller's stop came */
} fleet_run;

typedef struct slot {
	fleet_run *run;
	size_t index;
	varve_fiber *fiber;
	varve_db *db; /* while open: the scheduler may cancel its statement */
} slot;

static void emit(fleet_run *r, varve_fleet_event_kind kind, size_t index,
		 const varve_event *ev)
{
	varve_fleet_event fe = { kind, index, ev };

	if (r->opts->progress)
		r->opts->progress(&fe, r->opts->payload);
}

static void on_migration(const varve_event *ev, void *payload)
{
	slot *s = payload;
	target *t = &s->run->fleet->targets[s->index];

	if (ev->kind == VARVE_EVENT_START)
		t->pub.running = ev->migration;
	else if (ev->kind == VARVE_EVENT_DONE || ev->kind == VARVE_EVENT_FAILED)
		t->pub.running = NULL;
	if (ev->kind == VARVE_EVENT_DONE)
		t->pub.done++;
	emit(s->run, VARVE_FLEET_EVENT_MIGRATION, s->index, ev);
}

/* The outcome of a target's run, from its status. */
static varve_target_state state_of(const fleet_run *r, const target *t, int status)
{
	switch (status) {
	case VARVE_OK:
		return VARVE_TARGET_DONE;
	case VARVE_ECONNECT:
	case VARVE_ELOCK:
		return VARVE_TARGET_UNREACHABLE;
	case VARVE_EINTERRUPTED:
		/* A migration that failed while the others were being stopped
		 * failed all the same; else it stopped at a boundary. */
		return t->failure && *t->failure->sqlstate && !r->interrupted
			? VARVE_TARGET_FAILED : VARVE_TARGET_STOPPED;
	default:
		return VARVE_TARGET_FAILED;
	}
}

/* How many migrations the run to the goal would take now (no lock: a
 * reading that another runner may change). */
static int plan_count(const fleet_run *r, varve_db *db, size_t *out)
{
	size_t n;
	const varve_applied *rows = varve_db_applied(db, &n);
	const char **revs = calloc(n ? n : 1, sizeof(*revs));
	varve_steps *steps = NULL;
	int error;

	if (!revs)
		return varve_error__oom();
	for (size_t i = 0; i < n; i++)
		revs[i] = rows[i].revision;
	error = varve_target_resolve(&steps, r->graph, r->opts->target ? r->opts->target : "head",
				     r->opts->direction, revs, n);
	*out = error ? 0 : varve_steps_count(steps);
	varve_steps_free(steps);
	free(revs);
	return error;
}

/*
 * check --database on one target: what its version table says against
 * the manifest, in a list of its own (the offline findings are the
 * caller's, once for the fleet). With the counts status gives.
 */
static int check_target(const fleet_run *r, target *t, varve_db *db)
{
	size_t n;
	const varve_applied *rows = varve_db_applied(db, &n);
	int status;

	if ((status = varve_diag_list_new(&t->findings)) != VARVE_OK)
		return status;
	t->pub.findings = t->findings;
	t->pub.applied = n;
	for (size_t i = 0; i < n; i++)
		t->pub.dirty += rows[i].dirty;
	if ((status = varve_check_database(db, r->graph, t->findings)) != VARVE_OK)
		return status;
	/* Pending: a reading as status gives it; an unknown revision
	 * leaves none to count (its finding says why). */
	if (plan_count(r, db, &t->pub.planned) != VARVE_OK)
		t->pub.planned = 0;
	return VARVE_OK;
}

static void run_target(void *arg)
{
	slot *s = arg;
	fleet_run *r = s->run;
	target *t = &r->fleet->targets[s->index];
	varve_run_options ro = VARVE_RUN_OPTIONS_INIT;
	varve_failure *failure = NULL;
	varve_db *db = NULL;
	size_t count = 0;
	int status;

	t->pub.state = VARVE_TARGET_RUNNING;
	t->pub.started_ms = varve_fiber__now_ms();
	emit(r, VARVE_FLEET_EVENT_START, s->index, NULL);
	status = varve_db_open(&db, t->conninfo, t->version_table ? t->version_table
			       : r->version_table);
	if (status == VARVE_OK) {
		s->db = db;
		varve_db_set_lock_wait(db, r->opts->lock_wait);
		if (r->opts->action == VARVE_FLEET_STATUS) {
			varve_status_counts c;

			if ((status = varve_status(db, r->graph, &c)) == VARVE_OK) {
				t->pub.applied = c.applied;
				t->pub.dirty = c.dirty;
				status = plan_count(r, db, &t->pub.planned);
			}
		} else if (r->opts->action == VARVE_FLEET_CHECK) {
			status = check_target(r, t, db);
		} else {
			ro.progress = on_migration;
			ro.payload = s;
			ro.stop = &r->halt;
			status = varve_migrate(db, r->graph, r->opts->target ? r->opts->target : "head",
					       r->opts->direction, &ro, &count, &failure);
			t->pub.planned = count;
		}
	}
	t->failure = failure;
	t->pub.failure = failure;
	t->pub.status = status;
	t->pub.running = NULL;
	if (status != VARVE_OK && !(t->error = varve_text_redact(varve_error_last())))
		t->error = strdup("out of memory");
	t->pub.state = state_of(r, t, status);
	if (t->pub.state == VARVE_TARGET_STOPPED && t->error && !r->interrupted) {
		/* The runner's words ("interrupted before '0004'") say less. */
		varve_buf b = VARVE_BUF_INIT;

		if (t->pub.done)
			varve_buf_printf(&b, "stopped after %zu migration%s", t->pub.done,
					 t->pub.done == 1 ? "" : "s");
		else
			varve_buf_puts(&b, "stopped before its first migration");
		varve_buf_puts(&b, ": another target failed (on_failure: stop)");
		if (!b.oom) {
			free(t->error);
			t->error = varve_buf_detach(&b);
		}
		varve_buf_dispose(&b);
	}
	t->pub.error = t->error;
	/* Before anything else can start: closing waits for the server. */
	if (r->stop_on_failure && (t->pub.state == VARVE_TARGET_FAILED ||
				   t->pub.state == VARVE_TARGET_UNREACHABLE))
		r->halt = 1;
	t->pub.duration_ms = varve_fiber__now_ms() - t->pub.started_ms;
	/* Unlocking and closing wait for the server too. */
	s->db = NULL;
	varve_db_free(db);
	emit(r, VARVE_FLEET_EVENT_END, s->index, NULL);
}

static void reset_results(varve_fleet *f)
{
	for (size_t i = 0; i < f->count; i++) {
		target *t = &f->targets[i];

		free(t->error);
		varve_failure_free(t->failure);
		varve_diag_list_free(t->findings);
		t->error = NULL;
		t->failure = NULL;
		t->findings = NULL;
		memset(&t->pub.state, 0, sizeof(t->pub) - offsetof(varve_fleet_target, state));
	}
}

/*
 * The statements under way are cancelled: the caller wants to stop. With
 * `abort`, the connections are shut instead, for servers that did not
 * answer the cancel within CANCEL_GRACE_MS (a hung backend), as a single
 * run does: their runs end as lost connections.
 */
#define CANCEL_GRACE_MS 5000.0
static void cancel_all(slot *slots, size_t n, bool abort)
{
	for (size_t i = 0; i < n; i++) {
		varve_canceller *c = NULL;

		if (!slots[i].fiber || !slots[i].db || varve_db_canceller(&c, slots[i].db) != 0)
			continue;
		if (abort)
			varve_canceller_abort(c);
		else
			varve_canceller_cancel(c);
		varve_canceller_free(c);
	}
}

int varve_fleet_run(varve_fleet *f, const varve_graph *graph,
		    const varve_fleet_options *options)
{
	static const varve_fleet_options defaults = VARVE_FLEET_OPTIONS_INIT;
	fleet_run r;
	slot *slots = NULL;
	struct pollfd *fds = NULL;
	size_t *owner = NULL;
	size_t conc, next = 0, running = 0;
	double last_tick = varve_fiber__now_ms(), interrupted_at = 0;
	bool aborted = false;
	int error = 0;

	assert(f && graph);
	if (!options)
		options = &defaults;
	if ((error = varve_fleet_resolve(f)) != 0)
		return error;
	memset(&r, 0, sizeof(r));
	r.fleet = f;
	r.graph = graph;
	r.opts = options;
	r.version_table = varve_manifest_version_table(varve_graph_manifest(graph));
	r.stop_on_failure = options->action != VARVE_FLEET_CHECK &&
		(options->on_failure < 0 ? (int)f->on_failure
		 : options->on_failure) == VARVE_FLEET_STOP;
	conc = options->concurrency ? options->concurrency : f->concurrency;
	if (conc > f->count)
		conc = f->count ? f->count : 1;
	reset_results(f);
	for (size_t i = 0; i < f->count; i++) {
		target *t = &f->targets[i];

		if (!t->schema || t->version_table)
			continue;
		if (strchr(r.version_table, '.'))
			return varve_error__set(VARVE_EINVALID, "'%s' has schema targets, but the "
				"manifest's version_table '%s' names a schema: each tenant's schema "
				"needs its own table; give version_table without a schema",
				f->path, r.version_table);
		{
			varve_buf b = VARVE_BUF_INIT;

			varve_buf_printf(&b, "%s.%s", t->schema, r.version_table);
			if (b.oom || !(t->version_table = varve_buf_detach(&b))) {
				varve_buf_dispose(&b);
				return varve_error__oom();
			}
		}
	}
	if (!(slots = calloc(conc, sizeof(*slots))) || !(fds = calloc(conc, sizeof(*fds))) ||
	    !(owner = calloc(conc, sizeof(*owner)))) {
		error = varve_error__oom();
		goto done;
	}
	for (;;) {
		size_t nfds = 0;
		double now, wake = -1;
		int timeout, n;

		if (options->stop && *options->stop && !r.interrupted) {
			r.interrupted = true;
			r.halt = 1;
			interrupted_at = varve_fiber__now_ms();
			cancel_all(slots, conc, false);
		} else if (r.interrupted && !aborted &&
			   varve_fiber__now_ms() > interrupted_at + CANCEL_GRACE_MS) {
			aborted = true;
			cancel_all(slots, conc, true);
		}
		/* Start what may start, each up to its first wait. */
		for (size_t k = 0; k < conc && !r.halt && next < f->count; k++) {
			slot *s = &slots[k];

			if (s->fiber)
				continue;
			while (next < f->count && options->selected && !options->selected[next])
				next++;
			if (next == f->count)
				break;
			memset(s, 0, sizeof(*s));
			s->run = &r;
			s->index = next++;
			if ((error = varve_fiber__new(&s->fiber, run_target, s)) != 0)
				goto done;
			running++;
			if (varve_fiber__resume(s->fiber, 0)) {
				varve_fiber__free(s->fiber);
				s->fiber = NULL;
				running--;
				k--; /* the slot is free again */
			}
		}
		if (!running)
			break;
		now = varve_fiber__now_ms();
		for (size_t k = 0; k < conc; k++) {
			short events;
			int fd;
			double d;

			if (!slots[k].fiber)
				continue;
			fd = varve_fiber__fd(slots[k].fiber, &events);
			d = varve_fiber__deadline(slots[k].fiber);
			if (fd >= 0) {
				fds[nfds].fd = fd;
				fds[nfds].events = events;
				fds[nfds].revents = 0;
				owner[nfds++] = k;
			}
			if (d >= 0 && (wake < 0 || d < wake))
				wake = d;
		}
		if (options->progress && (wake < 0 || wake > last_tick + TICK_MS))
			wake = last_tick + TICK_MS;
		/* A stop must be seen within a moment. */
		if (options->stop && (wake < 0 || wake > now + 250))
			wake = now + 250;
		timeout = wake < 0 ? -1 : wake <= now ? 0 : (int)(wake - now) + 1;
		n = poll(fds, nfds, timeout);
		if (n < 0 && errno != EINTR) {
			error = varve_error__set(VARVE_ERROR, "poll failed: %s", strerror(errno));
			break;
		}
		now = varve_fiber__now_ms();
		for (size_t k = 0; k < conc; k++) {
			slot *s = &slots[k];
			short revents = 0;
			bool ready = false;
			short events;
			int fd;
			double d;

			if (!s->fiber)
				continue;
			fd = varve_fiber__fd(s->fiber, &events);
			d = varve_fiber__deadline(s->fiber);
			for (size_t j = 0; n > 0 && fd >= 0 && j < nfds; j++)
				if (owner[j] == k && fds[j].revents) {
					revents = fds[j].revents;
					ready = true;
				}
			if (!ready && d >= 0 && now >= d)
				ready = true;
			if (!ready)
				continue;
			if (varve_fiber__resume(s->fiber, revents)) {
				varve_fiber__free(s->fiber);
				s->fiber = NULL;
				running--;
			}
		}
		if (options->progress && now >= last_tick + TICK_MS) {
			last_tick = now;
			emit(&r, VARVE_FLEET_EVENT_TICK, 0, NULL);
		}
	}
	for (size_t i = 0; i < f->count; i++)
		if (f->targets[i].pub.state == VARVE_TARGET_WAITING &&
		    (!options->selected || options->selected[i]))
			f->targets[i].pub.state = VARVE_TARGET_SKIPPED;
done:
	/* Fibers still alive here (out of memory, a failed poll) cannot be
	 * unwound: their stacks and slots stay, a leak rather than a crash. */
	if (running)
		slots = NULL;
	free(slots);
	free(fds);
	free(owner);
	return error;
}
