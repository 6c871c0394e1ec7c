package event_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/event"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

// dataDir is the shared public data (../shared/data from the repository root).
const dataDir = "../../../../shared/data/events"

func openData(tb testing.TB, rel string) *os.File {
	tb.Helper()
	f, err := os.Open(filepath.Join(dataDir, rel))
	if err != nil {
		tb.Skipf("public event data not found (%v): skipping", err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// TestPLOVERGold reports precision and recall on the PLOVER gold-standard records. They are
// evaluation data only: the lexicons were not tuned on them. The thresholds guard against
// regressions, just under the measured scores.
func TestPLOVERGold(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: the whole gold standard through the entity stage")
	}
	recs, err := event.ReadPLOVER(openData(t, "plover_gsr/PLOVER_GSR_CAMEO.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := event.EvaluatePLOVER(context.Background(), nlp.Pipeline{sentence.Stage{}, mentions(t)}, mustStage(t), recs)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() || os.Getenv("MIZAN_EVAL_PRINT") != "" {
		r.Write(os.Stdout)
	}
	for field, want := range map[string][2]float64{"type": {0.55, 0.24}, "event": {0.50, 0.12}} {
		c := r.Row(field)
		if c.Precision() < want[0] || c.Recall() < want[1] {
			t.Errorf("%s: got precision %.3f recall %.3f, want at least %.2f and %.2f", field, c.Precision(), c.Recall(), want[0], want[1])
		}
	}
}

// TestArabicGold reports detection and span scores on the Arabic protest/assault sets.
func TestArabicGold(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 5,800 sentences through the entity stage")
	}
	var sents []event.ArabicGSRSentence
	for _, f := range []string{"arabic_event_gsr/protest_gsr.csv", "arabic_event_gsr/assault_gsr.csv"} {
		s, err := event.ReadArabicGSR(openData(t, f))
		if err != nil {
			t.Fatal(err)
		}
		sents = append(sents, s...)
	}
	var spans []event.ArabicGSRSpans
	for _, f := range []string{"arabic_event_gsr/protest_spans.json", "arabic_event_gsr/assault_spans.json"} {
		s, err := event.ReadArabicGSRSpans(openData(t, f))
		if err != nil {
			t.Fatal(err)
		}
		spans = append(spans, s...)
	}
	if n := os.Getenv("MIZAN_GSR_LIMIT"); n != "" {
		sents = sents[:min(len(sents), atoi(n))]
	}
	r, err := event.EvaluateArabicGSR(context.Background(), nlp.Pipeline{sentence.Stage{}, mentions(t)}, mustStage(t), sents, spans)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() || os.Getenv("MIZAN_EVAL_PRINT") != "" {
		r.Write(os.Stdout)
	}
	for field, want := range map[string][2]float64{"detect": {0.13, 0.13}, "span/verb": {0.70, 0.08}} {
		c := r.Row(field)
		if c.Precision() < want[0] || c.Recall() < want[1] {
			t.Errorf("%s: got precision %.3f recall %.3f, want at least %.2f and %.2f", field, c.Precision(), c.Recall(), want[0], want[1])
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
