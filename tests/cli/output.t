What varve prints, and where: results to stdout, diagnostics to stderr;
-q keeps only errors, -v adds a trace on stderr; colour only where it
belongs; on a terminal, the migration under way shows with its time.

  $ source "$ROOT/tests/cli/pg.sh"
  $ cd "$TESTTMP"
  $ mkdir -p o/migrations && cd o
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n-- downgrade --\nDROP TABLE a;\n' > migrations/0001_a.sql
  $ printf -- '-- upgrade --\nSELECT pg_sleep(0.6);\n-- downgrade --\nSELECT 1;\n' > migrations/0002_b.sql
  $ cat > varve.yaml <<'EOF2'
  > varve: 1
  > migrations:
  >   - {revision: "0001", down_revision: null, description: "créer la table — 日本語", file: 0001_a.sql}
  >   - {revision: "0002", down_revision: "0001", description: "a long description that a narrow terminal cannot hold", file: 0002_b.sql}
  > EOF2

One rule: the answer on stdout (✓ manifest is valid was on stderr), the
findings and errors on stderr:

  $ varve check 2>/dev/null
  ✓ manifest is valid
  $ varve -f nosuch.yaml check 2>&1 >/dev/null
  varve: error: cannot open 'nosuch.yaml': no such file or directory
  [2]

-q: nothing but errors, also for status --exit-code, whose exit status
is the answer:

  $ varve -q status --exit-code
  [4]
  $ varve -q upgrade 0001
  $ varve status -q; varve current -q; varve heads -q; varve history -q; varve check -q
  $ echo 'SELECT 1;' > migrations/0003_x.sql
  $ varve check -q
  $ rm migrations/0003_x.sql

-v: the connection (password masked), the lock, each migration as it
starts with its statements and their positions, on stderr:

  $ psql -XAtqc "CREATE ROLE vuser LOGIN SUPERUSER PASSWORD 's3cretpw'"
  $ varve -v -d "postgresql://vuser:s3cretpw@/postgres?host=$PGHOST" downgrade base 2>&1 >/dev/null | sed "s|$PGHOST|\$PGHOST|"
  varve: connected to postgresql://vuser:***@/postgres?host=$PGHOST, version table "varve_version"
  varve: taking the runners' lock on "varve_version" (waiting up to 60 s)
  varve: lock taken after 0.0 s
  varve: rolling back 0001
  varve: 1 statement
  varve:   migrations/0001_a.sql:4:1: DROP TABLE a

Columns are padded by display width (a CJK character takes two columns, an
accented letter one), not bytes:

  $ varve upgrade --dry-run
  Would apply 2 migrations on postgresql:///postgres:
    0001  créer la table — 日本語
    0002  a long description that a narrow terminal cannot hold
  $ varve -q downgrade base 2>/dev/null; varve upgrade | sed -E 's/in [0-9.]+ m?s$/in T/; s/[0-9]+ ms$/N ms/; s/[0-9.]+ s$/N s/'
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001  créer la table — 日本語                           N ms
    ✓ 0002  a long description that a narrow terminal cannot hold  N ms
  Applied 2 migrations in T

On a terminal (here `script`'s, 40 columns wide), the migration under way
shows with its time (→) and is replaced by its result; descriptions are
cut to the width:

  $ varve -q downgrade base
  $ TERM=xterm script -qec "stty cols 40; varve --color=never upgrade" /dev/null > tty.out
  $ tr '\r' '\n' < tty.out | sed 's/\x1b\[K//g' | grep -q '→ 0002  a long description …' && echo "0002 showed while it ran"
  0002 showed while it ran
  $ tr '\r' '\n' < tty.out | sed 's/\x1b\[K//g; s/[0-9.]* m\?s$/T/' | grep '✓'
    ✓ 0001  créer la table — 日…  T
    ✓ 0002  a long description …  T

`status` cuts the descriptions the same way on a terminal, and only there:

  $ TERM=xterm script -qec "stty cols 60; varve --color=never status" /dev/null | tr -d '\r' | grep 0002 | sed -E 's/[0-9-]{10}T[0-9:]{8}Z/TIMESTAMP           /'
    0002      applied  TIMESTAMP             a long descripti…
  $ varve status | grep 0002 | sed -E 's/[0-9-]{10}T[0-9:]{8}Z/TIMESTAMP           /'
    0002      applied  TIMESTAMP             a long description that a narrow terminal cannot hold

Colour: NO_COLOR counts only when not empty, TERM=dumb has none,
--color=auto|always|never, FORCE_COLOR:

  $ col() { grep -q "$(printf '\033')\[" && echo colour || echo plain; }
  $ varve check | col
  plain
  $ FORCE_COLOR=1 varve check | col
  colour
  $ FORCE_COLOR=1 NO_COLOR=1 varve check | col
  plain
  $ FORCE_COLOR=1 NO_COLOR= varve check | col
  colour
  $ varve --color=always check | col
  colour
  $ FORCE_COLOR=1 varve check --color=never | col
  plain
  $ FORCE_COLOR=1 varve check --no-color | col
  plain
  $ TERM=xterm script -qec "varve check" /dev/null | col
  colour
  $ TERM=xterm script -qec "NO_COLOR= varve check" /dev/null | col
  colour
  $ TERM=xterm script -qec "NO_COLOR=1 varve check" /dev/null | col
  plain
  $ script -qec "TERM=dumb varve check" /dev/null | col
  plain
  $ varve check --color=sometimes
  ! varve check: --color must be auto, always or never, not 'sometimes'
  ! run 'varve check --help' for usage
  [2]
