-- expect: safe
-- about: varchar(n) -> text is binary coercible: no rewrite, a brief ACCESS EXCLUSIVE (the table's filenode stays)
-- migration: 0001 applied
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL);
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN email TYPE text;
