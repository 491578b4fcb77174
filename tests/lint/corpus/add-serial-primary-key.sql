-- expect: adding-serial-primary-key, prefer-identity
-- about: ADD COLUMN bigserial PRIMARY KEY: fills every row from a sequence and builds the index under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;
