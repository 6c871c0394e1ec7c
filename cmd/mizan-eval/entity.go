package main

import (
	"context"

	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

func init() {
	register("entity", func(string) ([]*evalkit.Report, error) {
		_, st, err := defaultEntityStage()
		if err != nil {
			return nil, err
		}
		// The evaluation documents come with paragraphs but not sentences: split them first, as
		// the pipeline does.
		stage := nlp.StageFunc{StageName: "sentence+entity", Fn: func(ctx context.Context, d *nlp.Doc) error {
			if err := (sentence.Stage{}).Process(ctx, d); err != nil {
				return err
			}
			return st.Process(ctx, d)
		}}
		var out []*evalkit.Report
		for _, set := range []struct{ dir, title string }{
			{"internal/nlp/entity/testdata/eval", "Entity mentions: detection (span+type) and linking (span+entity id) (project development set, en/fr/ar)"},
			{"internal/nlp/entity/testdata/eval/heldout", "Entity mentions: detection and linking (project held-out set, never used for tuning)"},
		} {
			r, err := entity.Evaluate(stage, set.dir)
			if err != nil {
				return nil, err
			}
			r.Title = set.title
			out = append(out, r)
		}
		return out, nil
	})
}
