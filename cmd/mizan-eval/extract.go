package main

import (
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
)

func init() {
	register("extract", func(string) ([]*evalkit.Report, error) {
		r, err := extract.Evaluate("internal/nlp/extract/testdata/eval")
		if err != nil {
			return nil, err
		}
		r.Title = "Article extraction: body lines found (project set: HTML pages and browser scrapes in en/fr/ar)"
		return []*evalkit.Report{r}, nil
	})
}
