-- expect: constraint-missing-not-valid
-- about: ADD FOREIGN KEY validates every row while SHARE ROW EXCLUSIVE blocks writes on both tables
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
