-- expect: volatile-default
-- about: ADD COLUMN ... GENERATED ALWAYS AS (...) STORED computes every row: a rewrite
SET lock_timeout = '2s';
ALTER TABLE order_lines ADD COLUMN total numeric GENERATED ALWAYS AS (quantity * unit_price) STORED;
