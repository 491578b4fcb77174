-- expect: prefer-text
-- about: raising a varchar limit is binary coercible: no rewrite; but the new type is varchar(n) again (prefer-text)
-- migration: 0001 applied
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, phone varchar(32));
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN phone TYPE varchar(64);
