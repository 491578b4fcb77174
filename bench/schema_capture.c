/*
 * bench/schema_capture: time varve_schema_capture (lib/schema.c), the
 * catalog reads `varve test` does after each step. Starts a scratch
 * server, creates TABLES realistic tables (an identity key, six columns
 * with defaults and a check, a foreign key to the previous table, two
 * indexes, a comment, a grant), a view and a function per ten tables,
 * then captures RUNS times and prints each time, the median and the best.
 *
 * Usage: varve-bench-schema [TABLES] [RUNS]   (default 50 and 20)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libpq-fe.h>

#include "varve.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int run(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	long tables = argc > 1 ? strtol(argv[1], NULL, 10) : 50;
	long runs = argc > 2 ? strtol(argv[2], NULL, 10) : 20;
	varve_scratch *scratch = NULL;
	PGconn *conn = NULL;
	double *times;
	char sql[2048];
	size_t objects = 0;
	int status = 1;

	if (tables < 1 || runs < 1 || !(times = calloc((size_t)runs, sizeof(*times))))
		return 2;
	if (varve_scratch_start(&scratch, NULL) != 0 ||
	    varve_pg_connect(&conn, varve_scratch_conninfo(scratch)) != 0) {
		fprintf(stderr, "varve-bench-schema: %s\n", varve_error_last());
		goto done;
	}
	run(conn, "CREATE ROLE bench_reader");
	for (long i = 0; i < tables; i++) {
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE t%ld (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
			 " parent_id bigint %s%ld%s, name text NOT NULL DEFAULT '',"
			 " email text CHECK (email LIKE '%%@%%'), created_at timestamptz NOT NULL DEFAULT now(),"
			 " amount numeric(12, 2), flags int[] DEFAULT '{}');"
			 "CREATE INDEX ON t%ld (parent_id); CREATE UNIQUE INDEX ON t%ld (lower(email));"
			 "COMMENT ON TABLE t%ld IS 'table %ld'; GRANT SELECT ON t%ld TO bench_reader;",
			 i, i ? "REFERENCES t" : "", i ? i - 1 : 0, i ? "(id)" : "", i, i, i, i, i);
		if (!i)
			snprintf(sql, sizeof(sql),
				 "CREATE TABLE t0 (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
				 " parent_id bigint, name text NOT NULL DEFAULT '',"
				 " email text CHECK (email LIKE '%%@%%'), created_at timestamptz NOT NULL DEFAULT now(),"
				 " amount numeric(12, 2), flags int[] DEFAULT '{}');"
				 "CREATE INDEX ON t0 (parent_id); CREATE UNIQUE INDEX ON t0 (lower(email));"
				 "COMMENT ON TABLE t0 IS 'table 0'; GRANT SELECT ON t0 TO bench_reader;");
		if (run(conn, sql) != 0)
			goto done;
		if (i % 10 == 9) {
			snprintf(sql, sizeof(sql),
				 "CREATE VIEW v%ld AS SELECT id, name FROM t%ld WHERE amount > 0;"
				 "CREATE FUNCTION f%ld(x bigint) RETURNS text LANGUAGE plpgsql AS "
				 "$$ BEGIN RETURN (SELECT name FROM t%ld WHERE id = x); END $$;",
				 i, i, i, i);
			if (run(conn, sql) != 0)
				goto done;
		}
	}
	for (long r = 0; r < runs; r++) {
		varve_schema *s = NULL;
		double t0 = now_ms();

		if (varve_schema_capture(&s, conn, NULL) != 0) {
			fprintf(stderr, "varve-bench-schema: %s\n", varve_error_last());
			goto done;
		}
		times[r] = now_ms() - t0;
		objects = varve_schema_count(s);
		varve_schema_free(s);
		printf("run %ld: %.2f ms\n", r + 1, times[r]);
	}
	qsort(times, (size_t)runs, sizeof(*times), cmp_double);
	printf("%ld tables, %zu objects: median %.2f ms, best %.2f ms per capture\n", tables,
	       objects, times[runs / 2], times[0]);
	status = 0;
done:
	PQfinish(conn);
	varve_scratch_free(scratch);
	free(times);
	return status;
}
