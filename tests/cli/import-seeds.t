`varve import` of what the seed packages on PyPI really write (SPEC §11):
sqlspec 0.69's template (named queries `-- name: migrate-<v>-up/down`
after `-- Version:` / `-- Description:` comments, version table
ddl_migrations) and manticore-cockroachdb 0.3.1's `create_migration`
(`V<n>__<desc with spaces>.sql`, the upgrade first and a `-- DOWN` line
before the downgrade, version table `_migrations(version int, ...)`).

  $ source "$ROOT/tests/cli/pg.sh"
  $ source "$ROOT/tests/cli/helpers.sh"
  $ set -o pipefail
  $ imp() { rm -rf "$TESTTMP/$1" && cp -r "$FIXTURES/import/$1" "$TESTTMP/$1" && cd "$TESTTMP/$1" && createdb "$2" && export PGDATABASE="$2" DATABASE_URL="postgresql:///$2"; }
  $ q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
  $ same() { diff -u expected.yaml varve.yaml && echo "manifest as expected"; }

## sqlspec, the package's template

  $ imp sqlspec-package ssp
  $ varve import --from auto
  Imported 2 migrations from migrations (sqlspec) into varve.yaml
  ! varve: recognised sqlspec ('-- name: migrate-<version>-up' queries) in migrations
  $ same
  manifest as expected
  $ varve check
  ! migrations/0001_create_users.sql:9:8: warning: key column 'id' is a 32-bit integer, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/0002_add_email.sql:8:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  !   hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  ! 0 errors, 2 warnings

Its migrator applied 0001 (sqlspec's table as its package creates it):

  $ q -c "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"
  $ q -c "CREATE TABLE ddl_migrations (version_num varchar(32) PRIMARY KEY, version_type varchar(16),
  >         execution_sequence integer, description text, applied_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  >         execution_time_ms integer, checksum varchar(64), applied_by varchar(255), replaces text);
  >       INSERT INTO ddl_migrations (version_num, version_type, execution_sequence, description)
  >       VALUES ('0001', 'sequential', 1, 'create users')"
  $ varve import -q --force --from sqlspec -d ssp && state
  rows: 0001 applied
  tables: ddl_migrations users
  $ varve -q upgrade && state
  rows: 0001 applied, 0002 applied
  tables: ddl_migrations users
  $ q -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'"
  1
  $ varve -q downgrade -1 && q -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'"
  0

## manticore-cockroachdb, the package's create_migration

File names with spaces are legitimate: they import, quoted in the manifest.

  $ imp manticore-package mp
  $ varve import --from auto
  Imported 2 migrations from migrations (manticore) into varve.yaml
  ! varve: recognised manticore (V<n>__<desc>.sql files with '-- DOWN' lines) in migrations
  $ same
  manifest as expected
  $ varve check
  ! migrations/V2__add email column.sql:1:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  !   hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  ! 0 errors, 1 warning

Its Migrator applied V1 (version 1 in `_migrations`):

  $ q -c "CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name TEXT NOT NULL)"
  $ q -c "CREATE TABLE _migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,
  >         applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
  >       INSERT INTO _migrations (version, description) VALUES (1, 'create users table')"
  $ varve import -q --force --from manticore -d mp && state
  rows: 1 applied
  tables: _migrations users
  $ varve -q upgrade && varve -q downgrade -1 && varve -q upgrade && state
  rows: 1 applied, 2 applied
  tables: _migrations users
