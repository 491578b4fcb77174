-- expect: safe
-- about: the safe rewrite: CREATE INDEX CONCURRENTLY in a transaction: false migration
-- migration: 0001 transaction=false
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
