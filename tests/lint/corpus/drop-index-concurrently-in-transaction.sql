-- expect: needs-no-transaction
-- about: DROP INDEX CONCURRENTLY cannot run inside the migration's transaction
SET lock_timeout = '2s';
DROP INDEX CONCURRENTLY users_email_idx;
