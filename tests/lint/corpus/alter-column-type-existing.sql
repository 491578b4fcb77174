-- expect: changing-column-type
-- about: ALTER COLUMN TYPE int -> bigint rewrites the table and its indexes under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;
