`varve fix` on real git repositories: timestamp revisions become
sequential numbers in the order HEAD's first-parent history added their
files, the files are renamed (in the index too) and the manifest changes
only in the scalars that name them.

Every repository is built with the git command; names and dates are fixed
so every run builds the same history. `at` sets the date of the next
commit. The manifest merges with git's union driver, as a team would set
it up.

  $ cd "$TESTTMP"
  $ export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
  $ export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com
  $ export GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com
  $ at() { export GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z"; }
  $ mig() { printf -- '-- upgrade --\nCREATE TABLE t%s (id int);\n-- downgrade --\nDROP TABLE t%s;\n' "$1" "$1" >"migrations/$1_$2.sql"; }
  $ entry() { printf '  - revision: "%s"\n    down_revision: %s\n    file: %s_%s.sql\n' "$1" "$2" "$1" "$3" >>varve.yaml; }
  $ commit() { git add -A && git commit -qm "$1"; }
  $ repo() { git init -q -b main "$1" && cd "$1" && mkdir migrations && echo 'varve.yaml merge=union' >.gitattributes && printf '# the migrations\nvarve: 1\nmigrations:\n' >varve.yaml; }

## Numbers follow merge order

Two branches off 0002. Branch a adds 20250301120000 (committed 1 March)
and 20250305120000 (5 March); branch b adds 20250302120000 (2 March).
Main merges b on 10 March and a on 11 March: merge order (b1, a1, a2)
differs from both the timestamps and the commit dates (a1, b1, a2).

  $ at 2025-02-01 && repo merge-order
  $ mig 0001 users && entry 0001 null users
  $ mig 0002 posts && entry 0002 '"0001"' posts
  $ commit base
  $ git checkout -qb a
  $ at 2025-03-01 && mig 20250301120000 a1 && entry 20250301120000 '"0002"' a1 && commit a1
  $ at 2025-03-05 && mig 20250305120000 a2 && entry 20250305120000 '"20250301120000"' a2 && commit a2
  $ git checkout -q main && git checkout -qb b
  $ at 2025-03-02 && mig 20250302120000 b1 && entry 20250302120000 '"0002"' b1 && commit b1
  $ git checkout -q main
  $ at 2025-03-10 && git merge -q --no-ff --no-edit b
  $ at 2025-03-11 && git merge -q --no-ff --no-edit a
  $ cp varve.yaml "$TESTTMP/original.yaml"

--dry-run prints the plan and changes nothing:

  $ varve fix --dry-run
  $ git status --porcelain && cmp varve.yaml "$TESTTMP/original.yaml"

Without --yes, and not on a terminal, fix refuses:

  $ varve fix </dev/null
  $ git status --porcelain && cmp varve.yaml "$TESTTMP/original.yaml"

The two branches left two heads; --linearize chains b's line after a's
instead of a merge migration:

  $ varve fix --yes --linearize
  $ git status --porcelain
  $ ls migrations
  $ diff "$TESTTMP/original.yaml" varve.yaml
  $ varve check --strict --sequential
  $ varve fix --yes
  $ cd ..
