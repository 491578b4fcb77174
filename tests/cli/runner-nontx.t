`transaction: false` migrations run statement by statement in autocommit.
One that fails part way is recorded dirty and stops every further run until
`varve resolve REV --applied` or `--rolled-back`.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf -- '-- upgrade --\nCREATE TABLE t1 (id int);\n-- downgrade --\nDROP TABLE t1;\n' > migrations/0001.sql
  $ cat > migrations/0002.sql <<'SQL'
  > -- upgrade --
  > CREATE TABLE nt (id int);
  > -- the second statement fails
  > INSERT INTO nt SELECT id FROM nosuch;
  > -- downgrade --
  > DROP TABLE nt;
  > SQL
  $ printf -- '-- upgrade --\nCREATE TABLE t3 (id int);\n-- downgrade --\nDROP TABLE t3;\n' > migrations/0003.sql
  $ cat > varve.yaml <<'YAML'
  > varve: 1
  > database:
  >   lock_timeout: 2s
  >   statement_timeout: 1min
  > migrations:
  >   - {revision: "0001", down_revision: null, file: 0001.sql}
  >   - {revision: "0002", down_revision: "0001", description: two statements,
  >      transaction: false, file: 0002.sql}
  >   - {revision: "0003", down_revision: "0002", file: 0003.sql}
  > YAML
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001                  N ms
    ✗ 0002  two statements  N ms
  Applied 1 migration in N ms; 2 not run
  ! migrations/0002.sql:4:31: error: relation "nosuch" does not exist [42P01]
  !   '0002' is now recorded dirty: repair the database, then run 'varve resolve 0002 --applied' or '--rolled-back'
  [1]
  $ state
  rows: 0001 applied, 0002 dirty
  tables: nt t1

Dirty: every run stops, whatever its target, and status says so.

  $ varve upgrade
  ! varve: error: '0002' is dirty: a non-transactional migration failed part way; repair the database, then run 'varve resolve 0002 --applied' or '--rolled-back'
  [1]
  $ varve upgrade 0001
  ! varve: error: '0002' is dirty: a non-transactional migration failed part way; repair the database, then run 'varve resolve 0002 --applied' or '--rolled-back'
  [1]
  $ varve downgrade base
  ! varve: error: '0002' is dirty: a non-transactional migration failed part way; repair the database, then run 'varve resolve 0002 --applied' or '--rolled-back'
  [1]
  $ varve status | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'
  Database  postgresql:///postgres
  Table     "varve_version"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    0001      applied  TIMESTAMP             
    0002      dirty    TIMESTAMP             two statements
    0003      pending                        
  
  1 applied, 1 pending, 1 dirty
  [1]
  $ varve current
  0002 (dirty)  two statements

resolve wants to know what happened, and only clears a dirty migration.

  $ varve resolve 0002
  ! varve resolve: say what happened: --applied or --rolled-back
  ! run 'varve resolve --help' for usage
  [2]
  $ varve resolve 0001 --applied
  ! varve: error: '0001' is not dirty
  [1]
  $ varve resolve nosuch --rolled-back
  ! varve: error: 'nosuch' is not dirty
  [1]

The first statement did its work: finish the second by hand and record it
as applied; the run goes on.

  $ psql -XAt -c "INSERT INTO nt VALUES (1)"
  INSERT 0 1
  $ varve resolve 0002 --applied
  Resolved 0002: recorded as applied
  $ state
  rows: 0001 applied, 0002 applied
  tables: nt t1
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0003    N ms
  Applied 1 migration in N ms
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied
  tables: nt t1 t3

Or undo it by hand and record it as rolled back; the next run applies it
again once fixed.

  $ varve downgrade 0001 -q
  $ varve upgrade -q 2>/dev/null | ms
  [1]
  $ state
  rows: 0001 applied, 0002 dirty
  tables: nt t1
  $ psql -XAt -c "DROP TABLE nt"
  DROP TABLE
  $ varve resolve 0002 --rolled-back
  Resolved 0002: recorded as rolled back
  $ state
  rows: 0001 applied
  tables: t1
  $ sed -i 's/FROM nosuch/FROM t1/' migrations/0002.sql
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0002  two statements  N ms
    ✓ 0003                  N ms
  Applied 2 migrations in N ms
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied
  tables: nt t1 t3

A failed CREATE INDEX CONCURRENTLY leaves an INVALID index: the error names
it with the DROP INDEX CONCURRENTLY that cleans it up. An INVALID index that
was there before the migration (old_bad) is not its doing and is not named.

  $ psql -XAt -c "CREATE TABLE dup (v int); INSERT INTO dup VALUES (1), (1)"
  CREATE TABLE
  INSERT 0 2
  $ psql -XAtq -c "CREATE UNIQUE INDEX CONCURRENTLY old_bad ON dup (v)" 2>/dev/null
  [1]
  $ printf 'CREATE UNIQUE INDEX CONCURRENTLY dup_v_key ON dup (v);\n' > migrations/0004.up.sql
  $ printf 'DROP INDEX CONCURRENTLY IF EXISTS dup_v_key;\n' > migrations/0004.down.sql
  $ cat >> varve.yaml <<'YAML'
  >   - {revision: "0004", down_revision: "0003", description: unique index,
  >      transaction: false, up: 0004.up.sql, down: 0004.down.sql}
  > YAML
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0004  unique index  N ms
  Applied 0 migrations in N ms; 1 not run
  ! migrations/0004.up.sql:1:1: error: could not create unique index "dup_v_key" [23505]
  !   detail: Key (v)=(1) is duplicated.
  !   '0004' is now recorded dirty: repair the database, then run 'varve resolve 0004 --applied' or '--rolled-back'
  !   an INVALID index was left behind; drop it with:
  !     DROP INDEX CONCURRENTLY IF EXISTS public.dup_v_key;
  [1]
  $ psql -XAt -c "SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indrelid = 'dup'::regclass ORDER BY 1"
  old_bad|f
  dup_v_key|f
  $ psql -XAt -c "DROP INDEX CONCURRENTLY IF EXISTS public.dup_v_key" -c "DROP INDEX old_bad" -c "DELETE FROM dup WHERE ctid = (SELECT max(ctid) FROM dup)"
  DROP INDEX
  DROP INDEX
  DELETE 1
  $ varve resolve 0004 --rolled-back
  Resolved 0004: recorded as rolled back
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0004  unique index  N ms
  Applied 1 migration in N ms
  $ psql -XAt -c "SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indrelid = 'dup'::regclass"
  dup_v_key|t
  $ varve downgrade 0003 | ms
  Downgrading postgresql:///postgres ("varve_version")
    ✓ 0004  unique index  N ms
  Rolled back 1 migration in N ms
  $ psql -XAt -c "SELECT count(*) FROM pg_index WHERE indrelid = 'dup'::regclass"
  0
