package event_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp/event"
)

// render prints events compactly: TYPE src>tgt mode attribution [date/precision] {hedged}.
func render(es []mizan.Event) string {
	var out []string
	for _, e := range es {
		s := fmt.Sprintf("%s %s>%s %s %s", e.Type, ids(e.Source), ids(e.Target), e.Mode, e.Attribution.Kind)
		if e.Time.Start != nil {
			s += " " + e.Time.Start.Format("2006-01-02") + "/" + string(e.Time.Precision)
		} else if e.Time.Precision == mizan.PrecisionRelative {
			s += " relative"
		}
		if e.Hedged {
			s += " hedged"
		}
		if e.Place != nil {
			s += " @" + e.Place.Entity
		}
		out = append(out, s)
	}
	return strings.Join(out, " | ")
}

// TestStage checks the stage's reading of sentence structure with the knowledge-base stand-in
// for the entity stage (helpers_test.go), so that it does not move with the entity stage.
func TestStage(t *testing.T) {
	tests := []struct {
		name, lang, date, text, want string
	}{
		{"source and target by structure", "en", "", "Iranian officials sought the know-how of Algerian forces.",
			"REQUEST gpe/ir>gpe/dz asserted author"},
		{"joint meeting", "en", "", "Patrushev met with Tebboune.",
			"CONSULT person/nikolai-patrushev>person/abdelmadjid-tebboune asserted author"},
		{"passive with a demonym owner", "en", "", "An Algerian anti-riot unit was dispatched to Iran in November 2022.",
			"AID gpe/dz>gpe/ir asserted author 2022-11-01/month"},
		{"one event per pair", "en", "", "Lavrov met with Tebboune, Attaf and Chengriha.",
			"CONSULT person/sergey-lavrov>person/abdelmadjid-tebboune asserted author | CONSULT person/sergey-lavrov>person/ahmed-attaf asserted author | CONSULT person/sergey-lavrov>person/said-chengriha asserted author"},
		{"coordinated subject of a symmetric event", "en", "", "Algeria and Russia held talks in Moscow.",
			"CONSULT gpe/dz>gpe/ru asserted author @loc/moscow"},
		{"planned", "en", "2023-02-27", "Algeria plans to conduct joint drills with Russia in November.",
			"COOPERATE gpe/dz>gpe/ru planned author 2023-11-01/month"},
		{"possible and hedged", "en", "", "Sources suggest that Algeria may grant access to its harbours.",
			"CONCEDE gpe/dz> possible anonymous hedged"},
		{"negated", "en", "", "Russia did not condemn Algeria.", "ACCUSE gpe/ru>gpe/dz negated author"},
		{"named person", "en", "", "Lavrov said Russia supported Algeria.", "SUPPORT gpe/ru>gpe/dz asserted named_person"},
		{"document", "en", "", "According to a leaked memo, Iranian military advisers visited Algiers twice at the end of 2024.",
			"CONSULT gpe/ir>gpe/dz asserted document 2024-10-01/range hedged @loc/algiers"},
		{"quote frame", "en", "", "\"Patrushev met with Chengriha. The talks went well,\" the Kremlin said.",
			"CONSULT person/nikolai-patrushev>person/said-chengriha asserted named_org"},
		{"anaphoric source", "en", "", "According to a security source, Iran sent drones to Russia. Algeria condemned Iran, the source explains.",
			"AID gpe/ir>gpe/ru asserted anonymous hedged | ACCUSE gpe/dz>gpe/ir asserted anonymous hedged"},
		{"undated relative time", "en", "", "Tebboune met Lavrov last Wednesday.",
			"CONSULT person/abdelmadjid-tebboune>person/sergey-lavrov asserted author relative"},
		{"dated relative time", "en", "2024-03-20", "Tebboune met Lavrov last Wednesday.",
			"CONSULT person/abdelmadjid-tebboune>person/sergey-lavrov asserted author 2024-03-13/day"},
		{"furniture", "en", "", "Read more: Algeria condemned Israel", ""},
		{"no actor", "en", "", "The parties discussed cooperation.", ""},
		{"French passive", "fr", "", "Une unité algérienne a été envoyée en Iran en novembre 2022.",
			"AID gpe/dz>gpe/ir asserted author 2022-11-01/month @gpe/ir"},
		{"French negation", "fr", "", "La Russie n'a pas condamné l'Algérie.", "ACCUSE gpe/ru>gpe/dz negated author"},
		{"Arabic VSO", "ar", "", "التقى باتروشيف الرئيس تبون في الجزائر.",
			"CONSULT person/nikolai-patrushev>person/abdelmadjid-tebboune asserted author @gpe/dz"},
		{"Arabic SVO with anonymous source", "ar", "", "تشير مصادر أمنية غربية إلى تنسيق عسكري بين الجزائر وإيران.",
			"COOPERATE gpe/dz>gpe/ir asserted anonymous hedged"},
		{"Arabic future prefix", "ar", "", "سيزور لافروف الجزائر.", "CONSULT person/sergey-lavrov>gpe/dz planned author @gpe/dz"},
	}
	for _, tt := range tests {
		d := docOf(t, tt.lang, tt.date, tt.text)
		if err := mustKB(t).Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		if err := mustStage(t).Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		if got := render(d.Analysis.Events); got != tt.want {
			t.Errorf("%s: %q\n got  %s\n want %s", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestRemapActors(t *testing.T) {
	d := docOf(t, "en", "", "Leila met Tebboune. Leila met Tebboune again.")
	mk := func(src string) mizan.Event {
		return mizan.Event{Doc: d.ID, Sentence: d.Sentences[0], Type: mizan.CONSULT, Confidence: 0.9,
			Source: []mizan.Actor{{Entity: src}}, Target: []mizan.Actor{{Entity: "person/abdelmadjid-tebboune"}}}
	}
	es := event.RemapActors([]mizan.Event{mk("person/leila-zaruki"), mk("person/leila-zerouki")},
		map[string]string{"person/leila-zerouki": "person/leila-zaruki"})
	if len(es) != 1 || es[0].Source[0].Entity != "person/leila-zaruki" || es[0].ID == "" {
		t.Errorf("got %+v, want one event of person/leila-zaruki with an id", es)
	}
}
