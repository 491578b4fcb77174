-- expect: safe
-- about: varchar without a length is text
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number varchar NOT NULL);
