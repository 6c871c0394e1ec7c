package mizan

import (
	"context"
	"io"
	"time"
)

// PutOutcome reports what PutDocument did.
type PutOutcome struct {
	Result PutResult `json:"result"`
	// ID is the stored document's id: the new one, or for a duplicate the one already stored.
	ID string `json:"id"`
	// DupGroup is the near-duplicate group the document joined ("" when none).
	DupGroup string `json:"dup_group,omitempty"`
}

// DocumentStore keeps documents, their raw bytes and their full-text index.
// Implementations are safe for concurrent use.
type DocumentStore interface {
	// PutDocument stores a processed document in one transaction: the row, its raw bytes, its
	// search index entry, its near-duplicate group and, when a is not nil, what the later stages
	// found in it (a document is never stored without its analysis, so a crash cannot leave one
	// that a re-run would skip). A document whose raw bytes or clean text are already stored is
	// not stored again (Result PutDuplicate, ID of the stored one), except with replace set,
	// which overwrites the stored document of the same ID and its analysis (reprocessing).
	PutDocument(ctx context.Context, d *Document, a *Analysis, replace bool) (PutOutcome, error)
	// Document returns one document with its text and raw bytes. id may be a unique prefix of at
	// least 4 characters; an unknown id is ENOTFOUND, an ambiguous prefix ECONFLICT.
	Document(ctx context.Context, id string) (*Document, error)
	// Documents lists documents (without raw bytes and text) in ingest order, and how many match
	// the filter in all.
	Documents(ctx context.Context, f DocumentFilter) ([]*Document, int, error)
	// DocumentIDs returns the ids of all documents whose pipeline version is below the given one
	// (all with maxPipeline <= 0), for reprocessing.
	DocumentIDs(ctx context.Context, belowPipeline int) ([]string, error)
	// HasDocument reports whether a document with this exact id is stored; ingest asks before
	// running the pipeline so unchanged inputs cost a hash, not an extraction.
	HasDocument(ctx context.Context, id string) (bool, error)
	// HasSource reports whether a document was already stored from this source (path or URL) and
	// its id, so an interrupted batch can resume without fetching again.
	HasSource(ctx context.Context, source string) (string, bool, error)
	// NearDuplicates returns the other documents of a document's near-duplicate group.
	NearDuplicates(ctx context.Context, id string) ([]*Document, error)
	// Search runs a ranked full-text query over clean text and titles.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, int, error)
	// RecordFailure keeps an input that failed, so it is reported and can be retried.
	RecordFailure(ctx context.Context, f Failure) error
	// ClearFailure forgets a failure once its source has been ingested.
	ClearFailure(ctx context.Context, source string) error
	// Failures lists recorded failures, newest first.
	Failures(ctx context.Context) ([]Failure, error)
}

// Analysis is what the entity and event stages found in one document.
type Analysis struct {
	Mentions []Mention
	Events   []Event
	// Entities are entities the document introduces (discovered, not in the knowledge base);
	// stores upsert them by id, so two workers discovering the same entity agree. Cross-document
	// resolution also puts here the entities it linked discovered ones to, carrying the new
	// spellings as names; a stored entity keeps its name and type and gains the names.
	Entities []Entity
	// Resolutions are the links cross-document resolution made for this document; stores keep
	// them as the resolution log (replaced when the document is reprocessed).
	Resolutions []Resolution
	// Tone is how loaded the document's language is (nil when not measured).
	Tone *Tone
}

// Stats are counts over a whole store.
type Stats struct {
	Documents int            `json:"documents"`
	ByLang    map[string]int `json:"by_lang"`
	Failures  int            `json:"failures"`
	DupGroups int            `json:"dup_groups"`
	Entities  int            `json:"entities"`
	Mentions  int            `json:"mentions"`
	Events    int            `json:"events"`
	Oldest    *time.Time     `json:"oldest,omitempty"`
	Newest    *time.Time     `json:"newest,omitempty"`
}

// Store is everything mizan keeps. It is implemented by internal/sqlite (the embedded default)
// and internal/postgres, and both pass internal/storetest.
type Store interface {
	DocumentStore
	EntityStore
	EventStore
	Stats(ctx context.Context) (Stats, error)
	io.Closer
}
