package main

import (
	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/pipeline"
)

// pipeline is the stages in order (internal/pipeline), only those named in $MIZAN_STAGES when
// it is set: `MIZAN_STAGES=extract,dedup,lang,sentence mizan ingest` times the foundation alone.
func (a *App) pipeline(st mizan.DocumentStore) nlp.Pipeline {
	return pipeline.Only(a.Getenv("MIZAN_STAGES"), pipeline.Stages(st))
}

// ingester is the Ingester of every command that processes documents (ingest, reprocess,
// worker, watch --ingest, serve --write), so they all run the same pipeline and the same Resolve
// hook: internal/pipeline wires both.
func (a *App) ingester(st mizan.DocumentStore) *ingest.Ingester {
	return pipeline.Ingester(st, a.Getenv("MIZAN_STAGES"), a.Now)
}
