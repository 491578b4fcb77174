-- expect: enum-value-in-transaction
-- about: even on a type created in the same transaction, a value ADD VALUE added cannot be used before commit (PostgreSQL 15: unsafe use of new value)
SET lock_timeout = '2s';
CREATE TYPE ticket_state AS ENUM ('open');
ALTER TYPE ticket_state ADD VALUE 'closed';
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, state ticket_state NOT NULL DEFAULT 'closed');
