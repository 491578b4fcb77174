-- expect: vacuum-full
-- about: VACUUM FULL rewrites the table under ACCESS EXCLUSIVE
-- migration: 0001 transaction=false
SET lock_timeout = '2s';
VACUUM FULL orders;
