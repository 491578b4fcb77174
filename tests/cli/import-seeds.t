`varve import` of what the seed packages on PyPI really write (SPEC §11):
sqlspec 0.69's template (named queries `-- name: migrate-<v>-up/down`
after `-- Version:` / `-- Description:` comments, version table
ddl_migrations) and manticore-cockroachdb 0.3.1's `create_migration`
(`V<n>__<desc with spaces>.sql`, the upgrade first and a `-- DOWN` line
before the downgrade, version table `_migrations(version int, ...)`).

This is the form for a reader without h-read's markers; import-seeds.t.after-h-read
is the form once they are merged (verified on a trial merge of h-read):
move it over this file then.

The import itself does not depend on how varve reads those markers. What
`varve check` says of the result does: until the shared SQL reader (h-read)
learns sqlspec's named-query markers, a file whose only marker is a
downgrade marker, and that a `V<rev>__` prefix matches its revision, the
check lines below record today's output. They must become
"✓ manifest is valid" once it does (rerun with --update and review).

  $ source "$ROOT/tests/cli/pg.sh"
  $ source "$ROOT/tests/cli/helpers.sh"
  $ imp() { rm -rf "$TESTTMP/$1" && cp -r "$FIXTURES/import/$1" "$TESTTMP/$1" && cd "$TESTTMP/$1" && createdb "$2" && export PGDATABASE="$2" DATABASE_URL="postgresql:///$2"; }
  $ q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
  $ same() { diff -u expected.yaml varve.yaml && echo "manifest as expected"; }

## sqlspec, the package's template

Until the reader splits the named queries, importing them would make the
downgrade part of the upgrade (`varve upgrade` would run the DROP TABLE
right after the CREATE TABLE), so the import refuses, naming each file.
Once it does, these lines become the import, `same` ("manifest as
expected", expected.yaml is already in the fixture) and a clean check.

  $ imp sqlspec-package ssp
  $ varve import --from auto
  ! migrations/0001_create_users.sql: error: varve's SQL reader does not split sqlspec's '-- name: migrate-<version>-down' queries: the downgrade would run inside the upgrade [import-unsupported]
  ! migrations/0002_add_email.sql: error: varve's SQL reader does not split sqlspec's '-- name: migrate-<version>-down' queries: the downgrade would run inside the upgrade [import-unsupported]
  ! varve: error: cannot import 'migrations' as sqlspec: see the errors above; nothing written
  [1]

Its migrator applied 0001 (sqlspec's table as its package creates it);
the adoption waits for the same:

  $ q -c "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"
  $ q -c "CREATE TABLE ddl_migrations (version_num varchar(32) PRIMARY KEY, version_type varchar(16),
  >         execution_sequence integer, description text, applied_at timestamptz NOT NULL DEFAULT now(),
  >         execution_time_ms integer, checksum varchar(64), applied_by varchar(255), replaces text);
  >       INSERT INTO ddl_migrations (version_num, version_type, execution_sequence, description)
  >       VALUES ('0001', 'sequential', 1, 'create users')"
  $ varve import -q --force --from sqlspec -d ssp 2>&1 | tail -1
  varve: error: cannot import 'migrations' as sqlspec: see the errors above; nothing written
  $ test ! -e varve.yaml && q -c "SELECT to_regclass('varve_version') IS NULL"
  t

## manticore-cockroachdb, the package's create_migration

File names with spaces are legitimate: they import, quoted in the manifest.

  $ imp manticore-package mp
  $ varve import --from auto
  Imported 2 migrations from migrations (manticore) into varve.yaml
  ! varve: recognised manticore (V<n>__<desc>.sql files with '-- DOWN' lines) in migrations
  $ same
  manifest as expected
  $ varve check
  ! migrations/V1__create users table.sql:1:1: error: SQL before the marker '-- DOWN' belongs to no section: add '-- UP' above it [sql-syntax]
  ! migrations/V2__add email column.sql:1:1: error: SQL before the marker '-- DOWN' belongs to no section: add '-- UP' above it [sql-syntax]
  ! varve.yaml:8:11: warning: file name 'V1__create users table.sql' does not start with its revision '1' [filename-mismatch]
  ! varve.yaml:8:11: error: the upgrade SQL of '1' is empty [empty-upgrade]
  ! varve.yaml:12:11: warning: file name 'V2__add email column.sql' does not start with its revision '2' [filename-mismatch]
  ! varve.yaml:12:11: error: the upgrade SQL of '2' is empty [empty-upgrade]
  ! 4 errors, 2 warnings
  [1]

Its Migrator applied V1 (version 1 in `_migrations`):

  $ q -c "CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name TEXT NOT NULL)"
  $ q -c "CREATE TABLE _migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,
  >         applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
  >       INSERT INTO _migrations (version, description) VALUES (1, 'create users table')"
  $ varve import -q --force --from manticore -d mp && state
  rows: 1 applied
  tables: _migrations users
