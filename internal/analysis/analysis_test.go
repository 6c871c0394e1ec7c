package analysis_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/analysis"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/graph"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
	"github.com/mizan-osint/mizan/internal/storetest"
)

func month(y, m int) *time.Time {
	t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	return &t
}

// corpus stores a small fictional corpus: the Algeria–Russia relation reported by three outlets
// (one copying another, one contradicting), and other relations in the same documents and in
// others, so that matching claims and telling origins apart have something to get wrong.
func corpus(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "a.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	type ev struct {
		line     int
		typ      mizan.EventType
		mode     mizan.Mode
		src, tgt string
		y, m     int
	}
	docs := []struct {
		outlet, lang, text string
		pub                *time.Time
		events             []ev
	}{
		{"Wire One", "en", "Algeria and Russia signed a defence pact in March.\nMorocco accused Algeria of an arms race.\nIran sent advisers to Algiers.",
			month(2024, 3), []ev{{1, mizan.COOPERATE, mizan.Asserted, "gpe/dz", "gpe/ru", 2024, 3}, {2, mizan.ACCUSE, mizan.Asserted, "gpe/ma", "gpe/dz", 2024, 3},
				{3, mizan.AID, mizan.Asserted, "gpe/ir", "gpe/dz", 0, 0}}},
		{"Daily Two", "ar", "وقعت الجزائر وروسيا اتفاق دفاع في مارس.\nالمغرب اتهم الجزائر.",
			month(2024, 3), []ev{{1, mizan.COOPERATE, mizan.Asserted, "gpe/dz", "gpe/ru", 2024, 3}, {2, mizan.ACCUSE, mizan.Asserted, "gpe/ma", "gpe/dz", 2024, 3}}},
		{"Copy Desk", "en", "Algeria and Russia signed a defence pact in March.\nMorocco accused Algeria of an arms race.",
			month(2024, 4), []ev{{1, mizan.COOPERATE, mizan.Asserted, "gpe/dz", "gpe/ru", 2024, 3}, {2, mizan.ACCUSE, mizan.Asserted, "gpe/ma", "gpe/dz", 2024, 3}}},
		{"Le Quotidien", "fr", "L'Algérie dément tout pacte avec la Russie en mars.\nLa Russie a menacé l'Ukraine.",
			month(2024, 5), []ev{{1, mizan.COOPERATE, mizan.Negated, "gpe/dz", "gpe/ru", 2024, 3}, {2, mizan.THREATEN, mizan.Asserted, "gpe/ru", "gpe/ua", 0, 0}}},
		{"Wire One", "en", "Russia threatened Algeria over gas in 2023.",
			month(2023, 6), []ev{{1, mizan.THREATEN, mizan.Asserted, "gpe/ru", "gpe/dz", 2023, 6}}},
	}
	for i, dd := range docs {
		d := storetest.Doc(dd.outlet+string(rune('a'+i)), "Report", dd.lang, dd.text)
		d.Outlet, d.Published, d.PublishedPrecision = dd.outlet, dd.pub, mizan.PrecisionMonth
		var evs []mizan.Event
		for _, e := range dd.events {
			var start, end *time.Time
			if e.y > 0 {
				start, end = month(e.y, e.m), month(e.y, e.m+1)
			}
			evs = append(evs, storetest.Event(tb, d, e.line, e.typ, e.mode, e.src, e.tgt, start, end))
		}
		if _, err := db.PutDocument(ctx, d, &mizan.Analysis{Events: evs}, false); err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

// TestExplainMatchesWholeGraph checks that explaining a relation on its neighbourhood gives the
// claims, grades and evidence that matching and grading the whole graph gives for it.
func TestExplainMatchesWholeGraph(t *testing.T) {
	ctx := context.Background()
	db := corpus(t)
	g, err := graph.Build(ctx, db, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	table, err := admiralty.Load(strings.NewReader("default: F\noutlets:\n  - name: Wire One\n    grade: B\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"gpe/dz", "gpe/ru"}, {"gpe/ma", "gpe/dz"}, {"gpe/ru", "gpe/ua"}, {"gpe/dz", "gpe/ir"}, {"gpe/ma", "gpe/ir"}} {
		x, y := pair[0], pair[1]
		rel, err := analysis.Explain(ctx, g, db, table, x, y, graph.Quarter)
		if err != nil {
			t.Fatal(err)
		}
		e, ok := g.Edge(x, y)
		if !ok {
			if rel.Events != 0 || len(rel.Evidence) != 0 || rel.A.ID != x || rel.B.ID != y {
				t.Errorf("%s–%s: got %+v for unlinked entities, want an empty relation", x, y, rel)
			}
			continue
		}
		inEdge := map[string]bool{}
		for _, i := range e.Events {
			inEdge[g.Events[i].ID] = true
		}
		want, err := analysis.Claims(ctx, g, db, table, func(c *claim.Claim) bool {
			return slices.ContainsFunc(c.Reports, func(r claim.Report) bool { return inEdge[r.EventID] })
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, w := mustJSON(t, rel.Claims), mustJSON(t, nonNil(want)); got != w {
			t.Errorf("%s–%s: got claims\n%s\nwant (whole graph)\n%s", x, y, got, w)
		}
		if rel.Events != len(e.Events) || len(rel.Evidence) != len(e.Events) {
			t.Errorf("%s–%s: got %d events, %d evidence, want %d", x, y, rel.Events, len(rel.Evidence), len(e.Events))
		}
		for _, ev := range rel.Evidence {
			// A report that contradicts a claim supports none: it has no grade of its own.
			if ev.Sentence == "" || (ev.Grade == "") != (ev.Mode == mizan.Negated) {
				t.Errorf("%s–%s: got evidence %+v, want its sentence, and a grade unless it contradicts", x, y, ev)
			}
		}
	}
	// The pact: two independent origins (the copy is not one) and a denial.
	rel, err := analysis.Explain(ctx, g, db, table, "gpe/dz", "gpe/ru", graph.Quarter)
	if err != nil {
		t.Fatal(err)
	}
	var pact *claim.Claim
	for _, c := range rel.Claims {
		if c.Type == mizan.COOPERATE {
			pact = c
		}
	}
	if pact == nil || len(pact.Reports) != 3 || len(pact.Contradicting) != 1 || pact.Reliability != admiralty.B {
		t.Errorf("got pact claim %+v, want 3 reports, 1 contradicting, best outlet B", pact)
	}
}

func nonNil(cs []*claim.Claim) []*claim.Claim {
	if cs == nil {
		return []*claim.Claim{}
	}
	return cs
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestNeighbourhood checks that the neighbourhood of a relation keeps every event of the
// documents its events come from, and nothing else.
func TestNeighbourhood(t *testing.T) {
	ctx := context.Background()
	g, err := graph.Build(ctx, corpus(t), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := g.Edge("gpe/ru", "gpe/ua")
	sub := analysis.Neighbourhood(g, e.Events)
	if len(sub.Docs) != 1 || len(sub.Events) != 2 {
		t.Errorf("got %d documents and %d events, want the French document's 1 and 2", len(sub.Docs), len(sub.Events))
	}
	if n, ok := sub.Node("gpe/dz"); !ok || n.Name == "" {
		t.Errorf("got node %+v, want Algeria with its name", n)
	}
}
