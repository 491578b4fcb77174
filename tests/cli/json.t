Run results as JSON (`--format json`): upgrade, downgrade, stamp, resolve,
fix and hash print one document on stdout, with `"varve": 1`, that
schemas/run.schema.json describes; every document below is validated
against it. Diagnostics stay on stderr.

  $ source "$ROOT/tests/cli/pg.sh"
  $ cd "$TESTTMP"
  $ valid() { /usr/bin/python3 "$ROOT/tests/schema/validate.py" run; }
  $ mkdir -p j/migrations && cd j
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n-- downgrade --\nDROP TABLE a;\n' > migrations/0001_a.sql
  $ printf -- '-- upgrade --\nCREATE TABLE b (id int);\n-- downgrade --\nDROP TABLE b;\n' > migrations/0002_b.sql
  $ printf -- '-- upgrade --\nCREATE TABLE c (id int);\nSELECT nope FROM c;\n-- downgrade --\nDROP TABLE c;\n' > migrations/0003_c.sql
  $ printf -- 'CREATE TABLE d (id int);\nSELECT nope FROM d;\n' > migrations/0004_d.sql
  $ cat > varve.yaml <<'EOF2'
  > varve: 1
  > migrations:
  >   - {revision: "0001", down_revision: null, description: create a, file: 0001_a.sql}
  >   - {revision: "0002", down_revision: "0001", description: create b, file: 0002_b.sql}
  >   - {revision: "0003", down_revision: "0002", description: fails, file: 0003_c.sql}
  > EOF2
  $ summary() { python3 -c 'import json, sys; d = json.load(sys.stdin); f = d.get("failure"); print(d["command"], "ok" if d.get("ok") else "not ok", "done", d.get("done"), [(m["revision"], m["outcome"]) for m in d.get("migrations", [])], f and "%s:%s:%s %s" % (f["file"], f["line"], f["column"], f["sqlstate"]))'; }

The migrations ran, and the document says what became of each one, with
the failure's position (it once printed text and "Applied 0 migrations"):

  $ varve upgrade --dry-run --format json | tee out.json | summary; valid < out.json
  upgrade ok done 0 [('0001', 'planned'), ('0002', 'planned'), ('0003', 'planned')] None
  run: valid (3 items)
  $ varve upgrade --format json > out.json
  ! migrations/0003_c.sql:3:8: error: column "nope" does not exist [42703]
  [1]
  $ summary < out.json; valid < out.json
  upgrade not ok done 2 [('0001', 'applied'), ('0002', 'applied'), ('0003', 'failed')] migrations/0003_c.sql:3:8 42703
  run: valid (3 items)

Durations are printed to 9 significant digits (`8.039`, not jansson's
default `8.0389999999999997`):

  $ grep -cE '"duration_ms": [0-9]+\.[0-9]{7,}' out.json
  0
  [1]
  $ psql -XAtc "SELECT string_agg(revision, ',' ORDER BY revision) FROM varve_version"
  0001,0002
  $ varve upgrade 0002 --format json | summary
  upgrade ok done 0 [] None
  $ varve downgrade base --format json | tee out.json | summary; valid < out.json
  downgrade ok done 2 [('0002', 'rolled_back'), ('0001', 'rolled_back')] None
  run: valid (2 items)

One transaction: what ran is undone, and what did not run says so:

  $ varve upgrade --single-transaction --format json 2>/dev/null | tee out.json | summary; valid < out.json
  upgrade not ok done 0 [('0001', 'undone'), ('0002', 'undone'), ('0003', 'failed')] migrations/0003_c.sql:3:8 42703
  run: valid (3 items)
  $ sed -i 's/description: fails, file: 0003_c.sql}/description: fails, file: 0003_c.sql}\n  - {revision: "0004", down_revision: "0003", file: 0004_d.sql}/' varve.yaml
  $ varve upgrade --format json 2>/dev/null | summary
  upgrade not ok done 2 [('0001', 'applied'), ('0002', 'applied'), ('0003', 'failed'), ('0004', 'not_run')] migrations/0003_c.sql:3:8 42703

stamp, resolve (a dirty transaction: false migration), fix and hash:

  $ varve stamp 0003 --format json | tee out.json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["recorded"], d["removed"])'; valid < out.json
  ['0003'] []
  run: valid (1 items)
  $ sed -i 's/{revision: "0004", down_revision: "0003", file: 0004_d.sql}/{revision: "0004", down_revision: "0003", file: 0004_d.sql, transaction: false}/' varve.yaml
  $ varve upgrade --format json 2>/dev/null | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["failure"]["dirty"], d["failure"]["line"])'
  True 2
  $ varve resolve 0004 --rolled-back --format json | tee out.json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["revision"], d["recorded_as"])'; valid < out.json
  0004 rolled_back
  run: valid (0 items)
  $ varve hash --format json | tee out.json | python3 -c 'import json, sys; print(json.load(sys.stdin)["written"])'; valid < out.json
  4
  run: valid (0 items)
  $ sed -i 's/"0004"/"20260101000000"/; s/0004_d.sql/20260101000000_d.sql/' varve.yaml && mv migrations/0004_d.sql migrations/20260101000000_d.sql
  $ varve fix --dry-run --format json 2>/dev/null | tee out.json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["dry_run"], [(i["from"], i["to"], i["files"]) for i in d["renumbered"]])'; valid < out.json
  True [('20260101000000', '0004', [{'from': 'migrations/20260101000000_d.sql', 'to': 'migrations/0004_d.sql'}])]
  run: valid (1 items)
  $ varve fix --yes --format json 2>/dev/null | tee out.json | python3 -c 'import json, sys; print(json.load(sys.stdin)["dry_run"])'; valid < out.json
  False
  run: valid (1 items)

A document that breaks the schema is caught (the validator is not a no-op):

  $ sed 's/"dry_run": false/"dry_run": "no"/' out.json | valid > /dev/null
  [1]

`--format github`: a failed migration becomes an annotation on its file:

  $ varve -q stamp base && psql -XAtqc 'DROP TABLE a, b, d' && sed -i '/0004/d' varve.yaml
  $ varve -q upgrade --format github 2>/dev/null
  ::error file=migrations/0003_c.sql,line=3,col=8,title=migration 0003 failed (42703)::column "nope" does not exist
  [1]
