-- expect: prefer-bigint
-- about: a smallint key: 32767 rows
SET lock_timeout = '2s';
CREATE TABLE plans (id smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
