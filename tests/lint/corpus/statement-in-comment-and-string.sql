-- expect: safe
-- about: a CREATE INDEX in a comment and in a string literal is not a statement
SET lock_timeout = '2s';
-- CREATE INDEX users_email_idx ON users (email);
/* ALTER TABLE users ALTER COLUMN email SET NOT NULL; */
INSERT INTO audit_log (note) VALUES ('CREATE INDEX users_email_idx ON users (email)');
