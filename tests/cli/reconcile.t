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
