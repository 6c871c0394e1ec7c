package mizan

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// DocumentID is the stable id of a document: the first 64 bits of the SHA-256 of its raw bytes,
// in hex. The same bytes always get the same id, whatever path or URL they came from, and
// reprocessing with a newer pipeline never changes it.
func DocumentID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:8])
}

// TextHash is the hash of a clean text, used to find exact duplicates of content that came in
// different raw bytes (the same article fetched twice with different page furniture).
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:16])
}

// Precision says how exactly a time is known. A time is never stored more precisely than the
// text that gave it.
type Precision string

// Precisions, from most to least exact. Range is a span with distinct start and end (e.g. "end of
// 2024" → Oct–Dec 2024); Relative means the text gave a time only relative to an unknown date
// ("last Wednesday" in an undated article).
const (
	PrecisionSecond   Precision = "second"
	PrecisionMinute   Precision = "minute"
	PrecisionDay      Precision = "day"
	PrecisionMonth    Precision = "month"
	PrecisionSeason   Precision = "season"
	PrecisionYear     Precision = "year"
	PrecisionRange    Precision = "range"
	PrecisionRelative Precision = "relative"
	PrecisionUnknown  Precision = "unknown"
)

// Format says how a document's text was extracted from its raw bytes.
type Format string

const (
	FormatHTML   Format = "html"   // an HTML page: main content extracted
	FormatText   Format = "text"   // a clean plain-text article
	FormatScrape Format = "scrape" // plain text copied from a browser page: boilerplate removed
)

// SourceKind says where a document's bytes came from.
type SourceKind string

const (
	SourceFile  SourceKind = "file"
	SourceURL   SourceKind = "url"
	SourceFeed  SourceKind = "feed" // an item of an RSS/Atom feed
	SourceStdin SourceKind = "stdin"
)

// Paragraph is a block of the clean text with its own detected language (which can differ from
// the document's, e.g. a quoted Arabic headline in an English article).
type Paragraph struct {
	Span Span   `json:"span"`
	Lang string `json:"lang,omitempty"`
}

// FeedInfo keeps what an RSS/Atom feed said about the item a document came from.
type FeedInfo struct {
	FeedURL   string     `json:"feed_url"`
	FeedTitle string     `json:"feed_title,omitempty"`
	ItemTitle string     `json:"item_title,omitempty"`
	ItemGUID  string     `json:"item_guid,omitempty"`
	ItemLink  string     `json:"item_link,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	Authors   []string   `json:"authors,omitempty"`
	Summary   string     `json:"summary,omitempty"`
	// FromFeed means the document was built from the content the feed carried, because the
	// item's link could not be fetched (FetchError says why) or was missing.
	FromFeed   bool   `json:"from_feed,omitempty"`
	FetchError string `json:"fetch_error,omitempty"`
}

// Document is one ingested news document: its raw bytes, kept so it can be reprocessed, and
// what the pipeline extracted from them.
type Document struct {
	// ID is stable: derived from the raw bytes (see DocumentID), so the same input always gets the
	// same id and reprocessing never changes it.
	ID         string     `json:"id"`
	Source     string     `json:"source"` // path, URL or "-"
	SourceKind SourceKind `json:"source_kind"`
	Outlet     string     `json:"outlet,omitempty"`
	Title      string     `json:"title"`
	Authors    []string   `json:"authors,omitempty"`
	// Published is when the document says it was published (nil when it does not say);
	// PublishedText is the text that said so.
	Published          *time.Time `json:"published,omitempty"`
	PublishedPrecision Precision  `json:"published_precision,omitempty"`
	PublishedText      string     `json:"published_text,omitempty"`
	Lang               string     `json:"lang"` // ISO 639-1, "" when undetermined
	ContentType        string     `json:"content_type,omitempty"`
	Charset            string     `json:"charset,omitempty"` // the encoding the raw bytes were decoded from
	Format             Format     `json:"format"`
	Raw                []byte     `json:"-"`
	// Text is the clean text: the article only, paragraphs separated by a blank line.
	Text string `json:"text,omitempty"`
	// Length is the clean text's length in characters, kept so listings can show it without
	// loading the text. Stores set it.
	Length     int         `json:"chars"`
	TextHash   string      `json:"-"` // hash of Text: exact duplicates of the content
	Paragraphs []Paragraph `json:"paragraphs,omitempty"`
	Sentences  []Span      `json:"sentences,omitempty"`
	// MinHash is the near-duplicate signature of Text (internal/nlp/dedup).
	MinHash []uint32 `json:"-"`
	// DupGroup is the id of the first document of this document's near-duplicate group ("" when
	// it has no near duplicate).
	DupGroup   string    `json:"dup_group,omitempty"`
	Feed       *FeedInfo `json:"feed,omitempty"`
	IngestedAt time.Time `json:"ingested_at"`
	// Pipeline is the version of the pipeline that produced Text and everything derived from it;
	// `mizan reprocess` re-runs documents whose Pipeline is older than the binary's.
	Pipeline int `json:"pipeline"`

	index *TextIndex // cache for Index, rebuilt when Text changes
}

// Index returns the document's character index, built on first use and again whenever Text has
// changed. It is not safe to call for the first time from several goroutines at once.
func (d *Document) Index() *TextIndex {
	if d.index == nil || d.index.text != d.Text {
		d.index = NewTextIndex(d.Text)
	}
	return d.index
}

// Slice returns the clean text covered by a character span.
func (d *Document) Slice(s Span) string { return d.Index().Slice(s) }

// Chars is the length of the clean text in characters.
func (d *Document) Chars() int { return d.Index().Chars() }

// SentenceAt returns the span of the sentence containing character offset c, or false.
func (d *Document) SentenceAt(c int) (Span, bool) {
	for _, s := range d.Sentences {
		if c >= s.Start && c < s.End {
			return s, true
		}
	}
	return Span{}, false
}

// Validate checks the invariants a store relies on.
func (d *Document) Validate() error {
	switch {
	case d.ID == "":
		return Errorf(EINVALID, "document has no id")
	case len(d.Raw) == 0:
		return Errorf(EINVALID, "document %s has no raw bytes", d.ID)
	case strings.TrimSpace(d.Text) == "":
		return Errorf(EINVALID, "document %s has no text", d.ID)
	}
	n := d.Chars()
	for _, s := range d.Sentences {
		if s.Start < 0 || s.End > n || s.Start > s.End {
			return Errorf(EINVALID, "document %s: sentence span %d-%d outside text of %d characters", d.ID, s.Start, s.End, n)
		}
	}
	for _, p := range d.Paragraphs {
		if p.Span.Start < 0 || p.Span.End > n || p.Span.Start > p.Span.End {
			return Errorf(EINVALID, "document %s: paragraph span %d-%d outside text of %d characters", d.ID, p.Span.Start, p.Span.End, n)
		}
	}
	return nil
}

// DocumentSummary is a document as listings show it — `mizan docs --json`, the API's document
// lists, search hits — without text or raw bytes.
type DocumentSummary struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Lang      string     `json:"lang"`
	Published *time.Time `json:"published"`
	Precision Precision  `json:"published_precision,omitempty"`
	Outlet    string     `json:"outlet"`
	Authors   []string   `json:"authors,omitempty"`
	Source    string     `json:"source"`
	Format    Format     `json:"format"`
	Chars     int        `json:"chars"`
	DupGroup  string     `json:"dup_group,omitempty"`
	Ingested  time.Time  `json:"ingested_at"`
}

// Summary returns the document's listing row.
func (d *Document) Summary() DocumentSummary {
	return DocumentSummary{ID: d.ID, Title: d.Title, Lang: d.Lang, Published: d.Published, Precision: d.PublishedPrecision,
		Outlet: d.Outlet, Authors: d.Authors, Source: d.Source, Format: d.Format, Chars: d.Length,
		DupGroup: d.DupGroup, Ingested: d.IngestedAt}
}

// DocumentFilter selects documents in a listing.
type DocumentFilter struct {
	IDs    []string // exact ids (or unique prefixes, resolved by the store)
	Lang   string
	Outlet string
	Since  *time.Time // published on or after
	Until  *time.Time // published before
	// IngestedBefore restricts to documents ingested before this time ("what was known when").
	IngestedBefore *time.Time
	Offset, Limit  int
}

// SearchQuery is a full-text query over clean text.
type SearchQuery struct {
	Query         string
	Lang          string
	Offset, Limit int
}

// SearchHit is one document matching a SearchQuery.
type SearchHit struct {
	Doc   *Document `json:"-"`
	Score float64   `json:"score"`
	// Snippet is an excerpt of the clean text around the best match; Highlights are the character
	// spans of matched words inside Snippet.
	Snippet    string `json:"snippet"`
	Highlights []Span `json:"highlights"`
	// Span is where Snippet starts and ends in the document's text.
	Span Span `json:"span"`
}

// PutResult says what storing a document did.
type PutResult string

const (
	PutAdded     PutResult = "added"     // a new document
	PutDuplicate PutResult = "duplicate" // the same raw bytes or the same clean text were already stored
	PutUpdated   PutResult = "updated"   // a stored document was reprocessed
)

// Failure records an input that could not be ingested, so a batch can go on and report it.
type Failure struct {
	Source string    `json:"source"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}
