-- expect: adding-serial-primary-key, prefer-identity, volatile-default
-- about: ADD COLUMN bigserial PRIMARY KEY: nextval() is volatile, so every row is rewritten, and the index is built, under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;
