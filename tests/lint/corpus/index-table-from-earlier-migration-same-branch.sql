-- expect: safe
-- about: an earlier migration of the same branch, not applied anywhere yet, creates the table: it will be empty when the index is built
-- migration: 0001
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);
-- migration: 0002
SET lock_timeout = '2s';
CREATE INDEX users_email_idx ON users (email);
