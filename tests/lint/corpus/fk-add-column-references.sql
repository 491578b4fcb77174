-- expect: constraint-missing-not-valid
-- about: ADD COLUMN ... REFERENCES on an existing table validates the new key over every row
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
