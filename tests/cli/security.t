Security: what a hostile manifest, a hostile environment or a planted file
can and cannot do. Each part names the other tests that cover it too (the
README's "Security" section lists them all).

  $ source "$ROOT/tests/cli/pg.sh"
  $ cd "$TESTTMP"
  $ psql -XAtqc "CREATE TABLE x ()"

1. Identifiers and values in SQL
--------------------------------

The version table must be `[schema.]table` of plain identifiers: a name
that would need quoting is refused before anything connects (the library,
which takes any name, quotes it everywhere: tests/unit/test_db.c).

  $ mkdir -p ident/migrations && cd ident
  $ printf -- '-- upgrade --\nCREATE TABLE t (id int);\n-- downgrade --\nDROP TABLE t;\n' > migrations/0001_t.sql
  $ printf 'varve: 1\nversion_table: va"rve; drop table x; --\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_t.sql\n' > hostile.yaml
  $ varve -f hostile.yaml check
  ! hostile.yaml:2:16: error: invalid 'version_table' 'va"rve; drop table x; --' (expected [schema.]table, each part a letter or '_' then letters, digits, '_' or '$', at most 63 characters) [manifest-schema]
  ! 1 error, 0 warnings
  [1]
  $ varve -f hostile.yaml upgrade
  ! hostile.yaml:2:16: error: invalid 'version_table' 'va"rve; drop table x; --' (expected [schema.]table, each part a letter or '_' then letters, digits, '_' or '$', at most 63 characters) [manifest-schema]
  [1]

The timeouts are SET with their value in the text, so only digits and a
unit pass:

  $ printf 'varve: 1\ndatabase:\n  lock_timeout: "5s'"'"'; drop table x; --"\n  statement_timeout: 1min; drop\nmigrations: []\n' > timeout.yaml
  $ varve -f timeout.yaml check
  ! migrations/0001_t.sql: warning: no entry of 'timeout.yaml' lists this file [unlisted-file]
  ! timeout.yaml:3:17: error: invalid 'database.lock_timeout' '5s'; drop table x; --' (expected digits and an optional unit ms, s, min, h or d, e.g. "5s") [manifest-schema]
  ! timeout.yaml:4:22: error: invalid 'database.statement_timeout' '1min; drop' (expected digits and an optional unit ms, s, min, h or d, e.g. "5s") [manifest-schema]
  ! 2 errors, 1 warning
  [1]

A schema-qualified name in mixed case, with '$', is quoted: the table has
exactly that name, and upgrade, status and downgrade find it. The
description carries a quote, a backslash and line breaks, one before a
psql meta-command; it travels as a parameter. Where varve prints it
(status, history, heads, the progress lines, diagnostics) control
characters become spaces: a manifest cannot forge output lines, escape
sequences or CI workflow commands.

  $ cat > varve.yaml <<'EOF'
  > varve: 1
  > version_table: Ops$Q.Varve_Ver
  > database:
  >   lock_timeout: 5s
  > migrations:
  >   - revision: "0001"
  >     down_revision: null
  >     description: "it's \\ odd\nDROP TABLE x;\n\\! touch pwned\r\nDROP TABLE x;\e[2J"
  >     file: 0001_t.sql
  > EOF
  $ varve -q upgrade
  $ psql -XAtc "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname ILIKE 'varve_ver%' AND c.relkind = 'r'"
  Ops$Q.Varve_Ver
  $ varve status | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'
  Database  postgresql:///postgres
  Table     "Ops$Q"."Varve_Ver"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    0001      applied  TIMESTAMP             it's \ odd DROP TABLE x; \! touch pwned  DROP TABLE x; [2J
  
  1 applied, 0 pending
  $ cat > same.sql <<'EOF'
  > SELECT description = E'it''s \\ odd\nDROP TABLE x;\n\\! touch pwned\r\nDROP TABLE x;\x1b[2J' FROM :"schema"."Varve_Ver";
  > EOF
  $ psql -XAt -v schema='Ops$Q' -f same.sql
  t
  $ varve -q downgrade base
  $ psql -XAtc 'SELECT count(*) FROM "Ops$Q"."Varve_Ver"'
  0
  $ varve -q stamp head && varve check --database
  ✓ manifest and database agree
  $ varve -q stamp base && varve current
  (nothing applied)

`--sql` writes the same bookkeeping as a script: the description's line
breaks do not end its comment line, and its literal is E'' with the
backslash doubled, so psql runs no meta-command and the text reads the same
whether standard_conforming_strings is on or off.

  $ sed -i 's/Ops\$Q\.Varve_Ver/Ops$R.Varve_Ver/' varve.yaml
  $ varve upgrade --sql > up.sql
  $ grep -n 'apply\|INSERT\|SET LOCAL' up.sql
  17:-- apply 0001: it's \ odd DROP TABLE x; \! touch pwned  DROP TABLE x; [2J
  19:SET LOCAL lock_timeout = '5s';
  26:INSERT INTO "Ops$R"."Varve_Ver" (revision, description, checksum) VALUES ('0001', E'it''s \\ odd
  $ PGOPTIONS='-c standard_conforming_strings=off' psql -Xq -v ON_ERROR_STOP=1 -f up.sql
  $ test ! -e pwned
  $ psql -XAt -v schema='Ops$R' -f same.sql
  t
  $ varve downgrade --sql base > down.sql
  $ psql -Xq -v ON_ERROR_STOP=1 -f down.sql
  $ psql -XAtc 'SELECT count(*) FROM "Ops$R"."Varve_Ver"'
  0

The server's message in a failure is printed the same way: a RAISE with a
line break, a workflow command and an escape stays on its one line.

  $ cat > migrations/0002_raise.sql <<'EOF'
  > DO $$ BEGIN RAISE EXCEPTION E'one\n::error::two\x1b[2J'; END $$;
  > EOF
  $ echo '  - {revision: "0002", down_revision: "0001", description: raise, file: 0002_raise.sql}' >> varve.yaml
  $ varve -q upgrade 2>&1 >/dev/null | cat -v
  migrations/0002_raise.sql:1:1: error: one ::error::two [2J [P0001]
  $ sed -i '$d' varve.yaml

Table x survived all of it:

  $ psql -XAtc "SELECT count(*) FROM pg_class WHERE relname = 'x'"
  1
  $ cd "$TESTTMP"

2. Passwords are never printed
------------------------------

libpq's own messages, for a URI, key=value, a query parameter, a
percent-encoded password, a string libpq cannot parse (its quote left
open before the password), and passwords holding '?' or '/' unencoded
(libpq reads a piece of the latter as the port, and echoes it; an '@' is
in tests/unit/test_pg.c, since libpq would look its piece up as a host):

  $ mkdir -p pw/migrations && cd pw
  $ printf -- '-- upgrade --\nCREATE TABLE pw_t (id int);\n-- downgrade --\nDROP TABLE pw_t;\n' > migrations/0001_t.sql
  $ printf 'varve: 1\nversion_table: pw_version\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_t.sql\n' > varve.yaml
  $ for url in 'postgresql://u:s3cretpw@127.0.0.1:1/db' \
  >     'password=s3cretpw host=127.0.0.1 port=1 dbname=db' \
  >     "host=127.0.0.1 port=1 password='s3cretpw'" \
  >     'postgresql://u@127.0.0.1:1/db?password=s3cretpw' \
  >     'postgresql://u:s3cr%65tpw@127.0.0.1:1/db' \
  >     'postgresql://u:s3cretpw?x@127.0.0.1:1/db' \
  >     'postgresql://u:s3cretpw/x@127.0.0.1:1/db' \
  >     'POSTGRESQL://u:s3cretpw@127.0.0.1:1/db' \
  >     "host='127.0.0.1 password=s3cretpw" \
  >     'postgresql://u:s3cretpw@127.0.0.1:1/db?sslmode=bogus'; do
  >   varve -d "$url" status 2>&1 | grep -c s3cretpw
  > done
  0
  0
  0
  0
  0
  0
  0
  0
  0
  0
  [1]
  $ varve -d 'postgresql://u:s3cretpw@127.0.0.1:1/db' status
  ! varve: error: cannot connect to 'postgresql://u:***@127.0.0.1:1/db': connection to server at "127.0.0.1", port 1 failed: Connection refused Is the server running on that host and accepting TCP/IP connections?
  [3]

The same through VARVE_DATABASE_URL, DATABASE_URL, the manifest's url and
PGPASSWORD, for every command that connects and every format:

  $ printf 'database:\n  url: postgresql://u:s3cretpw@127.0.0.1:1/db\n' >> varve.yaml
  $ for cmd in status 'status --format json' 'upgrade --dry-run' upgrade 'downgrade --sql base' \
  >     'check --database' 'check --database --format json' 'history --applied' current \
  >     'stamp head' 'resolve 0001 --applied' 'fix --database --yes'; do
  >   env -u DATABASE_URL varve $cmd 2>&1 | grep -c s3cretpw
  >   VARVE_DATABASE_URL=postgresql://u:s3cretpw@127.0.0.1:1/db varve $cmd 2>&1 | grep -c s3cretpw
  >   DATABASE_URL='host=127.0.0.1 port=1 password=s3cretpw' varve $cmd 2>&1 | grep -c s3cretpw
  >   PGPASSWORD=s3cretpw varve -d dbname=s3cretpw $cmd 2>&1 | grep -c s3cretpw
  > done | sort | uniq -c
       48 0

A real server that asks for a password: a wrong one fails, the right one
connects, and neither shows, whatever the command prints:

  $ psql -XAtqc "SET password_encryption = 'scram-sha-256'; CREATE ROLE pwuser LOGIN SUPERUSER PASSWORD 's3cretpw'"
  $ hba=$(psql -XAtc 'SHOW hba_file') && { printf 'local all pwuser scram-sha-256\n'; cat "$hba"; } > hba.new && cat hba.new > "$hba"
  $ psql -XAtc 'SELECT pg_reload_conf()'
  t
  $ for i in $(seq 100); do psql -XAtw -U pwuser -c 'SELECT 1' >/dev/null 2>&1 || break; sleep 0.1; done
  $ varve -d 'postgresql://pwuser:wr0ngpw@/postgres' status 2>&1 | sed "s|$PGHOST|\$PGHOST|"
  varve: error: cannot connect to 'postgresql://pwuser:***@/postgres': connection to server on socket "$PGHOST/.s.PGSQL.5432" failed: FATAL:  password authentication failed for user "pwuser"
  $ for cmd in status 'status --format json' 'upgrade --dry-run' upgrade 'history --applied' \
  >     'check --database' 'downgrade --sql base' 'downgrade base'; do
  >   varve -d 'postgresql://pwuser:s3cretpw@/postgres' $cmd 2>&1 | grep -c 's3cretpw\|wr0ngpw'
  >   varve -d 'host=/nonexistent user=pwuser password=wr0ngpw' $cmd 2>&1 | grep -c 's3cretpw\|wr0ngpw'
  > done | sort | uniq -c
       16 0
  $ varve -d 'postgresql://pwuser:s3cretpw@/postgres' status --format json | python3 -c "import json,sys; print(json.load(sys.stdin)['database'])"
  postgresql://pwuser:***@/postgres

URLs libpq does not read as URIs. SQLAlchemy's `postgresql+DRIVER://`
(a DATABASE_URL shared with a Python application) loses its driver and
connects, through -d, both variables and database.url; other schemes are
refused, masked:

  $ url="postgresql+psycopg2://pwuser:s3cretpw@/postgres?host=$PGHOST"
  $ varve -d "$url" status | head -1 | sed "s|$PGHOST|\$PGHOST|"
  Database  postgresql://pwuser:***@/postgres?host=$PGHOST
  $ VARVE_DATABASE_URL="$url" varve -q upgrade && DATABASE_URL="$url" varve -q downgrade base
  $ printf 'database:\n  url: %s\n' "$url" > url.yaml && sed '/^database:/,$d' varve.yaml >> url.yaml
  $ env -u DATABASE_URL varve -f url.yaml current
  (nothing applied)
  $ for url in 'postgress://u:s3cretpw@h/db' 'pg://u:s3cretpw@h/db' 'mysql+pymysql://u:s3cretpw@h/db'; do
  >   varve -d "$url" status 2>&1; VARVE_DATABASE_URL="$url" varve status 2>&1 | grep -c s3cretpw
  > done
  varve: error: invalid connection string 'postgress://u:***@h/db': unknown scheme 'postgress' (use postgresql:// or postgres://)
  0
  varve: error: invalid connection string 'pg://u:***@h/db': unknown scheme 'pg' (use postgresql:// or postgres://)
  0
  varve: error: invalid connection string 'mysql+pymysql://u:***@h/db': unknown scheme 'mysql+pymysql' (use postgresql:// or postgres://)
  0
  [1]

Not URIs at all: one slash, or no scheme. libpq takes them for a database
name, and the server says it does not exist, masked:

  $ varve -d 'postgresql:/u:s3cretpw@h/db' status 2>&1 | sed "s|$PGHOST|\$PGHOST|"
  varve: error: cannot connect to 'dbname='postgresql:/u:***@h/db'': connection to server on socket "$PGHOST/.s.PGSQL.5432" failed: FATAL:  database "postgresql:/u:***@h/db" does not exist
  $ DATABASE_URL='u:s3cretpw@h/db' varve status 2>&1 | sed "s|$PGHOST|\$PGHOST|"
  varve: error: cannot connect to 'dbname='u:***@h/db'': connection to server on socket "$PGHOST/.s.PGSQL.5432" failed: FATAL:  database "u:***@h/db" does not exist

A password equal to another field's value does not show there:

  $ varve -d "postgresql://pwuser:s3cretpw@/postgres?application_name=s3cretpw" status | head -1
  Database  postgresql://pwuser:***@/postgres?application_name=***

`check --database URL` and `check --database=URL` (the SPEC's form) take
the URL:

  $ varve check --database "postgresql://pwuser:s3cretpw@/postgres"
  ✓ manifest and database agree
  $ varve check --database=postgresql://u:s3cretpw@127.0.0.1:1/db
  ! varve: error: cannot connect to 'postgresql://u:***@127.0.0.1:1/db': connection to server at "127.0.0.1", port 1 failed: Connection refused Is the server running on that host and accepting TCP/IP connections?
  [3]

Every message varve can print that echoes its input, with a password in
that input: the formats come from the sources (each one either shown here
with the password masked, or exempt with the reason it cannot hold one):

  $ python3 "$ROOT/tests/cli/secrets.py" "$ROOT" | tail -1
  114 formats, 65 cases, 0 failed
  $ cd "$TESTTMP"

3. Temporary files and folders
------------------------------

`varve new` creates its SQL file with O_EXCL: a symlink planted at the name
it will take is refused, and nothing is written through it. (The manifest
is rewritten through a temporary file in its folder, also O_EXCL, whose
name is predictable; tests/unit/test_rewrite.c plants symlinks there. The
--scratch folder is 0700: tests/unit/test_scratch.c.)

  $ mkdir -p tmpf/migrations && cd tmpf
  $ printf 'precious\n' > ../target
  $ printf 'varve: 1\nnaming: sequential\nmigrations: []\n' > varve.yaml
  $ ln -s ../../target migrations/0001_add_x.sql
  $ varve new -m "add x"
  ! varve: error: 'migrations/0001_add_x.sql' already exists
  [1]
  $ cat ../target varve.yaml
  precious
  varve: 1
  naming: sequential
  migrations: []
  $ cd "$TESTTMP"

4. Paths stay inside the project
--------------------------------

tests/cli/hostile.t covers `..`, an absolute file and a symlinked file or
folder under the directory for check. Here: the directory itself symlinked
outside or absolute, the default directory symlinked outside, a file that
is a symlink to /etc/passwd, a file in a subfolder that is a symlink out,
an absolute `down`; for every command that reads the files. Nothing behind
them is read: no finding quotes their content, no name of theirs is shown.

  $ mkdir -p paths/outside paths/proj/migrations/sub && cd paths/proj
  $ printf 'outside_secret_token\n' > ../outside/0001_o.sql
  $ ln -s /etc/passwd migrations/0001_passwd.sql
  $ ln -s "$TESTTMP/paths/outside/0001_o.sql" migrations/sub/0002_o.sql
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_passwd.sql\n  - revision: "0002"\n    down_revision: "0001"\n    up: sub/0002_o.sql\n    down: /etc/passwd\n' > varve.yaml
  $ varve check
  ! migrations/0001_passwd.sql: warning: no entry of 'varve.yaml' lists this file [unlisted-file]
  ! migrations/sub/0002_o.sql: warning: no entry of 'varve.yaml' lists this file [unlisted-file]
  ! varve.yaml:5:11: error: file '0001_passwd.sql' is outside the project: symlink leads outside the project [file-outside-project]
  ! varve.yaml:8:9: error: file 'sub/0002_o.sql' is outside the project: symlink leads outside the project [file-outside-project]
  ! varve.yaml:9:11: error: file '/etc/passwd' is outside the project: absolute path [file-outside-project]
  ! 3 errors, 2 warnings
  [1]
  $ for cmd in upgrade 'upgrade --sql' 'upgrade --dry-run' 'downgrade --sql base' hash 'fix --yes' 'stamp head'; do
  >   echo "$cmd: $(varve $cmd 2>&1 | grep -c 'root:\|outside_secret')"; varve $cmd 2>&1 | tail -1
  > done
  upgrade: 0
  varve.yaml:9:11: error: file '/etc/passwd' is outside the project: absolute path [file-outside-project]
  upgrade --sql: 0
  varve.yaml:9:11: error: file '/etc/passwd' is outside the project: absolute path [file-outside-project]
  upgrade --dry-run: 0
  varve.yaml:9:11: error: file '/etc/passwd' is outside the project: absolute path [file-outside-project]
  downgrade --sql base: 0
  varve.yaml:9:11: error: file '/etc/passwd' is outside the project: absolute path [file-outside-project]
  hash: 0
  varve: error: cannot edit 'varve.yaml': it has 3 errors (see 'varve check')
  fix --yes: 0
  varve: error: cannot edit 'varve.yaml': it has 3 errors (see 'varve check')
  stamp head: 0
  varve.yaml:9:11: error: file '/etc/passwd' is outside the project: absolute path [file-outside-project]

The directory itself: symlinked outside, absolute, or `..`; and the default
`migrations` symlinked outside. The files it would hold are neither read
nor listed:

  $ ln -s ../outside linked
  $ printf 'varve: 1\ndirectory: linked\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_o.sql\n' > linked.yaml
  $ printf 'varve: 1\ndirectory: %s\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_o.sql\n' "$TESTTMP/paths/outside" > absolute.yaml
  $ for f in linked absolute; do varve -f $f.yaml check 2>&1 | sed "s|$TESTTMP|\$TESTTMP|"; varve -f $f.yaml upgrade --sql 2>&1 | grep -c outside_secret; done
  linked.yaml:2:12: error: directory 'linked' is outside the project: symlink leads outside the project [file-outside-project]
  1 error, 0 warnings
  0
  absolute.yaml:2:12: error: directory '$TESTTMP/paths/outside' is outside the project: absolute path [file-outside-project]
  1 error, 0 warnings
  0
  [1]
  $ mkdir -p ../default && cd ../default && ln -s ../outside migrations
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_o.sql\n' > varve.yaml
  $ varve check
  ! varve.yaml:1:1: error: directory 'migrations' is outside the project: symlink leads outside the project [file-outside-project]
  ! 1 error, 0 warnings
  [1]
  $ varve new -m "y"
  ! varve.yaml:1:1: error: directory 'migrations' is outside the project: symlink leads outside the project [file-outside-project]
  ! varve: error: cannot edit 'varve.yaml': it has 1 error (see 'varve check')
  [1]
  $ ls ../outside
  0001_o.sql

A FIFO where a migration's file should be is refused, not waited on:

  $ mkdir -p ../fifo/migrations && cd ../fifo && mkfifo migrations/0001_f.sql
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_f.sql\n' > varve.yaml
  $ timeout 20 varve check
  ! varve.yaml:5:11: error: cannot read 'migrations/0001_f.sql' of '0001': not a regular file [missing-file]
  ! 1 error, 0 warnings
  [1]

And a FIFO given as the manifest: open() does not wait for a writer.

  $ mkfifo f.yaml
  $ for cmd in check status upgrade hash 'new -m x' fix; do timeout 20 varve -f f.yaml $cmd; echo "exit $?"; done 2>&1
  varve: error: cannot open 'f.yaml': not a regular file
  exit 2
  varve: error: cannot open 'f.yaml': not a regular file
  exit 2
  varve: error: cannot open 'f.yaml': not a regular file
  exit 2
  varve: error: cannot open 'f.yaml': not a regular file
  exit 2
  varve: error: cannot open 'f.yaml': not a regular file
  exit 2
  varve: error: cannot open 'f.yaml': not a regular file
  exit 2
  $ cd "$TESTTMP"

5. Variables expand only in database.url
----------------------------------------

`${HOME}` and `$HOME` stay as written in every other key (and are then
what they are: a folder, a file, an invalid table name, a description):

  $ mkdir -p env/migrations && cd env
  $ printf 'SELECT 1;\n' > migrations/0001_a.sql
  $ printf 'varve: 1\ndirectory: ${HOME}\nversion_table: ${HOME}\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    description: ${HOME} and $HOME\n    file: $HOME/0001_a.sql\n' > literal.yaml
  $ varve -f literal.yaml check
  ! literal.yaml:3:16: error: invalid 'version_table' '${HOME}' (expected [schema.]table, each part a letter or '_' then letters, digits, '_' or '$', at most 63 characters) [manifest-schema]
  ! literal.yaml:8:11: error: cannot read '${HOME}/$HOME/0001_a.sql' of '0001': no such file [missing-file]
  ! 2 errors, 0 warnings
  [1]
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    description: ${HOME} and $HOME\n    file: 0001_a.sql\n' > varve.yaml
  $ varve history
  <base> -> 0001 (head), ${HOME} and $HOME

In database.url, `${VAR}` and `${VAR:-default}` expand and `$VAR` does not
(a password may hold a '$'):

  $ printf 'database:\n  url: postgresql://127.0.0.1:1/${VARVE_SEC_DB}_$HOME_${VARVE_SEC_UNSET:-dflt}\n' >> varve.yaml
  $ VARVE_SEC_DB=shop env -u DATABASE_URL varve status
  ! varve: error: cannot connect to 'postgresql://127.0.0.1:1/shop_$HOME_dflt': connection to server at "127.0.0.1", port 1 failed: Connection refused Is the server running on that host and accepting TCP/IP connections?
  [3]

A variable that is unset, with no default, would leave a hole that libpq
fills with its defaults: it is an error at the url, as soon as the url is
about to be used, and only then (an offline check needs no database
variables):

  $ env -u VARVE_SEC_DB -u DATABASE_URL varve status
  ! varve.yaml:8:8: error: 'database.url' uses ${VARVE_SEC_DB}, which is not set; set it, or give a default: ${VARVE_SEC_DB:-...} [unset-variable]
  [1]
  $ env -u VARVE_SEC_DB -u DATABASE_URL varve check --database
  ! varve.yaml:8:8: error: 'database.url' uses ${VARVE_SEC_DB}, which is not set; set it, or give a default: ${VARVE_SEC_DB:-...} [unset-variable]
  [1]
  $ env -u VARVE_SEC_DB -u DATABASE_URL varve check
  ! varve.yaml:3:15: warning: '0001' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! 0 errors, 1 warning
  $ env -u VARVE_SEC_DB varve status --exit-code > /dev/null
  [4]
  $ cd "$TESTTMP"

6. Resource limits
------------------

A manifest over 256 MiB (a sparse file: nothing is read), a value or
comment over 16 MiB (libyaml would hold it whole), and a SQL file over
16 MiB (sparse too). 10 MB scalars and 10,000-deep nesting are in
tests/cli/hostile.t, thousands of entries in tests/cli/large.t.

  $ mkdir -p limits/migrations && cd limits
  $ truncate -s 300M big.yaml
  $ varve -f big.yaml check
  ! big.yaml:1:1: error: the manifest is larger than 256 MiB [manifest-schema]
  ! 1 error, 0 warnings
  [1]
  $ python3 -c "print('varve: 1\nmigrations: []\n# ' + 'a' * (17 << 20))" > token.yaml
  $ varve -f token.yaml check
  ! token.yaml:2:15: error: a value or comment longer than 16 MiB follows [manifest-schema]
  ! 1 error, 0 warnings
  [1]
  $ truncate -s 17M migrations/0001_big.sql
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_big.sql\n' > varve.yaml
  $ varve check
  ! varve.yaml:5:11: error: 'migrations/0001_big.sql' of '0001' is larger than 16 MiB [file-too-large]
  ! 1 error, 0 warnings
  [1]
  $ varve upgrade --sql
  ! varve: error: '0001' is refused, nothing ran: varve.yaml:5:11: 'migrations/0001_big.sql' of '0001' is larger than 16 MiB [file-too-large]
  [1]
  $ varve hash
  ! varve: error: 'migrations/0001_big.sql' is larger than 16 MiB
  [1]
