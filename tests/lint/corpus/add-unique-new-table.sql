-- expect: safe
-- about: a UNIQUE constraint on a table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number text NOT NULL);
ALTER TABLE invoices ADD CONSTRAINT invoices_number_key UNIQUE (number);
