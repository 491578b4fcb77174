-- expect: ban-char-field
-- about: char(n) pads with spaces and compares surprisingly
SET lock_timeout = '2s';
CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);
