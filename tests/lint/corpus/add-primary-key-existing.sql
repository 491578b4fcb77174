-- expect: adding-serial-primary-key
-- about: ADD PRIMARY KEY (id) builds a unique index under ACCESS EXCLUSIVE
SET lock_timeout = '2s';
ALTER TABLE events ADD PRIMARY KEY (id);
