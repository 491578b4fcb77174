CREATE TABLE comments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id     bigint      NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id   bigint      REFERENCES users (id) ON DELETE SET NULL,
    -- A reply points at the comment it answers.
    parent_id   bigint      REFERENCES comments (id) ON DELETE CASCADE,
    body        text        NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX comments_post_id_created_at_idx ON comments (post_id, created_at);
CREATE INDEX comments_author_id_idx ON comments (author_id);
CREATE INDEX comments_parent_id_idx ON comments (parent_id) WHERE parent_id IS NOT NULL;
