-- expect: volatile-default
-- about: ADD COLUMN ... GENERATED AS IDENTITY on an existing table fills every row: a rewrite (the filenode changes on PostgreSQL 15)
SET lock_timeout = '2s';
ALTER TABLE events ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
