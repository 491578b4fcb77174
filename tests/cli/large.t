A manifest large enough that check shares the SQL files among threads: the
findings come out complete and in the same order every time.

  $ cd "$TESTTMP"
  $ python3 - <<'PY'
  > import os
  > os.makedirs("migrations")
  > with open("varve.yaml", "w") as m:
  >     m.write("varve: 1\nmigrations:\n")
  >     prev = "null"
  >     for i in range(1, 701):
  >         rev = f"{i:04d}"
  >         m.write(f'  - revision: "{rev}"\n    down_revision: {prev}\n    file: {rev}_t.sql\n')
  >         prev = f'"{rev}"'
  >         if i == 450:
  >             continue
  >         sql = f"CREATE TABLE t{i} (id bigint PRIMARY KEY);"
  >         if i == 300:
  >             sql = f"CREATE TABLE t{i} (id bigint PRIMARY KEY;"
  >         if i == 600:
  >             sql = f"CREATE INDEX CONCURRENTLY t{i}_idx ON t1 (id);"
  >         with open(f"migrations/{rev}_t.sql", "w") as f:
  >             f.write(f"-- upgrade --\n{sql}\n-- downgrade --\nSELECT 1;\n")
  > for extra in ("9998_a.sql", "9999_b.sql"):
  >     open(f"migrations/{extra}", "w").write("SELECT 1;\n")
  > PY
  $ varve check
  ! migrations/0300_t.sql:2:41: error: syntax error at or near ";" [sql-syntax]
  ! migrations/0600_t.sql:2:1: error: 'CREATE INDEX CONCURRENTLY t600_idx' cannot run inside a transaction block; set 'transaction: false' on '0600' [needs-no-transaction]
  ! migrations/9998_a.sql: warning: no entry of 'varve.yaml' lists this file [unlisted-file]
  ! migrations/9999_b.sql: warning: no entry of 'varve.yaml' lists this file [unlisted-file]
  ! varve.yaml:1352:11: error: cannot read 'migrations/0450_t.sql' of '0450': no such file [missing-file]
  ! 3 errors, 2 warnings
  [1]
  $ varve check --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))"
  5
