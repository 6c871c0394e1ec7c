package main

import (
	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/pipeline"
)

// ingester is the Ingester of every command that processes documents (ingest, reprocess,
// worker, watch --ingest, serve --write), so they all run the same pipeline and the same Resolve
// hook: internal/pipeline wires both.
func (a *App) ingester(st mizan.DocumentStore) *ingest.Ingester {
	return pipeline.Ingester(st, a.Getenv("MIZAN_STAGES"), a.Now)
}
