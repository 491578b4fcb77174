-- expect: require-concurrent-index
-- about: "Invoices" (quoted) is created; invoices is another table, an existing one
SET lock_timeout = '2s';
CREATE TABLE "Invoices" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number text);
CREATE INDEX invoices_number_idx ON invoices (number);
