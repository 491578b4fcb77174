A full disk while `new`, `merge`, `hash` and `fix` write: each refuses
with a message naming the file, exits 2, and leaves every file as it was:
the manifest's bytes, the SQL files' names, the git index, and no
temporary file behind.

The disk fills up by way of RLIMIT_FSIZE: under `ulimit -f 100` a write
past 100 KiB fails with EFBIG ("file too large"; SIGXFSZ is ignored so
that the write fails instead of killing varve), as a full disk fails a
write with ENOSPC. The manifest is bigger than that: 800 migrations,
about 120 KiB, 190 KiB with checksums; the git index is smaller (70 KiB),
so a fix that wrote the index before the manifest would get that far.

  $ cd "$TESTTMP"
  $ export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_OPTIONAL_LOCKS=0
  $ export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com GIT_AUTHOR_DATE=2025-03-01T12:00:00Z
  $ export GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com GIT_COMMITTER_DATE=2025-03-01T12:00:00Z
  $ full() { (trap '' XFSZ; ulimit -f 100; "$@"); }
  $ snapshot() {
  >   sha256sum varve.yaml .git/index
  >   ls -a . .git migrations
  >   git status --porcelain
  > }
  $ git init -q -b main big && cd big && mkdir migrations
  $ {
  >   printf '# A long history.\nvarve: 1\nmigrations:\n'
  >   prev=null
  >   for i in $(seq -w 1 800); do
  >     printf '  - revision: "%s"\n    down_revision: %s\n    description: migration %s of a history long enough to make the manifest big\n    file: %s_m.sql\n' \
  >       $i "$prev" $i $i
  >     printf -- '-- upgrade --\nCREATE TABLE t%s (id int);\n-- downgrade --\nDROP TABLE t%s;\n' $i $i > migrations/${i}_m.sql
  >     prev="\"$i\""
  >   done
  >   for t in 20250301120000 20250302120000; do
  >     printf '  - revision: "%s"\n    down_revision: %s\n    file: %s_t.sql\n' $t "$prev" $t
  >     printf -- '-- upgrade --\nCREATE TABLE t%s (id int);\n-- downgrade --\nDROP TABLE t%s;\n' $t $t > migrations/${t}_t.sql
  >     prev="\"$t\""
  >   done
  > } > varve.yaml
  $ git add -A && git commit -qm history
  $ [ $(stat -c %s varve.yaml) -gt 110000 ] && varve check
  ✓ manifest is valid
  $ snapshot > "$TESTTMP/before"

`hash` would add a checksum to every entry:

  $ full varve hash
  ! varve: error: cannot write 'varve.yaml': file too large
  [2]
  $ snapshot | diff "$TESTTMP/before" -
  $ varve hash && git commit -qam checksums
  ✓ Wrote 802 checksums in varve.yaml
  $ [ $(stat -c %s varve.yaml) -gt 180000 ] && [ $(stat -c %s .git/index) -lt 90000 ] && snapshot > "$TESTTMP/before"

`new` would create the SQL file and append an entry:

  $ full varve new -m "on a full disk"
  ! varve: error: cannot write 'varve.yaml': file too large
  [2]
  $ snapshot | diff "$TESTTMP/before" -

`fix` would rename two files (in the index too) and rewrite the manifest:

  $ full varve fix --yes
  ! varve: error: cannot write 'varve.yaml': file too large; nothing changed
  [2]
  $ snapshot | diff "$TESTTMP/before" -

`merge` would append an entry joining two heads (a second head first):

  $ printf -- '-- upgrade --\nCREATE TABLE side (id int);\n-- downgrade --\nDROP TABLE side;\n' > migrations/side.sql
  $ printf '  - revision: "side"\n    down_revision: "001"\n    file: side.sql\n' >> varve.yaml
  $ git add -A && git commit -qm side && snapshot > "$TESTTMP/before"
  $ full varve merge -m "join"
  ! varve: error: cannot write 'varve.yaml': file too large
  [2]
  $ snapshot | diff "$TESTTMP/before" -

With room on the disk, the same commands work:

  $ varve merge -m join -q && varve fix --yes -q && varve hash -q && varve new --sequential -m more -q
  $ git status --porcelain
  R  migrations/20250301120000_t.sql -> migrations/801_t.sql
  R  migrations/20250302120000_t.sql -> migrations/802_t.sql
   M varve.yaml
  ?? migrations/804_more.sql
  $ varve heads
  804 (head)  more
  $ cd ..

## The git index

In a repository of many files the index is the big write: 3,000 source
files make it about 300 KiB while the manifest stays small. fix renames
the file and writes the manifest's new text beside it; then the index
cannot be written. The file goes back, the staged manifest goes, and the
index is the one that was there (git writes it through index.lock):

  $ git init -q -b main app && cd app && mkdir migrations src
  $ for i in $(seq 3000); do echo "int f$i;" > src/a_source_file_of_this_application_$i.c; done
  $ printf 'varve: 1\nmigrations:\n  - {revision: "0001", down_revision: null, file: 0001_a.sql}\n  - {revision: "20250301120000", down_revision: "0001", file: 20250301120000_b.sql}\n' > varve.yaml
  $ printf -- '-- upgrade --\nCREATE TABLE a (id int);\n' > migrations/0001_a.sql
  $ printf -- '-- upgrade --\nCREATE TABLE b (id int);\n' > migrations/20250301120000_b.sql
  $ git add -A && git commit -qm app
  $ [ $(stat -c %s .git/index) -gt 200000 ] && snapshot > "$TESTTMP/before"
  $ full varve fix --yes
  ! varve: error: cannot write the git index: file too large; nothing changed
  [2]
  $ snapshot | diff "$TESTTMP/before" -
  $ varve fix --yes
  ✓ Converted migrations/20250301120000_b.sql → 0002_b.sql
  ✓ Updated varve.yaml
  $ git status --porcelain
  R  migrations/20250301120000_b.sql -> migrations/0002_b.sql
   M varve.yaml
