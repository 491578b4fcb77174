-- expect: safe
-- about: the safe rewrite: DROP INDEX CONCURRENTLY in a transaction: false migration
-- migration: 0001 transaction=false
SET lock_timeout = '2s';
DROP INDEX CONCURRENTLY users_email_idx;
