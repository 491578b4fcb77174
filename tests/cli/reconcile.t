A database that `varve fix` was not pointed at: its rows still carry the
timestamp revisions. Any run renames an applied revision the manifest lacks
when its checksum equals that of exactly one unapplied migration.

  $ source "$ROOT/tests/cli/pg.sh"
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n-- downgrade --\nDROP TABLE a;\n' > migrations/0001_a.sql
  $ printf -- '-- upgrade --\nCREATE TABLE b (id int);\n-- downgrade --\nDROP TABLE b;\n' > migrations/20251115120000_b.sql
  $ printf -- '-- upgrade --\nCREATE TABLE c (id int);\n-- downgrade --\nDROP TABLE c;\n' > migrations/20251116120000_c.sql
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_a.sql\n  - revision: "20251115120000"\n    down_revision: "0001"\n    file: 20251115120000_b.sql\n  - revision: "20251116120000"\n    down_revision: "20251115120000"\n    file: 20251116120000_c.sql\n' > varve.yaml
  $ varve -q upgrade 20251115120000

Renumbered by hand as `varve fix` would: files, revisions and references.

  $ mv migrations/20251115120000_b.sql migrations/0002_b.sql
  $ mv migrations/20251116120000_c.sql migrations/0003_c.sql
  $ sed -i 's/20251115120000/0002/g; s/20251116120000/0003/g' varve.yaml
  $ varve check --database 2>&1 | head -1
  varve.yaml: error: '20251115120000' is applied in "varve_version" (postgresql:///postgres) but no entry defines it [applied-unknown]
  $ varve upgrade | sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/'
    ↻ renamed 20251115120000 to 0002 in the version table (same checksum: 'varve fix' renumbered it)
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0003    N ms
  Applied 1 migration in N ms
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  0002
  0003
  $ varve check --database
  ✓ manifest and database agree

An edited migration is not taken for a renamed one:

  $ psql -qXc "UPDATE varve_version SET revision = '20990101000000', checksum = 'sha256:00' WHERE revision = '0003'"
  $ varve upgrade 2>&1 | sed -E 's/[0-9]+(\.[0-9])? (ms|s)\b/N ms/g'
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0003    N ms
  migrations/0003_c.sql:2:1: error: relation "c" already exists [42P07]
  Applied 0 migrations in N ms; 1 not run

## A merge after `merge` and `fix` (issue 9, part 5 item 2)

A merge has no SQL and so no checksum. The database applied the merge
under its timestamp; after `varve fix` renumbered it and its parents, the
row is the merge's when its description matches and its parents, under
their new names, were applied before it. The run renames it instead of
recording the merge a second time, and `check --database` agrees.

  $ mkdir -p "$TESTTMP/m/migrations" && cd "$TESTTMP/m" && git init -q
  $ psql -qXc "DROP TABLE a, b, c, varve_version"
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n-- downgrade --\nDROP TABLE a;\n' > migrations/0001_a.sql
  $ printf -- '-- upgrade --\nCREATE TABLE b (id int);\n-- downgrade --\nDROP TABLE b;\n' > migrations/20251115120000_b.sql
  $ printf -- '-- upgrade --\nCREATE TABLE c (id int);\n-- downgrade --\nDROP TABLE c;\n' > migrations/20251116120000_c.sql
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_a.sql\n  - revision: "20251115120000"\n    down_revision: "0001"\n    file: 20251115120000_b.sql\n  - revision: "20251116120000"\n    down_revision: "0001"\n    file: 20251116120000_c.sql\n' > varve.yaml
  $ varve merge -m join | sed -E 's/[0-9]{14}/MERGE/'
  ✓ Added MERGE (merge of 20251115120000, 20251116120000) to varve.yaml
  $ git add -A && git -c user.name=t -c user.email=t@t commit -qm migrations
  $ varve -q upgrade
  $ varve -q fix --yes
  $ varve upgrade | sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/; s/[0-9]{14} to 0004/MERGE to 0004/'
    ↻ renamed 20251115120000 to 0002 in the version table (same checksum: 'varve fix' renumbered it)
    ↻ renamed 20251116120000 to 0003 in the version table (same checksum: 'varve fix' renumbered it)
    ↻ renamed MERGE to 0004 in the version table (a merge of the same parents: 'varve fix' renumbered it)
  Nothing to do: every migration up to the target is applied
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  0002
  0003
  0004
  $ varve check --database
  ✓ manifest and database agree

A row no merge fits (another description) stays, and check names it:

  $ psql -qXc "UPDATE varve_version SET revision = '20991231000000', description = 'other' WHERE revision = '0004'"
  $ varve -q upgrade
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  0002
  0003
  20991231000000
  0004
  $ varve check --database 2>&1 | head -1
  varve.yaml: error: '20991231000000' is applied in "varve_version" (postgresql:///postgres) but no entry defines it [applied-unknown]
