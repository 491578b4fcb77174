-- expect: require-concurrent-index
-- about: an earlier migration, applied in production already, created the table: it is live and may be large
-- migration: 0001 applied
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);
-- migration: 0002
SET lock_timeout = '2s';
CREATE INDEX users_email_idx ON users (email);
