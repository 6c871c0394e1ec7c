-- The work queue of `mizan ingest --enqueue` and `mizan worker` (internal/queue): one row per
-- input, claimed under a lease by one worker at a time.

CREATE TABLE queue (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    key         TEXT NOT NULL UNIQUE,          -- "url:"+URL or "doc:"+DocumentID(bytes): enqueuing twice is once
    kind        TEXT NOT NULL,                 -- url | bytes
    source      TEXT NOT NULL,                 -- what the document's Source will be
    source_kind TEXT NOT NULL,                 -- mizan.SourceKind
    payload     BLOB,                          -- the bytes of a bytes item
    content_type TEXT NOT NULL DEFAULT '',
    feed        TEXT,                          -- JSON FeedInfo of a feed item
    fallback    BLOB,                          -- a feed item's own content, used when its link fails
    state       TEXT NOT NULL DEFAULT 'pending', -- pending | leased | done | dead
    attempts    INTEGER NOT NULL DEFAULT 0,    -- claims so far
    due_at      TEXT NOT NULL,                 -- pending: not before; leased: the lease ends
    worker      TEXT,                          -- the lease holder
    token       TEXT,                          -- the lease (one per claim)
    claimed_at  TEXT,
    last_error  TEXT NOT NULL DEFAULT '',
    doc_id      TEXT,                          -- the document it became
    result      TEXT NOT NULL DEFAULT '',      -- added | duplicate | updated | expanded
    enqueued_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- Claims read the due items of the two live states in due order.
CREATE INDEX queue_due ON queue(due_at) WHERE state IN ('pending', 'leased');
CREATE INDEX queue_state ON queue(state);
CREATE INDEX queue_worker ON queue(worker) WHERE state = 'leased';
