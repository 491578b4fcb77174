-- expect: safe
-- about: a scratch table created and dropped in the same migration
SET lock_timeout = '2s';
CREATE TABLE tmp_ids (id bigint);
INSERT INTO tmp_ids SELECT 1;
DROP TABLE tmp_ids;
