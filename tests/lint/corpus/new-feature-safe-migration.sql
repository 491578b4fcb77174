-- expect: safe
-- about: a typical feature migration: a new table with its keys, index and constraints, and a nullable column on an existing table
SET lock_timeout = '2s';
CREATE TABLE coupons (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL UNIQUE,
    percent_off integer NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coupons_created_at_idx ON coupons (created_at);
ALTER TABLE orders ADD COLUMN coupon_id bigint;
ALTER TABLE orders ADD CONSTRAINT orders_coupon_fk FOREIGN KEY (coupon_id) REFERENCES coupons (id) NOT VALID;
