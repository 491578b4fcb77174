Locks. A migration blocked by another session's lock gives up after
database.lock_timeout and is retried (database.lock_retries) with backoff
until the other session lets go. A second runner waits for the advisory
lock up to --lock-wait seconds, then names the runner that holds it.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ locked() {
  >   for i in $(seq 200); do
  >     psql -XAt -c "SELECT 1 FROM pg_locks WHERE relation = 't'::regclass
  >       AND mode = 'AccessExclusiveLock' AND granted" | grep -q . && return 0
  >     sleep 0.05
  >   done; echo "the lock was never taken"; return 1
  > }
  $ hold() { PGAPPNAME=holder psql -Xq -c "BEGIN" -c "LOCK TABLE t IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(600)" -c "COMMIT" > /dev/null 2>&1 & holder=$!; locked; }
  $ release() { psql -XAtq -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'holder'" > /dev/null; wait $holder; }
  $ until_seen() {
  >   for i in $(seq 1200); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.05; done
  >   echo "never saw '$1' in $2"; return 1
  > }
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ psql -XAtq -c "CREATE TABLE t (id int)"
  $ echo 'ALTER TABLE t ADD COLUMN c int;' > migrations/0001.sql
  $ cat > varve.yaml <<'YAML'
  > varve: 1
  > database:
  >   lock_timeout: 200ms
  >   lock_retries: 10
  > migrations:
  >   - {revision: "0001", down_revision: null, description: add t.c, up: 0001.sql}
  > YAML

Another session holds an ACCESS EXCLUSIVE lock on t until varve has hit
lock_timeout once: varve retries, then succeeds once the lock goes. (The test
waits on what varve says, not on a clock, so a slow varve, under valgrind
say, sees the same.)

  $ hold
  $ varve upgrade > out 2> err & run=$!
  $ until_seen "hit lock_timeout" err && release
  $ wait $run; echo "exit $?"
  exit 0
  $ ms < out
  Upgrading postgresql:///postgres ("varve_version")
    ✓ 0001  add t.c  N ms
  Applied 1 migration in N ms
  $ sed -E 's/retry [0-9]+ in .*/retry N in T/' err | sort -u
  ! 0001 hit lock_timeout; retry N in T
  $ psql -XAt -c "SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position"
  id
  c
  $ psql -XAt -c "SELECT revision FROM varve_version"
  0001

With one retry only, a lock held longer fails the migration (SQLSTATE
55P03) and nothing is recorded.

  $ echo 'ALTER TABLE t ADD COLUMN d int;' > migrations/0002.sql
  $ sed -i 's/lock_retries: 10/lock_retries: 1/' varve.yaml
  $ echo '  - {revision: "0002", down_revision: "0001", description: add t.d, up: 0002.sql}' >> varve.yaml
  $ hold
  $ varve upgrade 2> err | ms
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0002  add t.d  N ms
  Applied 0 migrations in N ms; 1 not run
  [1]
  $ sed -E 's/retry [0-9]+ in .*/retry N in T/' err | sort -u
  ! 0002 hit lock_timeout; retry N in T
  migrations/0002.sql:1:1: error: canceling statement due to lock timeout [55P03]
  $ release
  $ psql -XAt -c "SELECT revision FROM varve_version"
  0001

The advisory lock: a runner sleeping in a migration holds it; a second one
gives up after --lock-wait 1 with exit 3 and names the holder.

  $ printf 'SELECT pg_sleep(30);\n' > migrations/0002.sql
  $ varve upgrade > out 2> err & first=$!
  $ for i in $(seq 1200); do psql -XAt -c "SELECT 1 FROM pg_stat_activity WHERE application_name = 'varve' AND query LIKE '%pg_sleep%'" | grep -q . && break; sleep 0.05; done
  $ varve --lock-wait 1 upgrade 2>&1 | sed -E 's/pid [0-9]+/pid PID/; s/connected [0-9]+s/connected Ns/'
  Upgrading postgresql:///postgres ("varve_version")
  varve: error: another runner holds the lock on "varve_version" after 1s of waiting: pid PID (application 'varve', active, connected Ns ago, last query: BEGIN; SET LOCAL lock_timeout = '200ms'; SELECT pg_sleep(30); )
  [3]
  $ varve --lock-wait 1 stamp head 2>&1 | sed -E 's/pid [0-9]+/pid PID/; s/connected [0-9]+s/connected Ns/'
  varve: error: another runner holds the lock on "varve_version" after 1s of waiting: pid PID (application 'varve', active, connected Ns ago, last query: BEGIN; SET LOCAL lock_timeout = '200ms'; SELECT pg_sleep(30); )
  [3]
  $ psql -XAt -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'varve'"
  t
  $ wait $first; echo "exit $?"
  exit 1
  $ ms < out; cat err
  Upgrading postgresql:///postgres ("varve_version")
    ✗ 0002  add t.d  N ms
  Applied 0 migrations in N ms; 1 not run
  migrations/0002.sql:1:1: error: canceling statement due to user request [57014]
  $ psql -XAt -c "SELECT revision FROM varve_version"
  0001
