-- expect: safe
-- about: check --database: a foreign key on a 300-row table validates in milliseconds
-- table-rows: coupons=300, plans=20
SET lock_timeout = '2s';
ALTER TABLE coupons ADD CONSTRAINT coupons_plan_fk FOREIGN KEY (id) REFERENCES plans (id);
