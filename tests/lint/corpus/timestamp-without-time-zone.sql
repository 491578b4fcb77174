-- expect: prefer-timestamptz
-- about: timestamp(3) without time zone, spelled out
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN last_login timestamp(3) without time zone;
