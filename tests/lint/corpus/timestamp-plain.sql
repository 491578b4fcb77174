-- expect: prefer-timestamptz
-- about: timestamp is timestamp without time zone
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, issued_at timestamp NOT NULL);
