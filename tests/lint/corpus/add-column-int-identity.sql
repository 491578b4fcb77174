-- expect: prefer-bigint
-- about: an integer identity column counts up to 2^31 - 1
SET lock_timeout = '2s';
CREATE TABLE plans (name text NOT NULL);
ALTER TABLE plans ADD COLUMN id integer GENERATED ALWAYS AS IDENTITY;
