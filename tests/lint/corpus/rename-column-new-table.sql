-- expect: safe
-- about: renaming a column of a table created in the same migration: no code uses it yet
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amt numeric);
ALTER TABLE invoices RENAME COLUMN amt TO amount;
