-- expect: safe
-- about: statement_timestamp() is STABLE, like now(): evaluated once, no rewrite (pg_proc.provolatile = 's'; the table's filenode stays)
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN imported_at timestamptz DEFAULT statement_timestamp();
