-- expect: refresh-materialized-view
-- about: REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every SELECT on the view
SET lock_timeout = '2s';
REFRESH MATERIALIZED VIEW sales_by_day;
