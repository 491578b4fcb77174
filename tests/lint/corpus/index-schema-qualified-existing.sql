-- expect: require-concurrent-index
-- about: a schema-qualified existing table
SET lock_timeout = '2s';
CREATE INDEX orders_created_idx ON shop.orders (created_at);
