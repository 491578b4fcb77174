-- expect: prefer-text
-- about: raising a varchar limit is binary coercible: no rewrite; but the new type is varchar(n) again (prefer-text)
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN phone TYPE varchar(64);
