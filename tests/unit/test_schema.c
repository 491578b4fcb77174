/*
 * Unit tests for lib/schema.c on a scratch server: the capture does not
 * depend on the order a schema was built in (nor on the names PostgreSQL
 * generates); the SQL dump applied to an empty database captures equal
 * (extensions, enums, partitions, generated and identity columns, grants,
 * comments...); the diff names what a downgrade forgot; the version table
 * is left out; and the unified diff of check --schema.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pg.h"
#include "schema.h"
#include "pgutil.h"

static varve_scratch *server;
static int db_counter;

static int setup(void **state)
{
	(void)state;
	if (varve_scratch_start(&server, NULL) != 0)
		server = NULL; /* no server binaries: the tests skip */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	varve_scratch_free(server);
	return 0;
}

/* Run `sql` on `conn`, which must succeed. */
static void run(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
}

/* A new empty database of the server, connected. */
static PGconn *new_db(void)
{
	PGconn *admin = NULL, *conn = NULL;
	char sql[64], conninfo[512];

	if (!server)
		skip();
	assert_int_equal(varve_pg_connect(&admin, varve_scratch_conninfo(server)), 0);
	snprintf(sql, sizeof(sql), "CREATE DATABASE t%d", ++db_counter);
	run(admin, sql);
	PQfinish(admin);
	snprintf(conninfo, sizeof(conninfo), "%s dbname=t%d", varve_scratch_conninfo(server),
		 db_counter);
	assert_int_equal(varve_pg_connect(&conn, conninfo), 0);
	return conn;
}

static varve_schema *capture(PGconn *conn, const char *exclude)
{
	varve_schema_options opts = VARVE_SCHEMA_OPTIONS_INIT;
	varve_schema *s = NULL;

	opts.exclude_table = exclude;
	if (varve_schema_capture(&s, conn, &opts) != 0)
		fail_msg("capture: %s", varve_error_last());
	return s;
}

static varve_schema *capture_of(const char *sql)
{
	PGconn *conn = new_db();
	varve_schema *s;

	run(conn, sql);
	s = capture(conn, NULL);
	PQfinish(conn);
	return s;
}

/* The differences as text, for messages and substring checks. */
static char *diff_text(const varve_schema *a, const varve_schema *b, size_t *count)
{
	varve_schema_diff_list *list = NULL;
	char *text = NULL;

	assert_int_equal(varve_schema_diff(&list, a, b), 0);
	assert_int_equal(varve_schema_diff_text(&text, list), 0);
	*count = varve_schema_diff_list_count(list);
	varve_schema_diff_list_free(list);
	return text;
}

static void assert_same(const varve_schema *a, const varve_schema *b)
{
	size_t n;
	char *text = diff_text(a, b, &n);

	if (n != 0 || !varve_schema_equal(a, b))
		fail_msg("the captures differ:\n%s", text);
	free(text);
}

/* Roles are the cluster's: created once. */
static void roles(void)
{
	PGconn *conn = NULL;

	if (!server)
		skip();
	assert_int_equal(varve_pg_connect(&conn, varve_scratch_conninfo(server)), 0);
	PQclear(PQexec(conn, "CREATE ROLE reader"));
	PQclear(PQexec(conn, "CREATE ROLE writer"));
	PQfinish(conn);
}

/*
 * One schema, two orders. The second creates the objects the other way
 * round, so every name PostgreSQL generates with a number (t_a_idx and
 * t_a_idx1, the fkeys of two references to one column, a serial's
 * sequence whose name is taken) is the other's; and columns are added in
 * the same table order, so that the tables are really equal.
 */
static void test_order_does_not_matter(void **state)
{
	static const char first[] =
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
		"CREATE TABLE t (a int, b int, c serial);"
		"CREATE INDEX ON t (a);"
		"CREATE INDEX ON t (a) WHERE a > 0;"
		"CREATE TABLE u (id int PRIMARY KEY, m mood);"
		"ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id);"
		"ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id) ON DELETE CASCADE;"
		"ALTER TABLE t ADD CHECK (b > 0);"
		"ALTER TABLE t ADD CHECK (b < 100);"
		"CREATE SEQUENCE other;"
		"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
		"CREATE VIEW v AS SELECT a FROM t;"
		"COMMENT ON TABLE t IS 'tee';";
	static const char second[] =
		"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
		"CREATE SEQUENCE t_c_seq;"
		"CREATE TABLE u (id int PRIMARY KEY, m text);"
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
		"ALTER TABLE u ALTER COLUMN m TYPE mood USING m::mood;"
		"CREATE TABLE t (a int, b int CHECK (b < 100), c serial);"
		"ALTER TABLE t ADD CHECK (b > 0);"
		"ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id) ON DELETE CASCADE;"
		"ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id);"
		"CREATE INDEX ON t (a) WHERE a > 0;"
		"CREATE INDEX ON t (a);"
		"COMMENT ON TABLE t IS 'tee';"
		"CREATE VIEW v AS SELECT a FROM t;"
		"ALTER SEQUENCE t_c_seq RENAME TO other;";
	varve_schema *a, *b;
	PGconn *conn;
	char *idx;

	(void)state;
	a = capture_of(first);
	/* The orders did give different names. */
	conn = new_db();
	run(conn, second);
	idx = query1(conn, "SELECT indexrelid::regclass::text FROM pg_index WHERE indpred IS NULL "
			   "AND indrelid = 't'::regclass", NULL);
	assert_string_equal(idx, "t_a_idx1");
	free(idx);
	idx = query1(conn, "SELECT pg_get_serial_sequence('t', 'c')", NULL);
	assert_string_equal(idx, "public.t_c_seq1");
	free(idx);
	b = capture(conn, NULL);
	PQfinish(conn);
	assert_same(a, b);
	assert_true(varve_schema_count(a) > 15);
	varve_schema_free(a);
	varve_schema_free(b);
}

/* Everything the capture covers, in one schema. */
static const char rich[] =
	"CREATE EXTENSION citext;"
	"CREATE EXTENSION hstore;"
	"CREATE EXTENSION pg_trgm;"
	"CREATE SCHEMA app;"
	"COMMENT ON SCHEMA app IS 'the application';"
	"CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');"
	"CREATE TYPE app.pair AS (a int, b text COLLATE \"C\");"
	"CREATE DOMAIN app.posint AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0);"
	"CREATE DOMAIN app.code AS text CONSTRAINT code_format CHECK (VALUE ~ '^[A-Z]+$');"
	"CREATE TYPE app.span AS RANGE (subtype = float8);"
	"CREATE SEQUENCE app.counter AS integer START 100 INCREMENT 5 CACHE 10 CYCLE;"
	"CREATE TABLE app.users ("
	"  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000) PRIMARY KEY,"
	"  email citext NOT NULL UNIQUE,"
	"  name text COLLATE \"C\" NOT NULL DEFAULT '',"
	"  mood app.mood DEFAULT 'ok',"
	"  tags hstore,"
	"  shout text GENERATED ALWAYS AS (upper(name)) STORED,"
	"  n serial,"
	"  points app.posint);"
	"CREATE INDEX ON app.users USING gin (name gin_trgm_ops);"
	"CREATE INDEX users_lower_name ON app.users (lower(name)) WHERE mood <> 'sad';"
	"CREATE UNLOGGED TABLE app.cache (k text PRIMARY KEY, v jsonb) WITH (fillfactor = 70);"
	"CREATE TABLE app.posts (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  user_id bigint REFERENCES app.users (id) ON DELETE CASCADE,"
	"  body text CONSTRAINT short CHECK (length(body) < 1000));"
	"CREATE TABLE app.events (at date NOT NULL, kind text, v int DEFAULT 3) PARTITION BY RANGE (at);"
	"CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
	"CREATE TABLE app.events_rest PARTITION OF app.events DEFAULT PARTITION BY LIST (kind);"
	"CREATE TABLE app.events_rest_a PARTITION OF app.events_rest FOR VALUES IN ('a');"
	"CREATE INDEX ON app.events (v);"
	"ALTER TABLE app.events ADD UNIQUE (at, kind);"
	"CREATE FUNCTION app.add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';"
	"CREATE FUNCTION app.user_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM app.users; END;"
	"CREATE FUNCTION app.first_user() RETURNS app.users LANGUAGE sql AS 'SELECT * FROM app.users LIMIT 1';"
	"CREATE PROCEDURE app.noop() LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;"
	"CREATE AGGREGATE app.total(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');"
	"CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
	"CREATE TRIGGER touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();"
	"CREATE TRIGGER quiet AFTER INSERT ON app.posts FOR EACH ROW EXECUTE FUNCTION app.touch();"
	"ALTER TABLE app.posts DISABLE TRIGGER quiet;"
	"CREATE VIEW app.names AS SELECT id, name FROM app.users;"
	"CREATE VIEW app.short_names WITH (security_barrier) AS SELECT * FROM app.names WHERE length(name) < 5;"
	"CREATE MATERIALIZED VIEW app.counts AS SELECT mood, count(*) AS n FROM app.users GROUP BY mood;"
	"CREATE UNIQUE INDEX ON app.counts (mood);"
	"CREATE RULE no_delete AS ON DELETE TO app.cache DO INSTEAD NOTHING;"
	"ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;"
	"CREATE POLICY mine ON app.users FOR SELECT TO reader, writer USING (name = current_user);"
	"CREATE POLICY strict ON app.users AS RESTRICTIVE FOR UPDATE USING (true) WITH CHECK (mood <> 'sad');"
	"GRANT USAGE ON SCHEMA app TO reader;"
	"GRANT SELECT ON app.users, app.names TO reader;"
	"GRANT INSERT, UPDATE ON app.posts TO writer WITH GRANT OPTION;"
	"GRANT UPDATE (name) ON app.users TO writer;"
	"GRANT USAGE ON SEQUENCE app.counter TO writer;"
	"REVOKE EXECUTE ON FUNCTION app.add(int, int) FROM PUBLIC;"
	"GRANT EXECUTE ON FUNCTION app.add(int, int) TO reader;"
	"REVOKE USAGE ON TYPE app.mood FROM PUBLIC;"
	"COMMENT ON TABLE app.users IS 'people';"
	"COMMENT ON COLUMN app.users.email IS 'the login';"
	"COMMENT ON INDEX app.users_lower_name IS 'by name';"
	"COMMENT ON CONSTRAINT short ON app.posts IS 'keep it short';"
	"COMMENT ON CONSTRAINT code_format ON DOMAIN app.code IS 'letters';"
	"COMMENT ON FUNCTION app.add(int, int) IS 'adds';"
	"COMMENT ON TYPE app.mood IS 'feelings';"
	"COMMENT ON TRIGGER touch ON app.users IS 'touches';"
	"COMMENT ON POLICY mine ON app.users IS 'own rows';"
	"COMMENT ON VIEW app.names IS 'names only';"
	"COMMENT ON SEQUENCE app.counter IS 'counts';"
	"COMMENT ON COLUMN app.names.name IS 'a view column';"
	"COMMENT ON COLUMN app.pair.b IS 'a type attribute';"
	"COMMENT ON DOMAIN app.posint IS 'positive';"
	"COMMENT ON TYPE app.span IS 'a range';"
	"COMMENT ON AGGREGATE app.total(int) IS 'sums';"
	"COMMENT ON MATERIALIZED VIEW app.counts IS 'per mood';"
	"COMMENT ON RULE no_delete ON app.cache IS 'keep';"
	"COMMENT ON PROCEDURE app.noop() IS 'nothing';"
	"CREATE TABLE app.base (id int NOT NULL, note text CHECK (note <> ''));"
	"CREATE TABLE app.child (extra int, id int) INHERITS (app.base);"
	"COMMENT ON EXTENSION hstore IS 'left out';";

/*
 * The dump applied to an empty database captures equal to the original,
 * and it says what was covered.
 */
static void test_dump_round_trip(void **state)
{
	static const char *const covered[] = {
		"CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public VERSION",
		"CREATE EXTENSION IF NOT EXISTS pg_trgm",
		"CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');",
		"CREATE TYPE app.pair AS (a integer, b text COLLATE pg_catalog.\"C\");",
		"CREATE DOMAIN app.posint AS integer DEFAULT 1 NOT NULL",
		"CREATE SEQUENCE app.counter AS integer INCREMENT BY 5 START WITH 100 CACHE 10 CYCLE;",
		"    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000) NOT NULL,",
		"    name text COLLATE pg_catalog.\"C\" DEFAULT ''::text NOT NULL,",
		"    shout text GENERATED ALWAYS AS (upper(name)) STORED,",
		"    n integer DEFAULT nextval('app.users_n_seq'::regclass) NOT NULL,",
		"ALTER SEQUENCE app.users_n_seq OWNED BY app.users.n;",
		"CREATE UNLOGGED TABLE app.cache (",
		") PARTITION BY RANGE (at);",
		"CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
		"CREATE TABLE app.events_rest PARTITION OF app.events DEFAULT PARTITION BY LIST (kind);",
		"CREATE INDEX events_v_idx ON app.events USING btree (v);",
		"ALTER TABLE app.events ADD CONSTRAINT events_at_kind_key UNIQUE (at, kind);",
		"CREATE AGGREGATE app.total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');",
		"ALTER TABLE app.posts DISABLE TRIGGER quiet;",
		"CREATE VIEW app.short_names WITH (security_barrier=true) AS",
		"CREATE MATERIALIZED VIEW app.counts AS",
		"CREATE RULE no_delete AS",
		"ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;",
		"CREATE POLICY mine ON app.users AS PERMISSIVE FOR SELECT TO reader, writer USING",
		"CREATE POLICY strict ON app.users AS RESTRICTIVE FOR UPDATE TO PUBLIC",
		"GRANT SELECT ON TABLE app.users TO reader;",
		"GRANT INSERT, UPDATE ON TABLE app.posts TO writer WITH GRANT OPTION;",
		"GRANT UPDATE (name) ON TABLE app.users TO writer;",
		"REVOKE EXECUTE ON FUNCTION app.add(integer,integer) FROM PUBLIC;",
		"REVOKE USAGE ON TYPE app.mood FROM PUBLIC;",
		"COMMENT ON COLUMN app.users.email IS 'the login';",
		"COMMENT ON CONSTRAINT code_format ON DOMAIN app.code IS 'letters';",
		"COMMENT ON POLICY mine ON app.users IS 'own rows';",
		"COMMENT ON COLUMN app.names.name IS 'a view column';",
		"COMMENT ON COLUMN app.pair.b IS 'a type attribute';",
		"COMMENT ON MATERIALIZED VIEW app.counts IS 'per mood';",
		") INHERITS (app.base);",
	};
	varve_schema *a, *b;
	PGconn *conn;
	char *sql = NULL;

	(void)state;
	roles();
	a = capture_of(rich);
	assert_int_equal(varve_schema_sql(&sql, a), 0);
	for (size_t i = 0; i < sizeof(covered) / sizeof(*covered); i++)
		if (!strstr(sql, covered[i]))
			fail_msg("the dump lacks \"%s\":\n%s", covered[i], sql);
	assert_null(strstr(sql, "left out"));
	/* No OID: PostgreSQL's first user OID has five digits. */
	for (const char *p = sql; *p; p++)
		assert_false(p[0] >= '1' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' &&
			     p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
			     p[4] >= '0' && p[4] <= '9' && strncmp(p, "2147483647", 10) != 0);
	conn = new_db();
	run(conn, sql);
	b = capture(conn, NULL);
	PQfinish(conn);
	assert_same(a, b);
	free(sql);
	varve_schema_free(a);
	varve_schema_free(b);
}

/* One difference of `list` with this kind, name and change, or fail. */
static const varve_schema_difference *find(const varve_schema_diff_list *list, const char *kind,
					   const char *name, varve_schema_change change)
{
	for (size_t i = 0; i < varve_schema_diff_list_count(list); i++) {
		const varve_schema_difference *d = varve_schema_diff_list_at(list, i);

		if (strcmp(d->kind, kind) == 0 && strcmp(d->name, name) == 0 && d->change == change)
			return d;
	}
	fail_msg("no %s %s (change %d)", kind, name, (int)change);
	return NULL;
}

/* Owners only when asked for; another owner is then a difference. */
static void test_owners(void **state)
{
	varve_schema_options opts = VARVE_SCHEMA_OPTIONS_INIT;
	varve_schema *a = NULL, *b = NULL, *plain;
	varve_schema_diff_list *list = NULL;
	PGconn *conn;
	char *sql = NULL;

	(void)state;
	roles();
	conn = new_db();
	run(conn, "CREATE SCHEMA app; CREATE TABLE app.t (a int); CREATE VIEW app.v AS SELECT a FROM app.t;"
		  "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
		  "CREATE TYPE app.r AS RANGE (subtype = int4)");
	opts.owners = true;
	assert_int_equal(varve_schema_capture(&a, conn, &opts), 0);
	plain = capture(conn, NULL);
	assert_int_equal(varve_schema_sql(&sql, a), 0);
	assert_non_null(strstr(sql, "ALTER TABLE app.t OWNER TO "));
	assert_non_null(strstr(sql, "ALTER VIEW app.v OWNER TO "));
	assert_non_null(strstr(sql, "ALTER FUNCTION app.f() OWNER TO "));
	assert_non_null(strstr(sql, "ALTER SCHEMA app OWNER TO "));
	/* A range type's constructors come with it. */
	assert_null(strstr(sql, "ALTER FUNCTION app.r("));
	free(sql);
	assert_int_equal(varve_schema_sql(&sql, plain), 0);
	assert_null(strstr(sql, "OWNER TO"));
	free(sql);
	run(conn, "ALTER TABLE app.t OWNER TO reader");
	assert_int_equal(varve_schema_capture(&b, conn, &opts), 0);
	assert_int_equal(varve_schema_diff(&list, a, b), 0);
	assert_int_equal(varve_schema_diff_list_count(list), 1);
	find(list, "owner", "table app.t", VARVE_SCHEMA_CHANGED);
	varve_schema_diff_list_free(list);
	varve_schema_free(b);
	b = capture(conn, NULL);
	assert_same(plain, b);
	PQfinish(conn);
	varve_schema_free(a);
	varve_schema_free(b);
	varve_schema_free(plain);
}

/*
 * What `varve test` reports after a downgrade that forgot something: the
 * capture before the migration against the one after its downgrade.
 */
static void test_diff_names_what_a_downgrade_forgot(void **state)
{
	static const char base[] =
		"CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, name text DEFAULT 'x');"
		"CREATE TABLE posts (id int PRIMARY KEY, body text);";
	static const char broken[] =
		"CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL, name text);"
		"CREATE TABLE posts (id int PRIMARY KEY, body text);"
		"CREATE INDEX users_email_idx ON users (email);"
		"CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE sql AS 'SELECT lower(t)';"
		"CREATE TYPE status AS ENUM ('draft', 'published');"
		"GRANT SELECT ON posts TO reader;"
		"CREATE TABLE leftover (a int, b int);"
		"CREATE INDEX ON leftover (a);";
	const varve_schema_difference *d;
	varve_schema_diff_list *list = NULL;
	varve_schema *a, *b;
	char *text = NULL;

	(void)state;
	roles();
	a = capture_of(base);
	b = capture_of(broken);
	assert_false(varve_schema_equal(a, b));
	assert_int_equal(varve_schema_diff(&list, a, b), 0);
	assert_int_equal(varve_schema_diff_text(&text, list), 0);

	/* A forgotten DROP INDEX. */
	d = find(list, "index", "public.users_email_idx", VARVE_SCHEMA_ADDED);
	assert_null(d->before);
	assert_string_equal(d->after, "CREATE INDEX users_email_idx ON public.users USING btree (email)");
	/* A column type not restored. */
	d = find(list, "column", "public.users.email", VARVE_SCHEMA_CHANGED);
	assert_string_equal(d->before, "email text NOT NULL");
	assert_string_equal(d->after, "email character varying(200) NOT NULL");
	/* A dropped default. */
	d = find(list, "column", "public.users.name", VARVE_SCHEMA_CHANGED);
	assert_string_equal(d->before, "name text DEFAULT 'x'::text");
	assert_string_equal(d->after, "name text");
	/* A leftover function, a missing DROP TYPE, a grant not revoked. */
	d = find(list, "function", "public.slugify(text)", VARVE_SCHEMA_ADDED);
	assert_non_null(strstr(d->after, "CREATE OR REPLACE FUNCTION public.slugify(t text)"));
	d = find(list, "type", "public.status", VARVE_SCHEMA_ADDED);
	assert_string_equal(d->after, "CREATE TYPE public.status AS ENUM ('draft', 'published')");
	d = find(list, "grant", "table public.posts to reader", VARVE_SCHEMA_ADDED);
	assert_string_equal(d->after, "GRANT SELECT ON TABLE public.posts TO reader");
	/* A leftover table is one difference: its columns and index are
	 * not listed again. */
	find(list, "table", "public.leftover", VARVE_SCHEMA_ADDED);
	assert_int_equal(varve_schema_diff_list_count(list), 7);
	assert_non_null(strstr(text, "column public.users.email: changed\n"
				     "  - email text NOT NULL\n"
				     "  + email character varying(200) NOT NULL\n"));
	assert_non_null(strstr(text, "index public.users_email_idx: added\n"
				     "    CREATE INDEX users_email_idx ON public.users USING btree (email)\n"));
	free(text);
	varve_schema_diff_list_free(list);
	varve_schema_free(b);

	/* A function whose body changed: the lines that differ. */
	b = capture_of("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, name text DEFAULT 'x');"
		       "CREATE TABLE posts (id int PRIMARY KEY, body text);"
		       "CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE plpgsql AS $$\n"
		       "BEGIN\n  RETURN lower(t);\nEND\n$$;");
	{
		varve_schema *c = capture_of("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, name text DEFAULT 'x');"
					     "CREATE TABLE posts (id int PRIMARY KEY, body text);"
					     "CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE plpgsql AS $$\n"
					     "BEGIN\n  RETURN upper(t);\nEND\n$$;");

		assert_int_equal(varve_schema_diff(&list, b, c), 0);
		assert_int_equal(varve_schema_diff_text(&text, list), 0);
		assert_string_equal(text, "function public.slugify(text): changed\n"
					  "    @@ -3,6 +3,6 @@\n"
					  "      LANGUAGE plpgsql\n"
					  "     AS $function$\n"
					  "     BEGIN\n"
					  "    -  RETURN lower(t);\n"
					  "    +  RETURN upper(t);\n"
					  "     END\n"
					  "     $function$\n");
		varve_schema_free(c);
	}
	free(text);
	varve_schema_diff_list_free(list);
	varve_schema_free(b);
	b = capture_of(broken);

	/* The other way round: removed. */
	assert_int_equal(varve_schema_diff(&list, b, a), 0);
	find(list, "index", "public.users_email_idx", VARVE_SCHEMA_REMOVED);
	find(list, "table", "public.leftover", VARVE_SCHEMA_REMOVED);
	varve_schema_diff_list_free(list);
	varve_schema_free(a);
	varve_schema_free(b);
}

/* A column order that differs is a difference of the table. */
static void test_column_order(void **state)
{
	varve_schema_diff_list *list = NULL;
	varve_schema *a, *b;
	const varve_schema_difference *d;

	(void)state;
	a = capture_of("CREATE TABLE t (a int, b int);");
	b = capture_of("CREATE TABLE t (b int, a int);");
	assert_false(varve_schema_equal(a, b));
	assert_int_equal(varve_schema_diff(&list, a, b), 0);
	assert_int_equal(varve_schema_diff_list_count(list), 1);
	d = find(list, "table", "public.t", VARVE_SCHEMA_CHANGED);
	assert_string_equal(d->before, "(a, b)");
	assert_string_equal(d->after, "(b, a)");
	varve_schema_diff_list_free(list);
	varve_schema_free(a);
	varve_schema_free(b);
}

/*
 * The version table is left out with its parts; inside the caller's
 * transaction the capture leaves the session as it was.
 */
static void test_version_table_and_transaction(void **state)
{
	PGconn *conn;
	varve_schema *a, *b, *c;
	char *v;

	(void)state;
	conn = new_db();
	run(conn, "CREATE TABLE t (a int)");
	a = capture(conn, "meta.versions");
	run(conn, "CREATE SCHEMA meta;"
		  "CREATE TABLE meta.versions (revision text PRIMARY KEY, seq bigint GENERATED ALWAYS AS "
		  "IDENTITY, n serial CHECK (n > 0));"
		  "CREATE INDEX ON meta.versions (seq);"
		  "COMMENT ON TABLE meta.versions IS 'varve';"
		  "COMMENT ON COLUMN meta.versions.seq IS 'order';"
		  "GRANT SELECT ON meta.versions TO PUBLIC;");
	b = capture(conn, "meta.versions");
	/* Only the schema remains of it. */
	{
		varve_schema_diff_list *list = NULL;

		assert_int_equal(varve_schema_diff(&list, a, b), 0);
		assert_int_equal(varve_schema_diff_list_count(list), 1);
		find(list, "schema", "meta", VARVE_SCHEMA_ADDED);
		varve_schema_diff_list_free(list);
	}
	/* Named through the search path, quoted. */
	run(conn, "SET search_path = meta, public");
	c = capture(conn, "\"versions\"");
	assert_same(b, c);
	varve_schema_free(c);

	run(conn, "BEGIN");
	run(conn, "SET LOCAL search_path = meta");
	c = capture(conn, NULL);
	assert_int_equal(PQtransactionStatus(conn), PQTRANS_INTRANS);
	v = query1(conn, "SELECT current_setting('search_path')", NULL);
	assert_string_equal(v, "meta");
	free(v);
	run(conn, "ROLLBACK");
	assert_false(varve_schema_equal(b, c)); /* the table is in it now */
	varve_schema_free(c);
	PQfinish(conn);
	varve_schema_free(a);
	varve_schema_free(b);
}

/*
 * The catalog queries are prepared in the session once; a session that
 * lost them (DISCARD ALL, DEALLOCATE) is still captured, and the same.
 */
static void test_prepared_statements_gone(void **state)
{
	PGconn *conn;
	varve_schema *a, *b, *c;
	char *n;

	(void)state;
	conn = new_db();
	run(conn, "CREATE TABLE t (a int PRIMARY KEY, b text DEFAULT 'x')");
	a = capture(conn, NULL);
	n = query1(conn, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'varve\\_schema%'", NULL);
	assert_string_equal(n, "16");
	free(n);
	run(conn, "DEALLOCATE ALL");
	b = capture(conn, NULL);
	assert_same(a, b);
	/* Some left (another version's, say): plain queries. */
	run(conn, "DEALLOCATE ALL");
	run(conn, "PREPARE varve_schema_1_1 AS SELECT 1");
	c = capture(conn, NULL);
	assert_same(a, c);
	PQfinish(conn);
	varve_schema_free(a);
	varve_schema_free(b);
	varve_schema_free(c);
}

/* Older servers lack catalog columns: the queries do without them. */
static void test_queries_for_older_servers(void **state)
{
	varve_buf q15 = VARVE_BUF_INIT, q12 = VARVE_BUF_INIT;

	(void)state;
	assert_int_equal(varve_schema__query(&q15, true, VARVE_SCHEMA__PREPARE, 150004), 0);
	assert_int_equal(varve_schema__query(&q12, true, VARVE_SCHEMA__PREPARE, 120010), 0);
	assert_non_null(strstr(q15.ptr, "prosqlbody"));
	assert_non_null(strstr(q15.ptr, "tgparentid"));
	assert_null(strstr(q12.ptr, "prosqlbody"));
	assert_null(strstr(q12.ptr, "tgparentid"));
	assert_non_null(strstr(q12.ptr, "EXECUTE " VARVE_SCHEMA__STATEMENT "16;"));
	varve_buf_dispose(&q15);
	varve_buf_dispose(&q12);
}

static void test_unified_diff(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(varve_schema__unified(&out, "a\nb\nc\n", "a\nb\nc\n", "s.sql"), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(varve_schema__unified(&out, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
					       "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n", "s.sql"), 0);
	assert_string_equal(out, "--- s.sql (checked in)\n+++ s.sql (from the migrations)\n"
				 "@@ -2,9 +2,10 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n 9\n 10\n+11\n");
	free(out);
	assert_int_equal(varve_schema__unified(&out, "", "x\n", "s.sql"), 0);
	assert_string_equal(out, "--- s.sql (checked in)\n+++ s.sql (from the migrations)\n@@ -0,0 +1,1 @@\n+x\n");
	free(out);
	assert_int_equal(varve_schema__unified(&out, "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n",
					       "a\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n", "f"), 0);
	assert_string_equal(out, "--- f (checked in)\n+++ f (from the migrations)\n"
				 "@@ -1,5 +1,4 @@\n a\n-b\n c\n d\n e\n@@ -9,3 +8,4 @@\n i\n j\n k\n+l\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unified_diff),
		cmocka_unit_test(test_queries_for_older_servers),
		cmocka_unit_test(test_order_does_not_matter),
		cmocka_unit_test(test_dump_round_trip),
		cmocka_unit_test(test_diff_names_what_a_downgrade_forgot),
		cmocka_unit_test(test_column_order),
		cmocka_unit_test(test_version_table_and_transaction),
		cmocka_unit_test(test_prepared_statements_gone),
		cmocka_unit_test(test_owners),
	};

	return cmocka_run_group_tests_name("schema", tests, setup, teardown);
}
