-- upgrade --
CREATE TABLE posts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title         text        NOT NULL CHECK (title <> ''),
    body          text        NOT NULL DEFAULT '',
    published_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- PostgreSQL does not index foreign keys by itself.
CREATE INDEX posts_author_id_idx ON posts (author_id);

-- downgrade --
DROP TABLE posts;
