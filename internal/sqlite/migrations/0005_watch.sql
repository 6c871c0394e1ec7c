-- State of `mizan watch` (internal/watch): the feeds it polls with their HTTP validators and
-- schedule, the items already seen in each, what the alerting has seen, and its cursors.

CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    interval_s    INTEGER NOT NULL,            -- seconds between polls when all is well
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    next_poll     TEXT NOT NULL,
    last_poll     TEXT,
    last_status   TEXT NOT NULL DEFAULT '',    -- new | not_modified | unchanged | error
    last_error    TEXT NOT NULL DEFAULT '',
    errors        INTEGER NOT NULL DEFAULT 0,  -- consecutive failures: the back-off grows with them
    items         INTEGER NOT NULL DEFAULT 0   -- items enqueued from this feed so far
);

-- Items already seen in a feed (by their source: link, else a stable name), so a poll enqueues
-- only new ones.
CREATE TABLE feed_items (
    feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
    item     TEXT NOT NULL,
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (feed_url, item)
);

-- What the alerting has already seen: actors, pairs of actors, and event types between pairs,
-- each under a key ("actor:ID", "pair:A|B", "type:A|B|TYPE").
CREATE TABLE watch_seen (
    key      TEXT PRIMARY KEY,
    first_at TEXT NOT NULL
);

-- Named cursors (how far the alerting has read the stored events).
CREATE TABLE watch_cursors (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
