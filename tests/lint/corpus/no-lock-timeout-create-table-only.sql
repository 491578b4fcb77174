-- expect: safe
-- about: CREATE TABLE alone locks no existing table
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric NOT NULL);
