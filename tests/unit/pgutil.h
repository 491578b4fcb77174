/*
 * What the unit tests that query a scratch server share. Include after
 * cmocka.h and libpq (pg.h).
 */
#ifndef VARVE_PGUTIL_H
#define VARVE_PGUTIL_H

#include <stdlib.h>
#include <string.h>

/* The one value `sql` (with at most one parameter) returns; malloc'd. */
static inline char *query1(PGconn *conn, const char *sql, const char *param)
{
	const char *params[] = { param };
	PGresult *res = PQexecParams(conn, sql, param ? 1 : 0, NULL, params, NULL, NULL, 0);
	char *v;

	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	v = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

#endif
