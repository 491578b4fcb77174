-- expect: safe
-- about: refreshing a materialized view created in the same migration
SET lock_timeout = '2s';
CREATE MATERIALIZED VIEW sales_by_day AS SELECT created_at::date AS day, sum(amount) AS total FROM orders GROUP BY 1 WITH NO DATA;
REFRESH MATERIALIZED VIEW sales_by_day;
