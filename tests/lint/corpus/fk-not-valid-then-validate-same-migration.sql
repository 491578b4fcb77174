-- expect: constraint-missing-not-valid
-- about: NOT VALID then VALIDATE in one transaction: the ADD's lock is held through the scan, as if NOT VALID were not there
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
