package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/graph"
)

func date(y, m, d int) *time.Time {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return &t
}

// ev builds an event: "src>tgt" actors (either side may be empty, several joined by "+"),
// "@place", and a month (0: undated).
func ev(id, doc string, typ mizan.EventType, actors string, y, m int) mizan.Event {
	var n int
	fmt.Sscanf(id, "e%d", &n)
	e := mizan.Event{ID: id, Doc: doc, Type: typ, Mode: mizan.Asserted, Sentence: mizan.Span{Start: n * 100, End: n*100 + 90},
		Attribution: mizan.Attribution{Kind: mizan.AttrAuthor}, Time: mizan.TimeExpr{Precision: mizan.PrecisionUnknown}}
	if at := strings.Index(actors, "@"); at >= 0 {
		e.Place = &mizan.Actor{Entity: actors[at+1:]}
		actors = actors[:at]
	}
	src, tgt, _ := strings.Cut(actors, ">")
	for _, s := range strings.Split(src, "+") {
		if s != "" {
			e.Source = append(e.Source, mizan.Actor{Entity: s})
		}
	}
	for _, s := range strings.Split(tgt, "+") {
		if s != "" {
			e.Target = append(e.Target, mizan.Actor{Entity: s})
		}
	}
	if y > 0 {
		e.Time = mizan.TimeExpr{Start: date(y, m, 1), End: date(y, m+1, 1), Precision: mizan.PrecisionMonth}
	}
	return e
}

var entities = []mizan.Entity{
	{ID: "gpe/dz", Name: "Algeria", Type: mizan.GPE}, {ID: "gpe/ru", Name: "Russia", Type: mizan.GPE},
	{ID: "gpe/ir", Name: "Iran", Type: mizan.GPE}, {ID: "gpe/es", Name: "Spain", Type: mizan.GPE},
	{ID: "gpe/ma", Name: "Morocco", Type: mizan.GPE}, {ID: "gpe/sy", Name: "Syria", Type: mizan.GPE},
	{ID: "person/patrushev", Name: "Nikolai Patrushev", Type: mizan.PERSON},
	{ID: "loc/algiers", Name: "Algiers", Type: mizan.LOC, Attrs: map[string]string{"country": "dz"}},
	{ID: "group/polisario", Name: "Polisario Front", Type: mizan.GROUP},
}

// fixture is a small fictional corpus: three documents published in 2022, 2023 and 2024, and one
// undated document ingested in 2025.
func fixture() ([]mizan.Document, []mizan.Event) {
	ingest := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	docs := []mizan.Document{
		{ID: "d1", Lang: "en", Outlet: "Wire One", Published: date(2022, 5, 1), IngestedAt: ingest},
		{ID: "d2", Lang: "ar", Outlet: "Daily Two", Published: date(2023, 3, 1), IngestedAt: ingest},
		{ID: "d3", Lang: "fr", Published: date(2024, 2, 1), IngestedAt: ingest},
		{ID: "d4", Lang: "en", IngestedAt: ingest},
	}
	events := []mizan.Event{
		ev("e1", "d1", mizan.CONSULT, "gpe/ru>gpe/dz@loc/algiers", 2022, 4),
		ev("e2", "d1", mizan.COOPERATE, "gpe/dz>gpe/ru", 0, 0),
		ev("e3", "d1", mizan.SANCTION, "gpe/dz>gpe/es", 2022, 3),
		ev("e4", "d2", mizan.CONSULT, "gpe/dz>gpe/ru", 2023, 2),
		ev("e5", "d2", mizan.AID, "gpe/ir>gpe/dz", 2022, 11),
		ev("e6", "d3", mizan.COOPERATE, "gpe/dz>gpe/ir", 2024, 1),
		ev("e7", "d3", mizan.CONSULT, "person/patrushev>gpe/dz", 2024, 1),
		ev("e8", "d4", mizan.MOBILIZE, "gpe/dz+group/polisario>@gpe/sy", 0, 0),
		ev("e9", "d4", mizan.THREATEN, "gpe/dz>gpe/es", 0, 0),
		ev("e10", "d4", mizan.THREATEN, "gpe/es>gpe/ma", 0, 0),
	}
	// Two events from one sentence count once in a relation's weight.
	events[8].Sentence = events[7].Sentence
	events = append(events, ev("e11", "d4", mizan.SANCTION, "gpe/dz>gpe/es", 0, 0))
	events[10].Sentence = events[8].Sentence
	return docs, events
}

func build(tb testing.TB, o graph.Options) *graph.Graph {
	tb.Helper()
	docs, events := fixture()
	return graph.New(docs, events, entities, o)
}

func TestEdges(t *testing.T) {
	g := build(t, graph.Options{})
	tests := []struct {
		a, b                string
		weight              float64
		events, docs        int
		types               string
		ab, ba, mutual      int
		first, last, report string
		// dated counts the events the text dates; datedFirst and datedLast are their ids.
		dated                 int
		datedFirst, datedLast string
	}{
		{"gpe/dz", "gpe/ru", 3, 3, 2, "CONSULT:2 COOPERATE:1", 0, 0, 3, "2022-04-01", "2023-02-01", "2022-05-01", 2, "e1", "e4"},
		// Undated events count at their report time for order, never as a date of the relation.
		{"gpe/dz", "gpe/es", 2, 3, 2, "SANCTION:2 THREATEN:1", 3, 0, 0, "2022-03-01", "2025-06-01", "2022-05-01", 1, "e3", "e3"},
		{"gpe/dz", "gpe/ir", 2, 2, 2, "AID:1 COOPERATE:1", 0, 1, 1, "2022-11-01", "2024-01-01", "2023-03-01", 2, "e5", "e6"},
		// An actor with no target is linked to the place where it acted.
		{"gpe/dz", "gpe/sy", 1, 1, 1, "MOBILIZE:1", 1, 0, 0, "2025-06-01", "2025-06-01", "2025-06-01", 0, "", ""},
		{"group/polisario", "gpe/sy", 1, 1, 1, "MOBILIZE:1", 1, 0, 0, "2025-06-01", "2025-06-01", "2025-06-01", 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.a+"-"+tt.b, func(t *testing.T) {
			e, ok := g.Edge(tt.b, tt.a) // either order
			if !ok {
				t.Fatalf("got no relation between %s and %s", tt.a, tt.b)
			}
			var types []string
			for _, tc := range e.Types {
				types = append(types, fmt.Sprintf("%s:%d", tc.Type, tc.Count))
			}
			if e.Weight != tt.weight || len(e.Events) != tt.events || e.Docs != tt.docs || strings.Join(types, " ") != tt.types {
				t.Errorf("got weight %g, %d events, %d docs, types %v; want %g, %d, %d, %s", e.Weight, len(e.Events), e.Docs,
					types, tt.weight, tt.events, tt.docs, tt.types)
			}
			ab, ba := e.AB, e.BA
			if e.A != tt.a {
				ab, ba = ba, ab
			}
			if ab != tt.ab || ba != tt.ba || e.Mutual != tt.mutual {
				t.Errorf("got directions %d/%d/%d, want %d/%d/%d", ab, ba, e.Mutual, tt.ab, tt.ba, tt.mutual)
			}
			if got := e.First.Format("2006-01-02") + " " + e.Last.Format("2006-01-02") + " " + e.FirstReported.Format("2006-01-02"); got != tt.first+" "+tt.last+" "+tt.report {
				t.Errorf("got first/last/first reported %s, want %s %s %s", got, tt.first, tt.last, tt.report)
			}
			id := func(i int32) string {
				if i < 0 {
					return ""
				}
				return g.Events[i].ID
			}
			if e.Dated != tt.dated || id(e.FirstDated) != tt.datedFirst || id(e.LastDated) != tt.datedLast {
				t.Errorf("got %d dated, first %q, last %q; want %d, %q, %q", e.Dated, id(e.FirstDated), id(e.LastDated),
					tt.dated, tt.datedFirst, tt.datedLast)
			}
		})
	}
	// Co-sources are not linked: they acted together, not on each other.
	if _, ok := g.Edge("gpe/dz", "group/polisario"); ok {
		t.Error("got a relation between two sources of one event, want none")
	}
	if n, _ := g.Node("gpe/dz"); n.Degree != 5 || n.Name != "Algeria" {
		t.Errorf("got Algeria degree %d name %q, want 5 and Algeria", n.Degree, n.Name)
	}
	if g.Edges[0].Weight < g.Edges[len(g.Edges)-1].Weight {
		t.Error("got edges not heaviest first")
	}
}

func TestAsOfAndWindow(t *testing.T) {
	tests := []struct {
		name  string
		o     graph.Options
		edges []string
	}{
		{"as of 2022", graph.Options{AsOf: date(2022, 12, 31)}, []string{"gpe/dz-gpe/es", "gpe/dz-gpe/ru"}},
		{"as of 2023", graph.Options{AsOf: date(2023, 12, 31)}, []string{"gpe/dz-gpe/es", "gpe/dz-gpe/ir", "gpe/dz-gpe/ru"}},
		{"events of 2024", graph.Options{Since: date(2024, 1, 1), Until: date(2025, 1, 1)}, []string{"gpe/dz-gpe/ir", "gpe/dz-person/patrushev"}},
		{"consult only", graph.Options{Types: []mizan.EventType{mizan.CONSULT}}, []string{"gpe/dz-gpe/ru", "gpe/dz-person/patrushev"}},
		{"Spain's relations", graph.Options{Entity: "gpe/es"}, []string{"gpe/dz-gpe/es", "gpe/es-gpe/ma"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(t, tt.o)
			var got []string
			for _, e := range g.Edges {
				got = append(got, e.A+"-"+e.B)
			}
			slices.Sort(got)
			if strings.Join(got, " ") != strings.Join(tt.edges, " ") {
				t.Errorf("got edges %v, want %v", got, tt.edges)
			}
		})
	}
}

func TestTrend(t *testing.T) {
	g := build(t, graph.Options{})
	e, _ := g.Edge("gpe/dz", "gpe/ru")
	tests := []struct {
		p    graph.Period
		want string
	}{
		{graph.Quarter, "2022-Q2:2 2023-Q1:1"},
		{graph.Year, "2022:2 2023:1"},
		{graph.Month, "2022-04:1 2022-05:1 2023-02:1"},
	}
	for _, tt := range tests {
		var got []string
		for _, b := range g.Trend(e, tt.p) {
			got = append(got, fmt.Sprintf("%s:%d", b.Period, b.Count))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: got %v, want %s", tt.p, got, tt.want)
		}
	}
	if _, err := graph.ParsePeriod("week"); mizan.ErrorCode(err) != mizan.EINVALID {
		t.Errorf("got %v for an unknown period, want EINVALID", err)
	}
}

func TestAnalytics(t *testing.T) {
	g := build(t, graph.Options{})
	cs := g.Centrality(true)
	if cs[0].ID != "gpe/dz" {
		t.Errorf("got %s most central, want gpe/dz", cs[0].ID)
	}
	for _, c := range cs {
		if c.Betweenness == nil || *c.Betweenness < 0 || *c.Betweenness > 1 || c.PageRank <= 0 {
			t.Errorf("%s: got betweenness %v, PageRank %g, want [0,1] and > 0", c.ID, c.Betweenness, c.PageRank)
		}
	}
	if *cs[0].Betweenness <= 0.5 {
		t.Errorf("got Algeria betweenness %g, want > 0.5: it is the hub", *cs[0].Betweenness)
	}
	if fast := g.Filter(func(*graph.Edge) bool { return true }).Centrality(false); fast[0].Betweenness != nil || fast[0].ID != "gpe/dz" {
		t.Errorf("got %+v without betweenness, want Algeria first and no betweenness", fast[0])
	}
	tests := []struct {
		from, to string
		want     string
		code     string
	}{
		{"person/patrushev", "gpe/ma", "person/patrushev>gpe/dz>gpe/es>gpe/ma", ""},
		{"gpe/ru", "gpe/ir", "gpe/ru>gpe/dz>gpe/ir", ""},
		{"gpe/ru", "gpe/xx", "", mizan.ENOTFOUND},
		{"gpe/ru", "gpe/ru", "", mizan.EINVALID},
	}
	for _, tt := range tests {
		hops, err := g.Path(tt.from, tt.to)
		if mizan.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
			t.Errorf("path %s %s: got error %v, want code %q", tt.from, tt.to, err, tt.code)
			continue
		}
		if err != nil {
			continue
		}
		got := tt.from
		for _, h := range hops {
			got += ">" + h.To
			if h.Edge == nil || len(h.Edge.Events) == 0 {
				t.Errorf("path %s %s: hop %s-%s has no evidence", tt.from, tt.to, h.From, h.To)
			}
		}
		if got != tt.want {
			t.Errorf("got path %s, want %s", got, tt.want)
		}
	}
	ego, err := g.Ego("gpe/ir", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(ego.Edges) != 1 || len(ego.Nodes) != 2 {
		t.Errorf("got ego network of Iran with %d edges, %d nodes; want 1 and 2", len(ego.Edges), len(ego.Nodes))
	}
	ego2, _ := g.Ego("gpe/ir", 2)
	if len(ego2.Edges) <= len(ego.Edges) {
		t.Errorf("got %d edges at radius 2, want more than at radius 1 (%d)", len(ego2.Edges), len(ego.Edges))
	}
	comms, q := g.Communities(1, 1)
	members := 0
	for _, c := range comms {
		members += len(c.Members)
	}
	if len(comms) < 2 || members != 8 || q <= 0 {
		t.Errorf("got %d communities with %d members, Q %.3f; want at least 2 covering the 8 linked entities, Q > 0", len(comms), members, q)
	}
	again, _ := g.Communities(1, 1)
	if fmt.Sprint(again) != fmt.Sprint(comms) {
		t.Error("got different communities for the same seed")
	}
}

func TestCompare(t *testing.T) {
	before := build(t, graph.Options{AsOf: date(2022, 12, 31)})
	after := build(t, graph.Options{AsOf: date(2023, 12, 31)})
	d := graph.Compare(before, after)
	if len(d.New) != 1 || d.New[0].A != "gpe/dz" || d.New[0].B != "gpe/ir" {
		t.Errorf("got new %+v, want dz-ir", d.New)
	}
	if len(d.Stronger) != 1 || d.Stronger[0].B != "gpe/ru" || d.Stronger[0].Before != 2 || d.Stronger[0].After != 3 {
		t.Errorf("got stronger %+v, want dz-ru from 2 to 3", d.Stronger)
	}
	if len(d.Lost) != 0 || !slices.Equal(d.NewNodes, []string{"gpe/ir"}) {
		t.Errorf("got lost %+v, new entities %v; want none and [gpe/ir]", d.Lost, d.NewNodes)
	}
	// By event periods, relations go quiet.
	p1 := build(t, graph.Options{Since: date(2022, 1, 1), Until: date(2023, 1, 1)})
	p2 := build(t, graph.Options{Since: date(2023, 1, 1), Until: date(2024, 1, 1)})
	d = graph.Compare(p1, p2)
	var lost []string
	for _, c := range d.Lost {
		lost = append(lost, c.A+"-"+c.B)
	}
	if !slices.Contains(lost, "gpe/dz-gpe/es") {
		t.Errorf("got lost %v, want dz-es among them", lost)
	}
}

// fakeSource serves a fixture as a store would.
type fakeSource struct {
	docs   []mizan.Document
	events []mizan.Event
}

func (f fakeSource) ScanEventLinks(_ context.Context, _ mizan.EventFilter, fn func(*mizan.Event) error) error {
	for i := range f.events {
		e := f.events[i]
		e.Text = ""
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}

func (f fakeSource) ScanDocumentMeta(_ context.Context, _ mizan.DocumentFilter, fn func(*mizan.Document) error) error {
	for i := range f.docs {
		if err := fn(&f.docs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (f fakeSource) StoredEntities(_ context.Context, ids []string) ([]mizan.Entity, error) {
	var out []mizan.Entity
	for _, e := range entities {
		if slices.Contains(ids, e.ID) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f fakeSource) Events(_ context.Context, q mizan.EventFilter) ([]mizan.Event, int, error) {
	var out []mizan.Event
	for _, e := range f.events {
		if e.Doc == q.Doc {
			e.Text = "sentence of " + e.ID
			out = append(out, e)
		}
	}
	return out, len(out), nil
}

func TestBuildAndDetails(t *testing.T) {
	docs, events := fixture()
	src := fakeSource{docs, events}
	g, err := graph.Build(context.Background(), src, graph.Options{AsOf: date(2023, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Docs) != 2 || len(g.Events) != 5 {
		t.Errorf("got %d documents and %d events as of 2023, want 2 and 5", len(g.Docs), len(g.Events))
	}
	e, _ := g.Edge("gpe/dz", "gpe/ru")
	full, err := g.Details(context.Background(), src, e.Events)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range e.Events {
		if f := full[g.Events[i].ID]; f == nil || f.Text != "sentence of "+g.Events[i].ID {
			t.Errorf("event %s: got details %v, want its sentence", g.Events[i].ID, f)
		}
	}
}
