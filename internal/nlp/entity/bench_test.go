package entity_test

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

// benchDocs is the evaluation set's documents plus, when present, the clean text of the sample
// corpus, split into sentences as the pipeline would.
func benchDocs(tb testing.TB) (docs []*mizan.Document, bytes, sentences int) {
	tb.Helper()
	eds, err := entity.ReadEvalDir("testdata/eval")
	if err != nil {
		tb.Fatal(err)
	}
	for _, ed := range eds {
		docs = append(docs, &mizan.Document{ID: ed.ID, Text: ed.Text, Lang: ed.Lang, Published: ed.Published, Paragraphs: ed.Paragraphs})
	}
	if files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt")); len(files) > 0 {
		for _, d := range corpusDocs(tb) {
			docs = append(docs, &mizan.Document{ID: d.ID, Text: d.Text, Lang: d.Lang, Published: d.Published, Paragraphs: d.Paragraphs})
		}
	}
	for _, d := range docs {
		nd := &nlp.Doc{Document: d}
		if err := (sentence.Stage{}).Process(context.Background(), nd); err != nil {
			tb.Fatal(err)
		}
		bytes += len(d.Text)
		sentences += len(d.Sentences)
	}
	return docs, bytes, sentences
}

func benchStage(b *testing.B, st *entity.Stage) {
	docs, n, sents := benchDocs(b)
	for _, d := range docs {
		d.Index() // built once per document by earlier stages in the pipeline
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			st.Analyze(d)
		}
	}
	b.ReportMetric(float64(sents)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkStage measures detection and in-document resolution with the full default KB and
// the trained tagger, on one core.
func BenchmarkStage(b *testing.B) { benchStage(b, fullStage(b)) }

// BenchmarkStageNoModel is BenchmarkStage without the statistical tagger: the KB matcher,
// the patterns and the resolution alone.
func BenchmarkStageNoModel(b *testing.B) {
	k, err := kb.Default()
	if err != nil {
		b.Fatal(err)
	}
	o := entity.DefaultConfig()
	o.NoModel = true
	st, err := entity.New(k, nil, o)
	if err != nil {
		b.Fatal(err)
	}
	benchStage(b, st)
}

// BenchmarkNew measures compiling the full default KB (names and roles) and the cue files, and
// reports the heap the compiled stage keeps beyond the KB itself.
func BenchmarkNew(b *testing.B) {
	k, err := kb.Default()
	if err != nil {
		b.Fatal(err)
	}
	m, err := ner.Default()
	if err != nil {
		b.Fatal(err)
	}
	var keep *entity.Stage
	before := heapInUse()
	for b.Loop() {
		keep, err = entity.New(k, m, entity.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(heapInUse()-before)/(1<<20), "MB-kept")
	runtime.KeepAlive(keep)
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}
