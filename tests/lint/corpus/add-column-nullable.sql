-- expect: safe
-- about: a nullable column without default: a catalog change
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN nickname text;
