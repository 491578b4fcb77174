-- expect: require-concurrent-index, missing-lock-timeout
-- about: the classic: a plain CREATE INDEX on a live table, without lock_timeout
CREATE INDEX orders_user_id_idx ON orders (user_id);
