-- expect: adding-not-null-field
-- about: SET NOT NULL scans the whole table under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
