`varve import` of folders that the seed packages' own migrators wrote and
applied: pycopg 1.2.0 (`Migrator.create` and `Migrator.migrate`),
manticore-cockroachdb 0.3.1 (`Migrator.create_migration` and
`Migrator.migrate`) and sqlspec 0.69.0 (`SyncMigrationCommands`: `init`,
`revision`, `fix`, `upgrade`, with its psycopg adapter), run by tests/pypi/seed_migrate.py against the
private PostgreSQL. Needs the packages, so `tools/dev test` runs it, not
`zig build test`:

  tests/pypi/setup.sh      # a virtualenv in /tmp/varve-seeds
  VARVE_TESTPG=$PWD/zig-out/bin/varve-testpg \
    python3 tests/cli/cram.py zig-out/bin/varve tests/pypi/import-pypi.t

  $ source "$ROOT/tests/cli/pg.sh"
  $ source "$ROOT/tests/cli/helpers.sh"
  $ py=/tmp/varve-seeds/bin/python && "$py" -c "import pycopg, manticore_cockroachdb, sqlspec"
  $ seed() { mkdir -p "$TESTTMP/$1/migrations" && cd "$TESTTMP/$1" && createdb "$1" && export PGDATABASE="$1" DATABASE_URL="postgresql:///$1" && "$py" "$ROOT/tests/pypi/seed_migrate.py" "$1" migrations >/dev/null 2>&1; }

## pycopg

Its migrator created 001 to 003 from its template and applied 001 and 002:

  $ seed pycopg && ls migrations
  001_create_users.sql
  002_add_email.sql
  003_create_orders.sql
  $ psql -XAt -c "SELECT version, name FROM schema_migrations ORDER BY version"
  1|create_users
  2|add_email
  $ varve import -q --from auto -d pycopg && state
  rows: 001 applied, 002 applied
  tables: schema_migrations users
  $ varve check --database
  ! migrations/003_create_orders.sql:5:25: warning: key column 'id' is a 32-bit serial, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/003_create_orders.sql:5:25: warning: column 'id' is serial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! migrations/003_create_orders.sql:5:53: warning: column 'user_id' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! 0 errors, 3 warnings
  $ varve upgrade | ms
  Upgrading postgresql:///pycopg ("varve_version")
    ✓ 003  create orders  N ms
  Applied 1 migration in N ms
  $ varve -q downgrade -1 && varve -q upgrade && state
  rows: 001 applied, 002 applied, 003 applied
  tables: orders schema_migrations users
  $ psql -XAt -c "SELECT version, name FROM schema_migrations ORDER BY version"
  1|create_users
  2|add_email

## manticore-cockroachdb

Its migrator wrote `V<n>__<desc with spaces>.sql` with a `-- DOWN` line and
applied V1 and V2:

  $ seed manticore && ls migrations
  V1__create users.sql
  V2__add email.sql
  V3__create orders.sql
  $ varve import -q --from auto -d manticore && state
  rows: 1 applied, 2 applied
  tables: _migrations users
  $ grep 'file:' varve.yaml
      file: "V1__create users.sql"
      file: "V2__add email.sql"
      file: "V3__create orders.sql"
  $ varve check --database
  ! migrations/V3__create orders.sql:1:25: warning: key column 'id' is a 32-bit serial, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/V3__create orders.sql:1:25: warning: column 'id' is serial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! migrations/V3__create orders.sql:1:53: warning: column 'user_id' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! 0 errors, 3 warnings
  $ varve -q upgrade && varve -q downgrade -1 && varve -q upgrade && state
  rows: 1 applied, 2 applied, 3 applied
  tables: _migrations orders users

## sqlspec

Its commands wrote three migrations from its template (timestamps, then
`fix` made them 0001 to 0003) and applied 0001 and 0002 into ddl_migrations:

  $ seed sqlspec && ls migrations
  0001_create_users.sql
  0002_add_email.sql
  0003_create_orders.sql
  README.md
  $ psql -XAt -c "SELECT version_num, execution_sequence FROM ddl_migrations ORDER BY 2"
  0001|1
  0002|2
  $ varve import -q --from auto -d sqlspec && state
  rows: 0001 applied, 0002 applied
  tables: ddl_migrations users
  $ varve check --database
  ! migrations/0003_create_orders.sql:8:25: warning: key column 'id' is a 32-bit serial, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/0003_create_orders.sql:8:25: warning: column 'id' is serial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! migrations/0003_create_orders.sql:8:53: warning: column 'user_id' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! 0 errors, 3 warnings
  $ varve -q upgrade && varve -q downgrade -1 && varve -q upgrade && state
  rows: 0001 applied, 0002 applied, 0003 applied
  tables: ddl_migrations orders users
