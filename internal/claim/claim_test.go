package claim_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/graph"
)

// doc is a document of a test corpus: its events in the evaluation notation, with sentences.
type doc struct {
	id, lang, outlet, published string
	events                      [][3]string // notation, sentence, attribution kind:entity:text
	mentions                    []string
}

type corpus struct {
	g      *graph.Graph
	events []mizan.Event
	ments  map[string][]mizan.Mention
}

func (c corpus) Events(_ context.Context, f mizan.EventFilter) ([]mizan.Event, int, error) {
	var out []mizan.Event
	for _, e := range c.events {
		if e.Doc == f.Doc {
			out = append(out, e)
		}
	}
	return out, len(out), nil
}

func (c corpus) Mentions(_ context.Context, id string) ([]mizan.Mention, error) {
	return c.ments[id], nil
}

func build(tb testing.TB, docs ...doc) corpus {
	tb.Helper()
	c := corpus{ments: map[string][]mizan.Mention{}}
	var ds []mizan.Document
	for _, d := range docs {
		md := mizan.Document{ID: d.id, Lang: d.lang, Outlet: d.outlet, IngestedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
		if d.published != "" {
			t, _ := time.Parse("2006-01-02", d.published)
			md.Published = &t
		}
		ds = append(ds, md)
		for _, m := range d.mentions {
			c.ments[d.id] = append(c.ments[d.id], mizan.Mention{Doc: d.id, EntityID: m})
		}
		for i, ev := range d.events {
			e, err := claim.ParseEvent(ev[0])
			if err != nil {
				tb.Fatal(err)
			}
			e.ID, e.Doc, e.Text = fmt.Sprintf("%s-%d", d.id, i), d.id, ev[1]
			e.Sentence = mizan.Span{Start: i * 100, End: i*100 + 50}
			if ev[2] != "" {
				p := strings.SplitN(ev[2], ":", 3)
				e.Attribution = mizan.Attribution{Kind: mizan.AttributionKind(p[0]), Entity: p[1], Text: p[2]}
			}
			c.events = append(c.events, e)
		}
	}
	ents := []mizan.Entity{{ID: "gpe/dz", Name: "Algeria"}, {ID: "gpe/ir", Name: "Iran"}, {ID: "gpe/es", Name: "Spain"},
		{ID: "loc/algiers", Name: "Algiers", Attrs: map[string]string{"country": "dz"}}, {ID: "person/lavrov", Name: "Sergey Lavrov"}}
	c.g = graph.New(ds, c.events, ents, graph.Options{})
	return c
}

func assess(tb testing.TB, c corpus, table *admiralty.Table) []*claim.Claim {
	tb.Helper()
	cs := claim.Match(c.g)
	if err := claim.Assess(context.Background(), c.g, cs, c, table); err != nil {
		tb.Fatal(err)
	}
	return cs
}

func find(tb testing.TB, cs []*claim.Claim, typ mizan.EventType, actors string) *claim.Claim {
	tb.Helper()
	for _, c := range cs {
		if c.Type == typ && strings.Join(c.Actors(), ",") == actors {
			return c
		}
	}
	tb.Fatalf("no %s claim of %s", typ, actors)
	return nil
}

func TestTranslatedReportsAreOneOrigin(t *testing.T) {
	c := build(t,
		doc{id: "en1", lang: "en", mentions: []string{"gpe/dz", "gpe/ir", "loc/algiers"}, events: [][3]string{
			{"CONSULT gpe/ir>gpe/dz @loc/algiers 2024-10..2024-12 hedged", "Iranian advisers reportedly visited Algiers towards the end of 2024.", "document::a confidential report"},
			{"COOPERATE gpe/dz>gpe/ir", "Algeria and Iran cooperate on security.", ""},
		}},
		doc{id: "ar1", lang: "ar", mentions: []string{"gpe/dz", "gpe/ir", "loc/algiers"}, events: [][3]string{
			{"CONSULT gpe/dz>gpe/ir @gpe/dz 2024-10..2024-12", "زار مستشارون إيرانيون الجزائر في نهاية 2024.", ""},
			{"COOPERATE gpe/ir>gpe/dz", "تتعاون الجزائر وإيران أمنيا.", ""},
		}},
		doc{id: "fr1", lang: "fr", published: "2023-05-01", mentions: []string{"gpe/dz", "gpe/es"}, events: [][3]string{
			{"COOPERATE gpe/dz>gpe/ir", "L'Algérie coopère avec l'Iran depuis des années.", "named_person:person/lavrov:Lavrov"},
			{"SANCTION gpe/dz>gpe/es 2022-06", "Alger a gelé ses échanges avec Madrid en juin 2022.", ""},
		}},
	)
	cs := assess(t, c, nil)
	consult := find(t, cs, mizan.CONSULT, "gpe/dz,gpe/ir")
	if len(consult.Reports) != 2 || consult.Independent != 1 || consult.Credibility != admiralty.Doubtful {
		t.Errorf("got %d reports, %d origins, credibility %d; want 2, 1 and 4 (doubtful)", len(consult.Reports), consult.Independent, consult.Credibility)
	}
	if consult.Place != "loc/algiers" || consult.Start == nil || consult.Start.Month() != time.October {
		t.Errorf("got place %s start %v, want Algiers from October 2024", consult.Place, consult.Start)
	}
	why := strings.Join(consult.Reasons, "; ")
	for _, want := range []string{"share one origin", "en and ar", "2024-10..2024-12", "a confidential report", "counted once"} {
		if !strings.Contains(why, want) {
			t.Errorf("got reasons %q, want %q among them", why, want)
		}
	}
	if consult.Reports[0].Sentence == "" || consult.Reports[0].Attribution.Kind == "" {
		t.Errorf("got report %+v, want its sentence and attribution loaded", consult.Reports[0])
	}
	// The generic cooperation claim: the translation is one origin, the French analysis quoting
	// Lavrov another.
	coop := find(t, cs, mizan.COOPERATE, "gpe/dz,gpe/ir")
	if len(coop.Reports) != 3 || coop.Independent != 2 || coop.Credibility != admiralty.Confirmed {
		t.Errorf("got %d reports, %d origins, credibility %d (%q); want 3, 2 and 1", len(coop.Reports), coop.Independent, coop.Credibility, coop.Reasons)
	}
	if coop.Grade != "F1" || coop.Reliability != admiralty.F {
		t.Errorf("got grade %s, want F1 (no outlet is graded)", coop.Grade)
	}
}

func TestContradictionsAndQuotedSource(t *testing.T) {
	table, err := admiralty.Load(strings.NewReader("outlets:\n  - {name: Wire One, grade: B}\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := build(t,
		doc{id: "a", lang: "en", outlet: "Wire One", published: "2024-03-12", events: [][3]string{
			{"CONSULT person/lavrov>gpe/dz 2024-03", "Lavrov met Algerian officials in March, he said.", "named_person:person/lavrov:Lavrov"},
			{"ASSAULT gpe/dz>gpe/es 2024-03-10", "Algeria struck first on 10 March.", ""},
		}},
		doc{id: "b", lang: "fr", published: "2024-03-13", events: [][3]string{
			{"CONSULT gpe/dz>person/lavrov 2024-03", "Lavrov a rencontré des responsables algériens, selon lui.", "named_person:person/lavrov:Lavrov"},
			{"ASSAULT gpe/es>gpe/dz 2024-03-10", "L'Espagne a frappé la première le 10 mars.", ""},
		}},
		doc{id: "c", lang: "ar", published: "2024-03-20", events: [][3]string{
			{"CONSULT person/lavrov>gpe/dz 2024-03 negated", "نفت الجزائر أي لقاء مع لافروف في مارس.", "named_org:gpe/dz:الجزائر"},
		}},
	)
	cs := assess(t, c, table)
	meet := find(t, cs, mizan.CONSULT, "gpe/dz,person/lavrov")
	// Both supporting reports quote Lavrov: one origin; the denial is another: improbable.
	if len(meet.Reports) != 2 || meet.Independent != 1 || len(meet.Contradicting) != 1 || meet.Credibility != admiralty.Improbable {
		t.Errorf("got %d reports, %d origins, %d contradicting, credibility %d (%q); want 2, 1, 1 and 5",
			len(meet.Reports), meet.Independent, len(meet.Contradicting), meet.Credibility, meet.Reasons)
	}
	if !strings.Contains(strings.Join(meet.Reasons, "; "), "both attribute it to Sergey Lavrov") {
		t.Errorf("got reasons %q, want the shared source named", meet.Reasons)
	}
	if meet.Reliability != admiralty.B || meet.Grade != "B5" {
		t.Errorf("got grade %s, want B5 (Wire One is B)", meet.Grade)
	}
	strike := find(t, cs, mizan.ASSAULT, "gpe/dz,gpe/es")
	if len(strike.Contradicting) != 1 || !strings.Contains(strike.Contradicting[0].Why, "reverses") {
		t.Errorf("got contradicting %+v, want the reversed account", strike.Contradicting)
	}
}

func TestRelate(t *testing.T) {
	// The evaluation set holds the cases; this checks Relate and Match agree on them.
	s := evalSet(t)
	for _, p := range s.Claims {
		a, _ := claim.ParseEvent(p.A)
		b, _ := claim.ParseEvent(p.B)
		a.ID, a.Doc, b.ID, b.Doc = "a", "da", "b", "db"
		at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		var ents []mizan.Entity
		for _, e := range s.Entities {
			me := mizan.Entity{ID: e.ID, Name: e.Name}
			if e.Country != "" {
				me.Attrs = map[string]string{"country": e.Country}
			}
			ents = append(ents, me)
		}
		g := graph.New([]mizan.Document{{ID: "da", IngestedAt: at}, {ID: "db", IngestedAt: at}}, []mizan.Event{a, b}, ents, graph.Options{})
		rel, _ := claim.Relate(g, 0, 1)
		cs := claim.Match(g)
		together := len(cs) == 1
		switch {
		case rel == claim.SameClaim && !together:
			t.Errorf("%s: Relate says same claim, Match makes %d claims", p.Name, len(cs))
		case rel == claim.OtherClaim && together:
			t.Errorf("%s: Relate says different claims, Match makes one", p.Name)
		case rel == claim.Contradiction:
			contradicted := false
			for _, c := range cs {
				contradicted = contradicted || len(c.Contradicting) > 0
			}
			if !contradicted {
				t.Errorf("%s: Relate says contradicting, Match attaches no contradiction", p.Name)
			}
		}
	}
}
