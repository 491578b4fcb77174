-- expect: safe
-- about: REFERENCES inside CREATE TABLE: the new table is empty
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
