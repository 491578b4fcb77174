-- upgrade --
CREATE TABLE t (id int);
-- downgrade --
DROP TABLE t;
