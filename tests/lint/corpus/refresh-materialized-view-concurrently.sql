-- expect: safe
-- about: CONCURRENTLY: readers go on (the view needs a unique index)
SET lock_timeout = '2s';
REFRESH MATERIALIZED VIEW CONCURRENTLY sales_by_day;
