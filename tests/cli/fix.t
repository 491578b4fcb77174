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
  $ at 2025-03-11 && git merge -q --no-ff --no-edit a 2>/dev/null
  Auto-merging varve.yaml
  $ cp varve.yaml "$TESTTMP/original.yaml"

--dry-run prints the plan and changes nothing:

  $ varve fix --dry-run
  20250302120000 → 0003: migrations/20250302120000_b1.sql → 0003_b1.sql
  20250301120000 → 0004: migrations/20250301120000_a1.sql → 0004_a1.sql
  20250305120000 → 0005: migrations/20250305120000_a2.sql → 0005_a2.sql
  (dry run: nothing changed)
  $ git status --porcelain && cmp varve.yaml "$TESTTMP/original.yaml"

Without --yes, and not on a terminal, fix refuses:

  $ varve fix </dev/null
  ! varve: error: not a terminal: pass --yes to renumber 3 migrations (or --dry-run to see them)
  [2]
  $ git status --porcelain && cmp varve.yaml "$TESTTMP/original.yaml"

The two branches left two heads; --linearize chains a's line after b's
(a1 is re-parented onto b1) instead of a merge migration. Files are
renamed in the index too:

  $ varve fix --yes --linearize
  ✓ Converted migrations/20250302120000_b1.sql → 0003_b1.sql
  ✓ Converted migrations/20250301120000_a1.sql → 0004_a1.sql
  ✓ Converted migrations/20250305120000_a2.sql → 0005_a2.sql
  ✓ Re-parented 0004 onto 0003 (was 0002)
  ✓ Updated varve.yaml
  $ git status --porcelain
  R  migrations/20250302120000_b1.sql -> migrations/0003_b1.sql
  R  migrations/20250301120000_a1.sql -> migrations/0004_a1.sql
  R  migrations/20250305120000_a2.sql -> migrations/0005_a2.sql
   M varve.yaml
  $ ls migrations
  0001_users.sql
  0002_posts.sql
  0003_b1.sql
  0004_a1.sql
  0005_a2.sql
The manifest differs from the original only in the scalars that name the
renamed revisions and files; comments, quoting and order stay:

  $ wdiff() { git diff --no-index -U1000 --word-diff=plain --word-diff-regex='[^ "_:]+' "$1" "$2" | tail -n +6; }
  $ wdiff "$TESTTMP/original.yaml" varve.yaml
  # the migrations
  varve: 1
  migrations:
    - revision: "0001"
      down_revision: null
      file: 0001_users.sql
    - revision: "0002"
      down_revision: "0001"
      file: 0002_posts.sql
    - revision: "[-20250302120000-]{+0003+}"
      down_revision: "0002"
      file: [-20250302120000-]{+0003+}_b1.sql
    - revision: "[-20250301120000-]{+0004+}"
      down_revision: "[-0002-]{+0003+}"
      file: [-20250301120000-]{+0004+}_a1.sql
    - revision: "[-20250305120000-]{+0005+}"
      down_revision: "[-20250301120000-]{+0004+}"
      file: [-20250305120000-]{+0005+}_a2.sql

After fix the branch passes the pre-merge gate:

  $ varve check --strict --sequential
  ✓ manifest is valid

Running it again has nothing to do:

  $ varve fix --yes
  ✓ No timestamp migrations in varve.yaml: nothing to fix
  $ cd ..

## Added, deleted and re-added; not committed; width 3

Three siblings under 001 (a 3-digit project). x is added on 1 April,
deleted, then added again on 3 April, after y was added on 2 April: it
enters where it was added last. z, the earliest timestamp, is not
committed at all, so it goes last. The result follows neither the
timestamps (z, x, y) nor the manifest's order (x, y, z). The siblings leave several heads, so
--linearize chains them.

  $ at 2025-03-31 && repo readded
  $ mig 001 init && entry 001 null init && commit base
  $ at 2025-04-01 && mig 20250101000000 x && entry 20250101000000 '"001"' x && commit x
  $ at 2025-04-02 && git rm -q migrations/20250101000000_x.sql && commit "drop x"
  $ mig 20250201000000 y && entry 20250201000000 '"001"' y && commit y
  $ at 2025-04-03 && mig 20250101000000 x && commit "x again"
  $ mig 20240101000000 z && entry 20240101000000 '"001"' z
  $ varve fix --dry-run
  20250201000000 → 002: migrations/20250201000000_y.sql → 002_y.sql
  20250101000000 → 003: migrations/20250101000000_x.sql → 003_x.sql
  20240101000000 → 004: migrations/20240101000000_z.sql → 004_z.sql
  (dry run: nothing changed)
  $ varve fix --yes --linearize
  ✓ Converted migrations/20250201000000_y.sql → 002_y.sql
  ✓ Converted migrations/20250101000000_x.sql → 003_x.sql
  ✓ Converted migrations/20240101000000_z.sql → 004_z.sql
  ✓ Re-parented 003 onto 002 (was 001)
  ✓ Re-parented 004 onto 003 (was 001)
  ✓ Updated varve.yaml
  $ git status --porcelain
  R  migrations/20250201000000_y.sql -> migrations/002_y.sql
  R  migrations/20250101000000_x.sql -> migrations/003_x.sql
   M varve.yaml
  ?? migrations/004_z.sql
  $ varve check --strict --sequential
  ✓ manifest is valid
  $ cd ..

## A parent on the other branch; width 6

Branch a adds p (20250310000000). Branch b merges a and adds c
(20250309000000, an earlier timestamp) as p's child. Main merges b only:
p and c enter at the same merge, and by timestamp c would go first, but
the numbering stays topological.

  $ at 2025-05-01 && repo cross
  $ mig 000001 init && entry 000001 null init && commit base
  $ git checkout -qb a
  $ at 2025-05-02 && mig 20250310000000 p && entry 20250310000000 '"000001"' p && commit p
  $ git checkout -qb b
  $ at 2025-05-03 && mig 20250309000000 c && entry 20250309000000 '"20250310000000"' c && commit c
  $ git checkout -q main && at 2025-05-04 && git merge -q --no-ff --no-edit b
  $ varve fix --yes
  ✓ Converted migrations/20250310000000_p.sql → 000002_p.sql
  ✓ Converted migrations/20250309000000_c.sql → 000003_c.sql
  ✓ Updated varve.yaml
  $ varve check --strict --sequential
  ✓ manifest is valid
  $ cd ..

## --against: numbers taken on main are not reused

Branch late forked before main took 0003 (an earlier fix landed there).
Plain fix would reuse 0003; against main it starts after it.

  $ at 2025-06-01 && repo against
  $ mig 0001 init && entry 0001 null init
  $ mig 0002 more && entry 0002 '"0001"' more && commit base
  $ git checkout -qb late
  $ at 2025-06-03 && mig 20250603000000 late && entry 20250603000000 '"0002"' late && commit late
  $ git checkout -q main
  $ at 2025-06-02 && mig 0003 landed && entry 0003 '"0002"' landed && commit landed
  $ git checkout -q late
  $ varve fix --dry-run
  20250603000000 → 0003: migrations/20250603000000_late.sql → 0003_late.sql
  (dry run: nothing changed)
  $ varve fix --dry-run --against main
  20250603000000 → 0004: migrations/20250603000000_late.sql → 0004_late.sql
  (dry run: nothing changed)
  $ varve fix --dry-run --against no-such-branch
  ! varve: error: unknown revision 'no-such-branch'
  [2]
  $ cd ..

## A shallow clone

A clone with `--depth 1` does not hold the history that decides the
order: fix says so and how to fetch it, instead of libgit2's "object not
found". With --against, the base is known and fix numbers from the
commits that are there, with a warning.

  $ git clone -q --depth 1 -b late "file://$PWD/against" shallow 2>/dev/null && cd shallow
  $ varve fix --dry-run 2>"$TESTTMP/err"; echo "exit $?"; sed "s|$TESTTMP|TMP|" "$TESTTMP/err"
  exit 1
  varve: error: the git history of 'TMP/shallow/' is shallow (a shallow clone): the order in which migrations entered it is not all there; fetch the rest with 'git fetch --unshallow', or give the base with --against REF to number from the commits that are there
  $ git fetch -q origin main:main 2>/dev/null
  $ varve fix --dry-run --against main
  20250603000000 → 0004: migrations/20250603000000_late.sql → 0004_late.sql
  (dry run: nothing changed)
  ! varve: warning: the git history is shallow: migrations that entered before its oldest commit count as entered there ('git fetch --unshallow' fetches the rest)
  $ cd ..

## All or nothing

A copy of the merge-order repository before its fix, for each failure.
Each time, the work tree, the index and the manifest are as they were.

  $ git clone -q merge-order fail && cd fail && git reset -q --hard HEAD
  $ cp varve.yaml "$TESTTMP/before.yaml" && git status --porcelain >"$TESTTMP/before.status"
  $ same() { git status --porcelain | cmp - "$TESTTMP/before.status" && cmp varve.yaml "$TESTTMP/before.yaml" && ls migrations; }

A destination that exists (here a directory) is refused before anything
is touched:

  $ mkdir migrations/0004_a1.sql
  $ varve fix --yes
  ! varve: error: cannot rename 'migrations/20250301120000_a1.sql': 'migrations/0004_a1.sql' already exists
  [1]
  $ rmdir migrations/0004_a1.sql && same
  0001_users.sql
  0002_posts.sql
  20250301120000_a1.sql
  20250302120000_b1.sql
  20250305120000_a2.sql

The git index is locked by another git process: the files already renamed
are put back:

  $ touch .git/index.lock
  $ varve fix --yes
  ! varve: error: cannot write the git index: the index is locked; this might be due to a concurrent or crashed process; nothing changed
  [1]
  $ rm .git/index.lock && same
  0001_users.sql
  0002_posts.sql
  20250301120000_a1.sql
  20250302120000_b1.sql
  20250305120000_a2.sql

A manifest that does not parse is refused with its finding:

  $ printf 'oops: [\n' >>varve.yaml
  $ varve fix --yes
  ! varve.yaml:19:1: error: unknown key 'oops' in the manifest (allowed: varve, directory, version_table, naming, database, migrations, lint, schema) [manifest-schema]
  ! varve.yaml:20:1: error: did not find expected node content (while parsing a flow node at 20:1) [yaml-syntax]
  ! varve: error: cannot parse 'varve.yaml': invalid YAML
  [1]
  $ git checkout -q varve.yaml && same
  0001_users.sql
  0002_posts.sql
  20250301120000_a1.sql
  20250302120000_b1.sql
  20250305120000_a2.sql
  $ cd ..

## Cut short by a signal

`VARVE_TEST_RAISE=N:SIG` makes varve raise SIG at the Nth step of an
edit that a signal could cut: for this fix of four tracked files, 1 after
the journal is written, 2 to 5 after each rename, 6 after the git index is
written, 7 after the manifest is in place (the step that decides). 8 is
past the end. `state` is what a user would look at: the manifest, the
files, the index, and any file varve left beside them.

  $ git clone -q merge-order signals && cd signals && git reset -q --hard HEAD
  $ at 2025-03-12 && mig 20250312120000 c && entry 20250312120000 '["20250305120000", "20250302120000"]' c && commit c
  $ state() { { cat varve.yaml; ls -a . migrations; git ls-files -s; } | md5sum | cut -c1-8; }
  $ reset() { git reset -q --hard HEAD && git clean -qfdx; }
  $ old=$(state) && varve fix -q --yes && new=$(state) && reset && test "$(state)" = "$old"
  $ varve fix --dry-run | head -1
  20250302120000 → 0003: migrations/20250302120000_b1.sql → 0003_b1.sql

SIGINT, SIGTERM and SIGHUP are caught: before the manifest is in place,
the steps taken are undone, after it the fix completes; varve exits with
128 + the signal and leaves nothing behind, not even its journal.

  $ for sig in 2 15 1; do for n in 1 2 3 4 5 6 7 8; do
  >   VARVE_TEST_RAISE=$n:$sig varve fix -q --yes 2>/dev/null; rc=$?
  >   s=$(state); [ "$s" = "$old" ] && s=old; [ "$s" = "$new" ] && s=new
  >   printf '%s ' "$sig:$n=$rc,$s"; reset
  > done; echo; done
  2:1=130,old 2:2=130,old 2:3=130,old 2:4=130,old 2:5=130,old 2:6=130,old 2:7=130,new 2:8=0,new 
  15:1=143,old 15:2=143,old 15:3=143,old 15:4=143,old 15:5=143,old 15:6=143,old 15:7=143,new 15:8=0,new 
  1:1=129,old 1:2=129,old 1:3=129,old 1:4=129,old 1:5=129,old 1:6=129,old 1:7=129,new 1:8=0,new 

`kill -9` cannot be caught: it leaves the journal, and until `varve fix
--recover` deals with it, check, upgrade, downgrade and the commands that
edit refuse with a message that says so. The journal decides: the manifest in place means
complete, else undo. Either way the result is wholly old or wholly new.

  $ { VARVE_TEST_RAISE=3:9 varve fix -q --yes; } 2>/dev/null; echo $?
  137
  $ varve check
  ! varve: error: a 'varve fix' of 'varve.yaml' was cut short (its journal '.varve-fix.journal' is there): run 'varve fix --recover' to complete or undo it
  [1]
  $ varve new -m more
  ! varve: error: a 'varve fix' of 'varve.yaml' was cut short (its journal '.varve-fix.journal' is there): run 'varve fix --recover' to complete or undo it
  [1]
  $ varve fix --yes
  ! varve: error: a 'varve fix' of 'varve.yaml' was cut short (its journal '.varve-fix.journal' is there): run 'varve fix --recover' to complete or undo it
  [1]
  $ varve upgrade --sql
  ! varve: error: a 'varve fix' of 'varve.yaml' was cut short (its journal '.varve-fix.journal' is there): run 'varve fix --recover' to complete or undo it
  [1]
  $ varve fix --recover
  ✓ Undid the interrupted fix of varve.yaml (4 files)
  $ test "$(state)" = "$old" && varve fix --recover
  ✓ No interrupted fix of varve.yaml: nothing to recover
  $ { VARVE_TEST_RAISE=7:9 varve fix -q --yes; } 2>/dev/null; varve fix --recover
  ✓ Completed the interrupted fix of varve.yaml (4 files)
  $ test "$(state)" = "$new" && reset

Every point, each followed by the next run's recovery:

  $ for n in 1 2 3 4 5 6 7 8; do
  >   { VARVE_TEST_RAISE=$n:9 varve fix -q --yes; } 2>/dev/null; rc=$?
  >   varve fix -q --recover
  >   s=$(state); [ "$s" = "$old" ] && s=old; [ "$s" = "$new" ] && s=new
  >   printf '%s ' "$n=$rc,$s"; reset
  > done; echo
  1=137,old 2=137,old 3=137,old 4=137,old 5=137,old 6=137,old 7=137,new 8=0,new 

A kill between the link and the unlink of one rename leaves both names
on the file (made by hand here, after a kill before the first rename):
recovery keeps one. Each direction, then a manifest edited since the kill,
which recovery cannot place:

  $ { VARVE_TEST_RAISE=1:9 varve fix -q --yes; } 2>/dev/null
  [137]
  $ ln migrations/20250302120000_b1.sql migrations/0003_b1.sql
  $ varve fix --recover && test "$(state)" = "$old"
  ✓ Undid the interrupted fix of varve.yaml (4 files)
  $ { VARVE_TEST_RAISE=7:9 varve fix -q --yes; } 2>/dev/null
  [137]
  $ ln migrations/0003_b1.sql migrations/20250302120000_b1.sql
  $ varve fix --recover && test "$(state)" = "$new" && reset
  ✓ Completed the interrupted fix of varve.yaml (4 files)
  $ { VARVE_TEST_RAISE=4:9 varve fix -q --yes; } 2>/dev/null
  [137]
  $ echo '# edited' >>varve.yaml
  $ varve fix --recover
  ! varve: error: cannot recover: 'varve.yaml' is neither the manifest before the fix nor the one after it; put back the one before it (e.g. 'git checkout varve.yaml') and run 'varve fix --recover' again
  [1]
  $ git checkout -q varve.yaml && varve fix --recover && test "$(state)" = "$old"
  ✓ Undid the interrupted fix of varve.yaml (4 files)

A kill during the write of the git index leaves git's lock file; recovery
names it rather than guess whether a git is running:

  $ { VARVE_TEST_RAISE=6:9 varve fix -q --yes; } 2>/dev/null
  [137]
  $ touch .git/index.lock
  $ varve fix --recover
  ! varve: error: cannot write the git index (if no git is running, remove '.git/index.lock' and run 'varve fix --recover' again): the index is locked; this might be due to a concurrent or crashed process
  [1]
  $ rm .git/index.lock && varve fix --recover && test "$(state)" = "$old"
  ✓ Undid the interrupted fix of varve.yaml (4 files)
  $ cd ..
