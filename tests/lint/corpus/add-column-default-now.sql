-- expect: safe
-- about: now() is STABLE: evaluated once, stored in the catalog, no rewrite
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
