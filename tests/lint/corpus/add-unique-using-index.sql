-- expect: safe
-- about: the safe rewrite: UNIQUE USING INDEX of an index built CONCURRENTLY in an earlier migration
-- migration: 0001 applied transaction=false
SET lock_timeout = '2s';
CREATE UNIQUE INDEX CONCURRENTLY users_email_key_idx ON users (email);
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key_idx;
