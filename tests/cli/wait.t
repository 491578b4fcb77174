`varve wait` polls until the database accepts connections (for CI
containers and compose files), and exits 3 when it does not in time.

A server that does not exist yet: the wait starts first, the server only
2 s later (the scratch server of the other tests, whose socket folder
appears as "$TESTTMP/s" once it is up). The wait ends when it is up:

  $ mkfifo "$TESTTMP/hold" && exec 9<> "$TESTTMP/hold"
  $ (sleep 2; "$VARVE_TESTPG" < "$TESTTMP/hold" | { read -r line; echo "$line" > "$TESTTMP/env"; eval "$line"; ln -s "$PGHOST" "$TESTTMP/s"; cat > /dev/null; }) 9>&- > /dev/null 2>&1 &
  $ test -e "$TESTTMP/env" || echo "no server yet"
  no server yet
  $ varve wait --timeout 60s -d "host=$TESTTMP/s dbname=postgres user=varve" | sed -E 's/[0-9]+\.[0-9] s/N s/; s#'"$TESTTMP"'#$TESTTMP#'
  ✓ host=$TESTTMP/s dbname=postgres user=varve accepts connections (waited N s)
  $ test -e "$TESTTMP/env" && psql -XAtc 'SELECT 1' -h "$TESTTMP/s" -U varve postgres
  1

It waited for the server, not for nothing (2 s at least):

  $ varve wait -d "host=$TESTTMP/s dbname=postgres user=varve" | sed -E 's/[0-9]+\.[0-9] s/N s/; s#'"$TESTTMP"'#$TESTTMP#'
  ✓ host=$TESTTMP/s dbname=postgres user=varve accepts connections (waited N s)

The server is up, but it does not let varve in (no such database): said
at once, not after the timeout:

  $ varve wait --timeout 30 -d "host=$TESTTMP/s dbname=nosuch user=varve" 2>&1 | sed -e 's#'"$TESTTMP"'#$TESTTMP#g'
  varve: error: cannot connect to 'host=$TESTTMP/s dbname=nosuch user=varve': connection to server on socket "$TESTTMP/s/.s.PGSQL.5432" failed: FATAL:  database "nosuch" does not exist

A server that is starting up answers every connection with "the database
system is starting up" (SQLSTATE 57P03; tests/cli/startingup.py plays
one): not ready yet, as pg_isready says. The wait goes on until a server
that accepts connections is there (the socket folder "$TESTTMP/u" moves
from the starting one to the running one 2 s later):

  $ mkdir "$TESTTMP/starting" && (python3 "$ROOT/tests/cli/startingup.py" "$TESTTMP/starting/.s.PGSQL.5432" 20 9>&- > "$TESTTMP/turned-away" 2>&1 &)
  $ for i in $(seq 50); do test -S "$TESTTMP/starting/.s.PGSQL.5432" && break; sleep 0.1; done
  $ pg_isready -h "$TESTTMP/starting" | sed -e 's#'"$TESTTMP"'#$TESTTMP#'
  $TESTTMP/starting:5432 - rejecting connections
  $ varve wait --timeout 1 -d "host=$TESTTMP/starting"  2>&1 | sed -e 's#'"$TESTTMP"'#$TESTTMP#g'
  varve: error: host=$TESTTMP/starting did not accept connections within 1s: the server is starting up, shutting down or in recovery
  $ before=$(wc -l < "$TESTTMP/turned-away")
  $ ln -s "$TESTTMP/starting" "$TESTTMP/u" && (sleep 2; ln -sfn "$(readlink "$TESTTMP/s")" "$TESTTMP/u") 9>&- > /dev/null 2>&1 &
  $ varve wait -d "host=$TESTTMP/u dbname=postgres user=varve" | sed -E 's/[0-9]+\.[0-9] s/N s/; s#'"$TESTTMP"'#$TESTTMP#'
  ✓ host=$TESTTMP/u dbname=postgres user=varve accepts connections (waited N s)

The starting server turned the wait away before the running one let it in:

  $ test $(wc -l < "$TESTTMP/turned-away") -gt "$before" && readlink "$TESTTMP/u" | grep -c starting
  0
  [1]

No server within the time: exit 3, the password masked:

  $ varve wait --timeout 500ms -d "postgresql://app:s3cret@127.0.0.1:1/db"
  ! varve: error: postgresql://app:***@127.0.0.1:1/db did not accept connections within 0.5s: no server answered
  [3]
  $ varve wait --timeout=1 -d "host=$TESTTMP/nothing-here"  2>&1 | sed -e 's#'"$TESTTMP"'#$TESTTMP#g'
  varve: error: host=$TESTTMP/nothing-here did not accept connections within 1s: no server answered

Durations: bare seconds, ms, s, m, min, h; anything else is a usage error:

  $ varve wait --timeout 2x
  ! varve wait: --timeout needs a duration (60, 60s, 500ms, 2m), not '2x'
  ! run 'varve wait --help' for usage
  [2]
  $ varve wait --timeout -1
  ! varve wait: --timeout needs a duration (60, 60s, 500ms, 2m), not '-1'
  ! run 'varve wait --help' for usage
  [2]
  $ varve --scratch wait
  ! varve wait: --scratch starts its own server: there is nothing to wait for
  ! run 'varve wait --help' for usage
  [2]
