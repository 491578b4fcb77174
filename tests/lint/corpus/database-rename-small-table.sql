-- expect: renaming-column
-- about: check --database: a rename breaks running code whatever the table's size
-- table-rows: plans=100
SET lock_timeout = '2s';
ALTER TABLE plans RENAME COLUMN id TO plan_id;
