-- expect: volatile-default
-- about: clock_timestamp() is VOLATILE (unlike now()): a rewrite
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
