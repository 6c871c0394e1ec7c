package main

import (
	"sync"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

var (
	detectorOnce sync.Once
	detector     *lang.Detector
)

// pipeline wires the stages in order. The language detector is built once per process: it
// loads its models up front so that the first document is not slower than the rest.
func (a *App) pipeline() nlp.Pipeline {
	detectorOnce.Do(func() { detector = lang.New(lang.DefaultOptions()) })
	return nlp.Pipeline{
		extract.Stage{Options: extract.DefaultOptions()},
		dedup.Stage{},
		lang.Stage{D: detector},
		sentence.Stage{},
	}
}

// ingester is the Ingester of every command that processes documents (ingest, reprocess,
// worker, watch --ingest), so they all run the same pipeline and the same Resolve hook: wire
// the hook here.
func (a *App) ingester(st mizan.DocumentStore) *ingest.Ingester {
	return &ingest.Ingester{Store: st, Pipeline: a.pipeline(), Now: a.Now, Resolve: a.resolveHook(st)}
}
