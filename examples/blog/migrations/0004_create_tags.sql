-- upgrade --
CREATE TABLE tags (
    id    bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  text    NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]*$')
);

-- Many-to-many: a post has many tags, a tag many posts.
CREATE TABLE post_tags (
    post_id  bigint  NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id   bigint  NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);

-- The primary key serves lookups by post; this one serves lookups by tag.
CREATE INDEX post_tags_tag_id_idx ON post_tags (tag_id);

-- downgrade --
DROP TABLE post_tags;
DROP TABLE tags;
