-- expect: ban-drop-table
-- about: DROP TABLE loses data and breaks running code
SET lock_timeout = '2s';
DROP TABLE sessions;
