package http

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
)

// Network answers the graph, relations, timeline and "central actors" questions. The default,
// NewEventNetwork, builds it from the store's events; the analysis package (internal/graph) can
// replace it through Options.Network. Implementations are safe for concurrent use.
type Network interface {
	// Graph returns the part of the network q selects: nodes are entities, edges are the events
	// between two of them grouped by pair and PLOVER type, each with its evidence. Nodes come
	// most central first (events, then partners).
	Graph(ctx context.Context, q GraphQuery) (*Graph, error)
}

// GraphQuery selects part of the network.
type GraphQuery struct {
	// Entity, when set, keeps only the edges that touch this entity id (its ego network).
	Entity string
	// Types keeps edges of these PLOVER types (all when empty).
	Types []mizan.EventType
	// EntityTypes keeps nodes of these types (all when empty).
	EntityTypes []mizan.EntityType
	// Since and Until bound event dates ([Since, Until)); undated events are dropped when either
	// is set.
	Since, Until *time.Time
	// Credibility filters: events with a lower confidence, hedged events, events in these modes
	// and events attributed only to anonymous sources are dropped.
	MinConfidence float64
	Modes         []mizan.Mode // kept modes (all when empty)
	NoHedged      bool
	NoAnonymous   bool
	// MaxNodes keeps the most central nodes (0: all), MaxEdges the heaviest edges among them
	// (0: all).
	MaxNodes, MaxEdges int
	// MaxEvidence bounds the evidence listed per edge, newest first (0: 20; negative: all).
	MaxEvidence int
}

// Graph is a network: nodes, edges and how much was left out.
type Graph struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
	// TotalNodes and TotalEdges count what matched before MaxNodes and MaxEdges.
	TotalNodes int `json:"total_nodes"`
	TotalEdges int `json:"total_edges"`
}

// Node is an entity in the network.
type Node struct {
	ID   string           `json:"id"`
	Name string           `json:"name"`
	Type mizan.EntityType `json:"type"`
	// Events is how many events the entity takes part in (an event with several actors on one
	// side counts once per partner), Degree how many partners it has.
	Events int `json:"events"`
	Degree int `json:"degree"`
}

// Edge is every event of one PLOVER type between two entities: Source acted on Target when
// Directed, else they took part together.
type Edge struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Target string `json:"target"`
	// SourceName and TargetName are the ends' canonical names.
	SourceName string          `json:"source_name"`
	TargetName string          `json:"target_name"`
	Type       mizan.EventType `json:"type"`
	Directed   bool            `json:"directed"`
	Count      int             `json:"count"`
	Docs       int             `json:"docs"`
	First      *time.Time      `json:"first,omitempty"`
	Last       *time.Time      `json:"last,omitempty"`
	// Evidence lists the events behind the edge, newest first (bounded by MaxEvidence).
	Evidence []Evidence `json:"evidence"`
}

// Evidence is one event behind an edge: the sentence that says so and how surely.
type Evidence struct {
	Event       string                `json:"event"`
	Doc         string                `json:"doc"`
	Sentence    mizan.Span            `json:"span"`
	Text        string                `json:"sentence"`
	Date        *time.Time            `json:"date,omitempty"`
	Precision   mizan.Precision       `json:"precision,omitempty"`
	Mode        mizan.Mode            `json:"mode"`
	Hedged      bool                  `json:"hedged"`
	Attribution mizan.AttributionKind `json:"attribution,omitempty"`
	Confidence  float64               `json:"confidence"`
}

// Relation is everything between one entity and a partner: counts by type, dates, documents and
// the evidence (the `mizan relations A B` view).
type Relation struct {
	Partner Node                    `json:"partner"`
	Count   int                     `json:"count"`
	Types   map[mizan.EventType]int `json:"types"`
	Docs    int                     `json:"docs"`
	First   *time.Time              `json:"first,omitempty"`
	Last    *time.Time              `json:"last,omitempty"`
	// Edges are the edge ids, for the graph page.
	Edges    []string   `json:"edges"`
	Evidence []Evidence `json:"evidence"`
}

// relationsOf groups the edges of g that touch id by partner (only partner other when set),
// most events first, with at most maxEvidence evidence each (negative: all).
func relationsOf(g *Graph, id, other string, maxEvidence int) []Relation {
	nodes := make(map[string]Node, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes[n.ID] = n
	}
	byPartner := map[string]*Relation{}
	docs := map[string]map[string]bool{}
	seen := map[string]map[string]bool{}
	var order []string
	for _, e := range g.Edges {
		partner := e.Target
		switch id {
		case e.Source:
		case e.Target:
			partner = e.Source
		default:
			continue
		}
		if other != "" && partner != other {
			continue
		}
		rel := byPartner[partner]
		if rel == nil {
			rel = &Relation{Partner: nodes[partner], Types: map[mizan.EventType]int{}, Edges: []string{}, Evidence: []Evidence{}}
			byPartner[partner] = rel
			docs[partner] = map[string]bool{}
			seen[partner] = map[string]bool{}
			order = append(order, partner)
		}
		rel.Edges = append(rel.Edges, e.ID)
		rel.Types[e.Type] += e.Count
		rel.First = minTime(rel.First, e.First)
		rel.Last = maxTime(rel.Last, e.Last)
		for _, ev := range e.Evidence {
			docs[partner][ev.Doc] = true
			if !seen[partner][ev.Event] {
				seen[partner][ev.Event] = true
				rel.Evidence = append(rel.Evidence, ev)
			}
		}
		rel.Count += e.Count
	}
	out := make([]Relation, 0, len(order))
	for _, p := range order {
		rel := byPartner[p]
		rel.Docs = len(docs[p])
		sortEvidence(rel.Evidence)
		if maxEvidence >= 0 && len(rel.Evidence) > maxEvidence {
			rel.Evidence = rel.Evidence[:maxEvidence]
		}
		out = append(out, *rel)
	}
	slices.SortStableFunc(out, func(a, b Relation) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Partner.Name, b.Partner.Name))
	})
	return out
}

func sortEvidence(ev []Evidence) {
	slices.SortStableFunc(ev, func(a, b Evidence) int {
		switch {
		case timeAfter(a.Date, b.Date):
			return -1
		case timeAfter(b.Date, a.Date):
			return 1
		}
		return strings.Compare(a.Event, b.Event)
	})
}

func minTime(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.Before(*a)) {
		return b
	}
	return a
}

func maxTime(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.After(*a)) {
		return b
	}
	return a
}

// Bucket counts events in one period.
type Bucket struct {
	// Period is "2024", "2024-03" or "2024-03-15".
	Period string                  `json:"period"`
	Start  time.Time               `json:"start"`
	Count  int                     `json:"count"`
	Types  map[mizan.EventType]int `json:"types"`
}

// Timeline is events counted by period, plus the undated ones.
type Timeline struct {
	Bucket  string   `json:"bucket"` // day, month or year
	Buckets []Bucket `json:"buckets"`
	Undated int      `json:"undated"`
	Total   int      `json:"total"`
}

// timelineOf counts the distinct events of g's evidence by period (bucket day, month or year).
// It needs the graph built with all evidence (MaxEvidence < 0).
func timelineOf(g *Graph, bucket string) Timeline {
	layout := map[string]string{"day": "2006-01-02", "month": "2006-01", "year": "2006"}[bucket]
	tl := Timeline{Bucket: bucket, Buckets: []Bucket{}}
	seen := map[string]bool{}
	byPeriod := map[string]*Bucket{}
	for _, e := range g.Edges {
		for _, ev := range e.Evidence {
			if seen[ev.Event] {
				continue
			}
			seen[ev.Event] = true
			tl.Total++
			if ev.Date == nil {
				tl.Undated++
				continue
			}
			t := ev.Date.UTC()
			start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			switch bucket {
			case "month":
				start = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
			case "year":
				start = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			}
			key := start.Format(layout)
			b := byPeriod[key]
			if b == nil {
				b = &Bucket{Period: key, Start: start, Types: map[mizan.EventType]int{}}
				byPeriod[key] = b
			}
			b.Count++
			b.Types[e.Type]++
		}
	}
	for _, b := range byPeriod {
		tl.Buckets = append(tl.Buckets, *b)
	}
	slices.SortFunc(tl.Buckets, func(a, b Bucket) int { return a.Start.Compare(b.Start) })
	return tl
}
