`varve fix --database` renames the applied rows in the version table in
the same all-or-nothing run as the files.

  $ source "$ROOT/tests/cli/pg.sh"
  $ cd "$TESTTMP"
  $ export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
  $ export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com
  $ export GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com
  $ export GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z
  $ mig() { printf -- '-- upgrade --\nCREATE TABLE t%s (id int);\n-- downgrade --\nDROP TABLE t%s;\n' "$1" "$1" >"migrations/$1_$2.sql"; }
  $ entry() { printf '  - revision: "%s"\n    down_revision: %s\n    file: %s_%s.sql\n' "$1" "$2" "$1" "$3" >>varve.yaml; }
  $ git init -q -b main repo && cd repo && mkdir migrations
  $ printf 'varve: 1\nmigrations:\n' >varve.yaml
  $ mig 0001 users && entry 0001 null users
  $ mig 20250301120000 a && entry 20250301120000 '"0001"' a
  $ mig 20250302120000 b && entry 20250302120000 '"20250301120000"' b
  $ mig 20250303120000 c && entry 20250303120000 '"20250302120000"' c
  $ git add -A && git commit -qm base
  $ varve hash
  ✓ Wrote 4 checksums in varve.yaml
  $ git commit -qam hash

Two databases have applied the first two timestamp migrations:

  $ psql -XAqc "CREATE DATABASE other"
  $ varve upgrade 20250302120000 >/dev/null
  $ varve -d postgresql:///other upgrade 20250302120000 >/dev/null

fix --database renames the rows of the database it is pointed at:

  $ varve fix --yes --database
  ✓ Converted migrations/20250301120000_a.sql → 0002_a.sql
  ✓ Renamed 20250301120000 → 0002 in postgresql:///postgres
  ✓ Converted migrations/20250302120000_b.sql → 0003_b.sql
  ✓ Renamed 20250302120000 → 0003 in postgresql:///postgres
  ✓ Converted migrations/20250303120000_c.sql → 0004_c.sql
  ✓ Updated varve.yaml
  $ psql -XAtc "SELECT revision, state FROM varve_version ORDER BY seq"
  0001|applied
  0002|applied
  0003|applied
  $ varve status --exit-code | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'
  Database  postgresql:///postgres
  Table     "varve_version"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    0001      applied  TIMESTAMP             
    0002      applied  TIMESTAMP             
    0003      applied  TIMESTAMP             
    0004      pending                        
  
  3 applied, 1 pending
  $ varve upgrade | sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/'
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0004    N ms
  Applied 1 migration in N ms

The other database, which fix was not pointed at, still records the old
names; its next upgrade renames them by checksum, then applies what is
pending:

  $ psql -d other -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  20250301120000
  20250302120000
  $ varve -d postgresql:///other upgrade | sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/'
    ↻ renamed 20250301120000 to 0002 in the version table (same checksum: 'varve fix' renumbered it)
    ↻ renamed 20250302120000 to 0003 in the version table (same checksum: 'varve fix' renumbered it)
  Upgrading postgresql:///other ("varve_version")
    ✓ 0004    N ms
  Applied 1 migration in N ms
  $ psql -d other -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  0002
  0003
  0004
  $ varve -d postgresql:///other check --database
  ✓ manifest and database agree

A row that is already recorded under a new name is refused, and nothing
changes, neither the rows nor the files:

  $ git reset -q --hard HEAD && git clean -qfd
  $ psql -XAqc "DELETE FROM varve_version; INSERT INTO varve_version (revision) VALUES ('0001'), ('20250301120000'), ('0002')"
  $ varve fix --yes --database
  ! varve: error: cannot rename '20250301120000' to '0002': postgresql:///postgres records '0002' already; nothing changed
  [1]
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  20250301120000
  0002
  $ git status --porcelain

Cut short with the rows renamed in an open transaction. Before the
manifest is in place (step 4: after the third rename), a kill -9 ends the
connection and the server rolls the rows back; recovery undoes the files.
After it (step 6), recovery completes the files and says that the rows may
still hold the old names, which the next upgrade renames:

  $ git reset -q --hard HEAD && git clean -qfd
  $ psql -XAqc "DROP TABLE varve_version, t0001, t20250301120000, t20250302120000, t20250303120000"
  $ varve upgrade 20250301120000 >/dev/null
  $ { VARVE_TEST_RAISE=4:9 varve fix -q --yes --database; } 2>/dev/null; echo $?
  137
  $ varve fix --recover && git status --porcelain
  ✓ Undid the interrupted fix of varve.yaml (3 files)
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  20250301120000
  $ { VARVE_TEST_RAISE=6:9 varve fix -q --yes --database; } 2>/dev/null; echo $?
  137
  $ varve fix --recover
  ✓ Completed the interrupted fix of varve.yaml (3 files)
  ! varve: note: the version table may still hold the old revisions: the next 'varve upgrade' renames them
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  20250301120000
  $ varve upgrade 0002 | sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/'
    ↻ renamed 20250301120000 to 0002 in the version table (same checksum: 'varve fix' renumbered it)
  Nothing to do: every migration up to the target is applied
  $ varve check --database
  ✓ manifest and database agree
