The runner against a real PostgreSQL: upgrade, status, downgrade on the
blog example.

  $ source "$ROOT/tests/cli/pg.sh"
  $ cp -r "$ROOT/examples/blog" "$TESTTMP/blog" && cd "$TESTTMP/blog"
  $ varve upgrade | sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/'
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001  create users                   N ms
    ✓ 0002  create posts                   N ms
    ✓ 0003  create comments                N ms
    ✓ 0004  create tags and post_tags      N ms
    ✓ 0005  index published posts by date  N ms
    ✓ 0006  add post slugs                 N ms
  Applied 6 migrations in N ms
  $ psql -XAtc "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
  6
  $ varve status | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'
  Database  postgresql:///postgres
  Table     "varve_version"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    0001      applied  TIMESTAMP             create users
    0002      applied  TIMESTAMP             create posts
    0003      applied  TIMESTAMP             create comments
    0004      applied  TIMESTAMP             create tags and post_tags
    0005      applied  TIMESTAMP             index published posts by date
    0006      applied  TIMESTAMP             add post slugs
  
  6 applied, 0 pending
  $ varve -q downgrade -2

A bare name for -d is a database name, as `psql postgres` takes it:

  $ varve -d postgres current
  0004  create tags and post_tags
  $ varve history --graph --applied
  * 0006 (head) (pending), add post slugs
  * 0005 (pending), index published posts by date
  * 0004 (applied, current), create tags and post_tags
  * 0003 (applied), create comments
  * 0002 (applied), create posts
  * 0001 (applied), create users
  $ varve history --applied --format json | python3 -c "import json,sys; print([(m['revision'], m['state']) for m in json.load(sys.stdin)['migrations']])"
  [('0006', 'pending'), ('0005', 'pending'), ('0004', 'applied'), ('0003', 'applied'), ('0002', 'applied'), ('0001', 'applied')]
  $ varve -q upgrade
  $ varve downgrade base | sed -E 's/[0-9]+(\.[0-9])? (ms|s)$/N ms/'
  Downgrading postgresql:///postgres ("varve_version")
    ✓ 0006  add post slugs                 N ms
    ✓ 0005  index published posts by date  N ms
    ✓ 0004  create tags and post_tags      N ms
    ✓ 0003  create comments                N ms
    ✓ 0002  create posts                   N ms
    ✓ 0001  create users                   N ms
  Rolled back 6 migrations in N ms
  $ psql -XAtc "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
  1
  $ varve status --exit-code > /dev/null
  [4]

A downgrade that lacks its SQL part way down is refused before anything
runs, so nothing above it is rolled back:

  $ mkdir -p "$TESTTMP/nodown/migrations" && cd "$TESTTMP/nodown"
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n-- downgrade --\nDROP TABLE a;\n' > migrations/0001_a.sql
  $ printf -- 'CREATE TABLE b (id int);\n' > migrations/0002_b.sql
  $ printf -- '-- upgrade --\nCREATE TABLE c (id int);\n-- downgrade --\nDROP TABLE c;\n' > migrations/0003_c.sql
  $ printf 'varve: 1\nversion_table: nodown_version\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_a.sql\n  - revision: "0002"\n    down_revision: "0001"\n    file: 0002_b.sql\n  - revision: "0003"\n    down_revision: "0002"\n    file: 0003_c.sql\n' > varve.yaml
  $ varve -q upgrade
  $ varve downgrade base 2>&1 | sed -E 's/[0-9]+(\.[0-9])? (ms|s)\b/N ms/g'
  Downgrading postgresql:///postgres ("nodown_version")
    ✗ 0002    N ms
  migrations/0002_b.sql: error: it has no downgrade section
  Rolled back 0 migrations in N ms; 3 not run
  $ psql -XAtc "SELECT revision FROM nodown_version ORDER BY seq"
  0001
  0002
  0003
