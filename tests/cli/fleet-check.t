`varve check --database --fleet` (docs/fleet.md): check's database
comparison on every target of a fleet, concurrently. Six databases: two
clean, one with an applied revision no entry defines, one with a
changed checksum, one dirty, and one that does not exist (unreachable).

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf 'CREATE TABLE items (id int PRIMARY KEY);\n-- downgrade --\nDROP TABLE items;\n' > migrations/0001.sql
  $ printf 'ALTER TABLE items ADD COLUMN name text;\n-- downgrade --\nALTER TABLE items DROP COLUMN name;\n' > migrations/0002.sql
  $ cat > varve.yaml <<'YAML'
  > varve: 1
  > migrations:
  >   - {revision: "0001", down_revision: null, description: items, file: 0001.sql}
  >   - {revision: "0002", down_revision: "0001", description: name, file: 0002.sql}
  > YAML
  $ for d in clean1 clean2 unknown modified dirty; do echo "CREATE DATABASE $d;"; done | psql -XAtq
  $ export A="host=$PGHOST port=$PGPORT user=$PGUSER"
  $ cat > fleet.yaml <<'YAML'
  > varve_fleet: 1
  > concurrency: 4
  > targets:
  >   - {url: "${A} dbname=clean1", label: clean1}
  >   - {url: "${A} dbname=unknown", label: unknown}
  >   - {url: "${A} dbname=modified", label: modified}
  >   - {url: "${A} dbname=dirty", label: dirty}
  >   - {url: "postgresql://someone:s3cr3tpw@/gone?host=${PGHOST}&port=${PGPORT}"}
  >   - {url: "${A} dbname=clean2", label: clean2}
  > YAML

Every reachable target upgraded to head; then one row made unknown, one
checksum changed, one migration marked dirty:

  $ varve -q upgrade --fleet fleet.yaml --only clean1,unknown,modified,dirty,clean2
  $ psql -XAtq -d unknown -c "INSERT INTO varve_version (revision, checksum) VALUES ('0099', 'sha256:00')"
  $ psql -XAtq -d modified -c "UPDATE varve_version SET checksum = 'sha256:' || repeat('0', 64) WHERE revision = '0001'"
  $ psql -XAtq -d dirty -c "UPDATE varve_version SET state = 'dirty' WHERE revision = '0002'"

The findings, each led by its target, grouped in the fleet's order; then
the table. Errors exit 1 even though a target is unreachable:

  $ clean() { sed -E "s/on [0-9T:-]+Z/on TIME/; s/sha256:[0-9a-f]{64}/sha256:HASH/g; s/in [0-9.]+ m?s$/in N ms/; s|$PGHOST|PGHOST|g; s/port=$PGPORT/port=PGPORT/g; s/port=$PGPORT/port=PGPORT/g; s/&port=[0-9]+/\&port=PGPORT/g; s/user=$PGUSER/user=PGUSER/g"; }
  $ varve check --database --fleet fleet.yaml 2>&1 | clean; echo "exit ${PIPESTATUS[0]}"
  migrations/0001.sql:1:24: warning: key column 'id' is a 32-bit integer, which can run out [prefer-bigint]
    hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  migrations/0002.sql:1:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'items' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
    hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  varve.yaml: error: unknown: '0099' is applied in "varve_version" (host=PGHOST port=PGPORT user=PGUSER dbname=unknown) but no entry defines it [applied-unknown]
  varve.yaml:3:16: error: modified: the upgrade SQL of '0001' changed after it was applied on TIME (applied sha256:HASH, now sha256:HASH); revert the edit, or add a new migration [applied-modified]
  varve.yaml:4:16: error: dirty: '0002' is dirty: it failed part way; repair the database, then run 'varve resolve 0002 --applied' or '--rolled-back' [dirty]
    TARGET                                            STATE        APPLIED  PENDING  ERRORS  WARNINGS
    clean1                                            ok                 2        0       0         0
    unknown                                           errors             3        0       1         0
    modified                                          errors             2        0       1         0
    dirty                                             errors             2        0       1         0
    postgresql://someone:***@/gone?host=/tmp/varve-…  unreachable                                      cannot connect to 'postgresql://someone:***@/gone?host=PGHOST&port=PGPORT': connection to server on socket "PGHOST/.s.PGSQL.5432" failed: FATAL:  role "someone" does not exist
    clean2                                            ok                 2        0       0         0
  6 targets: 2 ok, 3 with errors, 1 unreachable in N ms
  3 errors, 2 warnings
  exit 1

--only: the labels given; a clean selection exits 0, and with an
unreachable target and no errors, 3. The lint's warnings are offline
findings, reported once, not per target:

  $ varve check --database --fleet fleet.yaml --only clean1,clean2 --concurrency 2 2>&1 | clean; echo "exit ${PIPESTATUS[0]}"
  migrations/0001.sql:1:24: warning: key column 'id' is a 32-bit integer, which can run out [prefer-bigint]
    hint: use bigint (bigint GENERATED ALWAYS AS IDENTITY for a key)
  migrations/0002.sql:1:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'items' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
    hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
    TARGET                                            STATE        APPLIED  PENDING  ERRORS  WARNINGS
    clean1                                            ok                 2        0       0         0
    clean2                                            ok                 2        0       0         0
  2 targets: 2 ok, 0 with errors in N ms
  0 errors, 2 warnings
  exit 0
  $ sed -i 's/- {url: "postgresql/- {label: gone, url: "postgresql/' fleet.yaml
  $ varve check --no-lint --database --fleet fleet.yaml --only clean1,gone 2>&1 | clean; echo "exit ${PIPESTATUS[0]}"
    TARGET    STATE        APPLIED  PENDING  ERRORS  WARNINGS
    clean1    ok                 2        0       0         0
    gone      unreachable                                      cannot connect to 'postgresql://someone:***@/gone?host=PGHOST&port=PGPORT': connection to server on socket "PGHOST/.s.PGSQL.5432" failed: FATAL:  role "someone" does not exist
  2 targets: 1 ok, 0 with errors, 1 unreachable in N ms
  exit 3
  $ varve check --database --fleet fleet.yaml --only nosuch; echo "exit $?"
  exit 2
  ! varve: error: --only 'nosuch': no target of 'fleet.yaml' has that label
  $ varve check --fleet fleet.yaml; echo "exit $?"
  exit 2
  ! varve check: --fleet needs --database: it checks each target's version table
  ! run 'varve check --help' for usage
  $ varve check --database --only clean1; echo "exit $?"
  exit 2
  ! varve check: --only needs --fleet FILE
  ! run 'varve check --help' for usage

JSON: one document, the offline findings once, each target's own;
passwords masked. It validates against schemas/fleet-run.schema.json:

  $ varve --format json check --database --fleet fleet.yaml > check.json; echo "exit $?"
  exit 1
  $ /usr/bin/python3 "$ROOT/tests/schema/validate.py" fleet-run < check.json
  fleet-run: valid (6 items)
  $ python3 -c '
  > import json, sys
  > d = json.load(open("check.json"))
  > print(d["command"], [f["code"] for f in d["offline"]])
  > for t in d["targets"]:
  >     print(" ", t["label"], t["state"], t["applied"], [f["code"] for f in t["findings"] or []], "s3cr3t" in json.dumps(t))
  > '
  check ['prefer-bigint', 'missing-lock-timeout']
    clean1 ok 2 [] False
    unknown errors 3 ['applied-unknown'] False
    modified errors 2 ['applied-modified'] False
    dirty errors 2 ['dirty'] False
    gone unreachable None [] False
    clean2 ok 2 [] False

GitHub annotations name the target in each database finding:

  $ varve --format github check --database --fleet fleet.yaml --only dirty 2>&1 | grep '::error' | clean
  ::error file=varve.yaml,line=4,col=16,title=dirty::dirty: '0002' is dirty: it failed part way; repair the database, then run 'varve resolve 0002 --applied' or '--rolled-back'
  [1]
