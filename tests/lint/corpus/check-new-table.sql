-- expect: safe
-- about: a CHECK added to a table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric NOT NULL);
ALTER TABLE invoices ADD CONSTRAINT invoices_amount_positive CHECK (amount > 0);
