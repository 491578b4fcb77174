-- expect: safe
-- about: new table in a transaction: false migration: CREATE TABLE commits first, the index is on an empty table all the same
-- migration: 0001 transaction=false
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL);
CREATE INDEX invoices_user_id_idx ON invoices (user_id);
