-- expect: safe
-- about: dropping an index created earlier in the same migration, on a new table
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number text);
CREATE INDEX invoices_number_idx ON invoices (number);
DROP INDEX invoices_number_idx;
