-- expect: safe
-- about: billing.invoices is created, then indexed, in the same migration
SET lock_timeout = '2s';
CREATE TABLE billing.invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number text);
CREATE INDEX invoices_number_idx ON billing.invoices (number);
