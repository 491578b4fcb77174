-- expect: require-concurrent-index-drop
-- about: DROP INDEX takes ACCESS EXCLUSIVE on the index's table: reads and writes wait
SET lock_timeout = '2s';
DROP INDEX users_email_idx;
