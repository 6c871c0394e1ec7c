package event_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/mizan-osint/mizan"
)

// want describes an event an analyst expects to find in a document of the shared corpus.
type want struct {
	name          string
	typ           mizan.EventType
	actors        []string // entity ids that take part (any role)
	source        string   // "" for any
	mode          mizan.Mode
	attr          mizan.AttributionKind
	hedged        bool
	place         string
	start         string // YYYY-MM of the time's start, "" for any
	precision     mizan.Precision
	sentenceHas   string // words of the sentence
	sentenceHasAr string
}

func takesPart(e mizan.Event, id string) bool {
	for _, g := range [][]mizan.Actor{e.Source, e.Target, e.Participants} {
		for _, a := range g {
			if a.Entity == id {
				return true
			}
		}
	}
	return false
}

func (w want) matches(e mizan.Event) bool {
	if e.Type != w.typ {
		return false
	}
	for _, id := range w.actors {
		if !takesPart(e, id) {
			return false
		}
	}
	switch {
	case w.source != "" && (len(e.Source) == 0 || e.Source[0].Entity != w.source),
		w.mode != "" && e.Mode != w.mode,
		w.attr != "" && e.Attribution.Kind != w.attr,
		w.hedged && !e.Hedged,
		w.place != "" && (e.Place == nil || e.Place.Entity != w.place),
		w.precision != "" && e.Time.Precision != w.precision,
		w.start != "" && (e.Time.Start == nil || e.Time.Start.Format("2006-01") != w.start),
		w.sentenceHas != "" && !strings.Contains(e.Text, w.sentenceHas):
		return false
	}
	return true
}

// TestCorpusAcceptance runs the whole front of the pipeline (extraction, language, sentences,
// entities) and the event stage over the shared sample corpus and checks what an analyst
// must find there, and what must not be there.
func TestCorpusAcceptance(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"004", []want{
			{name: "Patrushev meets Tebboune in Algiers", typ: mizan.CONSULT, source: "person/nikolai-patrushev",
				actors: []string{"person/abdelmadjid-tebboune"}, place: "loc/algiers", mode: mizan.Asserted},
			{name: "Patrushev meets Chengriha (the council's statement)", typ: mizan.CONSULT, source: "person/nikolai-patrushev",
				actors: []string{"person/said-chengriha"}, attr: mizan.AttrNamedOrg},
			{name: "Patrushev meets Djebbar", typ: mizan.CONSULT, source: "person/nikolai-patrushev", actors: []string{"person/mhenna-djebbar"}},
			{name: "Algeria applies to join BRICS in November 2022", typ: mizan.REQUEST, source: "gpe/dz", actors: []string{"org/brics"},
				start: "2022-11", precision: mizan.PrecisionMonth, attr: mizan.AttrMedia},
		}},
		{"001", []want{
			{name: "planned joint exercises with Russia", typ: mizan.COOPERATE, actors: []string{"gpe/dz", "gpe/ru"}, mode: mizan.Planned,
				attr: mizan.AttrMedia, precision: mizan.PrecisionRelative},
			{name: "downgrade of relations with Spain", typ: mizan.SANCTION, source: "gpe/dz", actors: []string{"gpe/es"},
				sentenceHas: "downgraded", precision: mizan.PrecisionRelative},
		}},
		{"000", []want{
			{name: "riot-control unit sent to Iran", typ: mizan.AID, source: "gpe/dz", actors: []string{"gpe/ir"},
				attr: mizan.AttrAnonymous, start: "2022-11", precision: mizan.PrecisionMonth},
			{name: "Iranian advisers visit Algiers at the end of 2024", typ: mizan.CONSULT, source: "gpe/ir", actors: []string{"gpe/dz"},
				attr: mizan.AttrDocument, start: "2024-10", precision: mizan.PrecisionRange, place: "loc/algiers"},
			{name: "Iran seeks Algerian expertise in the fall of 2022", typ: mizan.REQUEST, source: "gpe/ir", actors: []string{"gpe/dz"},
				start: "2022-09", precision: mizan.PrecisionSeason, attr: mizan.AttrAnonymous},
		}},
		{"003", []want{
			{name: "meetings with Iranian advisers in Algiers at the end of 2024", typ: mizan.CONSULT, actors: []string{"gpe/dz", "gpe/ir"},
				start: "2024-10", precision: mizan.PrecisionRange},
		}},
		{"002", []want{
			{name: "Algerian soldiers deployed in Syria", typ: mizan.MOBILIZE, source: "gpe/dz", place: "gpe/sy", hedged: true, attr: mizan.AttrAnonymous},
		}},
	}
	furniture := []string{"Barrack", "Herzog", "Netanyahu", "Maduro", "Petro", "Dermer", "Mamdani", "Sudani", "Read more", "Most Read", "Islamabad"}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d := corpusDoc(t, tt.file)
			es := analyse(t, d)
			for _, w := range tt.want {
				found := false
				for _, e := range es {
					found = found || w.matches(e)
				}
				if !found {
					t.Errorf("%s: got no such event among %d", w.name, len(es))
				}
			}
			for _, e := range es {
				for _, f := range furniture {
					if strings.Contains(e.Text, f) {
						t.Errorf("got an event from page furniture: %q", e.Text)
					}
				}
				if msg := tooPrecise(d.Published, e.Time); msg != "" {
					t.Errorf("event %s %q: %s", e.Type, e.Time.Text, msg)
				}
			}
			if d.Analysis.Tone == nil || d.Analysis.Tone.Words == 0 {
				t.Errorf("got tone %+v, want one measured", d.Analysis.Tone)
			}
		})
	}
}

// tooPrecise says what is wrong when a time is more precise than its text: a day needs a
// day number or, in a dated document, a day word ("yesterday", "Wednesday"); anything resolved
// from a relative expression needs a dated document.
func tooPrecise(published *time.Time, t mizan.TimeExpr) string {
	if t.Start == nil {
		if t.Precision != mizan.PrecisionRelative && t.Precision != mizan.PrecisionUnknown {
			return "no start but precision " + string(t.Precision)
		}
		return ""
	}
	hasDigit := strings.IndexFunc(t.Text, unicode.IsDigit) >= 0
	if published == nil && !hasDigit {
		return "resolved from a relative expression in an undated document"
	}
	if t.Precision == mizan.PrecisionDay && !hasDigit && published == nil {
		return "a day without a day in the text"
	}
	return ""
}

// TestToneFlagsOpinion checks that the opinion piece of the corpus (002) reads as more loaded
// than the wire story (004).
func TestToneFlagsOpinion(t *testing.T) {
	op, wire := corpusDoc(t, "002"), corpusDoc(t, "004")
	analyse(t, op)
	analyse(t, wire)
	if o, w := op.Analysis.Tone.Score, wire.Analysis.Tone.Score; o <= 1 || o <= 3*w {
		t.Errorf("got tone %.2f for the opinion piece and %.2f for the wire story, want the first above 1 and three times the second", o, w)
	}
	if !strings.Contains(strings.Join(op.Analysis.Tone.Cues, ","), "war criminals") {
		t.Errorf("got cues %v, want \"war criminals\" among them", op.Analysis.Tone.Cues)
	}
}
