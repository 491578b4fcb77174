-- expect: missing-lock-timeout
-- about: ACCESS EXCLUSIVE without lock_timeout: queued behind a long query, it blocks everything queued behind it
ALTER TABLE users ADD COLUMN nickname text;
