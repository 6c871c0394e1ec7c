// Package export writes the knowledge graph and its claims in the formats other tools read:
// GraphML and GEXF (Gephi, yEd), DOT (Graphviz), a JSON graph, STIX 2.1 bundles (threat-intel
// platforms), FollowTheMoney entities (Aleph), CSV (spreadsheets) and JSON lines.
//
// Every writer is deterministic: the same graph gives the same bytes, ids included (STIX ids are
// name-based UUIDs, FollowTheMoney ids hashes of mizan's), so exports can be diffed and
// re-imported without duplicating objects.
package export

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/graph"
)

// Grade is the best grade among the claims a relation carries.
type Grade struct {
	Reliability admiralty.Reliability `json:"reliability"`
	Credibility admiralty.Credibility `json:"credibility"`
	// Claims counts the relation's claims.
	Claims int `json:"claims"`
}

// String is the Admiralty grade, e.g. "B2" ("" without claims).
func (g Grade) String() string {
	if g.Claims == 0 {
		return ""
	}
	return admiralty.Grade(g.Reliability, g.Credibility)
}

// Grades gives each relation of g the best credibility, and the best reliability, among the
// assessed claims that bear on it (a claim bears on the relations between its actors, and
// between a lone actor and its place).
func Grades(g *graph.Graph, claims []*claim.Claim) map[[2]string]Grade {
	out := map[[2]string]Grade{}
	for _, c := range claims {
		if c.Credibility == 0 {
			continue // not assessed
		}
		seen := map[[2]string]bool{}
		for _, ev := range c.Events() {
			for _, p := range graph.Pairs(&g.Events[ev]) {
				k := [2]string{p[0], p[1]}
				if k[1] < k[0] {
					k[0], k[1] = k[1], k[0]
				}
				if seen[k] {
					continue
				}
				seen[k] = true
				gr, ok := out[k]
				if !ok {
					gr = Grade{Reliability: c.Reliability, Credibility: c.Credibility}
				}
				if c.Credibility < gr.Credibility {
					gr.Credibility = c.Credibility
				}
				if c.Reliability.Better(gr.Reliability) {
					gr.Reliability = c.Reliability
				}
				gr.Claims++
				out[k] = gr
			}
		}
	}
	return out
}

// gradeOf returns a relation's grade.
func gradeOf(grades map[[2]string]Grade, e *graph.Edge) Grade { return grades[[2]string{e.A, e.B}] }

// typeList renders an edge's types as "CONSULT:3;COOPERATE:1".
func typeList(ts []graph.TypeCount) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s:%d", t.Type, t.Count)
	}
	return strings.Join(parts, ";")
}

// mainType is an edge's most frequent event type.
func mainType(ts []graph.TypeCount) string {
	if len(ts) == 0 {
		return ""
	}
	return string(ts[0].Type)
}

// direction says which way a relation mostly runs: "a->b", "b->a" or "mutual".
func direction(e *graph.Edge) string {
	switch {
	case e.AB > e.BA && e.AB >= e.Mutual:
		return "a->b"
	case e.BA > e.AB && e.BA >= e.Mutual:
		return "b->a"
	}
	return "mutual"
}

// partialDate is a dated event's start as FtM's partial dates write it: 2024, 2024-03 or
// 2024-03-15, no more exact than the text.
func partialDate(ev *graph.Event) string {
	switch ev.Precision {
	case mizan.PrecisionYear:
		return ev.Start.UTC().Format("2006")
	case mizan.PrecisionMonth, mizan.PrecisionSeason, mizan.PrecisionRange:
		return ev.Start.UTC().Format("2006-01")
	}
	return day(ev.Start)
}

// datedRange is the first and last of an edge's events that the text dates, at their precision;
// empty when none is.
func datedRange(g *graph.Graph, e *graph.Edge) (first, last string) {
	if e.Dated == 0 {
		return "", ""
	}
	return partialDate(&g.Events[e.FirstDated]), partialDate(&g.Events[e.LastDated])
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// Format is an export format.
type Format string

// Graph formats (WriteGraph) and data formats (WriteData).
const (
	JSON    Format = "json"
	GraphML Format = "graphml"
	GEXF    Format = "gexf"
	DOT     Format = "dot"
	JSONL   Format = "jsonl"
	STIX    Format = "stix"
	FtM     Format = "ftm"
	CSV     Format = "csv"
)

// GraphFormats are the formats WriteGraph knows, DataFormats those WriteData knows.
var (
	GraphFormats = []Format{JSON, GraphML, GEXF, DOT}
	DataFormats  = []Format{JSONL, STIX, FtM, CSV}
)

// WriteGraph writes the graph in one of GraphFormats, relations graded by grades (may be nil).
// An unknown format is EUNSUPPORTED.
func WriteGraph(w io.Writer, f Format, g *graph.Graph, grades map[[2]string]Grade) error {
	switch f {
	case JSON:
		return WriteJSON(w, g, grades)
	case GraphML:
		return WriteGraphML(w, g, grades)
	case GEXF:
		return WriteGEXF(w, g, grades)
	case DOT:
		return WriteDOT(w, g, grades)
	}
	return mizan.Errorf(mizan.EUNSUPPORTED, "graph format %q: want one of %s", f, join(GraphFormats))
}

// Data is what the data formats export: the graph and its assessed claims.
type Data struct {
	Graph  *graph.Graph
	Claims []*claim.Claim
	// Created stamps objects whose own time is unknown (STIX requires one); it is the newest
	// report time of the graph when zero, so that exports stay deterministic.
	Created time.Time
	// Table says which CSV table to write: relations (default), events, claims or entities.
	Table string
}

// WriteData writes the graph and claims in one of DataFormats (EUNSUPPORTED otherwise).
func WriteData(w io.Writer, f Format, d Data) error {
	if d.Created.IsZero() {
		for i := range d.Graph.Docs {
			if r := d.Graph.Docs[i].Reported(); r.After(d.Created) {
				d.Created = r
			}
		}
		if d.Created.IsZero() {
			d.Created = time.Unix(0, 0)
		}
	}
	switch f {
	case JSONL:
		return WriteJSONL(w, d)
	case STIX:
		return WriteSTIX(w, d)
	case FtM:
		return WriteFtM(w, d)
	case CSV:
		return WriteCSV(w, d)
	}
	return mizan.Errorf(mizan.EUNSUPPORTED, "export format %q: want one of %s", f, join(DataFormats))
}

func join(fs []Format) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// sortedNodes returns the nodes that take part in a relation (isolated ones are left out of the
// graph formats), in id order.
func linkedNodes(g *graph.Graph) []*graph.Node {
	var out []*graph.Node
	for _, n := range g.Nodes {
		if n.Degree > 0 {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *graph.Node) int { return strings.Compare(a.ID, b.ID) })
	return out
}
