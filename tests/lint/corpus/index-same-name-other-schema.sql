-- expect: require-concurrent-index
-- about: billing.invoices is new, but the index is on archive.invoices, which exists
SET lock_timeout = '2s';
CREATE TABLE billing.invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number text);
CREATE INDEX invoices_number_idx ON archive.invoices (number);
