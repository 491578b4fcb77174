The reply to the record and COMMIT is lost (issue 10 §4). varve sends a
migration's record and its COMMIT together; if the connection goes while
it reads the first answer, the COMMIT may have reached the server, and in
this test it did. varve must not say "it was not committed": only the
version table can tell.

cutproxy.py stands between varve and the server, passes the COMMIT on,
drops the server's answers and closes the connection.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ source "$ROOT/tests/cli/helpers.sh"
  $ mkdir -p "$TESTTMP/p/migrations" "$TESTTMP/proxy" && cd "$TESTTMP/p"
  $ python3 "$ROOT/tests/cli/cutproxy.py" "$TESTTMP/proxy" "$PGHOST" 'COMMIT\x00' & proxy=$!
  $ trap 'kill $proxy' EXIT
  $ for i in $(seq 100); do [ -S "$TESTTMP/proxy/.s.PGSQL.5432" ] && break; sleep 0.05; done
  $ printf 'CREATE TABLE t1 (id int);\n' > migrations/0001.sql
  $ printf 'CREATE TABLE t2 (id int);\n' > migrations/0002.sql
  $ printf 'varve: 1\nmigrations:\n  - {revision: "0001", down_revision: null, file: 0001.sql}\n  - {revision: "0002", down_revision: "0001", file: 0002.sql}\n' > varve.yaml
  $ varve upgrade -d "host=$TESTTMP/proxy dbname=postgres" 2> err | ms | sed "s|$TESTTMP|TMP|g"
  Upgrading host=TMP/proxy dbname=postgres ("varve_version")
    ✗ 0001    N ms
  Applied 0 migrations in N ms; 2 not run
  [3]
  $ sed "s|$TESTTMP|TMP|g" err
  varve: error: lost the connection to host=TMP/proxy dbname=postgres while committing '0001'; whether it was committed only 'varve status' can tell: server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request.

It was committed:

  $ state
  rows: 0001 applied
  tables: t1
  $ varve -q upgrade -d "host=$TESTTMP/proxy dbname=postgres"
  $ state
  rows: 0001 applied, 0002 applied
  tables: t1 t2
