-- expect: safe
-- about: the CHECK was added NOT VALID in an earlier migration; VALIDATE (SHARE UPDATE EXCLUSIVE) then SET NOT NULL (no scan) here
-- migration: 0001 applied
SET lock_timeout = '2s';
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
