The server restarts under a run (SPEC §10: a lost connection mid-run
exits 3 with a clear message and leaves a consistent version table).
An administrator restarts it with `pg_ctl restart -m fast` while a
migration runs, or between a migration's last statement and its COMMIT;
or a migration crashes it and it restarts by itself. Each time the
migrations before are recorded, the interrupted one is neither recorded
nor half applied, and the next run finishes the work.

The test server's cluster is $PGHOST/data (pg.sh); pg_ctl is the one next
to the postgres binary that runs it, and runs as the cluster's owner. Its
new postmaster is pg_ctl's child, no longer the one pg.sh started, so the
file ends by stopping it.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ owner() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
  $ pgbin=$(dirname "$(sed 's/ .*//;q' "$PGHOST/data/postmaster.opts")")
  $ pgctl() { owner "$pgbin/pg_ctl" "$@" -s -w -D "$PGHOST/data" -l "$PGHOST/server.log"; }
  $ backend() {
  >   for i in $(seq 400); do
  >     psql -XAt -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'varve'
  >       AND pid <> pg_backend_pid() AND $1" | grep -q . && return 0
  >     sleep 0.05
  >   done; echo "varve's backend never matched: $1"; return 1
  > }
  $ gate() {
  >   psql -XAtq -c "SELECT pg_advisory_lock(4242), pg_sleep(60)" >/dev/null 2>&1 & holder=$!
  >   for i in $(seq 400); do
  >     [ "$(psql -XAt -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 1 ] && return 0
  >     sleep 0.05
  >   done; echo "the gate did not close"; return 1
  > }
  $ open_gate() {
  >   psql -XAtq -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
  >     WHERE application_name = 'psql' AND pid <> pg_backend_pid()" >/dev/null
  >   wait $holder; return 0 # psql exits 2: its session was terminated
  > }
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ for r in 1 2 4; do
  >   printf -- '-- upgrade --\nCREATE TABLE t%s (id int);\n-- downgrade --\nDROP TABLE t%s;\n' $r $r \
  >     > migrations/000$r.sql
  > done
  $ printf -- '-- upgrade --\nCREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n-- downgrade --\nDROP TABLE slow;\n' > migrations/0003.sql
  $ cat > varve.yaml <<'YAML'
  > varve: 1
  > migrations:
  >   - {revision: "0001", down_revision: null, file: 0001.sql}
  >   - {revision: "0002", down_revision: "0001", file: 0002.sql}
  >   - {revision: "0003", down_revision: "0002", description: slow, file: 0003.sql}
  >   - {revision: "0004", down_revision: "0003", file: 0004.sql}
  > YAML

## A restart while a migration runs

0003 creates a table and sleeps; the restart comes once its backend is in
pg_sleep. A fast shutdown terminates every session:

  $ varve upgrade > out 2> err & pid=$!
  $ backend "query LIKE '%pg_sleep%' AND state = 'active'"
  $ pgctl restart -m fast
  $ wait $pid; echo "exit $?"
  exit 3
  $ ms < out; cat err
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001        N ms
    ✓ 0002        N ms
    ✗ 0003  slow  N ms
  Applied 2 migrations in N ms; 2 not run
  varve: error: lost the connection to postgresql:///postgres while running '0003'; it was not committed: terminating connection due to administrator command
  $ state
  rows: 0001 applied, 0002 applied
  tables: t1 t2

The next run applies what is left; status shows everything applied:

  $ sed -i 's/pg_sleep(30)/pg_sleep(0)/' migrations/0003.sql
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0003  slow  N ms
    ✓ 0004        N ms
  Applied 2 migrations in N ms
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied
  tables: slow t1 t2 t4
  $ varve status --exit-code | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'
  Database  postgresql:///postgres
  Table     "varve_version"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    0001      applied  TIMESTAMP             
    0002      applied  TIMESTAMP             
    0003      applied  TIMESTAMP             slow
    0004      applied  TIMESTAMP             
  
  4 applied, 0 pending

## A restart between the last statement and the COMMIT

0005's last statement waits for an advisory lock that a psql session
holds. Once varve's backend waits for it, varve is stopped (SIGSTOP), the
lock is released and the statement finishes: the migration's SQL has
succeeded, its transaction is open and varve has not yet sent the record
and the COMMIT. Then the server restarts and varve continues. varve sent
its COMMIT before it read of the lost connection, so it cannot tell
whether the COMMIT arrived and says so; the version table tells.

  $ printf -- '-- upgrade --\nCREATE TABLE gated (id int);\nSELECT pg_advisory_xact_lock(4242);\n-- downgrade --\nDROP TABLE gated;\n' > migrations/0005.sql
  $ echo '  - {revision: "0005", down_revision: "0004", description: gated, file: 0005.sql}' >> varve.yaml
  $ gate
  $ varve upgrade > out 2> err & pid=$!
  $ backend "wait_event_type = 'Lock'"
  $ kill -STOP $pid
  $ open_gate
  $ backend "state = 'idle in transaction'"
  $ pgctl restart -m fast
  $ kill -CONT $pid; wait $pid; echo "exit $?"
  exit 3
  $ ms < out; cat err
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0005  gated  N ms
  Applied 0 migrations in N ms; 1 not run
  varve: error: lost the connection to postgresql:///postgres while committing '0005'; whether it was committed only 'varve status' can tell: server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request.
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied
  tables: slow t1 t2 t4
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0005  gated  N ms
  Applied 1 migration in N ms
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied, 0005 applied
  tables: gated slow t1 t2 t4

## transaction: false

A restart while a `transaction: false` migration runs: its statements
before the one under way stay done, so its row stays dirty and the next
run stops until `varve resolve`.

  $ printf 'CREATE TABLE nt (id int);\nSELECT pg_sleep(30);\nCREATE INDEX CONCURRENTLY nt_id ON nt (id);\n' > migrations/0006.sql
  $ echo '  - {revision: "0006", down_revision: "0005", transaction: false, up: 0006.sql}' >> varve.yaml
  $ varve upgrade > out 2> err & pid=$!
  $ backend "query LIKE '%pg_sleep%' AND state = 'active'"
  $ pgctl restart -m fast
  $ wait $pid; echo "exit $?"
  exit 3
  $ ms < out; cat err
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0006    N ms
  Applied 0 migrations in N ms; 1 not run
  varve: error: lost the connection to postgresql:///postgres while running '0006', which has 'transaction: false': the statements before stay done and it stays dirty; repair the database, then run 'varve resolve 0006 --applied' or '--rolled-back': terminating connection due to administrator command
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied, 0005 applied, 0006 dirty
  tables: gated nt slow t1 t2 t4
  $ varve upgrade
  ! varve: error: '0006' is dirty: a non-transactional migration failed part way; repair the database, then run 'varve resolve 0006 --applied' or '--rolled-back'
  [1]
  $ psql -XAt -c "DROP TABLE nt"
  DROP TABLE
  $ varve resolve 0006 --rolled-back
  Resolved 0006: recorded as rolled back
  $ sed -i 's/pg_sleep(30)/pg_sleep(0)/' migrations/0006.sql
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0006    N ms
  Applied 1 migration in N ms
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied, 0005 applied, 0006 applied
  tables: gated nt slow t1 t2 t4

The same restart after its last statement, before the row says applied:
every statement ran, the row is dirty, and the message says so.

  $ printf 'CREATE TABLE nt2 (id int);\nSELECT pg_advisory_xact_lock(4242);\n' > migrations/0007.sql
  $ echo '  - {revision: "0007", down_revision: "0006", transaction: false, up: 0007.sql}' >> varve.yaml
  $ gate
  $ varve upgrade > out 2> err & pid=$!
  $ backend "wait_event_type = 'Lock'"
  $ kill -STOP $pid
  $ open_gate
  $ backend "state = 'idle' AND query LIKE '%pg_advisory_xact_lock%'"
  $ pgctl restart -m fast
  $ kill -CONT $pid; wait $pid; echo "exit $?"
  exit 3
  $ ms < out; cat err
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0007    N ms
  Applied 0 migrations in N ms; 1 not run
  varve: error: lost the connection to postgresql:///postgres after every statement of '0007' ran, while recording it as applied ('transaction: false'); if 'varve status' shows it dirty, run 'varve resolve 0007 --applied': server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request.
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied, 0005 applied, 0006 applied, 0007 dirty
  tables: gated nt nt2 slow t1 t2 t4
  $ varve resolve 0007 --applied
  Resolved 0007: recorded as applied
  $ varve upgrade | ms
  Nothing to do: every migration up to the target is applied

## A migration that crashes the server

0009 kills its own backend (a superuser can run a program as the server's
user with COPY ... TO PROGRAM): the postmaster ends every session and
restarts, replaying the WAL. 0008 runs before it. The test server runs
with synchronous_commit off for speed, which can lose the last commits in
a crash; varve's session turns it on, as on a production server, so what
it committed before the crash stays.

  $ printf -- '-- upgrade --\nCREATE TABLE t8 (id int);\n-- downgrade --\nDROP TABLE t8;\n' > migrations/0008.sql
  $ cat > migrations/0009.sql <<'SQL'
  > -- upgrade --
  > CREATE TABLE crashed (id int);
  > COPY (SELECT 1) TO PROGRAM 'kill -9 $PPID';
  > -- downgrade --
  > DROP TABLE crashed;
  > SQL
  $ echo '  - {revision: "0008", down_revision: "0007", file: 0008.sql}' >> varve.yaml
  $ echo '  - {revision: "0009", down_revision: "0008", description: crash, file: 0009.sql}' >> varve.yaml
  $ up=$(grep -c 'ready to accept connections' "$PGHOST/server.log")
  $ PGOPTIONS='-c synchronous_commit=on' varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0008         N ms
    ✗ 0009  crash  N ms
  Applied 1 migration in N ms; 1 not run
  ! varve: error: lost the connection to postgresql:///postgres while running '0009'; it was not committed: server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request.
  [3]
  $ for i in $(seq 400); do
  >   [ "$(grep -c 'ready to accept connections' "$PGHOST/server.log")" -gt $up ] && pg_isready -q && break
  >   sleep 0.05
  > done; pg_isready -q
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied, 0005 applied, 0006 applied, 0007 applied, 0008 applied
  tables: gated nt nt2 slow t1 t2 t4 t8
  $ sed -i '/TO PROGRAM/d' migrations/0009.sql
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0009  crash  N ms
  Applied 1 migration in N ms
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied, 0005 applied, 0006 applied, 0007 applied, 0008 applied, 0009 applied
  tables: crashed gated nt nt2 slow t1 t2 t4 t8
  $ varve status --exit-code | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIMESTAMP           /'
  Database  postgresql:///postgres
  Table     "varve_version"
  
    REVISION  STATE    APPLIED AT            DESCRIPTION
    0001      applied  TIMESTAMP             
    0002      applied  TIMESTAMP             
    0003      applied  TIMESTAMP             slow
    0004      applied  TIMESTAMP             
    0005      applied  TIMESTAMP             gated
    0006      applied  TIMESTAMP             
    0007      applied  TIMESTAMP             
    0008      applied  TIMESTAMP             
    0009      applied  TIMESTAMP             crash
  
  9 applied, 0 pending

The server is pg_ctl's since the first restart: stop it.

  $ pgctl stop -m fast
