-- expect: safe
-- about: numeric(10,2) -> numeric is binary coercible: no rewrite (sql-altertable.html); the type is known from an earlier migration
-- migration: 0001 applied
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric(10,2) NOT NULL);
-- migration: 0002
SET lock_timeout = '2s';
ALTER TABLE invoices ALTER COLUMN amount TYPE numeric;
