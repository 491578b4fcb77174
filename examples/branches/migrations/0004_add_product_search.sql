-- upgrade --
-- Kept up to date by PostgreSQL itself: a stored generated column.
ALTER TABLE products
    ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, name), 'A') ||
        setweight(to_tsvector('english'::regconfig, description), 'B')
    ) STORED;

-- downgrade --
ALTER TABLE products DROP COLUMN search;
