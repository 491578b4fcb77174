Every JSON output of varve against its schema in schemas/ (docs/json.md):
real outputs, offline and from a database, through tests/schema/validate.py.
Each document that is an object carries "varve": 1; check's array is the
contract's, versioned by its schema's $id.

  $ valid() { /usr/bin/python3 "$ROOT/tests/schema/validate.py" "$@"; }
  $ set -o pipefail

check, with no findings, with findings of every kind of position (a file
and line, a manifest position, none), and in the parser-too-old case:

  $ cd "$FIXTURES/check/valid" && varve check --format json | valid check
  check: valid (0 items)
  $ for f in cycle sql-syntax missing-file unlisted-file timestamp-revision parser-too-old merge-conflict; do
  >   (cd "$FIXTURES/check/$f" && varve check --format json; true) | valid check
  > done
  check: valid (1 items)
  check: valid (1 items)
  check: valid (1 items)
  check: valid (1 items)
  check: valid (1 items)
  check: valid (1 items)
  check: valid (1 items)

heads and history, offline:

  $ cd "$ROOT/examples/branches"
  $ varve heads --format json | valid heads
  heads: valid (1 items)
  $ varve history --format json | valid history
  history: valid (7 items)
  $ cd "$FIXTURES/check/multiple-heads" && varve heads --format json | valid heads
  heads: valid (2 items)

status, current and history --applied, from a database: nothing applied,
part of a branchy graph applied, a dirty migration, an unknown revision.

  $ source "$ROOT/tests/cli/pg.sh"
  $ cp -r "$FIXTURES/runner/branchy" "$TESTTMP/p" && cd "$TESTTMP/p"
  $ varve status --format json | valid status
  status: valid (7 items)
  $ varve current --format json | valid current
  current: valid (0 items)
  $ varve -q upgrade c9a8 && varve status --format json | valid status
  status: valid (7 items)
  $ varve current --format json | valid current
  current: valid (1 items)
  $ varve history --applied --format json | valid history
  history: valid (7 items)
  $ varve current --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["varve"], [c["revision"] for c in d["current"]])'
  1 ['c9a8']
  $ psql -XAtq -c "INSERT INTO varve_version (revision, state) VALUES ('zz99', 'applied')"
  $ psql -XAtq -c "UPDATE varve_version SET state = 'dirty' WHERE revision = 'c9a8'"
  $ varve status --format json | valid status
  status: valid (7 items)
  [1]
  $ varve status --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["varve"], d["dirty"], d["unknown"])'
  1 1 ['zz99']
  [1]
  $ varve current --format json | valid current
  current: valid (1 items)
  $ varve check --database --format json | valid check
  check: valid (3 items)
  [1]

test: a walk that passes, one that stops at a failure with a diff, one
whose SQL fails, one with irreversible migrations, and a refused walk (a
database with a history: the document with its error):

  $ cd "$ROOT/examples/blog" && varve test --format json | valid test
  test: valid (6 items)
  $ cd "$FIXTURES/test/missing-drop-type" && varve test --format json | valid test
  test: valid (2 items)
  [1]
  $ cd "$FIXTURES/test/downgrade-fails" && varve test --format json | valid test
  test: valid (2 items)
  [1]
  $ cd "$FIXTURES/test/openmeter-style" && varve test --format json | valid test
  test: valid (30 items)
  $ cd "$TESTTMP/p" && varve test -d postgresql:///postgres --format json 2>/dev/null | valid test
  test: valid (0 items)
  [1]

redo (the run results' shape), done and dry:

  $ cd "$TESTTMP/p" && psql -XAtq -c "DELETE FROM varve_version WHERE revision = 'zz99'; UPDATE varve_version SET state = 'applied'"
  $ varve redo --format json | valid run
  run: valid (2 items)
  $ varve redo --dry-run --format json | valid run
  run: valid (2 items)
