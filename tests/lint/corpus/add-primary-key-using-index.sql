-- expect: safe
-- about: the safe rewrite: build the unique index CONCURRENTLY in one migration, attach it with USING INDEX in the next
-- migration: 0001 applied transaction=false
SET lock_timeout = '2s';
CREATE UNIQUE INDEX CONCURRENTLY events_pkey_idx ON events (id);
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey_idx;
