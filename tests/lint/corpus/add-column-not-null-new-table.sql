-- expect: safe
-- about: ADD COLUMN NOT NULL on a table created in the same migration: it has no rows
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
ALTER TABLE invoices ADD COLUMN number text NOT NULL;
