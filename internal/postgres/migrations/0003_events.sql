-- PostgreSQL port of internal/sqlite/migrations/0003_events.sql (same tables and columns): REAL
-- is DOUBLE PRECISION, WITHOUT ROWID has no counterpart, and ids and times are COLLATE "C" like
-- documents.id and documents.published, so they compare byte-wise.

CREATE TABLE events (
    id           TEXT COLLATE "C" PRIMARY KEY,
    doc_id       TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,
    sent_start   INTEGER NOT NULL,
    sent_end     INTEGER NOT NULL,
    type         TEXT NOT NULL,
    subtype      TEXT NOT NULL DEFAULT '',
    mode         TEXT NOT NULL,
    time_start   TEXT COLLATE "C",
    time_end     TEXT COLLATE "C",
    precision    TEXT NOT NULL,
    at           TEXT COLLATE "C" NOT NULL,
    at_end       TEXT COLLATE "C" NOT NULL,
    dated        INTEGER NOT NULL,
    attr_kind    TEXT NOT NULL,
    attr_entity  TEXT,
    hedged       INTEGER NOT NULL,
    confidence   DOUBLE PRECISION NOT NULL,
    place_entity TEXT,
    body         TEXT NOT NULL
);
CREATE INDEX events_doc ON events(doc_id, ord);
CREATE INDEX events_at ON events(at);
CREATE INDEX events_type ON events(type, at);

CREATE TABLE event_actors (
    entity_id TEXT COLLATE "C" NOT NULL,
    event_id  TEXT COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    PRIMARY KEY (entity_id, event_id, role)
);
CREATE INDEX event_actors_event ON event_actors(event_id);

CREATE TABLE document_tone (
    doc_id TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    score  DOUBLE PRECISION NOT NULL,
    words  INTEGER NOT NULL,
    cues   TEXT NOT NULL DEFAULT '[]'
);
