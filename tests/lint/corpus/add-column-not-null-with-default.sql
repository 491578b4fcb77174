-- expect: safe
-- about: NOT NULL with a constant DEFAULT: stored in the catalog, no rewrite (PostgreSQL 11+)
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
