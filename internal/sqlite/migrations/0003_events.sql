-- Events (claims that something happened) with their actors, and each document's tone
-- (internal/sqlstore/event.go). Written with their document in one transaction; reprocessing
-- a document deletes and rewrites them.

CREATE TABLE events (
    id           TEXT PRIMARY KEY,           -- stable: document, sentence, type, actors
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,           -- order in the document
    sent_start   INTEGER NOT NULL,           -- the sentence, in characters
    sent_end     INTEGER NOT NULL,
    type         TEXT NOT NULL,              -- PLOVER type
    subtype      TEXT NOT NULL DEFAULT '',
    mode         TEXT NOT NULL,              -- asserted, planned, possible, negated
    time_start   TEXT,                       -- what the text says, NULL when it says nothing
    time_end     TEXT,
    precision    TEXT NOT NULL,
    -- The timeline position: time_start, else the document's date (publication, else ingest),
    -- and the end of the period that since/until compare with (an undated event is a point).
    at           TEXT NOT NULL,
    at_end       TEXT NOT NULL,
    dated        INTEGER NOT NULL,           -- 1 when the text gave the time
    attr_kind    TEXT NOT NULL,
    attr_entity  TEXT,
    hedged       INTEGER NOT NULL,
    confidence   REAL NOT NULL,
    place_entity TEXT,
    body         TEXT NOT NULL               -- the whole mizan.Event as JSON
);
CREATE INDEX events_doc ON events(doc_id, ord);
CREATE INDEX events_at ON events(at);
CREATE INDEX events_type ON events(type, at);

-- Who takes part, one row per entity and role, so "events involving X" and "between A and B"
-- are index lookups.
CREATE TABLE event_actors (
    entity_id TEXT NOT NULL,
    event_id  TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role      TEXT NOT NULL,                 -- source, target, participant
    PRIMARY KEY (entity_id, event_id, role)
) WITHOUT ROWID;
CREATE INDEX event_actors_event ON event_actors(event_id);

-- How loaded a document's language is (mizan.Tone).
CREATE TABLE document_tone (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    score  REAL NOT NULL,
    words  INTEGER NOT NULL,
    cues   TEXT NOT NULL DEFAULT '[]'        -- JSON array
);
