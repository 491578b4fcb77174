stamp records the state of a target without running SQL; status and
current report it, also as JSON. On the branchy fixture
(tests/fixtures/runner/branchy, see runner-targets.t).

  $ source "$ROOT/tests/cli/pg.sh"
  $ cp -r "$FIXTURES/runner/branchy" "$TESTTMP/p" && cd "$TESTTMP/p"
  $ set -o pipefail
  $ ts() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'; }
  $ state() {
  >   psql -XAt -c "SELECT 'rows: ' || coalesce(string_agg(revision, ' ' ORDER BY seq), '')
  >     FROM varve_version"
  >   psql -XAt -c "SELECT 'tables: ' || coalesce(string_agg(relname, ' ' ORDER BY relname), '')
  >     FROM pg_class WHERE relkind = 'r' AND relname LIKE 't\_%'"
  > }
  $ varve current
  (nothing applied)
  $ varve stamp head
  Stamped head: 7 recorded, 0 removed, no SQL run
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6 e5f7
  tables: 
  $ psql -XAt -c "SELECT count(*) FROM varve_version WHERE checksum LIKE 'sha256:%'"
  6
  $ varve current
  e5f7  sales view
  $ varve stamp c9a8
  Stamped c9a8: 0 recorded, 4 removed, no SQL run
  $ state
  rows: a1f0 c3d5 c9a8
  tables: 
  $ varve current --format json | ts
  {
    "varve": 1,
    "command": "current",
    "current": [
      {
        "revision": "c9a8",
        "description": "search index",
        "applied_at": "TIMESTAMP           ",
        "dirty": false
      }
    ]
  }
  $ varve stamp billing@head
  Stamped billing@head: 4 recorded, 0 removed, no SQL run
  $ state
  rows: a1f0 c3d5 c9a8 b2c4 b7e1 d4e6 e5f7
  tables: 
  $ varve stamp base
  Stamped base: 0 recorded, 7 removed, no SQL run
  $ state
  rows: 
  tables: 
  $ varve stamp
  ! varve stamp: which target? e.g. 'varve stamp head'
  ! run 'varve stamp --help' for usage
  [2]
  $ varve stamp nosuch
  ! varve: error: no revision or branch 'nosuch'
  [1]
  $ varve stamp b
  ! varve: error: multiple revisions start with 'b': 'b2c4', 'b7e1'
  [1]

After a stamp the runner goes on from there: stamping b2c4 and upgrading to
b7e1 runs only b7e1's SQL.

  $ varve stamp b2c4
  Stamped b2c4: 2 recorded, 0 removed, no SQL run
  $ varve upgrade b7e1 -q && state
  rows: a1f0 b2c4 b7e1
  tables: t_b7e1
  $ varve status --exit-code --format json | ts
  {
    "varve": 1,
    "command": "status",
    "database": "postgresql:///postgres",
    "table": "\"varve_version\"",
    "migrations": [
      {
        "revision": "a1f0",
        "description": "base",
        "state": "applied",
        "applied_at": "TIMESTAMP           ",
        "applied_by": "varve"
      },
      {
        "revision": "b2c4",
        "description": "invoices",
        "state": "applied",
        "applied_at": "TIMESTAMP           ",
        "applied_by": "varve"
      },
      {
        "revision": "b7e1",
        "description": "invoice lines",
        "state": "applied",
        "applied_at": "TIMESTAMP           ",
        "applied_by": "varve"
      },
      {
        "revision": "c3d5",
        "description": "search",
        "state": "pending",
        "applied_at": null,
        "applied_by": null
      },
      {
        "revision": "c9a8",
        "description": "search index",
        "state": "pending",
        "applied_at": null,
        "applied_by": null
      },
      {
        "revision": "d4e6",
        "description": "merge billing and search",
        "state": "pending",
        "applied_at": null,
        "applied_by": null
      },
      {
        "revision": "e5f7",
        "description": "sales view",
        "state": "pending",
        "applied_at": null,
        "applied_by": null
      }
    ],
    "applied": 3,
    "pending": 4,
    "dirty": 0,
    "unknown": []
  }
  [4]
  $ varve status | ts
  Database  postgresql:///postgres
  Table     "varve_version"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    a1f0      applied  TIMESTAMP             base
    b2c4      applied  TIMESTAMP             invoices
    b7e1      applied  TIMESTAMP             invoice lines
    c3d5      pending                        search
    c9a8      pending                        search index
    d4e6      pending                        merge billing and search
    e5f7      pending                        sales view
  
  3 applied, 4 pending
