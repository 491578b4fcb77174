`varve import` on hostile input: each is a clear error, and nothing is
written (no manifest, no version table).

  $ source "$ROOT/tests/cli/pg.sh"
  $ q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
  $ nothing() { test ! -e varve.yaml && test -z "$(q -c "SELECT to_regclass('varve_version')")" && echo "nothing written"; }
  $ fresh() { rm -rf "$TESTTMP/p" && mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"; }
  $ gm() { printf 'CREATE TABLE t%s (id int);\n' "$1" >"migrations/$1_$2.up.sql"; printf 'DROP TABLE t%s;\n' "$1" >"migrations/$1_$2.down.sql"; }

Usage errors:

  $ fresh && varve import
  ! varve import: which tool? e.g. 'varve import --from golang-migrate'
  ! run 'varve import --help' for usage
  [2]
  $ varve import --from liquibase
  ! varve import: unknown tool 'liquibase' (pycopg, sqlspec, manticore, golang-migrate, dbmate, goose, flyway, sqitch or auto)
  ! run 'varve import --help' for usage
  [2]
  $ varve import --from goose nosuch
  ! varve: error: cannot read 'nosuch': No such file or directory
  [2]
  $ varve import --from auto
  ! varve: error: cannot tell which tool wrote 'migrations': pass --from TOOL
  [1]

## Duplicate versions

golang-migrate refuses two files with version 1 (`1_` and `001_`); so does
the import, naming both:

  $ fresh && gm 1 users && gm 001 accounts && gm 2 posts
  $ varve import --from golang-migrate
  ! migrations/1_users.down.sql: error: version 1 has two down files: '001_accounts.down.sql' and '1_users.down.sql' [import-duplicate]
  ! migrations/1_users.up.sql: error: version 1 is also 'migrations/001_accounts.up.sql': golang-migrate would refuse the folder; renumber one of them [import-duplicate]
  ! varve: error: cannot import 'migrations' as golang-migrate: see the errors above; nothing written
  [1]
  $ nothing
  nothing written

Flyway: V1.1 and V1_1 are the same version, and so are 1.0 and 1:

  $ fresh && touch migrations/V1.1__a.sql migrations/V1_1__b.sql migrations/V2__c.sql migrations/V2.0__d.sql
  $ varve import --from flyway 2>&1 | grep -c import-duplicate
  2
  $ nothing
  nothing written

## A symlinked file out of the project

  $ fresh && gm 1 users && echo 'DROP TABLE everything;' >"$TESTTMP/outside.sql"
  $ ln -s "$TESTTMP/outside.sql" migrations/2_evil.up.sql
  $ varve import --from golang-migrate
  ! migrations/2_evil.up.sql: error: symlink leads outside the project: an imported file must stay inside the project [file-outside-project]
  ! varve: error: cannot import 'migrations' as golang-migrate: see the errors above; nothing written
  [1]
  $ nothing
  nothing written

A symlink that stays inside the project is fine:

  $ rm migrations/2_evil.up.sql && mkdir shared && echo 'CREATE TABLE t2 (id int);' >shared/t2.sql
  $ ln -s ../shared/t2.sql migrations/2_posts.up.sql
  $ varve import -q --from golang-migrate && varve check
  ! varve.yaml:10:15: warning: '2' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! 0 errors, 1 warning

## Version tables that are not the tool's

pycopg and golang-migrate both call their table schema_migrations. Read as
pycopg's, golang-migrate's table has a column too many and two too few:

  $ fresh && printf -- '-- UP\nCREATE TABLE t1 (id int);\n-- DOWN\nDROP TABLE t1;\n' >migrations/001_t1.sql
  $ q -c "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
  >       INSERT INTO schema_migrations VALUES (2, false)"
  $ varve import --from pycopg -d postgres
  ! varve: error: 'schema_migrations' is not pycopg's version table: it lacks column 'name', lacks column 'applied_at', has column 'dirty', which pycopg does not write; nothing written
  [1]
  $ nothing
  nothing written

A golang-migrate table without its dirty column, and one with an extra:

  $ fresh && gm 1 users && gm 2 posts
  $ q -c "ALTER TABLE schema_migrations DROP COLUMN dirty"
  $ varve import --from golang-migrate -d postgres
  ! varve: error: 'schema_migrations' is not golang-migrate's version table: it lacks column 'dirty'; nothing written
  [1]
  $ q -c "ALTER TABLE schema_migrations ADD COLUMN dirty boolean NOT NULL DEFAULT false, ADD COLUMN note text"
  $ varve import --from golang-migrate -d postgres
  ! varve: error: 'schema_migrations' is not golang-migrate's version table: it has column 'note', which golang-migrate does not write; nothing written
  [1]
  $ nothing
  nothing written

golang-migrate keeps one row; two are not its table either:

  $ q -c "ALTER TABLE schema_migrations DROP COLUMN note; INSERT INTO schema_migrations VALUES (1, false)"
  $ varve import --from golang-migrate -d postgres
  ! varve: error: 'schema_migrations' holds 2 rows: golang-migrate keeps one; nothing written
  [1]
  $ nothing
  nothing written

No table at all:

  $ varve import --from goose -d postgres 2>&1 | grep -v import-skipped
  varve: error: no table 'goose_db_version' in dbname='postgres': has goose run on this database? (or name its table with --table)
  $ nothing
  nothing written

## varve's table already records migrations

  $ q -c "DELETE FROM schema_migrations WHERE version = 1"
  $ varve import -q --from golang-migrate -d postgres && rm varve.yaml
  $ q -c "SELECT string_agg(revision, ' ' ORDER BY seq) FROM varve_version"
  1 2
  $ varve import --from golang-migrate -d postgres
  ! varve: error: "varve_version" already records 2 migrations; nothing written (--force records only what it lacks)
  [1]
  $ test ! -e varve.yaml && echo "no manifest"
  no manifest

## An unreachable database

  $ rm -f varve.yaml && varve import --from golang-migrate -d "host=$TESTTMP/nowhere dbname=app" 2>&1 | sed "s|$TESTTMP|TESTTMP|g" | cut -c1-60
  varve: error: cannot connect to 'host=TESTTMP/nowhere dbname
  $ varve import --from golang-migrate -d "host=$TESTTMP/nowhere dbname=app" 2>/dev/null
  [3]
  $ test ! -e varve.yaml && echo "no manifest"
  no manifest
