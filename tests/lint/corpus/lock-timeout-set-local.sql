-- expect: safe
-- about: SET LOCAL lock_timeout at the top of the migration
SET LOCAL lock_timeout = '2s';
ALTER TABLE users ADD COLUMN nickname text;
