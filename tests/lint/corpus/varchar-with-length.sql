-- expect: prefer-text
-- about: varchar(255): raising the limit later is ALTER COLUMN TYPE (ACCESS EXCLUSIVE)
SET lock_timeout = '2s';
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number varchar(255) NOT NULL);
