-- expect: safe
-- about: renaming a table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE invoice (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
ALTER TABLE invoice RENAME TO invoices;
