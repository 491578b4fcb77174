-- expect: volatile-default
-- about: gen_random_uuid() is VOLATILE: a rewrite
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
