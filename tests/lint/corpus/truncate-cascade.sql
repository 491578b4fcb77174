-- expect: ban-truncate
-- about: TRUNCATE ... CASCADE also empties the tables that reference it
SET lock_timeout = '2s';
TRUNCATE users CASCADE;
