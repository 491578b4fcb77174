-- expect: safe
-- about: plain VACUUM (ANALYZE) takes SHARE UPDATE EXCLUSIVE: reads and writes go on
-- migration: 0001 transaction=false
SET lock_timeout = '2s';
VACUUM (ANALYZE) orders;
