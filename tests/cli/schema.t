`varve schema dump` and `varve check --schema` (docs/schema.md): the schema
the migrations produce, read from the catalogs, as SQL a reviewer reads.

Without -d, the manifest is built to head on a scratch server:

  $ cp -r "$ROOT/examples/blog" "$TESTTMP/blog" && cd "$TESTTMP/blog"
  $ varve schema dump > head.sql
  $ head -12 head.sql
  -- The schema, as varve schema dump prints it: objects in a stable order,
  -- every name qualified. Apply with: psql -v ON_ERROR_STOP=1 -f FILE
  
  SET check_function_bodies = false;
  SET client_min_messages = warning;
  
  CREATE SCHEMA IF NOT EXISTS public;
  
  CREATE TABLE public.comments (
      id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      post_id bigint NOT NULL,
      author_id bigint,
  $ grep -c ';$' head.sql
  34
  $ grep -E 'posts_slug_key|posts_author_id_fkey|varve_version' head.sql
  CREATE UNIQUE INDEX posts_slug_key ON public.posts USING btree (slug);
  ALTER TABLE public.posts ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.users(id) ON DELETE CASCADE;

The version table is not part of it. A database upgraded by varve dumps the
same; psql applies the dump to an empty database, which dumps the same
again:

  $ source "$ROOT/tests/cli/pg.sh"
  $ varve -q upgrade
  $ varve schema dump -d "$DATABASE_URL" | diff head.sql - && echo same
  same
  $ psql -qXc "CREATE DATABASE copy"
  $ psql -qX -v ON_ERROR_STOP=1 -d copy -f head.sql
  $ varve schema dump -d "postgresql:///copy" | diff head.sql - && echo same
  same

As JSON, every object with its kind, name and definition:

  $ varve schema dump --format json | /usr/bin/python3 "$ROOT/tests/schema/validate.py" schema
  schema: valid (54 items)
  $ varve schema dump --format json | python3 -c 'import json, sys; [print(o["kind"], o["name"]) for o in json.load(sys.stdin)["objects"] if "users" in o["name"]]'
  table public.users
  column public.users.id
  column public.users.email
  column public.users.display_name
  column public.users.created_at
  constraint users_pkey on public.users
  constraint users_email_format on public.users
  index public.users_email_key

`-o` writes a file; with `schema:` in the manifest, `check --schema`
compares it with head:

  $ varve schema dump -o schema.sql
  ! varve: wrote 'schema.sql' (54 objects)
  $ echo 'schema: schema.sql' >> varve.yaml
  $ varve check --schema
  ✓ manifest is valid, its schema snapshot is up to date

A migration edited without a new snapshot: the diff, and a finding at the
manifest's `schema:` key:

  $ sed -i 's/^CREATE UNIQUE INDEX posts_slug_key ON posts (slug);/&\n-- varve:allow require-concurrent-index the posts table is empty here\nCREATE INDEX posts_title_idx ON posts (title);\nCOMMENT ON COLUMN posts.slug IS '"'"'the URL'"'"';/' migrations/0006_add_post_slugs.sql
  $ varve check --schema; echo "exit $?"
  --- schema.sql (checked in)
  +++ schema.sql (from the migrations)
  @@ -77,6 +77,8 @@
   
   CREATE INDEX posts_published_at_idx ON public.posts USING btree (published_at DESC) WHERE (published_at IS NOT NULL);
   
  +CREATE INDEX posts_title_idx ON public.posts USING btree (title);
  +
   CREATE UNIQUE INDEX posts_slug_key ON public.posts USING btree (slug);
   
   CREATE UNIQUE INDEX users_email_key ON public.users USING btree (lower(email));
  @@ -94,3 +96,5 @@
   ALTER TABLE public.posts ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.users(id) ON DELETE CASCADE;
   
   GRANT USAGE ON SCHEMA public TO PUBLIC;
  +
  +COMMENT ON COLUMN public.posts.slug IS 'the URL';
  exit 1
  ! varve.yaml:71:9: error: the schema snapshot 'schema.sql' differs from the schema the migrations produce: review the difference, then 'varve schema dump -o schema.sql' [schema-drift]
  ! 1 error, 0 warnings
  $ varve check --schema --format json 2>/dev/null
  [
    {
      "severity": "error",
      "code": "schema-drift",
      "message": "the schema snapshot 'schema.sql' differs from the schema the migrations produce: review the difference, then 'varve schema dump -o schema.sql'",
      "file": "varve.yaml",
      "line": 71,
      "column": 9
    }
  ]
  [1]
  $ varve -q schema dump -o schema.sql && varve check --schema
  ✓ manifest is valid, its schema snapshot is up to date

A snapshot that is missing, or does not apply:

  $ mv schema.sql elsewhere.sql
  $ varve check --schema > /dev/null; echo "exit $?"
  exit 1
  ! varve.yaml:71:9: error: the schema snapshot 'schema.sql' does not exist: write it with 'varve schema dump -o schema.sql' [schema-drift]
  ! 1 error, 0 warnings
  $ printf 'CREATE TABLE a (x int);\n\nCREATE TABLE b (y nosuchtype);\n' > schema.sql
  $ varve check --schema > /dev/null; echo "exit $?"
  exit 1
  ! schema.sql:3:19: error: the schema snapshot does not apply: type "nosuchtype" does not exist (rewrite it with 'varve schema dump -o schema.sql') [schema-drift]
  ! 1 error, 0 warnings

A migration that fails while head is built, a manifest without `schema:`,
usage errors:

  $ mv elsewhere.sql schema.sql
  $ printf -- '-- upgrade --\nSELECT nosuchcolumn;\n' > migrations/0006_add_post_slugs.sql
  $ varve schema dump > /dev/null; echo "exit $?"
  exit 1
  ! migrations/0006_add_post_slugs.sql:2:8: error: column "nosuchcolumn" does not exist [42703]
  $ varve check --schema; echo "exit $?"
  exit 1
  ! varve: error: cannot build head: '0006' failed at migrations/0006_add_post_slugs.sql:2:8: column "nosuchcolumn" does not exist
  $ cd "$ROOT/examples/branches" && varve check --schema; echo "exit $?"
  exit 2
  ! varve: error: 'varve.yaml' has no 'schema:' key naming the schema snapshot (docs/schema.md)
  $ varve schema; echo "exit $?"
  exit 2
  ! varve schema: missing subcommand: 'varve schema dump'
  ! run 'varve schema --help' for usage
  $ varve schema load; echo "exit $?"
  exit 2
  ! varve schema: unknown subcommand 'load' (schema has 'dump')
  ! run 'varve schema --help' for usage
