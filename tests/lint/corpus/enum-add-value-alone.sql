-- expect: safe
-- about: ADD VALUE alone may run in a transaction (PostgreSQL 12+); the value is usable once committed
SET lock_timeout = '2s';
ALTER TYPE order_status ADD VALUE 'refunded';
