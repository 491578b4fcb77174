`varve test`: every migration up, down, up on a scratch server, the schema
read from the catalogs and compared after each step.

  $ set -o pipefail
  $ summary() { sed -E 's/ \([0-9.]+ s; catalog reads [0-9.]+ ms a migration\)$//'; }

Both examples pass:

  $ cd "$ROOT/examples/blog" && varve test | summary
  Testing every downgrade on a scratch server
    ✓ 0001  up/down/up  create users
    ✓ 0002  up/down/up  create posts
    ✓ 0003  up/down/up  create comments
    ✓ 0004  up/down/up  create tags and post_tags
    ✓ 0005  up/down/up  index published posts by date
    ✓ 0006  up/down/up  add post slugs
  6 tested: 6 passed
  $ cd "$ROOT/examples/branches" && varve test | summary
  Testing every downgrade on a scratch server
    ✓ 0001  up/down/up  create customers and products
    ✓ 0002  up/down/up  create invoices
    ✓ 0003  up/down/up  create invoice lines
    ✓ 0004  up/down/up  add a full-text search column to products
    ✓ 0005  up/down/up  index product search concurrently
    ✓ 0006  up/down/up  merge billing and search
    ✓ 0007  up/down/up  product sales view
  7 tested: 7 passed

A downgrade that forgets to drop an index: the walk stops at that
migration, shows what differs, and points at its downgrade section:

  $ cd "$FIXTURES/test/forgotten-drop-index" && varve test | summary
  Testing every downgrade on a scratch server
    ✓ 0001  up/down/up  create users
    ✗ 0002  downgrade does not restore the schema
        index public.users_email_idx: added
            CREATE INDEX users_email_idx ON public.users USING btree (email)
  2 tested: 1 passed, 1 failed; 1 not tested after the failure
  ! migrations/0002_index_users_by_email.sql:6:1: error: the downgrade of '0002' does not restore the schema
  [1]
  $ sed -n 5,6p migrations/0002_index_users_by_email.sql
  -- downgrade --
  ALTER TABLE users DROP COLUMN name;

A column type not restored, a dropped default, a leftover function, a
missing DROP TYPE, a grant not revoked:

  $ cd "$FIXTURES/test/column-type-not-restored" && varve -q test
    ✗ 0002  downgrade does not restore the schema
        column public.users.email: changed
          - email text NOT NULL
          + email character varying(200) NOT NULL
  ! migrations/0002_widen_email.sql:5:1: error: the downgrade of '0002' does not restore the schema
  [1]
  $ cd "$FIXTURES/test/dropped-default" && varve -q test
    ✗ 0002  downgrade does not restore the schema
        column public.users.created_at: changed
          - created_at timestamp with time zone DEFAULT now() NOT NULL
          + created_at timestamp with time zone NOT NULL
  ! migrations/0002_created_at_without_default.sql:6:1: error: the downgrade of '0002' does not restore the schema
  [1]
  $ cd "$FIXTURES/test/leftover-function" && varve -q test
    ✗ 0002  downgrade does not restore the schema
        function public.normalise_email(text): added
            CREATE OR REPLACE FUNCTION public.normalise_email(e text)
             RETURNS text
             LANGUAGE sql
             IMMUTABLE
            AS $function$ SELECT lower(trim(e)) $function$
  ! migrations/0002_normalise_emails.sql:7:1: error: the downgrade of '0002' does not restore the schema
  [1]
  $ cd "$FIXTURES/test/missing-drop-type" && varve -q test
    ✗ 0002  downgrade does not restore the schema
        type public.user_status: added
            CREATE TYPE public.user_status AS ENUM ('active', 'suspended')
  ! migrations/0002_user_status.sql:6:1: error: the downgrade of '0002' does not restore the schema
  [1]
  $ cd "$FIXTURES/test/grant-not-revoked" && varve -q test
    ✗ 0002  downgrade does not restore the schema
        grant table public.users to varve_test_reader: added
            GRANT SELECT ON TABLE public.users TO varve_test_reader
  ! migrations/0002_let_the_reader_read_users.sql:6:1: error: the downgrade of '0002' does not restore the schema
  [1]

A downgrade whose SQL fails: the server's error at its place in the file:

  $ cd "$FIXTURES/test/downgrade-fails" && varve test | summary
  Testing every downgrade on a scratch server
    ✓ 0001  up/down/up  create users
    ✗ 0002  downgrade failed
  2 tested: 1 passed, 1 failed; 1 not tested after the failure
  ! migrations/0002_add_nickname.sql:5:1: error: column "nick_name" of relation "users" does not exist [42703]
  [1]

The shape of a real project (openmeter's): 25 downgrades that hold only a
comment are irreversible, skipped, not failed; the walk goes on above
them and tests the 5 real ones:

  $ cd "$FIXTURES/test/openmeter-style" && varve test | summary | sed -E 's/[0-9]{14}/REV/' | sort | uniq -c | sed -E 's/^ +//'
  25   - REV  irreversible, skipped
  5   ✓ REV  up/down/up
  1 30 tested: 5 passed, 25 irreversible (skipped)
  1 Testing every downgrade on a scratch server

--data: rows a migration's seed statements insert must go with its
downgrade (row counts per table):

  $ cd "$FIXTURES/test/seed-rows-left" && varve -q test --data
    ✗ 0002  downgrade leaves rows behind
        table public.roles: 0 rows before the upgrade, 2 after the downgrade
  ! migrations/0002_seed_roles.sql:5:1: error: the downgrade of '0002' leaves rows behind
  [1]

Without --data the same downgrade fails all the same, later: the upgrade
after it finds the rows it inserts already there:

  $ varve -q test
    ✗ 0002  upgrade after the downgrade failed
  ! migrations/0002_seed_roles.sql:2:1: error: duplicate key value violates unique constraint "roles_pkey" [23505]
  !   detail: Key (name)=(editor) already exists.
  [1]
  $ cd "$FIXTURES/test/seed-rows-removed" && varve -q test --data

--from and --to choose where the walk tests (what is below --from is
applied untested):

  $ cd "$ROOT/examples/blog" && varve test --from 0003 --to 0005 | summary
  Testing every downgrade on a scratch server
    ✓ 0003  up/down/up  create comments
    ✓ 0004  up/down/up  create tags and post_tags
    ✓ 0005  up/down/up  index published posts by date
  3 tested: 3 passed
  $ cd "$FIXTURES/test/forgotten-drop-index" && varve -q test --from 0003
  $ varve -q test --to 0001
  $ varve test --to nosuch
  ! varve: error: no revision or branch 'nosuch'
  [1]

--format github: an annotation at the downgrade section, the diff in its
message; --format json: one document (schemas/test.schema.json):

  $ varve test --format github 2>/dev/null | grep '^::'
  ::error file=migrations/0002_index_users_by_email.sql,line=6,col=1,title=varve test 0002%3A downgrade does not restore the schema::downgrade does not restore the schema%0Aindex public.users_email_idx: added%0A    CREATE INDEX users_email_idx ON public.users USING btree (email)%0A
  [1]
  $ varve test --format json | /usr/bin/python3 "$ROOT/tests/schema/validate.py" test
  test: valid (2 items)
  [1]
  $ varve test --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); m = d["migrations"][1]; print(d["varve"], d["command"], d["ok"], d["summary"], m["revision"], m["outcome"], m["problem"], m["file"], m["line"], [(x["change"], x["kind"], x["name"]) for x in m["diff"]])'
  1 test False {'tested': 2, 'passed': 1, 'irreversible': 0, 'no_downgrade': 0, 'failed': 1, 'not_run': 1} 0002 failed not_restored migrations/0002_index_users_by_email.sql 6 [('added', 'index', 'public.users_email_idx')]
  [1]
  $ cd "$FIXTURES/test/openmeter-style" && varve test --format json | /usr/bin/python3 "$ROOT/tests/schema/validate.py" test
  test: valid (30 items)

-d URL: a throwaway database, which must have no varve history (the walk
writes to it, and leaves every migration applied):

  $ source "$ROOT/tests/cli/pg.sh"
  $ cd "$ROOT/examples/blog" && varve test -d postgresql:///postgres | summary
  Testing every downgrade on postgresql:///postgres ("varve_version")
    ✓ 0001  up/down/up  create users
    ✓ 0002  up/down/up  create posts
    ✓ 0003  up/down/up  create comments
    ✓ 0004  up/down/up  create tags and post_tags
    ✓ 0005  up/down/up  index published posts by date
    ✓ 0006  up/down/up  add post slugs
  6 tested: 6 passed
  $ varve test -d postgresql:///postgres
  ! varve: error: "varve_version" records 6 applied migrations: varve test needs a database without varve history (it applies, rolls back and applies every migration); use a throwaway database or the default scratch server
  [1]

DATABASE_URL (set by pg.sh) is never used: without -d, a scratch server.

  $ varve -q test --to 0001; echo $?
  0
  $ varve test extra
  ! varve test: unexpected argument 'extra'
  ! run 'varve test --help' for usage
  [2]
