/*
 * The catalog queries of the schema capture (lib/schema.c). Every query
 * returns the same ten columns, one row per object:
 *
 *   kind    "table", "column", "index", ... (varve.h lists them)
 *   key     what matches an object with its counterpart in another
 *           capture: the qualified name, or for a name PostgreSQL
 *           generates, the definition with the name masked
 *   name    the qualified name, as shown
 *   def     the definition compared (a generated name masked)
 *   text    the definition as dumped, with the real name; NULL: def
 *   tail    tables: what follows the column list in CREATE TABLE
 *   post    a statement run once every table exists (OWNED BY, ENABLE
 *           ROW LEVEL SECURITY), or NULL
 *   parent  the key of the object that holds it (a column's table), or
 *           NULL: a difference is not listed when its parent is added
 *           or removed
 *   phase   the place of its kind in the dump (schema.c's order)
 *   pos     the order within the phase before the key (a column's
 *           position, a view's depth of views below it)
 *
 * Names are printed with search_path '' (set by the capture), so every
 * name outside pg_catalog comes out qualified. OIDs never leave a query.
 */
#ifndef VARVE_SCHEMA_SQL_H
#define VARVE_SCHEMA_SQL_H

/* Schemas that are not the user's. */
#define USER_NSP(n) \
	"(" n ".nspname NOT IN ('pg_catalog', 'information_schema') AND " n ".nspname !~ '^pg_(toast|temp_)')"

/* Not a member of an extension (the extension's script created it). */
#define NOT_EXT(cls, oid) \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd WHERE xd.classid = '" cls "'::pg_catalog.regclass " \
	"AND xd.objid = " oid " AND xd.deptype = 'e')"

/*
 * A user's object not in an extension. OIDs below 16384
 * (FirstNormalObjectId) are initdb's: the test lets the scan start at the
 * first user OID through the catalog's index instead of reading every
 * built-in row (pg_proc has thousands).
 */
#define USER_OBJ(cls, oid) "(" oid " >= 16384 AND " NOT_EXT(cls, oid) ")"

/* Not the version table or one of its parts (varve.exclude, set first). */
#define NOT_EXCLUDED(oid) \
	"NOT (" oid " = ANY (pg_catalog.current_setting('varve.exclude')::pg_catalog.oid[]))"

/* A name PostgreSQL would have generated (docs/schema.md). */
#define GENERATED(name) \
	"(" name " ~ '_(idx|key|pkey|fkey|check|excl|not_null|seq)[0-9]*$')"

/* A collation clause when `coll` differs from the type's default. */
#define COLLATE(coll, type) \
	"CASE WHEN " coll " <> 0 AND " coll " <> (SELECT ct.typcollation FROM pg_catalog.pg_type ct WHERE ct.oid = " type ") " \
	"THEN ' COLLATE ' || (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) " \
	"FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace " \
	"WHERE co.oid = " coll ") ELSE '' END"

/*
 * The options of sequence `s` (a pg_sequence row) that differ from
 * CREATE SEQUENCE's defaults for its type and direction.
 */
#define SEQ_OPTIONS(s) SEQ_OPTIONS_AS(s, "'pg_catalog.int8'::pg_catalog.regtype")
/* ... where `astype` is the type a sequence has without AS. */
#define SEQ_OPTIONS_AS(s, astype) \
	"pg_catalog.concat_ws(' ', " \
	"CASE WHEN " s ".seqtypid <> " astype " THEN 'AS ' || pg_catalog.format_type(" s ".seqtypid, NULL) END, " \
	"CASE WHEN " s ".seqincrement <> 1 THEN 'INCREMENT BY ' || " s ".seqincrement END, " \
	"CASE WHEN " s ".seqmin <> CASE WHEN " s ".seqincrement > 0 THEN 1 ELSE " \
	"  CASE " s ".seqtypid WHEN 'pg_catalog.int2'::pg_catalog.regtype THEN -32768 WHEN 'pg_catalog.int4'::pg_catalog.regtype THEN -2147483648 " \
	"  ELSE -9223372036854775808 END END THEN 'MINVALUE ' || " s ".seqmin END, " \
	"CASE WHEN " s ".seqmax <> CASE WHEN " s ".seqincrement < 0 THEN -1 ELSE " \
	"  CASE " s ".seqtypid WHEN 'pg_catalog.int2'::pg_catalog.regtype THEN 32767 WHEN 'pg_catalog.int4'::pg_catalog.regtype THEN 2147483647 " \
	"  ELSE 9223372036854775807 END END THEN 'MAXVALUE ' || " s ".seqmax END, " \
	"CASE WHEN " s ".seqstart <> CASE WHEN " s ".seqincrement > 0 THEN " s ".seqmin ELSE " s ".seqmax END " \
	"  THEN 'START WITH ' || " s ".seqstart END, " \
	"CASE WHEN " s ".seqcache <> 1 THEN 'CACHE ' || " s ".seqcache END, " \
	"CASE WHEN " s ".seqcycle THEN 'CYCLE' END)"

#endif
