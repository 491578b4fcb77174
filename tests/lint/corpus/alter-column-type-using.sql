-- expect: changing-column-type
-- about: SET DATA TYPE ... USING: a rewrite
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN amount SET DATA TYPE numeric(12,2) USING amount::numeric(12,2);
