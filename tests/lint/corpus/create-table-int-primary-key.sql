-- expect: prefer-bigint
-- about: an integer key runs out at 2^31 - 1; changing it later is a rewrite
SET lock_timeout = '2s';
CREATE TABLE invoices (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric);
