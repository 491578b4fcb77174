Fleets (docs/fleet.md): one manifest applied to many databases from one
process. Two PostgreSQL clusters started here, 100 databases on each,
upgraded 16 at a time; a target that breaks, under on_failure stop and
continue; the rerun that resumes; results read back from every
database's catalogue.

  $ source "$ROOT/tests/cli/pg.sh"
  $ set -o pipefail
  $ { coproc PG2 { "$VARVE_TESTPG"; }; } 2>/dev/null
  $ read -r pg2 <&"${PG2[0]}"
  $ eval "$(echo "$pg2" | sed 's/^export //; s/PGHOST=/HOST2=/; s/PGPORT=/PORT2=/; s/PGUSER=/USER2=/; s/PGDATABASE=[^ ]*//')"
  $ unset pg2
  $ psql -XAtq -c "SELECT 1" && psql -XAtq -h "$HOST2" -p "$PORT2" -c "SELECT 1"
  1
  1

100 databases on each cluster (empty copies of template1), made in
parallel:

  $ mkdbs() { for i in $(seq -w 1 100); do echo "CREATE DATABASE $1$i;"; done | psql -XAtq "${@:2}"; }
  $ mkdbs a & one=$!; mkdbs b -h "$HOST2" -p "$PORT2" & two=$!; wait $one $two
  $ psql -XAt -c "SELECT count(*) FROM pg_database WHERE datname ~ '^a[0-9]+$'"
  100
  $ psql -XAt -h "$HOST2" -p "$PORT2" -c "SELECT count(*) FROM pg_database WHERE datname ~ '^b[0-9]+$'"
  100

A manifest of three migrations, and a fleet file of the 200 databases,
one URL each, labelled:

  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf 'CREATE TABLE items (id int PRIMARY KEY);\n-- downgrade --\nDROP TABLE items;\n' > migrations/0001.sql
  $ printf 'ALTER TABLE items ADD COLUMN name text;\nCREATE TABLE orders (id int);\n-- downgrade --\nDROP TABLE orders;\nALTER TABLE items DROP COLUMN name;\n' > migrations/0002.sql
  $ printf 'CREATE INDEX items_name ON items (name);\n-- downgrade --\nDROP INDEX items_name;\n' > migrations/0003.sql
  $ cat > varve.yaml <<'YAML'
  > varve: 1
  > migrations:
  >   - {revision: "0001", down_revision: null, description: items, file: 0001.sql}
  >   - {revision: "0002", down_revision: "0001", description: orders, file: 0002.sql}
  >   - {revision: "0003", down_revision: "0002", description: index, file: 0003.sql}
  > YAML
  $ export A="host=$PGHOST port=$PGPORT user=$PGUSER" B="postgresql://$USER2@/?host=$HOST2&port=$PORT2"
  $ {
  >   printf 'varve_fleet: 1\nconcurrency: 16\non_failure: stop\ntargets:\n'
  >   for i in $(seq -w 1 100); do printf '  - {url: "${A} dbname=a%s", label: a%s}\n' $i $i; done
  >   for i in $(seq -w 1 100); do printf '  - {url: "%s", label: b%s}\n' "${B/\/\?//b$i?}" $i; done
  > } > fleet.yaml
  $ sed -n '1,5p;105p' fleet.yaml | sed "s|$HOST2|HOST2|; s|port=$PORT2|port=PORT2|; s|//$USER2@|//USER2@|"
  varve_fleet: 1
  concurrency: 16
  on_failure: stop
  targets:
    - {url: "${A} dbname=a001", label: a001}
    - {url: "postgresql://USER2@/b001?host=HOST2&port=PORT2", label: b001}

The summary of a JSON report, one line per state, then the targets that
did not reach the goal:

  $ summary() { python3 -c '
  > import json, sys
  > d = json.load(sys.stdin)
  > print(d["command"], d["concurrency"], d["on_failure"], " ".join("%s=%s" % kv for kv in d["counts"].items() if kv[1]))
  > for t in d["targets"]:
  >     if t["state"] not in ("done", "current"):
  >         f = t["failure"]
  >         why = "%s:%s:%s: %s [%s]" % (f["file"], f["line"], f["column"], f["message"], f["sqlstate"]) if f else (t["error"] or "")
  >         print(" ", t["label"], t["state"], t.get("done", ""), why)
  > '; }

a042 is broken: it has an `orders` of its own, so 0002 fails there. Under
on_failure stop, no target starts after the failure: those 16 at a time
in flight finish the migration under way and stop; the rest are skipped.

  $ psql -XAtq -d a042 -c "CREATE TABLE orders (id int)"
  $ varve --format json upgrade --fleet fleet.yaml > run1.json
  [1]
  $ summary < run1.json | grep -E '^upgrade|^  [a-z0-9]+ failed' | sed -E 's/done=[0-9]+/done=N/; s/ (stopped|skipped)=[0-9]+//g'
  upgrade 16 stop done=N failed=1
    a042 failed 1 migrations/0002.sql:2:1: relation "orders" already exists [42P07]
  $ /usr/bin/python3 "$ROOT/tests/schema/validate.py" fleet-run < run1.json
  fleet-run: valid (200 items)
  $ python3 - run1.json <<'PY'
  > import json, sys
  > t = json.load(open(sys.argv[1]))["targets"]
  > failed = [x for x in t if x["state"] == "failed"]
  > end = failed[0]["started_ms"] + failed[0]["duration_ms"]
  > late = [x["label"] for x in t if x["started_ms"] is not None and x["started_ms"] > end]
  > skipped = [x for x in t if x["state"] == "skipped"]
  > print("failed:", [x["label"] for x in failed], "; started after it:", late, "; skipped", len(skipped) > 100)
  > print("stopped between migrations:", all(x["state"] in ("done", "failed") or x["done"] < 3 for x in t))
  > PY
  failed: ['a042'] ; started after it: [] ; skipped True
  stopped between migrations: True

Every skipped target was never touched (no version table); every other
database has exactly the migrations its version table says, read from
each database's own catalogue (one psql per cluster, \c to each in turn):

  $ each() { for i in $(seq -w 1 100); do printf '\\c %s%s\n%s\n' "$1" "$i" "$2"; done; }
  $ both() { each a "$1" | psql -XAtq; each b "$1" | psql -XAtq -h "$HOST2" -p "$PORT2"; }
  $ check() { both "SELECT to_regclass('varve_version') IS NOT NULL AS has \\gset
  > \\if :has
  > SELECT current_database(), 1, (SELECT string_agg(revision, ',' ORDER BY seq) FROM varve_version), (SELECT count(*) FROM pg_tables WHERE tablename IN ('items', 'orders')), (SELECT count(*) FROM pg_indexes WHERE indexname = 'items_name');
  > \\else
  > SELECT current_database(), 0, '-', (SELECT count(*) FROM pg_tables WHERE tablename IN ('items', 'orders')), (SELECT count(*) FROM pg_indexes WHERE indexname = 'items_name');
  > \\endif"; }
  $ consistent() { awk -F'|' '
  >   $2 == 0 && $4 == 0 && $5 == 0 { untouched++; next }
  >   $3 == "0001,0002,0003" && $4 == 2 && $5 == 1 { head++; next }
  >   $3 == "0001,0002" && $4 == 2 && $5 == 0 { two++; next }
  >   $3 == "0001" && $4 == 1 && $5 == 0 { one++; next }
  >   ($3 == "-" || $3 == "") && $4 == 0 && $5 == 0 { none++; next }
  >   $1 == "a042" && $3 == "0001" && $4 == 2 { broken++; next }
  >   { print "INCONSISTENT", $0 }
  >   END { print (head + two + one + none + broken + untouched), "targets consistent" }'; }
  $ check > state1 && consistent < state1
  200 targets consistent
  $ awk -F'|' '$2 == 0' state1 | wc -l | awk '{ print ($1 > 100) ? "more than 100 untouched" : $1 }'
  more than 100 untouched

Under on_failure continue, every other target goes on to the head; a042
fails again, and is the only one:

  $ sed -i 's/^on_failure: stop/on_failure: continue/' fleet.yaml
  $ varve --format json upgrade --fleet fleet.yaml > run2.json
  [1]
  $ summary < run2.json
  upgrade 16 continue done=199 failed=1
    a042 failed 0 migrations/0002.sql:2:1: relation "orders" already exists [42P07]

Repaired, the rerun resumes: a042 gets 0002 and 0003, the others have
nothing to do.

  $ psql -XAtq -d a042 -c "DROP TABLE orders"
  $ varve --format json upgrade --fleet fleet.yaml > run3.json
  $ summary < run3.json
  upgrade 16 continue done=200
  $ python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["targets"]; print(sorted(set((x["planned"], x["done"]) for x in t)), [x["label"] for x in t if x["done"]])' run3.json
  [(0, 0), (2, 2)] ['a042']
  $ check > state3 && consistent < state3 && awk -F'|' '$3 != "0001,0002,0003"' state3
  200 targets consistent

status --fleet: every target current; with a fourth migration, pending
(--exit-code: 4). In text, a table and a summary.

  $ varve status --fleet fleet.yaml --exit-code | tail -1 | sed -E 's/ in .*//'
  200 targets: 200 current, 0 pending
  $ varve status --fleet fleet.yaml --format json | /usr/bin/python3 "$ROOT/tests/schema/validate.py" fleet-run
  fleet-run: valid (200 items)
  $ printf 'CREATE TABLE t4 (id int);\nSELECT pg_sleep(0.1);\n-- downgrade --\nDROP TABLE t4;\n' > migrations/0004.sql
  $ echo '  - {revision: "0004", down_revision: "0003", description: t4, file: 0004.sql}' >> varve.yaml
  $ varve status --fleet fleet.yaml --exit-code --only a001,b100 | sed -E 's/in [0-9.]+ m?s$/in N ms/'
    TARGET  STATE        APPLIED  PENDING  DIRTY
    a001    pending            3        1      0
    b100    pending            3        1      0
  2 targets: 0 current, 2 pending in N ms
  [4]

kill -9 of varve mid-fleet: every target is left at a migration boundary
(0004 applied with its table, or neither), and the rerun finishes all.

  $ varve -q upgrade --fleet fleet.yaml & run=$!
  $ for i in $(seq 600); do n=$(psql -XAt -d a001 -c "SELECT count(*) FROM varve_version WHERE revision = '0004'"); [ "$n" = 1 ] && break; sleep 0.05; done; echo $n
  1
  $ { kill -9 $run; wait $run; } 2>/dev/null
  [137]
  $ sleep 1.5
  $ check4() { both "SELECT (SELECT count(*) FROM varve_version WHERE revision = '0004') = (SELECT count(*) FROM pg_tables WHERE tablename = 't4'), (SELECT count(*) FROM varve_version WHERE revision = '0004');" | sort | uniq -c | awk '{ print $2 }'; }
  $ check4
  t|0
  t|1
  $ varve --format json upgrade --fleet fleet.yaml | summary
  upgrade 16 continue done=200
  $ check4
  t|1

downgrade --fleet takes every target back one step:

  $ varve --format json downgrade --fleet fleet.yaml -1 --concurrency 32 | summary
  downgrade 32 continue done=200
  $ check4
  t|0

Schema-per-tenant: 100 schemas of one database, search_path set to each,
each with its own version table and lock:

  $ psql -XAtq -c "CREATE DATABASE tenants"
  $ for i in $(seq -w 1 100); do echo "CREATE SCHEMA tenant_$i;"; done | psql -XAtq -d tenants
  $ cat > tenants.yaml <<'YAML'
  > varve_fleet: 1
  > concurrency: 16
  > schemas:
  >   database: ${A} dbname=tenants
  >   sql: SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\_%' ORDER BY 1
  > YAML
  $ varve --format json upgrade --fleet tenants.yaml | summary
  upgrade 16 stop done=100
  $ psql -XAt -d tenants -c "SELECT count(*), count(DISTINCT n.nspname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname IN ('varve_version', 'items', 'orders', 't4')"
  400|100
  $ psql -XAt -d tenants -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
  0
  $ psql -XAt -d tenants -c "SELECT string_agg(revision, ',' ORDER BY seq) FROM tenant_057.varve_version"
  0001,0002,0003,0004
  $ varve status --fleet tenants.yaml --only tenant_001 | head -2
    TARGET      STATE        APPLIED  PENDING  DIRTY
    tenant_001  current            4        0      0

A target that refuses connections, one that is slow (pg_sleep in its
migration), and one whose lock another runner holds: each is reported
as it is, and the others do not wait for them.

  $ for d in slow held fine1 fine2 fine3; do psql -XAtq -c "CREATE DATABASE $d"; done
  $ printf 'CREATE TABLE t5 (step text, at timestamptz DEFAULT clock_timestamp());\nINSERT INTO t5 VALUES (%s);\nSELECT pg_sleep(CASE current_database() WHEN %s THEN 3 WHEN %s THEN 20 ELSE 0 END);\nINSERT INTO t5 VALUES (%s);\n' "'before'" "'slow'" "'held'" "'after'" > migrations/0005.sql
  $ echo '  - {revision: "0005", down_revision: "0004", description: t5, file: 0005.sql}' >> varve.yaml
  $ cat > mixed.yaml <<'YAML'
  > varve_fleet: 1
  > concurrency: 8
  > on_failure: continue
  > targets:
  >   - {url: "${A} dbname=slow", label: slow}
  >   - {url: "${A} dbname=held", label: held}
  >   - {url: "host=/nonexistent/varve user=app password=s3cret connect_timeout=2", label: refused}
  >   - {url: "${A} dbname=fine1", label: fine1}
  >   - {url: "${A} dbname=fine2", label: fine2}
  >   - {url: "${A} dbname=fine3", label: fine3}
  > YAML
  $ varve -q -d "$A dbname=held" upgrade 2>/dev/null & holder=$!
  $ for i in $(seq 600); do psql -XAt -d held -c "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(CASE%' AND state = 'active'" | grep -q 1 && break; sleep 0.05; done
  $ varve --lock-wait 1 --format json upgrade --fleet mixed.yaml > mixed.json
  [3]
  $ summary < mixed.json | sed -E 's/pid [0-9]+.*/pid N .../; s/(connect_timeout=2.): .*/\1: .../'
  upgrade 8 continue done=4 unreachable=2
    held unreachable 0 another runner holds the lock on "varve_version" after 1s of waiting: pid N ...
    refused unreachable 0 cannot connect to 'host=/nonexistent/varve user=app password=*** connect_timeout=2': ...
  $ grep -c s3cret mixed.json
  0
  [1]
  $ kill $holder 2>/dev/null; wait $holder 2>/dev/null; true

The fine targets committed their 0005 while the slow one slept in its
own (its last row was written after theirs): they ran beside it, not
behind it.

  $ s=$(psql -XAt -d slow -c "SELECT at FROM t5 WHERE step = 'after'"); for d in fine1 fine2 fine3; do psql -XAt -d $d -c "SELECT max(at) < '$s' FROM t5"; done | sort -u
  t
  $ for d in slow fine1 fine2 fine3; do psql -XAt -d $d -c "SELECT string_agg(revision, ',' ORDER BY seq) FROM varve_version"; done | sort | uniq -c | awk '{ print $1, $2 }'
  4 0001,0002,0003,0004,0005

Ctrl-C (SIGINT) stops a fleet: the statements under way are cancelled,
their migrations roll back, no other target starts, and varve exits 130
with its report.

  $ printf 'CREATE TABLE t6 (id int);\nSELECT pg_sleep(60);\n' > migrations/0006.sql
  $ echo '  - {revision: "0006", down_revision: "0005", description: t6, file: 0006.sql}' >> varve.yaml
  $ printf 'varve_fleet: 1\nconcurrency: 2\ntargets:\n  - {url: "${A} dbname=fine1", label: fine1}\n  - {url: "${A} dbname=fine2", label: fine2}\n  - {url: "${A} dbname=fine3", label: fine3}\n' > int.yaml
  $ varve --format json upgrade --fleet int.yaml > int.json & run=$!
  $ for i in $(seq 600); do [ "$(psql -XAt -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND state = 'active' AND pid <> pg_backend_pid()")" = 2 ] && break; sleep 0.05; done
  $ kill -INT $run; wait $run
  [130]
  $ summary < int.json
  upgrade 2 stop stopped=2 skipped=1
    fine1 stopped 0 migrations/0006.sql:2:1: canceling statement due to user request [57014]
    fine2 stopped 0 migrations/0006.sql:2:1: canceling statement due to user request [57014]
    fine3 skipped 0 
  $ for d in fine1 fine2 fine3; do psql -XAt -d $d -c "SELECT count(*) FROM varve_version WHERE revision = '0006'" -c "SELECT to_regclass('t6') IS NULL"; done | sort | uniq -c | awk '{ print $1, $2 }'
  3 0
  3 t

The tenant-registry form: a query on a control database returns each
target's connection string and label.

  $ psql -XAtq -c "CREATE TABLE tenants (conninfo text, name text, active bool)"
  $ psql -XAtq -c "INSERT INTO tenants SELECT format('host=%s port=%s dbname=%s', '$PGHOST', '$PGPORT', d), 'tenant-' || d, d <> 'fine3' FROM unnest(array['fine1', 'fine2', 'fine3']) d"
  $ printf 'varve_fleet: 1\nquery:\n  database: ${A} dbname=postgres\n  sql: SELECT conninfo, name FROM tenants WHERE active ORDER BY name\n' > registry.yaml
  $ varve --format json status --fleet registry.yaml | python3 -c 'import json, sys; print([(t["label"], t["state"], t["applied"], t["pending"]) for t in json.load(sys.stdin)["targets"]])'
  [('tenant-fine1', 'pending', 5, 1), ('tenant-fine2', 'pending', 5, 1)]

--only failed reads every target first and runs only those not at the
goal; --only LABEL,LABEL those labels.

  $ mkdir -p "$TESTTMP/p2/migrations" && cd "$TESTTMP/p2"
  $ echo 'CREATE TABLE only_t (id int);' > migrations/0001.sql
  $ printf 'varve: 1\nversion_table: only_version\nmigrations:\n  - {revision: "0001", down_revision: null, up: 0001.sql}\n' > varve.yaml
  $ cp ../p/int.yaml only.yaml
  $ varve -q -d "$A dbname=fine2" upgrade
  $ varve --format json upgrade --fleet only.yaml --only failed | python3 -c 'import json, sys; print([(t["label"], t["state"], t["done"]) for t in json.load(sys.stdin)["targets"]])'
  [('fine1', 'done', 1), ('fine3', 'done', 1)]
  $ varve --format json upgrade --fleet only.yaml --only failed | python3 -c 'import json, sys; print(json.load(sys.stdin)["targets"])'
  []
  $ varve --format json status --fleet only.yaml --only fine1,fine3 | python3 -c 'import json, sys; print([(t["label"], t["state"]) for t in json.load(sys.stdin)["targets"]])'
  [('fine1', 'current'), ('fine3', 'current')]
