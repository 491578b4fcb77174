Folders that refuse a new file, for `new`, `hash` and `fix`: each refuses
with a message naming the file or folder, exits 2, and leaves every file
as it was: the manifest's bytes, the SQL files' names, the git index, and
no temporary file behind.

Root writes anywhere, so varve runs as the unprivileged `postgres` user
(as root; otherwise as whoever runs the tests) on a project that root
owns, where a folder of mode 0555 can be read but not written. That user
needs the binary and a way to the project: a copy of the binary, and the
test's folder opened for traversal. libgit2 trusts a repository that
another user owns only when git's safe.directory names it, so that user's
git configuration does (without it varve refuses the repository as git
does; tests/unit/test_gitlog.c).

  $ set -o pipefail
  $ export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_OPTIONAL_LOCKS=0
  $ export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com GIT_AUTHOR_DATE=2025-03-01T12:00:00Z
  $ export GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com GIT_COMMITTER_DATE=2025-03-01T12:00:00Z
  $ chmod 0711 "$(dirname "$TESTTMP")" && cd "$TESTTMP"
  $ mkdir bin home && install -m 0755 "$VARVE" bin/varve
  $ printf '[safe]\n\tdirectory = %s/p\n' "$TESTTMP" > home/.gitconfig
  $ other() {
  >   if [ "$(id -u)" = 0 ]; then runuser -u postgres -- env HOME="$TESTTMP/home" "$TESTTMP/bin/varve" "$@"
  >   else HOME="$TESTTMP/home" "$TESTTMP/bin/varve" "$@"; fi
  > }
  $ snapshot() {
  >   sha256sum varve.yaml .git/index
  >   ls -a . .git migrations
  >   git status --porcelain
  > }

The project: two numbered migrations and a timestamp one, committed.

  $ git init -q -b main tpl && cd tpl && mkdir migrations
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n-- downgrade --\nDROP TABLE a;\n' > migrations/0001_a.sql
  $ printf -- '-- upgrade --\nCREATE TABLE b (id int);\n-- downgrade --\nDROP TABLE b;\n' > migrations/0002_b.sql
  $ printf -- '-- upgrade --\nCREATE TABLE c (id int);\n-- downgrade --\nDROP TABLE c;\n' > migrations/20250301120000_c.sql
  $ cat > varve.yaml <<'YAML'
  > # the migrations
  > varve: 1
  > migrations:
  >   - {revision: "0001", down_revision: null, file: 0001_a.sql}
  >   - {revision: "0002", down_revision: "0001", file: 0002_b.sql}
  >   - {revision: "20250301120000", down_revision: "0002", file: 20250301120000_c.sql}
  > YAML
  $ git add -A && git commit -qm base && cd ..

`fresh ROOT MIGRATIONS GIT` copies it to p with those modes on the
project folder, its migrations folder and its .git folder, and takes a
snapshot:

  $ fresh() {
  >   cd "$TESTTMP" && { [ ! -d p ] || chmod -R u+w p; } && rm -rf p && cp -a tpl p && chmod -R a+rX p &&
  >   chmod "$2" p/migrations && chmod "$3" p/.git && chmod "$1" p && cd p && snapshot > ../before
  > }

## new

The whole project read-only: the manifest's new text has nowhere to go,
and that is the first thing `new` writes:

  $ fresh 0555 0555 0555
  $ other new --sequential -m "read only"
  ! varve: error: cannot write 'varve.yaml': cannot create a file in '.': permission denied
  [2]
  $ snapshot | diff ../before -

Only the project folder read-only: the same, and nothing is created in
the migrations folder, which could take a file:

  $ fresh 0555 0777 0555
  $ other new --sequential -m "read only"
  ! varve: error: cannot write 'varve.yaml': cannot create a file in '.': permission denied
  [2]
  $ snapshot | diff ../before -

Only the migrations folder read-only: the manifest's new text was written
beside it; it goes when the SQL file cannot be created:

  $ fresh 0777 0555 0555
  $ other new --sequential -m "read only"
  ! varve: error: cannot write 'migrations/0003_read_only.sql': cannot create a file in 'migrations': permission denied
  [2]
  $ snapshot | diff ../before -

## hash

  $ fresh 0555 0555 0555
  $ other hash
  ! varve: error: cannot write 'varve.yaml': cannot create a file in '.': permission denied
  [2]
  $ snapshot | diff ../before -

## fix

The project folder read-only: nothing is renamed.

  $ fresh 0555 0777 0777
  $ other fix --yes
  ! varve: error: cannot write 'varve.yaml': cannot create a file in '.': permission denied; nothing changed
  [2]
  $ snapshot | diff ../before -

The migrations folder read-only: the file cannot be renamed, and the
manifest's new text goes.

  $ fresh 0777 0555 0777
  $ other fix --yes
  ! varve: error: cannot rename 'migrations/20250301120000_c.sql' to 'migrations/0003_c.sql': permission denied; nothing changed
  [2]
  $ snapshot | diff ../before -

The .git folder read-only: the file is renamed, then the index cannot be
locked for writing; the file goes back, and the index is the one that was
there.

  $ fresh 0777 0777 0555
  $ other fix --yes 2>&1 | sed "s|$TESTTMP|TESTTMP|"
  varve: error: cannot write the git index: failed to create locked file 'TESTTMP/p/.git/index.lock': Permission denied; nothing changed
  [2]
  $ snapshot | diff ../before -

Everything writable, as that user: fix works.

  $ fresh 0777 0777 0777
  $ other fix --yes
  ✓ Converted migrations/20250301120000_c.sql → 0003_c.sql
  ✓ Updated varve.yaml
  $ git status --porcelain
  R  migrations/20250301120000_c.sql -> migrations/0003_c.sql
   M varve.yaml
  $ cd .. && chmod -R u+w p
