Behind a connection pooler (issue 10 §3). varve's runner lock is a
session advisory lock: it keeps runners apart only if every statement of
the session runs on one server backend. PgBouncer in transaction or
statement pooling mode breaks that, so varve refuses, and says why; in
session mode it works as when connected directly.

The test starts Debian's pgbouncer (tools/dev installs it) on a unix
socket in a folder of its own under /tmp, with three pools on the test
server. As root it runs as the postgres user, which may use the test
server's socket (and not reach $TESTTMP).

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ pgb=$(mktemp -d /tmp/varve-pgbouncer.XXXXXX)
  $ as_owner() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
  $ [ "$(id -u)" = 0 ] && chown postgres "$pgb"; true
  $ cat > "$pgb/pgbouncer.ini" <<INI
  > [databases]
  > tx = host=$PGHOST port=$PGPORT dbname=postgres user=$PGUSER pool_mode=transaction
  > stmt = host=$PGHOST port=$PGPORT dbname=postgres user=$PGUSER pool_mode=statement
  > session = host=$PGHOST port=$PGPORT dbname=postgres user=$PGUSER pool_mode=session
  > [pgbouncer]
  > listen_addr =
  > listen_port = 6432
  > unix_socket_dir = $pgb
  > auth_type = trust
  > auth_file = $pgb/userlist.txt
  > logfile = $pgb/pgbouncer.log
  > INI
  $ echo "\"$PGUSER\" \"\"" > "$pgb/userlist.txt"
  $ as_owner /usr/sbin/pgbouncer -q "$pgb/pgbouncer.ini" & bouncer=$!
  $ trap 'kill $bouncer 2>/dev/null; wait $bouncer; rm -rf "$pgb"' EXIT
  $ for i in $(seq 100); do [ -S "$pgb/.s.PGSQL.6432" ] && break; sleep 0.05; done; [ -S "$pgb/.s.PGSQL.6432" ] || cat "$pgb/pgbouncer.log"
  $ psql -XAt -h "$pgb" -p 6432 -d session -c "SELECT 'through pgbouncer'"
  through pgbouncer
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf 'CREATE TABLE pooled (id int);\n' > migrations/0001.sql
  $ printf 'varve: 1\nmigrations:\n  - {revision: "0001", down_revision: null, file: 0001.sql}\n' > varve.yaml

Transaction pooling: refused before anything runs, exit 3.

  $ varve -q -d "host=$pgb port=6432 dbname=tx" upgrade 2>&1 | sed "s|$pgb|PGB|g"
  varve: error: host=PGB port=6432 dbname=tx goes through a connection pooler in transaction or statement pooling mode (another client connection was given this session's server backend): varve's session advisory lock would be taken and released on different server connections and could not keep two runners apart; connect to PostgreSQL directly, or through a pool in session mode
  [3]
  $ varve -q -d "host=$pgb port=6432 dbname=tx" stamp head 2>&1 | sed "s|$pgb|PGB|g" | cut -c1-110
  varve: error: host=PGB port=6432 dbname=tx goes through a connection pooler in transaction or statement poolin
  [3]

Statement pooling: the same.

  $ varve -q -d "host=$pgb port=6432 dbname=stmt" upgrade 2>&1 | sed "s|$pgb|PGB|g" | sed "s/: varve.s session.*//"
  varve: error: host=PGB port=6432 dbname=stmt goes through a connection pooler in transaction or statement pooling mode (a second connection cannot open a transaction (statement pooling?))
  [3]
  $ psql -XAt -c "SELECT to_regclass('varve_version') IS NULL, to_regclass('pooled') IS NULL"
  t|t

Reading needs no lock, so `status` works through any pool.

  $ varve -d "host=$pgb port=6432 dbname=tx" status --exit-code | tail -1
  0 applied, 1 pending
  [4]

Session pooling works.

  $ varve -q -d "host=$pgb port=6432 dbname=session" upgrade
  $ state
  rows: 0001 applied
  tables: pooled

Runners through the session pool still exclude each other: four at once,
each migration applied once.

  $ for i in 2 3 4; do printf 'CREATE TABLE pooled%s (id int);\nSELECT pg_sleep(0.1);\n' $i > migrations/000$i.sql; done
  $ printf '  - {revision: "0002", down_revision: "0001", file: 0002.sql}\n  - {revision: "0003", down_revision: "0002", file: 0003.sql}\n  - {revision: "0004", down_revision: "0003", file: 0004.sql}\n' >> varve.yaml
  $ pids=; for i in 1 2 3 4; do varve -q -d "host=$pgb port=6432 dbname=session" upgrade > out.$i 2>&1 & pids="$pids $!"; done
  $ fails=0; for p in $pids; do wait $p || fails=$((fails + 1)); done; echo "failed runs: $fails"; cat out.*
  failed runs: 0
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied
  tables: pooled pooled2 pooled3 pooled4

A fleet (docs/fleet.md) checks each target as a single run does: the
target behind the transaction pool is refused and reported, the one
behind the session pool runs.

  $ printf 'CREATE TABLE pooled5 (id int);\n' > migrations/0005.sql
  $ printf '  - {revision: "0005", down_revision: "0004", file: 0005.sql}\n' >> varve.yaml
  $ cat > fleet.yaml <<YAML
  > varve_fleet: 1
  > on_failure: continue
  > targets:
  >   - {url: "host=$pgb port=6432 dbname=tx", label: tx}
  >   - {url: "host=$pgb port=6432 dbname=session", label: session}
  > YAML
  $ varve upgrade --fleet fleet.yaml | sed -E "s|$pgb|PGB|g; s/ +[0-9.]+ m?s/ N ms/g; s/(transaction or statement pooling mode).*/\1 .../"; echo "exit ${PIPESTATUS[0]}"
  Upgrading 2 targets of fleet.yaml (concurrency 8, on_failure continue)
    TARGET   STATE        MIGRATIONS      TIME
    tx       unreachable         0/0 N ms  host=PGB port=6432 dbname=tx goes through a connection pooler in transaction or statement pooling mode ...
    session  done                1/1 N ms
  2 targets: 1 done, 1 unreachable in N ms
  exit 3
  $ state
  rows: 0001 applied, 0002 applied, 0003 applied, 0004 applied, 0005 applied
  tables: pooled pooled2 pooled3 pooled4 pooled5
