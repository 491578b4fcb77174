-- expect: ban-truncate
-- about: TRUNCATE deletes every row, under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
TRUNCATE sessions;
