-- expect: cluster
-- about: CLUSTER rewrites the table under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
CLUSTER orders USING orders_created_idx;
