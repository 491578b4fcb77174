-- expect: require-concurrent-index
-- about: CREATE INDEX on a table no migration creates (it exists): SHARE lock blocks writes for the whole build
SET lock_timeout = '2s';
CREATE INDEX users_email_idx ON users (email);
