A runner killed, or its connection cut, in the middle of a long migration.
0002 creates a table and then sleeps; COMMIT is only sent after its SQL
succeeds, so neither kill -9 of varve nor a terminated backend leaves a
version row or a partial table behind.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ sleeping() {
  >   for i in $(seq 200); do
  >     psql -XAt -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'varve'
  >       AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()" | grep -q . && return 0
  >     sleep 0.05
  >   done; echo "varve never got to pg_sleep"; return 1
  > }
  $ gone() {
  >   for i in $(seq 200); do
  >     [ "$(psql -XAt -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'varve'")" = 0 ] && return 0
  >     sleep 0.05
  >   done; echo "varve's backend is still there"; return 1
  > }
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf -- '-- upgrade --\nCREATE TABLE t1 (id int);\n-- downgrade --\nDROP TABLE t1;\n' > migrations/0001.sql
  $ printf -- '-- upgrade --\nCREATE TABLE slow (id int);\nINSERT INTO slow VALUES (1);\nSELECT pg_sleep(30);\n-- downgrade --\nDROP TABLE slow;\n' > migrations/0002.sql
  $ printf -- '-- upgrade --\nCREATE TABLE t3 (id int);\n-- downgrade --\nDROP TABLE t3;\n' > migrations/0003.sql
  $ cat > varve.yaml <<'YAML'
  > varve: 1
  > migrations:
  >   - {revision: "0001", down_revision: null, file: 0001.sql}
  >   - {revision: "0002", down_revision: "0001", description: slow, file: 0002.sql}
  >   - {revision: "0003", down_revision: "0002", file: 0003.sql}
  > YAML

kill -9 of varve while 0002 sleeps. The server notices the dead client
(client_connection_check_interval) and rolls 0002 back.

  $ varve upgrade > out 2> err & pid=$!
  $ sleeping
  $ kill -9 $pid; wait $pid 2>/dev/null; echo "exit $?"
  exit 137
  $ gone
  $ state
  rows: 0001 applied
  tables: t1

The next run (with the sleep made short) applies it.

  $ sed -i 's/pg_sleep(30)/pg_sleep(0)/' migrations/0002.sql
  $ varve upgrade | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0002  slow  N ms
    ✓ 0003        N ms
  Applied 2 migrations in N ms
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied
  tables: slow t1 t3
  $ psql -XAt -c "SELECT count(*) FROM slow"
  1

The connection terminated by the server mid-run (pg_terminate_backend):
exit 3, a message that says what happened, and a consistent version table.

  $ varve downgrade 0001 | ms
  Downgrading postgresql:///postgres ("varve_version")
    ✓ 0003        N ms
    ✓ 0002  slow  N ms
  Rolled back 2 migrations in N ms
  $ sed -i 's/pg_sleep(0)/pg_sleep(30)/' migrations/0002.sql
  $ varve upgrade > out 2> err & pid=$!
  $ sleeping
  $ psql -XAt -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'varve'"
  t
  $ wait $pid; echo "exit $?"
  exit 3
  $ ms < out; cat err
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0002  slow  N ms
  Applied 0 migrations in N ms; 2 not run
  varve: error: lost the connection to postgresql:///postgres while running '0002'; it was not committed: terminating connection due to administrator command
  $ gone
  $ state
  rows: 0001 applied
  tables: t1
  $ sed -i 's/pg_sleep(30)/pg_sleep(0)/' migrations/0002.sql
  $ varve upgrade -q && state
  rows: 0001 applied, 0002 applied, 0003 applied
  tables: slow t1 t3

Terminated while a `transaction: false` migration runs: its row stays dirty
(it may have done part of its work), which the next run reports.

  $ printf 'CREATE TABLE nt (id int);\nSELECT pg_sleep(30);\nCREATE INDEX CONCURRENTLY nt_id ON nt (id);\n' > migrations/0004.sql
  $ echo '  - {revision: "0004", down_revision: "0003", transaction: false, up: 0004.sql}' >> varve.yaml
  $ varve upgrade > out 2> err & pid=$!
  $ sleeping
  $ psql -XAt -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'varve'"
  t
  $ wait $pid; echo "exit $?"
  exit 3
  $ ms < out; cat err
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0004    N ms
  Applied 0 migrations in N ms; 1 not run
  varve: error: lost the connection to postgresql:///postgres while running '0004', which has 'transaction: false': the statements before stay done and it stays dirty; repair the database, then run 'varve resolve 0004 --applied' or '--rolled-back': terminating connection due to administrator command
  $ gone
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 dirty
  tables: nt slow t1 t3
  $ varve upgrade
  ! varve: error: '0004' is dirty: a non-transactional migration failed part way; repair the database, then run 'varve resolve 0004 --applied' or '--rolled-back'
  [1]
  $ psql -XAt -c "DROP TABLE nt"
  DROP TABLE
  $ varve resolve 0004 --rolled-back
  Resolved 0004: recorded as rolled back
  $ sed -i 's/pg_sleep(30)/pg_sleep(0)/' migrations/0004.sql
  $ varve upgrade -q && state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied
  tables: nt slow t1 t3
