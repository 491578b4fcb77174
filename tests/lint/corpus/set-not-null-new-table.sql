-- expect: safe
-- about: SET NOT NULL on a table created in the same migration
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text);
ALTER TABLE invoices ALTER COLUMN note SET NOT NULL;
