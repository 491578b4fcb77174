-- expect: constraint-missing-not-valid
-- about: ADD CHECK NOT VALID, VALIDATE and SET NOT NULL in one transaction: the ADD's ACCESS EXCLUSIVE is held through the VALIDATE scan
SET lock_timeout = '2s';
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
