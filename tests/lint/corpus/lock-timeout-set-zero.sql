-- expect: missing-lock-timeout
-- about: SET lock_timeout = 0 turns the timeout off
SET lock_timeout = 0;
ALTER TABLE users ADD COLUMN nickname text;
