-- expect: ban-char-field
-- about: character(n) spelled out, in ADD COLUMN
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN country character(2);
