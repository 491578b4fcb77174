Every target form of SPEC §4 on a branchy manifest
(tests/fixtures/runner/branchy): a1f0 is the root; the billing branch
(b2c4, b7e1) and the search branch (c3d5, c9a8) grow from it; in varve.yaml
the merge d4e6 joins them and e5f7 follows; varve-split.yaml has the two
branches without the merge; varve-late.yaml adds the audit branch f6a8 from
the root and a merge 0a9b. Each migration creates the table t_<revision>.
The state is read from the database after each step.

  $ source "$ROOT/tests/cli/pg.sh"
  $ cp -r "$FIXTURES/runner/branchy" "$TESTTMP/p" && cd "$TESTTMP/p"
  $ state() {
  >   psql -XAt -c "SELECT 'rows: ' || coalesce(string_agg(revision, ' ' ORDER BY seq), '')
  >     FROM varve_version"
  >   psql -XAt -c "SELECT 'tables: ' || coalesce(string_agg(relname, ' ' ORDER BY relname), '')
  >     FROM pg_class WHERE relkind = 'r' AND relname LIKE 't\_%'"
  > }
  $ ran() { sed -nE 's/^  ✓ ([0-9a-f]+) .*/\1/p' | tr '\n' ' '; echo; }
  $ split() { varve -f varve-split.yaml "$@"; }

Two heads: `head` is an error that names them and suggests what to use.

  $ split upgrade
  ! varve: error: multiple heads: 'b7e1', 'c9a8'; name one, or use 'heads' or '<branch>@head'
  [1]
  $ split upgrade head --dry-run
  ! varve: error: multiple heads: 'b7e1', 'c9a8'; name one, or use 'heads' or '<branch>@head'
  [1]
  $ split upgrade heads | ran
  a1f0 b2c4 b7e1 c3d5 c9a8 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8
  $ split downgrade base | ran
  c9a8 c3d5 b7e1 b2c4 a1f0 
  $ state
  rows: 
  tables: 

`base` is for downgrades only; a downgrade needs a target.

  $ split upgrade base
  ! varve: error: cannot upgrade to 'base': it is a downgrade target
  [1]
  $ split downgrade
  ! varve downgrade: which target? e.g. 'varve downgrade -1' or 'varve downgrade base'
  ! run 'varve downgrade --help' for usage
  [2]

A branch label's head, then an exact revision, a unique prefix and an
ambiguous one.

  $ split upgrade billing@head | ran
  a1f0 b2c4 b7e1 
  $ state
  rows: a1f0 b2c4 b7e1
  tables: t_a1f0 t_b2c4 t_b7e1
  $ split upgrade search@head --dry-run
  Would apply 2 migrations on postgresql:///postgres:
    c3d5  search
    c9a8  search index
  $ split upgrade nosuch@head
  ! varve: error: no branch 'nosuch'
  [1]
  $ split upgrade c3 | ran
  c3d5 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5
  $ split upgrade b
  ! varve: error: multiple revisions start with 'b': 'b2c4', 'b7e1'
  [1]
  $ split upgrade zz
  ! varve: error: no revision or branch 'zz'
  [1]
  $ split upgrade c3d5
  Nothing to do: every migration up to the target is applied
  $ split current
  b7e1  invoice lines
  c3d5  search

With the merge: `head` is single again, and applies what is missing of the
search branch, the merge and the migration after it.

  $ varve upgrade head | ran
  c9a8 d4e6 e5f7 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6 e5f7
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8 t_e5f7
  $ varve current
  e5f7  sales view

`-N` after a merge rolls back the most recently applied ones; `+N` applies
the next pending in graph order.

  $ varve downgrade -2 | ran
  e5f7 d4e6 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8
  $ varve downgrade -1 | ran
  c9a8 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5
  $ varve upgrade +2 | ran
  c9a8 d4e6 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8
  $ varve upgrade +5
  ! varve: error: cannot resolve '+5': only 1 migration is pending
  [1]
  $ varve downgrade -9
  ! varve: error: cannot resolve '-9': only 6 migrations are applied
  [1]

`<rev>+N` and `<rev>-N` walk the graph, refusing forks and merges.

  $ varve upgrade a1f0+1
  ! varve: error: cannot walk 'a1f0+1': 'a1f0' forks into 'b2c4', 'c3d5'
  [1]
  $ varve upgrade c9a8+2 | ran
  e5f7 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6 e5f7
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8 t_e5f7
  $ varve downgrade e5f7-1 | ran
  e5f7 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8
  $ varve downgrade d4e6-1
  ! varve: error: cannot walk 'd4e6-1': 'd4e6' merges 'b7e1', 'c9a8'
  [1]
  $ varve downgrade c9a8-1 --dry-run
  Would roll back 4 migrations on postgresql:///postgres:
    d4e6  merge billing and search
    c9a8  search index
    b7e1  invoice lines
    b2c4  invoices
  $ varve downgrade a1f0-1 --dry-run
  Would roll back 6 migrations on postgresql:///postgres:
    d4e6  merge billing and search
    c9a8  search index
    c3d5  search
    b7e1  invoice lines
    b2c4  invoices
    a1f0  base

Downgrade to a revision on the other branch: everything that is not it or
one of its ancestors goes, most recently applied first.

  $ varve upgrade -q
  $ varve downgrade b2c4 | ran
  e5f7 d4e6 c9a8 c3d5 b7e1 
  $ state
  rows: a1f0 b2c4
  tables: t_a1f0 t_b2c4
  $ varve downgrade b2c4
  Nothing to do: nothing above the target is applied
  $ varve upgrade -q && state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6 e5f7
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8 t_e5f7

A branch merged in below migrations that are already applied: upgrade head
applies it too.

  $ varve -f varve-late.yaml status | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'
  Database  postgresql:///postgres
  Table     "varve_version"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    a1f0      applied  TIMESTAMP             base
    b2c4      applied  TIMESTAMP             invoices
    b7e1      applied  TIMESTAMP             invoice lines
    c3d5      applied  TIMESTAMP             search
    c9a8      applied  TIMESTAMP             search index
    d4e6      applied  TIMESTAMP             merge billing and search
    e5f7      applied  TIMESTAMP             sales view
    f6a8      pending                        late audit
    0a9b      pending                        merge audit
  
  7 applied, 2 pending
  $ varve -f varve-late.yaml upgrade head | ran
  f6a8 0a9b 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6 e5f7 f6a8 0a9b
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8 t_e5f7 t_f6a8
  $ varve -f varve-late.yaml current
  0a9b  merge audit
  $ varve -f varve-late.yaml downgrade -1 | ran
  0a9b 
  $ varve -f varve-late.yaml downgrade -1 | ran
  f6a8 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6 e5f7
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8 t_e5f7
  $ varve -f varve-late.yaml upgrade audit@head | ran
  f6a8 0a9b 
  $ state
  rows: a1f0 b2c4 b7e1 c3d5 c9a8 d4e6 e5f7 f6a8 0a9b
  tables: t_a1f0 t_b2c4 t_b7e1 t_c3d5 t_c9a8 t_e5f7 t_f6a8
