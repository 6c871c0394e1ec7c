package graph

import (
	"cmp"
	"slices"
	"time"

	"github.com/mizan-osint/mizan"
)

// EdgeChange is a relation that differs between two graphs.
type EdgeChange struct {
	A     string `json:"a"`
	B     string `json:"b"`
	AName string `json:"a_name"`
	BName string `json:"b_name"`
	// Before and After are the relation's weights in the two graphs (0: absent).
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	// Types are the relation's event types where it exists last (after, else before), and
	// NewTypes the types it gained.
	Types    []TypeCount       `json:"types"`
	NewTypes []mizan.EventType `json:"new_types,omitempty"`
}

// Delta is what changed from one graph to another.
type Delta struct {
	// New relations exist only after; Lost ones only before; Stronger and Weaker exist in both
	// with more or less weight (or new event types).
	New      []EdgeChange `json:"new"`
	Lost     []EdgeChange `json:"lost"`
	Stronger []EdgeChange `json:"stronger"`
	Weaker   []EdgeChange `json:"weaker"`
	// NewNodes are entities linked only after, LostNodes those linked only before.
	NewNodes  []string `json:"new_entities"`
	LostNodes []string `json:"lost_entities"`
}

// Compare tells what changed between two graphs: the same store as known at two dates (AsOf), or
// the events of two periods (Since/Until), to see which relations appeared and which went quiet.
func Compare(before, after *Graph) Delta {
	d := Delta{New: []EdgeChange{}, Lost: []EdgeChange{}, Stronger: []EdgeChange{}, Weaker: []EdgeChange{},
		NewNodes: []string{}, LostNodes: []string{}}
	change := func(e *Edge, g *Graph) EdgeChange {
		return EdgeChange{A: e.A, B: e.B, AName: g.Name(e.A), BName: g.Name(e.B), Types: e.Types}
	}
	for _, e := range after.Edges {
		old, ok := before.Edge(e.A, e.B)
		c := change(e, after)
		c.After = e.Weight
		if !ok {
			d.New = append(d.New, c)
			continue
		}
		c.Before = old.Weight
		for _, t := range e.Types {
			if !slices.ContainsFunc(old.Types, func(o TypeCount) bool { return o.Type == t.Type }) {
				c.NewTypes = append(c.NewTypes, t.Type)
			}
		}
		switch {
		case c.After > c.Before || len(c.NewTypes) > 0:
			d.Stronger = append(d.Stronger, c)
		case c.After < c.Before:
			d.Weaker = append(d.Weaker, c)
		}
	}
	for _, e := range before.Edges {
		if _, ok := after.Edge(e.A, e.B); !ok {
			c := change(e, before)
			c.Before = e.Weight
			d.Lost = append(d.Lost, c)
		}
	}
	linked := func(g *Graph, id string) bool {
		n, ok := g.Node(id)
		return ok && n.Degree > 0
	}
	for _, n := range after.Nodes {
		if n.Degree > 0 && !linked(before, n.ID) {
			d.NewNodes = append(d.NewNodes, n.ID)
		}
	}
	for _, n := range before.Nodes {
		if n.Degree > 0 && !linked(after, n.ID) {
			d.LostNodes = append(d.LostNodes, n.ID)
		}
	}
	byGain := func(a, b EdgeChange) int {
		if c := cmp.Compare(b.After-b.Before, a.After-a.Before); c != 0 {
			return c
		}
		return cmp.Compare(a.A+a.B, b.A+b.B)
	}
	slices.SortStableFunc(d.New, byGain)
	slices.SortStableFunc(d.Stronger, byGain)
	byLoss := func(a, b EdgeChange) int { return -byGain(a, b) }
	slices.SortStableFunc(d.Lost, byLoss)
	slices.SortStableFunc(d.Weaker, byLoss)
	return d
}

// Window returns the options for the events of one period [since, until), keeping o's other
// selections.
func (o Options) Window(since, until *time.Time) Options {
	o.Since, o.Until = since, until
	return o
}
