-- Version: 0001
-- name: migrate-0001-up
CREATE TABLE u (id int);
-- name: migrate-0001-down
DROP TABLE u;
