-- expect: adding-not-null-field
-- about: a CHECK that is still NOT VALID proves nothing: SET NOT NULL scans
-- migration: 0001 applied
SET lock_timeout = '2s';
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
