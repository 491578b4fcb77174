-- expect: renaming-table
-- about: RENAME TO breaks the running code that still uses the old name
SET lock_timeout = '2s';
ALTER TABLE users RENAME TO accounts;
