-- expect: prefer-identity
-- about: serial in CREATE TABLE: no lock problem, but an identity column is the standard form
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigserial PRIMARY KEY, amount numeric);
