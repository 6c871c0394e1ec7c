package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
)

// GraphSource is what the knowledge graph (internal/graph) reads from a store: the compact,
// streaming scans. Stores that build graphs implement it; graphTests skip the others.
type GraphSource interface {
	ScanEventLinks(ctx context.Context, f mizan.EventFilter, fn func(*mizan.Event) error) error
	ScanDocumentMeta(ctx context.Context, f mizan.DocumentFilter, fn func(*mizan.Document) error) error
}

// graphTests are the conformance tests of the graph scans; Run runs them with the others.
var graphTests = []struct {
	name string
	fn   func(*testing.T, mizan.Store)
}{
	{"ScanEventLinks", testScanEventLinks},
	{"ScanEventLinksMerged", testScanEventLinksMerged},
	{"ScanDocumentMeta", testScanDocumentMeta},
}

func graphSource(t *testing.T, st mizan.Store) GraphSource {
	t.Helper()
	gs, ok := st.(GraphSource)
	if !ok {
		t.Skip("the store does not implement the graph scans")
	}
	return gs
}

func scanEvents(t *testing.T, gs GraphSource, f mizan.EventFilter) []*mizan.Event {
	t.Helper()
	var out []*mizan.Event
	if err := gs.ScanEventLinks(context.Background(), f, func(e *mizan.Event) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatalf("ScanEventLinks(%+v): %v", f, err)
	}
	return out
}

func testScanEventLinks(t *testing.T, st mizan.Store) {
	gs := graphSource(t, st)
	a, b, _ := eventCorpus(t, st)
	full, _ := events(t, st, mizan.EventFilter{})
	got := scanEvents(t, gs, mizan.EventFilter{})
	if len(got) != len(full) {
		t.Fatalf("got %d events, want %d", len(got), len(full))
	}
	byID := map[string]mizan.Event{}
	for _, e := range full {
		byID[e.ID] = e
	}
	for _, e := range got {
		want, ok := byID[e.ID]
		if !ok {
			t.Errorf("got unknown event %s", e.ID)
			continue
		}
		if e.Text != "" {
			t.Errorf("event %s: got sentence text %q, want none (the scan is compact)", e.ID, e.Text)
		}
		if e.Doc != want.Doc || e.Type != want.Type || e.Mode != want.Mode || e.Sentence != want.Sentence || e.Hedged != want.Hedged {
			t.Errorf("event %s: got %s %s %s %v hedged=%v, want %s %s %s %v hedged=%v", e.ID, e.Doc, e.Type, e.Mode, e.Sentence,
				e.Hedged, want.Doc, want.Type, want.Mode, want.Sentence, want.Hedged)
		}
		if g, w := actorIDs(e.Source)+">"+actorIDs(e.Target), actorIDs(want.Source)+">"+actorIDs(want.Target); g != w {
			t.Errorf("event %s: got actors %s, want %s", e.ID, g, w)
		}
		if (e.Time.Start == nil) != (want.Time.Start == nil) || (e.Time.Start != nil && !e.Time.Start.Equal(*want.Time.Start)) {
			t.Errorf("event %s: got start %v, want %v", e.ID, e.Time.Start, want.Time.Start)
		}
		if e.Attribution.Kind != want.Attribution.Kind || e.Attribution.Entity != want.Attribution.Entity {
			t.Errorf("event %s: got attribution %+v, want kind %s entity %s", e.ID, e.Attribution, want.Attribution.Kind, want.Attribution.Entity)
		}
		if (e.Place == nil) != (want.Place == nil) || (e.Place != nil && e.Place.Entity != want.Place.Entity) {
			t.Errorf("event %s: got place %v, want %v", e.ID, e.Place, want.Place)
		}
	}
	// Filters apply as in Events: as of the day after document a was published, b (undated,
	// ingested now) and a's successors are unknown.
	asOf := time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range scanEvents(t, gs, mizan.EventFilter{AsOf: &asOf}) {
		if e.Doc == b.ID {
			t.Errorf("as of %s: got event %s of a document ingested later", asOf.Format("2006-01-02"), e.ID)
		}
	}
	if got := scanEvents(t, gs, mizan.EventFilter{Doc: a.ID}); len(got) != 3 {
		t.Errorf("got %d events of document a, want 3", len(got))
	}
	stop := errors.New("stop")
	n := 0
	err := gs.ScanEventLinks(context.Background(), mizan.EventFilter{}, func(*mizan.Event) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("a callback error: got %v after %d calls, want it returned after 1", err, n)
	}
}

func testScanEventLinksMerged(t *testing.T, st mizan.Store) {
	gs := graphSource(t, st)
	d := Doc("m.txt", "Merge", "en", "Tebboune met Lavrov.\nThe Algerian president met Putin.")
	ms := []mizan.Mention{
		Mention(t, d, "Tebboune", 1, mizan.PERSON, "person/abdelmadjid-tebboune"),
		Mention(t, d, "The Algerian president", 1, mizan.PERSON, "person/algerian-president"),
	}
	es := []mizan.Event{
		Event(t, d, 2, mizan.CONSULT, mizan.Asserted, "person/algerian-president", "person/vladimir-putin", nil, nil),
	}
	putAnalysed(t, st, d, &mizan.Analysis{Mentions: ms, Events: es, Entities: []mizan.Entity{
		discovered("person/algerian-president", "The Algerian president", mizan.PERSON, "en"),
	}}, false)
	if _, err := st.MergeEntities(context.Background(), "person/algerian-president", "person/abdelmadjid-tebboune"); err != nil {
		t.Fatal(err)
	}
	got := scanEvents(t, gs, mizan.EventFilter{})
	if len(got) != 1 || actorIDs(got[0].Source) != "person/abdelmadjid-tebboune" {
		t.Errorf("got %d events, source %v, want 1 whose source is the entity merged into", len(got), got)
	}
}

func testScanDocumentMeta(t *testing.T, st mizan.Store) {
	gs := graphSource(t, st)
	a, b, c := eventCorpus(t, st)
	var got []*mizan.Document
	if err := gs.ScanDocumentMeta(context.Background(), mizan.DocumentFilter{}, func(d *mizan.Document) error {
		got = append(got, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range got {
		ids = append(ids, d.ID)
		if d.Text != "" || len(d.Raw) > 0 {
			t.Errorf("document %s: got text or raw bytes, want metadata only", d.ID)
		}
		if d.IngestedAt.IsZero() {
			t.Errorf("document %s: got no ingest time", d.ID)
		}
	}
	if want := []string{a.ID, b.ID, c.ID}; !slices.Equal(ids, want) {
		t.Errorf("got documents %s, want %s in ingest order", strings.Join(ids, ","), strings.Join(want, ","))
	}
	if got[0].Published == nil || !got[0].Published.Equal(*a.Published) || got[0].Title != a.Title || got[0].Lang != "en" {
		t.Errorf("got %+v, want the metadata of %s", got[0], a.Source)
	}
	if got[1].Published != nil {
		t.Errorf("got published %v for an undated document, want nil", got[1].Published)
	}
}
