The SQL reader that check, hash and the runner share (issue 10 §1 and §6,
issue 9 §5.6): every file is read in bounded time, and what it refuses is
refused by every command.

  $ cd "$TESTTMP" && mkdir -p migrations
  $ one() { printf 'varve: 1\nmigrations:\n  - {revision: "0001", down_revision: null, file: %s}\n' "$1" > varve.yaml; }

Inputs that made libpg_query's scanner run for minutes, each at the 16 MiB
limit: nested comments (100,000 levels hung `check`, `hash` and
`upgrade --sql`), unterminated ones, many comments of 200 levels each,
long runs of operator characters, and too many tokens. Each is refused
with its position by a linear pass before the scanner runs (the `timeout`
is cram's 60 s per command, and each took minutes or hours before).

  $ big() { python3 -c "import sys; n = 16 * 1024 * 1024 - 2; s = sys.argv[1] * (n // len(sys.argv[1])); open('migrations/0001_big.sql', 'w').write(sys.argv[2] + s[:n - len(sys.argv[2])])" "$@"; }
  $ one 0001_big.sql
  $ big '/*' ''
  $ timeout 60 varve check 2>&1 | grep ': error:'
  migrations/0001_big.sql:1:1: error: a block comment holds more than 256 nested comments [sql-too-complex]
  $ timeout 60 varve hash 2>&1 | grep -c sql-too-complex
  1
  $ timeout 60 varve upgrade --sql
  ! varve: error: '0001' is refused, nothing ran: migrations/0001_big.sql:1:1: a block comment holds more than 256 nested comments [sql-too-complex]
  [1]
  $ python3 -c "open('migrations/0001_big.sql', 'w').write('SELECT 1;\n' + '/*' * 100000 + '*/' * 100000)"
  $ timeout 60 varve check 2>&1 | grep ': error:'
  migrations/0001_big.sql:2:1: error: a block comment holds more than 256 nested comments [sql-too-complex]
  $ big '/*'"$(printf '/*%.0s' $(seq 200))"'*/'"$(printf '*/%.0s' $(seq 200))"' ' 'SELECT 1;'
  $ timeout 60 varve check 2>&1 | grep ': error:'
  migrations/0001_big.sql:1:643205: error: more than 1000000 tokens in one file: split it into several migrations [sql-too-complex]
  $ big '+' 'SELECT 1 '
  $ timeout 60 varve check 2>&1 | grep ': error:'
  migrations/0001_big.sql:1:10: error: a run of more than 256 operator characters [sql-too-complex]
  $ big "$(printf '+%.0s' $(seq 200)) 1 " 'SELECT 1 '
  $ timeout 60 varve check 2>&1 | grep ': error:'
  migrations/0001_big.sql:1:323592: error: more than 1000000 tokens in one file: split it into several migrations [sql-too-complex]
  $ big ';' ''
  $ timeout 60 varve check 2>&1 | grep ': error:'
  migrations/0001_big.sql:1:1000001: error: more than 1000000 tokens in one file: split it into several migrations [sql-too-complex]

Within the limits, a file reads, whatever its strings and comments hold:
8 MiB of INSERT statements (a million tokens), 16 MiB in a string.

  $ python3 -c "open('migrations/0001_big.sql', 'w').write('CREATE TABLE t (id int, s text);\n' + \"INSERT INTO t VALUES (1, 'a long string, /* not a comment */ -- nor this ''quoted''');\n\" * 99990)"
  $ timeout 60 varve check 2>&1 | tail -1
  0 errors, 1 warning
  $ big 'x' "SELECT '"
  $ printf "';" >> migrations/0001_big.sql
  $ timeout 60 varve check 2>&1 | tail -1
  0 errors, 1 warning
  $ rm migrations/0001_big.sql

Many findings in one file: each position was found by reading the file
from its start (60,000 findings on one line took 68 s of CPU).

  $ python3 -c "open('migrations/0001_big.sql', 'w').write('VACUUM; ' * 60000)"
  $ timeout 60 varve check 2>&1 | tail -1
  60000 errors, 1 warning
  $ rm migrations/0001_big.sql

`hash` refuses an empty upgrade section, as check does: it wrote the
checksum of empty input.

  $ one 0001_empty.sql
  $ printf -- '-- upgrade --\n-- nothing yet\n;\n-- downgrade --\nDROP TABLE t;\n' > migrations/0001_empty.sql
  $ varve check 2>&1
  varve.yaml:3:51: error: the upgrade SQL of '0001' is empty [empty-upgrade]
  1 error, 0 warnings
  [1]
  $ varve hash 2>&1 | grep empty-upgrade
  varve.yaml:3:51: error: the upgrade SQL of '0001' is empty [empty-upgrade]
  $ varve hash 2>/dev/null
  [1]
  $ grep -c checksum varve.yaml
  0
  [1]
  $ rm migrations/0001_empty.sql

manticore's package writes `V<n>__<description>.sql` with spaces in the
name and only a `-- DOWN` marker: the text before it is the upgrade, and
the `V1__` prefix matches revision 1.

  $ printf -- 'CREATE TABLE users (id int);\n\n-- DOWN\nDROP TABLE users;\n' > 'migrations/V1__create users table.sql'
  $ printf 'varve: 1\nmigrations:\n  - {revision: "1", down_revision: null, file: "V1__create users table.sql"}\n' > varve.yaml
  $ varve check 2>&1
  ✓ manifest is valid
  $ varve upgrade --sql | grep -A1 '^BEGIN'
  BEGIN;
  CREATE TABLE users (id int);
  $ printf 'varve: 1\nmigrations:\n  - {revision: "1", down_revision: null, file: "V12__create users table.sql"}\n' > varve.yaml
  $ mv 'migrations/V1__create users table.sql' 'migrations/V12__create users table.sql'
  $ varve check 2>&1
  varve.yaml:3:48: warning: file name 'V12__create users table.sql' does not start with its revision '1' [filename-mismatch]
  0 errors, 1 warning
