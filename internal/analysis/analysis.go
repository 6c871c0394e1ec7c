// Package analysis answers the analyst's questions about the knowledge graph that need more
// than the graph: the relation between two entities with its claims, their Admiralty grades and
// the evidence down to the sentence (`mizan relations A B`, GET /api/v1/relations), and the
// grading of a whole graph for the web workbench (Grade). It joins internal/graph,
// internal/claim and internal/admiralty, so that the command line and the web server share one
// implementation.
package analysis

import (
	"context"
	"slices"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/graph"
)

// EntityRef is an entity as the analysis views name it.
type EntityRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Evidence is one event behind a relation, down to its sentence.
type Evidence struct {
	Event     string                `json:"event"`
	Doc       string                `json:"doc"`
	Title     string                `json:"title,omitempty"`
	Outlet    string                `json:"outlet,omitempty"`
	Lang      string                `json:"lang,omitempty"`
	Published *time.Time            `json:"published,omitempty"`
	Reported  time.Time             `json:"reported"`
	Type      mizan.EventType       `json:"type"`
	SubType   string                `json:"subtype,omitempty"`
	Mode      mizan.Mode            `json:"mode"`
	Direction string                `json:"direction"` // "a->b", "b->a" or "mutual"
	Date      mizan.TimeExpr        `json:"date"`
	Place     *EntityRef            `json:"place,omitempty"`
	Says      mizan.Attribution     `json:"attribution"`
	Hedged    bool                  `json:"hedged"`
	Sentence  string                `json:"sentence"`
	Span      mizan.Span            `json:"span"`
	Claim     string                `json:"claim,omitempty"`
	Grade     string                `json:"grade,omitempty"`
	Outlets   admiralty.Reliability `json:"reliability,omitempty"`
}

// Relation is everything between two entities: counts by type and direction, dates, a trend,
// the claims with their grades, and every event as evidence.
type Relation struct {
	A       EntityRef         `json:"a"`
	B       EntityRef         `json:"b"`
	AsOf    *time.Time        `json:"as_of,omitempty"`
	Weight  float64           `json:"weight"`
	Events  int               `json:"events"`
	Docs    int               `json:"docs"`
	Types   []graph.TypeCount `json:"types"`
	AToB    int               `json:"a_to_b"`
	BToA    int               `json:"b_to_a"`
	Mutual  int               `json:"mutual"`
	Negated int               `json:"negated"`
	Hedged  int               `json:"hedged"`
	// First and Last are the earliest and latest event times, an event whose text gives no
	// date counting at its report time (for ordering and trends). Dated counts the events whose
	// text dates them, and DatedFirst and DatedLast are the earliest and latest of those at the
	// precision the text gives: what to show as "when", so that nothing looks more exact than
	// it was written.
	First      *time.Time      `json:"first,omitempty"`
	Last       *time.Time      `json:"last,omitempty"`
	Dated      int             `json:"dated"`
	DatedFirst *mizan.TimeExpr `json:"dated_first,omitempty"`
	DatedLast  *mizan.TimeExpr `json:"dated_last,omitempty"`
	// FirstReported and LastReported are the earliest and latest report times: publication,
	// else ingest. Unpublished counts the events from documents without a publication date,
	// whose report time is when mizan read them.
	FirstReported *time.Time     `json:"first_reported,omitempty"`
	LastReported  *time.Time     `json:"last_reported,omitempty"`
	Unpublished   int            `json:"unpublished"`
	Trend         []graph.Bucket `json:"trend"`
	Claims        []*claim.Claim `json:"claims"`
	Evidence      []Evidence     `json:"evidence"`
}

// EvidenceOf is event ev of the relation between x and y as evidence: its document, its
// sentence and attribution (from f, the stored event), its direction seen from x, its place and
// its outlet's reliability under table. Claim and grade are the caller's to fill.
func EvidenceOf(g *graph.Graph, ev *graph.Event, f *mizan.Event, table *admiralty.Table, x, y string) Evidence {
	d := g.Doc(ev)
	dir := "mutual"
	switch {
	case graph.Symmetric(ev.Type):
	case slices.Contains(ev.Source, x) && (slices.Contains(ev.Target, y) || ev.Place == y):
		dir = "a->b"
	case slices.Contains(ev.Source, y) && (slices.Contains(ev.Target, x) || ev.Place == x):
		dir = "b->a"
	}
	r, _ := table.Grade(d.Outlet, d.Source)
	ex := Evidence{Event: ev.ID, Doc: d.ID, Title: d.Title, Outlet: d.Outlet, Lang: d.Lang, Published: d.Published,
		Reported: d.Reported(), Type: ev.Type, SubType: ev.SubType, Mode: ev.Mode, Direction: dir, Date: f.Time,
		Says: f.Attribution, Hedged: ev.Hedged, Sentence: f.Text, Span: f.Sentence, Outlets: r}
	if ev.Place != "" {
		ex.Place = &EntityRef{ev.Place, g.Name(ev.Place)}
	}
	return ex
}

// Claims returns the claims of a graph that keep accepts (all when keep is nil), assessed:
// reports' sentences, origins and Admiralty grades (table nil: every outlet F).
func Claims(ctx context.Context, g *graph.Graph, texts claim.Texts, table *admiralty.Table, keep func(*claim.Claim) bool) ([]*claim.Claim, error) {
	var out []*claim.Claim
	for _, c := range claim.Match(g) {
		if keep == nil || keep(c) {
			out = append(out, c)
		}
	}
	if err := claim.Assess(ctx, g, out, texts, table); err != nil {
		return nil, err
	}
	return out, nil
}

// Involves reports whether a claim names an entity as an actor or as its place.
func Involves(c *claim.Claim, id string) bool {
	return slices.Contains(c.Source, id) || slices.Contains(c.Target, id) || c.Place == id
}

// Neighbourhood returns the part of g that the claims of the given events depend on: those
// events and every other event of their documents. A claim groups events with the same type and
// actors, and what contradicts it has them too, so every claim with a report among the events
// of one relation lies within the relation; telling which of its reports share an origin
// compares whole documents. Matching and grading on the neighbourhood therefore give what they
// give on g, at the cost of the relation rather than of the corpus.
func Neighbourhood(g *graph.Graph, events []int32) *graph.Graph {
	docs := map[int32]bool{}
	for _, i := range events {
		docs[g.Events[i].Doc] = true
	}
	return g.Sub(func(_ int32, e *graph.Event) bool { return docs[e.Doc] })
}

// Explain gathers the relation between entities x and y of g: its events by type, direction and
// period (buckets of p), its claims graded with table, and every event as evidence with its
// sentence (read from texts). A pair that no event links gives an empty relation.
func Explain(ctx context.Context, g *graph.Graph, texts claim.Texts, table *admiralty.Table, x, y string, p graph.Period) (*Relation, error) {
	v := &Relation{A: EntityRef{x, g.Name(x)}, B: EntityRef{y, g.Name(y)}, AsOf: g.AsOf, Types: []graph.TypeCount{},
		Trend: []graph.Bucket{}, Claims: []*claim.Claim{}, Evidence: []Evidence{}}
	if e, ok := g.Edge(x, y); ok {
		g = Neighbourhood(g, e.Events)
	}
	e, ok := g.Edge(x, y)
	if !ok {
		return v, nil
	}
	v.Weight, v.Events, v.Docs, v.Types, v.Negated, v.Hedged = e.Weight, len(e.Events), e.Docs, e.Types, e.Negated, e.Hedged
	v.AToB, v.BToA, v.Mutual = e.AB, e.BA, e.Mutual
	if e.A != x {
		v.AToB, v.BToA = e.BA, e.AB
	}
	v.First, v.Last, v.FirstReported, v.LastReported = &e.First, &e.Last, &e.FirstReported, &e.LastReported
	if v.Dated = e.Dated; e.Dated > 0 {
		first, last := g.Events[e.FirstDated].Time(), g.Events[e.LastDated].Time()
		v.DatedFirst, v.DatedLast = &first, &last
	}
	for _, i := range e.Events {
		if g.Doc(&g.Events[i]).Published == nil {
			v.Unpublished++
		}
	}
	v.Trend = g.Trend(e, p)
	inEdge := map[string]bool{}
	for _, i := range e.Events {
		inEdge[g.Events[i].ID] = true
	}
	claims, err := Claims(ctx, g, texts, table, func(c *claim.Claim) bool {
		return slices.ContainsFunc(c.Reports, func(r claim.Report) bool { return inEdge[r.EventID] })
	})
	if err != nil {
		return nil, err
	}
	if claims != nil {
		v.Claims = claims
	}
	ofEvent := map[string]*claim.Claim{}
	for _, c := range claims {
		for _, i := range c.Events() {
			ofEvent[g.Events[i].ID] = c
		}
	}
	full, err := g.Details(ctx, texts, e.Events)
	if err != nil {
		return nil, err
	}
	for _, i := range e.Events {
		ev := &g.Events[i]
		f := full[ev.ID]
		if f == nil {
			continue // reprocessed since the graph was built
		}
		ex := EvidenceOf(g, ev, f, table, x, y)
		if c := ofEvent[ev.ID]; c != nil {
			ex.Claim, ex.Grade = c.ID, c.Grade
		}
		v.Evidence = append(v.Evidence, ex)
	}
	return v, nil
}
