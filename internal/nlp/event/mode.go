package event

import (
	"slices"
	"strings"

	"github.com/mizan-osint/mizan"
)

// modeWindow is how many words before a trigger its mode cues are read in ("did not meet",
// "plans to hold joint exercises", "may grant access").
const modeWindow = 6

// mode reads how the text presents the event of trigger unit ui: negated ("did not", "denied",
// "لم", "n'a pas"), possible ("may", "appears ready to", "قد"), planned ("plans to", "will",
// "scheduled for", "سوف", "rencontrera") or asserted. Negation wins, then possibility.
func (s *sentence) mode(ui int) mizan.Mode {
	m := s.units[ui].trig
	var neg, pos, plan bool
	for k := m.i - 1; k >= 0 && m.i-k <= modeWindow+2; k-- {
		t := s.toks[k]
		if t.punct != 0 && t.punct != ',' && t.punct != '،' {
			break
		}
		if t.ment >= 0 {
			continue
		}
		near := m.i-k <= modeWindow
		if t.in&cNegated != 0 && (near || len(t.key) > 4) {
			neg = true
		}
		if !near {
			continue
		}
		if t.in&cPossible != 0 {
			pos = true
		}
		if t.in&cPlanned != 0 || (t.in&cLight != 0 && s.futureForm(k)) {
			plan = true // a cue, or a light verb in the future ("tiendront des exercices")
		}
		if t.cue&(cClause|cRelative) != 0 && t.in&(cNegated|cPossible|cPlanned) == 0 {
			break
		}
	}
	// "ne ... pas" around a French verb: "ne" is before it, "pas" after it.
	if s.lang == "fr" && m.end < len(s.toks) && (s.toks[m.end].key == "pas" || s.toks[m.end].key == "jamais") {
		neg = true
	}
	for k := m.end; k < len(s.toks) && k-m.end < 5; k++ {
		if s.toks[k].punct != 0 && s.toks[k].punct != ',' && s.toks[k].punct != '،' {
			break
		}
		if s.toks[k].cue&cPlannedAfter != 0 {
			plan = true
		}
		if s.toks[k].cue&cNegatedAfter != 0 {
			neg = true
		}
	}
	if m.future {
		plan = true
	}
	if s.lang == "en" && !m.nominal && s.units[ui].prep == "to" {
		plan = true // an infinitive: "Algeria, Russia to cooperate", "threats to strike"
	}
	switch {
	case neg:
		return mizan.Negated
	case pos:
		return mizan.Possible
	case plan:
		return mizan.Planned
	}
	return mizan.Asserted
}

// timeFor picks the time of the event of trigger unit ui: the sentence's time expression
// nearest to the trigger outside the source phrase, resolved against the document date (in the
// future for a planned event). Without one the time is unknown: an event never takes a date its
// sentence does not give.
func (s *sentence) timeFor(ui int, mode mizan.Mode) mizan.TimeExpr {
	m := s.units[ui].trig
	attr := s.doc.attrs[s.doc.cur]
	best, bestDist := -1, 1<<30
	trigStart, trigEnd := s.toks[m.i].start, s.toks[m.end-1].end
	for i, ts := range s.times() {
		if attr.explicit && ts.start >= attr.srcStart && ts.end <= attr.srcEnd {
			continue
		}
		d := 0
		switch {
		case ts.end <= trigStart:
			d = s.tokensBetween(ts.end, trigStart)
			// A time in another clause is another event's, unless it opens the sentence ("In
			// early November, Algeria submitted...").
			if s.boundaryBetween(ts.end, trigStart) && s.tokensBetween(s.start, ts.start) > 2 {
				continue
			}
		case ts.start >= trigEnd:
			d = s.tokensBetween(trigEnd, ts.start)
			if s.boundaryBetween(trigEnd, ts.start) {
				continue
			}
		}
		if d < bestDist {
			best, bestDist = i, d
		}
	}
	if best < 0 {
		return mizan.TimeExpr{Precision: mizan.PrecisionUnknown}
	}
	ts := s.times()[best]
	ref := s.doc.ref
	ref.Future = mode == mizan.Planned
	t := ts.expr.Resolve(ref)
	if t.Precision == mizan.PrecisionUnknown {
		return mizan.TimeExpr{Precision: mizan.PrecisionUnknown}
	}
	sp := s.doc.ix.Span(ts.start, ts.end)
	t.Span = &sp
	return t
}

// tokensBetween counts the word tokens between two byte offsets.
func (s *sentence) tokensBetween(a, b int) int {
	n := 0
	for _, t := range s.toks {
		if t.start >= a && t.end <= b && t.punct == 0 {
			n++
		}
	}
	return n
}

// boundaryBetween reports a clause boundary between two byte offsets.
func (s *sentence) boundaryBetween(a, b int) bool {
	for _, t := range s.toks {
		if t.start < a || t.end > b {
			continue
		}
		switch {
		case t.punct == ';' || t.punct == ':' || t.punct == '؛' || (t.punct != 0 && isQuote(t.punct)):
			return true
		case t.punct == 0 && t.cue&(cClause|cRelative) != 0 && t.cue&cPrep == 0:
			return true
		}
	}
	return false
}

// hedges returns the hedging cues of a sentence ("reportedly", "sources suggest", "يُعتقد",
// "aurait").
func (s *sentence) hedges() []string {
	var out []string
	for k := 0; k < len(s.toks); k++ {
		t := s.toks[k]
		if t.cue&cHedge != 0 && t.ment < 0 {
			end := t.endOf(cHedge)
			c := strings.ToLower(s.text(k, end))
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
			k = end - 1
		}
	}
	return out
}
