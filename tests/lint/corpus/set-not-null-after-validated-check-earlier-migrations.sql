-- expect: safe
-- about: a validated CHECK (email IS NOT NULL) from earlier migrations lets SET NOT NULL skip the scan (PostgreSQL 12+)
-- migration: 0001 applied
SET lock_timeout = '2s';
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
-- migration: 0002 applied
SET lock_timeout = '2s';
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
-- migration: 0003
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_email_not_null;
