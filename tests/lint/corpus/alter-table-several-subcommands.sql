-- expect: adding-not-null-field
-- about: the second subcommand of one ALTER TABLE sets NOT NULL on an existing column
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN nickname text, ALTER COLUMN email SET NOT NULL;
