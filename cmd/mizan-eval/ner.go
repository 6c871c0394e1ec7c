package main

import (
	"fmt"
	"os"

	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
)

func init() {
	register("ner", func(data string) ([]*evalkit.Report, error) {
		m, err := ner.Default()
		if err != nil {
			return nil, err
		}
		sets := []struct{ lang, path, format, name string }{
			{"ar", "ner/ar/anercorp-test.txt", "anercorp", "ANERcorp test"},
			{"en", "ner/en/wikiann/test.txt", "wikiann", "WikiANN English test"},
			{"fr", "ner/fr/wikiann/test.txt", "wikiann", "WikiANN French test"},
		}
		var reports []*evalkit.Report
		for _, s := range sets {
			p, err := needData(data, s.path)
			if err != nil {
				return nil, err
			}
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			sents, err := ner.ReadCoNLL(f, s.format)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			r := ner.Evaluate(m, sents, s.lang)
			r.Title = fmt.Sprintf("Statistical NER tagger on %s (%d sentences; exact span; 'all' = PER+ORG+LOC)", s.name, len(sents))
			reports = append(reports, r)
		}
		return reports, nil
	})
}
