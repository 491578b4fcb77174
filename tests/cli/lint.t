The safety lint of `varve check`: SQL that is valid and locks or breaks
production, found in review, at the clause that does it.

Every rule on one fixture (tests/fixtures/lint/rules): for each, a migration
whose SQL fires it (_bad), its safe rewrite (_good, sometimes over two
migrations), and the same statement on a table the same migration creates
(_new; for enum-value-in-transaction, the same statements in a migration
with `transaction: false`, where each commits on its own; prefer-* and
ban-char-field are about the column, new table or not). Only the _bad ones
are reported, at the offending clause; the
manifest sets database.lock_timeout, so missing-lock-timeout stays out
(it has a fixture of its own below).

  $ source "$ROOT/tests/cli/pg.sh" && source "$ROOT/tests/cli/helpers.sh"
  $ cp -r "$ROOT/tests/fixtures/lint/rules" "$TESTTMP/rules" && cd "$TESTTMP/rules"
  $ varve check 2>&1 | grep -v '^  hint:'
  migrations/0002_require_concurrent_index_bad.sql:2:8: warning: CREATE INDEX on 'accounts' blocks writes to it while the index builds (SHARE lock) [require-concurrent-index]
  migrations/0005_require_concurrent_index_drop_bad.sql:2:6: warning: DROP INDEX 'accounts_n_idx' waits for, and then blocks, every query on its table (ACCESS EXCLUSIVE lock) [require-concurrent-index-drop]
  migrations/0008_constraint_missing_not_valid_bad.sql:2:24: warning: adding a foreign key to 'orders' scans it while writes to it and to the referenced table wait (SHARE ROW EXCLUSIVE lock) [constraint-missing-not-valid]
  migrations/0008_constraint_missing_not_valid_bad.sql:4:24: warning: adding a CHECK constraint to 'orders' scans it under an ACCESS EXCLUSIVE lock [constraint-missing-not-valid]
  migrations/0011_adding_not_null_field_bad.sql:2:22: warning: SET NOT NULL on 'accounts.c' scans the table under an ACCESS EXCLUSIVE lock [adding-not-null-field]
  migrations/0015_adding_required_field_bad.sql:2:43: warning: column 'plan' is added NOT NULL without a default: this fails on a table that has rows [adding-required-field]
  migrations/0018_volatile_default_bad.sql:2:44: warning: column 'token' gets the volatile default gen_random_uuid(), which rewrites 'accounts' under an ACCESS EXCLUSIVE lock [volatile-default]
  migrations/0021_changing_column_type_bad.sql:2:22: warning: changing the type of 'accounts.n' rewrites the table under an ACCESS EXCLUSIVE lock (unless the types are binary-compatible) [changing-column-type]
  migrations/0024_renaming_column_bad.sql:2:22: warning: renaming column 'accounts.c' breaks the code that still uses the old name [renaming-column]
  migrations/0027_renaming_table_bad.sql:2:20: warning: renaming table 'orders' breaks the code that still uses the old name [renaming-table]
  migrations/0030_ban_drop_column_bad.sql:2:22: warning: dropping column 'accounts.d' breaks the code that still reads it [ban-drop-column]
  migrations/0033_ban_drop_table_bad.sql:3:12: warning: dropping table 'purchases' deletes its data and breaks the code that still uses it [ban-drop-table]
  migrations/0036_ban_drop_database_bad.sql:2:1: warning: DROP DATABASE deletes a whole database [ban-drop-database]
  migrations/0039_ban_truncate_bad.sql:2:10: warning: TRUNCATE deletes every row of 't2' under an ACCESS EXCLUSIVE lock [ban-truncate]
  migrations/0042_adding_serial_primary_key_bad.sql:2:20: warning: adding a primary key to 't3' builds its index under an ACCESS EXCLUSIVE lock [adding-serial-primary-key]
  migrations/0046_unique_constraint_without_index_bad.sql:2:26: warning: adding a unique constraint to 'accounts' builds its index under an ACCESS EXCLUSIVE lock [unique-constraint-without-index]
  migrations/0050_prefer_bigint_bad.sql:2:21: warning: key column 'id' is a 32-bit integer, which can run out [prefer-bigint]
  migrations/0052_prefer_identity_bad.sql:2:21: warning: column 'id' is bigserial, whose sequence is an object apart from the column (grants, ownership and copies of the table treat it separately) [prefer-identity]
  migrations/0054_prefer_text_bad.sql:2:46: warning: column 'name' is varchar(n): raising the limit later takes an ACCESS EXCLUSIVE lock [prefer-text]
  migrations/0056_prefer_timestamptz_bad.sql:2:35: warning: column 'seen_at' is timestamp without time zone [prefer-timestamptz]
  migrations/0058_ban_char_field_bad.sql:2:46: warning: column 'code' is char(n), which pads values with spaces [ban-char-field]
  migrations/0060_enum_value_in_transaction_bad.sql:3:8: warning: enum value 'sad', added at line 2 in the same transaction, cannot be used before that transaction commits [enum-value-in-transaction]
  migrations/0064_vacuum_full_bad.sql:2:8: warning: VACUUM FULL rewrites 'accounts' under an ACCESS EXCLUSIVE lock [vacuum-full]
  migrations/0067_cluster_bad.sql:2:1: warning: CLUSTER rewrites 'accounts' under an ACCESS EXCLUSIVE lock [cluster]
  migrations/0070_refresh_materialized_view_bad.sql:2:1: warning: REFRESH MATERIALIZED VIEW 'account_counts' blocks every read of it until it is done (ACCESS EXCLUSIVE lock) [refresh-materialized-view]
  0 errors, 25 warnings

The positions are the clauses: the INDEX of CREATE INDEX (where
CONCURRENTLY goes), the CONSTRAINT of ADD CONSTRAINT, the ALTER COLUMN of
one subcommand among several, the NOT NULL of ADD COLUMN, the DEFAULT, the
column's type, the table's name in DROP TABLE a, b:

  $ sed -n 2,4p migrations/0008_constraint_missing_not_valid_bad.sql
  ALTER TABLE orders ADD CONSTRAINT orders_account_fk
      FOREIGN KEY (account_id) REFERENCES accounts (id);
  ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
  $ sed -n 2p migrations/0015_adding_required_field_bad.sql | cut -c43-
  NOT NULL;

PostgreSQL agrees: the fixture runs, up to the enum value the lint said
cannot be used in its own transaction, refused at the same line and column.
Past it, every safe rewrite and every statement on a new table runs:

  $ varve upgrade 2>&1 | tail -3 | ms
  migrations/0060_enum_value_in_transaction_bad.sql:3:8: error: unsafe use of new value "sad" of enum type mood [55P04]
    hint: New enum values must be committed before they can be used.
  Applied 59 migrations in N ms; 13 not run
  $ varve -q stamp 0060 && varve -q upgrade && varve status | tail -1
  72 applied, 0 pending

Each finding says what to do instead (text: a `hint:` line; JSON: `hint`,
and `docs`, the rule's page; GitHub: the hint in the annotation):

  $ varve check 2>&1 | grep -A1 0002_require
  migrations/0002_require_concurrent_index_bad.sql:2:8: warning: CREATE INDEX on 'accounts' blocks writes to it while the index builds (SHARE lock) [require-concurrent-index]
    hint: use CREATE INDEX CONCURRENTLY, in a migration with 'transaction: false'
  $ varve check --format json | python3 -c "
  > import json, sys
  > d = [f for f in json.load(sys.stdin) if f['code'] == 'require-concurrent-index'][0]
  > print(d['file'], d['line'], d['column'], d['docs'])
  > print(d['hint'])"
  migrations/0002_require_concurrent_index_bad.sql 2 8 https://varve.dev/docs/lint/require-concurrent-index
  use CREATE INDEX CONCURRENTLY, in a migration with 'transaction: false'
  $ varve check --format github | grep 'title=require-concurrent-index::'
  ::warning file=migrations/0002_require_concurrent_index_bad.sql,line=2,col=8,title=require-concurrent-index::CREATE INDEX on 'accounts' blocks writes to it while the index builds (SHARE lock)%0Ahint: use CREATE INDEX CONCURRENTLY, in a migration with 'transaction: false'
  ! 0 errors, 25 warnings
  $ varve check --format json | /usr/bin/python3 "$ROOT/tests/schema/validate.py" check
  check: valid (25 items)

Under --strict, what loses data (ban-drop-column, ban-drop-table,
ban-drop-database, ban-truncate) is an error; the rest stays a warning:

  $ varve check --strict 2>&1 | grep -v '^  hint:' | grep -v warning:
  migrations/0030_ban_drop_column_bad.sql:2:22: error: dropping column 'accounts.d' breaks the code that still reads it [ban-drop-column]
  migrations/0033_ban_drop_table_bad.sql:3:12: error: dropping table 'purchases' deletes its data and breaks the code that still uses it [ban-drop-table]
  migrations/0036_ban_drop_database_bad.sql:2:1: error: DROP DATABASE deletes a whole database [ban-drop-database]
  migrations/0039_ban_truncate_bad.sql:2:10: error: TRUNCATE deletes every row of 't2' under an ACCESS EXCLUSIVE lock [ban-truncate]
  4 errors, 21 warnings

`check --no-lint` leaves the lint out:

  $ varve check --no-lint
  ✓ manifest is valid

Configuration: `lint.error` makes a rule's findings errors, `lint.warning`
keeps them warnings even under --strict, `lint.off` drops them; an entry's
`lint_off` drops them for that migration only.

  $ cat >> varve.yaml <<'EOF'
  > lint:
  >   error: [require-concurrent-index]
  >   warning: [ban-drop-table, ban-truncate]
  >   off: [prefer-bigint, prefer-identity, prefer-text, prefer-timestamptz, ban-char-field]
  > EOF
  $ python3 - <<'EOF'
  > import re
  > s = open("varve.yaml").read()
  > s = s.replace("file: 0008_constraint_missing_not_valid_bad.sql\n",
  >               "file: 0008_constraint_missing_not_valid_bad.sql\n    lint_off: [constraint-missing-not-valid]\n")
  > open("varve.yaml", "w").write(s)
  > EOF
  $ varve check --strict 2>&1 | grep -v '^  hint:' | grep -o '\(error\|warning\):.*\[[a-z-]*\]$' | sed 's/:.*\[/ [/' | sort | uniq -c
        1 error [ban-drop-column]
        1 error [ban-drop-database]
        1 error [require-concurrent-index]
        1 warning [adding-not-null-field]
        1 warning [adding-required-field]
        1 warning [adding-serial-primary-key]
        1 warning [ban-drop-table]
        1 warning [ban-truncate]
        1 warning [changing-column-type]
        1 warning [cluster]
        1 warning [enum-value-in-transaction]
        1 warning [refresh-materialized-view]
        1 warning [renaming-column]
        1 warning [renaming-table]
        1 warning [require-concurrent-index-drop]
        1 warning [unique-constraint-without-index]
        1 warning [vacuum-full]
        1 warning [volatile-default]

A code the lint does not know is a manifest error, at its position:

  $ printf 'varve: 1\nlint:\n  off: [require-concurent-index]\nmigrations:\n  - revision: "1"\n    down_revision: null\n    lint_off: [prefer-ints]\n    up: a.sql\n' > ../unknown.yaml
  $ varve -f ../unknown.yaml check 2>&1 | grep manifest-schema
  ../unknown.yaml:3:9: error: unknown lint rule 'require-concurent-index' in 'lint.off' (the rules: docs/check.md, Safety lint) [manifest-schema]
  ../unknown.yaml:7:16: error: unknown lint rule 'prefer-ints' in 'lint_off' (the rules: docs/check.md, Safety lint) [manifest-schema]

Suppression in the SQL: `-- varve:allow CODE reason` on the comment lines
right above a statement. Without a reason it still allows, and says so; a
code that is no rule is a warning; an allow for another rule allows nothing;
a blank line between the comment and the statement ends it.

  $ mkdir -p "$TESTTMP/allow/migrations" && cd "$TESTTMP/allow"
  $ printf 'varve: 1\ndatabase:\n  lock_timeout: 5s\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_a.sql\n' > varve.yaml
  $ cat > migrations/0001_a.sql <<'EOF'
  > -- upgrade --
  > CREATE TABLE a (id bigint PRIMARY KEY);
  > -- varve:allow adding-not-null-field 'old.a' has had no NULL since 2023
  > ALTER TABLE old ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;
  > -- varve:allow ban-drop-table 'old' is empty since the 2024 export
  > DROP TABLE old;
  > -- varve:allow ban-truncate
  > TRUNCATE other;
  > -- varve:allow ban-drop-tables the plural is a typo
  > DROP TABLE third;
  > -- varve:allow ban-truncate, ban-drop-table both are copies
  > -- and a second comment line
  > DROP TABLE fourth;
  > -- varve:allow ban-drop-table the blank line below ends the comment
  > 
  > DROP TABLE fifth;
  > -- downgrade --
  > EOF
  $ varve check 2>&1 | grep -v '^  hint:'
  migrations/0001_a.sql:7:16: warning: 'varve:allow ban-truncate' gives no reason; say why the statement is safe [allow-without-reason]
  migrations/0001_a.sql:9:16: warning: 'varve:allow' names 'ban-drop-tables', which is no lint rule [allow-unknown-code]
  migrations/0001_a.sql:10:12: warning: dropping table 'third' deletes its data and breaks the code that still uses it [ban-drop-table]
  migrations/0001_a.sql:16:12: warning: dropping table 'fifth' deletes its data and breaks the code that still uses it [ban-drop-table]
  0 errors, 4 warnings

In a migration with `transaction: false`, an enum value is usable once
its statement has committed, unless the file opens a transaction block
of its own:

  $ cat >> varve.yaml <<'EOF'
  >   - revision: "0002"
  >     down_revision: "0001"
  >     file: 0002_b.sql
  >     transaction: false
  > EOF
  $ cat > migrations/0002_b.sql <<'EOF'
  > -- upgrade --
  > ALTER TYPE mood ADD VALUE 'calm';
  > SELECT 'calm'::mood;
  > BEGIN;
  > ALTER TYPE mood ADD VALUE 'sad';
  > SELECT 'sad'::mood;
  > COMMIT;
  > SELECT 'sad'::mood;
  > -- downgrade --
  > EOF
  $ varve check 2>&1 | grep -v '^  hint:' | grep 0002
  migrations/0002_b.sql:6:8: warning: enum value 'sad', added at line 5 in the same transaction, cannot be used before that transaction commits [enum-value-in-transaction]

volatile-default covers the other ways ADD COLUMN fills every row: an
identity and a stored generated column (a constant default does not, nor
a STABLE function's, such as statement_timestamp() or txid_current()):

  $ printf '  - revision: "0003"\n    down_revision: "0002"\n    file: 0003_c.sql\n' >> varve.yaml
  $ printf -- '-- upgrade --\nALTER TABLE old ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY,\n  ADD COLUMN twice bigint GENERATED ALWAYS AS (a * 2) STORED,\n  ADD COLUMN flag boolean NOT NULL DEFAULT false,\n  ADD COLUMN at timestamptz DEFAULT statement_timestamp(),\n  ADD COLUMN xid bigint DEFAULT txid_current();\n-- downgrade --\n' > migrations/0003_c.sql
  $ varve check 2>&1 | grep -v '^  hint:' | grep 0003
  migrations/0003_c.sql:2:37: warning: identity column 'n' fills every row, which rewrites 'old' under an ACCESS EXCLUSIVE lock [volatile-default]
  migrations/0003_c.sql:3:27: warning: generated column 'twice' fills every row, which rewrites 'old' under an ACCESS EXCLUSIVE lock [volatile-default]

ALTER COLUMN ... TYPE gives the new type the rules of a new column's
(prefer-text here), on an existing table and on a new one:

  $ printf '  - revision: "0004"\n    down_revision: "0003"\n    file: 0004_d.sql\n' >> varve.yaml
  $ printf -- '-- upgrade --\nALTER TABLE old ALTER COLUMN a TYPE varchar(20);\nCREATE TABLE fresh (b text);\nALTER TABLE fresh ALTER COLUMN b TYPE varchar(20);\n-- downgrade --\n' > migrations/0004_d.sql
  $ varve check 2>&1 | grep -v '^  hint:' | grep 0004
  migrations/0004_d.sql:2:17: warning: changing the type of 'old.a' rewrites the table under an ACCESS EXCLUSIVE lock (unless the types are binary-compatible) [changing-column-type]
  migrations/0004_d.sql:2:37: warning: column 'a' is varchar(n): raising the limit later takes an ACCESS EXCLUSIVE lock [prefer-text]
  migrations/0004_d.sql:4:39: warning: column 'b' is varchar(n): raising the limit later takes an ACCESS EXCLUSIVE lock [prefer-text]

changing-column-type lets a change pass that keeps the rows (varchar(n)
to text or to a longer varchar, numeric(p,s) to numeric) when the old type
is known from the migrations before (old.a became varchar(20) in 0004); a
lower limit, a USING, or a column whose type varve does not know is
reported:

  $ printf '  - revision: "0005"\n    down_revision: "0004"\n    file: 0005_e.sql\n  - revision: "0006"\n    down_revision: "0005"\n    file: 0006_f.sql\n' >> varve.yaml
  $ printf -- '-- upgrade --\nCREATE TABLE shop (name varchar(20), code varchar(20), price numeric(8,2), note varchar(9));\n-- downgrade --\n' > migrations/0005_e.sql
  $ printf -- '-- upgrade --\nALTER TABLE shop ALTER COLUMN name TYPE text, ALTER COLUMN price TYPE numeric;\nALTER TABLE shop ALTER COLUMN code TYPE varchar(10);\nALTER TABLE shop ALTER COLUMN note TYPE text USING trim(note);\nALTER TABLE old ALTER COLUMN a TYPE text;\nALTER TABLE elsewhere ALTER COLUMN z TYPE text;\n-- downgrade --\n' > migrations/0006_f.sql
  $ varve check 2>&1 | grep -v '^  hint:' | grep 0006
  migrations/0006_f.sql:3:18: warning: changing the type of 'shop.code' rewrites the table under an ACCESS EXCLUSIVE lock (unless the types are binary-compatible) [changing-column-type]
  migrations/0006_f.sql:3:41: warning: column 'code' is varchar(n): raising the limit later takes an ACCESS EXCLUSIVE lock [prefer-text]
  migrations/0006_f.sql:4:18: warning: changing the type of 'shop.note' rewrites the table under an ACCESS EXCLUSIVE lock (unless the types are binary-compatible) [changing-column-type]
  migrations/0006_f.sql:6:23: warning: changing the type of 'elsewhere.z' rewrites the table under an ACCESS EXCLUSIVE lock (unless the types are binary-compatible) [changing-column-type]

constraint-missing-not-valid also covers ADD COLUMN ... REFERENCES (a
validated foreign key) and a VALIDATE in the transaction that added the
constraint NOT VALID (FOREIGN KEY or CHECK: the ADD's lock is still held);
a VALIDATE in a later migration is the safe way:

  $ printf '  - revision: "0007"\n    down_revision: "0006"\n    file: 0007_g.sql\n  - revision: "0008"\n    down_revision: "0007"\n    file: 0008_h.sql\n' >> varve.yaml
  $ printf -- '-- upgrade --\nALTER TABLE old ADD COLUMN shop_id bigint REFERENCES shop (id);\nALTER TABLE old ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES shop (id) NOT VALID;\nALTER TABLE old VALIDATE CONSTRAINT fk;\nALTER TABLE old ADD CONSTRAINT ck CHECK (a IS NOT NULL) NOT VALID, ADD CONSTRAINT ck2 CHECK (a <> 0) NOT VALID;\nALTER TABLE old VALIDATE CONSTRAINT ck;\n-- downgrade --\n' > migrations/0007_g.sql
  $ printf -- '-- upgrade --\nALTER TABLE old VALIDATE CONSTRAINT ck2;\n-- downgrade --\n' > migrations/0008_h.sql
  $ varve check 2>&1 | grep -v '^  hint:' | grep -E '000[78]'
  migrations/0007_g.sql:2:43: warning: column 'shop_id' REFERENCES another table: adding it to 'old' validates the foreign key over every row while writes to both tables wait (SHARE ROW EXCLUSIVE lock) [constraint-missing-not-valid]
  migrations/0007_g.sql:4:17: warning: VALIDATE CONSTRAINT 'fk' runs in the transaction that added it NOT VALID: the scan of 'old' runs under the lock ADD CONSTRAINT took, held to the commit [constraint-missing-not-valid]
  migrations/0007_g.sql:6:17: warning: VALIDATE CONSTRAINT 'ck' runs in the transaction that added it NOT VALID: the scan of 'old' runs under the lock ADD CONSTRAINT took, held to the commit [constraint-missing-not-valid]

prefer-bigint also covers a 32-bit column that references a key (it runs
out when the key passes 2^31 - 1), by REFERENCES or by a table's
one-column FOREIGN KEY; a 32-bit quantity stays quiet:

  $ printf '  - revision: "0009"\n    down_revision: "0008"\n    file: 0009_i.sql\n' >> varve.yaml
  $ printf -- '-- upgrade --\nCREATE TABLE line (a integer REFERENCES shop (id), b int, qty integer,\n  FOREIGN KEY (b) REFERENCES shop (id));\n-- downgrade --\n' > migrations/0009_i.sql
  $ varve check 2>&1 | grep -v '^  hint:' | grep 0009
  migrations/0009_i.sql:2:22: warning: column 'a' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]
  migrations/0009_i.sql:2:54: warning: column 'b' is a 32-bit integer that references a key, which can outgrow it [prefer-bigint]

A table the migration creates is new under its schema: billing.inv is not
archive.inv (a name without a schema matches either):

  $ printf '  - revision: "0010"\n    down_revision: "0009"\n    file: 0010_j.sql\n' >> varve.yaml
  $ printf -- '-- upgrade --\nCREATE TABLE billing.inv (n text);\nCREATE INDEX ON archive.inv (n);\nCREATE INDEX ON billing.inv (n);\nCREATE INDEX ON inv (n);\n-- downgrade --\n' > migrations/0010_j.sql
  $ varve check 2>&1 | grep -v '^  hint:' | grep 0010
  migrations/0010_j.sql:3:8: warning: CREATE INDEX on 'inv' blocks writes to it while the index builds (SHARE lock) [require-concurrent-index]

missing-lock-timeout: a migration that waits for a strong lock on a table
that exists, with neither `database.lock_timeout` nor a `SET lock_timeout`
before the statement; reported once a migration, at the first such
statement. `SET LOCAL` in a migration with `transaction: false` sets
nothing (there is no transaction for it to last).

  $ cp -r "$ROOT/tests/fixtures/lint/lock-timeout" "$TESTTMP/lock" && cd "$TESTTMP/lock"
  $ varve check 2>&1 | grep -v '^  hint:'
  migrations/0002_bad.sql:3:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  migrations/0004_local_outside_transaction.sql:4:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  0 errors, 2 warnings
  $ sed -i 's/^varve: 1$/varve: 1\ndatabase:\n  lock_timeout: 2s/' varve.yaml
  $ varve check 2>&1 | grep -c missing-lock-timeout
  0
  [1]

`--against REF`: only the migrations new relative to REF are linted, so
adopting varve on an old project does not flood review; and a table that
a migration new on this branch creates is new to the branch's later
migrations too (it exists nowhere yet), so indexing it is fine.

  $ cd "$TESTTMP"
  $ export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
  $ export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com
  $ export GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com
  $ export GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z
  $ mig() { printf -- '-- upgrade --\n%s\n-- downgrade --\n' "$3" >"migrations/$1_$2.sql"; }
  $ entry() { printf '  - revision: "%s"\n    down_revision: %s\n    file: %s_%s.sql\n' "$1" "$2" "$1" "$3" >>varve.yaml; }
  $ git init -q -b main repo && cd repo && mkdir migrations
  $ printf 'varve: 1\ndatabase:\n  lock_timeout: 5s\nmigrations:\n' >varve.yaml
  $ mig 0001 users 'CREATE TABLE users (id bigint PRIMARY KEY, email text);' && entry 0001 null users
  $ mig 0002 old_index 'CREATE INDEX users_email ON users (email);' && entry 0002 '"0001"' old_index
  $ git add -A && git commit -qm base
  $ git checkout -qb feature
  $ mig 0003 events 'CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz);' && entry 0003 '"0002"' events
  $ mig 0004 events_at 'CREATE INDEX events_at ON events (at);' && entry 0004 '"0003"' events_at
  $ mig 0005 users_id 'CREATE INDEX users_id_email ON users (id, email);' && entry 0005 '"0004"' users_id
  $ git add -A && git commit -qm feature
  $ varve check 2>&1 | grep -v '^  hint:'
  migrations/0002_old_index.sql:2:8: warning: CREATE INDEX on 'users' blocks writes to it while the index builds (SHARE lock) [require-concurrent-index]
  migrations/0004_events_at.sql:2:8: warning: CREATE INDEX on 'events' blocks writes to it while the index builds (SHARE lock) [require-concurrent-index]
  migrations/0005_users_id.sql:2:8: warning: CREATE INDEX on 'users' blocks writes to it while the index builds (SHARE lock) [require-concurrent-index]
  0 errors, 3 warnings
  $ varve check --against main 2>&1 | grep -v '^  hint:'
  migrations/0005_users_id.sql:2:8: warning: CREATE INDEX on 'users' blocks writes to it while the index builds (SHARE lock) [require-concurrent-index]
  0 errors, 1 warning

`check --database` knows what ran and the real tables: a migration the
database has applied is not linted (0002 here); a table that does not
exist yet (events: a pending migration creates it) or has fewer rows than
`lint.small_table_rows` (default 10,000; pg_class.reltuples) is small,
and the rules about long locks and rewrites do not fire on it (drops,
renames and the rest still do). users has 50 rows:

  $ createdb lintdb && export DATABASE_URL=postgresql:///lintdb
  $ varve -q upgrade 0002
  $ psql -d lintdb -qXc "INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 50) g; ANALYZE users"
  $ varve check --database 2>&1 | grep -v '^  hint:'
  ✓ manifest and database agree
  $ printf 'lint:\n  small_table_rows: 20\n' >> varve.yaml
  $ varve check --database 2>&1 | grep -v '^  hint:'
  migrations/0005_users_id.sql:2:8: warning: CREATE INDEX on 'users' blocks writes to it while the index builds (SHARE lock) [require-concurrent-index]
  0 errors, 1 warning

The lint is a review gate, not a runner's: even as an error (`lint.error`)
it does not stop `upgrade` (an emergency migration must run), while check
fails:

  $ printf '  error: [require-concurrent-index]\n' >> varve.yaml
  $ varve check > /dev/null 2>&1; echo "check exit $?"
  check exit 1
  $ varve -q upgrade && varve status | tail -1
  5 applied, 0 pending
