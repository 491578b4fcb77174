-- expect: prefer-text
-- about: character varying(n) spelled out, in ADD COLUMN
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN phone character varying(32);
