-- expect: renaming-column
-- about: RENAME COLUMN breaks the running code that still uses the old name
SET lock_timeout = '2s';
ALTER TABLE users RENAME COLUMN email TO email_address;
