-- expect: safe
-- about: txid_current() is STABLE within the transaction: no rewrite
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN created_xid bigint DEFAULT txid_current();
