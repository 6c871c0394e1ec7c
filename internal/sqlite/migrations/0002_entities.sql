-- Entities, their names and blocking keys, mentions, the resolution log, users' corrections and
-- knowledge-base imports (internal/sqlstore/entity.go).
--
-- What is persisted. The knowledge base (the embedded default plus the imports below) is not
-- copied row by row: it is thousands of entities, most never mentioned, and copying would have
-- to be redone at every upgrade of the embedded data. An entity is stored when something refers
-- to it: a mention (a knowledge-base entity is copied with all its names the first time it is
-- mentioned, so the store finds it by any name and blocks on its keys), a discovery (entities the
-- pipeline found outside the knowledge base, upserted by id so workers agree), or a correction.

CREATE TABLE entities (
    id          TEXT PRIMARY KEY,          -- "gpe/dz", "person/leila-zaruki"
    name        TEXT NOT NULL,             -- canonical name
    type        TEXT NOT NULL,
    attrs       TEXT NOT NULL DEFAULT '{}', -- JSON object
    source      TEXT NOT NULL DEFAULT '',  -- kb, import:FILE, discovered, mention, split
    merged_into TEXT,                      -- set by a user's merge: this entity is an alias of that one
    -- Maintained with every write (so listings need no aggregation): mentions and documents
    -- counted over entity_docs, and the first and last of their dates.
    mentions    INTEGER NOT NULL DEFAULT 0,
    docs        INTEGER NOT NULL DEFAULT 0,
    first_seen  TEXT,
    last_seen   TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX entities_rank ON entities(mentions DESC, id);
CREATE INDEX entities_type ON entities(type, mentions DESC);
CREATE INDEX entities_merged ON entities(merged_into) WHERE merged_into IS NOT NULL;

-- Every name of an entity, by language, with its normalised key (textnorm.Key) for lookups.
CREATE TABLE entity_names (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    lang      TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL DEFAULT '',    -- canonical, alias, abbrev, demonym, capital
    key       TEXT NOT NULL,
    PRIMARY KEY (entity_id, name, lang)
);
CREATE INDEX entity_names_key ON entity_names(key);

-- Blocking keys of the names (internal/resolve/namesim.Keys: type class + consonant skeleton),
-- so that finding the candidates of a new name is an index lookup.
CREATE TABLE entity_keys (
    key       TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);

-- Mentions in documents' clean text, in characters. entity_id is the entity after corrections
-- (NULL when the mention is linked to nothing, e.g. an office whose holder is unknown).
CREATE TABLE mentions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start_char    INTEGER NOT NULL,
    end_char      INTEGER NOT NULL,
    sent_start    INTEGER,                 -- the sentence around the mention, for evidence
    sent_end      INTEGER,
    text          TEXT NOT NULL,
    type          TEXT NOT NULL,
    entity_id     TEXT,
    method        TEXT NOT NULL DEFAULT '',
    form          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT '',
    confidence    REAL NOT NULL DEFAULT 0,
    rule          TEXT NOT NULL DEFAULT '',
    canonical     TEXT NOT NULL DEFAULT '',
    text_key      TEXT NOT NULL DEFAULT '', -- textnorm.Key(text) and (canonical): what a split moves
    canonical_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mentions_doc ON mentions(doc_id, start_char);
CREATE INDEX mentions_entity ON mentions(entity_id, doc_id);

-- Mentions per entity and document (page furniture left out), with the document's date: the
-- counts, first/last seen and co-mentions are read from here.
CREATE TABLE entity_docs (
    entity_id TEXT NOT NULL,
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    mentions  INTEGER NOT NULL,
    seen      TEXT NOT NULL,               -- publication date, else ingest time
    PRIMARY KEY (entity_id, doc_id)
);
CREATE INDEX entity_docs_seen ON entity_docs(entity_id, seen);
CREATE INDEX entity_docs_doc ON entity_docs(doc_id);

-- The resolver's links: which entity a document introduced (from_id, named name) was found to be
-- which known entity, by which rule and score. doc_id is NULL for `mizan resolve` runs.
CREATE TABLE resolutions (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id  TEXT REFERENCES documents(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    from_id TEXT NOT NULL,
    into_id TEXT NOT NULL,
    rule    TEXT NOT NULL,
    score   REAL NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX resolutions_into ON resolutions(into_id);
CREATE INDEX resolutions_doc ON resolutions(doc_id);

-- Users' merges and splits, applied in id order to everything written after them.
CREATE TABLE corrections (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,               -- merge | split
    entity_id TEXT NOT NULL,
    into_id   TEXT NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    name_key  TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL
);

-- Knowledge-base files imported by users, replayed in id order on top of the embedded default.
CREATE TABLE kb_imports (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    name   TEXT NOT NULL,
    format TEXT NOT NULL,
    data   BLOB NOT NULL,
    at     TEXT NOT NULL
);
