-- expect: require-concurrent-index
-- about: IF NOT EXISTS does not make a plain CREATE INDEX lighter
SET lock_timeout = '2s';
CREATE INDEX IF NOT EXISTS users_email_idx ON users (email);
