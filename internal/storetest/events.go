package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
)

// eventTests are the conformance tests of mizan.EventStore; Run runs them with the others.
var eventTests = []struct {
	name string
	fn   func(*testing.T, mizan.Store)
}{
	{"EventWrite", testEventWrite},
	{"EventFilter", testEventFilter},
	{"EventTimeline", testEventTimeline},
	{"EventReprocess", testEventReprocess},
	{"EventMerged", testEventMerged},
	{"EventInvalid", testEventInvalid},
	{"EventTone", testEventTone},
	{"EventsAfter", testEventsAfter},
}

func day(y, m, d int) *time.Time {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return &t
}

// Event builds an event on the n-th line (sentence) of d, as the event stage would: type,
// source and target entity ids ("" for none), and the period the text gives (nil for none).
func Event(tb testing.TB, d *mizan.Document, line int, typ mizan.EventType, mode mizan.Mode, src, tgt string, start, end *time.Time) mizan.Event {
	tb.Helper()
	if line >= len(d.Sentences) {
		tb.Fatalf("document %s has %d sentences, not %d", d.Source, len(d.Sentences), line+1)
	}
	sp := d.Sentences[line]
	e := mizan.Event{Doc: d.ID, Sentence: sp, Text: d.Slice(sp), Type: typ, Mode: mode,
		Attribution: mizan.Attribution{Kind: mizan.AttrAuthor}, Confidence: 0.9,
		Time: mizan.TimeExpr{Precision: mizan.PrecisionUnknown}}
	if src != "" {
		e.Source = []mizan.Actor{{Entity: src, Name: src}}
	}
	if tgt != "" {
		e.Target = []mizan.Actor{{Entity: tgt, Name: tgt}}
	}
	if start != nil {
		e.Time = mizan.TimeExpr{Text: start.Format("2006-01"), Start: start, End: end, Precision: mizan.PrecisionMonth}
	}
	e.ID = fmt.Sprintf("%s-%d-%s-%s-%s", d.ID[:8], line, typ, src, tgt)
	return e
}

func eventIDs(es []mizan.Event) string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = string(e.Type) + ":" + actorIDs(e.Source) + ">" + actorIDs(e.Target)
	}
	return strings.Join(ids, " ")
}

func actorIDs(as []mizan.Actor) string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.Entity
	}
	return strings.Join(ids, ",")
}

// eventCorpus stores three documents with events: a dated one, an undated one, and another.
func eventCorpus(tb testing.TB, st mizan.Store) (a, b, c *mizan.Document) {
	tb.Helper()
	a = Doc("a.txt", "Talks in Algiers", "en", "Patrushev met Tebboune in Algiers.\nAlgeria applied to join BRICS in November.\nAlgeria will hold exercises with Russia.")
	a.Published = day(2023, 2, 27)
	a.PublishedPrecision = mizan.PrecisionDay
	nov := day(2022, 11, 1)
	dec := day(2022, 12, 1)
	ea := []mizan.Event{
		Event(tb, a, 1, mizan.CONSULT, mizan.Asserted, "person/nikolai-patrushev", "person/abdelmadjid-tebboune", nil, nil),
		Event(tb, a, 2, mizan.REQUEST, mizan.Asserted, "gpe/dz", "org/brics", nov, dec),
		Event(tb, a, 3, mizan.COOPERATE, mizan.Planned, "gpe/dz", "gpe/ru", day(2023, 11, 1), day(2023, 12, 1)),
	}
	ea[0].Place = &mizan.Actor{Entity: "loc/algiers", Name: "Algiers"}
	ea[1].Attribution = mizan.Attribution{Kind: mizan.AttrMedia, Text: "Al-Shorouk", Entity: "org/echorouk"}
	putAnalysed(tb, st, a, &mizan.Analysis{Events: ea, Tone: &mizan.Tone{Score: 0.5, Words: 30, Cues: []string{"regime"}}}, false)

	b = Doc("b.txt", "Unit sent", "en", "An Algerian unit was sent to Iran.\nIranian advisors visited Algiers.")
	eb := []mizan.Event{
		Event(tb, b, 1, mizan.AID, mizan.Asserted, "gpe/dz", "gpe/ir", nil, nil),
		Event(tb, b, 2, mizan.CONSULT, mizan.Asserted, "gpe/ir", "gpe/dz", day(2024, 10, 1), day(2025, 1, 1)),
	}
	eb[0].Attribution = mizan.Attribution{Kind: mizan.AttrAnonymous, Text: "a security source"}
	eb[0].Hedged, eb[0].HedgeCues = true, []string{"reportedly"}
	putAnalysed(tb, st, b, &mizan.Analysis{Events: eb}, false)

	c = Doc("c.txt", "Sanctions", "en", "Washington sanctioned Tehran.")
	c.Published = day(2021, 5, 1)
	c.PublishedPrecision = mizan.PrecisionDay
	putAnalysed(tb, st, c, &mizan.Analysis{Events: []mizan.Event{
		Event(tb, c, 1, mizan.SANCTION, mizan.Asserted, "gpe/us", "gpe/ir", nil, nil),
	}}, false)
	return a, b, c
}

func events(tb testing.TB, st mizan.Store, f mizan.EventFilter) ([]mizan.Event, int) {
	tb.Helper()
	es, n, err := st.Events(context.Background(), f)
	if err != nil {
		tb.Fatalf("Events(%+v): %v", f, err)
	}
	return es, n
}

func testEventWrite(t *testing.T, st mizan.Store) {
	a, _, _ := eventCorpus(t, st)
	es, n := events(t, st, mizan.EventFilter{Doc: a.ID})
	if n != 3 || len(es) != 3 {
		t.Fatalf("got %d events (total %d), want 3", len(es), n)
	}
	if got, want := eventIDs(es), "CONSULT:person/nikolai-patrushev>person/abdelmadjid-tebboune REQUEST:gpe/dz>org/brics COOPERATE:gpe/dz>gpe/ru"; got != want {
		t.Errorf("got %s, want %s (text order)", got, want)
	}
	// Everything the stage produced comes back.
	e := es[1]
	if e.Attribution.Kind != mizan.AttrMedia || e.Attribution.Entity != "org/echorouk" {
		t.Errorf("got attribution %+v, want media org/echorouk", e.Attribution)
	}
	if e.Time.Precision != mizan.PrecisionMonth || e.Time.Start == nil || !e.Time.Start.Equal(*day(2022, 11, 1)) {
		t.Errorf("got time %+v, want November 2022 with precision month", e.Time)
	}
	if e.Text != "Algeria applied to join BRICS in November." || e.Sentence != a.Sentences[2] {
		t.Errorf("got sentence %q %v, want the third line", e.Text, e.Sentence)
	}
	if es[0].Place == nil || es[0].Place.Entity != "loc/algiers" {
		t.Errorf("got place %+v, want loc/algiers", es[0].Place)
	}
	all, total := events(t, st, mizan.EventFilter{})
	if total != 6 || len(all) != 6 {
		t.Errorf("got %d events (total %d), want 6", len(all), total)
	}
	if ss, ok := st.(interface {
		EventSentences(ctx context.Context, ids []string) (map[string]string, error)
	}); ok {
		got, err := ss.EventSentences(context.Background(), []string{es[1].ID, "no-such-event", es[2].ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[es[1].ID] != es[1].Text || got[es[2].ID] != es[2].Text {
			t.Errorf("EventSentences: got %q, want the sentences of %s and %s", got, es[1].ID, es[2].ID)
		}
	}
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Events != 6 {
		t.Errorf("got Stats.Events %d, want 6", s.Events)
	}
}

func testEventFilter(t *testing.T, st mizan.Store) {
	_, b, _ := eventCorpus(t, st)
	tests := []struct {
		name string
		f    mizan.EventFilter
		want string
	}{
		{"entity", mizan.EventFilter{Entity: "gpe/ir"}, "AID:gpe/dz>gpe/ir CONSULT:gpe/ir>gpe/dz SANCTION:gpe/us>gpe/ir"},
		{"between either order", mizan.EventFilter{Between: [2]string{"gpe/ir", "gpe/dz"}}, "AID:gpe/dz>gpe/ir CONSULT:gpe/ir>gpe/dz"},
		{"types", mizan.EventFilter{Types: []mizan.EventType{mizan.SANCTION, mizan.REQUEST}}, "REQUEST:gpe/dz>org/brics SANCTION:gpe/us>gpe/ir"},
		{"modes", mizan.EventFilter{Modes: []mizan.Mode{mizan.Planned}}, "COOPERATE:gpe/dz>gpe/ru"},
		// Since/Until overlap the event's own period; undated events count at their document's
		// date (a: 2023-02-27, c: 2021-05-01; b is undated and ingested now).
		{"since", mizan.EventFilter{Since: day(2023, 1, 1), Until: day(2024, 1, 1)}, "CONSULT:person/nikolai-patrushev>person/abdelmadjid-tebboune COOPERATE:gpe/dz>gpe/ru"},
		{"until", mizan.EventFilter{Until: day(2022, 11, 15)}, "REQUEST:gpe/dz>org/brics SANCTION:gpe/us>gpe/ir"},
		{"range inside a period", mizan.EventFilter{Since: day(2024, 11, 1), Until: day(2024, 11, 2)}, "CONSULT:gpe/ir>gpe/dz"},
		{"doc prefix", mizan.EventFilter{Doc: b.ID[:6]}, "AID:gpe/dz>gpe/ir CONSULT:gpe/ir>gpe/dz"},
		{"as of", mizan.EventFilter{AsOf: day(2022, 1, 1)}, "SANCTION:gpe/us>gpe/ir"},
		{"paging", mizan.EventFilter{Offset: 1, Limit: 2}, "REQUEST:gpe/dz>org/brics COOPERATE:gpe/dz>gpe/ru"},
		{"entity and type", mizan.EventFilter{Entity: "gpe/dz", Types: []mizan.EventType{mizan.AID}}, "AID:gpe/dz>gpe/ir"},
		{"nothing", mizan.EventFilter{Entity: "gpe/fr"}, ""},
		// Newest first by the timeline's position: b's undated AID counts at its ingest (now),
		// a's undated CONSULT at a's publication (2023-02-27).
		{"newest", mizan.EventFilter{Order: mizan.OrderNewest}, "AID:gpe/dz>gpe/ir CONSULT:gpe/ir>gpe/dz COOPERATE:gpe/dz>gpe/ru " +
			"CONSULT:person/nikolai-patrushev>person/abdelmadjid-tebboune REQUEST:gpe/dz>org/brics SANCTION:gpe/us>gpe/ir"},
		{"newest paged", mizan.EventFilter{Order: mizan.OrderNewest, Offset: 2, Limit: 2}, "COOPERATE:gpe/dz>gpe/ru CONSULT:person/nikolai-patrushev>person/abdelmadjid-tebboune"},
		{"newest filtered", mizan.EventFilter{Order: mizan.OrderNewest, Entity: "gpe/ir"}, "AID:gpe/dz>gpe/ir CONSULT:gpe/ir>gpe/dz SANCTION:gpe/us>gpe/ir"},
	}
	for _, tt := range tests {
		es, n := events(t, st, tt.f)
		if got := eventIDs(es); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if tt.f.Limit == 0 && n != len(es) {
			t.Errorf("%s: got total %d for %d events", tt.name, n, len(es))
		}
		if (tt.name == "paging" || tt.name == "newest paged") && n != 6 {
			t.Errorf("paging: got total %d, want 6", n)
		}
	}
}

func testEventTimeline(t *testing.T, st mizan.Store) {
	eventCorpus(t, st)
	tl, err := st.Timeline(context.Background(), mizan.EventFilter{Entity: "gpe/dz"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range tl {
		got = append(got, fmt.Sprintf("%s@%s/%v", e.Type, e.At.Format("2006-01-02"), e.Undated))
	}
	// By time: November 2022 (the text's), 27 Feb 2023 (undated: the document's date), November
	// 2023, October 2024; the undated AID of the undated document sits at its ingest time, now.
	want := []string{"REQUEST@2022-11-01/false", "COOPERATE@2023-11-01/false", "CONSULT@2024-10-01/false"}
	if len(got) != 4 || strings.Join(got[:3], " ") != strings.Join(want, " ") || !strings.HasPrefix(got[3], "AID@") || !strings.HasSuffix(got[3], "/true") {
		t.Errorf("got %v, want %v then the undated AID", got, want)
	}
	all, err := st.Timeline(context.Background(), mizan.EventFilter{Entity: "person/nikolai-patrushev"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || !all[0].Undated || !all[0].At.Equal(*day(2023, 2, 27)) {
		t.Errorf("got %+v, want one undated event placed at its document's date 2023-02-27", all)
	}
}

func testEventReprocess(t *testing.T, st mizan.Store) {
	a, _, _ := eventCorpus(t, st)
	// Reprocessing replaces the document's events, actors and tone.
	putAnalysed(t, st, a, &mizan.Analysis{Events: []mizan.Event{
		Event(t, a, 1, mizan.CONSULT, mizan.Asserted, "person/nikolai-patrushev", "gpe/dz", nil, nil),
	}}, true)
	es, _ := events(t, st, mizan.EventFilter{Doc: a.ID})
	if got, want := eventIDs(es), "CONSULT:person/nikolai-patrushev>gpe/dz"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if es, _ := events(t, st, mizan.EventFilter{Entity: "org/brics"}); len(es) != 0 {
		t.Errorf("got %d events of org/brics after reprocessing, want 0", len(es))
	}
	if tone, err := st.Tone(context.Background(), a.ID); err != nil || tone != nil {
		t.Errorf("got tone %+v, %v after reprocessing without one, want nil", tone, err)
	}
	// A document stored without analysis has no events.
	d := Doc("d.txt", "Plain", "en", "Nothing happened.")
	putAnalysed(t, st, d, nil, false)
	if es, n := events(t, st, mizan.EventFilter{Doc: d.ID}); n != 0 || len(es) != 0 {
		t.Errorf("got %d events for a document without analysis, want 0", n)
	}
}

func testEventMerged(t *testing.T, st mizan.Store) {
	d := Doc("m.txt", "Merge", "en", "Tebboune met Lavrov.\nThe Algerian president met Putin.")
	ms := []mizan.Mention{
		Mention(t, d, "Tebboune", 1, mizan.PERSON, "person/abdelmadjid-tebboune"),
		Mention(t, d, "Lavrov", 1, mizan.PERSON, "person/sergey-lavrov"),
		Mention(t, d, "The Algerian president", 1, mizan.PERSON, "person/algerian-president"),
		Mention(t, d, "Putin", 1, mizan.PERSON, "person/vladimir-putin"),
	}
	es := []mizan.Event{
		Event(t, d, 1, mizan.CONSULT, mizan.Asserted, "person/abdelmadjid-tebboune", "person/sergey-lavrov", nil, nil),
		Event(t, d, 2, mizan.CONSULT, mizan.Asserted, "person/algerian-president", "person/vladimir-putin", nil, nil),
	}
	putAnalysed(t, st, d, &mizan.Analysis{Mentions: ms, Events: es, Entities: []mizan.Entity{
		discovered("person/algerian-president", "The Algerian president", mizan.PERSON, "en"),
	}}, false)
	if _, err := st.MergeEntities(context.Background(), "person/algerian-president", "person/abdelmadjid-tebboune"); err != nil {
		t.Fatal(err)
	}
	// After the merge, the events of the merged entity are the other's.
	got, _ := events(t, st, mizan.EventFilter{Entity: "person/abdelmadjid-tebboune"})
	if len(got) != 2 {
		t.Errorf("got %d events of the merged entity, want 2", len(got))
	}
	got, _ = events(t, st, mizan.EventFilter{Between: [2]string{"person/abdelmadjid-tebboune", "person/vladimir-putin"}})
	if len(got) != 1 {
		t.Errorf("got %d events between the merged entity and Putin, want 1", len(got))
	}
}

func testEventInvalid(t *testing.T, st mizan.Store) {
	eventCorpus(t, st)
	ctx := context.Background()
	if _, _, err := st.Events(ctx, mizan.EventFilter{Doc: "ffffffffffff"}); !errors.Is(err, mizan.ErrNotFound) {
		t.Errorf("unknown document: got %v, want not found", err)
	}
	if _, _, err := st.Events(ctx, mizan.EventFilter{Between: [2]string{"gpe/dz", ""}}); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("between one entity: got %v, want invalid", err)
	}
	if _, _, err := st.Events(ctx, mizan.EventFilter{Order: "oldest"}); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("unknown order: got %v, want invalid", err)
	}
	if _, err := st.Tone(ctx, "ffffffffffff"); !errors.Is(err, mizan.ErrNotFound) {
		t.Errorf("tone of an unknown document: got %v, want not found", err)
	}
	// An event without an id is refused, and nothing of the document is stored.
	d := Doc("x.txt", "Bad", "en", "Something happened.")
	bad := Event(t, d, 1, mizan.AID, mizan.Asserted, "gpe/dz", "", nil, nil)
	bad.ID = ""
	if _, err := st.PutDocument(ctx, d, &mizan.Analysis{Events: []mizan.Event{bad}}, false); err == nil {
		t.Error("an event without id: got no error")
	}
	if ok, err := st.HasDocument(ctx, d.ID); err != nil || ok {
		t.Errorf("got document stored = %v (%v) after a failed write, want false", ok, err)
	}
}

func testEventTone(t *testing.T, st mizan.Store) {
	a, b, _ := eventCorpus(t, st)
	tone, err := st.Tone(context.Background(), a.ID[:8])
	if err != nil {
		t.Fatal(err)
	}
	if tone == nil || tone.Score != 0.5 || tone.Words != 30 || strings.Join(tone.Cues, ",") != "regime" {
		t.Errorf("got tone %+v, want score 0.5, 30 words, cue regime", tone)
	}
	if tone, err := st.Tone(context.Background(), b.ID); err != nil || tone != nil {
		t.Errorf("got tone %+v, %v for a document without one, want nil", tone, err)
	}
}

// eventLog is what feed watching reads new events from (internal/watch.EventLog).
type eventLog interface {
	EventsAfter(ctx context.Context, cursor int64, limit int) ([]mizan.Event, int64, error)
}

func testEventsAfter(t *testing.T, st mizan.Store) {
	log, ok := st.(eventLog)
	if !ok {
		t.Skip("the store does not list events after a cursor")
	}
	eventCorpus(t, st)
	ctx := context.Background()
	var got []string
	cursor, calls := int64(0), 0
	for {
		es, next, err := log.EventsAfter(ctx, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		calls++
		if next == cursor {
			if len(es) != 0 {
				t.Errorf("got %d events with an unchanged cursor", len(es))
			}
			break
		}
		for _, e := range es {
			got = append(got, string(e.Type))
		}
		cursor = next
		if calls > 10 {
			t.Fatal("the cursor does not advance")
		}
	}
	// Whole documents at a time: 3 events of the first, 2 of the second, 1 of the third.
	if strings.Join(got, " ") != "CONSULT REQUEST COOPERATE AID CONSULT SANCTION" || calls != 4 {
		t.Errorf("got %v in %d calls, want the six events in store order in three reads and an empty one", got, calls)
	}
}
