-- expect: prefer-bigint
-- about: an int4 column that references a key: it will outgrow it
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN coupon_id integer;
