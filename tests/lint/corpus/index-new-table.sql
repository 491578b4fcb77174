-- expect: safe
-- about: the table is created in the same migration: it is empty, the index build is instant
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL);
CREATE INDEX invoices_user_id_idx ON invoices (user_id);
