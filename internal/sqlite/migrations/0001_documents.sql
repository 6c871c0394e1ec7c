-- Documents, their raw bytes, the sources they came from, failed inputs, and the full-text index.

CREATE TABLE documents (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT, -- ingest order; rowid of docs_fts
    id                  TEXT NOT NULL UNIQUE,              -- mizan.DocumentID(raw)
    source              TEXT NOT NULL,
    source_kind         TEXT NOT NULL,
    outlet              TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL DEFAULT '',
    authors             TEXT NOT NULL DEFAULT '[]',        -- JSON array
    published           TEXT,                              -- RFC 3339, UTC; NULL when undated
    published_precision TEXT NOT NULL DEFAULT '',
    published_text      TEXT NOT NULL DEFAULT '',
    lang                TEXT NOT NULL DEFAULT '',
    content_type        TEXT NOT NULL DEFAULT '',
    charset             TEXT NOT NULL DEFAULT '',
    format              TEXT NOT NULL,
    text                TEXT NOT NULL,
    text_hash           TEXT NOT NULL,
    chars               INTEGER NOT NULL,
    paragraphs          TEXT NOT NULL DEFAULT '[]',        -- JSON [{span,lang}]
    sentences           TEXT NOT NULL DEFAULT '[]',        -- JSON [[start,end],...] in characters
    minhash             BLOB,                              -- near-duplicate signature (internal/nlp/dedup)
    dup_group           TEXT,                              -- id of the group's first document
    feed                TEXT,                              -- JSON FeedInfo
    ingested_at         TEXT NOT NULL,
    pipeline            INTEGER NOT NULL
);
CREATE INDEX documents_text_hash ON documents(text_hash);
CREATE INDEX documents_dup_group ON documents(dup_group) WHERE dup_group IS NOT NULL;
CREATE INDEX documents_published ON documents(published);

-- LSH band keys of each document's MinHash signature (internal/nlp/dedup.BandKeys; each key
-- mixes in its band number, so one column holds all bands): documents sharing a key are
-- near-duplicate candidates.
CREATE TABLE doc_bands (
    key    INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, doc_id)
) WITHOUT ROWID;
CREATE INDEX doc_bands_doc ON doc_bands(doc_id);

-- Raw bytes live apart so listings never read them.
CREATE TABLE raw (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    bytes  BLOB NOT NULL
);

-- Every path or URL a document was read from (a duplicate adds a source, not a document), so an
-- interrupted batch resumes without fetching again.
CREATE TABLE sources (
    source  TEXT PRIMARY KEY,
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seen_at TEXT NOT NULL
);
CREATE INDEX sources_doc ON sources(doc_id);

CREATE TABLE failures (
    source TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);

-- Contentless full-text index over the normalised title and text (internal/textnorm.SearchText):
-- FTS5's own folding does nothing for Arabic, so the index holds keys, and snippets are cut from
-- documents.text by internal/fulltext.
CREATE VIRTUAL TABLE docs_fts USING fts5(
    title, body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
