package event

import (
	"strings"

	"github.com/mizan-osint/mizan"
)

// unitKind is what a unit of a clause is.
type unitKind uint8

const (
	uNP    unitKind = iota // a noun phrase (with the preposition or conjunction in front of it)
	uVerb                  // a verb that is not a trigger: a form of "be", a light verb, a verb of saying
	uTrig                  // a trigger
	uBound                 // a clause boundary: a punctuation mark other than a comma, "that", "which"
)

// unit is a chunk of a sentence: the level at which subjects, objects and slots are found.
type unit struct {
	kind  unitKind
	i, j  int    // tokens [i, j)
	prep  string // NP: the preposition in front ("with", "à", "ب"), "" for none
	cprep string // NP: the preposition of the phrase it is coordinated with ("with X and Y")
	pcue  cue    // NP: the classes of that preposition
	conj  bool   // NP: a conjunction in front ("and", "et", "و")
	comma bool   // a comma in front
	vcue  cue    // verb: its cue classes (be, light, speech)
	trig  *trigMatch
	mark  rune // boundary: the punctuation mark, 0 for a word
}

// trigMatch is a trigger found in a sentence.
type trigMatch struct {
	entries []*Trigger // the readings of the matched phrase, tried in lexicon order
	nominal bool
	i, end  int   // tokens [i, end), gaps included
	words   []int // the tokens of the trigger's own words
	passive bool
	future  bool // written in a future form (Arabic س, French -era)
	text    string
}

// findTriggers matches the trigger lexicon over the sentence's tokens and marks them.
func (s *sentence) findTriggers() {
	lx := s.lx
	blocked := func(k int) bool { return s.toks[k].ment >= 0 || s.toks[k].cue&(cClause|cRelative) != 0 }
	for i := 0; i < len(s.toks); i++ {
		t := &s.toks[i]
		if t.punct != 0 || t.ment >= 0 {
			continue
		}
		ms := lx.trig.matchAt(s.toks, i, blocked)
		future := false
		if len(ms) == 0 && len(lx.futurePrefixes) > 0 {
			// Arabic future: "سيلتقي" is "يلتقي" with the future prefix.
			for _, p := range lx.futurePrefixes {
				if strings.HasPrefix(t.key, p) && len(t.key) > len(p)+2 {
					saved := *t
					t.key, t.full = t.key[len(p):], strings.TrimPrefix(t.full, p)
					ms = lx.trig.matchAt(s.toks, i, blocked)
					*t = saved
					if len(ms) > 0 {
						future = true
						break
					}
				}
			}
		}
		if len(ms) == 0 {
			continue
		}
		best := ms[0]
		m := &trigMatch{i: i, end: best.end, words: best.words}
		var verbs, nouns []*Trigger
		for _, c := range ms {
			if len(c.words) != len(best.words) || c.end != best.end {
				break
			}
			if c.p.val%2 == 1 {
				nouns = appendUnique(nouns, lx.Triggers[c.p.val/2])
			} else {
				verbs = appendUnique(verbs, lx.Triggers[c.p.val/2])
			}
		}
		noun, strong := s.nounReading(i, best.end)
		switch {
		case len(nouns) > 0 && (len(verbs) == 0 || noun):
			m.nominal, m.entries = true, nouns
		case noun && strong:
			continue // a noun here, but the lexicon lists the word only as a verb ("signs of")
		default:
			m.entries = verbs
		}
		m.future = future || s.futureForm(i)
		m.text = s.text(i, best.end)
		s.trigs = append(s.trigs, m)
		i = best.end - 1
	}
}

func appendUnique(ts []*Trigger, t *Trigger) []*Trigger {
	for _, x := range ts {
		if x == t {
			return ts
		}
	}
	return append(ts, t)
}

// nounReading decides between the verb and the noun reading of a trigger at tokens [i, end)
// ("support", "attack", "signs"): the tagger's tag when it ran, else a determiner or a
// possessive in front, or "of" after it.
// The second result says the evidence is strong enough to drop a word the lexicon lists only as
// a verb.
func (s *sentence) nounReading(i, end int) (noun, strong bool) {
	if tag := s.toks[i].tag; tag != "" {
		return strings.HasPrefix(tag, "NN"), true
	}
	if s.lang == "en" && end < len(s.toks) && s.toks[end].key == "of" && end-i == 1 {
		return true, true
	}
	if i == 0 {
		return false, false
	}
	p := s.toks[i-1]
	if p.punct != 0 {
		return false, false
	}
	if p.in&(cDet|cLight) != 0 || p.key == "s" {
		return true, true
	}
	// Arabic: after a noun of a trigger, a word is its genitive ("اتفاقية تعاون").
	if s.lang == "ar" {
		for _, m := range s.trigs {
			if m.nominal && m.end == i {
				return true, false
			}
		}
	}
	// After a preposition a word is a noun, unless an infinitive ("to cooperate", "de coopérer").
	if p.cue&cPrep != 0 && p.key != "to" && !(s.lang == "fr" && infinitive(s.toks[i].key)) {
		return true, false
	}
	if p.ment >= 0 && s.ments[p.ment].Form == mizan.FormDemonym {
		return true, false
	}
	// "the Hamas attack": a name between a determiner and the word (but "The Houthis attacked").
	if p.ment >= 0 {
		if f := s.ments[p.ment].first; f > 0 && s.toks[f-1].in&cDet != 0 {
			return true, false
		}
	}
	return false, false
}

// infinitive reports a French infinitive ending.
func infinitive(k string) bool {
	return strings.HasSuffix(k, "er") || strings.HasSuffix(k, "ir") || strings.HasSuffix(k, "re")
}

// futureForm reports a French verb in the future tense ("rencontrera").
func (s *sentence) futureForm(i int) bool {
	for _, suf := range s.lx.futureSuffixes {
		if len(s.toks[i].key) > len(suf)+3 && strings.HasSuffix(s.toks[i].key, suf) {
			return true
		}
	}
	return false
}

// buildUnits chunks the sentence into units.
func (s *sentence) buildUnits() {
	trigAt := map[int]*trigMatch{}
	for _, m := range s.trigs {
		trigAt[m.i] = m
	}
	var (
		prep       string
		pcue       cue
		conj, comm bool
	)
	// Time expressions are phrases of their own: "في خريف 2022 خبرة القوات" is two.
	timeEdge := map[int]bool{}
	for _, ts := range s.times() {
		for k, t := range s.toks {
			if t.start == ts.start || (k > 0 && s.toks[k-1].end == ts.end) {
				timeEdge[k] = true
			}
		}
	}
	flush := func() { prep, pcue, conj, comm = "", 0, false, false }
	newNP := func(i int) {
		s.units = append(s.units, unit{kind: uNP, i: i, j: i + 1, prep: prep, pcue: pcue, conj: conj, comma: comm})
		flush()
	}
	for i := 0; i < len(s.toks); i++ {
		t := s.toks[i]
		last := len(s.units) - 1
		switch {
		case t.ment >= 0:
			m := s.ments[t.ment]
			// A mention is one noun phrase, or continues the one before it ("Russian Security
			// Council Secretary Nikolai Patrushev").
			if last >= 0 && s.units[last].kind == uNP && s.units[last].j == i && prep == "" && !conj && !comm && t.prep == "" && !t.conj &&
				!(s.afterName(s.units[last]) && m.Form != mizan.FormDemonym) && !s.newArabicObject(s.units[last], m) {
				s.units[last].j = m.last + 1
			} else {
				s.arabicClitics(t, &prep, &pcue, &conj)
				newNP(i)
				s.units[len(s.units)-1].j = m.last + 1
			}
			i = m.last
		case trigAt[i] != nil:
			m := trigAt[i]
			s.units = append(s.units, unit{kind: uTrig, i: i, j: m.end, trig: m, comma: comm, conj: conj || t.conj, prep: prep})
			flush()
			i = m.end - 1
		case t.punct == ',' || t.punct == '،':
			comm = true
		case t.punct != 0:
			s.units = append(s.units, unit{kind: uBound, i: i, j: i + 1, mark: t.punct})
			flush()
		case t.cue&cConj != 0 && t.cue&cPrep == 0:
			conj = true
			i = t.endOf(cConj) - 1
		case t.cue&(cClause|cRelative) != 0 && t.cue&cPrep == 0:
			end := t.endOf(cClause | cRelative)
			s.units = append(s.units, unit{kind: uBound, i: i, j: end})
			flush()
			i = end - 1
		case t.cue&cBetween != 0 && i+1 < len(s.toks) && isNumber(s.toks[i+1].key):
			// "between 300-500 soldiers": a quantity, not a preposition.
		case t.cue&cSpeech != 0 && s.afterDeterminer(i):
			// "the previously announced exercises": an adjective, not a verb of saying.
			if last >= 0 && s.units[last].kind == uNP && s.units[last].j == i && prep == "" && !conj && !comm {
				s.units[last].j = i + 1
			} else {
				newNP(i)
			}
		case t.cue&cPrep != 0 && t.cue&cDet != 0 && (last < 0 || s.units[last].kind != uNP || s.units[last].j != i) && prep == "":
			// French "des", "du": the article after a verb ("a livré des avions"), the preposition
			// after a noun ("la position des États-Unis").
			s.arabicClitics(t, &prep, &pcue, &conj)
			newNP(i)
		case t.cue&cPrep != 0 || (t.tag == "IN" && t.cue&(cClause|cRelative) == 0) || t.tag == "TO":
			end := i + 1
			if t.cue&cPrep != 0 {
				end = t.endOf(cPrep)
			}
			prep, pcue = s.keys(i, end), t.cue
			if t.conj {
				conj = true
			}
			i = end - 1
		case t.cue&(cBe|cLight|cSpeech) != 0 && t.cue&cDet == 0:
			end := t.endOf(cBe | cLight | cSpeech)
			s.units = append(s.units, unit{kind: uVerb, i: i, j: end, vcue: t.cue, comma: comm})
			flush()
			i = end - 1
		case t.cue&(cAux|cNegated|cPossible|cPlanned) != 0 && t.cue&(cDet|cActor|cPronoun) == 0,
			strings.HasPrefix(t.tag, "RB"):
			// Auxiliaries, adverbs and modal cues are transparent to the structure.
			i = max(i, t.endOf(cAux|cNegated|cPossible|cPlanned)-1)
		case strings.HasPrefix(t.tag, "VB") || t.tag == "MD":
			s.units = append(s.units, unit{kind: uVerb, i: i, j: i + 1, comma: comm})
			flush()
		default:
			s.arabicClitics(t, &prep, &pcue, &conj)
			det := t.cue&cDet != 0 && s.lang != "ar"
			if last >= 0 && s.units[last].kind == uNP && s.units[last].j == i && prep == "" && !conj && !comm && !det && !s.afterName(s.units[last]) && !timeEdge[i] {
				s.units[last].j = i + 1
			} else {
				newNP(i)
			}
		}
	}
	s.inheritPrepositions()
}

// inheritPrepositions gives a noun phrase coordinated with a prepositional phrase that
// phrase's preposition ("met with Tebboune and Algerian officials").
func (s *sentence) inheritPrepositions() {
	for k := 1; k < len(s.units); k++ {
		u, p := &s.units[k], s.units[k-1]
		if u.kind == uNP && u.prep == "" && u.conj && p.kind == uNP {
			if p.prep != "" {
				u.cprep = p.prep
			} else {
				u.cprep = p.cprep
			}
		}
	}
}

// afterName reports an Arabic noun phrase that ends with a name: the next word starts another
// phrase, since Arabic puts subject and object side by side after the verb ("زودت روسيا
// الجزائر", "التقى الرئيس تبون الرئيس الروسي بوتين"). A demonym after the name is still its
// adjective.
func (s *sentence) afterName(u unit) bool {
	if s.lang != "ar" || u.kind != uNP || u.j == 0 {
		return false
	}
	mi := s.toks[u.j-1].ment
	if mi < 0 {
		return false
	}
	m := &s.ments[mi]
	if m.last != u.j-1 || m.Form == mizan.FormDemonym {
		return false
	}
	r, _, _ := s.rank(m)
	return r >= 2 || m.Type == mizan.LOC
}

// newArabicObject reports an Arabic name that cannot continue the noun phrase before it: a
// state, organisation or place after a phrase that already has its demonym or name ("زار
// وفد إيراني الجزائر"). A person's name after a title does continue it ("الرئيس الجزائري
// تبون").
func (s *sentence) newArabicObject(u unit, m sentMention) bool {
	if s.lang != "ar" || m.Type == mizan.PERSON || m.Form == mizan.FormDemonym {
		return false
	}
	for k := u.i; k < u.j; k++ {
		if mi := s.toks[k].ment; mi >= 0 && mi != s.toks[m.first].ment {
			return true
		}
	}
	return false
}

// isNumber reports a key made of digits.
func isNumber(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	return true
}

// afterDeterminer reports a determiner right before token i, past adverbs ("the previously
// announced").
func (s *sentence) afterDeterminer(i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := s.toks[k]
		if t.punct != 0 || t.ment >= 0 {
			return false
		}
		if t.cue&cDet != 0 {
			return true
		}
		if t.in&cAux == 0 && !strings.HasSuffix(t.key, "ly") {
			return false
		}
	}
	return false
}

// unitOfToken maps every token to the unit holding it (-1 for none).
func (s *sentence) unitOfToken() []int {
	out := make([]int, len(s.toks))
	for i := range out {
		out[i] = -1
	}
	for k, u := range s.units {
		for t := u.i; t < u.j && t < len(out); t++ {
			out[t] = k
		}
	}
	return out
}

// arabicClitics turns the clitics written on an Arabic word into the preposition and the
// conjunction of the phrase it starts.
func (s *sentence) arabicClitics(t token, prep *string, pcue *cue, conj *bool) {
	if t.conj {
		*conj = true
	}
	if t.prep != "" && *prep == "" {
		*prep = t.prep
		*pcue = cPrep
		if t.prep == "ب" {
			*pcue |= cLocative
		}
		if t.prep == "ل" {
			*pcue |= cOwner | cGenitive
		}
	}
}

// keys joins the keys of tokens [i, j).
func (s *sentence) keys(i, j int) string {
	var b strings.Builder
	for k := i; k < j; k++ {
		if s.toks[k].punct != 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s.toks[k].key)
	}
	return b.String()
}

// text is the document text of tokens [i, j).
func (s *sentence) text(i, j int) string {
	if i >= j {
		return ""
	}
	return s.doc.text[s.toks[i].start:s.toks[j-1].end]
}

// hasWord reports whether any word of an NP unit is in a set of keys.
func (s *sentence) hasWord(u unit, set map[string]bool) bool {
	for k := u.i; k < u.j; k++ {
		if set[s.toks[k].key] {
			return true
		}
	}
	return false
}

// npCue reports whether a cue phrase of class c starts inside an NP unit.
func (s *sentence) npCue(u unit, c cue) bool {
	for k := u.i; k < u.j; k++ {
		if s.toks[k].cue&c != 0 || (s.toks[k].in&c != 0 && k == u.i) {
			return true
		}
	}
	return false
}
