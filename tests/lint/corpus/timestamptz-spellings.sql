-- expect: safe
-- about: timestamptz, timestamp with time zone, timestamp(3) with time zone, timestamptz(6): all the same type
SET lock_timeout = '2s';
CREATE TABLE invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    a timestamptz,
    b timestamp with time zone,
    c timestamp(3) with time zone,
    d timestamptz(6)
);
