-- upgrade --
-- The front page lists the newest published posts; drafts stay out of the index.
CREATE INDEX CONCURRENTLY posts_published_at_idx ON posts (published_at DESC)
    WHERE published_at IS NOT NULL;

-- downgrade --
DROP INDEX CONCURRENTLY posts_published_at_idx;
