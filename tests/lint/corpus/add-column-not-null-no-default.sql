-- expect: adding-required-field
-- about: ADD COLUMN NOT NULL without DEFAULT fails on any existing row, and breaks inserts from running code
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN plan text NOT NULL;
