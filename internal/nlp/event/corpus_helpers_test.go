package event_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

// corpusDir is the shared sample corpus (../shared/corpus from the repository root).
const corpusDir = "../../../../shared/corpus"

var (
	detectorOnce sync.Once
	detector     *lang.Detector
)

// front is the pipeline before the entity stage: extraction, language, sentences.
func front() nlp.Pipeline {
	detectorOnce.Do(func() { detector = lang.New(lang.DefaultOptions()) })
	return nlp.Pipeline{extract.Stage{Options: extract.DefaultOptions()}, lang.Stage{D: detector}, sentence.Stage{}}
}

// corpusDoc reads one file of the shared corpus through the front of the pipeline, skipping
// the test when the corpus is absent.
func corpusDoc(tb testing.TB, name string) *nlp.Doc {
	tb.Helper()
	matches, _ := filepath.Glob(filepath.Join(corpusDir, name+"*"))
	if len(matches) == 0 {
		tb.Skipf("shared corpus not found at %s: skipping", corpusDir)
	}
	raw, err := os.ReadFile(matches[0])
	if err != nil {
		tb.Fatal(err)
	}
	d := &nlp.Doc{Document: &mizan.Document{ID: mizan.DocumentID(raw), Source: matches[0], SourceKind: mizan.SourceFile, Raw: raw, ContentType: "text/plain"}}
	if err := front().Process(context.Background(), d); err != nil {
		tb.Fatal(err)
	}
	return d
}
