-- expect: safe
-- about: database.lock_timeout in the manifest: varve sets it for every migration
-- database: lock_timeout: 2s
ALTER TABLE users ADD COLUMN nickname text;
