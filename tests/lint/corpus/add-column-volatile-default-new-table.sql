-- expect: safe
-- about: a volatile default on a table created in the same migration: nothing to rewrite
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
ALTER TABLE invoices ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
