// Package pipeline is the wiring of mizan's processing: the stages in order — extract, dedup,
// lang, sentence, entity, event — over a store's knowledge base, and the hook that resolves a
// document's entities across documents before it is stored. The command line (every command
// that processes documents: ingest, reprocess, worker, watch, serve) and the tests of other
// packages that need the real pipeline build it here, so there is one wiring.
package pipeline

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/event"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
	"github.com/mizan-osint/mizan/internal/resolve"
)

var (
	detectorOnce sync.Once
	detector     *lang.Detector
)

// KBSource is a store that keeps knowledge-base imports (`mizan kb import`): its KB is the
// embedded default with the imports replayed (sqlstore.DB has it).
type KBSource interface {
	KB(ctx context.Context) (*kb.KB, error)
}

// Knowledge returns the knowledge base of st: its KB when it keeps imports, else the embedded
// default. It is shared: Clone it before changing it.
func Knowledge(ctx context.Context, st mizan.DocumentStore) (*kb.KB, error) {
	if src, ok := st.(KBSource); ok {
		return src.KB(ctx)
	}
	return kb.Default()
}

// Stages returns every stage in order over st's knowledge base. The language detector is built
// once per process (it loads its models up front, so that the first document is not slower than
// the rest); the entity and event stages are compiled on the first document, so that a command
// that processes none does not pay for them.
func Stages(st mizan.DocumentStore) nlp.Pipeline {
	detectorOnce.Do(func() { detector = lang.New(lang.DefaultOptions()) })
	return nlp.Pipeline{
		extract.Stage{Options: extract.DefaultOptions()},
		dedup.Stage{},
		lang.Stage{D: detector},
		sentence.Stage{},
		entityStage(st),
		eventStage(st),
	}
}

// Only keeps the stages named in a comma-separated list (all when it is empty). It is for
// measuring: `MIZAN_STAGES=extract,dedup,lang,sentence mizan ingest` times the foundation alone.
// Extraction always runs, since nothing can be stored without it.
func Only(list string, p nlp.Pipeline) nlp.Pipeline {
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

// lazy builds a stage on the first document it processes, once.
func lazy(name string, build func(ctx context.Context) (nlp.Stage, error)) nlp.Stage {
	var (
		once sync.Once
		s    nlp.Stage
		err  error
	)
	return nlp.StageFunc{StageName: name, Fn: func(ctx context.Context, d *nlp.Doc) error {
		once.Do(func() { s, err = build(ctx) })
		if err != nil {
			return err
		}
		return s.Process(ctx, d)
	}}
}

// entityStage is the "entity" stage over the store's knowledge base and the trained tagger.
func entityStage(st mizan.DocumentStore) nlp.Stage {
	return lazy("entity", func(ctx context.Context) (nlp.Stage, error) {
		k, err := Knowledge(ctx, st)
		if err != nil {
			return nil, err
		}
		m, err := ner.Default()
		if err != nil {
			return nil, err
		}
		return entity.New(k, m, entity.DefaultConfig())
	})
}

// eventStage is the "event" stage over the store's knowledge base (for canonical names and the
// offices of people).
func eventStage(st mizan.DocumentStore) nlp.Stage {
	return lazy("event", func(ctx context.Context) (nlp.Stage, error) {
		k, err := Knowledge(ctx, st)
		if err != nil {
			return nil, err
		}
		return event.New(k, event.DefaultOptions())
	})
}

// Resolve returns the ingest.Ingester.Resolve hook: it links the entities a document introduces
// to those already stored (internal/resolve) and relinks the document's events to match, or nil
// when st cannot answer the resolver. The resolver is built on the first document.
func Resolve(st mizan.DocumentStore) func(context.Context, *nlp.Doc) error {
	rs, ok := st.(resolve.Store)
	if !ok {
		return nil
	}
	var (
		once sync.Once
		r    *resolve.Resolver
		err  error
	)
	return func(ctx context.Context, d *nlp.Doc) error {
		once.Do(func() {
			var k *kb.KB
			if k, err = Knowledge(ctx, st); err == nil {
				r = resolve.New(rs, k, resolve.DefaultOptions())
			}
		})
		if err != nil {
			return err
		}
		if err := r.Resolve(ctx, d); err != nil {
			return err
		}
		// The entities relinked in the document's mentions are relinked in its events too.
		m := map[string]string{}
		for _, res := range d.Analysis.Resolutions {
			if res.From != "" && res.Into != "" && res.From != res.Into {
				m[res.From] = res.Into
			}
		}
		d.Analysis.Events = event.RemapActors(d.Analysis.Events, m)
		return nil
	}
}

// Ingester returns the Ingester every command that processes documents runs: the stages (only
// those listed, when only is not empty) and the Resolve hook over st.
func Ingester(st mizan.DocumentStore, only string, now func() time.Time) *ingest.Ingester {
	return &ingest.Ingester{Store: st, Pipeline: Only(only, Stages(st)), Now: now, Resolve: Resolve(st)}
}
