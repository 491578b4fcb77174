-- expect: prefer-identity, prefer-bigint
-- about: serial is a 32-bit integer with a sequence attached
SET lock_timeout = '2s';
CREATE TABLE invoices (id serial PRIMARY KEY, amount numeric);
