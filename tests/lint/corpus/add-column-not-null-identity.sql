-- expect: safe
-- about: an identity column fills itself: NOT NULL without DEFAULT is fine (rewrite aside: see volatile-default)
SET lock_timeout = '2s';
CREATE TABLE invoices (number text);
ALTER TABLE invoices ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY NOT NULL;
