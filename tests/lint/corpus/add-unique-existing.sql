-- expect: unique-constraint-without-index
-- about: ADD UNIQUE builds its index under ACCESS EXCLUSIVE: reads and writes wait
SET lock_timeout = '2s';
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
