-- expect: safe
-- about: check --database: countries has 250 rows, under lint.small_table_rows (10,000): the SHARE lock lasts milliseconds
-- table-rows: countries=250
SET lock_timeout = '2s';
CREATE INDEX countries_name_idx ON countries (id);
