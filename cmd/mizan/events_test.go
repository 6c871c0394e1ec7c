package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// eventJSON is the contract of `mizan events --json` (docs/DESIGN §4).
type eventJSON struct {
	ID     string `json:"id"`
	Doc    string `json:"doc"`
	Type   string `json:"type"`
	Mode   string `json:"mode"`
	Source *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"source"`
	Target *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"target"`
	Place *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"place"`
	Date struct {
		Text      string     `json:"text"`
		Start     *time.Time `json:"start"`
		End       *time.Time `json:"end"`
		Precision string     `json:"precision"`
	} `json:"date"`
	Attribution struct {
		Text string `json:"text"`
		Kind string `json:"kind"`
	} `json:"attribution"`
	Hedged   bool `json:"hedged"`
	Sentence string
	Span     struct{ Start, End int }
	Undated  *bool `json:"undated"`
}

func listEvents(tb testing.TB, db string, args ...string) []eventJSON {
	tb.Helper()
	out := mustRun(tb, db, append([]string{"events", "--json", "--limit", "0"}, args...)...)
	var es []eventJSON
	if err := json.Unmarshal([]byte(out), &es); err != nil {
		tb.Fatalf("mizan events %v: not a JSON array of events: %v\n%s", args, err, out)
	}
	return es
}

// TestEventCommands ingests the shared corpus and checks that an analyst finds what the issue
// asks for with `mizan events`, its filters, `mizan timeline` and `mizan show --json`.
func TestEventCommands(t *testing.T) {
	dir := sharedCorpus(t)
	db := filepath.Join(t.TempDir(), "m.db")
	mustRun(t, db, "-q", "ingest", dir)

	all := listEvents(t, db)
	if len(all) < 20 {
		t.Fatalf("got %d events from the corpus, want at least 20", len(all))
	}
	for _, e := range all {
		if e.ID == "" || e.Doc == "" || e.Type == "" || e.Mode == "" || e.Sentence == "" || e.Date.Precision == "" || e.Attribution.Kind == "" {
			t.Errorf("event with a missing field: %+v", e)
		}
		if e.Source == nil && e.Target == nil {
			t.Errorf("event without actors: %+v", e)
		}
	}

	// Entities by any name, in any language.
	pat := listEvents(t, db, "--entity", "Patrushev")
	if len(pat) == 0 {
		t.Fatal("got no event of Patrushev")
	}
	algiers := false
	for _, e := range pat {
		if e.Type == "CONSULT" && e.Place != nil && e.Place.ID == "loc/algiers" {
			algiers = true
		}
	}
	if !algiers {
		t.Errorf("got %d events of Patrushev, none a CONSULT in Algiers", len(pat))
	}
	brics := listEvents(t, db, "--between", "Algeria,BRICS", "--type", "request")
	if len(brics) != 1 || brics[0].Date.Precision != "month" || brics[0].Date.Start == nil || brics[0].Date.Start.Format("2006-01") != "2022-11" {
		t.Errorf("got %+v, want Algeria's BRICS application of November 2022", brics)
	}
	if ar := listEvents(t, db, "--between", "الجزائر,إيران", "--since", "2024-10", "--until", "2025"); len(ar) < 2 {
		t.Errorf("got %d events between Algeria and Iran at the end of 2024, want the English and the Arabic visit", len(ar))
	}
	for _, e := range listEvents(t, db, "--mode", "planned") {
		if e.Mode != "planned" {
			t.Errorf("--mode planned: got %s", e.Mode)
		}
	}

	// The timeline is in time order, undated events at their document's date and marked.
	out := mustRun(t, db, "timeline", "--entity", "gpe/dz", "--json")
	var tl []eventJSON
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatalf("timeline: %v", err)
	}
	if len(tl) == 0 || tl[0].Undated == nil {
		t.Fatalf("got a timeline of %d events without the undated mark", len(tl))
	}

	// `mizan show --json` carries the document's events and tone.
	docs := listDocs(t, db)
	for _, d := range docs {
		var v struct {
			Events []json.RawMessage `json:"events"`
			Tone   *struct {
				Score float64  `json:"score"`
				Cues  []string `json:"cues"`
			} `json:"tone"`
		}
		if err := json.Unmarshal([]byte(mustRun(t, db, "show", d.ID, "--json")), &v); err != nil {
			t.Fatal(err)
		}
		if len(v.Events) == 0 || v.Tone == nil {
			t.Errorf("show %s: got %d events and tone %v, want both", d.ID, len(v.Events), v.Tone)
		}
	}

	// Errors a user can make.
	for _, args := range [][]string{{"events", "--type", "party"}, {"events", "--between", "Algeria"}, {"events", "--mode", "maybe"}, {"events", "--since", "soon"}} {
		if _, stderr, code := run(t, db, args...); code != 2 || !strings.Contains(stderr, "--") {
			t.Errorf("mizan %v: got exit %d (%s), want a usage error", args, code, stderr)
		}
	}
	if _, stderr, code := run(t, db, "events", "--entity", "Nobody Atall"); code != 1 || !strings.Contains(stderr, "no entity") {
		t.Errorf("unknown entity: got exit %d (%s), want not found", code, stderr)
	}
}
