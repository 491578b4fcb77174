-- expect: require-concurrent-index-drop
-- about: DROP INDEX IF EXISTS takes the same lock
SET lock_timeout = '2s';
DROP INDEX IF EXISTS users_email_idx;
