-- expect: safe
-- about: the safe rewrite: text with a CHECK on its length
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number text NOT NULL CHECK (length(number) <= 255));
