-- expect: require-concurrent-index
-- about: check --database: orders has 50,000 rows, over lint.small_table_rows
-- table-rows: orders=50000
SET lock_timeout = '2s';
CREATE INDEX orders_id_idx ON orders (id);
