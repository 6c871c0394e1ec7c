package http

import (
	"context"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/analysis"
	"github.com/mizan-osint/mizan/internal/graph"
)

// Network answers the graph, relations, timeline and "central actors" questions. The default,
// NewAnalysisNetwork, answers them from the analysis graph (internal/graph) with its claims
// graded (internal/claim, internal/admiralty). Implementations are safe for concurrent use, and
// their answers are shared between callers: callers must not modify them.
type Network interface {
	// Graph returns the part of the network q selects: nodes are entities, edges the relations
	// between two of them (every event that links them, by PLOVER type and direction), each with
	// its grade and evidence. Nodes come most central first (q.Rank), edges heaviest first (or
	// newest, q.NewestEdges).
	Graph(ctx context.Context, q GraphQuery) (*Graph, error)
	// Relations lists the partners of one entity among the relations q selects (q.Entity is
	// ignored), most events first, at most limit of them (0: all), each with at most maxEvidence
	// evidence (negative: all), newest first.
	Relations(ctx context.Context, entity string, q GraphQuery, limit, maxEvidence int) ([]Relation, error)
	// Timeline counts the events of the relations q selects by period: bucket day, month or year.
	Timeline(ctx context.Context, q GraphQuery, bucket string) (*Timeline, error)
	// Explain is everything between entities a and b among the events q selects (its dates,
	// types, as-of date and credibility filters), as `mizan relations A B` shows it: counts,
	// trend by period p, graded claims and every event as evidence.
	Explain(ctx context.Context, a, b string, q GraphQuery, p graph.Period) (*analysis.Relation, error)
}

// GraphQuery selects part of the network.
type GraphQuery struct {
	// Entity, when set, keeps only the relations of this entity id (its ego network).
	Entity string
	// Types keeps events of these PLOVER types (all when empty).
	Types []mizan.EventType
	// EntityTypes keeps nodes of these types (all when empty).
	EntityTypes []mizan.EntityType
	// Since and Until keep events whose time overlaps [Since, Until); an event whose text gives
	// no time counts at its document's date (as `mizan graph --since` does).
	Since, Until *time.Time
	// AsOf keeps events of documents reported (published, else ingested) by then: the network as
	// it stood on that date (`--as-of`).
	AsOf *time.Time
	// Credibility filters: events with a lower confidence, hedged events, events in other modes
	// and events attributed only to anonymous sources are dropped.
	MinConfidence float64
	Modes         []mizan.Mode // kept modes (all when empty)
	NoHedged      bool
	NoAnonymous   bool
	// MaxCredibility keeps events whose claim's Admiralty credibility is at most this (1
	// confirmed … 6 cannot be judged; 0: any). An event in no claim counts as 6.
	MaxCredibility admiralty.Credibility
	// MinReliability keeps events reported by outlets at least this reliable ("A" best … "F";
	// "": any).
	MinReliability admiralty.Reliability
	// Rank orders the nodes: "pagerank" (default: who is acted upon by central actors),
	// "betweenness" (who connects the rest; estimated on large graphs) or "events".
	Rank string
	// NewestEdges orders the edges by their last event, newest first, instead of heaviest first.
	NewestEdges bool
	// MaxNodes keeps the most central nodes (0: all), MaxEdges the first edges among them
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
	// AsOf is the date the network stands at (the query's), BuiltAt when the analysis it comes
	// from was built.
	AsOf    *time.Time `json:"as_of,omitempty"`
	BuiltAt time.Time  `json:"built_at"`
	// Graded says the claims are graded; until then (minutes after a build on a large corpus)
	// edges and evidence carry no grade and credibility filters are refused.
	Graded bool `json:"graded"`
}

// Node is an entity in the network.
type Node struct {
	ID   string           `json:"id"`
	Name string           `json:"name"`
	Type mizan.EntityType `json:"type"`
	// Events is how many of the selected events the entity takes part in, counted once per
	// partner; Degree how many partners it has among them.
	Events int `json:"events"`
	Degree int `json:"degree"`
	// PageRank and Betweenness are the entity's centrality in the whole graph (not only the
	// part selected); Betweenness is estimated from sampled sources on large graphs
	// (BetweennessApprox).
	PageRank          float64  `json:"pagerank"`
	Betweenness       *float64 `json:"betweenness,omitempty"`
	BetweennessApprox bool     `json:"betweenness_approx,omitempty"`
}

// Grade is an Admiralty grade with the reasons for it: the reliability of the best outlet
// reporting a claim (A–F) and the claim's credibility (1–6).
type Grade struct {
	// Grade is both, e.g. "B2".
	Grade       string                `json:"grade"`
	Reliability admiralty.Reliability `json:"reliability"`
	Credibility admiralty.Credibility `json:"credibility"`
	// Claim is the claim graded; Reasons say why, in short sentences.
	Claim   string   `json:"claim,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
}

// Edge is the relation between two entities: every selected event that links them. Source
// acted on Target when Directed (every event goes that way), else the events go both ways or
// the two took part together.
type Edge struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Target string `json:"target"`
	// SourceName and TargetName are the ends' canonical names.
	SourceName string `json:"source_name"`
	TargetName string `json:"target_name"`
	// Type is the most frequent PLOVER type, Types the count of each, most frequent first.
	Type     mizan.EventType   `json:"type"`
	Types    []graph.TypeCount `json:"types"`
	Directed bool              `json:"directed"`
	// Count is the number of events; SourceToTarget, TargetToSource and Mutual split them by
	// direction; Docs counts their documents.
	Count          int `json:"count"`
	SourceToTarget int `json:"source_to_target"`
	TargetToSource int `json:"target_to_source"`
	Mutual         int `json:"mutual"`
	Docs           int `json:"docs"`
	Period
	// Grade is the best-graded claim among the edge's events (most credible, then from the most
	// reliable outlet); Claims counts the claims.
	Grade  *Grade `json:"grade,omitempty"`
	Claims int    `json:"claims"`
	// Evidence lists the events behind the edge, newest first (bounded by MaxEvidence).
	Evidence []Evidence `json:"evidence"`
}

// Period is when a set of events happened, as exactly as their texts say. Dated counts the events
// whose text gives a time; First and Last are the earliest and latest of those at their
// precision, absent when none is dated: an undated event is not given its report's date.
type Period struct {
	Dated          int             `json:"dated"`
	First          *time.Time      `json:"first,omitempty"`
	Last           *time.Time      `json:"last,omitempty"`
	FirstPrecision mizan.Precision `json:"first_precision,omitempty"`
	LastPrecision  mizan.Precision `json:"last_precision,omitempty"`
}

// Evidence is one event behind an edge: the sentence that says so, who says it and how surely.
type Evidence struct {
	Event       string                `json:"event"`
	Doc         string                `json:"doc"`
	Title       string                `json:"title,omitempty"`
	Outlet      string                `json:"outlet,omitempty"`
	Type        mizan.EventType       `json:"type"`
	Sentence    mizan.Span            `json:"span"`
	Text        string                `json:"sentence"`
	Date        *time.Time            `json:"date,omitempty"`
	Precision   mizan.Precision       `json:"precision,omitempty"`
	Reported    time.Time             `json:"reported"`
	Mode        mizan.Mode            `json:"mode"`
	Hedged      bool                  `json:"hedged"`
	Attribution mizan.AttributionKind `json:"attribution,omitempty"`
	Confidence  float64               `json:"confidence"`
	// Claim is the claim the event reports, Grade its Admiralty grade and Credibility the
	// claim's credibility; Reliability is the reporting outlet's.
	Claim       string                `json:"claim,omitempty"`
	Grade       string                `json:"grade,omitempty"`
	Credibility admiralty.Credibility `json:"credibility,omitempty"`
	Reliability admiralty.Reliability `json:"reliability"`
}

// Relation is everything between one entity and a partner, as the entity profile lists it.
type Relation struct {
	Partner Node                    `json:"partner"`
	Count   int                     `json:"count"`
	Types   map[mizan.EventType]int `json:"types"`
	Docs    int                     `json:"docs"`
	Period                          // the edge's
	Grade   *Grade                  `json:"grade,omitempty"`
	// Edges are the edge ids, for the graph page.
	Edges    []string   `json:"edges"`
	Evidence []Evidence `json:"evidence"`
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
