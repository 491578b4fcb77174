-- expect: needs-no-transaction
-- about: CREATE INDEX CONCURRENTLY cannot run inside the migration's transaction
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
