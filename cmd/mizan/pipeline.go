package main

import (
	"context"
	"strings"
	"sync"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

var (
	detectorOnce sync.Once
	detector     *lang.Detector
)

// pipeline wires the stages in order. The language detector is built once per process: it
// loads its models up front so that the first document is not slower than the rest.
func (a *App) pipeline(st mizan.DocumentStore) nlp.Pipeline {
	detectorOnce.Do(func() { detector = lang.New(lang.DefaultOptions()) })
	return onlyStages(a.Getenv("MIZAN_STAGES"), nlp.Pipeline{
		extract.Stage{Options: extract.DefaultOptions()},
		dedup.Stage{},
		lang.Stage{D: detector},
		sentence.Stage{},
		entityStage(st),
		eventStage(st),
	})
}

// onlyStages keeps the stages named in a comma-separated list (all when it is empty). It is for
// measuring: `MIZAN_STAGES=extract,dedup,lang,sentence mizan ingest` times the foundation alone.
// Extraction always runs, since nothing can be stored without it.
func onlyStages(list string, p nlp.Pipeline) nlp.Pipeline {
	if list == "" {
		return p
	}
	keep := map[string]bool{"extract": true}
	for _, n := range strings.Split(list, ",") {
		keep[strings.TrimSpace(n)] = true
	}
	var out nlp.Pipeline
	for _, s := range p {
		if keep[s.Name()] {
			out = append(out, s)
		}
	}
	return out
}

// entityStage is the "entity" stage over the store's knowledge base (the embedded default with
// the `mizan kb import`s replayed) and the trained tagger, compiled on the first document so that
// commands that process none do not pay for it.
func entityStage(st mizan.DocumentStore) nlp.Stage {
	var (
		once sync.Once
		s    *entity.Stage
		err  error
	)
	return nlp.StageFunc{StageName: "entity", Fn: func(ctx context.Context, d *nlp.Doc) error {
		once.Do(func() {
			var k *kb.KB
			if src, ok := st.(kbSource); ok {
				k, err = src.KB(ctx)
			} else {
				k, err = kb.Default()
			}
			var m *ner.Model
			if err == nil {
				m, err = ner.Default()
			}
			if err == nil {
				s, err = entity.New(k, m, entity.DefaultConfig())
			}
		})
		if err != nil {
			return err
		}
		return s.Process(ctx, d)
	}}
}

// ingester is the Ingester of every command that processes documents (ingest, reprocess,
// worker, watch --ingest), so they all run the same pipeline and the same Resolve hook: wire
// the hook here.
func (a *App) ingester(st mizan.DocumentStore) *ingest.Ingester {
	return &ingest.Ingester{Store: st, Pipeline: a.pipeline(st), Now: a.Now, Resolve: relinkEvents(a.resolveHook(st))}
}
