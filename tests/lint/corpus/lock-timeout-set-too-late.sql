-- expect: missing-lock-timeout
-- about: lock_timeout set after the statement that needs it
ALTER TABLE users ADD COLUMN nickname text;
SET lock_timeout = '2s';
