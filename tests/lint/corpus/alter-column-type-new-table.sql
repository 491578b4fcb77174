-- expect: safe
-- about: changing a column's type on a table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount text);
ALTER TABLE invoices ALTER COLUMN amount TYPE numeric USING amount::numeric;
