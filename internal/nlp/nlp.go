// Package nlp runs the document pipeline: a list of stages, each a value behind the one-method
// Stage interface, applied in order to a Doc. Stages live in subpackages (extract, lang,
// sentence, and later entity and event); they import this package and mizan, never each other,
// and are wired together in cmd/mizan.
package nlp

import (
	"context"
	"fmt"

	"github.com/mizan-osint/mizan"
)

// Version is the pipeline version recorded on every document. Bump it when a stage changes what
// it produces, so `mizan reprocess` knows which stored documents are stale.
const Version = 3

// Doc is a document travelling through the pipeline: the domain document being filled in, plus
// what stages produce for the stages after them.
type Doc struct {
	*mizan.Document
	// Analysis is filled by the entity and event stages and stored with the document.
	mizan.Analysis
}

// Stage is one step of the pipeline. Process fills in part of d from what earlier stages left;
// an error rejects the document (wrap a *mizan.Error to say why in words a user understands).
// Stages must be safe for concurrent use: the runner calls one stage value from many goroutines.
type Stage interface {
	Name() string
	Process(ctx context.Context, d *Doc) error
}

// Pipeline is an ordered list of stages.
type Pipeline []Stage

// Process runs every stage over d in order and stops at the first error, naming the stage.
func (p Pipeline) Process(ctx context.Context, d *Doc) error {
	for _, s := range p {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.Process(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", s.Name(), err)
		}
	}
	return nil
}

// StageFunc adapts a function to a Stage.
type StageFunc struct {
	StageName string
	Fn        func(ctx context.Context, d *Doc) error
}

func (f StageFunc) Name() string                              { return f.StageName }
func (f StageFunc) Process(ctx context.Context, d *Doc) error { return f.Fn(ctx, d) }
