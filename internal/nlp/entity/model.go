package entity

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
)

// Detection, 3: the statistical tagger, for what the KB and the patterns missed.

// runModel tags, with each paragraph's language, the sentences where the tagger can add
// something, and keeps its entities as token ranges for the patterns to consult and
// modelMentions to add. The tagger costs most of the stage's time, so a Latin-script sentence
// whose capitalised words the KB has all matched is not tagged; Arabic has no capitals to tell,
// and is always tagged.
func (r *run) runModel() {
	m := r.s.model
	if m == nil || r.s.opt.NoModel || len(r.toks) == 0 {
		return
	}
	need := make(map[int32]bool)
	for i := range r.toks {
		t := &r.toks[i]
		switch {
		case need[t.sent]:
		case t.arabic:
			need[t.sent] = r.cover[i] == 0 && !r.is(cueStop, i) || r.is(cueAmbiguous, i)
		case t.upper && r.cover[i] == 0 && !r.is(cueStop, i) && !r.is(cueDeterminer, i):
			need[t.sent] = true
		}
	}
	// Consecutive sentences of one line and language are tagged together.
	for i := 0; i < len(r.toks); {
		if !need[r.toks[i].sent] {
			i++
			continue
		}
		j := i + 1
		for j < len(r.toks) && need[r.toks[j].sent] && r.toks[j].line == r.toks[i].line && r.toks[j].lang == r.toks[i].lang {
			j++
		}
		a, b := r.toks[i].Start, r.toks[j-1].End
		lang := r.toks[i].lang
		for _, e := range m.Entities(r.text[a:b], lang) {
			t0 := r.tokAfter(a + e.Start)
			t1 := r.tokBefore(a + e.End)
			if t0 < t1 {
				r.model = append(r.model, modelEnt{t0: t0, t1: t1, typ: e.Type, score: e.Score})
				if r.modelIdx == nil {
					r.modelIdx = make([]int32, len(r.toks))
				}
				for k := t0; k < t1; k++ {
					r.modelIdx[k] = int32(len(r.model))
				}
			}
		}
		i = j
	}
}

// tokAfter returns the first token ending after byte b.
func (r *run) tokAfter(b int) int {
	return sort.Search(len(r.toks), func(i int) bool { return r.toks[i].End > b })
}

// tokBefore returns one past the last token starting before byte b.
func (r *run) tokBefore(b int) int {
	return sort.Search(len(r.toks), func(i int) bool { return r.toks[i].Start >= b })
}

// modelAt returns the tagger's entity covering token i (of type typ unless typ is ""), at or
// above the threshold.
func (r *run) modelAt(i int, typ string) *modelEnt {
	if i < 0 || i >= len(r.modelIdx) || r.modelIdx[i] == 0 {
		return nil
	}
	m := &r.model[r.modelIdx[i]-1]
	if (typ == "" || m.typ == typ) && m.score >= r.s.opt.ModelThreshold {
		return m
	}
	return nil
}

var modelTypes = map[string]mizan.EntityType{ner.PER: mizan.PERSON, ner.ORG: mizan.ORG, ner.LOC: mizan.LOC, ner.MISC: mizan.MISC}

// modelMentions adds the tagger's entities that nothing else found, after cleaning them.
func (r *run) modelMentions() {
	for _, m := range r.model {
		typ, ok := modelTypes[m.typ]
		if !ok || m.score < r.s.opt.ModelThreshold || (typ == mizan.MISC && !r.s.opt.ModelMISC) {
			continue
		}
		a, b := m.t0, m.t1
		for a < b && !r.toks[a].arabic && r.is(cueDeterminer, a) {
			a++
		}
		for b > a && (r.is(cueStop, b-1) || r.toks[b-1].Key == "s" && !r.toks[b-1].upper || r.toks[b-1].number) {
			b--
		}
		if a >= b || !r.free(a, b) || r.headline(a) || slices.Contains(r.blocked[a:b], true) {
			continue
		}
		if !r.toks[a].arabic {
			upper := false
			for i := a; i < b; i++ {
				upper = upper || r.toks[i].upper
			}
			if !upper || !r.toks[a].upper && !r.is(cueParticle, a) {
				continue // lower-case words are not names here
			}
		} else if b-a == 1 && utf8.RuneCountInString(r.toks[a].Key) < 3 {
			continue
		}
		dates := true
		for i := a; i < b; i++ {
			dates = dates && (r.toks[i].number || r.is(cueStop, i))
		}
		if dates || r.adjective(a, b) {
			continue
		}
		r.add(&cand{t0: a, t1: b, method: mizan.MethodModel, typ: typ, form: mizan.FormName, rule: "model:ner", conf: m.score})
	}
}

// adjective reports whether a one-word Latin mention of the tagger is a nationality or
// regional adjective before a noun ("European diplomats", "the African continent"): the KB
// knows the demonyms of states, and the others are not entities.
func (r *run) adjective(a, b int) bool {
	if b-a != 1 || r.toks[a].arabic || b >= len(r.toks) || !r.joined(a, gapTight) {
		return false
	}
	next := &r.toks[b]
	if next.arabic || next.upper || next.number {
		return false
	}
	k := r.toks[a].Key
	for _, suf := range []string{"ean", "ian", "can", "ese", "ish"} {
		if strings.HasSuffix(k, suf) {
			return true
		}
	}
	return false
}

// headline reports whether the line of token i is set in title case ("Urgent Cairo
// Talks After The Vote") or is a section heading ("Strategic Realignment:"), where
// capitals say nothing about names.
func (r *run) headline(i int) bool {
	li := r.toks[i].line
	if r.headlines[li] != 0 {
		return r.headlines[li] > 0
	}
	a := r.lineStart[li]
	b := len(r.text)
	if int(li)+1 < len(r.lineStart) {
		b = r.lineStart[li+1]
	}
	long, caps := 0, 0
	for j := r.tokAfter(a); j < len(r.toks) && r.toks[j].Start < b; j++ {
		t := &r.toks[j]
		if t.arabic || utf8.RuneCountInString(t.Key) < 4 {
			continue
		}
		long++
		if t.upper {
			caps++
		}
	}
	line := strings.TrimSpace(r.text[a:b])
	heading := long >= 1 && caps == long && strings.HasSuffix(line, ":")
	// A title-case line is a headline, not a sentence: it does not end like one.
	sentence := strings.ContainsAny(lastRune(line), ".!?؟\"”»)")
	h := long >= 4 && caps*10 >= long*7 && !sentence || heading
	r.headlines[li] = -1
	if h {
		r.headlines[li] = 1
	}
	return h
}

func lastRune(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}
