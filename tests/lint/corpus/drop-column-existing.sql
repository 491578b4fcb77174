-- expect: ban-drop-column
-- about: DROP COLUMN breaks the running code that still selects or inserts it
SET lock_timeout = '2s';
ALTER TABLE users DROP COLUMN nickname;
