Ctrl-C (SIGINT) or SIGTERM during an upgrade: the statement under way is
cancelled, the server rolls its migration back, no further migration
starts, and the lock goes with the session. Exit 128 + the signal.

  $ source "$ROOT/tests/cli/pg.sh"
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n-- downgrade --\nDROP TABLE a;\n' > migrations/0001_a.sql
  $ printf -- '-- upgrade --\nCREATE TABLE b (id int);\nSELECT pg_sleep(30);\n-- downgrade --\nDROP TABLE b;\n' > migrations/0002_b.sql
  $ printf -- '-- upgrade --\nCREATE TABLE c (id int);\n-- downgrade --\nDROP TABLE c;\n' > migrations/0003_c.sql
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_a.sql\n  - revision: "0002"\n    down_revision: "0001"\n    file: 0002_b.sql\n  - revision: "0003"\n    down_revision: "0002"\n    file: 0003_c.sql\n' > varve.yaml
  $ sleeping() { for i in $(seq 100); do [ "$(psql -XAtc "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND application_name = 'varve'")" = 1 ] && return 0; sleep 0.1; done; return 1; }

SIGINT, as Ctrl-C sends it:

  $ varve upgrade > out.txt 2>&1 & pid=$!
  $ sleeping && kill -INT $pid; wait $pid; echo "exit $?"
  exit 130
  $ sed -E 's/[0-9]+(\.[0-9])? (ms|s)\b/N ms/g' out.txt
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001    N ms
    ✗ 0002    N ms
  varve: error: interrupted: '0002' was rolled back
  Applied 1 migration in N ms; 2 not run
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  $ psql -XAtc "SELECT count(*) FROM pg_tables WHERE tablename = 'b'"
  0
  $ psql -XAtc "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
  0

SIGTERM, as a deploy tool sends it:

  $ varve upgrade > out.txt 2>&1 & pid=$!
  $ sleeping && kill -TERM $pid; wait $pid; echo "exit $?"
  exit 143
  $ grep interrupted out.txt
  varve: error: interrupted: '0002' was rolled back
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001

The next run takes the lock at once and applies what is left:

  $ sed -i 's/pg_sleep(30)/pg_sleep(0)/' migrations/0002_b.sql
  $ varve --lock-wait 0 upgrade | sed -E 's/[0-9]+(\.[0-9])? (ms|s)\b/N ms/g'
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0002    N ms
    ✓ 0003    N ms
  Applied 2 migrations in N ms

A backend that does not answer (stopped with SIGSTOP): a single SIGTERM
cancels, waits 5 s for the server, then closes the connection and exits
143 all the same, instead of waiting for the backend.

  $ psql -qXc "DROP TABLE b, c" -c "DELETE FROM varve_version WHERE revision <> '0001'"
  $ sed -i 's/pg_sleep(0)/pg_sleep(30)/' migrations/0002_b.sql
  $ varve upgrade > out.txt 2>&1 & pid=$!
  $ sleeping && backend=$(psql -XAtc "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND application_name = 'varve'")
  $ kill -STOP $backend && start=$(date +%s) && kill -TERM $pid; wait $pid; echo "exit $?"
  exit 143
  $ took=$(( $(date +%s) - start )); [ $took -ge 4 ] && [ $took -le 9 ] && echo "gave up after about 5 s" || echo "took $took s"
  gave up after about 5 s
  $ kill -CONT $backend
  $ sed -E 's/[0-9]+(\.[0-9])? (ms|s)\b/N ms/g' out.txt
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0002    N ms
  varve: error: interrupted, and the server did not answer the cancel request, so the connection was closed: lost the connection to postgresql:///postgres while running '0002'; it was not committed: server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request.
  Applied 0 migrations in N ms; 2 not run

The backend, running again, finds its client gone and rolls back:

  $ for i in $(seq 100); do [ "$(psql -XAtc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'varve'")" = 0 ] && break; sleep 0.1; done
  $ psql -XAtc "SELECT revision FROM varve_version ORDER BY seq"
  0001
  $ psql -XAtc "SELECT count(*) FROM pg_tables WHERE tablename = 'b'"
  0
