-- expect: safe
-- about: "char" (quoted) is PostgreSQL's one-byte internal type, not char(n)
SET lock_timeout = '2s';
CREATE TABLE flags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind "char" NOT NULL);
