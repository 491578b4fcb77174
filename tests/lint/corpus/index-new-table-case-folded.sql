-- expect: safe
-- about: unquoted names fold to lower case: Invoices and INVOICES are the new table invoices
SET lock_timeout = '2s';
CREATE TABLE Invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number text);
CREATE INDEX invoices_number_idx ON INVOICES (number);
