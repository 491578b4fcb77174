-- Builds the index without blocking writes to products. A failed build
-- leaves an INVALID index behind: drop it with
--   DROP INDEX CONCURRENTLY IF EXISTS products_search_idx;
CREATE INDEX CONCURRENTLY products_search_idx ON products USING gin (search);
