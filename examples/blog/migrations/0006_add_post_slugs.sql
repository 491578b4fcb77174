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

ALTER TABLE posts ALTER COLUMN slug SET NOT NULL;
ALTER TABLE posts ADD CONSTRAINT posts_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$');
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);

-- downgrade --
DROP INDEX posts_slug_key;
ALTER TABLE posts DROP COLUMN slug;
