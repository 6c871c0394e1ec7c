package mizan

import (
	"context"
	"slices"
	"strings"
	"time"
)

// EventType is a PLOVER event type.
type EventType string

// PLOVER types (https://github.com/openeventdata/PLOVER).
const (
	AGREE     EventType = "AGREE"
	CONSULT   EventType = "CONSULT"
	SUPPORT   EventType = "SUPPORT"
	CONCEDE   EventType = "CONCEDE"
	COOPERATE EventType = "COOPERATE"
	AID       EventType = "AID"
	RETREAT   EventType = "RETREAT"
	REQUEST   EventType = "REQUEST"
	ACCUSE    EventType = "ACCUSE"
	REJECT    EventType = "REJECT"
	THREATEN  EventType = "THREATEN"
	PROTEST   EventType = "PROTEST"
	SANCTION  EventType = "SANCTION"
	MOBILIZE  EventType = "MOBILIZE"
	COERCE    EventType = "COERCE"
	ASSAULT   EventType = "ASSAULT"
)

// EventTypes lists the PLOVER types in their canonical order.
var EventTypes = []EventType{AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, REQUEST,
	ACCUSE, REJECT, THREATEN, PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT}

// Known reports whether t is one of the PLOVER types.
func (t EventType) Known() bool { return slices.Contains(EventTypes, t) }

// EventTypeList is the PLOVER types, comma-separated, for messages.
func EventTypeList() string {
	s := make([]string, len(EventTypes))
	for i, t := range EventTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// Mode says how the text presents an event.
type Mode string

const (
	Asserted Mode = "asserted"
	Planned  Mode = "planned"  // intended, scheduled, announced for the future
	Possible Mode = "possible" // speculative: may, could, appears ready to
	Negated  Mode = "negated"  // did not, denied
)

// Known reports whether m is one of the modes.
func (m Mode) Known() bool {
	switch m {
	case Asserted, Planned, Possible, Negated:
		return true
	}
	return false
}

// AttributionKind says who asserts a claim.
type AttributionKind string

const (
	AttrAuthor      AttributionKind = "author"       // the outlet / author itself
	AttrNamedPerson AttributionKind = "named_person" // "Lavrov said"
	AttrNamedOrg    AttributionKind = "named_org"    // "the Russian Security Council announced"
	AttrMedia       AttributionKind = "media"        // another outlet: "al-Sharq al-Awsat reported"
	AttrDocument    AttributionKind = "document"     // "according to a confidential report"
	AttrAnonymous   AttributionKind = "anonymous"    // "a security source", "sources suggest"
)

// Attribution is who the document says asserts a claim.
type Attribution struct {
	Text   string          `json:"text,omitempty"`
	Kind   AttributionKind `json:"kind"`
	Span   *Span           `json:"span,omitempty"`
	Entity string          `json:"entity,omitempty"`
}

// TimeExpr is a normalised time expression. Start and End bound the period the text allows;
// Precision says how exact that is. A relative expression in an undated document keeps Text and
// Precision "relative" and no Start/End.
type TimeExpr struct {
	Text      string     `json:"text,omitempty"`
	Span      *Span      `json:"span,omitempty"`
	Start     *time.Time `json:"start,omitempty"`
	End       *time.Time `json:"end,omitempty"` // exclusive
	Precision Precision  `json:"precision"`
}

// Period writes the time no more precisely than it is known: "2024" for a year, "2024-03" for
// a month, "2024-10..2024-12" for a season or range (its first and last month), else the day;
// "" when the expression has no Start (undated, or relative in an undated document).
func (t TimeExpr) Period() string {
	if t.Start == nil {
		return ""
	}
	switch t.Precision {
	case PrecisionYear:
		return t.Start.Format("2006")
	case PrecisionMonth:
		return t.Start.Format("2006-01")
	case PrecisionSeason, PrecisionRange:
		if t.End != nil {
			return t.Start.Format("2006-01") + ".." + t.End.AddDate(0, 0, -1).Format("2006-01")
		}
		return t.Start.Format("2006-01") + ".."
	}
	return t.Start.Format("2006-01-02")
}

// Actor is an entity taking part in an event, with the text that named it.
type Actor struct {
	Entity string `json:"id"`
	Name   string `json:"name"`
	Text   string `json:"text,omitempty"`
	Span   *Span  `json:"span,omitempty"`
}

// Event is a claim that something happened (or will, may, did not), found in one sentence.
type Event struct {
	ID       string    `json:"id"` // stable: from document, sentence and content
	Doc      string    `json:"doc"`
	Sentence Span      `json:"span"`
	Text     string    `json:"sentence"`
	Type     EventType `json:"type"`
	SubType  string    `json:"subtype,omitempty"`
	Trigger  string    `json:"trigger,omitempty"`
	// TriggerSpan is where the trigger word sits in the text.
	TriggerSpan  *Span       `json:"trigger_span,omitempty"`
	Mode         Mode        `json:"mode"`
	Source       []Actor     `json:"source,omitempty"`
	Target       []Actor     `json:"target,omitempty"`
	Participants []Actor     `json:"participants,omitempty"`
	Place        *Actor      `json:"place,omitempty"`
	Time         TimeExpr    `json:"date"`
	Attribution  Attribution `json:"attribution"`
	Hedged       bool        `json:"hedged"`
	HedgeCues    []string    `json:"hedge_cues,omitempty"`
	Confidence   float64     `json:"confidence"`
}

// EventFilter selects events.
type EventFilter struct {
	Entity  string      // source, target or participant (an entity merged into it counts too)
	Between [2]string   // both entities take part
	Types   []EventType // any of these
	Modes   []Mode      // any of these
	// Since and Until select events whose time overlaps [Since, Until); an event whose text gives
	// no time counts at its document's date (publication, else ingest).
	Since *time.Time
	Until *time.Time
	Doc   string // a document id or unique prefix
	// AsOf shows only events from documents published (or, undated, ingested) by then.
	AsOf *time.Time
	// Order is the order of the result: OrderStored (the default) or OrderNewest.
	Order         EventOrder
	Offset, Limit int
}

// EventOrder is the order in which a store lists events.
type EventOrder string

const (
	// OrderStored lists events as they were stored: documents in ingest order, each document's
	// events in text order (the default; what a reader of one document expects).
	OrderStored EventOrder = ""
	// OrderNewest lists events by their time, newest first (the text's time, else the document's
	// date, as on a timeline); events at the same time in store order. What an analyst expects
	// in a table of events.
	OrderNewest EventOrder = "newest"
)

// TimelineEntry is an event placed on a timeline.
type TimelineEntry struct {
	Event
	// At is where the event sits: the start of its own time, else its document's date
	// (publication, else ingest).
	At time.Time `json:"at"`
	// Undated says the text gave no time for the event, so At is its document's date.
	Undated bool `json:"undated"`
}

// EventStore keeps the events found in documents, written with their document by
// PutDocument (reprocessing a document replaces its events). Implementations are safe for
// concurrent use.
type EventStore interface {
	// Events lists the events matching f in document ingest order and text order, and how many
	// match in all. An unknown or ambiguous Doc is ENOTFOUND or ECONFLICT.
	Events(ctx context.Context, f EventFilter) ([]Event, int, error)
	// Timeline lists the events matching f ordered by time (see TimelineEntry).
	Timeline(ctx context.Context, f EventFilter) ([]TimelineEntry, error)
	// Tone returns how loaded a document's language is; nil when it was not measured,
	// ENOTFOUND for an unknown document.
	Tone(ctx context.Context, doc string) (*Tone, error)
}

// Tone measures loaded or opinionated language in a whole document ("war criminals",
// "horrific", "regime"), so an interface can flag opinion pieces. Score is the number of
// loaded-language cues per 100 words; Cues are the distinct cues found, the most frequent first.
type Tone struct {
	Score float64  `json:"score"`
	Words int      `json:"words"`
	Cues  []string `json:"cues,omitempty"`
}
