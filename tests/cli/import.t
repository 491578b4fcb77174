`varve import --from TOOL [DIR]` writes a manifest for a folder written for
another tool, as that tool's docs and scaffolding write it. Each fixture
under tests/fixtures/import/TOOL holds the folder and the manifest the
import must write (expected.yaml); the files are never touched. The
seed packages' own forms (sqlspec's named queries, manticore's `-- DOWN`)
are in import-seeds.t.

  $ imp() { rm -rf "$TESTTMP/$1" && cp -r "$FIXTURES/import/$1" "$TESTTMP/$1" && cd "$TESTTMP/$1"; }
  $ same() { diff -u expected.yaml varve.yaml && echo "manifest as expected"; }
  $ untouched() { diff -r -x varve.yaml "$FIXTURES/import/$1" . && echo "files untouched"; }

## golang-migrate

Up/down pairs become `up:` and `down:`; a down file that holds only a
comment is an explicit no-op (no missing-downgrade warning); CREATE INDEX
CONCURRENTLY and a file with its own BEGIN/COMMIT get `transaction: false`,
as golang-migrate ran them outside a transaction block; 000010 sorts after
000003. README.md is not a migration and is not mentioned.

  $ imp golang-migrate
  $ varve import --from golang-migrate
  Imported 4 migrations from migrations (golang-migrate) into varve.yaml
  $ same && untouched golang-migrate
  manifest as expected
  files untouched
  $ varve check
  ! migrations/000001_create_users.up.sql:2:8: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! migrations/000002_add_email.up.sql:1:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  !   hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  ! migrations/000010_orders.up.sql:3:8: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! 0 errors, 3 warnings

It refuses to overwrite the manifest, unless given --force:

  $ varve import --from golang-migrate
  ! varve: error: 'varve.yaml' exists: pass --force to replace it; nothing written
  [1]
  $ varve import --from golang-migrate --force
  Imported 4 migrations from migrations (golang-migrate) into varve.yaml
  $ same
  manifest as expected

`--from auto` recognises the tool and says which it chose:

  $ rm varve.yaml && varve import --from auto
  Imported 4 migrations from migrations (golang-migrate) into varve.yaml
  ! varve: recognised golang-migrate (*.up.sql / *.down.sql pairs) in migrations
  $ same
  manifest as expected

-f puts the manifest elsewhere; `directory:` points at DIR relative to it:

  $ mkdir -p deploy && varve -f deploy/varve.yaml import --from golang-migrate deploy/../migrations
  ! varve: error: 'deploy/../migrations' is not inside 'deploy', the manifest's folder: a manifest's directory must stay inside the project
  [1]
  $ mkdir -p app/db && cp -r migrations app/db/ && varve -f app/varve.yaml import -q --from golang-migrate app/db/migrations
  $ grep directory: app/varve.yaml && varve -f app/varve.yaml check
  directory: db/migrations
  ! app/db/migrations/000001_create_users.up.sql:2:8: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! app/db/migrations/000002_add_email.up.sql:1:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  !   hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  ! app/db/migrations/000010_orders.up.sql:3:8: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! 0 errors, 3 warnings

## dbmate

`-- migrate:up transaction:false` gives `transaction: false`; notes.sql has
no version, so dbmate skips it and so does the import, by name. Its
timestamp revisions are varve's usual warning.

  $ imp dbmate
  $ varve import --from dbmate db/migrations
  Imported 3 migrations from db/migrations (dbmate) into varve.yaml
  ! db/migrations/notes.sql: warning: not imported: dbmate reads only VERSION_name.sql files [import-skipped]
  $ same && untouched dbmate
  manifest as expected
  files untouched
  $ varve check 2>&1 | grep -v timestamp-revision
  db/migrations/20240105120000_create_users.sql:3:8: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
    hint: use bigint GENERATED ALWAYS AS IDENTITY
  db/migrations/20240201080000_orders.sql:3:8: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
    hint: use bigint GENERATED ALWAYS AS IDENTITY
  db/migrations/notes.sql: warning: no entry of 'varve.yaml' lists this file [unlisted-file]
  0 errors, 3 warnings

## goose

StatementBegin/End blocks with `;` inside `$$` stay one statement;
`-- +goose NO TRANSACTION` gives `transaction: false`; the Go migration is
listed as not importable; hybrid versions (00003, then a timestamp) keep
goose's order.

  $ imp goose
  $ varve import --from goose
  Imported 4 migrations from migrations (goose) into varve.yaml
  ! migrations/00004_backfill.go: warning: not imported: a Go migration: varve runs SQL files only; port it to SQL and add its entry by hand [import-skipped]
  $ same && untouched goose
  manifest as expected
  files untouched
  $ varve check 2>&1 | grep -v timestamp-revision
  migrations/00001_create_users.sql:3:8: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
    hint: use bigint GENERATED ALWAYS AS IDENTITY
  migrations/20240301101500_orders.sql:3:8: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
    hint: use bigint GENERATED ALWAYS AS IDENTITY
  0 errors, 2 warnings

## Flyway

Versions order as Flyway orders them: 1.10 after 1.9 (not after 1.1), and
V2_0_1 is version 2.0.1. A revision is the version with its dots as
underscores (1.10 is "1_10"; the comment keeps Flyway's spelling); U files
are the downgrades; the repeatable R__ file is listed as unsupported.

  $ imp flyway
  $ varve import --from flyway sql
  Imported 6 migrations from sql (flyway) into varve.yaml
  ! sql/R__user_summary.sql: warning: not imported: a Flyway repeatable migration: varve has none; keep running it with Flyway or fold it into a versioned migration [import-skipped]
  $ same && untouched flyway
  manifest as expected
  files untouched
  $ varve check 2>&1 | grep -c error:
  0
  [1]

Flyway's own names satisfy filename-mismatch: V (or U) and the version
with its dots, where the revision has underscores (`V1.10__` for 1_10):

  $ varve check 2>&1 | grep -c filename-mismatch
  0
  [1]

## Sqitch

sqitch.plan gives the order and the dependencies: `[appschema users]`
becomes a down_revision list, and a change that does not declare the one
planned before it also follows it (Sqitch deploys in plan order), so the
graph has one head. deploy/ and revert/ scripts are `up:` and `down:`, with
`transaction: false` as they hold their own BEGIN/COMMIT; verify scripts
are listed.

  $ imp sqitch
  $ varve import --from sqitch .
  Imported 5 migrations from . (sqitch) into varve.yaml
  ! verify/appschema.sql: warning: not imported: a Sqitch verify script: varve does not run verify scripts [import-skipped]
  $ same && untouched sqitch
  manifest as expected
  files untouched
  $ varve check
  ! ./deploy/flips.sql:8:15: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! ./verify/appschema.sql: warning: no entry of 'varve.yaml' lists this file [unlisted-file]
  ! 0 errors, 2 warnings
  $ varve heads
  change_pass (head)  Creates a function to change a user password.

## pycopg (its docs' folder)

`NNN_name.sql` with `-- UP` / `-- DOWN`; 004 has no DOWN section, which is
the warning it deserves; seed_data.sql is not a pycopg migration.

  $ imp pycopg
  $ varve import --from pycopg
  Imported 4 migrations from migrations (pycopg) into varve.yaml
  ! migrations/seed_data.sql: warning: not imported: pycopg reads only NNN_name.sql files [import-skipped]
  $ same && untouched pycopg
  manifest as expected
  files untouched
  $ varve check
  ! migrations/001_create_users.sql:3:8: warning: key column 'id' is a 32-bit serial, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/001_create_users.sql:3:8: warning: column 'id' is serial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! migrations/001_create_users.sql:4:14: warning: column 'username' is varchar(n): raising the limit later takes an ACCESS EXCLUSIVE lock [prefer-text]
  !   hint: use text, with CHECK (length(column) <= n) if a limit matters
  ! migrations/001_create_users.sql:5:11: warning: column 'email' is varchar(n): raising the limit later takes an ACCESS EXCLUSIVE lock [prefer-text]
  !   hint: use text, with CHECK (length(column) <= n) if a limit matters
  ! migrations/001_create_users.sql:6:16: warning: column 'created_at' is timestamp without time zone [prefer-timestamptz]
  !   hint: use timestamptz
  ! migrations/002_add_user_profile.sql:2:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  !   hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  ! migrations/002_add_user_profile.sql:3:41: warning: column 'avatar_url' is varchar(n): raising the limit later takes an ACCESS EXCLUSIVE lock [prefer-text]
  !   hint: use text, with CHECK (length(column) <= n) if a limit matters
  ! migrations/003_create_orders.sql:3:8: warning: key column 'id' is a 32-bit serial, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/003_create_orders.sql:3:8: warning: column 'id' is serial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  !   hint: use bigint GENERATED ALWAYS AS IDENTITY
  ! migrations/003_create_orders.sql:4:13: warning: column 'user_id' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/003_create_orders.sql:6:12: warning: column 'status' is varchar(n): raising the limit later takes an ACCESS EXCLUSIVE lock [prefer-text]
  !   hint: use text, with CHECK (length(column) <= n) if a limit matters
  ! migrations/003_create_orders.sql:7:16: warning: column 'created_at' is timestamp without time zone [prefer-timestamptz]
  !   hint: use timestamptz
  ! migrations/004_backfill_user_slugs.sql:2:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  !   hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  ! migrations/seed_data.sql: warning: no entry of 'varve.yaml' lists this file [unlisted-file]
  ! varve.yaml:17:15: warning: '004' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! 0 errors, 15 warnings

## sqlspec (its docs' form)

`-- revision:` / `-- down_revision:` headers give the graph: 0002 and 0003
branch from 0001 and 0004 merges them. The Python migration is listed.

  $ imp sqlspec
  $ varve import --from auto
  Imported 4 migrations from migrations (sqlspec) into varve.yaml
  ! migrations/0005_seed_admin.py: warning: not imported: a Python migration: varve runs SQL files only; port it to SQL and add its entry by hand [import-skipped]
  ! varve: recognised sqlspec ('-- revision:' / '-- upgrade --' headers) in migrations
  $ same && untouched sqlspec
  manifest as expected
  files untouched
  $ varve check
  ! migrations/0001_add_users_table.sql:7:8: warning: key column 'id' is a 32-bit integer, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/0001_add_users_table.sql:10:16: warning: column 'created_at' is timestamp without time zone [prefer-timestamptz]
  !   hint: use timestamptz
  ! migrations/0002_add_posts_table.sql:7:8: warning: key column 'id' is a 32-bit integer, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/0002_add_posts_table.sql:8:13: warning: column 'user_id' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/0003_add_tags_table.sql:7:8: warning: key column 'id' is a 32-bit integer, which can run out [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/0004_merge_posts_and_tags.sql:7:13: warning: column 'post_id' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! migrations/0004_merge_posts_and_tags.sql:8:12: warning: column 'tag_id' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]
  !   hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  ! 0 errors, 7 warnings
  $ varve history --graph
  * 0004 (head) (merge), Merge posts and tags; tag posts
  |\
  | * 0003, Add tags table (a branch beside 0002)
  * | 0002, Add posts table
  |/
  * 0001 (branchpoint), Add users table

## manticore (its docs' form)

`<14 digits>_<desc>.sql` with `-- @UNDO`:

  $ imp manticore
  $ varve import --from auto
  Imported 2 migrations from migrations (manticore) into varve.yaml
  ! varve: recognised manticore ('-- @UNDO' markers) in migrations
  $ same && untouched manticore
  manifest as expected
  files untouched
  $ varve check 2>&1 | grep -v timestamp-revision
  migrations/20230102130000_add_age_column.sql:2:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
    hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  0 errors, 1 warning

## Auto recognises each tool

  $ for t in golang-migrate dbmate goose flyway sqitch pycopg sqlspec manticore; do
  >   d=migrations; [ $t = dbmate ] && d=db/migrations; [ $t = flyway ] && d=sql; [ $t = sqitch ] && d=.
  >   imp $t && varve import --from auto $d 2>&1 | grep recognised; same >/dev/null || echo "$t differs"
  > done
  varve: recognised golang-migrate (*.up.sql / *.down.sql pairs) in migrations
  varve: recognised dbmate ('-- migrate:up' markers) in db/migrations
  varve: recognised goose ('-- +goose' annotations) in migrations
  varve: recognised flyway (V<version>__<desc>.sql files) in sql
  varve: recognised sqitch (sqitch.plan) in .
  varve: recognised pycopg (NNN_name.sql files with '-- UP' / '-- DOWN') in migrations
  varve: recognised sqlspec ('-- revision:' / '-- upgrade --' headers) in migrations
  varve: recognised manticore ('-- @UNDO' markers) in migrations
