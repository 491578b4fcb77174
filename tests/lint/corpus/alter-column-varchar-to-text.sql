-- expect: safe
-- about: varchar(n) -> text is binary coercible: no rewrite, a brief ACCESS EXCLUSIVE (the table's filenode stays)
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN email TYPE text;
