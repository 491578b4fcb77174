/*
 * Running migrations through libpq (SPEC §5): one transaction per
 * migration with its version-table write, COMMIT only after the SQL
 * succeeded; statement by statement for `transaction: false`, recorded
 * dirty when one fails; lock_timeout retries with backoff and jitter.
 */
#include "db.h"
#include "buf.h"
#include "check.h"
#include "diag.h"
#include "error.h"
#include "fiber.h"
#include "graph.h"
#include "manifest.h"
#include "pg.h"
#include "sqlfile.h"

#include <time.h>

/* The SQL of one migration in one direction. */
typedef struct migration_sql {
	varve_sqlfile *file; /* NULL for a merge without SQL */
	varve_section_kind kind;
	char *path; /* as shown to the user */
	const char *text;
	size_t len;
	char checksum[VARVE_CHECKSUM_LEN + 1]; /* of the upgrade, for the record */
	/* The manifest's `transaction`, false for `-- +goose NO TRANSACTION` */
	bool transaction;
} migration_sql;

typedef struct runner {
	varve_db *db;
	const varve_graph *graph;
	const varve_manifest *m;
	const varve_run_options *opts;
	varve_failure **failure;
} runner;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void emit(const runner *r, varve_event_kind kind, varve_direction dir,
		 const varve_migration *mig, double ms, int attempt)
{
	varve_event ev = { kind, dir, mig, ms, attempt, NULL };

	if (r->opts->progress)
		r->opts->progress(&ev, r->opts->payload);
}

void varve_failure_free(varve_failure *f)
{
	if (!f)
		return;
	free(f->revision);
	free(f->file);
	free(f->sqlstate);
	free(f->message);
	free(f->detail);
	free(f->hint);
	free(f->cleanup);
	free(f);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A failure that is not the server's: a file that cannot be read, say. */
static int fail_plain(const runner *r, const varve_migration *mig,
		      const char *file, int code, const char *message)
{
	varve_failure *f = calloc(1, sizeof(*f));

	if (!f || !(f->revision = strdup(mig->revision)) ||
	    !(f->sqlstate = strdup("")) || !(f->message = strdup(message)) ||
	    (file && !(f->file = strdup(file)))) {
		varve_failure_free(f);
		return varve_error__oom();
	}
	varve_failure_free(*r->failure);
	*r->failure = f;
	return varve_error__set(code, "'%s' failed: %s", mig->revision, message);
}

static void sql_dispose(migration_sql *s)
{
	varve_sqlfile_free(s->file);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

/*
 * Refuse `mig` for the first error `check` found in it (`d`): the runner
 * runs only SQL that check's reading accepted.
 */
static int fail_check(const runner *r, const varve_migration *mig,
		      const varve_diag *d)
{
	varve_buf msg = VARVE_BUF_INIT;
	int error;

	varve_buf_printf(&msg, "%s [%s]", d->message, d->code);
	if (msg.oom)
		return varve_error__oom();
	error = fail_plain(r, mig, d->file, VARVE_EMIGRATION, msg.ptr);
	varve_buf_dispose(&msg);
	if (error != VARVE_EMIGRATION)
		return error;
	(*r->failure)->line = d->line;
	(*r->failure)->column = d->column;
	return varve_error__set(VARVE_EMIGRATION,
		"'%s' is refused, nothing ran: %s:%u:%u: %s [%s]", mig->revision,
		d->file ? d->file : "", d->line, d->column, d->message, d->code);
}

/*
 * Read the SQL that `mig` runs in `dir`, through check's own reading
 * (varve_check__migration): a migration with any check error is refused
 * here, before anything runs. A merge without SQL reads as no text; a
 * downgrade that does not exist is a failure.
 */
static int load_sql(const runner *r, const varve_migration *mig,
		    varve_direction dir, migration_sql *out)
{
	const char *rel;
	varve_diag_list *diags = NULL;
	varve_check_sql cs;
	varve_sqlfile *f;
	char *p;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&cs, 0, sizeof(cs));
	out->kind = dir == VARVE_UPGRADE ? VARVE_SECTION_UP : VARVE_SECTION_DOWN;
	out->transaction = mig->transaction;
	/* Its SQL is somewhere it must not be read from: never a merge. */
	if (mig->path_refused)
		return fail_plain(r, mig, NULL, VARVE_EMIGRATION,
				  "its SQL file was refused when the manifest was read (see 'varve check')");
	if (mig->file)
		rel = mig->file;
	else
		rel = dir == VARVE_UPGRADE ? mig->up : mig->down;
	if (!rel) {
		if (dir == VARVE_DOWNGRADE && mig->up)
			return fail_plain(r, mig, NULL, VARVE_EMIGRATION,
					  "it has no downgrade");
		return 0; /* a merge: only bookkeeping */
	}
	if ((error = varve_diag_list_new(&diags)) != 0 ||
	    (error = varve_check__migration(r->m, mig, diags, &cs)) != 0)
		goto done;
	for (size_t i = 0; i < varve_diag_list_count(diags); i++) {
		const varve_diag *d = varve_diag_list_at(diags, i);

		if (d->severity == VARVE_SEVERITY_ERROR) {
			error = fail_check(r, mig, d);
			goto done;
		}
	}
	/* Keep the file of this direction; `file` holds both. */
	f = dir == VARVE_UPGRADE ? cs.up : cs.down;
	p = dir == VARVE_UPGRADE ? cs.up_path : cs.down_path;
	if (!f || !p) {
		error = fail_plain(r, mig, NULL, VARVE_EMIGRATION,
				   "its SQL could not be read (see 'varve check')");
		goto done;
	}
	out->file = f;
	out->path = p;
	if (cs.up == f)
		cs.up = NULL;
	if (cs.down == f)
		cs.down = NULL;
	if (cs.up_path == p)
		cs.up_path = NULL;
	if (cs.down_path == p)
		cs.down_path = NULL;
	out->transaction = cs.transaction;
	memcpy(out->checksum, cs.checksum, sizeof(out->checksum));
	if (dir == VARVE_DOWNGRADE && !varve_sqlfile_has(out->file, out->kind)) {
		error = fail_plain(r, mig, out->path, VARVE_EMIGRATION,
				   "it has no downgrade section");
		goto done;
	}
	out->text = varve_sqlfile_text(out->file, out->kind, &out->len);
	if (!out->text) {
		out->text = "";
		out->len = 0;
	}
done:
	varve_check__sql_dispose(&cs);
	varve_diag_list_free(diags);
	if (error)
		sql_dispose(out);
	return error;
}

/* The byte offset of the 1-based character position `chars` in `s`. */
static size_t char_to_byte(const char *s, size_t len, long chars)
{
	size_t i = 0;

	for (long c = 1; c < chars && i < len; c++) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* The one-line reason of a failed result: the server's message, else libpq's. */
static void reason(varve_buf *out, PGconn *conn, PGresult *res)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (primary)
		varve_buf_puts(out, primary);
	else
		varve_pg__oneline(out, res && PQresultErrorMessage(res)[0]
				  ? PQresultErrorMessage(res) : PQerrorMessage(conn));
}

/* Where the section's statement number `index` starts; 0 and 0 if unknown. */
static void statement_position(const migration_sql *sql, size_t index,
			       unsigned *line, unsigned *column)
{
	varve_statement *stmts = NULL;
	varve_diag_list *diags = NULL;
	size_t count = 0;

	if (varve_diag_list_new(&diags) == 0 &&
	    varve_sqlfile_statements(sql->file, sql->kind, &stmts, &count, diags) == 0 &&
	    index < count)
		varve_sqlfile_position(sql->file, sql->kind, stmts[index].offset, line, column);
	free(stmts);
	varve_diag_list_free(diags);
}

/*
 * The server's error as a failure at its place in the migration's file.
 * `query` is what was sent; the section's text starts at byte `base` of
 * it. The server gives a position only for errors found before
 * execution; for the rest, `stmt` (the failing statement's index in the
 * section, -1 if not known) places the error at that statement.
 */
static int fail_server(const runner *r, const varve_migration *mig,
		       const migration_sql *sql, PGresult *res,
		       const char *query, size_t base, long stmt)
{
	varve_failure *f = calloc(1, sizeof(*f));
	const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	varve_buf msg = VARVE_BUF_INIT;

	if (!f)
		return varve_error__oom();
	reason(&msg, r->db->conn, res);
	f->revision = strdup(mig->revision);
	f->file = dup_or_null(sql->path);
	f->sqlstate = strdup(state ? state : "");
	f->message = strdup(varve_buf_cstr(&msg));
	f->detail = dup_or_null(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
	f->hint = dup_or_null(PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
	varve_buf_dispose(&msg);
	if (!f->revision || !f->sqlstate || !f->message) {
		varve_failure_free(f);
		return varve_error__oom();
	}
	if (pos && sql->file) {
		size_t at = char_to_byte(query, strlen(query), strtol(pos, NULL, 10));

		if (at >= base && at - base <= sql->len)
			varve_sqlfile_position(sql->file, sql->kind, at - base,
					       &f->line, &f->column);
	}
	if (!f->line && stmt >= 0 && sql->file)
		statement_position(sql, (size_t)stmt, &f->line, &f->column);
	if (!f->line && sql->file)
		f->line = varve_sqlfile_first_line(sql->file, sql->kind);
	varve_failure_free(*r->failure);
	*r->failure = f;
	if (PQstatus(r->db->conn) == CONNECTION_BAD && !sql->transaction)
		return varve_error__set(VARVE_ECONNECT,
			"lost the connection to %s while running '%s', which has "
			"'transaction: false': the statements before stay done and it "
			"stays dirty; repair the database, then run 'varve resolve %s "
			"--applied' or '--rolled-back': %s", r->db->display,
			mig->revision, mig->revision, f->message);
	if (PQstatus(r->db->conn) == CONNECTION_BAD)
		return varve_error__set(VARVE_ECONNECT,
			"lost the connection to %s while running '%s'; it was not "
			"committed: %s", r->db->display, mig->revision, f->message);
	return varve_error__set(VARVE_EMIGRATION, "'%s' failed: %s",
				mig->revision, f->message);
}

/*
 * Literals and identifiers for a script, where there is no connection for
 * libpq to quote with. A literal with a backslash is written E'' with the
 * backslash doubled, as PQescapeLiteral does, so that it reads the same
 * whatever standard_conforming_strings says.
 */
static void put_quoted(varve_buf *b, const char *s, char quote)
{
	varve_buf_putc(b, quote);
	for (; *s; s++) {
		if (*s == quote || (quote == '\'' && *s == '\\'))
			varve_buf_putc(b, *s);
		varve_buf_putc(b, *s);
	}
	varve_buf_putc(b, quote);
}

static void put_literal(varve_buf *b, const char *s)
{
	if (!s) {
		varve_buf_puts(b, "NULL");
		return;
	}
	if (strchr(s, '\\'))
		varve_buf_putc(b, 'E');
	put_quoted(b, s, '\'');
}

/* Text in a -- comment: a line break would end the comment, and what
 * followed would run (psql would even run a \! line as a shell command). */
static void put_comment_text(varve_buf *b, const char *s)
{
	for (; *s; s++)
		varve_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

/* SET LOCAL (or SET, outside a transaction) of the manifest's timeouts;
 * returns how many statements that added. They were checked as durations
 * when read; quoting costs nothing. */
static int put_timeouts(const runner *r, varve_buf *b, bool local)
{
	if (r->m->lock_timeout) {
		varve_buf_printf(b, "SET %slock_timeout = ", local ? "LOCAL " : "");
		put_literal(b, r->m->lock_timeout);
		varve_buf_puts(b, ";\n");
	}
	if (r->m->statement_timeout) {
		varve_buf_printf(b, "SET %sstatement_timeout = ", local ? "LOCAL " : "");
		put_literal(b, r->m->statement_timeout);
		varve_buf_puts(b, ";\n");
	}
	return !!r->m->lock_timeout + !!r->m->statement_timeout;
}

/*
 * Send `query` and drain its results; the first error result is kept in
 * *error_res (the caller clears it), and *done (if not NULL) counts the
 * statements that succeeded before it. Returns false when a result failed.
 */
static bool run_query(PGconn *conn, const char *query, PGresult **error_res, long *done)
{
	PGresult *res;
	bool ok = true;

	*error_res = NULL;
	if (done)
		*done = 0;
	if (!PQsendQuery(conn, query)) {
		*error_res = NULL;
		return false;
	}
	while ((res = varve_pg__get_result(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (ok && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
		    st != PGRES_EMPTY_QUERY) {
			ok = false;
			*error_res = res;
			continue;
		}
		if (ok && done)
			++*done;
		PQclear(res);
	}
	return ok;
}

/* The record of an applied migration, or its removal. */
static const char *record_sql(varve_buf *b, const runner *r, varve_direction dir,
			      const char *state)
{
	varve_buf_clear(b);
	if (dir == VARVE_UPGRADE)
		varve_buf_printf(b, "INSERT INTO %s (revision, description, checksum, "
				 "duration_ms, state) VALUES ($1, $2, $3, $4, '%s')",
				 r->db->qualified, state);
	else
		varve_buf_printf(b, "DELETE FROM %s WHERE revision = $1", r->db->qualified);
	return varve_buf_cstr(b);
}

/*
 * The record of a transactional migration failed. A lost connection before
 * the COMMIT could reach the server leaves the migration rolled back; one
 * lost after it may have committed, which only the version table can tell.
 */
static int record_failed(const runner *r, const varve_migration *mig, varve_direction dir,
			 bool maybe_committed, const char *why)
{
	const char *as = dir == VARVE_UPGRADE ? "applied" : "rolled back";

	if (PQstatus(r->db->conn) != CONNECTION_BAD)
		return varve_error__set(VARVE_ERROR, "cannot record '%s' in %s: %s",
					mig->revision, r->db->table, why);
	if (maybe_committed)
		return varve_error__set(VARVE_ECONNECT,
			"lost the connection to %s while committing '%s'; whether it "
			"was committed only 'varve status' can tell: %s",
			r->db->display, mig->revision, why);
	return varve_error__set(VARVE_ECONNECT,
		"lost the connection to %s while recording '%s' as %s; it was not "
		"committed: %s", r->db->display, mig->revision, as, why);
}

/* The migration released the runner lock (pg_advisory_unlock_all(), say):
 * another runner may be running already, so this one stops. */
static int lock_lost(const runner *r, const varve_migration *mig, const char *file,
		     const char *what)
{
	varve_buf msg = VARVE_BUF_INIT;
	int error;

	varve_buf_printf(&msg, "it released varve's runner lock on %s (pg_advisory_unlock_all() "
			 "or pg_advisory_unlock() of varve's key), so another runner could "
			 "start; %s, and the run stopped: remove the unlock from the migration",
			 r->db->table, what);
	error = msg.oom ? varve_error__oom()
		: fail_plain(r, mig, file, VARVE_EMIGRATION, varve_buf_cstr(&msg));
	varve_buf_dispose(&msg);
	return error;
}

/*
 * What a migration may have changed in the session, undone before its
 * bookkeeping and the next migration: SET ROLE and SET SESSION
 * AUTHORIZATION (which RESET ALL leaves), then every setting (search_path,
 * DateStyle, timeouts...). Not DISCARD ALL: it would release the runner
 * lock. varve's own settings (varve_pg__session_settings) follow.
 */
static const char *const session_resets[] = {
	"RESET SESSION AUTHORIZATION", "RESET ROLE", "RESET ALL",
};
#define NRESETS (sizeof(session_resets) / sizeof(session_resets[0]))

static bool send_all(PGconn *conn, const char *const *queries, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!PQsendQueryParams(conn, queries[i], 0, NULL, NULL, NULL, NULL, 0))
			return false;
	return true;
}

static const char *single_or_rolled(bool commit)
{
	return commit ? "the migration was rolled back" : "the whole run was rolled back";
}

/*
 * Check the runner lock, reset the session, write the record and COMMIT
 * in one round trip (pipeline mode): the COMMIT is only sent after the
 * migration's SQL has succeeded, and a lost lock or a failing record
 * aborts the rest of the pipeline, the COMMIT too (the caller rolls back).
 * The record runs as the user varve connected as, whatever role the
 * migration took.
 */
static int record_and_commit(const runner *r, const varve_migration *mig,
			     const migration_sql *sql, varve_direction dir,
			     double ms, bool commit)
{
	PGconn *conn = r->db->conn;
	varve_buf q = VARVE_BUF_INIT, why = VARVE_BUF_INIT;
	char duration[32], hi[16], lo[16];
	const char *params[4] = { mig->revision, mig->description,
				  sql->checksum[0] ? sql->checksum : NULL, duration };
	const char *lock_params[2] = { hi, lo };
	int nparams = dir == VARVE_UPGRADE ? 4 : 1, error = 0;
	/* The queries: the lock check, the resets and varve's settings, the
	 * record, and COMMIT (unless one transaction holds the whole run). */
	const char *const *sets;
	size_t nsets = varve_pg__session_settings(r->db->server_version, &sets);
	int record_at = 1 + (int)(NRESETS + nsets), commit_at = record_at + 1;
	int failed = -1, queries = commit ? commit_at + 1 : record_at + 1;
	bool server_error = false, lost = false, committed = false;
	PGresult *res;

	snprintf(duration, sizeof(duration), "%.0f", ms);
	varve_db__lock_oids(r->db, hi, lo);
	record_sql(&q, r, dir, "applied");
	if (q.oom)
		return varve_error__oom();
	if (!PQenterPipelineMode(conn) ||
	    !PQsendQueryParams(conn, varve_db__lock_held_sql, 2, NULL, lock_params, NULL, NULL, 0) ||
	    !send_all(conn, session_resets, NRESETS) || !send_all(conn, sets, nsets) ||
	    !PQsendQueryParams(conn, q.ptr, nparams, NULL, params, NULL, NULL, 0) ||
	    (commit && !PQsendQueryParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0)) ||
	    !PQpipelineSync(conn)) {
		/* Part of it may have gone out, the COMMIT too. */
		reason(&why, conn, NULL);
		error = record_failed(r, mig, dir, commit, varve_buf_cstr(&why));
		goto done;
	}
	/* Each query's results end with NULL; the sync ends the pipeline. */
	for (int query = 0, pending = queries; pending > 0;) {
		res = varve_pg__get_result(conn);
		if (!res) {
			pending--;
			query++;
			if (PQstatus(conn) == CONNECTION_BAD)
				break;
			continue;
		}
		if (commit && query == commit_at && PQresultStatus(res) == PGRES_COMMAND_OK &&
		    strcmp(PQcmdStatus(res), "COMMIT") == 0)
			committed = true;
		if (PQresultStatus(res) == PGRES_FATAL_ERROR && failed < 0) {
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			failed = query;
			/* The server's own error, not libpq's "server closed the
			 * connection": the queries after it were skipped. */
			server_error = state != NULL && PQstatus(conn) == CONNECTION_OK;
			lost = query == 0 && state && strcmp(state, "22012") == 0;
			reason(&why, conn, res);
		}
		PQclear(res);
	}
	while (PQstatus(conn) == CONNECTION_OK && (res = varve_pg__get_result(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		PQclear(res);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	/* Judged once the results are drained: the end of the connection
	 * comes after the server's last message. A server error before the
	 * COMMIT means the COMMIT was skipped; a lost connection after it was
	 * sent may have come after the server committed. */
	if (lost && server_error)
		error = lock_lost(r, mig, sql->path, single_or_rolled(commit));
	else if (failed >= 0)
		error = record_failed(r, mig, dir, commit && !server_error, varve_buf_cstr(&why));
	else if (PQstatus(conn) == CONNECTION_BAD && !committed)
		error = record_failed(r, mig, dir, commit, "the connection closed");
	/* Else committed: a connection lost after the COMMIT's reply shows at
	 * the next query. */
done:
	PQexitPipelineMode(conn);
	varve_buf_dispose(&q);
	varve_buf_dispose(&why);
	return error;
}

static void rollback(runner *r)
{
	PGresult *res = varve_pg__exec(r->db->conn, "ROLLBACK");

	PQclear(res);
}

static bool is_lock_timeout(PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return state && strcmp(state, "55P03") == 0;
}

/* In a fiber, the other fibers run meanwhile (lib/fiber.h). */
static void pause_ms(double ms)
{
	varve_fiber__sleep(ms);
}

/* One transactional migration, retried after a lock timeout. */
static int run_transactional(runner *r, const varve_migration *mig,
			     const migration_sql *sql, varve_direction dir)
{
	bool single = r->opts->single_transaction;
	int retries = r->m->lock_retries, error = 0;
	varve_buf q = VARVE_BUF_INIT;
	size_t base;
	long prefix = single ? 0 : 1, done;

	if (!single)
		varve_buf_puts(&q, "BEGIN;\n");
	prefix += put_timeouts(r, &q, true);
	base = q.len;
	varve_buf_put(&q, sql->text, sql->len);
	if (q.oom)
		return varve_error__oom();
	for (int attempt = 0;; attempt++) {
		PGresult *bad = NULL;
		double start = now_ms(), ms;

		if (run_query(r->db->conn, q.ptr, &bad, &done)) {
			ms = now_ms() - start;
			error = record_and_commit(r, mig, sql, dir, ms, !single);
			if (error && !single && PQstatus(r->db->conn) == CONNECTION_OK)
				rollback(r);
			emit(r, error ? VARVE_EVENT_FAILED : VARVE_EVENT_DONE, dir, mig, ms, 0);
			break;
		}
		ms = now_ms() - start;
		if (!single && is_lock_timeout(bad) && attempt < retries) {
			/* Queue politely behind long transactions: back off, with
			 * jitter so waiting runners do not retry in step. */
			double pause = 500.0 * (1 << (attempt < 5 ? attempt : 5));

			pause *= 0.5 + varve_db__jitter() / 2;
			PQclear(bad);
			rollback(r);
			emit(r, VARVE_EVENT_RETRY, dir, mig, pause, attempt + 1);
			pause_ms(pause);
			continue;
		}
		error = fail_server(r, mig, sql, bad, q.ptr, base, done - prefix);
		PQclear(bad);
		if (error != VARVE_ECONNECT && !single)
			rollback(r);
		emit(r, VARVE_EVENT_FAILED, dir, mig, ms, 0);
		break;
	}
	varve_buf_dispose(&q);
	return error;
}

/* The INVALID indexes now in the database, as an oid[] literal, so that a
 * failure can name only those its migration left. NULL when the query fails. */
#define INVALID_INDEXES "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid " \
	"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid"

static char *invalid_indexes(runner *r)
{
	PGresult *res = NULL;
	char *oids = NULL;

	if (varve_db__exec(r->db, "SELECT coalesce(array_agg(i.indexrelid), '{}') "
			   INVALID_INDEXES, 0, NULL, &res) != 0)
		return NULL;
	if (PQntuples(res) == 1)
		oids = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return oids;
}

/* After a failed non-transactional migration: the INVALID indexes it left
 * behind (those not in `before`), each with the statement that drops it. */
static void find_invalid_indexes(runner *r, const char *before)
{
	PGresult *res = NULL;
	varve_buf b = VARVE_BUF_INIT;
	const char *params[] = { before ? before : "{}" };

	if (varve_db__exec(r->db,
		"SELECT format('DROP INDEX CONCURRENTLY IF EXISTS %I.%I;', n.nspname, c.relname) "
		INVALID_INDEXES " AND NOT i.indexrelid = ANY($1::oid[]) ORDER BY 1",
		1, params, &res) != 0)
		return;
	for (int i = 0; i < PQntuples(res); i++)
		varve_buf_printf(&b, "%s%s", i ? "\n" : "", PQgetvalue(res, i, 0));
	PQclear(res);
	if (b.len && *r->failure) {
		free((*r->failure)->cleanup);
		(*r->failure)->cleanup = varve_buf_detach(&b);
	}
	varve_buf_dispose(&b);
}

/* A bookkeeping query of a `transaction: false` migration failed, `ran`
 * after its statements or before them. */
static int bookkeep_failed(runner *r, const varve_migration *mig, varve_direction dir,
			   bool ran, const char *why)
{
	bool applied = (dir == VARVE_UPGRADE) == ran;

	if (PQstatus(r->db->conn) == CONNECTION_BAD)
		return varve_error__set(VARVE_ECONNECT,
			"lost the connection to %s %s statement of '%s' ran, while %s "
			"('transaction: false'); if 'varve status' shows it dirty, run "
			"'varve resolve %s %s': %s", r->db->display,
			ran ? "after every" : "before any", mig->revision,
			!ran ? "marking it dirty" : dir == VARVE_UPGRADE
			? "recording it as applied" : "removing its row", mig->revision,
			applied ? "--applied" : "--rolled-back", why);
	return varve_error__set(VARVE_ERROR, "cannot record '%s' in %s: %s",
				mig->revision, r->db->table, why);
}

/*
 * A bookkeeping query of a `transaction: false` migration, a transaction
 * of its own: marking the row dirty before the first statement (`ran`
 * false), or recording the end after the last (`ran` true). A connection
 * lost on the way leaves the row before or after that change, and either
 * way which resolve repairs it is known.
 */
static int bookkeep(runner *r, const varve_migration *mig, varve_direction dir, bool ran,
		    const char *query, int nparams, const char *const *params)
{
	PGresult *res = varve_pg__exec_params(r->db->conn, query, nparams, params);
	ExecStatusType st = PQresultStatus(res);
	varve_buf why = VARVE_BUF_INIT;
	int error = 0;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		return 0;
	}
	reason(&why, r->db->conn, res);
	PQclear(res);
	error = bookkeep_failed(r, mig, dir, ran, varve_buf_cstr(&why));
	varve_buf_dispose(&why);
	return error;
}

/* session_resets and varve's settings in one round trip (the simple
 * protocol). False when they failed, with the reason in `why` if given. */
static bool reset_session(runner *r, varve_buf *why)
{
	varve_buf q = VARVE_BUF_INIT;
	PGresult *bad = NULL;
	const char *const *sets;
	size_t nsets = varve_pg__session_settings(r->db->server_version, &sets);
	bool ok = false;

	for (size_t i = 0; i < NRESETS; i++)
		varve_buf_printf(&q, "%s; ", session_resets[i]);
	for (size_t i = 0; i < nsets; i++)
		varve_buf_printf(&q, "%s; ", sets[i]);
	if (!q.oom)
		ok = run_query(r->db->conn, q.ptr, &bad, NULL);
	if (!ok && why)
		reason(why, r->db->conn, bad);
	PQclear(bad);
	varve_buf_dispose(&q);
	return ok;
}

/* Mark the migration dirty before its first statement runs. */
static int mark_dirty(runner *r, const varve_migration *mig,
		      const migration_sql *sql, varve_direction dir)
{
	varve_buf q = VARVE_BUF_INIT;
	const char *params[4] = { mig->revision, mig->description,
				  sql->checksum[0] ? sql->checksum : NULL, NULL };
	int error;

	if (dir == VARVE_UPGRADE)
		record_sql(&q, r, VARVE_UPGRADE, "dirty");
	else
		varve_buf_printf(&q, "UPDATE %s SET state = 'dirty' WHERE revision = $1",
				 r->db->qualified);
	error = q.oom ? varve_error__oom()
		: bookkeep(r, mig, dir, false, q.ptr, dir == VARVE_UPGRADE ? 4 : 1, params);
	varve_buf_dispose(&q);
	return error;
}

/*
 * A `transaction: false` migration: its statements one by one in
 * autocommit. The row is dirty while they run, so a failure (or a kill)
 * leaves it dirty until `varve resolve`.
 */
static int run_autocommit(runner *r, const varve_migration *mig,
			  const migration_sql *sql, varve_direction dir)
{
	varve_statement *stmts = NULL;
	size_t count = 0;
	varve_diag_list *diags = NULL;
	varve_buf q = VARVE_BUF_INIT;
	double start = now_ms(), ms;
	char *invalid_before = NULL;
	bool reset = false;
	int error;

	if ((error = varve_diag_list_new(&diags)) != 0)
		return error;
	if (sql->file && (error = varve_sqlfile_statements(sql->file, sql->kind, &stmts,
							   &count, diags)) != 0) {
		const char *why = varve_diag_list_count(diags)
			? varve_diag_list_at(diags, 0)->message : varve_error_last();

		error = fail_plain(r, mig, sql->path, VARVE_EMIGRATION, why);
		goto done;
	}
	/* Several SETs in one string: the simple query protocol, not
	 * varve_db__exec, which prepares a single statement. */
	put_timeouts(r, &q, false);
	if (q.oom) {
		error = varve_error__oom();
		goto done;
	}
	if (q.len) {
		PGresult *bad = NULL;

		if (!run_query(r->db->conn, q.ptr, &bad, NULL)) {
			error = fail_server(r, mig, sql, bad, q.ptr, q.len, -1);
			PQclear(bad);
			emit(r, VARVE_EVENT_FAILED, dir, mig, now_ms() - start, 0);
			goto done;
		}
	}
	if ((error = mark_dirty(r, mig, sql, dir)) != 0) {
		emit(r, VARVE_EVENT_FAILED, dir, mig, now_ms() - start, 0);
		goto done;
	}
	for (size_t i = 0; i < count; i++) {
		PGresult *bad = NULL;

		/* Only a statement that runs outside a transaction (CREATE INDEX
		 * CONCURRENTLY, ...) can leave an INVALID index when it fails:
		 * note the ones there before the first of them. */
		if (stmts[i].needs_no_transaction && !invalid_before)
			invalid_before = invalid_indexes(r);
		varve_buf_clear(&q);
		varve_buf_put(&q, sql->text + stmts[i].offset, stmts[i].length);
		if (q.oom) {
			error = varve_error__oom();
			goto done;
		}
		if (!run_query(r->db->conn, q.ptr, &bad, NULL)) {
			error = fail_server(r, mig, sql, bad, q.ptr, 0, -1);
			/* Positions are relative to the statement, not the section. */
			if (bad && *r->failure) {
				const char *pos = PQresultErrorField(bad, PG_DIAG_STATEMENT_POSITION);
				size_t at = pos ? char_to_byte(q.ptr, q.len, strtol(pos, NULL, 10)) : 0;

				varve_sqlfile_position(sql->file, sql->kind,
						       stmts[i].offset + at,
						       &(*r->failure)->line, &(*r->failure)->column);
			}
			PQclear(bad);
			if (error != VARVE_ECONNECT) {
				(*r->failure)->dirty = true;
				if (stmts[i].needs_no_transaction)
					find_invalid_indexes(r, invalid_before);
			}
			emit(r, VARVE_EVENT_FAILED, dir, mig, now_ms() - start, 0);
			goto done;
		}
	}
	ms = now_ms() - start;
	/* The bookkeeping runs as the user varve connected as. */
	reset = true;
	{
		varve_buf why = VARVE_BUF_INIT;

		if (!reset_session(r, &why) && PQstatus(r->db->conn) == CONNECTION_BAD) {
			error = bookkeep_failed(r, mig, dir, true, varve_buf_cstr(&why));
			varve_buf_dispose(&why);
			emit(r, VARVE_EVENT_FAILED, dir, mig, ms, 0);
			goto done;
		}
		varve_buf_dispose(&why);
	}
	/* Its statements ran outside any transaction that could undo them:
	 * the row stays dirty for a person to look at. */
	{
		char hi[16], lo[16];
		const char *params[] = { hi, lo };
		PGresult *res;
		const char *state;

		varve_db__lock_oids(r->db, hi, lo);
		res = varve_pg__exec_params(r->db->conn, varve_db__lock_held_sql, 2, params);
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			varve_buf why = VARVE_BUF_INIT;

			reason(&why, r->db->conn, res);
			if (state && strcmp(state, "22012") == 0) {
				error = lock_lost(r, mig, sql->path,
						  "it stays dirty ('transaction: false')");
				if (*r->failure)
					(*r->failure)->dirty = true;
			} else {
				error = bookkeep_failed(r, mig, dir, true, varve_buf_cstr(&why));
			}
			varve_buf_dispose(&why);
			PQclear(res);
			emit(r, VARVE_EVENT_FAILED, dir, mig, ms, 0);
			goto done;
		}
		PQclear(res);
	}
	varve_buf_clear(&q);
	{
		char duration[32];
		const char *params[] = { mig->revision, duration };

		snprintf(duration, sizeof(duration), "%.0f", ms);
		if (dir == VARVE_UPGRADE)
			varve_buf_printf(&q, "UPDATE %s SET state = 'applied', duration_ms = $2, "
					 "applied_at = pg_catalog.now() WHERE revision = $1", r->db->qualified);
		else
			varve_buf_printf(&q, "DELETE FROM %s WHERE revision = $1", r->db->qualified);
		if (q.oom) {
			error = varve_error__oom();
			goto done;
		}
		if ((error = bookkeep(r, mig, dir, true, q.ptr, dir == VARVE_UPGRADE ? 2 : 1,
				      params)) != 0) {
			emit(r, VARVE_EVENT_FAILED, dir, mig, ms, 0);
			goto done;
		}
	}
	emit(r, VARVE_EVENT_DONE, dir, mig, ms, 0);
done:
	/* Later migrations run without the timeouts, or whatever this one
	 * set (search_path, role...). */
	if (!reset && PQstatus(r->db->conn) == CONNECTION_OK)
		(void)reset_session(r, NULL);
	free(invalid_before);
	free(stmts);
	varve_buf_dispose(&q);
	varve_diag_list_free(diags);
	return error;
}

static int check_not_dirty(varve_db *db)
{
	size_t n;
	const varve_applied *rows = varve_db_applied(db, &n);

	for (size_t i = 0; i < n; i++)
		if (rows[i].dirty)
			return varve_error__set(VARVE_EDIRTY,
				"'%s' is dirty: a non-transactional migration failed part "
				"way; repair the database, then run 'varve resolve %s "
				"--applied' or '--rolled-back'", rows[i].revision,
				rows[i].revision);
	return 0;
}

int varve_run(varve_db *db, const varve_graph *graph, const varve_steps *steps,
	      varve_direction direction, const varve_run_options *options,
	      varve_failure **failure)
{
	static const varve_run_options defaults = VARVE_RUN_OPTIONS_INIT;
	runner r = { db, graph, graph->manifest, options ? options : &defaults, failure };
	size_t n = varve_steps_count(steps);
	migration_sql *sqls = NULL;
	int error = 0;

	*failure = NULL;
	/* Every file is read before anything runs, and kept for the run: a
	 * downgrade that lacks its SQL three steps in must not leave the first
	 * two rolled back. */
	if (n && !(sqls = calloc(n, sizeof(*sqls))))
		return varve_error__oom();
	for (size_t i = 0; i < n; i++) {
		const varve_migration *mig = varve_graph_node(graph, varve_steps_at(steps, i));

		if ((error = load_sql(&r, mig, direction, &sqls[i])) != 0) {
			emit(&r, VARVE_EVENT_FAILED, direction, mig, 0, 0);
			goto done;
		}
		if (r.opts->single_transaction && !sqls[i].transaction) {
			error = varve_error__set(VARVE_EUSAGE,
				"--single-transaction cannot include '%s', which has "
				"'transaction: false'", mig->revision);
			goto done;
		}
	}
	if ((!db->locked && (error = varve_db_lock(db, db->lock_wait)) != 0) ||
	    (error = check_not_dirty(db)) != 0 ||
	    (error = varve_db__ensure_table(db)) != 0 ||
	    (r.opts->single_transaction && n &&
	     (error = varve_db__exec(db, "BEGIN", 0, NULL, NULL)) != 0))
		goto done;
	for (size_t i = 0; i < n && !error; i++) {
		const varve_migration *mig = varve_graph_node(graph, varve_steps_at(steps, i));

		if (r.opts->stop && *r.opts->stop) {
			error = varve_error__set(VARVE_EINTERRUPTED,
				"interrupted before '%s'; it and what follows did not run",
				mig->revision);
			break;
		}
		emit(&r, VARVE_EVENT_START, direction, mig, 0, 0);
		if (sqls[i].transaction || !sqls[i].file)
			error = run_transactional(&r, mig, &sqls[i], direction);
		else
			error = run_autocommit(&r, mig, &sqls[i], direction);
		/* The server did not answer the cancel in time, and the caller
		 * closed the connection (varve_canceller_abort). */
		if (error == VARVE_ECONNECT && r.opts->stop && *r.opts->stop) {
			char message[1024];

			snprintf(message, sizeof(message), "%s", varve_error_last());
			error = varve_error__set(VARVE_EINTERRUPTED,
				"interrupted, and the server did not answer the cancel "
				"request, so the connection was closed: %s", message);
		}
		/* A cancelled statement: the server rolled the migration back. */
		if (error == VARVE_EMIGRATION && r.opts->stop && *r.opts->stop)
			error = varve_error__set(VARVE_EINTERRUPTED,
				"interrupted: '%s' was %s", mig->revision,
				*failure && (*failure)->dirty ? "left dirty (it has "
				"'transaction: false')" : "rolled back");
	}
	if (r.opts->single_transaction && n && PQstatus(db->conn) == CONNECTION_OK) {
		PGresult *res = varve_pg__exec(db->conn, error ? "ROLLBACK" : "COMMIT");

		if (!error && PQresultStatus(res) != PGRES_COMMAND_OK)
			error = varve_error__set(varve_db__failure(db, VARVE_ERROR),
						 "COMMIT failed: %s", PQerrorMessage(db->conn));
		PQclear(res);
	}
	if (error != VARVE_ECONNECT) {
		int saved = error;
		char message[1024];

		snprintf(message, sizeof(message), "%s", varve_error_last());
		error = varve_db__reload(db);
		if (saved) {
			error = saved;
			varve_error__set(saved, "%s", message);
		}
	}
done:
	for (size_t i = 0; sqls && i < n; i++)
		sql_dispose(&sqls[i]);
	free(sqls);
	return error;
}

int varve_stamp(varve_db *db, const varve_graph *graph,
		const varve_steps *steps, varve_direction direction)
{
	varve_buf q = VARVE_BUF_INIT;
	size_t n = varve_steps_count(steps);
	int error = 0;

	if (!db->locked && (error = varve_db_lock(db, db->lock_wait)) != 0)
		return error;
	if ((error = varve_db__ensure_table(db)) != 0)
		return error;
	if ((error = varve_db__exec(db, "BEGIN", 0, NULL, NULL)) != 0)
		return error;
	if (direction == VARVE_UPGRADE)
		varve_buf_printf(&q, "INSERT INTO %s (revision, description, checksum) "
				 "VALUES ($1, $2, $3)", db->qualified);
	else
		varve_buf_printf(&q, "DELETE FROM %s WHERE revision = $1", db->qualified);
	for (size_t i = 0; i < n && !error && !q.oom; i++) {
		const varve_migration *mig = varve_graph_node(graph, varve_steps_at(steps, i));
		runner r = { db, graph, graph->manifest, NULL, NULL };
		varve_failure *ignored = NULL;
		migration_sql sql;
		const char *params[3] = { mig->revision, mig->description, NULL };

		r.failure = &ignored;
		/* The checksum of what stamp says was applied, when readable. */
		if (direction == VARVE_UPGRADE && load_sql(&r, mig, VARVE_UPGRADE, &sql) == 0) {
			params[2] = sql.checksum[0] ? sql.checksum : NULL;
			error = varve_db__exec(db, q.ptr, 3, params, NULL);
			sql_dispose(&sql);
		} else {
			error = varve_db__exec(db, q.ptr, direction == VARVE_UPGRADE ? 3 : 1,
					       params, NULL);
		}
		varve_failure_free(ignored);
	}
	if (q.oom)
		error = varve_error__oom();
	varve_buf_dispose(&q);
	if (PQstatus(db->conn) == CONNECTION_OK) {
		PGresult *res = varve_pg__exec(db->conn, error ? "ROLLBACK" : "COMMIT");

		PQclear(res);
	}
	if (!error)
		error = varve_db__reload(db);
	return error;
}

int varve_resolve(varve_db *db, const char *revision, bool applied)
{
	varve_buf q = VARVE_BUF_INIT;
	const char *params[] = { revision };
	PGresult *res = NULL;
	int error;

	if (!db->locked && (error = varve_db_lock(db, db->lock_wait)) != 0)
		return error;
	if (!db->table_exists)
		return varve_error__set(VARVE_ENOTFOUND, "'%s' is not dirty: nothing is applied",
					revision);
	if (applied)
		varve_buf_printf(&q, "UPDATE %s SET state = 'applied' WHERE revision = $1 "
				 "AND state = 'dirty' RETURNING 1", db->qualified);
	else
		varve_buf_printf(&q, "DELETE FROM %s WHERE revision = $1 AND state = 'dirty' "
				 "RETURNING 1", db->qualified);
	if (q.oom)
		return varve_error__oom();
	error = varve_db__exec(db, q.ptr, 1, params, &res);
	varve_buf_dispose(&q);
	if (error)
		return error;
	if (PQntuples(res) == 0)
		error = varve_error__set(VARVE_ENOTFOUND, "'%s' is not dirty", revision);
	PQclear(res);
	if (!error)
		error = varve_db__reload(db);
	return error;
}

static void put_table(varve_buf *b, const char *name)
{
	const char *dot = strchr(name, '.');

	if (dot) {
		char *schema = strndup(name, (size_t)(dot - name));

		if (!schema) {
			b->oom = true;
			return;
		}
		put_quoted(b, schema, '"');
		free(schema);
		varve_buf_putc(b, '.');
		put_quoted(b, dot + 1, '"');
	} else {
		put_quoted(b, name, '"');
	}
}

int varve_script(char **out, const varve_graph *graph, const varve_steps *steps,
		 varve_direction direction, const char *version_table)
{
	varve_buf b = VARVE_BUF_INIT, table = VARVE_BUF_INIT;
	const char *p = varve_db__version_table_ddl, *mark;
	runner r = { NULL, graph, graph->manifest, NULL, NULL };
	varve_failure *failure = NULL;
	size_t n = varve_steps_count(steps);
	int error = 0;

	*out = NULL;
	r.failure = &failure;
	put_table(&table, version_table);
	varve_buf_printf(&b, "-- varve %s: %zu migration%s\n-- run with: psql -v ON_ERROR_STOP=1 -f FILE\n",
			 direction == VARVE_UPGRADE ? "upgrade" : "downgrade", n, n == 1 ? "" : "s");
	/* A downgrade has something to roll back: the table exists. */
	if (direction == VARVE_UPGRADE)
		varve_buf_putc(&b, '\n');
	else
		p = "";
	if (direction == VARVE_UPGRADE && strchr(version_table, '.')) {
		char *schema = strndup(version_table,
				       (size_t)(strchr(version_table, '.') - version_table));

		if (!schema)
			return varve_error__oom();
		varve_buf_puts(&b, "CREATE SCHEMA IF NOT EXISTS ");
		put_quoted(&b, schema, '"');
		varve_buf_puts(&b, ";\n");
		free(schema);
	}
	while ((mark = strstr(p, "{{table}}")) != NULL) {
		varve_buf_put(&b, p, (size_t)(mark - p));
		varve_buf_put(&b, table.ptr, table.len);
		p = mark + strlen("{{table}}");
	}
	varve_buf_puts(&b, p);
	for (size_t i = 0; i < n && !error; i++) {
		const varve_migration *mig = varve_graph_node(graph, varve_steps_at(steps, i));
		migration_sql sql;

		if ((error = load_sql(&r, mig, direction, &sql)) != 0)
			break;
		varve_buf_printf(&b, "\n-- %s %s%s", direction == VARVE_UPGRADE ? "apply" : "roll back",
				 mig->revision, mig->description ? ": " : "");
		if (mig->description)
			put_comment_text(&b, mig->description);
		varve_buf_putc(&b, '\n');
		if (sql.transaction)
			varve_buf_puts(&b, "BEGIN;\n");
		put_timeouts(&r, &b, sql.transaction);
		varve_buf_put(&b, sql.text, sql.len);
		/* A last statement without its semicolon must not swallow ours.
		 * The resets, as the runner does: the bookkeeping and the next
		 * migration see no role, search_path or timeout it set. */
		varve_buf_puts(&b, "\n;\n");
		for (size_t k = 0; k < NRESETS; k++)
			varve_buf_printf(&b, "%s;\n", session_resets[k]);
		if (direction == VARVE_UPGRADE) {
			varve_buf_printf(&b, "INSERT INTO %s (revision, description, checksum) VALUES (",
					 table.ptr);
			put_literal(&b, mig->revision);
			varve_buf_puts(&b, ", ");
			put_literal(&b, mig->description);
			varve_buf_puts(&b, ", ");
			put_literal(&b, sql.checksum[0] ? sql.checksum : NULL);
			varve_buf_puts(&b, ");\n");
		} else {
			varve_buf_printf(&b, "DELETE FROM %s WHERE revision = ", table.ptr);
			put_literal(&b, mig->revision);
			varve_buf_puts(&b, ";\n");
		}
		if (sql.transaction)
			varve_buf_puts(&b, "COMMIT;\n");
		sql_dispose(&sql);
	}
	if (!error && (b.oom || table.oom))
		error = varve_error__oom();
	if (!error)
		*out = varve_buf_detach(&b);
	varve_failure_free(failure);
	varve_buf_dispose(&b);
	varve_buf_dispose(&table);
	return error;
}
