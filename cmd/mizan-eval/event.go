package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/event"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

func init() {
	register("event", func(data string) ([]*evalkit.Report, error) {
		ctx := context.Background()
		k, ent, err := defaultEntityStage()
		if err != nil {
			return nil, err
		}
		st, err := event.New(k, event.DefaultOptions())
		if err != nil {
			return nil, err
		}
		// The evaluation sentences come as one paragraph: split them and find their mentions as
		// the pipeline does, then read their events.
		pre := nlp.Pipeline{sentence.Stage{}, ent}
		var out []*evalkit.Report
		for _, set := range []struct{ dir, title string }{
			{"internal/nlp/event/testdata/eval", "Events: precision/recall per field (project development set, en/fr/ar)"},
			{"internal/nlp/event/testdata/eval/heldout", "Events: precision/recall per field (project held-out set, never used for tuning)"},
		} {
			sents, err := event.ReadEvalDir(set.dir)
			if err != nil {
				return nil, err
			}
			r, err := event.Evaluate(ctx, pre, st, sents)
			if err != nil {
				return nil, err
			}
			r.Title = set.title
			out = append(out, r)
		}
		if p, err := needData(data, "events", "plover_gsr", "PLOVER_GSR_CAMEO.json"); err == nil {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			recs, err := event.ReadPLOVER(f)
			f.Close()
			if err != nil {
				return nil, err
			}
			r, err := event.EvaluatePLOVER(ctx, pre, st, recs)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		if dir, err := needData(data, "events", "arabic_event_gsr"); err == nil {
			var sents []event.ArabicGSRSentence
			var spans []event.ArabicGSRSpans
			for _, name := range []string{"protest", "assault"} {
				f, err := os.Open(filepath.Join(dir, name+"_gsr.csv"))
				if err != nil {
					return nil, err
				}
				s, err := event.ReadArabicGSR(f)
				f.Close()
				if err != nil {
					return nil, err
				}
				sents = append(sents, s...)
				g, err := os.Open(filepath.Join(dir, name+"_spans.json"))
				if err != nil {
					return nil, err
				}
				sp, err := event.ReadArabicGSRSpans(g)
				g.Close()
				if err != nil {
					return nil, err
				}
				spans = append(spans, sp...)
			}
			r, err := event.EvaluateArabicGSR(ctx, pre, st, sents, spans)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	})
}
