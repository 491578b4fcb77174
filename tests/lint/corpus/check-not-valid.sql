-- expect: safe
-- about: CHECK ... NOT VALID: no scan, a brief lock
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0) NOT VALID;
