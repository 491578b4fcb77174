-- expect: prefer-timestamptz
-- about: pg_catalog.timestamp is timestamp without time zone too
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN archived_at pg_catalog.timestamp;
