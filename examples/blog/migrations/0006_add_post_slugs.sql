-- upgrade --
ALTER TABLE posts ADD COLUMN slug text;

-- Existing posts get a slug from their title: "Hello, World!" -> "hello-world",
-- made unique with the id where two titles give the same slug.
UPDATE posts
   SET slug = trim(both '-' from regexp_replace(lower(title), '[^a-z0-9]+', '-', 'g'));

UPDATE posts
   SET slug = 'post-' || id
 WHERE slug = '';

UPDATE posts p
   SET slug = p.slug || '-' || p.id
 WHERE EXISTS (SELECT 1 FROM posts q WHERE q.slug = p.slug AND q.id < p.id);

-- A blog's posts table is small, so this migration backfills, constrains and
-- indexes in one transaction. On a large table, split it (docs/lint/):
-- CHECK ... NOT VALID then VALIDATE, and CREATE UNIQUE INDEX CONCURRENTLY.
-- varve:allow adding-not-null-field posts is small; one transaction keeps the slugs whole
ALTER TABLE posts ALTER COLUMN slug SET NOT NULL;
-- varve:allow constraint-missing-not-valid posts is small; the backfill above satisfies it
ALTER TABLE posts ADD CONSTRAINT posts_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$');
-- varve:allow require-concurrent-index posts is small; the index must exist before any new slug
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);

-- downgrade --
DROP INDEX posts_slug_key;
ALTER TABLE posts DROP COLUMN slug;
