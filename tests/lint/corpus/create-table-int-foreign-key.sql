-- expect: prefer-bigint
-- about: an integer column referencing a bigint key: it breaks when the key passes 2^31 - 1
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id));
