/*
 * The catalog queries of the schema capture: one per kind of object, all
 * sent in one round trip (lib/schema.c). The columns are described in
 * schema_sql.h.
 */
#include "schema.h"
#include "schema_sql.h"

#define REL_KIND(c) \
	"CASE " c ".relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' " \
	"WHEN 'S' THEN 'sequence' ELSE 'table' END"

static const char q_schemas[] =
	"SELECT 'schema', pg_catalog.quote_ident(n.nspname), pg_catalog.quote_ident(n.nspname), "
	"'CREATE SCHEMA ' || pg_catalog.quote_ident(n.nspname), "
	"'CREATE SCHEMA IF NOT EXISTS ' || pg_catalog.quote_ident(n.nspname), "
	"NULL, NULL, NULL, 0, 0 "
	"FROM pg_catalog.pg_namespace n WHERE " USER_NSP("n") " AND " NOT_EXT("pg_namespace", "n.oid");

static const char q_extensions[] =
	"SELECT 'extension', pg_catalog.quote_ident(e.extname), pg_catalog.quote_ident(e.extname), "
	"'CREATE EXTENSION ' || pg_catalog.quote_ident(e.extname) || ' WITH SCHEMA ' || "
	"pg_catalog.quote_ident(n.nspname) || ' VERSION ' || pg_catalog.quote_literal(e.extversion), "
	"'CREATE EXTENSION IF NOT EXISTS ' || pg_catalog.quote_ident(e.extname) || ' WITH SCHEMA ' || "
	"pg_catalog.quote_ident(n.nspname) || ' VERSION ' || pg_catalog.quote_literal(e.extversion), "
	"NULL, NULL, NULL, 1, 0 "
	"FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
	"WHERE e.extname <> 'plpgsql'";

static const char q_types[] =
	"SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, t.oid::pg_catalog.regtype::text, "
	"t.oid::pg_catalog.regtype::text, "
	"CASE t.typtype "
	"WHEN 'e' THEN 'CREATE TYPE ' || t.oid::pg_catalog.regtype::text || ' AS ENUM (' || "
	"  coalesce((SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) "
	"  FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '') || ')' "
	"WHEN 'c' THEN 'CREATE TYPE ' || t.oid::pg_catalog.regtype::text || ' AS (' || "
	"  coalesce((SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' || "
	"  pg_catalog.format_type(a.atttypid, a.atttypmod) || " COLLATE("a.attcollation", "a.atttypid") ", ', ' ORDER BY a.attnum) "
	"  FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')' "
	"WHEN 'd' THEN 'CREATE DOMAIN ' || t.oid::pg_catalog.regtype::text || ' AS ' || "
	"  pg_catalog.format_type(t.typbasetype, t.typtypmod) || " COLLATE("t.typcollation", "t.typbasetype") " || "
	"  coalesce(' DEFAULT ' || t.typdefault, '') || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END || "
	"  coalesce((SELECT pg_catalog.string_agg(CASE WHEN " GENERATED("c.conname") " THEN '' "
	"  ELSE ' CONSTRAINT ' || pg_catalog.quote_ident(c.conname) END || ' ' || pg_catalog.pg_get_constraintdef(c.oid), '' "
	"  ORDER BY pg_catalog.pg_get_constraintdef(c.oid), c.conname) "
	"  FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '') "
	"WHEN 'r' THEN 'CREATE TYPE ' || t.oid::pg_catalog.regtype::text || ' AS RANGE (SUBTYPE = ' || "
	"  pg_catalog.format_type(r.rngsubtype, NULL) || "
	"  CASE WHEN r.rngsubdiff <> 0 THEN ', SUBTYPE_DIFF = ' || r.rngsubdiff::pg_catalog.regproc::text ELSE '' END || "
	"  CASE WHEN r.rngcanonical <> 0 THEN ', CANONICAL = ' || r.rngcanonical::pg_catalog.regproc::text ELSE '' END || ')' "
	"END, "
	/* A domain's named constraints keep their names in the dump. */
	"CASE WHEN t.typtype = 'd' THEN 'CREATE DOMAIN ' || t.oid::pg_catalog.regtype::text || ' AS ' || "
	"  pg_catalog.format_type(t.typbasetype, t.typtypmod) || " COLLATE("t.typcollation", "t.typbasetype") " || "
	"  coalesce(' DEFAULT ' || t.typdefault, '') || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END || "
	"  coalesce((SELECT pg_catalog.string_agg(' CONSTRAINT ' || pg_catalog.quote_ident(c.conname) || ' ' || "
	"  pg_catalog.pg_get_constraintdef(c.oid), '' ORDER BY pg_catalog.pg_get_constraintdef(c.oid), c.conname) "
	"  FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '') END, "
	"NULL, NULL, NULL, "
	"CASE t.typtype WHEN 'e' THEN 2 WHEN 'd' THEN 3 WHEN 'r' THEN 3 ELSE 4 END, 0 "
	"FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
	"LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid "
	"WHERE " USER_NSP("n") " AND t.typtype IN ('e', 'd', 'r', 'c') "
	"AND (t.typtype <> 'c' OR (SELECT rc.relkind FROM pg_catalog.pg_class rc WHERE rc.oid = t.typrelid) = 'c') "
	"AND " USER_OBJ("pg_type", "t.oid") " AND " NOT_EXT("pg_class", "t.typrelid");

/*
 * Sequences that are not an identity column's: their own, and those a
 * column owns (serial), whose generated name is matched by the column.
 */
static const char q_sequences[] =
	"SELECT 'sequence', "
	"CASE WHEN o.attname IS NOT NULL AND " GENERATED("c.relname") " THEN "
	"  o.attrelid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(o.attname) || ' (its sequence)' "
	"  ELSE c.oid::pg_catalog.regclass::text END, "
	"c.oid::pg_catalog.regclass::text, "
	"'CREATE SEQUENCE ' || CASE WHEN o.attname IS NOT NULL AND " GENERATED("c.relname") " THEN '*' "
	"  ELSE c.oid::pg_catalog.regclass::text END || "
	"  CASE WHEN " SEQ_OPTIONS("s") " = '' THEN '' ELSE ' ' || " SEQ_OPTIONS("s") " END || "
	"  coalesce(' OWNED BY ' || o.attrelid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(o.attname), ''), "
	"'CREATE SEQUENCE ' || c.oid::pg_catalog.regclass::text || "
	"  CASE WHEN " SEQ_OPTIONS("s") " = '' THEN '' ELSE ' ' || " SEQ_OPTIONS("s") " END, "
	"NULL, "
	"'ALTER SEQUENCE ' || c.oid::pg_catalog.regclass::text || ' OWNED BY ' || "
	"  o.attrelid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(o.attname), "
	"NULL, 5, 0 "
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid "
	"LEFT JOIN LATERAL (SELECT d.deptype, a.attrelid, a.attname FROM pg_catalog.pg_depend d "
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
	"  WHERE d.classid = 'pg_class'::pg_catalog.regclass AND d.objid = c.oid "
	"  AND d.refclassid = 'pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') LIMIT 1) o ON true "
	"WHERE c.relkind = 'S' AND " USER_NSP("n") " AND " USER_OBJ("pg_class", "c.oid") " AND " NOT_EXCLUDED("c.oid") " "
	"AND o.deptype IS DISTINCT FROM 'i'";

/* A table's inheritance depth: parents are created before children. */
#define DEPTH(rel) \
	"(WITH RECURSIVE up(r, d) AS (SELECT " rel ", 0 UNION ALL SELECT i.inhparent, up.d + 1 " \
	"FROM pg_catalog.pg_inherits i JOIN up ON i.inhrelid = up.r) SELECT max(up.d) FROM up)"

static const char q_tables[] =
	"SELECT 'table', c.oid::pg_catalog.regclass::text, c.oid::pg_catalog.regclass::text, "
	"'CREATE ' || CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END || 'TABLE ' || "
	"  c.oid::pg_catalog.regclass::text || "
	"  CASE WHEN c.relispartition THEN ' PARTITION OF ' || (SELECT i.inhparent::pg_catalog.regclass::text "
	"  FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) ELSE ' (...)' END || %s || "
	"  CASE WHEN c.relrowsecurity THEN '; ALTER TABLE ' || c.oid::pg_catalog.regclass::text || ' ENABLE ROW LEVEL SECURITY' ELSE '' END || "
	"  CASE WHEN c.relforcerowsecurity THEN '; ALTER TABLE ' || c.oid::pg_catalog.regclass::text || ' FORCE ROW LEVEL SECURITY' ELSE '' END, "
	"'CREATE ' || CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END || 'TABLE ' || "
	"  c.oid::pg_catalog.regclass::text || "
	"  CASE WHEN c.relispartition THEN ' PARTITION OF ' || (SELECT i.inhparent::pg_catalog.regclass::text "
	"  FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) ELSE '' END, "
	"%s, "
	"NULLIF(concat_ws('; ', "
	"  CASE WHEN c.relrowsecurity THEN 'ALTER TABLE ' || c.oid::pg_catalog.regclass::text || ' ENABLE ROW LEVEL SECURITY' END, "
	"  CASE WHEN c.relforcerowsecurity THEN 'ALTER TABLE ' || c.oid::pg_catalog.regclass::text || ' FORCE ROW LEVEL SECURITY' END), ''), "
	"NULL, 8, " DEPTH("c.oid") " "
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE c.relkind IN ('r', 'p') AND " USER_NSP("n") " AND " USER_OBJ("pg_class", "c.oid") " AND " NOT_EXCLUDED("c.oid");

/* What follows a table's column list: bound, inheritance, key, options. */
#define TABLE_TAIL \
	"(CASE WHEN c.relispartition THEN ' ' || pg_catalog.pg_get_expr(c.relpartbound, c.oid) ELSE '' END || " \
	" coalesce((SELECT ' INHERITS (' || pg_catalog.string_agg(i.inhparent::pg_catalog.regclass::text, ', ' ORDER BY i.inhseqno) || ')' " \
	"  FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid AND NOT c.relispartition), '') || " \
	" CASE WHEN c.relkind = 'p' THEN ' PARTITION BY ' || pg_catalog.pg_get_partkeydef(c.oid) ELSE '' END || " \
	" coalesce(' WITH (' || pg_catalog.array_to_string(c.reloptions, ', ') || ')', ''))"

/*
 * Columns a table defines itself (a partition's and a child's inherited
 * columns come with their parent). A serial column's default names its
 * sequence, masked when the name is generated. Each part is computed once
 * (x), then put together twice: compared (masked) and dumped.
 */
static const char q_columns[] =
	"SELECT 'column', x.tab || '.' || x.col, x.tab || '.' || x.col, "
	"x.col || ' ' || x.typ || x.coll || coalesce(x.gen, ' DEFAULT ' || coalesce(pg_catalog.replace(x.dflt, x.seqlit, '*'), x.dflt), '') || x.nn, "
	"x.col || ' ' || x.typ || x.coll || coalesce(x.gen, ' DEFAULT ' || x.dflt, '') || x.nn, "
	"NULL, NULL, x.tab, 9, x.pos FROM ("
	"  SELECT c.oid::pg_catalog.regclass::text AS tab, pg_catalog.quote_ident(a.attname) AS col, "
	"  pg_catalog.format_type(a.atttypid, a.atttypmod) AS typ, " COLLATE("a.attcollation", "a.atttypid") " AS coll, "
	"  CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || ') STORED' "
	"  WHEN a.attidentity IN ('a', 'd') THEN ' GENERATED ' || CASE a.attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END || "
	"    ' AS IDENTITY' || coalesce((SELECT CASE WHEN o.opts = '' THEN '' ELSE ' (' || o.opts || ')' END FROM "
	"    (SELECT " SEQ_OPTIONS_AS("s", "a.atttypid") " AS opts FROM pg_catalog.pg_depend d "
	"    JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid "
	"    WHERE d.classid = 'pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_class'::pg_catalog.regclass "
	"    AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i') o), '') END AS gen, "
	"  CASE WHEN a.attgenerated = '' AND a.attidentity = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS dflt, "
	"  CASE WHEN a.atthasdef AND a.attgenerated = '' AND a.attidentity = '' THEN "
	"    (SELECT pg_catalog.quote_literal(d.objid::pg_catalog.regclass::text) || '::regclass' "
	"    FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class sc ON sc.oid = d.objid "
	"    WHERE d.classid = 'pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_class'::pg_catalog.regclass "
	"    AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'a' AND sc.relkind = 'S' "
	"    AND " GENERATED("sc.relname") " LIMIT 1) END AS seqlit, "
	"  CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END AS nn, "
	"  pg_catalog.rank() OVER (PARTITION BY c.oid ORDER BY a.attnum) AS pos "
	"  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
	"  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
	"  WHERE c.relkind IN ('r', 'p') AND a.attislocal AND " USER_NSP("n") " AND " USER_OBJ("pg_class", "c.oid") " "
	"  AND " NOT_EXCLUDED("c.oid") " OFFSET 0) x";

/*
 * Constraints of tables, as ALTER TABLE ... ADD; a generated name is
 * matched by the table and definition. Foreign keys come after indexes
 * (one may reference a unique index). Inherited ones come with their
 * parent.
 */
static const char q_constraints[] =
	"SELECT 'constraint', CASE WHEN x.gen THEN x.tab || ': ' || x.def ELSE x.name || ' on ' || x.tab END, "
	"x.name || ' on ' || x.tab, "
	"'ALTER TABLE ' || x.tab || ' ADD ' || CASE WHEN x.gen THEN '' ELSE 'CONSTRAINT ' || x.name || ' ' END || x.def, "
	"'ALTER TABLE ' || x.tab || ' ADD CONSTRAINT ' || x.name || ' ' || x.def, "
	"NULL, NULL, x.tab, CASE WHEN x.contype = 'f' THEN 13 ELSE 11 END, 0 FROM ("
	"  SELECT k.conrelid::pg_catalog.regclass::text AS tab, pg_catalog.quote_ident(k.conname) AS name, "
	"  " GENERATED("k.conname") " AS gen, pg_catalog.pg_get_constraintdef(k.oid) AS def, k.contype "
	"  FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"  WHERE k.contype IN ('c', 'f', 'p', 'u', 'x') AND k.conislocal AND k.conparentid = 0 "
	"  AND c.relkind IN ('r', 'p') AND " USER_NSP("n") " AND " USER_OBJ("pg_class", "c.oid") " "
	"  AND " NOT_EXCLUDED("c.oid") " OFFSET 0) x";

/* Indexes that no constraint made, not a partition's copy of its parent's. */
static const char q_indexes[] =
	"SELECT 'index', CASE WHEN x.gen THEN x.masked ELSE x.name END, x.name, "
	"CASE WHEN x.gen THEN x.masked ELSE x.def END || CASE WHEN x.valid THEN '' ELSE ' /* INVALID */' END, "
	"x.def, NULL, NULL, x.tab, x.phase, 0 FROM ("
	"  SELECT y.*, pg_catalog.replace(y.def, ' INDEX ' || y.rel || ' ON ', ' INDEX * ON ') AS masked FROM ("
	"  SELECT ic.oid::pg_catalog.regclass::text AS name, pg_catalog.quote_ident(ic.relname) AS rel, "
	"  " GENERATED("ic.relname") " AS gen, i.indisvalid AS valid, c.oid::pg_catalog.regclass::text AS tab, "
	"  pg_catalog.replace(pg_catalog.pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') AS def, "
	"  CASE WHEN c.relkind = 'm' THEN 16 ELSE 12 END AS phase "
	"  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
	"  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"  WHERE c.relkind IN ('r', 'p', 'm') AND " USER_NSP("n") " AND " USER_OBJ("pg_class", "c.oid") " "
	"  AND " NOT_EXCLUDED("c.oid") " "
	"  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid "
	"    AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) "
	"  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid) OFFSET 0) y) x";

/* Views and materialized views; their depth orders the dump. */
static const char q_views[] =
	"WITH RECURSIVE dep(v, ref) AS ("
	"  SELECT DISTINCT r.ev_class, d.refobjid FROM pg_catalog.pg_rewrite r "
	"  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid "
	"  AND d.refclassid = 'pg_class'::pg_catalog.regclass AND d.refobjid <> r.ev_class "
	"  JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid AND rc.relkind IN ('v', 'm')), "
	"depth(v, d) AS (SELECT dep.v, 1 FROM dep UNION ALL SELECT dep.v, depth.d + 1 FROM dep "
	"  JOIN depth ON dep.ref = depth.v WHERE depth.d < 100) "
	"SELECT " REL_KIND("c") ", c.oid::pg_catalog.regclass::text, c.oid::pg_catalog.regclass::text, "
	"'CREATE ' || CASE WHEN c.relkind = 'm' THEN 'MATERIALIZED ' ELSE '' END || 'VIEW ' || "
	"  c.oid::pg_catalog.regclass::text || "
	"  coalesce(' WITH (' || pg_catalog.array_to_string(c.reloptions, ', ') || ')', '') || ' AS' || "
	"  pg_catalog.rtrim(pg_catalog.pg_get_viewdef(c.oid), ';'), "
	"NULL, NULL, NULL, NULL, 15, coalesce((SELECT max(depth.d) FROM depth WHERE depth.v = c.oid), 0) "
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE c.relkind IN ('v', 'm') AND " USER_NSP("n") " AND " USER_OBJ("pg_class", "c.oid");

/*
 * Whether a function's signature names a table's row type, or an array of
 * it (the element type whose array it is: found through the index on
 * pg_type's oid, not by a scan for typarray).
 */
#define ROWTYPE_SIG \
	"EXISTS (SELECT 1 FROM pg_catalog.unnest(coalesce(p.proallargtypes, p.proargtypes::pg_catalog.oid[]) || p.prorettype) u(t) " \
	"JOIN pg_catalog.pg_type ut ON ut.oid = u.t " \
	"JOIN pg_catalog.pg_type ty ON ty.oid = CASE WHEN ut.typrelid <> 0 THEN ut.oid ELSE ut.typelem END " \
	"AND (ty.oid = u.t OR ty.typarray = u.t) " \
	"JOIN pg_catalog.pg_class rc ON rc.oid = ty.typrelid WHERE rc.relkind IN ('r', 'p', 'v', 'm', 'f'))"

static const char q_functions[] =
	"SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END, "
	"p.oid::pg_catalog.regprocedure::text, p.oid::pg_catalog.regprocedure::text, "
	"CASE WHEN p.prokind = 'a' THEN 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || "
	"  pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_arguments(p.oid) || ') (SFUNC = ' || "
	"  g.aggtransfn::pg_catalog.regproc::text || ', STYPE = ' || pg_catalog.format_type(g.aggtranstype, NULL) || "
	"  CASE WHEN g.aggfinalfn <> 0 THEN ', FINALFUNC = ' || g.aggfinalfn::pg_catalog.regproc::text ELSE '' END || "
	"  CASE WHEN g.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || g.aggcombinefn::pg_catalog.regproc::text ELSE '' END || "
	"  coalesce(', INITCOND = ' || pg_catalog.quote_literal(g.agginitval), '') || ')' "
	"  ELSE pg_catalog.rtrim(pg_catalog.pg_get_functiondef(p.oid), E'\\n') END, "
	"NULL, NULL, NULL, NULL, "
	"CASE WHEN " ROWTYPE_SIG " OR p.prosqlbody IS NOT NULL THEN 14 WHEN p.prokind = 'a' THEN 7 ELSE 6 END, 0 "
	"FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
	"LEFT JOIN pg_catalog.pg_aggregate g ON g.aggfnoid = p.oid "
	"WHERE " USER_NSP("n") " AND " USER_OBJ("pg_proc", "p.oid") " "
	/* a range type's constructors come with the type */
	"AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_proc'::pg_catalog.regclass "
	"  AND d.objid = p.oid AND d.deptype = 'i')";

static const char q_triggers[] =
	"SELECT 'trigger', pg_catalog.quote_ident(t.tgname) || ' on ' || c.oid::pg_catalog.regclass::text, "
	"pg_catalog.quote_ident(t.tgname) || ' on ' || c.oid::pg_catalog.regclass::text, "
	"pg_catalog.pg_get_triggerdef(t.oid) || CASE t.tgenabled WHEN 'O' THEN '' "
	"  ELSE '; ALTER TABLE ' || c.oid::pg_catalog.regclass::text || CASE t.tgenabled WHEN 'D' THEN ' DISABLE' "
	"  WHEN 'A' THEN ' ENABLE ALWAYS' ELSE ' ENABLE REPLICA' END || ' TRIGGER ' || pg_catalog.quote_ident(t.tgname) END, "
	"NULL, NULL, NULL, c.oid::pg_catalog.regclass::text, 17, 0 "
	"FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND " USER_NSP("n") " AND " NOT_EXT("pg_class", "c.oid") " "
	"AND " NOT_EXCLUDED("c.oid");

static const char q_rules[] =
	"SELECT 'rule', pg_catalog.quote_ident(r.rulename) || ' on ' || c.oid::pg_catalog.regclass::text, "
	"pg_catalog.quote_ident(r.rulename) || ' on ' || c.oid::pg_catalog.regclass::text, "
	"pg_catalog.rtrim(pg_catalog.pg_get_ruledef(r.oid), ';'), "
	"NULL, NULL, NULL, c.oid::pg_catalog.regclass::text, 17, 0 "
	"FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE r.rulename <> '_RETURN' AND " USER_NSP("n") " AND " NOT_EXT("pg_class", "c.oid") " "
	"AND " NOT_EXCLUDED("c.oid");

static const char q_policies[] =
	"SELECT 'policy', pg_catalog.quote_ident(p.polname) || ' on ' || c.oid::pg_catalog.regclass::text, "
	"pg_catalog.quote_ident(p.polname) || ' on ' || c.oid::pg_catalog.regclass::text, "
	"'CREATE POLICY ' || pg_catalog.quote_ident(p.polname) || ' ON ' || c.oid::pg_catalog.regclass::text || "
	"  ' AS ' || CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END || ' FOR ' || "
	"  CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' "
	"  ELSE 'ALL' END || ' TO ' || "
	"  (SELECT pg_catalog.string_agg(CASE WHEN r.r = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.r)) END, "
	"  ', ' ORDER BY CASE WHEN r.r = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(r.r)::text END) "
	"  FROM pg_catalog.unnest(p.polroles) r(r)) || "
	"  coalesce(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '') || "
	"  coalesce(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', ''), "
	"NULL, NULL, NULL, c.oid::pg_catalog.regclass::text, 18, 0 "
	"FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE " USER_NSP("n") " AND " NOT_EXCLUDED("c.oid");

/*
 * Grants: what each object's ACL has beyond the default privileges of its
 * kind (GRANT), and what it lacks of them (REVOKE), per grantee. Grantors
 * are left out (the owner, usually), and so are the owner's own
 * privileges unless revoked.
 */
static const char q_grants[] =
	"WITH o(objtype, ident, col, parent, acl, dflt) AS ("
	"  SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::pg_catalog.regclass::text, NULL::text, "
	"  c.oid::pg_catalog.regclass::text, c.relacl, "
	"  pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner) "
	"  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND " USER_NSP("n") " AND " USER_OBJ("pg_class", "c.oid") " "
	"  AND " NOT_EXCLUDED("c.oid") " AND c.relacl IS NOT NULL "
	"  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::pg_catalog.regclass "
	"  AND d.objid = c.oid AND d.deptype = 'i') "
	"  UNION ALL "
	"  SELECT 'TABLE', c.oid::pg_catalog.regclass::text, pg_catalog.quote_ident(a.attname), c.oid::pg_catalog.regclass::text, "
	"  a.attacl, NULL "
	"  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND " USER_NSP("n") " "
	"  AND " USER_OBJ("pg_class", "c.oid") " AND " NOT_EXCLUDED("c.oid") " "
	"  UNION ALL "
	"  SELECT 'SCHEMA', pg_catalog.quote_ident(n.nspname), NULL, pg_catalog.quote_ident(n.nspname), n.nspacl, "
	"  pg_catalog.acldefault('n', n.nspowner) FROM pg_catalog.pg_namespace n "
	"  WHERE " USER_NSP("n") " AND " NOT_EXT("pg_namespace", "n.oid") " AND n.nspacl IS NOT NULL "
	"  UNION ALL "
	"  SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.oid::pg_catalog.regprocedure::text, "
	"  NULL, p.oid::pg_catalog.regprocedure::text, p.proacl, pg_catalog.acldefault('f', p.proowner) "
	"  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
	"  WHERE " USER_NSP("n") " AND " USER_OBJ("pg_proc", "p.oid") " AND p.proacl IS NOT NULL "
	"  UNION ALL "
	"  SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::pg_catalog.regtype::text, NULL, "
	"  t.oid::pg_catalog.regtype::text, t.typacl, pg_catalog.acldefault('T', t.typowner) "
	"  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
	"  WHERE " USER_NSP("n") " AND t.typtype IN ('e', 'd', 'r', 'c') AND t.typacl IS NOT NULL "
	"  AND " USER_OBJ("pg_type", "t.oid") "), "
	"x AS (SELECT o.objtype, o.ident, o.col, o.parent, e.grantee, e.privilege_type, e.is_grantable "
	"  FROM o, pg_catalog.aclexplode(o.acl) e), "
	"y AS (SELECT o.objtype, o.ident, o.col, o.parent, e.grantee, e.privilege_type, e.is_grantable "
	"  FROM o, pg_catalog.aclexplode(o.dflt) e), "
	"g AS ((SELECT *, 'GRANT' AS dir FROM (SELECT * FROM x EXCEPT SELECT * FROM y) s) "
	"  UNION ALL (SELECT *, 'REVOKE' FROM (SELECT * FROM y EXCEPT SELECT * FROM x) s)), "
	"h AS (SELECT g.objtype, g.ident, g.parent, g.dir, g.is_grantable, "
	"  CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END AS who, "
	"  pg_catalog.string_agg(g.privilege_type || coalesce(' (' || g.col || ')', ''), ', ' "
	"  ORDER BY g.privilege_type, g.col) AS privs "
	"  FROM g GROUP BY 1, 2, 3, 4, 5, 6) "
	"SELECT 'grant', k, k, pg_catalog.string_agg(h.stmt, '; ' ORDER BY h.stmt), NULL, NULL, NULL, h.parent, 20, 0 FROM ("
	"  SELECT pg_catalog.lower(h.objtype) || ' ' || h.ident || CASE WHEN h.dir = 'GRANT' THEN ' to ' ELSE ' from ' END || "
	"  h.who AS k, h.parent, "
	"  h.dir || ' ' || h.privs || ' ON ' || h.objtype || ' ' || h.ident || "
	"  CASE WHEN h.dir = 'GRANT' THEN ' TO ' ELSE ' FROM ' END || h.who || "
	"  CASE WHEN h.is_grantable AND h.dir = 'GRANT' THEN ' WITH GRANT OPTION' ELSE '' END AS stmt FROM h) h "
	"GROUP BY k, h.parent";

/*
 * Comments on the objects above. The object is named as
 * pg_identify_object names it, which COMMENT ON takes.
 */
static const char q_comments[] =
	"SELECT 'comment', i.type || ' ' || i.identity, i.type || ' ' || i.identity, "
	"'COMMENT ON ' || CASE WHEN i.type LIKE '% column' THEN 'COLUMN' WHEN i.type LIKE '% constraint' THEN 'CONSTRAINT' "
	"  WHEN i.type = 'composite type' THEN 'TYPE' ELSE pg_catalog.upper(i.type) END || ' ' || "
	"  CASE WHEN i.type = 'domain constraint' THEN pg_catalog.replace(i.identity, ' on ', ' ON DOMAIN ') "
	"  WHEN i.type IN ('table constraint', 'trigger', 'policy', 'rule') THEN pg_catalog.replace(i.identity, ' on ', ' ON ') "
	"  ELSE i.identity END || ' IS ' || pg_catalog.quote_literal(ds.description), "
	"NULL, NULL, NULL, "
	"CASE ds.classoid "
	"  WHEN 'pg_class'::pg_catalog.regclass THEN (SELECT CASE WHEN c.relkind = 'i' THEN "
	"    (SELECT x.indrelid::pg_catalog.regclass::text FROM pg_catalog.pg_index x WHERE x.indexrelid = c.oid) "
	"    ELSE c.oid::pg_catalog.regclass::text END FROM pg_catalog.pg_class c WHERE c.oid = ds.objoid) "
	"  WHEN 'pg_constraint'::pg_catalog.regclass THEN (SELECT CASE WHEN k.conrelid <> 0 THEN k.conrelid::pg_catalog.regclass::text "
	"    ELSE k.contypid::pg_catalog.regtype::text END FROM pg_catalog.pg_constraint k WHERE k.oid = ds.objoid) "
	"  WHEN 'pg_trigger'::pg_catalog.regclass THEN (SELECT t.tgrelid::pg_catalog.regclass::text FROM pg_catalog.pg_trigger t WHERE t.oid = ds.objoid) "
	"  WHEN 'pg_policy'::pg_catalog.regclass THEN (SELECT p.polrelid::pg_catalog.regclass::text FROM pg_catalog.pg_policy p WHERE p.oid = ds.objoid) "
	"  WHEN 'pg_rewrite'::pg_catalog.regclass THEN (SELECT r.ev_class::pg_catalog.regclass::text FROM pg_catalog.pg_rewrite r WHERE r.oid = ds.objoid) "
	"  WHEN 'pg_proc'::pg_catalog.regclass THEN ds.objoid::pg_catalog.regprocedure::text "
	"  WHEN 'pg_type'::pg_catalog.regclass THEN ds.objoid::pg_catalog.regtype::text "
	"  ELSE i.identity END, 21, 0 "
	"FROM pg_catalog.pg_description ds, LATERAL pg_catalog.pg_identify_object(ds.classoid, ds.objoid, ds.objsubid) i "
	"WHERE ds.objoid >= 16384 AND ds.classoid IN ('pg_class'::pg_catalog.regclass, 'pg_constraint'::pg_catalog.regclass, "
	"  'pg_trigger'::pg_catalog.regclass, 'pg_policy'::pg_catalog.regclass, 'pg_rewrite'::pg_catalog.regclass, "
	"  'pg_proc'::pg_catalog.regclass, 'pg_type'::pg_catalog.regclass, 'pg_namespace'::pg_catalog.regclass) "
	"AND (i.schema IS NULL OR (i.schema NOT IN ('pg_catalog', 'information_schema') AND i.schema !~ '^pg_(toast|temp_)')) "
	"AND i.type NOT LIKE 'foreign table%' "
	"AND NOT (i.type = 'schema' AND (i.identity IN ('pg_catalog', 'information_schema') OR i.identity ~ '^pg_(toast|temp_)')) "
	"AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd WHERE xd.classid = ds.classoid AND xd.objid = ds.objoid "
	"  AND xd.deptype = 'e') "
	"AND NOT (ds.classoid = 'pg_class'::pg_catalog.regclass AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd "
	"  JOIN pg_catalog.pg_class xc ON xc.oid = ds.objoid WHERE xd.classid = 'pg_class'::pg_catalog.regclass "
	"  AND xd.objid = ds.objoid AND xd.deptype = 'e')) "
	"AND " NOT_EXCLUDED("ds.objoid");

/* Owners, only when asked for. */
static const char q_owners[] =
	"SELECT 'owner', k, k, s, NULL, NULL, NULL, parent, 22, 0 FROM ("
	"  SELECT " REL_KIND("c") " || ' ' || c.oid::pg_catalog.regclass::text AS k, c.oid::pg_catalog.regclass::text AS parent, "
	"  'ALTER ' || CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END || "
	"  ' ' || c.oid::pg_catalog.regclass::text || ' OWNER TO ' || pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(c.relowner)) AS s "
	"  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND " USER_NSP("n") " AND " USER_OBJ("pg_class", "c.oid") " "
	"  AND " NOT_EXCLUDED("c.oid") " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
	"  WHERE d.classid = 'pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')) "
	"  UNION ALL SELECT 'schema ' || pg_catalog.quote_ident(n.nspname), pg_catalog.quote_ident(n.nspname), "
	"  'ALTER SCHEMA ' || pg_catalog.quote_ident(n.nspname) || ' OWNER TO ' || "
	"  pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(n.nspowner)) FROM pg_catalog.pg_namespace n "
	"  WHERE " USER_NSP("n") " AND " NOT_EXT("pg_namespace", "n.oid") " "
	"  UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' ELSE 'function ' END || "
	"  p.oid::pg_catalog.regprocedure::text, p.oid::pg_catalog.regprocedure::text, "
	"  'ALTER ' || CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END || ' ' || "
	"  p.oid::pg_catalog.regprocedure::text || ' OWNER TO ' || pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(p.proowner)) "
	"  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
	"  WHERE " USER_NSP("n") " AND " USER_OBJ("pg_proc", "p.oid") " "
	"  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_proc'::pg_catalog.regclass "
	"  AND d.objid = p.oid AND d.deptype = 'i') "
	"  UNION ALL SELECT 'type ' || t.oid::pg_catalog.regtype::text, t.oid::pg_catalog.regtype::text, "
	"  'ALTER ' || CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END || ' ' || t.oid::pg_catalog.regtype::text || "
	"  ' OWNER TO ' || pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(t.typowner)) "
	"  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
	"  WHERE " USER_NSP("n") " AND t.typtype IN ('e', 'd', 'r') AND " USER_OBJ("pg_type", "t.oid") ") o";

static int queries(varve_buf *out, bool owners, varve_schema__mode mode);

/* `out` with every `from` replaced by `to`. */
static int replace_all(varve_buf *out, const char *from, const char *to)
{
	varve_buf b = VARVE_BUF_INIT;
	const char *p = varve_buf_cstr(out), *hit;
	size_t flen = strlen(from);

	while ((hit = strstr(p, from)) != NULL) {
		varve_buf_put(&b, p, (size_t)(hit - p));
		varve_buf_puts(&b, to);
		p = hit + flen;
	}
	varve_buf_puts(&b, p);
	if (b.oom) {
		varve_buf_dispose(&b);
		return VARVE_ENOMEM;
	}
	varve_buf_dispose(out);
	*out = b;
	return 0;
}

int varve_schema__query(varve_buf *out, bool owners, varve_schema__mode mode,
			int server_version)
{
	varve_buf q = VARVE_BUF_INIT;
	int error;

	if ((error = queries(&q, owners, mode)) == 0) {
		/* Catalog columns older servers lack: SQL-standard function
		 * bodies (14), a trigger's parent (13: a partition's clone is
		 * internal there). */
		if (!error && server_version < 140000)
			error = replace_all(&q, "p.prosqlbody IS NOT NULL", "false");
		if (!error && server_version < 130000)
			error = replace_all(&q, "t.tgparentid = 0", "true");
	}
	if (!error)
		varve_buf_puts(out, varve_buf_cstr(&q));
	varve_buf_dispose(&q);
	return error ? error : out->oom ? VARVE_ENOMEM : 0;
}

static int queries(varve_buf *out, bool owners, varve_schema__mode mode)
{
	static const char *const queries[] = {
		q_schemas, q_extensions, q_types, q_sequences, NULL /* tables */, q_columns,
		q_constraints, q_indexes, q_views, q_functions, q_triggers, q_rules,
		q_policies, q_grants, q_comments, q_owners,
	};
	size_t n = VARVE_ARRAY_SIZE(queries);

	for (size_t i = 0; i < n; i++) {
		bool run = owners || queries[i] != q_owners;

		if (mode != VARVE_SCHEMA__EXECUTE && (mode == VARVE_SCHEMA__PREPARE || run)) {
			if (mode == VARVE_SCHEMA__PREPARE)
				varve_buf_printf(out, "PREPARE " VARVE_SCHEMA__STATEMENT "%zu AS ", i + 1);
			if (queries[i])
				varve_buf_puts(out, queries[i]);
			else
				varve_buf_printf(out, q_tables, TABLE_TAIL, TABLE_TAIL);
			varve_buf_puts(out, ";\n");
		}
		if (mode != VARVE_SCHEMA__PLAIN && run)
			varve_buf_printf(out, "EXECUTE " VARVE_SCHEMA__STATEMENT "%zu;\n", i + 1);
	}
	return out->oom ? VARVE_ENOMEM : 0;
}
