-- expect: safe
-- about: dropping a column of a table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, draft boolean);
ALTER TABLE invoices DROP COLUMN draft;
