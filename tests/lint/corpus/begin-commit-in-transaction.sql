-- expect: transaction-control
-- about: BEGIN/COMMIT inside the migration's own transaction
BEGIN;
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN nickname text;
COMMIT;
