The runner runs only SQL that went through check's own reading: a
migration anywhere in the plan with a check error is refused before
anything runs, so no earlier migration is applied and no row is written
(issue 10 §1, issue 9 §5.4). Each case below puts the bad migration
second, after a good 0001.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf -- '-- upgrade --\nCREATE TABLE one (id int);\n-- downgrade --\nDROP TABLE one;\n' > migrations/0001_one.sql
  $ manifest() {
  >   printf 'varve: 1\nmigrations:\n  - {revision: "0001", down_revision: null, file: 0001_one.sql}\n  - {revision: "0002", down_revision: "0001", file: 0002_two.sql%s}\n' "$1" > varve.yaml
  > }
  $ manifest
  $ psql -XAtq -c "CREATE TABLE important (id int)"
  $ state() {
  >   if [ -z "$(psql -XAtc "SELECT to_regclass('varve_version')")" ]; then echo 'rows: (no version table)'
  >   else psql -XAtc "SELECT 'rows: ' || coalesce(string_agg(revision || ' ' || state, ', ' ORDER BY seq), '') FROM varve_version"; fi
  >   psql -XAtc "SELECT 'tables: ' || string_agg(relname, ' ' ORDER BY relname) FROM pg_class
  >     WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname <> 'varve_version'"
  > }

A NUL byte: libpg_query would stop at it, and upgrade ran the text before
it and recorded the migration applied.

  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\0DROP TABLE important;\n' > migrations/0002_two.sql
  $ varve check 2>&1
  migrations/0002_two.sql:2:25: error: unexpected NUL byte (is this a binary file?) [sql-syntax]
  varve.yaml:4:16: warning: '0002' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  1 error, 1 warning
  [1]
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0002    N ms
  Applied 0 migrations in N ms; 2 not run
  ! migrations/0002_two.sql:2:25: error: unexpected NUL byte (is this a binary file?) [sql-syntax]
  [1]
  $ state
  rows: (no version table)
  tables: important
  $ varve upgrade --sql
  ! varve: error: '0002' is refused, nothing ran: migrations/0002_two.sql:2:25: unexpected NUL byte (is this a binary file?) [sql-syntax]
  [1]

Latin-1 bytes: the server refused them (22021) after 0001 was applied.

  $ printf -- "-- upgrade --\nINSERT INTO important VALUES (length('caf\xe9'));\n" > migrations/0002_two.sql
  $ varve upgrade 2>&1 >/dev/null | grep error
  migrations/0002_two.sql:2:42: error: byte 0xE9 is not UTF-8: varve reads SQL files as UTF-8; convert the file (e.g. iconv -f LATIN1 -t UTF-8) [invalid-encoding]
  [1]
  $ state
  rows: (no version table)
  tables: important

CREATE INDEX CONCURRENTLY with `transaction: true`: check's message and
hint, before 0001 runs (the server used to say 25001 after it applied).

  $ printf -- '-- upgrade --\nCREATE INDEX CONCURRENTLY important_id ON important (id);\n-- downgrade --\nDROP INDEX important_id;\n' > migrations/0002_two.sql
  $ varve upgrade 2>&1 >/dev/null | grep error
  migrations/0002_two.sql:2:1: error: 'CREATE INDEX CONCURRENTLY important_id' cannot run inside a transaction block; set 'transaction: false' on '0002' [needs-no-transaction]
  [1]
  $ state
  rows: (no version table)
  tables: important

goose's `-- +goose NO TRANSACTION` is `transaction: false`:

  $ printf -- '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY important_id ON important (id);\n-- +goose Down\nDROP INDEX CONCURRENTLY important_id;\n' > migrations/0002_two.sql
  $ varve check 2>&1
  ✓ manifest is valid
  $ varve upgrade --sql | grep -E '^(BEGIN|COMMIT|CREATE INDEX|-- apply)'
  -- apply 0001
  BEGIN;
  COMMIT;
  -- apply 0002
  CREATE INDEX CONCURRENTLY important_id ON important (id);
  $ varve upgrade -q && state
  rows: 0001 applied, 0002 applied
  tables: important one
  $ psql -XAtc "SELECT indexrelid::regclass FROM pg_index WHERE indisvalid AND indrelid = 'important'::regclass"
  important_id
  $ varve downgrade base -q && state
  rows: 
  tables: important

A COMMIT inside a DO block, with `transaction: true` (2D000 at the server):

  $ printf -- '-- upgrade --\nDO $$ BEGIN INSERT INTO important VALUES (1); COMMIT; END $$;\n-- downgrade --\nDELETE FROM important;\n' > migrations/0002_two.sql
  $ varve upgrade 2>&1 >/dev/null | grep error
  migrations/0002_two.sql:2:1: error: 'DO $$ BEGIN INSERT' in '0002': varve runs each migration in a transaction of its own; remove it, or set 'transaction: false' to let the file manage its own [transaction-control]
  [1]
  $ manifest ', transaction: false'
  $ varve upgrade -q && state && psql -XAtc "SELECT count(*) FROM important"
  rows: 0001 applied, 0002 applied
  tables: important one
  1
  $ varve downgrade base -q && manifest

A downgrade marker followed by a no-break space, or a file with CR-only
line endings: the marker was not seen and the DROP ran inside the upgrade.

  $ printf -- '-- upgrade --\nCREATE TABLE two (id int);\n-- downgrade --\xc2\xa0\nDROP TABLE two;\n' > migrations/0002_two.sql
  $ varve upgrade -q && state
  rows: 0001 applied, 0002 applied
  tables: important one two
  $ varve downgrade base -q && state
  rows: 
  tables: important
  $ printf -- '-- upgrade --\rCREATE TABLE two (id int);\r-- downgrade --\rDROP TABLE two;\r' > migrations/0002_two.sql
  $ varve upgrade -q && state
  rows: 0001 applied, 0002 applied
  tables: important one two
  $ varve downgrade base -q && state
  rows: 
  tables: important

SQLSpec's own template (sqlspec 0.69): named-query markers are sections.

  $ cat > migrations/0002_two.sql <<'SQL'
  > -- SQLSpec Migration
  > -- Version: 0002
  > -- Description: two
  > 
  > -- name: migrate-0002-up
  > CREATE TABLE two (id int);
  > 
  > -- name: migrate-0002-down
  > DROP TABLE two;
  > SQL
  $ varve check 2>&1
  ✓ manifest is valid
  $ varve upgrade -q && state
  rows: 0001 applied, 0002 applied
  tables: important one two
  $ varve downgrade base -q && state
  rows: 
  tables: important

A marker-like line that is none of varve's: an error, not silent SQL.

  $ printf -- '-- upgrade --\nCREATE TABLE two (id int);\n-- downgrade:\nDROP TABLE important;\n' > migrations/0002_two.sql
  $ varve upgrade 2>&1 >/dev/null | grep error
  migrations/0002_two.sql:3:1: error: '-- downgrade:' looks like a section marker but is not one: write '-- upgrade --' or '-- downgrade --', or reword the comment [unrecognised-marker]
  [1]
  $ state
  rows: 
  tables: important

psql meta-commands: `upgrade --sql` copied them into a script for psql,
which ran `\!` as a shell command.

  $ printf -- '-- upgrade --\nCREATE TABLE two (id int);\n\\! touch pwned\n' > migrations/0002_two.sql
  $ varve upgrade --sql
  ! varve: error: '0002' is refused, nothing ran: migrations/0002_two.sql:3:1: psql meta-command '\!': varve sends SQL to the server, not to psql; remove it [psql-meta-command]
  [1]
  $ varve upgrade 2>&1 >/dev/null | grep error
  migrations/0002_two.sql:3:1: error: psql meta-command '\!': varve sends SQL to the server, not to psql; remove it [psql-meta-command]
  [1]
  $ test -e pwned || echo no shell command ran
  no shell command ran
  $ state
  rows: 
  tables: important

A checksum in the manifest that the file does not match:

  $ printf -- '-- upgrade --\nCREATE TABLE two (id int);\n-- downgrade --\nDROP TABLE two;\n' > migrations/0002_two.sql
  $ manifest ', checksum: "sha256:0000000000000000000000000000000000000000000000000000000000000000"'
  $ varve upgrade 2>&1 >/dev/null | grep -o "not the recorded one.*"
  not the recorded one; run 'varve hash' if the change is intended [checksum-mismatch]
  [1]
  $ state
  rows: 
  tables: important
  $ manifest

The refusal holds for a downgrade too: a check error in any migration of
the plan stops it before anything is rolled back.

  $ printf -- '-- upgrade --\nCREATE TABLE two (id int);\n-- downgrade --\nDROP TABLE two;\n' > migrations/0002_two.sql
  $ varve upgrade -q && state
  rows: 0001 applied, 0002 applied
  tables: important one two
  $ printf -- '-- upgrade --\nCREATE TABLE one (id int);\n-- downgrade --\nDROP TABLE one;\n-- UP:\n' > migrations/0001_one.sql
  $ varve downgrade base 2>&1 >/dev/null | grep error
  migrations/0001_one.sql:5:1: error: '-- UP:' looks like a section marker but is not one: write '-- upgrade --' or '-- downgrade --', or reword the comment [unrecognised-marker]
  [1]
  $ state
  rows: 0001 applied, 0002 applied
  tables: important one two
