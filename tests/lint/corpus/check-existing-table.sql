-- expect: constraint-missing-not-valid
-- about: ADD CHECK scans the table under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);
