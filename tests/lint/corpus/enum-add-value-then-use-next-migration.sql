-- expect: safe
-- about: the safe rewrite: the value is added in one migration and used in the next
-- migration: 0001
SET lock_timeout = '2s';
ALTER TYPE order_status ADD VALUE 'refunded';
-- migration: 0002
SET lock_timeout = '2s';
UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;
