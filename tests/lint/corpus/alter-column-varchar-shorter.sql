-- expect: changing-column-type, prefer-text
-- about: lowering a varchar limit checks every row under ACCESS EXCLUSIVE (a rewrite); the type is known from an earlier migration
-- migration: 0001 applied
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, phone varchar(64));
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN phone TYPE varchar(32);
