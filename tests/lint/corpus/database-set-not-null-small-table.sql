-- expect: safe
-- about: check --database: SET NOT NULL scans a 100-row table
-- table-rows: plans=100
SET lock_timeout = '2s';
ALTER TABLE plans ALTER COLUMN id SET NOT NULL;
