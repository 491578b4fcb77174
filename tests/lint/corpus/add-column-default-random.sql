-- expect: volatile-default
-- about: random() is VOLATILE: every row gets its own value, the table is rewritten under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN sample double precision DEFAULT random();
