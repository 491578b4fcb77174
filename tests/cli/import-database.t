`varve import --from TOOL -d URL` against a real PostgreSQL: each fixture
of import.t is applied the way its tool would (the tool's statements and
its own version-table rows, written here through psql), then imported.
varve records exactly the tool's applied set (no SQL runs), `upgrade` runs
only what the tool had not, `downgrade -1` and `upgrade` round-trip, and
the tool's table is left as it was.

  $ source "$ROOT/tests/cli/pg.sh"
  $ source "$ROOT/tests/cli/helpers.sh"
  $ set -o pipefail
  $ imp() { rm -rf "$TESTTMP/$1" && cp -r "$FIXTURES/import/$1" "$TESTTMP/$1" && cd "$TESTTMP/$1" && createdb "$2" && export PGDATABASE="$2" DATABASE_URL="postgresql:///$2"; }
  $ q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
  $ section() { awk -v a="$2" -v b="$3" 'tolower($0) ~ "^" a {on=1; next} tolower($0) ~ "^" b {on=0} on' "$1" | q; }
  $ foreign() { q -c "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM $1 t"; }
  $ counts() { varve status | tail -1; }

## golang-migrate

golang-migrate applied 000001 to 000010 and keeps one row: version 10.

  $ imp golang-migrate gm
  $ for f in migrations/*.up.sql; do q -f "$f"; done
  $ q -c "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
  >       INSERT INTO schema_migrations VALUES (10, false)"
  $ before=$(foreign schema_migrations)
  $ varve import --from golang-migrate -d gm --dry-run | tail -6
  would record 000001
  would record 000002
  would record 000003
  would record 000010
  golang-migrate: 4 applied in schema_migrations (0 dirty, 0 without a file); nothing recorded (dry run)
  (dry run: nothing written)
  $ ls varve.yaml; q -c "SELECT to_regclass('varve_version')"
  
  ! ls: cannot access 'varve.yaml': No such file or directory
  $ varve import --from golang-migrate -d gm
  Imported 4 migrations from migrations (golang-migrate) into varve.yaml
  Recorded 4 applied migrations from schema_migrations, no SQL run
  $ state
  rows: 000001 applied, 000002 applied, 000003 applied, 000010 applied
  tables: orders schema_migrations users
  $ q -c "SELECT count(*) FROM varve_version WHERE checksum LIKE 'sha256:%'"
  4
  $ varve check --database
  ✓ manifest and database agree
  $ counts
  4 applied, 0 pending
  $ varve upgrade
  Nothing to do: every migration up to the target is applied
  $ varve -q downgrade -1 && state
  rows: 000001 applied, 000002 applied, 000003 applied
  tables: schema_migrations users
  $ varve -q upgrade && state
  rows: 000001 applied, 000002 applied, 000003 applied, 000010 applied
  tables: orders schema_migrations users
  $ test "$(foreign schema_migrations)" = "$before" && echo "schema_migrations unchanged"
  schema_migrations unchanged

A dirty row: golang-migrate failed part-way through 000003. It becomes
dirty in varve, and the report says so; what lies below it is applied, and
000010 is pending.

  $ imp golang-migrate gm_dirty
  $ q -f migrations/000001_create_users.up.sql -f migrations/000002_add_email.up.sql
  $ q -c "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
  >       INSERT INTO schema_migrations VALUES (3, true)"
  $ varve import --from golang-migrate -d gm_dirty
  Imported 4 migrations from migrations (golang-migrate) into varve.yaml
  Recorded 3 applied migrations from schema_migrations (dirty: see above), no SQL run
  ! varve: warning: golang-migrate marks version 3 dirty (failed part-way): '000003' is recorded dirty; repair it, then run 'varve resolve 000003 --applied' or '--rolled-back'
  $ state
  rows: 000001 applied, 000002 applied, 000003 dirty
  tables: schema_migrations users
  $ varve upgrade
  ! varve: error: '000003' is dirty: a non-transactional migration failed part way; repair the database, then run 'varve resolve 000003 --applied' or '--rolled-back'
  [1]
  $ varve -q resolve 000003 --rolled-back && varve -q upgrade && state
  rows: 000001 applied, 000002 applied, 000003 applied, 000010 applied
  tables: orders schema_migrations users

## dbmate

  $ imp dbmate dbm
  $ for f in db/migrations/2*.sql; do section "$f" "-- migrate:up" "-- migrate:down"; done
  $ q -c "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
  >       INSERT INTO schema_migrations VALUES ('20240105120000'), ('20240106093000'), ('20240201080000')"
  $ before=$(foreign schema_migrations)
  $ varve import -q --from dbmate db/migrations -d dbm && state
  rows: 20240105120000 applied, 20240106093000 applied, 20240201080000 applied
  tables: orders schema_migrations users
  $ varve upgrade
  Nothing to do: every migration up to the target is applied
  $ varve -q downgrade -1 && varve -q upgrade && state
  rows: 20240105120000 applied, 20240106093000 applied, 20240201080000 applied
  tables: orders schema_migrations users
  $ test "$(foreign schema_migrations)" = "$before" && echo "schema_migrations unchanged"
  schema_migrations unchanged

## goose

goose appends a row per step: 20240301101500 went up and down again (its
latest row says not applied), and version 4 is the Go migration, which has
no SQL file. That is reported and nothing is written, unless --force.

  $ imp goose gs
  $ for f in migrations/0000[123]*.sql; do section "$f" "-- \\+goose up" "-- \\+goose down"; done
  $ q -c "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL,
  >         is_applied boolean NOT NULL, tstamp timestamp DEFAULT now());
  >       INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true),
  >         (2, true), (3, true), (4, true), (20240301101500, true), (20240301101500, false)"
  $ before=$(foreign goose_db_version)
  $ varve import --from goose -d gs
  ! migrations/00004_backfill.go: warning: not imported: a Go migration: varve runs SQL files only; port it to SQL and add its entry by hand [import-skipped]
  ! varve: warning: goose records version 4 as applied, but no file has it
  ! varve: error: an applied version has no file; nothing written (--force imports the folder and records the others)
  [1]
  $ ls varve.yaml
  ! ls: cannot access 'varve.yaml': No such file or directory
  [2]
  $ varve import -q --from goose -d gs --force 2>&1 | grep -v import-skipped
  varve: warning: goose records version 4 as applied, but no file has it
  $ state
  rows: 00001 applied, 00002 applied, 00003 applied
  tables: goose_db_version users
  $ varve upgrade | ms
  Upgrading postgresql:///gs ("varve_version")
    ✓ 20240301101500  orders  N ms
  Applied 1 migration in N ms
  $ test "$(foreign goose_db_version)" = "$before" && echo "goose_db_version unchanged"
  goose_db_version unchanged

## Flyway

Flyway applied 1 to 1.10 and the repeatable view; 2.0.1 is pending. The
table's versions ("1.10") map to the revisions ("1_10").

  $ imp flyway fw
  $ for v in 1 1.1 1.2 1.9 1.10; do q -f sql/V${v}__*.sql; done
  $ q -f sql/R__user_summary.sql
  $ q -c "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),
  >         description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL,
  >         checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),
  >         execution_time int NOT NULL, success boolean NOT NULL);
  >       INSERT INTO flyway_schema_history VALUES
  >         (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 1, 'app', now(), 5, true),
  >         (2, '1.1', 'add email', 'SQL', 'V1.1__add_email.sql', 2, 'app', now(), 5, true),
  >         (3, '1.2', 'add phone', 'SQL', 'V1.2__add_phone.sql', 3, 'app', now(), 5, true),
  >         (4, '1.9', 'add country', 'SQL', 'V1.9__add_country.sql', 4, 'app', now(), 5, true),
  >         (5, '1.10', 'orders', 'SQL', 'V1.10__orders.sql', 5, 'app', now(), 5, true),
  >         (6, NULL, 'user summary', 'SQL', 'R__user_summary.sql', 6, 'app', now(), 5, true)"
  $ before=$(foreign flyway_schema_history)
  $ varve import -q --from flyway sql -d fw 2>/dev/null && state
  rows: 1 applied, 1_1 applied, 1_2 applied, 1_9 applied, 1_10 applied
  tables: flyway_schema_history orders users
  $ varve upgrade | ms
  Upgrading postgresql:///fw ("varve_version")
    ✓ 2_0_1  orders index  N ms
  Applied 1 migration in N ms

2.0.1 has no undo file, so the round trip steps over it; the repeatable
view depends on orders, so it goes first (Flyway would recreate it).

  $ q -c "DROP VIEW user_summary" && varve -q stamp 1_10 && varve -q downgrade 1_9 && state
  rows: 1 applied, 1_1 applied, 1_2 applied, 1_9 applied
  tables: flyway_schema_history users
  $ varve -q upgrade 1_10 && state
  rows: 1 applied, 1_1 applied, 1_2 applied, 1_9 applied, 1_10 applied
  tables: flyway_schema_history orders users
  $ test "$(foreign flyway_schema_history)" = "$before" && echo "flyway_schema_history unchanged"
  flyway_schema_history unchanged

Flyway's other rows: a baseline at 1.1 stands for what lies below it
too, 1.2 was undone (its latest row is UNDO_SQL), and 1.9 failed
(success false), which becomes dirty:

  $ imp flyway fw_rows
  $ q -c "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),
  >         description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL,
  >         checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),
  >         execution_time int NOT NULL, success boolean NOT NULL);
  >       INSERT INTO flyway_schema_history VALUES
  >         (1, '1.1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'app', now(), 0, true),
  >         (2, '1.2', 'add phone', 'SQL', 'V1.2__add_phone.sql', 3, 'app', now(), 5, true),
  >         (3, '1.2', 'add phone', 'UNDO_SQL', 'U1.2__add_phone.sql', 3, 'app', now(), 5, true),
  >         (4, '1.9', 'add country', 'SQL', 'V1.9__add_country.sql', 4, 'app', now(), 5, false)"
  $ varve import -q --from flyway sql -d fw_rows 2>&1 | grep -v import-skipped
  varve: warning: flyway marks version 1.9 dirty (failed part-way): '1_9' is recorded dirty; repair it, then run 'varve resolve 1_9 --applied' or '--rolled-back'
  $ q -c "SELECT revision, state FROM varve_version ORDER BY seq"
  1|applied
  1_1|applied
  1_9|dirty

## Sqitch

Sqitch deployed appschema, users and flips of project flipr (its registry
also holds another project's change, which is not ours).

  $ imp sqitch sq
  $ for c in appschema users flips; do q -f deploy/$c.sql; done
  $ q -c "CREATE SCHEMA sqitch;
  >       CREATE TABLE sqitch.changes (change_id text PRIMARY KEY, script_hash text, change text NOT NULL,
  >         project text NOT NULL, note text NOT NULL DEFAULT '', committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  >         committer_name text NOT NULL, committer_email text NOT NULL, planned_at timestamptz NOT NULL,
  >         planner_name text NOT NULL, planner_email text NOT NULL);
  >       INSERT INTO sqitch.changes (change_id, change, project, committer_name, committer_email, planned_at, planner_name, planner_email)
  >       SELECT md5(p || c), c, p, 'Marge', 'marge@example.com', now(), 'Marge', 'marge@example.com'
  >       FROM (VALUES ('flipr', 'appschema'), ('flipr', 'users'), ('other', 'widgets'), ('flipr', 'flips')) v(p, c)"
  $ before=$(foreign sqitch.changes)
  $ varve import -q --from sqitch . -d sq 2>/dev/null && state
  rows: appschema applied, users applied, flips applied
  tables: 
  $ varve upgrade | ms
  Upgrading postgresql:///sq ("varve_version")
    ✓ insert_user  Creates a function to insert a user.           N ms
    ✓ change_pass  Creates a function to change a user password.  N ms
  Applied 2 migrations in N ms
  $ varve -q downgrade -1 && q -c "SELECT count(*) FROM pg_proc WHERE proname = 'change_pass'"
  0
  $ varve -q upgrade && q -c "SELECT count(*) FROM pg_proc WHERE proname = 'change_pass'"
  1
  $ test "$(foreign sqitch.changes)" = "$before" && echo "sqitch.changes unchanged"
  sqitch.changes unchanged

## pycopg (its docs' folder)

pycopg records `001_create_users.sql` as version 1.

  $ imp pycopg pc
  $ for f in migrations/00[123]*.sql; do section "$f" "-- up" "-- down"; done
  $ q -c "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name varchar(255) NOT NULL,
  >         applied_at timestamp DEFAULT now());
  >       INSERT INTO schema_migrations VALUES (1, 'create_users', '2024-01-02 03:04:05'),
  >         (2, 'add_user_profile', '2024-02-03 04:05:06'), (3, 'create_orders', '2024-03-04 05:06:07')"
  $ varve import -q --from pycopg -d pc 2>/dev/null && state
  rows: 001 applied, 002 applied, 003 applied
  tables: orders schema_migrations users

The times pycopg recorded are kept:

  $ q -c "SELECT revision, varve_version.applied_at = v.applied_at::timestamptz FROM varve_version JOIN schema_migrations v ON v.version = revision::int ORDER BY seq"
  001|t
  002|t
  003|t
  $ varve -q upgrade && state
  rows: 001 applied, 002 applied, 003 applied, 004 applied
  tables: orders schema_migrations users

## sqlspec (its docs' form, version table sqlspec_version)

  $ imp sqlspec ss
  $ for f in migrations/000[123]*.sql; do section "$f" "-- upgrade --" "-- downgrade --"; done
  $ q -c "CREATE TABLE sqlspec_version (version_num varchar(32) PRIMARY KEY, version_type varchar(16),
  >         execution_sequence int, description text, applied_at timestamptz DEFAULT now(),
  >         execution_time_ms int, checksum varchar(64), applied_by varchar(255), replaces text);
  >       INSERT INTO sqlspec_version (version_num, version_type, execution_sequence) VALUES
  >         ('0001', 'sequential', 1), ('0003', 'sequential', 2), ('0002', 'sequential', 3)"
  $ varve import -q --from sqlspec -d ss 2>/dev/null && state
  rows: 0001 applied, 0003 applied, 0002 applied
  tables: posts sqlspec_version tags users
  $ varve upgrade | ms
  Upgrading postgresql:///ss ("varve_version")
    ✓ 0004  Merge posts and tags; tag posts  N ms
  Applied 1 migration in N ms
