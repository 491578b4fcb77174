`varve check --against REF` on real git repositories: the manifest at REF
is joined with this one as the merge would, and what the merge would
break is reported here, at positions in this manifest.

A repository with two migrations on main; names and dates are fixed so
every run builds the same history.

  $ cd "$TESTTMP"
  $ export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
  $ export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com
  $ export GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com
  $ export GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z
  $ mig() { printf -- '-- upgrade --\nCREATE TABLE t%s (id int);\n-- downgrade --\nDROP TABLE t%s;\n' "$1" "$1" >"migrations/$1_$2.sql"; }
  $ entry() { printf '  - revision: "%s"\n    down_revision: %s\n    file: %s_%s.sql\n' "$1" "$2" "$1" "$3" >>varve.yaml; }
  $ git init -q -b main repo && cd repo && mkdir migrations
  $ printf 'varve: 1\nmigrations:\n' >varve.yaml
  $ mig 0001 users && entry 0001 null users
  $ mig 0002 posts && entry 0002 '"0001"' posts
  $ git add -A && git commit -qm base
  $ varve check --against main
  ✓ manifest is valid

Two branches each add a child of the same head. Each is valid alone, and
against main, which has neither yet. A timestamp revision the branch adds
is a warning against REF (a manifest without `naming: sequential` keeps
its timestamps silently otherwise): it is the one `varve fix` should
number before the merge. One that REF has already is not this branch's.

  $ git checkout -qb feature-a
  $ mig 20250301120000 a && entry 20250301120000 '"0002"' a
  $ git add -A && git commit -qm a
  $ git checkout -q main && git checkout -qb feature-b
  $ mig 20250302120000 b && entry 20250302120000 '"0002"' b
  $ git add -A && git commit -qm b
  $ varve check --against main
  ! varve.yaml:9:15: warning: '20250302120000' is a timestamp revision new on this branch (not on 'main'); run 'varve fix' before merging [timestamp-revision]
  ! 0 errors, 1 warning

Against each other, each branch sees the two heads the merge would leave,
at its own head's position, the other's named with "(from REF)":

  $ varve check --against feature-a
  ! varve.yaml:9:15: error: merging 'feature-a' would leave multiple heads: '20250302120000', '20250301120000' (from feature-a); join them with 'varve merge' [multiple-heads]
  ! varve.yaml:9:15: warning: '20250302120000' is a timestamp revision new on this branch (not on 'feature-a'); run 'varve fix' before merging [timestamp-revision]
  ! 1 error, 1 warning
  [1]
  $ git checkout -q feature-a
  $ varve check --against feature-b --format json
  [
    {
      "severity": "error",
      "code": "multiple-heads",
      "message": "merging 'feature-b' would leave multiple heads: '20250301120000', '20250302120000' (from feature-b); join them with 'varve merge'",
      "file": "varve.yaml",
      "line": 9,
      "column": 15
    },
    {
      "severity": "warning",
      "code": "timestamp-revision",
      "message": "'20250301120000' is a timestamp revision new on this branch (not on 'feature-b'); run 'varve fix' before merging",
      "file": "varve.yaml",
      "line": 9,
      "column": 15
    }
  ]
  [1]

feature-a lands on main first. Against main, feature-a is fine, and
feature-b, which has not caught up, sees the two heads before its merge
could let them into main:

  $ git checkout -q main && git merge -q --no-ff --no-edit feature-a
  $ git checkout -q feature-a && varve check --against main
  ✓ manifest is valid
  $ git checkout -q feature-b && varve check --against main
  ! varve.yaml:9:15: error: merging 'main' would leave multiple heads: '20250302120000', '20250301120000' (from main); join them with 'varve merge' [multiple-heads]
  ! varve.yaml:9:15: warning: '20250302120000' is a timestamp revision new on this branch (not on 'main'); run 'varve fix' before merging [timestamp-revision]
  ! 1 error, 1 warning
  [1]

feature-b merges main, takes both entries, and adds a merge migration:
the check passes, against main too.

  $ git merge -q main >/dev/null 2>&1
  [1]
  $ git checkout -q --theirs varve.yaml
  $ entry 20250302120000 '"0002"' b
  $ printf '  - revision: "20250303120000"\n    down_revision: ["20250301120000", "20250302120000"]\n' >>varve.yaml
  $ git add -A && git commit -q --no-edit
  $ varve check --against main
  ! varve.yaml:12:15: warning: '20250302120000' is a timestamp revision new on this branch (not on 'main'); run 'varve fix' before merging [timestamp-revision]
  ! varve.yaml:15:15: warning: '20250303120000' is a timestamp revision new on this branch (not on 'main'); run 'varve fix' before merging [timestamp-revision]
  ! 0 errors, 2 warnings
  $ varve check --against feature-a
  ! varve.yaml:12:15: warning: '20250302120000' is a timestamp revision new on this branch (not on 'feature-a'); run 'varve fix' before merging [timestamp-revision]
  ! varve.yaml:15:15: warning: '20250303120000' is a timestamp revision new on this branch (not on 'feature-a'); run 'varve fix' before merging [timestamp-revision]
  ! 0 errors, 2 warnings

The same merge migration, not yet committed, works as well: an entry both
sides added identically is one entry.

  $ git checkout -q -b feature-b2 feature-b~1
  $ git show feature-b:varve.yaml >varve.yaml
  $ git show feature-a:migrations/20250301120000_a.sql >migrations/20250301120000_a.sql
  $ varve check --against main
  ! varve.yaml:12:15: warning: '20250302120000' is a timestamp revision new on this branch (not on 'main'); run 'varve fix' before merging [timestamp-revision]
  ! varve.yaml:15:15: warning: '20250303120000' is a timestamp revision new on this branch (not on 'main'); run 'varve fix' before merging [timestamp-revision]
  ! 0 errors, 2 warnings

Both sides adding the same revision with different content is a
duplicate-revision, at this side's entry:

  $ git checkout -q -f main && git checkout -qb seq-c
  $ mig 0003 c && entry 0003 '"20250301120000"' c
  $ git add -A && git commit -qm c
  $ git checkout -q main && git checkout -qb seq-d
  $ mig 0003 d && entry 0003 '"20250301120000"' d
  $ git add -A && git commit -qm d
  $ varve check --against seq-c
  ! varve.yaml:12:15: error: revision '0003' is also added on 'seq-c', with different content: merging would define it twice [duplicate-revision]
  ! 1 error, 0 warnings
  [1]

A REF without a manifest adds nothing; an unknown REF and a manifest
outside any repository are usage errors:

  $ git checkout -q --orphan empty && git rm -rq --cached . && git commit -q --allow-empty -m empty
  $ git checkout -q -f seq-d
  $ varve check --against empty
  ! varve.yaml:9:15: warning: '20250301120000' is a timestamp revision new on this branch (not on 'empty'); run 'varve fix' before merging [timestamp-revision]
  ! 0 errors, 1 warning
  $ varve check --against no-such-branch
  ! varve: error: unknown revision 'no-such-branch'
  [2]
  $ mkdir "$TESTTMP/plain" && cp varve.yaml "$TESTTMP/plain/" && cp -r migrations "$TESTTMP/plain/"
  $ cd "$TESTTMP/plain" && varve check --against main
  ! varve: error: --against needs a git repository: 'varve.yaml' is not in one
  [2]
