-- expect: missing-lock-timeout
-- about: SET LOCAL outside a transaction block has no effect (a transaction: false migration runs statement by statement)
-- migration: 0001 transaction=false
SET LOCAL lock_timeout = '2s';
ALTER TABLE users ADD COLUMN nickname text;
