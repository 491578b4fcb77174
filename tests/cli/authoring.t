The authoring commands: init, new, merge and hash. Every edit of an
existing manifest changes only the bytes it must, so `diff` against the
original shows just the new lines.

init writes a commented starter manifest and the migrations folder, and
never overwrites one:

  $ cd "$TESTTMP" && mkdir project && cd project
  $ varve init
  ✓ Created varve.yaml and migrations/
  $ ls
  migrations
  varve.yaml
  $ varve init
  ! varve: error: 'varve.yaml' already exists
  [1]
  $ varve -f other.yaml init --directory db/sql
  ✓ Created other.yaml and db/sql/
  $ ls db
  sql

Three migrations, numbered in sequence; the first is a root and
`migrations: []` becomes a block list:

  $ varve new -m "create users" --sequential
  ✓ Created migrations/0001_create_users.sql
  ✓ Added 0001 (a root) to varve.yaml
  $ varve new -m "Add email" --sequential
  ✓ Created migrations/0002_add_email.sql
  ✓ Added 0002 (child of 0001) to varve.yaml
  $ varve new -m "Index users(email), concurrently!" --sequential --no-transaction
  ✓ Created migrations/0003_index_users_email_concurrently.sql
  ✓ Added 0003 (child of 0002) to varve.yaml
  $ sed -n '/^migrations/,$p' varve.yaml
  migrations:
    - revision: "0001"
      down_revision: null
      description: create users
      file: 0001_create_users.sql
    - revision: "0002"
      down_revision: "0001"
      description: Add email
      file: 0002_add_email.sql
    - revision: "0003"
      down_revision: "0002"
      description: "Index users(email), concurrently!"
      file: 0003_index_users_email_concurrently.sql
      transaction: false
  $ cat migrations/0003_index_users_email_concurrently.sql
  -- Migration 0003: Index users(email), concurrently!
  -- Child of 0002. Write the upgrade SQL under '-- upgrade --' and
  -- the SQL that undoes it under '-- downgrade --'.
  -- transaction: false: each statement runs on its own, outside a
  -- transaction (as CREATE INDEX CONCURRENTLY needs).
  
  -- upgrade --
  
  
  -- downgrade --
  

The new files hold no SQL yet, so check fails until they are filled:

  $ varve check --strict
  ! varve.yaml:21:11: error: the upgrade SQL of '0001' is empty [empty-upgrade]
  ! varve.yaml:25:11: error: the upgrade SQL of '0002' is empty [empty-upgrade]
  ! varve.yaml:29:11: error: the upgrade SQL of '0003' is empty [empty-upgrade]
  ! 3 errors, 0 warnings
  [1]
  $ for f in migrations/*.sql; do
  >   t=$(basename "$f" .sql)
  >   printf -- '-- upgrade --\nCREATE TABLE t%s (id int);\n-- downgrade --\nDROP TABLE t%s;\n' "$t" "$t" > "$f"
  > done
  $ varve check --strict
  ✓ manifest is valid

`new` refuses without a description, and on a manifest that does not load:

  $ varve new
  ! varve new: a description is required: -m DESC
  ! run 'varve new --help' for usage
  [2]
  $ printf 'varve: 1\nmigrations: [\n' > broken.yaml
  $ varve -f broken.yaml new -m x
  ! broken.yaml:3:1: error: did not find expected node content (while parsing a flow node at 3:1) [yaml-syntax]
  ! varve: error: cannot parse 'broken.yaml': invalid YAML
  [1]

From here on the project names migrations in sequence by default:

  $ sed -i 's/^naming: timestamp/naming: sequential/' varve.yaml

Two branches each adding a child of 0002 leave two heads: `new` refuses,
names them and creates nothing; `merge` joins them:

  $ cat >> varve.yaml <<'YAML'
  >   - revision: "0004"
  >     down_revision: "0002"
  >     file: 0004_other.sql
  > YAML
  $ printf -- '-- upgrade --\nSELECT 1;\n-- downgrade --\nSELECT 1;\n' > migrations/0004_other.sql
  $ varve new -m "more"
  ! varve: error: several heads are present ('0003', '0004'); choose the parent with --head REV|LABEL@head, or join them with 'varve merge' first
  [1]
  $ ls migrations
  0001_create_users.sql
  0002_add_email.sql
  0003_index_users_email_concurrently.sql
  0004_other.sql
  $ varve merge -m "join the branches"
  ✓ Added 0005 (merge of 0003, 0004) to varve.yaml
  $ tail -4 varve.yaml
      file: 0004_other.sql
    - revision: "0005"
      down_revision: ["0003", "0004"]
      description: join the branches
  $ varve merge
  ! varve: error: nothing to merge: 'varve.yaml' has a single head
  [1]
  $ varve check --strict
  ✓ manifest is valid

hash writes every checksum (not the merge's: it has no SQL); a second run
changes nothing; the diff is only the checksum lines:

  $ cp varve.yaml before.yaml
  $ varve hash
  ✓ Wrote 4 checksums in varve.yaml
  $ diff before.yaml varve.yaml
  21a22
  >     checksum: sha256:856274e791bea438737d76d139c271da5f6ff3ac247f23a627d6c54d00d63e52
  25a27
  >     checksum: sha256:9b672afaf43b99d7c72523a64c7d29e571f8f312139cabb9d5aa8401c4189885
  30a33
  >     checksum: sha256:6cd93e24b4c8f68f6e27890dabf0c5af7dfa16de2a9862d30be41f9cd7757572
  33a37
  >     checksum: sha256:6d35c4bbd756f79d34eac58c70d67a8f46fc438952f6533d67c5675a41e9ec1a
  [1]
  $ varve hash
  ✓ Checksums in varve.yaml are up to date
  $ varve check --strict
  ✓ manifest is valid

Editing SQL comments does not change a checksum; editing SQL does:

  $ sed -i '1i -- a licence header' migrations/0001_create_users.sql
  $ varve hash
  ✓ Checksums in varve.yaml are up to date
  $ sed -i '0,/SELECT 1;/s//SELECT 2;/' migrations/0004_other.sql
  $ varve check
  ! varve.yaml:37:15: error: checksum of '0004' is sha256:6bf249a34fd05ad119061d57f2a30a242427d6ce0430d333f327d253a69015b4, not the recorded one; run 'varve hash' if the change is intended [checksum-mismatch]
  ! 1 error, 0 warnings
  [1]
  $ cp varve.yaml before.yaml
  $ varve hash
  ✓ Wrote 1 checksum in varve.yaml
  $ diff before.yaml varve.yaml
  37c37
  <     checksum: sha256:6d35c4bbd756f79d34eac58c70d67a8f46fc438952f6533d67c5675a41e9ec1a
  ---
  >     checksum: sha256:6bf249a34fd05ad119061d57f2a30a242427d6ce0430d333f327d253a69015b4
  [1]

A file that already exists is refused, and the manifest is left alone:

  $ cp varve.yaml before.yaml
  $ touch migrations/0006_clash.sql
  $ varve new -m "clash"
  ! varve: error: 'migrations/0006_clash.sql' already exists
  [1]
  $ cmp before.yaml varve.yaml

Timestamp naming (the manifest's default, or --timestamp), with the time
normalised:

  $ rm migrations/0006_clash.sql
  $ varve new -m "add phone" --timestamp | sed -E 's/[0-9]{14}/TIMESTAMP/g'
  ✓ Created migrations/TIMESTAMP_add_phone.sql
  ✓ Added TIMESTAMP (child of 0005) to varve.yaml
  $ tail -4 varve.yaml | sed -E 's/[0-9]{14}/TIMESTAMP/g'
    - revision: "TIMESTAMP"
      down_revision: "0005"
      description: add phone
      file: TIMESTAMP_add_phone.sql
  $ ls migrations | sed -E 's/[0-9]{14}/TIMESTAMP/g'
  0001_create_users.sql
  0002_add_email.sql
  0003_index_users_email_concurrently.sql
  0004_other.sql
  TIMESTAMP_add_phone.sql

A manifest full of comments and odd formatting: new, merge and hash touch
only the lines they add.

  $ cp -r "$FIXTURES/authoring/odd" "$TESTTMP/odd" && cd "$TESTTMP/odd"
  $ cp varve.yaml original.yaml
  $ varve new -m "add phone"
  ✓ Created migrations/0004_add_phone.sql
  ✓ Added 0004 (child of 0003) to varve.yaml
  $ diff original.yaml varve.yaml
  19a20,23
  >   -   revision: '0004'
  >       down_revision: '0003'
  >       description: add phone
  >       file: 0004_add_phone.sql
  [1]
  $ printf -- '-- upgrade --\nALTER TABLE users ADD phone text;\n-- downgrade --\nALTER TABLE users DROP phone;\n' > migrations/0004_add_phone.sql
  $ cp varve.yaml step1.yaml
  $ varve hash
  ✓ Wrote 4 checksums in varve.yaml
  $ diff step1.yaml varve.yaml
  10a11
  >       checksum: sha256:6e47d4db67a4c07db08a71cb87cde241696479e96d456ee98a176d55eac88479
  13c14
  <   - {revision: '0002', down_revision: '0001', file: 0002_add_email.sql}   # flow
  ---
  >   - {revision: '0002', down_revision: '0001', file: 0002_add_email.sql, checksum: sha256:abd17d062b1caa502341f0cfd2b2abd96f432be9c95b37cf33c8a4988dc6cb8f}   # flow
  19a21
  >       checksum: sha256:e4a7f59bb8f1a7f4a5ccc4e02237ac4b75d946f031857d25fd832d75abe1cfe9
  23a26
  >       checksum: sha256:6f7d2f82c513f58db929b2c2d4b33ab1f384f83106d757bb955cce5dc6bb07c5
  [1]
  $ varve hash
  ✓ Checksums in varve.yaml are up to date
  $ varve check --strict
  ! migrations/0002_add_email.sql:2:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  !   hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  ! migrations/0004_add_phone.sql:2:1: warning: this statement waits for an ACCESS EXCLUSIVE lock on 'users' with no lock_timeout: queued behind a long transaction, it blocks every query on the table [missing-lock-timeout]
  !   hint: set 'database.lock_timeout' in the manifest, or SET LOCAL lock_timeout = '5s' before it
  ! 0 errors, 2 warnings
  $ cp varve.yaml step2.yaml
  $ cat >> varve.yaml <<'YAML'
  >   - {revision: '0005', down_revision: '0003', up: 0003_index.up.sql}
  > YAML
  $ varve merge
  ✓ Added 0006 (merge of 0004, 0005) to varve.yaml
  $ diff step2.yaml varve.yaml
  29a30,31
  >   - {revision: '0005', down_revision: '0003', up: 0003_index.up.sql}
  >   - {revision: '0006', down_revision: ['0004', '0005']}
  [1]

Editors take turns: eight `varve new` at once each see the manifest the one
before wrote (a lock on the manifest's folder from read to write), so none
is lost and they chain one after the other.

  $ mkdir "$TESTTMP/many" && cd "$TESTTMP/many" && varve init -q
  $ sed -i 's/^naming: timestamp/naming: sequential/' varve.yaml
  $ for i in 1 2 3 4 5 6 7 8; do varve new -q -m "step $i" & done; wait
  $ grep -o "down_revision: [^ ]*" varve.yaml | tr '\n' ' '; echo
  down_revision: null down_revision: "0001" down_revision: "0002" down_revision: "0003" down_revision: "0004" down_revision: "0005" down_revision: "0006" down_revision: "0007" 
  $ ls migrations | wc -l
  8
  $ varve heads | cut -c1-11
  0008 (head)

After `varve fix` the revisions are numbers, but the manifest still says
`naming: timestamp`: `merge --sequential` keeps them numbers (as `new
--sequential` does); without the option, the manifest's naming decides.

  $ mkdir "$TESTTMP/labels" && cd "$TESTTMP/labels" && varve init -q
  $ varve new -q -m base --sequential
  $ cat >> varve.yaml <<'YAML'
  >   - {revision: "0002", down_revision: "0001", file: 0002_b.sql, branch: billing}
  >   - {revision: "0003", down_revision: "0001", file: 0003_s.sql, branch: search}
  > YAML
  $ touch migrations/0002_b.sql migrations/0003_s.sql
  $ cp varve.yaml two-heads.yaml
  $ varve merge -q --sequential -m join && tail -1 varve.yaml
    - {revision: "0004", down_revision: ["0002", "0003"], description: join}
  $ cp two-heads.yaml varve.yaml && varve merge --timestamp | sed -E 's/[0-9]{14}/TIMESTAMP/'
  ✓ Added TIMESTAMP (merge of 0002, 0003) to varve.yaml
  $ cp two-heads.yaml varve.yaml

Branch labels make several heads valid; `new` then needs `--head` to know
which one the migration follows (a label, LABEL@head, a revision):

  $ varve new -m "more billing" --sequential
  ! varve: error: several heads are present ('0002', '0003'); choose the parent with --head REV|LABEL@head, or join them with 'varve merge' first
  [1]
  $ varve new -m "more billing" --sequential --head billing@head
  ✓ Created migrations/0004_more_billing.sql
  ✓ Added 0004 (child of 0002) to varve.yaml
  $ varve new -m "more search" --sequential --head search
  ✓ Created migrations/0005_more_search.sql
  ✓ Added 0005 (child of 0003) to varve.yaml
  $ varve new -m x --sequential --head 0001
  ! varve: error: --head '0001' names '0001', which is not a head (the heads: '0004', '0005')
  [1]
  $ varve heads | cut -c1-4
  0004
  0005

The file name is the description in lower-case ASCII: letters lose their
marks as iconv's transliteration under a UTF-8 locale gives them, and
what has no ASCII form separates words. The description stays as written.

  $ varve new -m "Ünïcode Straße für Łódź 日本" --sequential --head billing@head
  ✓ Created migrations/0006_unicode_strasse_fur_lodz.sql
  ✓ Added 0006 (child of 0004) to varve.yaml
  $ grep -c "description: Ünïcode Straße für Łódź 日本" varve.yaml
  1

Cut short by a signal. `VARVE_TEST_RAISE=N:SIG` raises SIG at the Nth
step of an edit: for `new`, 1 after the manifest's new text is written
beside it, 2 after the SQL file is written beside its place, 3 after it is
linked there, 4 after the manifest is in place. SIGINT, SIGTERM and SIGHUP
wait until the edit is done (varve then exits with 128 + the signal): the
migration is there, whole, and no temporary file is left.

  $ mkdir "$TESTTMP/signals" && cd "$TESTTMP/signals" && varve init -q
  $ sed -i 's/^naming: timestamp/naming: sequential/' varve.yaml
  $ varve new -q -m first
  $ consistent() {
  >   for f in migrations/*.sql; do grep -q "file: ${f#migrations/}" varve.yaml || echo "unlisted $f"; done
  >   for f in $(sed -n 's/^ *file: //p' varve.yaml); do [ -f "migrations/$f" ] || echo "missing $f"; done
  >   ls -A . migrations | grep -c 'tmp$' || :
  > }
  $ for sig in 2 15 1; do for n in 1 2 3 4; do
  >   { VARVE_TEST_RAISE=$n:$sig varve new -q -m "s$sig n$n"; } 2>/dev/null; printf '%s ' "$?"
  > done; done; echo
  130 130 130 130 143 143 143 143 129 129 129 129 
  $ consistent
  0
  $ ls migrations | wc -l
  13

`kill -9` cannot wait: before the manifest is in place, it leaves the
manifest as it was, temporary files, and after step 3 a SQL file no entry
lists. The next edit removes them: the temporary files of processes that
are gone, and the SQL file linked from one when no entry lists it.

  $ for n in 1 2 3 4; do
  >   { VARVE_TEST_RAISE=$n:9 varve new -q -m "killed $n"; } 2>/dev/null; printf '%s:' "$?"
  >   ls -A . migrations | grep -c 'tmp$' | tr '\n' ' '
  >   varve new -q -m "after $n"; consistent | tr '\n' ' '
  > done; echo
  137:1 0 137:2 0 137:2 0 137:1 0 
  $ grep -c 'killed 4' varve.yaml; ls migrations | grep -c killed
  1
  1

`hash` and `merge` (1 after the new text is written beside the manifest,
2 after it is in place) likewise (hash refuses an empty upgrade: give
each template one first):

  $ sed -i '/^-- upgrade --$/a SELECT 1;' migrations/*.sql
  $ { VARVE_TEST_RAISE=1:9 varve hash -q; } 2>/dev/null; echo $?; ls -A | grep -c 'tmp$'
  137
  1
  $ grep -c checksum varve.yaml
  0
  [1]
  $ { VARVE_TEST_RAISE=1:15 varve hash; } 2>/dev/null; echo $?; ls -A | grep -c 'tmp$'
  ✓ Wrote 18 checksums in varve.yaml
  143
  0
  [1]
  $ varve hash
  ✓ Checksums in varve.yaml are up to date
