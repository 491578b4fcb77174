-- expect: safe
-- about: CURRENT_TIMESTAMP is now(): no rewrite
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT CURRENT_TIMESTAMP;
