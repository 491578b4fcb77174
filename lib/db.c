/*
 * The connection, the version table, the advisory lock and the applied
 * state (SPEC §5).
 */
#include "db.h"
#include "buf.h"
#include "error.h"
#include "fiber.h"
#include "pg.h"

#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const char varve_db__version_table_ddl[] =
	"CREATE TABLE IF NOT EXISTS {{table}} (\n"
	"    revision     text        PRIMARY KEY,\n"
	"    description  text,\n"
	"    checksum     text,\n"
	"    applied_at   timestamptz NOT NULL DEFAULT now(),\n"
	"    applied_by   text        NOT NULL DEFAULT current_user,\n"
	"    duration_ms  bigint,\n"
	"    seq          bigint      GENERATED ALWAYS AS IDENTITY,\n"
	"    state        text        NOT NULL DEFAULT 'applied'\n"
	"                             CHECK (state IN ('applied', 'dirty'))\n"
	");\n";

int varve_db__failure(varve_db *db, int otherwise)
{
	if (PQstatus(db->conn) == CONNECTION_BAD)
		return VARVE_ECONNECT;
	return otherwise;
}

/* The one-line reason of a failed query, in the thread's error message. */
static int query_error(varve_db *db, PGresult *res, const char *what)
{
	varve_buf msg = VARVE_BUF_INIT;
	const char *reason = res ? PQresultErrorMessage(res) : "";
	int code;

	if (!*reason)
		reason = PQerrorMessage(db->conn);
	varve_pg__oneline(&msg, reason);
	code = varve_db__failure(db, VARVE_ERROR);
	if (code == VARVE_ECONNECT)
		varve_error__set(code, "lost the connection to %s while %s: %s",
				 db->display, what, varve_buf_cstr(&msg));
	else
		varve_error__set(code, "%s failed: %s", what, varve_buf_cstr(&msg));
	varve_buf_dispose(&msg);
	return code;
}

/* varve_db__exec, with what the query is for ("taking the lock") in its
 * error message. */
static int exec_doing(varve_db *db, const char *what, const char *sql, int nparams,
		      const char *const *params, PGresult **rows)
{
	PGresult *res = varve_pg__exec_params(db->conn, sql, nparams, params);
	ExecStatusType st = PQresultStatus(res);
	int error;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		if (rows)
			*rows = res;
		else
			PQclear(res);
		return 0;
	}
	error = query_error(db, res, what);
	PQclear(res);
	return error;
}

int varve_db__exec(varve_db *db, const char *sql, int nparams,
		   const char *const *params, PGresult **rows)
{
	return exec_doing(db, "querying the version table", sql, nparams, params, rows);
}

/*
 * FNV-1a over the resolved schema and table: runners on the same table
 * share the key however the manifest spells it (`varve_version`,
 * `public.varve_version`). A NUL keeps "a.b"+"c" apart from "a"+"b.c".
 */
static int64_t lock_key_for(const char *schema, const char *table)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = "varve:"; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (p = schema ? schema : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h *= 1099511628211ULL; /* the NUL: h ^ 0 == h */
	for (p = table; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (int64_t)h;
}

void varve_db__lock_oids(const varve_db *db, char hi[16], char lo[16])
{
	uint64_t key = (uint64_t)db->lock_key;

	snprintf(hi, 16, "%u", (unsigned)(key >> 32));
	snprintf(lo, 16, "%u", (unsigned)(key & 0xffffffffu));
}

/* `schema`.`table`, each part quoted by libpq, appended to `b`. */
static int put_identifiers(varve_db *db, varve_buf *b, const char *schema,
			   size_t schema_len, const char *table)
{
	char *qs = NULL, *qt = NULL;
	int error = 0;

	if ((schema && !(qs = PQescapeIdentifier(db->conn, schema, schema_len))) ||
	    !(qt = PQescapeIdentifier(db->conn, table, strlen(table)))) {
		error = VARVE_EINVALID;
		goto done;
	}
	if (qs)
		varve_buf_printf(b, "%s.", qs);
	varve_buf_puts(b, qt);
	if (b->oom)
		error = VARVE_ENOMEM;
done:
	PQfreemem(qs);
	PQfreemem(qt);
	return error;
}

/*
 * The version table, named three ways: as the manifest spells it, quoted
 * (db->table, for messages); resolved once through the server to its
 * schema (db->qualified, for every query: a migration that sets
 * search_path cannot move the rows); and the lock key of the resolved
 * name. An unqualified name resolves to the schema that holds the table
 * now, else to the one CREATE TABLE would use (current_schema()).
 */
static int resolve_table(varve_db *db, const char *name)
{
	const char *dot = strchr(name, '.');
	const char *table = dot ? dot + 1 : name;
	char *schema_given = dot ? strndup(name, (size_t)(dot - name)) : NULL;
	const char *params[] = { table, schema_given };
	varve_buf b = VARVE_BUF_INIT, q = VARVE_BUF_INIT;
	PGresult *res = NULL;
	const char *schema;
	int error = 0;

	if (dot && !schema_given)
		return varve_error__oom();
	if ((error = put_identifiers(db, &b, schema_given,
				     schema_given ? strlen(schema_given) : 0, table)) != 0 ||
	    (!(db->table = varve_buf_detach(&b)) && (error = VARVE_ENOMEM)) ||
	    (schema_given && (error = put_identifiers(db, &q, NULL, 0, schema_given)) != 0) ||
	    (schema_given && !(db->schema = varve_buf_detach(&q)) && (error = VARVE_ENOMEM))) {
		error = error == VARVE_EINVALID
			? varve_error__set(VARVE_EINVALID, "invalid version table name '%s'", name)
			: varve_error__oom();
		goto done;
	}
	if ((error = exec_doing(db, "resolving the version table",
		"SELECT coalesce($2::text, (SELECT n.nspname FROM pg_catalog.pg_class c "
		"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		"WHERE c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident($1))), "
		"pg_catalog.current_schema()), pg_catalog.pg_backend_pid()",
		2, params, &res)) != 0)
		goto done;
	schema = PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0);
	db->backend_pid = (int)strtol(PQgetvalue(res, 0, 1), NULL, 10);
	db->lock_key = lock_key_for(schema, table);
	varve_buf_clear(&b);
	error = put_identifiers(db, &b, schema, schema ? strlen(schema) : 0, table);
	if (error || !(db->qualified = varve_buf_detach(&b)))
		error = error == VARVE_EINVALID
			? varve_error__set(VARVE_EINVALID, "invalid version table name '%s'", name)
			: varve_error__oom();
done:
	PQclear(res);
	varve_buf_dispose(&b);
	varve_buf_dispose(&q);
	free(schema_given);
	return error;
}

int varve_db_open(varve_db **out, const char *conninfo,
		  const char *version_table)
{
	varve_db *db;
	int error;

	*out = NULL;
	if (!(db = calloc(1, sizeof(*db))))
		return varve_error__oom();
	if (!(db->display = varve_conninfo_redact(conninfo)) ||
	    !(db->conninfo = strdup(conninfo))) {
		error = varve_error__oom();
		goto fail;
	}
	if ((error = varve_pg_connect(&db->conn, conninfo)) != 0)
		goto fail;
	db->server_version = PQserverVersion(db->conn);
	if ((error = resolve_table(db, version_table)) != 0)
		goto fail;
	db->lock_wait = 60;
	if ((error = varve_db__reload(db)) != 0)
		goto fail;
	*out = db;
	return 0;
fail:
	varve_db_free(db);
	return error;
}

void varve_db_free(varve_db *db)
{
	if (!db)
		return;
	if (db->conn && db->locked && PQstatus(db->conn) == CONNECTION_OK) {
		char key[32];
		const char *params[] = { key };
		PGresult *res;

		snprintf(key, sizeof(key), "%lld", (long long)db->lock_key);
		res = varve_pg__exec_params(db->conn, "SELECT pg_advisory_unlock($1::bigint)",
				   1, params);
		PQclear(res);
	}
	if (db->conn)
		PQfinish(db->conn);
	free(db->display);
	if (db->conninfo) {
		/* It may hold a password. */
		memset(db->conninfo, 0, strlen(db->conninfo));
		free(db->conninfo);
	}
	free(db->qualified);
	free(db->table);
	free(db->schema);
	free(db->applied);
	varve_arena_dispose(&db->arena);
	free(db);
}

struct varve_canceller {
	PGcancel *cancel;
	int socket;
};

int varve_db_canceller(varve_canceller **out, varve_db *db)
{
	varve_canceller *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return varve_error__oom();
	c->socket = PQsocket(db->conn);
	if (!(c->cancel = PQgetCancel(db->conn))) {
		free(c);
		return varve_error__set(VARVE_ECONNECT, "cannot prepare a cancel request for %s",
					db->display);
	}
	*out = c;
	return 0;
}

void varve_canceller_cancel(varve_canceller *c)
{
	char ignored[256];

	/* PQcancel is safe in a signal handler; its failure changes nothing. */
	if (c)
		(void)PQcancel(c->cancel, ignored, sizeof(ignored));
}

void varve_canceller_abort(varve_canceller *c)
{
	/* shutdown, not close: the descriptor stays libpq's to close, and
	 * the poll it waits in wakes up to an end of file. */
	if (c && c->socket >= 0)
		(void)shutdown(c->socket, SHUT_RDWR);
}

void varve_canceller_free(varve_canceller *c)
{
	if (!c)
		return;
	PQfreeCancel(c->cancel);
	free(c);
}

const char *varve_db_display(const varve_db *db) { return db->display; }
void varve_db_set_lock_wait(varve_db *db, double seconds) { db->lock_wait = seconds; }
const char *varve_db_table(const varve_db *db) { return db->table; }
PGconn *varve_db_conn(varve_db *db) { return db->conn; }

const varve_applied *varve_db_applied(const varve_db *db, size_t *count)
{
	*count = db->applied_count;
	return db->applied;
}

static const char *copy_field(varve_db *db, PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return varve_arena_strndup(&db->arena, PQgetvalue(res, row, col),
				   (size_t)PQgetlength(res, row, col));
}

/* "2026-11-22 04:43:47.123456" (UTC) -> "2026-11-22T04:43:47Z". */
static const char *iso_utc(varve_db *db, const char *text)
{
	char iso[21];

	if (strlen(text) < 19)
		return varve_arena_strdup(&db->arena, text);
	memcpy(iso, text, 19);
	iso[10] = 'T';
	iso[19] = 'Z';
	iso[20] = '\0';
	return varve_arena_strdup(&db->arena, iso);
}

/*
 * The version table exists but lacks columns varve reads: name the table
 * and the columns, not libpq's "column ... does not exist".
 */
static int not_a_version_table(varve_db *db)
{
	static const char wanted[] = "{revision,description,checksum,applied_at,"
				     "applied_by,duration_ms,seq,state}";
	const char *params[] = { wanted, db->qualified };
	PGresult *res = NULL;
	int error;

	if (exec_doing(db, "reading the version table's columns",
		"SELECT string_agg(w.c, ', ' ORDER BY w.o) "
		"FROM unnest($1::text[]) WITH ORDINALITY AS w(c, o) "
		"WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a "
		"WHERE a.attrelid = pg_catalog.to_regclass($2) AND a.attname = w.c "
		"AND a.attnum > 0 AND NOT a.attisdropped)", 2, params, &res) != 0 ||
	    PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return varve_error__set(VARVE_ERROR, "cannot read %s: it is not a varve "
					"version table", db->table);
	}
	error = varve_error__set(VARVE_ERROR,
		"%s exists but is not a varve version table: it lacks the column%s %s; "
		"name another table in version_table, or see schemas/version_table.sql",
		db->table, strchr(PQgetvalue(res, 0, 0), ',') ? "s" : "",
		PQgetvalue(res, 0, 0));
	PQclear(res);
	return error;
}

int varve_db__reload(varve_db *db)
{
	PGresult *res = NULL;
	varve_buf sql = VARVE_BUF_INIT;
	const char *state;
	int error = 0, n;

	free(db->applied);
	db->applied = NULL;
	db->applied_count = 0;
	varve_arena_dispose(&db->arena);
	/* One round trip: a missing table (or schema) is an error we expect.
	 * The timestamp is formatted here, which costs the server less than
	 * to_char on every row. */
	varve_buf_printf(&sql,
		"SELECT revision, description, checksum, "
		"(applied_at AT TIME ZONE 'UTC')::text, "
		"applied_by, duration_ms, seq, state FROM %s ORDER BY seq", db->qualified);
	if (sql.oom)
		return varve_error__oom();
	res = varve_pg__exec(db->conn, sql.ptr);
	varve_buf_dispose(&sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state && (strcmp(state, "42P01") == 0 || strcmp(state, "3F000") == 0)) {
			db->table_exists = false;
		} else if (state && strcmp(state, "42703") == 0 &&
			   PQstatus(db->conn) == CONNECTION_OK) {
			error = not_a_version_table(db);
		} else {
			varve_buf msg = VARVE_BUF_INIT;

			varve_pg__oneline(&msg, PQresultErrorMessage(res)[0]
					  ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
			error = varve_error__set(varve_db__failure(db, VARVE_ERROR),
						 "cannot read %s: %s", db->table, varve_buf_cstr(&msg));
			varve_buf_dispose(&msg);
		}
		PQclear(res);
		return error;
	}
	db->table_exists = true;
	n = PQntuples(res);
	if (n > 0 && !(db->applied = calloc((size_t)n, sizeof(*db->applied)))) {
		PQclear(res);
		return varve_error__oom();
	}
	for (int i = 0; i < n; i++) {
		varve_applied *a = &db->applied[i];

		a->revision = copy_field(db, res, i, 0);
		a->description = copy_field(db, res, i, 1);
		a->checksum = copy_field(db, res, i, 2);
		a->applied_at = iso_utc(db, PQgetvalue(res, i, 3));
		a->applied_by = copy_field(db, res, i, 4);
		a->duration_ms = PQgetisnull(res, i, 5) ? 0
			: strtoll(PQgetvalue(res, i, 5), NULL, 10);
		a->seq = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		a->dirty = strcmp(PQgetvalue(res, i, 7), "dirty") == 0;
		/* A table someone made or edited may hold NULLs where ours
		 * holds none: a NULL is a NULL, only a failed copy is OOM. */
		if (PQgetisnull(res, i, 0)) {
			PQclear(res);
			return varve_error__set(VARVE_ERROR, "cannot read %s: a row has no revision "
						"(NULL)", db->table);
		}
		if (!a->revision || !a->applied_at ||
		    (!a->applied_by && !PQgetisnull(res, i, 4)) ||
		    (!a->description && !PQgetisnull(res, i, 1)) ||
		    (!a->checksum && !PQgetisnull(res, i, 2))) {
			PQclear(res);
			return varve_error__oom();
		}
	}
	db->applied_count = (size_t)n;
	PQclear(res);
	return 0;
}

int varve_db__rename(varve_db *db, const char *old, const char *renamed)
{
	varve_buf q = VARVE_BUF_INIT;
	const char *params[] = { old, renamed };
	int error;

	varve_buf_printf(&q, "UPDATE %s SET revision = $2 WHERE revision = $1", db->qualified);
	error = q.oom ? varve_error__oom() : varve_db__exec(db, q.ptr, 2, params, NULL);
	varve_buf_dispose(&q);
	return error;
}

int varve_db__ensure_table(varve_db *db)
{
	varve_buf sql = VARVE_BUF_INIT;
	const char *p = varve_db__version_table_ddl, *mark;
	int error;

	if (db->table_exists)
		return 0;
	/* Its own statement: the extended protocol takes one command a query. */
	if (db->schema) {
		varve_buf_printf(&sql, "CREATE SCHEMA IF NOT EXISTS %s", db->schema);
		error = sql.oom ? varve_error__oom()
				: varve_db__exec(db, sql.ptr, 0, NULL, NULL);
		if (error)
			goto done;
		varve_buf_clear(&sql);
	}
	while ((mark = strstr(p, "{{table}}")) != NULL) {
		varve_buf_put(&sql, p, (size_t)(mark - p));
		varve_buf_puts(&sql, db->qualified);
		p = mark + strlen("{{table}}");
	}
	varve_buf_puts(&sql, p);
	if (sql.oom) {
		error = varve_error__oom();
		goto done;
	}
	if ((error = varve_db__exec(db, sql.ptr, 0, NULL, NULL)) == 0)
		db->table_exists = true;
done:
	varve_buf_dispose(&sql);
	return error;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In a fiber, the other fibers run meanwhile (lib/fiber.h). */
static void sleep_seconds(double s)
{
	varve_fiber__sleep(s * 1e3);
}

/* Who holds the lock, for the message when waiting gives up. */
static void describe_holder(varve_db *db, varve_buf *out)
{
	char hi[16], lo[16];
	const char *params[] = { hi, lo };
	PGresult *res = NULL;

	varve_db__lock_oids(db, hi, lo);
	if (varve_db__exec(db,
		"SELECT a.pid, coalesce(nullif(a.application_name, ''), '?'), "
		"coalesce(a.state, '?'), "
		"coalesce(extract(epoch FROM now() - a.backend_start)::bigint, 0), "
		"left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 120) "
		"FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
		"WHERE l.locktype = 'advisory' AND l.granted "
		"AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1",
		2, params, &res) != 0 || PQntuples(res) == 0) {
		varve_buf_puts(out, "another session");
		PQclear(res);
		return;
	}
	varve_buf_printf(out, "pid %s (application '%s', %s, connected %ss ago, "
			 "last query: %s)", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
			 PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4));
	PQclear(res);
}

double varve_db__jitter(void)
{
	uint64_t r = 0;

	/* The kernel's generator: a rand() nobody seeds waits the same
	 * "random" pauses in every runner. */
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		r = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
		r *= 0x9E3779B97F4A7C15ULL;
	}
	return (double)(r >> 11) / 9007199254740992.0; /* 53 bits, [0, 1) */
}

/* The pg_backend_pid() of `conn`'s next statement; -1 when it fails. */
static long backend_pid_of(PGconn *conn)
{
	PGresult *res = varve_pg__exec(conn, "SELECT pg_catalog.pg_backend_pid()");
	long pid = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		pid = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return pid;
}

static bool exec_ok(PGconn *conn, const char *sql)
{
	PGresult *res = varve_pg__exec(conn, sql);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	PQclear(res);
	return ok;
}

/*
 * A session advisory lock holds only if every statement of this session
 * runs on one server backend. Behind a pooler in transaction (or
 * statement) mode it does not: the lock is taken on one backend and
 * checked or released on another, and two runners both "hold" it.
 *
 * Connected straight to PostgreSQL, the backend's pid that libpq learnt
 * at startup is pg_backend_pid(), and nothing more is asked. When they
 * differ, something sits in between (PgBouncer sends its own key): then a
 * second client connection pins a backend in an open transaction, and the
 * two must never share a backend, nor this session change backends. In
 * session mode they cannot; in transaction mode a pooler hands out the
 * backend this session just released. Three rounds, for poolers that
 * hand backends out round-robin.
 */
static int check_session_pooling(varve_db *db)
{
	PGconn *probe = NULL;
	const char *why = NULL;
	int error = 0;

	if (PQbackendPID(db->conn) == db->backend_pid)
		return 0;
	if ((error = varve_pg_connect(&probe, db->conninfo)) != 0) {
		char message[1024];

		snprintf(message, sizeof(message), "%s", varve_error_last());
		return varve_error__set(error, "%s is not PostgreSQL itself (a pooler or a "
					"proxy?), and a second connection to check that it keeps "
					"sessions apart failed: %s", db->display, message);
	}
	for (int round = 0; round < 3 && !why; round++) {
		long mine, theirs;

		if (!exec_ok(probe, "BEGIN")) {
			why = "a second connection cannot open a transaction (statement pooling?)";
			break;
		}
		theirs = backend_pid_of(probe);
		mine = backend_pid_of(db->conn);
		if (mine < 0 || theirs < 0)
			why = "pg_backend_pid() failed";
		else if (theirs == db->backend_pid || theirs == mine)
			why = "another client connection was given this session's server backend";
		else if (mine != db->backend_pid)
			why = "this session moved to another server backend between two statements";
		if (PQtransactionStatus(probe) != PQTRANS_IDLE)
			(void)exec_ok(probe, "ROLLBACK");
	}
	if (why && PQstatus(db->conn) == CONNECTION_BAD)
		error = varve_error__set(VARVE_ECONNECT, "lost the connection to %s while "
					 "checking for a connection pooler", db->display);
	else if (why)
		error = varve_error__set(VARVE_ECONNECT,
			"%s goes through a connection pooler in transaction or statement "
			"pooling mode (%s): varve's session advisory lock would be taken and "
			"released on different server connections and could not keep two "
			"runners apart; connect to PostgreSQL directly, or through a pool in "
			"session mode", db->display, why);
	PQfinish(probe);
	return error;
}

/* One row, "1", while this backend holds the lock; 22012 (division by
 * zero) when it does not, which inside a transaction aborts it. */
const char varve_db__lock_held_sql[] =
	"SELECT 1 / count(*)::int FROM pg_catalog.pg_locks "
	"WHERE locktype = 'advisory' AND granted AND pid = pg_catalog.pg_backend_pid() "
	"AND classid = $1::oid AND objid = $2::oid AND objsubid = 1";

int varve_db_lock(varve_db *db, double wait_seconds)
{
	char key[32];
	const char *params[] = { key };
	double start = now_seconds(), pause = 0.025;
	int error;

	if (db->locked)
		return varve_db__reload(db);
	if ((error = check_session_pooling(db)) != 0)
		return error;
	snprintf(key, sizeof(key), "%lld", (long long)db->lock_key);
	for (;;) {
		PGresult *res = NULL;
		bool got;
		double left, nap;

		if ((error = exec_doing(db, "taking the runner lock",
					"SELECT pg_try_advisory_lock($1::bigint)", 1, params,
					&res)) != 0)
			return error;
		got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (got)
			break;
		left = wait_seconds - (now_seconds() - start);
		if (left <= 0) {
			varve_buf who = VARVE_BUF_INIT;

			describe_holder(db, &who);
			error = varve_error__set(VARVE_ELOCK,
				"another runner holds the lock on %s after %.0fs of waiting: %s",
				db->table, wait_seconds, varve_buf_cstr(&who));
			varve_buf_dispose(&who);
			return error;
		}
		/* Backoff with jitter, so waiting runners do not poll in step. */
		pause = pause * 2 > 1.0 ? 1.0 : pause * 2;
		nap = pause * (0.5 + varve_db__jitter() / 2);
		sleep_seconds(nap < left ? nap : left);
	}
	db->locked = true;
	/* Another runner may have changed things while we waited. */
	return varve_db__reload(db);
}
