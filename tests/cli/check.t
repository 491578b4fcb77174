`varve check` on one fixture per check code (tests/fixtures/check/CODE),
in the three formats. Positions are part of the contract: a reviewer
clicks them.

valid:

  $ cd "$FIXTURES/check/valid"
  $ varve check
  $ varve check --format json
  $ varve check --format github

yaml-syntax:

  $ cd "$FIXTURES/check/yaml-syntax"
  $ varve check
  $ varve check --format json
  $ varve check --format github

manifest-schema:

  $ cd "$FIXTURES/check/manifest-schema"
  $ varve check
  $ varve check --format json
  $ varve check --format github

duplicate-revision:

  $ cd "$FIXTURES/check/duplicate-revision"
  $ varve check
  $ varve check --format json
  $ varve check --format github

unknown-down-revision:

  $ cd "$FIXTURES/check/unknown-down-revision"
  $ varve check
  $ varve check --format json
  $ varve check --format github

cycle:

  $ cd "$FIXTURES/check/cycle"
  $ varve check
  $ varve check --format json
  $ varve check --format github

multiple-roots:

  $ cd "$FIXTURES/check/multiple-roots"
  $ varve check
  $ varve check --format json
  $ varve check --format github

multiple-heads:

  $ cd "$FIXTURES/check/multiple-heads"
  $ varve check
  $ varve check --format json
  $ varve check --format github

missing-file:

  $ cd "$FIXTURES/check/missing-file"
  $ varve check
  $ varve check --format json
  $ varve check --format github

file-outside-project:

  $ cd "$FIXTURES/check/file-outside-project"
  $ varve check
  $ varve check --format json
  $ varve check --format github

empty-upgrade:

  $ cd "$FIXTURES/check/empty-upgrade"
  $ varve check
  $ varve check --format json
  $ varve check --format github

sql-syntax:

  $ cd "$FIXTURES/check/sql-syntax"
  $ varve check
  $ varve check --format json
  $ varve check --format github

needs-no-transaction:

  $ cd "$FIXTURES/check/needs-no-transaction"
  $ varve check
  $ varve check --format json
  $ varve check --format github

checksum-mismatch:

  $ cd "$FIXTURES/check/checksum-mismatch"
  $ varve check
  $ varve check --format json
  $ varve check --format github

transaction-control:

  $ cd "$FIXTURES/check/transaction-control"
  $ varve check
  $ varve check --format json
  $ varve check --format github

missing-downgrade:

  $ cd "$FIXTURES/check/missing-downgrade"
  $ varve check
  $ varve check --format json
  $ varve check --format github
  $ varve check --strict

unlisted-file:

  $ cd "$FIXTURES/check/unlisted-file"
  $ varve check
  $ varve check --format json
  $ varve check --format github
  $ varve check --strict

timestamp-revision:

  $ cd "$FIXTURES/check/timestamp-revision"
  $ varve check
  $ varve check --format json
  $ varve check --format github
  $ varve check --sequential

filename-mismatch:

  $ cd "$FIXTURES/check/filename-mismatch"
  $ varve check
  $ varve check --format json
  $ varve check --format github

Paths in diagnostics are relative to where varve runs, as the user would
open them:

  $ cd "$FIXTURES/check"
  $ varve -f sql-syntax/varve.yaml check
  $ varve check -f missing-file/varve.yaml --format github
