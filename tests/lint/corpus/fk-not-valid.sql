-- expect: safe
-- about: the safe rewrite, step 1: NOT VALID skips the scan
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
