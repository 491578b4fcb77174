Bookkeeping that migrations cannot disturb (issue 10 §3-4). The version
table is resolved once, through the server, to its schema: every query of
the runner names it schema-qualified, and the runner lock is keyed on the
resolved name, not on its spelling in the manifest.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ manifest() {
  >   { echo 'varve: 1'; [ -n "$1" ] && echo "version_table: $1"; echo 'migrations:'
  >     prev=null
  >     for f in $(cd migrations && ls); do
  >       r=${f%%_*}; r=${r%.sql}
  >       echo "  - {revision: \"$r\", down_revision: $prev, file: $f}"; prev="\"$r\""
  >     done; } > varve.yaml
  > }

## Two spellings of one table take one lock

Eight runners, four naming the table `varve_version` and four
`public.varve_version`, start together. Each migration sleeps and creates a
table (a second run of it would fail): every runner succeeds, and each
migration is applied once.

  $ for i in 1 2 3 4 5 6; do printf 'CREATE TABLE t%s (id int);\nSELECT pg_sleep(0.1);\n' $i > migrations/000$i.sql; done
  $ mkdir ../q && cp -r migrations ../q/ && manifest && (cd ../q && manifest public.varve_version)
  $ for i in 1 2 3 4; do
  >   varve -q upgrade > out.a$i 2>&1 & pids="$pids $!"
  >   (cd ../q && varve -q upgrade) > out.b$i 2>&1 & pids="$pids $!"
  > done
  $ fails=0; for p in $pids; do wait $p || fails=$((fails + 1)); done; echo "failed runs: $fails"
  failed runs: 0
  $ cat out.*
  $ psql -XAt -c "SELECT revision, count(*) FROM varve_version GROUP BY 1 ORDER BY 1"
  0001|1
  0002|1
  0003|1
  0004|1
  0005|1
  0006|1

## A migration that releases the runner lock

pg_advisory_unlock_all() in a migration releases varve's session lock, and
a second runner could start. varve checks the lock before each COMMIT:
the migration is rolled back and the run stops.

  $ psql -Xq -c "DROP TABLE t1, t2, t3, t4, t5, t6, varve_version" && rm migrations/*
  $ printf 'CREATE TABLE a (id int);\n' > migrations/0001.sql
  $ printf 'CREATE TABLE b (id int);\nSELECT pg_advisory_unlock_all();\n' > migrations/0002.sql
  $ printf 'CREATE TABLE c (id int);\n' > migrations/0003.sql
  $ manifest
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001    N ms
    ✗ 0002    N ms
  Applied 1 migration in N ms; 2 not run
  ! migrations/0002.sql: error: it released varve's runner lock on "varve_version" (pg_advisory_unlock_all() or pg_advisory_unlock() of varve's key), so another runner could start; the migration was rolled back, and the run stopped: remove the unlock from the migration
  [1]
  $ state
  rows: 0001 applied
  tables: a

The same in a `transaction: false` migration: its statements are done, so
it stays dirty.

  $ sed -i 's/file: 0002.sql}/file: 0002.sql, transaction: false}/' varve.yaml
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0002    N ms
  Applied 0 migrations in N ms; 2 not run
  ! migrations/0002.sql: error: it released varve's runner lock on "varve_version" (pg_advisory_unlock_all() or pg_advisory_unlock() of varve's key), so another runner could start; it stays dirty ('transaction: false'), and the run stopped: remove the unlock from the migration
  !   '0002' is now recorded dirty: repair the database, then run 'varve resolve 0002 --applied' or '--rolled-back'
  [1]
  $ state
  rows: 0001 applied, 0002 dirty
  tables: a b
  $ varve -q resolve 0002 --rolled-back && psql -Xq -c "DROP TABLE b"

## search_path set by a migration

A pg_dump-style migration empties search_path (it names everything with
its schema). The next migration must not inherit it, and the rows must go
to the version table that varve resolved.

  $ printf "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.b (id int);\n" > migrations/0002.sql
  $ sed -i 's/, transaction: false}/}/' varve.yaml
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0002    N ms
    ✓ 0003    N ms
  Applied 2 migrations in N ms
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied
  tables: a b c

A schema `app` with a version table of its own, and a migration that puts
`app` first in search_path: the rows still go to public's table, and the
run reads them back.

  $ psql -Xq -c "CREATE SCHEMA app" -c "CREATE TABLE app.varve_version (LIKE public.varve_version)"
  $ printf "SET search_path = app, public;\nCREATE TABLE d (id int);\n" > migrations/0004.sql
  $ printf "CREATE TABLE e (id int);\n" > migrations/0005.sql
  $ manifest
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0004    N ms
    ✓ 0005    N ms
  Applied 2 migrations in N ms
  $ psql -XAt -c "SELECT count(*) FROM app.varve_version"
  0
  $ psql -XAt -c "SELECT string_agg(table_schema || '.' || table_name, ' ' ORDER BY 1) FROM information_schema.tables WHERE table_name IN ('d', 'e')"
  app.d public.e
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied, 0005 applied
  tables: a b c e

The `--sql` script does the same (RESET ALL after each migration's SQL):
replayed with psql on a database with the same `app` schema, its rows go
to public's table too.

  $ createdb() { psql -Xq -c "CREATE DATABASE $1"; }
  $ createdb dumpstyle && psql -Xq -d dumpstyle -c "CREATE SCHEMA app" -c "CREATE TABLE app.varve_version (revision text)"
  $ varve -d postgresql:///dumpstyle upgrade --sql > script.sql
  $ grep -c '^RESET ALL;$' script.sql
  5
  $ psql -Xq -v ON_ERROR_STOP=1 -d dumpstyle -f script.sql > /dev/null
  $ psql -XAt -d dumpstyle -c "SELECT string_agg(revision, ' ' ORDER BY seq) FROM public.varve_version" -c "SELECT count(*) FROM app.varve_version"
  0001 0002 0003 0004 0005
  0

## SET ROLE in a migration

A migration that takes another role (to own what it creates) may leave
it set: its record is still written, and the next migration runs, as the
user varve connected as. The role here may not write the version table.

  $ psql -Xq -c "CREATE ROLE app_owner NOLOGIN" -c "GRANT CREATE ON SCHEMA public TO app_owner" -c "GRANT app_owner TO CURRENT_USER"
  $ printf 'SET ROLE app_owner;\nCREATE TABLE f (id int);\n' > migrations/0006.sql
  $ printf 'CREATE TABLE g (id int);\n' > migrations/0007.sql
  $ manifest
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0006    N ms
    ✓ 0007    N ms
  Applied 2 migrations in N ms
  $ psql -XAt -c "SELECT tablename || ' ' || tableowner FROM pg_tables WHERE tablename IN ('f', 'g') ORDER BY 1"
  f app_owner
  g varve
  $ psql -XAt -c "SELECT revision || ' ' || applied_by FROM varve_version WHERE revision >= '0006' ORDER BY 1"
  0006 varve
  0007 varve

## Rows varve did not write

A row with NULL applied_by (a table edited by hand) reads as a row, not
as an allocation failure.

  $ psql -Xq -c "ALTER TABLE varve_version ALTER applied_by DROP NOT NULL" -c "UPDATE varve_version SET applied_by = NULL WHERE revision = '0001'"
  $ varve status --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print([m.get("applied_by") for m in d["migrations"]][:2])'
  [None, 'varve']
  $ varve -q upgrade

## A version table that is not varve's

version_table names a table that exists with other columns: the error
names the table and what it lacks.

  $ psql -Xq -c "CREATE TABLE audit (id int, revision text, at timestamptz)"
  $ manifest audit
  $ varve status
  ! varve: error: "audit" exists but is not a varve version table: it lacks the columns description, checksum, applied_at, applied_by, duration_ms, seq, state; name another table in version_table, or see schemas/version_table.sql
  [1]
