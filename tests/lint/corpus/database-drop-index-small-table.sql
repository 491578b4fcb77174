-- expect: require-concurrent-index-drop
-- about: check --database: DROP INDEX waits for every query on the table, whatever its size
-- table-rows: plans=100
SET lock_timeout = '2s';
DROP INDEX plans_id_idx;
