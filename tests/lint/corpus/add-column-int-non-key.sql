-- expect: safe
-- about: an integer quantity is not a key: nothing counts it up to 2^31
SET lock_timeout = '2s';
ALTER TABLE order_lines ADD COLUMN quantity integer NOT NULL DEFAULT 1;
