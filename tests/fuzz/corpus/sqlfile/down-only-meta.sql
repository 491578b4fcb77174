CREATE TABLE u (id int);
-- DOWN
DROP TABLE u;
\! touch x
