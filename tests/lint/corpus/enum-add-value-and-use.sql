-- expect: enum-value-in-transaction
-- about: ALTER TYPE ... ADD VALUE then using the value in the same transaction fails: unsafe use of new value
SET lock_timeout = '2s';
ALTER TYPE order_status ADD VALUE 'refunded';
UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;
