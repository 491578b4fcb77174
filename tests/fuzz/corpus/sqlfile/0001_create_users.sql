-- upgrade --
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text        NOT NULL,
    display_name  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_format CHECK (email LIKE '%_@_%')
);

-- Emails compare case-insensitively.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- downgrade --
DROP TABLE users;
