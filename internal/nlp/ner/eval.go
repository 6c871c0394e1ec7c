package ner

import (
	"fmt"

	"github.com/mizan-osint/mizan/internal/evalkit"
)

// coreTypes are the types the "all" row sums: the ones every language's data annotates.
var coreTypes = map[string]bool{PER: true, ORG: true, LOC: true}

// Evaluate tags every sentence of sents with the lang tagger and scores the entities against
// the gold labels, counting exact spans of the same type (conlleval's measure). Rows: one per
// type found in gold or prediction (LOC, MISC, ORG, PER, ...) and "all" = PER+ORG+LOC. MISC and
// any other type are reported on their own rows but left out of "all", because only Arabic
// annotates MISC.
func Evaluate(m *Model, sents []Sentence, lang string) *evalkit.Report {
	return evaluate(m, sents, lang, false)
}

// evaluate is Evaluate, decoding under the news constraints if news is set.
func evaluate(m *Model, sents []Sentence, lang string, news bool) *evalkit.Report {
	rep := &evalkit.Report{Title: fmt.Sprintf("ner %s: exact-span entities, %d sentences", lang, len(sents))}
	if news {
		rep.Title += ", news constraints"
	}
	for _, ty := range []string{LOC, ORG, PER} {
		rep.Add(ty, evalkit.Counts{})
	}
	rep.Add("all", evalkit.Counts{})
	tokens := 0
	for _, s := range sents {
		tokens += len(s.Words)
		pred := m.tag(s.Tokens(), lang, news)
		for ty, c := range compareSpans(labelSpans(s.Labels), labelSpans(pred)) {
			rep.Add(ty, c)
			if coreTypes[ty] {
				rep.Add("all", c)
			}
		}
	}
	rep.Sort()
	rep.Notes = append(rep.Notes, fmt.Sprintf("%d tokens; all = PER+ORG+LOC (MISC and other types apart)", tokens))
	return rep
}

// compareSpans counts true positives (same start, end and type), false positives and false
// negatives per type.
func compareSpans(gold, pred []span) map[string]evalkit.Counts {
	out := map[string]evalkit.Counts{}
	goldSet := map[span]bool{}
	for _, g := range gold {
		goldSet[g] = true
	}
	predSet := map[span]bool{}
	for _, p := range pred {
		predSet[p] = true
		c := out[p.typ]
		if goldSet[p] {
			c.TP++
		} else {
			c.FP++
		}
		out[p.typ] = c
	}
	for _, g := range gold {
		if !predSet[g] {
			c := out[g.typ]
			c.FN++
			out[g.typ] = c
		}
	}
	return out
}
