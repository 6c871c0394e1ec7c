package event_test

import (
	"context"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/corpusgen"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/event"
)

// benchDocs generates n documents (clean text, HTML pages and browser scrapes in English,
// French and Arabic) with internal/corpusgen.
func benchDocs(n int) []corpusgen.Doc {
	g := corpusgen.New(1)
	docs := make([]corpusgen.Doc, n)
	for i := range docs {
		docs[i] = g.Doc(i)
	}
	return docs
}

func rawDoc(c corpusgen.Doc) *nlp.Doc {
	return &nlp.Doc{Document: &mizan.Document{ID: mizan.DocumentID(c.Raw), Source: c.Name, SourceKind: mizan.SourceFile, Raw: c.Raw}}
}

// BenchmarkPipeline runs the whole document pipeline, from raw bytes to events (extraction,
// language, sentences, entities, events), on one goroutine: documents/s per core. Storage is
// measured by cmd/mizan-bench (`make bench`).
func BenchmarkPipeline(b *testing.B) {
	docs := benchDocs(200)
	p := append(front(), mentions(b), mustStage(b))
	var bytes int64
	for _, c := range docs {
		bytes += int64(len(c.Raw))
	}
	b.SetBytes(bytes / int64(len(docs)))
	n, events := 0, 0
	for b.Loop() {
		d := rawDoc(docs[n%len(docs)])
		n++
		if err := p.Process(context.Background(), d); err != nil {
			b.Fatal(err)
		}
		events += len(d.Analysis.Events)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(events)/float64(n), "events/doc")
}

// BenchmarkStage runs the event stage alone over documents the earlier stages prepared.
func BenchmarkStage(b *testing.B) {
	for _, tagger := range []bool{false, true} {
		name := "rules"
		if tagger {
			name = "tagger"
		}
		b.Run(name, func(b *testing.B) {
			docs := benchDocs(100)
			pre := append(front(), mentions(b))
			ready := make([]*nlp.Doc, 0, len(docs))
			var bytes int64
			for _, c := range docs {
				d := rawDoc(c)
				if err := pre.Process(context.Background(), d); err != nil {
					b.Fatal(err)
				}
				bytes += int64(len(d.Text))
				ready = append(ready, d)
			}
			o := event.DefaultOptions()
			o.Tagger = tagger
			st, err := event.New(mustKB(b).k, o)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(bytes / int64(len(ready)))
			n := 0
			for b.Loop() {
				if err := st.Process(context.Background(), ready[n%len(ready)]); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
