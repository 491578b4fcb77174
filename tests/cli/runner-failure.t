A migration that fails in the middle of a run: the ones before it stay
applied, it leaves no row and no partial schema, and the error names the
file, line and column with the SQLSTATE.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ state() {
  >   psql -XAt -c "SELECT 'rows: ' || coalesce(string_agg(revision, ' ' ORDER BY seq), '')
  >     FROM varve_version"
  >   psql -XAt -c "SELECT 'tables: ' || coalesce(string_agg(relname, ' ' ORDER BY relname), '')
  >     FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
  >       AND relname <> 'varve_version'"
  > }
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ for r in 1 2 4 5; do
  >   printf -- '-- upgrade --\nCREATE TABLE t%s (id int);\n-- downgrade --\nDROP TABLE t%s;\n' $r $r \
  >     > migrations/000$r.sql
  > done
  $ cat > migrations/0003.sql <<'SQL'
  > -- The third of five: its first statement works, its second refers to a
  > -- table that does not exist.
  > -- upgrade --
  > CREATE TABLE partial (id int);
  > INSERT INTO partial
  > SELECT id FROM missing;
  > -- downgrade --
  > DROP TABLE partial;
  > SQL
  $ cat > varve.yaml <<'YAML'
  > varve: 1
  > migrations:
  >   - {revision: "0001", down_revision: null, file: 0001.sql}
  >   - {revision: "0002", down_revision: "0001", file: 0002.sql}
  >   - {revision: "0003", down_revision: "0002", description: fails, file: 0003.sql}
  >   - {revision: "0004", down_revision: "0003", file: 0004.sql}
  >   - {revision: "0005", down_revision: "0004", file: 0005.sql}
  > YAML
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001         N ms
    ✓ 0002         N ms
    ✗ 0003  fails  N ms
  Applied 2 migrations in N ms; 3 not run
  ! migrations/0003.sql:6:16: error: relation "missing" does not exist [42P01]
  [1]
  $ state
  rows: 0001 0002
  tables: t1 t2
  $ varve status --exit-code | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'
  Database  postgresql:///postgres
  Table     "varve_version"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    0001      applied  TIMESTAMP             
    0002      applied  TIMESTAMP             
    0003      pending                        fails
    0004      pending                        
    0005      pending                        
  
  2 applied, 3 pending
  [4]

With --single-transaction the whole run is one transaction: nothing of it
stays.

  $ varve downgrade base -q
  $ varve upgrade --single-transaction | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001         N ms
    ✓ 0002         N ms
    ✗ 0003  fails  N ms
  Applied 0 migrations in N ms; the whole run was rolled back, 5 not run
  ! migrations/0003.sql:6:16: error: relation "missing" does not exist [42P01]
  [1]
  $ state
  rows: 
  tables: 

A server error with a detail: a unique violation in the fourth statement of
an `up` file.

  $ cat > migrations/0003.sql <<'SQL'
  > CREATE TABLE partial (id int PRIMARY KEY);
  > INSERT INTO partial VALUES (1);
  > INSERT INTO partial VALUES (2);
  > INSERT INTO partial VALUES (1);
  > SQL
  $ sed -i 's/file: 0003.sql/up: 0003.sql/' varve.yaml
  $ varve upgrade -q --single-transaction | ms
  ! migrations/0003.sql:4:1: error: duplicate key value violates unique constraint "partial_pkey" [23505]
  !   detail: Key (id)=(1) already exists.
  [1]
  $ state
  rows: 
  tables: 
  $ varve upgrade -q | ms
  ! migrations/0003.sql:4:1: error: duplicate key value violates unique constraint "partial_pkey" [23505]
  !   detail: Key (id)=(1) already exists.
  [1]
  $ state
  rows: 0001 0002
  tables: t1 t2

Fixed, the next run applies the rest.

  $ sed -i '$d' migrations/0003.sql
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0003  fails  N ms
    ✓ 0004         N ms
    ✓ 0005         N ms
  Applied 3 migrations in N ms
  $ state
  rows: 0001 0002 0003 0004 0005
  tables: partial t1 t2 t4 t5
