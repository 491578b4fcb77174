-- expect: require-concurrent-index
-- about: CREATE UNIQUE INDEX without CONCURRENTLY on an existing table
SET lock_timeout = '2s';
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
