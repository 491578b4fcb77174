`varve check` on one fixture per check code (tests/fixtures/check/CODE),
in the three formats. Positions are part of the contract: a reviewer
clicks them.

valid:

  $ cd "$FIXTURES/check/valid"
  $ varve check
  ✓ manifest is valid
  $ varve check --format json
  []
  $ varve check --format github
  ✓ manifest is valid

yaml-syntax:

  $ cd "$FIXTURES/check/yaml-syntax"
  $ varve check
  ! varve.yaml:8:5: error: did not find expected ',' or ']' (while parsing a flow sequence at 7:20) [yaml-syntax]
  ! 1 error, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "yaml-syntax",
      "message": "did not find expected ',' or ']' (while parsing a flow sequence at 7:20)",
      "file": "varve.yaml",
      "line": 8,
      "column": 5
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=8,col=5,title=yaml-syntax::did not find expected ',' or ']' (while parsing a flow sequence at 7:20)
  ! 1 error, 0 warnings
  [1]

A manifest left with git's conflict markers says so, at the first marker
(not libyaml's complaint about the line after it):

  $ cd "$FIXTURES/check/merge-conflict"
  $ varve check
  ! varve.yaml:9:1: error: unresolved merge conflict ('<<<<<<<' marker): resolve it and remove the markers [yaml-syntax]
  ! 1 error, 0 warnings
  [1]

manifest-schema:

  $ cd "$FIXTURES/check/manifest-schema"
  $ varve check
  ! varve.yaml:6:5: error: migration '0002' is missing required key 'down_revision' (null for a first migration) [manifest-schema]
  ! varve.yaml:7:5: error: unknown key 'down_revison' in migration entry (allowed: revision, down_revision, description, file, up, down, transaction, branch, checksum, lint_off) [manifest-schema]
  ! varve.yaml:9:18: error: 'transaction' must be a boolean (true or false), not a string [manifest-schema]
  ! 3 errors, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "manifest-schema",
      "message": "migration '0002' is missing required key 'down_revision' (null for a first migration)",
      "file": "varve.yaml",
      "line": 6,
      "column": 5
    },
    {
      "severity": "error",
      "code": "manifest-schema",
      "message": "unknown key 'down_revison' in migration entry (allowed: revision, down_revision, description, file, up, down, transaction, branch, checksum, lint_off)",
      "file": "varve.yaml",
      "line": 7,
      "column": 5
    },
    {
      "severity": "error",
      "code": "manifest-schema",
      "message": "'transaction' must be a boolean (true or false), not a string",
      "file": "varve.yaml",
      "line": 9,
      "column": 18
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=6,col=5,title=manifest-schema::migration '0002' is missing required key 'down_revision' (null for a first migration)
  ::error file=varve.yaml,line=7,col=5,title=manifest-schema::unknown key 'down_revison' in migration entry (allowed: revision, down_revision, description, file, up, down, transaction, branch, checksum, lint_off)
  ::error file=varve.yaml,line=9,col=18,title=manifest-schema::'transaction' must be a boolean (true or false), not a string
  ! 3 errors, 0 warnings
  [1]

duplicate-revision:

  $ cd "$FIXTURES/check/duplicate-revision"
  $ varve check
  ! varve.yaml:9:15: error: revision '0002' is already defined at line 6 [duplicate-revision]
  ! varve.yaml:11:11: warning: file name '0003_tags.sql' does not start with its revision '0002' [filename-mismatch]
  ! 1 error, 1 warning
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "duplicate-revision",
      "message": "revision '0002' is already defined at line 6",
      "file": "varve.yaml",
      "line": 9,
      "column": 15
    },
    {
      "severity": "warning",
      "code": "filename-mismatch",
      "message": "file name '0003_tags.sql' does not start with its revision '0002'",
      "file": "varve.yaml",
      "line": 11,
      "column": 11
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=9,col=15,title=duplicate-revision::revision '0002' is already defined at line 6
  ::warning file=varve.yaml,line=11,col=11,title=filename-mismatch::file name '0003_tags.sql' does not start with its revision '0002'
  ! 1 error, 1 warning
  [1]

unknown-down-revision:

  $ cd "$FIXTURES/check/unknown-down-revision"
  $ varve check
  ! varve.yaml:7:20: error: down_revision '0009' of '0002' is not defined [unknown-down-revision]
  ! 1 error, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "unknown-down-revision",
      "message": "down_revision '0009' of '0002' is not defined",
      "file": "varve.yaml",
      "line": 7,
      "column": 20
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=7,col=20,title=unknown-down-revision::down_revision '0009' of '0002' is not defined
  ! 1 error, 0 warnings
  [1]

cycle:

  $ cd "$FIXTURES/check/cycle"
  $ varve check
  ! varve.yaml:6:15: error: cycle: 0002 -> 0003 -> 0002 [cycle]
  ! 1 error, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "cycle",
      "message": "cycle: 0002 -> 0003 -> 0002",
      "file": "varve.yaml",
      "line": 6,
      "column": 15
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=6,col=15,title=cycle::cycle: 0002 -> 0003 -> 0002
  ! 1 error, 0 warnings
  [1]

multiple-roots:

  $ cd "$FIXTURES/check/multiple-roots"
  $ varve check
  ! varve.yaml:3:15: error: multiple heads: '0001', '0002'; join them with 'varve merge' [multiple-heads]
  ! varve.yaml:6:15: error: multiple roots: '0001', '0002'; give each root its own branch label, or a down_revision [multiple-roots]
  ! varve.yaml:6:15: error: multiple heads: '0001', '0002'; join them with 'varve merge' [multiple-heads]
  ! 3 errors, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "multiple-heads",
      "message": "multiple heads: '0001', '0002'; join them with 'varve merge'",
      "file": "varve.yaml",
      "line": 3,
      "column": 15
    },
    {
      "severity": "error",
      "code": "multiple-roots",
      "message": "multiple roots: '0001', '0002'; give each root its own branch label, or a down_revision",
      "file": "varve.yaml",
      "line": 6,
      "column": 15
    },
    {
      "severity": "error",
      "code": "multiple-heads",
      "message": "multiple heads: '0001', '0002'; join them with 'varve merge'",
      "file": "varve.yaml",
      "line": 6,
      "column": 15
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=3,col=15,title=multiple-heads::multiple heads: '0001', '0002'; join them with 'varve merge'
  ::error file=varve.yaml,line=6,col=15,title=multiple-roots::multiple roots: '0001', '0002'; give each root its own branch label, or a down_revision
  ::error file=varve.yaml,line=6,col=15,title=multiple-heads::multiple heads: '0001', '0002'; join them with 'varve merge'
  ! 3 errors, 0 warnings
  [1]

multiple-heads:

  $ cd "$FIXTURES/check/multiple-heads"
  $ varve check
  ! varve.yaml:6:15: error: multiple heads: '0002', '0003'; join them with 'varve merge' [multiple-heads]
  ! varve.yaml:9:15: error: multiple heads: '0002', '0003'; join them with 'varve merge' [multiple-heads]
  ! 2 errors, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "multiple-heads",
      "message": "multiple heads: '0002', '0003'; join them with 'varve merge'",
      "file": "varve.yaml",
      "line": 6,
      "column": 15
    },
    {
      "severity": "error",
      "code": "multiple-heads",
      "message": "multiple heads: '0002', '0003'; join them with 'varve merge'",
      "file": "varve.yaml",
      "line": 9,
      "column": 15
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=6,col=15,title=multiple-heads::multiple heads: '0002', '0003'; join them with 'varve merge'
  ::error file=varve.yaml,line=9,col=15,title=multiple-heads::multiple heads: '0002', '0003'; join them with 'varve merge'
  ! 2 errors, 0 warnings
  [1]

missing-file:

  $ cd "$FIXTURES/check/missing-file"
  $ varve check
  ! varve.yaml:11:11: error: cannot read 'migrations/0003_tags.sql' of '0003': no such file [missing-file]
  ! 1 error, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "missing-file",
      "message": "cannot read 'migrations/0003_tags.sql' of '0003': no such file",
      "file": "varve.yaml",
      "line": 11,
      "column": 11
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=11,col=11,title=missing-file::cannot read 'migrations/0003_tags.sql' of '0003': no such file
  ! 1 error, 0 warnings
  [1]

file-outside-project:

  $ cd "$FIXTURES/check/file-outside-project"
  $ varve check
  ! varve.yaml:11:11: error: file '../../0003_tags.sql' is outside the project: '..' escapes the project [file-outside-project]
  ! 1 error, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "file-outside-project",
      "message": "file '../../0003_tags.sql' is outside the project: '..' escapes the project",
      "file": "varve.yaml",
      "line": 11,
      "column": 11
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=11,col=11,title=file-outside-project::file '../../0003_tags.sql' is outside the project: '..' escapes the project
  ! 1 error, 0 warnings
  [1]

empty-upgrade:

  $ cd "$FIXTURES/check/empty-upgrade"
  $ varve check
  ! varve.yaml:11:11: error: the upgrade SQL of '0003' is empty [empty-upgrade]
  ! 1 error, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "empty-upgrade",
      "message": "the upgrade SQL of '0003' is empty",
      "file": "varve.yaml",
      "line": 11,
      "column": 11
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=11,col=11,title=empty-upgrade::the upgrade SQL of '0003' is empty
  ! 1 error, 0 warnings
  [1]

sql-syntax:

  $ cd "$FIXTURES/check/sql-syntax"
  $ varve check
  ! migrations/0003_tags.sql:7:8: error: syntax error at or near "TABEL" [sql-syntax]
  ! 1 error, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "sql-syntax",
      "message": "syntax error at or near \"TABEL\"",
      "file": "migrations/0003_tags.sql",
      "line": 7,
      "column": 8
    }
  ]
  [1]
  $ varve check --format github
  ::error file=migrations/0003_tags.sql,line=7,col=8,title=sql-syntax::syntax error at or near "TABEL"
  ! 1 error, 0 warnings
  [1]

parser-too-old: the SQL parser knows one PostgreSQL release's grammar
(`varve --version` names it). With `database.server_version` (or
`--server-version`) newer than that, SQL it rejects may be the server's
newer syntax (JSON_TABLE is PostgreSQL 17's): a warning, not an error.

  $ cd "$FIXTURES/check/parser-too-old"
  $ varve --version | grep parser
  SQL parser: libpg_query, PostgreSQL 15.1 grammar
  $ varve check
  ! migrations/0002_event_tags.sql:6:40: warning: syntax error at or near "COLUMNS" (varve's SQL parser knows PostgreSQL 15.1; the server is 17: this may be its newer syntax) [parser-too-old]
  ! 0 errors, 1 warning
  $ varve check --server-version 15
  ! migrations/0002_event_tags.sql:6:40: error: syntax error at or near "COLUMNS" [sql-syntax]
  ! 1 error, 0 warnings
  [1]
  $ varve check --server-version=16 --format github
  ::warning file=migrations/0002_event_tags.sql,line=6,col=40,title=parser-too-old::syntax error at or near "COLUMNS" (varve's SQL parser knows PostgreSQL 15.1; the server is 16: this may be its newer syntax)
  ! 0 errors, 1 warning
  $ varve check --server-version 9
  ! varve check: --server-version needs a PostgreSQL major version (10 to 99), not '9'
  ! run 'varve check --help' for usage
  [2]

needs-no-transaction:

  $ cd "$FIXTURES/check/needs-no-transaction"
  $ varve check
  ! migrations/0003_posts_user_idx.sql:2:1: error: 'CREATE INDEX CONCURRENTLY posts_user_idx' cannot run inside a transaction block; set 'transaction: false' on '0003' [needs-no-transaction]
  ! migrations/0003_posts_user_idx.sql:4:1: error: 'DROP INDEX CONCURRENTLY posts_user_idx' cannot run inside a transaction block; set 'transaction: false' on '0003' [needs-no-transaction]
  ! 2 errors, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "needs-no-transaction",
      "message": "'CREATE INDEX CONCURRENTLY posts_user_idx' cannot run inside a transaction block; set 'transaction: false' on '0003'",
      "file": "migrations/0003_posts_user_idx.sql",
      "line": 2,
      "column": 1
    },
    {
      "severity": "error",
      "code": "needs-no-transaction",
      "message": "'DROP INDEX CONCURRENTLY posts_user_idx' cannot run inside a transaction block; set 'transaction: false' on '0003'",
      "file": "migrations/0003_posts_user_idx.sql",
      "line": 4,
      "column": 1
    }
  ]
  [1]
  $ varve check --format github
  ::error file=migrations/0003_posts_user_idx.sql,line=2,col=1,title=needs-no-transaction::'CREATE INDEX CONCURRENTLY posts_user_idx' cannot run inside a transaction block; set 'transaction: false' on '0003'
  ::error file=migrations/0003_posts_user_idx.sql,line=4,col=1,title=needs-no-transaction::'DROP INDEX CONCURRENTLY posts_user_idx' cannot run inside a transaction block; set 'transaction: false' on '0003'
  ! 2 errors, 0 warnings
  [1]

checksum-mismatch:

  $ cd "$FIXTURES/check/checksum-mismatch"
  $ varve check
  ! varve.yaml:9:15: error: checksum of '0002' is sha256:6149b4c4d5cdd810bb9097cd1a1c625254bebcda4052d07bc677b4655cb6c4b9, not the recorded one; run 'varve hash' if the change is intended [checksum-mismatch]
  ! 1 error, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "checksum-mismatch",
      "message": "checksum of '0002' is sha256:6149b4c4d5cdd810bb9097cd1a1c625254bebcda4052d07bc677b4655cb6c4b9, not the recorded one; run 'varve hash' if the change is intended",
      "file": "varve.yaml",
      "line": 9,
      "column": 15
    }
  ]
  [1]
  $ varve check --format github
  ::error file=varve.yaml,line=9,col=15,title=checksum-mismatch::checksum of '0002' is sha256:6149b4c4d5cdd810bb9097cd1a1c625254bebcda4052d07bc677b4655cb6c4b9, not the recorded one; run 'varve hash' if the change is intended
  ! 1 error, 0 warnings
  [1]

transaction-control:

  $ cd "$FIXTURES/check/transaction-control"
  $ varve check
  ! migrations/0003_tags.sql:2:1: error: 'BEGIN' in '0003': varve runs each migration in a transaction of its own; remove it, or set 'transaction: false' to let the file manage its own [transaction-control]
  ! migrations/0003_tags.sql:4:1: error: 'COMMIT' in '0003': varve runs each migration in a transaction of its own; remove it, or set 'transaction: false' to let the file manage its own [transaction-control]
  ! 2 errors, 0 warnings
  [1]
  $ varve check --format json
  [
    {
      "severity": "error",
      "code": "transaction-control",
      "message": "'BEGIN' in '0003': varve runs each migration in a transaction of its own; remove it, or set 'transaction: false' to let the file manage its own",
      "file": "migrations/0003_tags.sql",
      "line": 2,
      "column": 1
    },
    {
      "severity": "error",
      "code": "transaction-control",
      "message": "'COMMIT' in '0003': varve runs each migration in a transaction of its own; remove it, or set 'transaction: false' to let the file manage its own",
      "file": "migrations/0003_tags.sql",
      "line": 4,
      "column": 1
    }
  ]
  [1]
  $ varve check --format github
  ::error file=migrations/0003_tags.sql,line=2,col=1,title=transaction-control::'BEGIN' in '0003': varve runs each migration in a transaction of its own; remove it, or set 'transaction: false' to let the file manage its own
  ::error file=migrations/0003_tags.sql,line=4,col=1,title=transaction-control::'COMMIT' in '0003': varve runs each migration in a transaction of its own; remove it, or set 'transaction: false' to let the file manage its own
  ! 2 errors, 0 warnings
  [1]

missing-downgrade:

  $ cd "$FIXTURES/check/missing-downgrade"
  $ varve check
  ! varve.yaml:9:15: warning: '0003' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! 0 errors, 1 warning
  $ varve check --format json
  [
    {
      "severity": "warning",
      "code": "missing-downgrade",
      "message": "'0003' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate",
      "file": "varve.yaml",
      "line": 9,
      "column": 15
    }
  ]
  $ varve check --format github
  ::warning file=varve.yaml,line=9,col=15,title=missing-downgrade::'0003' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate
  ! 0 errors, 1 warning
  $ varve check --strict
  ! varve.yaml:9:15: error: '0003' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! 1 error, 0 warnings
  [1]

unlisted-file:

  $ cd "$FIXTURES/check/unlisted-file"
  $ varve check
  ! migrations/0003_tags.sql: warning: no entry of 'varve.yaml' lists this file [unlisted-file]
  ! 0 errors, 1 warning
  $ varve check --format json
  [
    {
      "severity": "warning",
      "code": "unlisted-file",
      "message": "no entry of 'varve.yaml' lists this file",
      "file": "migrations/0003_tags.sql",
      "line": 0,
      "column": 0
    }
  ]
  $ varve check --format github
  ::warning file=migrations/0003_tags.sql,title=unlisted-file::no entry of 'varve.yaml' lists this file
  ! 0 errors, 1 warning
  $ varve check --strict
  ! migrations/0003_tags.sql: error: no entry of 'varve.yaml' lists this file [unlisted-file]
  ! 1 error, 0 warnings
  [1]

timestamp-revision: timestamps are a choice (`naming: timestamp`, the
default), so they are a finding only where the manifest says `naming:
sequential` (a warning), or with --sequential (an error); --against warns
for the ones the branch adds (git-against.t).

  $ cd "$FIXTURES/check/timestamp-revision"
  $ varve check
  ! varve.yaml:10:15: warning: '20251115123000' is a timestamp revision; run 'varve fix' before merging [timestamp-revision]
  ! 0 errors, 1 warning
  $ varve check --format json
  [
    {
      "severity": "warning",
      "code": "timestamp-revision",
      "message": "'20251115123000' is a timestamp revision; run 'varve fix' before merging",
      "file": "varve.yaml",
      "line": 10,
      "column": 15
    }
  ]
  $ varve check --format github
  ::warning file=varve.yaml,line=10,col=15,title=timestamp-revision::'20251115123000' is a timestamp revision; run 'varve fix' before merging
  ! 0 errors, 1 warning
  $ varve check --sequential
  ! varve.yaml:10:15: error: '20251115123000' is a timestamp revision; run 'varve fix' before merging [timestamp-revision]
  ! 1 error, 0 warnings
  [1]
  $ cp -r . "$TESTTMP/timestamps" && cd "$TESTTMP/timestamps" && sed -i '/^naming/d' varve.yaml
  $ varve check
  ✓ manifest is valid
  $ varve check --sequential
  ! varve.yaml:9:15: error: '20251115123000' is a timestamp revision; run 'varve fix' before merging [timestamp-revision]
  ! 1 error, 0 warnings
  [1]

filename-mismatch:

  $ cd "$FIXTURES/check/filename-mismatch"
  $ varve check
  ! varve.yaml:11:11: warning: file name 'tags.sql' does not start with its revision '0003' [filename-mismatch]
  ! 0 errors, 1 warning
  $ varve check --format json
  [
    {
      "severity": "warning",
      "code": "filename-mismatch",
      "message": "file name 'tags.sql' does not start with its revision '0003'",
      "file": "varve.yaml",
      "line": 11,
      "column": 11
    }
  ]
  $ varve check --format github
  ::warning file=varve.yaml,line=11,col=11,title=filename-mismatch::file name 'tags.sql' does not start with its revision '0003'
  ! 0 errors, 1 warning

Paths in diagnostics are relative to where varve runs, as the user would
open them:

  $ cd "$FIXTURES/check"
  $ varve -f sql-syntax/varve.yaml check
  ! sql-syntax/migrations/0003_tags.sql:7:8: error: syntax error at or near "TABEL" [sql-syntax]
  ! 1 error, 0 warnings
  [1]
  $ varve check -f missing-file/varve.yaml --format github
  ::error file=missing-file/varve.yaml,line=11,col=11,title=missing-file::cannot read 'missing-file/migrations/0003_tags.sql' of '0003': no such file
  ! 1 error, 0 warnings
  [1]
