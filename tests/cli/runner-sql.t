`upgrade --sql` prints the script varve would run, with the version-table
bookkeeping; replayed with `psql -v ON_ERROR_STOP=1` on an empty database it
gives the same schema and the same version rows as `upgrade` itself. Both
examples; schemas compared with pg_dump --schema-only.

  $ source "$ROOT/tests/cli/pg.sh"
  $ PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  $ dump() { pg_dump --schema-only --no-owner -d "$1" | grep -Ev '^(--|\\(un)?restrict |$)'; }
  $ rows() { psql -XAt -d "$1" -c "SELECT revision, description, checksum, state FROM varve_version ORDER BY seq"; }
  $ for ex in blog branches; do
  >   createdb ${ex}_run && createdb ${ex}_sql || exit 1
  >   cd "$ROOT/examples/$ex"
  >   varve -q -d postgresql:///${ex}_run upgrade || exit 1
  >   varve -d postgresql:///${ex}_sql upgrade --sql > "$TESTTMP/$ex.sql" || exit 1
  >   psql -Xq -v ON_ERROR_STOP=1 -d ${ex}_sql -f "$TESTTMP/$ex.sql" > /dev/null || exit 1
  >   cd "$TESTTMP"
  > done
  $ dump blog_run | grep -c '^CREATE TABLE'
  6
  $ diff <(dump blog_run) <(dump blog_sql) && echo same schema
  same schema
  $ diff <(rows blog_run) <(rows blog_sql) && echo same rows
  same rows
  $ dump branches_run | grep -c 'CREATE'
  11
  $ diff <(dump branches_run) <(dump branches_sql) && echo same schema
  same schema
  $ diff <(rows branches_run) <(rows branches_sql) && echo same rows
  same rows

The script of the branches example: the CREATE INDEX CONCURRENTLY runs
outside a transaction block, the others inside one each.

  $ grep -E '^(BEGIN|COMMIT|-- |SET|RESET|CREATE INDEX CONCURRENTLY|INSERT INTO)' branches.sql
  -- varve upgrade: 7 migrations
  -- run with: psql -v ON_ERROR_STOP=1 -f FILE
  -- apply 0001: create customers and products
  BEGIN;
  SET LOCAL lock_timeout = '2s';
  SET LOCAL statement_timeout = '10min';
  RESET SESSION AUTHORIZATION;
  RESET ROLE;
  RESET ALL;
  INSERT INTO "varve_version" (revision, description, checksum) VALUES ('0001', 'create customers and products', 'sha256:8b939dcc203842549b7c4f13184e4f24800f9f16260147143923dee62b111cf3');
  COMMIT;
  -- apply 0002: create invoices
  BEGIN;
  SET LOCAL lock_timeout = '2s';
  SET LOCAL statement_timeout = '10min';
  RESET SESSION AUTHORIZATION;
  RESET ROLE;
  RESET ALL;
  INSERT INTO "varve_version" (revision, description, checksum) VALUES ('0002', 'create invoices', 'sha256:6fd5937e3028faec432270b8cc801801a4a6e47cf70502bf87e4cc0cfdae14f4');
  COMMIT;
  -- apply 0003: create invoice lines
  BEGIN;
  SET LOCAL lock_timeout = '2s';
  SET LOCAL statement_timeout = '10min';
  RESET SESSION AUTHORIZATION;
  RESET ROLE;
  RESET ALL;
  INSERT INTO "varve_version" (revision, description, checksum) VALUES ('0003', 'create invoice lines', 'sha256:25261b29faa52fd3bed8d8faf314ee51569d67d54f48f008130a286c08034ae9');
  COMMIT;
  -- apply 0004: add a full-text search column to products
  BEGIN;
  SET LOCAL lock_timeout = '2s';
  SET LOCAL statement_timeout = '10min';
  -- Kept up to date by PostgreSQL itself: a stored generated column.
  RESET SESSION AUTHORIZATION;
  RESET ROLE;
  RESET ALL;
  INSERT INTO "varve_version" (revision, description, checksum) VALUES ('0004', 'add a full-text search column to products', 'sha256:7ed040336865e924c28f7e278c6d424fd86400fe73793fcb4aaf71a86786020d');
  COMMIT;
  -- apply 0005: index product search concurrently
  SET lock_timeout = '2s';
  SET statement_timeout = '10min';
  -- Builds the index without blocking writes to products. A failed build
  -- leaves an INVALID index behind: drop it with
  --   DROP INDEX CONCURRENTLY IF EXISTS products_search_idx;
  CREATE INDEX CONCURRENTLY products_search_idx ON products USING gin (search);
  RESET SESSION AUTHORIZATION;
  RESET ROLE;
  RESET ALL;
  INSERT INTO "varve_version" (revision, description, checksum) VALUES ('0005', 'index product search concurrently', 'sha256:e3253dba4e4f2d1043aa7eccbeb0285815130c259a22fb3b48606fe687ff72e2');
  -- apply 0006: merge billing and search
  BEGIN;
  SET LOCAL lock_timeout = '2s';
  SET LOCAL statement_timeout = '10min';
  RESET SESSION AUTHORIZATION;
  RESET ROLE;
  RESET ALL;
  INSERT INTO "varve_version" (revision, description, checksum) VALUES ('0006', 'merge billing and search', NULL);
  COMMIT;
  -- apply 0007: product sales view
  BEGIN;
  SET LOCAL lock_timeout = '2s';
  SET LOCAL statement_timeout = '10min';
  -- Needs both branches: invoice lines (billing) and the search column (search).
  -- Counts issued and paid invoices, not drafts or void ones.
  RESET SESSION AUTHORIZATION;
  RESET ROLE;
  RESET ALL;
  INSERT INTO "varve_version" (revision, description, checksum) VALUES ('0007', 'product sales view', 'sha256:f63a52ac28e04e80a59495c93142b4c9fc9c933e4ed16798704da5a9baf417e8');
  COMMIT;

Without any database the script is for an empty one; with one, it starts
from what is applied. A downgrade script replayed takes the schema back.

  $ cd "$ROOT/examples/blog"
  $ env -u DATABASE_URL varve upgrade --sql -f varve.yaml | head -3
  -- varve upgrade: 6 migrations
  -- run with: psql -v ON_ERROR_STOP=1 -f FILE
  
  $ varve -d postgresql:///blog_sql upgrade --sql | grep -v '^$'
  -- varve upgrade: 0 migrations
  -- run with: psql -v ON_ERROR_STOP=1 -f FILE
  CREATE TABLE IF NOT EXISTS "varve_version" (
      revision     text        PRIMARY KEY,
      description  text,
      checksum     text,
      applied_at   timestamptz NOT NULL DEFAULT now(),
      applied_by   text        NOT NULL DEFAULT current_user,
      duration_ms  bigint,
      seq          bigint      GENERATED ALWAYS AS IDENTITY,
      state        text        NOT NULL DEFAULT 'applied'
                               CHECK (state IN ('applied', 'dirty'))
  );
  $ varve -d postgresql:///blog_sql downgrade 0004 --sql > "$TESTTMP/down.sql"
  $ psql -Xq -v ON_ERROR_STOP=1 -d blog_sql -f "$TESTTMP/down.sql"
  $ varve -q -d postgresql:///blog_run downgrade 0004
  $ diff <(dump blog_run) <(dump blog_sql) && echo same schema
  same schema
  $ diff <(rows blog_run) <(rows blog_sql) && echo same rows
  same rows
  $ rows blog_sql | cut -d'|' -f1
  0001
  0002
  0003
  0004
