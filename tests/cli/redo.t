`varve redo [TARGET]`: roll back the last applied migration (or TARGET and
what was applied on top of it) and apply it again.

  $ source "$ROOT/tests/cli/pg.sh"
  $ cp -r "$ROOT/examples/blog" "$TESTTMP/blog" && cd "$TESTTMP/blog"
  $ times() { sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/'; }

Nothing applied: nothing to redo.

  $ varve redo
  ! varve: error: nothing is applied: nothing to redo
  [1]

The last applied migration, down then up; its row is written again:

  $ varve -q upgrade 0005
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  0002
  0003
  0004
  0005
  $ varve redo | times
  Redoing postgresql:///postgres ("varve_version")
    ✓ 0005  index published posts by date  down  N ms
    ✓ 0005  index published posts by date  up    N ms
  Redid 1 migration in N ms
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  0002
  0003
  0004
  0005

A target: it and every applied migration above it, most recent first, then
up again in graph order:

  $ varve redo 0003 | times
  Redoing postgresql:///postgres ("varve_version")
    ✓ 0005  index published posts by date  down  N ms
    ✓ 0004  create tags and post_tags      down  N ms
    ✓ 0003  create comments                down  N ms
    ✓ 0003  create comments                up    N ms
    ✓ 0004  create tags and post_tags      up    N ms
    ✓ 0005  index published posts by date  up    N ms
  Redid 3 migrations in N ms
  $ varve redo 0003 --dry-run
  Would roll back and apply again 3 migrations on postgresql:///postgres:
    0005  index published posts by date
    0004  create tags and post_tags
    0003  create comments
  $ varve redo 0006
  ! varve: error: '0006' is not applied: nothing to redo (upgrade to it first)
  [1]
  $ varve redo nosuch
  ! varve: error: no revision or branch 'nosuch'
  [1]
  $ varve redo 0001 0002
  ! varve redo: unexpected argument '0002'
  ! run 'varve redo --help' for usage
  [2]

JSON: the run results' shape (schemas/run.schema.json), each migration twice:

  $ varve redo --format json | /usr/bin/python3 "$ROOT/tests/schema/validate.py" run
  run: valid (2 items)
  $ varve redo --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["command"], d["target"], d["done"], [(m["revision"], m["direction"], m["outcome"]) for m in d["migrations"]])'
  redo 0005 2 [('0005', 'downgrade', 'rolled_back'), ('0005', 'upgrade', 'applied')]

An irreversible migration (a downgrade of comments only: the explicit
no-op) is refused before anything runs, and so is one without a downgrade:

  $ mkdir -p "$TESTTMP/irr/migrations" && cd "$TESTTMP/irr"
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n-- downgrade --\nDROP TABLE a;\n' > migrations/0001_a.sql
  $ printf -- '-- upgrade --\nINSERT INTO a VALUES (1);\n-- downgrade --\n-- irreversible: the row stays\n' > migrations/0002_b.sql
  $ printf -- 'CREATE TABLE c (id int);\n' > migrations/0003_c.sql
  $ printf 'varve: 1\nversion_table: irr_version\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_a.sql\n  - revision: "0002"\n    down_revision: "0001"\n    file: 0002_b.sql\n  - revision: "0003"\n    down_revision: "0002"\n    file: 0003_c.sql\n' > varve.yaml
  $ varve -q upgrade 0002
  $ varve redo
  ! varve: error: '0002' is irreversible: its downgrade holds only comments (an explicit no-op), so redo would run its upgrade again over its own changes
  [1]
  $ varve redo 0001
  ! varve: error: '0002' is irreversible: its downgrade holds only comments (an explicit no-op), so redo would run its upgrade again over its own changes
  [1]
  $ psql -XAtc "SELECT count(*) FROM a"
  1
  $ varve -q upgrade && varve redo
  ! varve: error: '0003' has no downgrade: redo cannot roll it back
  [1]

A downgrade that fails: the failure at its place in the file, the
migration still applied (its transaction rolled back), nothing applied
again; --format github annotates the file:

  $ mkdir -p "$TESTTMP/bad/migrations" && cd "$TESTTMP/bad"
  $ printf -- '-- upgrade --\nCREATE TABLE t (id int);\n-- downgrade --\nDROP TABLE nosuch;\n' > migrations/0001_t.sql
  $ printf 'varve: 1\nversion_table: bad_version\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_t.sql\n' > varve.yaml
  $ varve -q upgrade
  $ varve redo --format github 2>/dev/null | times
  Redoing postgresql:///postgres ("bad_version")
    ✗ 0001    down  N ms
  ::error file=migrations/0001_t.sql,line=4,col=1,title=migration 0001 failed (42P01)::table "nosuch" does not exist
  Redo stopped after N ms
  $ varve redo 2>&1 >/dev/null
  migrations/0001_t.sql:4:1: error: table "nosuch" does not exist [42P01]
  [1]
  $ psql -XAtc "SELECT revision FROM bad_version"
  0001
