-- expect: safe
-- about: the safe rewrite, step 2: VALIDATE CONSTRAINT in the next migration takes SHARE UPDATE EXCLUSIVE (reads and writes go on)
-- migration: 0001 applied
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
