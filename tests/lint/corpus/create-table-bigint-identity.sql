-- expect: safe
-- about: the recommended key: bigint GENERATED ALWAYS AS IDENTITY
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric);
