package entity

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// Detection, 1: the names and roles of the knowledge base, and the short forms of the names
// found.

// kbMatch returns the longest KB match starting at token i and ending by limit, with the entries
// valid for the text there (roles only when roles is set).
func (r *run) kbMatch(i, limit int, roles bool) (end int, entries []*nameEntry) {
	t := r.s.names
	n := int32(0)
	for j := i; j < limit; j++ {
		if j > i && r.toks[j-1].gap < gapLoose {
			break
		}
		next, ok := t.step(n, r.toks[j].Key)
		if !ok {
			break
		}
		n = next
		var valid []*nameEntry
		for _, ei := range t.out[n] {
			e := &r.s.entries[ei]
			if (roles || !e.isRole()) && r.validCase(e, i, j+1) {
				valid = append(valid, e)
			}
		}
		if len(valid) > 0 {
			end, entries = j+1, valid
		}
	}
	return end, entries
}

// validCase checks the text against the KB's spelling: the case of Latin script, the letters
// of Arabic words (see nameEntry.arabic), and common words that are also names.
func (r *run) validCase(e *nameEntry, a, b int) bool {
	if r.toks[a].arabic {
		if e.arabic == nil {
			return true
		}
		for i := a; i < b; i++ {
			if !strings.HasSuffix(textnorm.NormalizeArabic(r.word(i)), e.arabic[i-a]) {
				return false
			}
		}
		return true
	}
	if e.isRole() {
		return true
	}
	if e.caps {
		// An acronym in capitals; from four letters on, also with only its first capital
		// ("Nato", "Jnim", "Cédéao"), which no common word is.
		for i := a; i < b; i++ {
			t := &r.toks[i]
			if !t.number && !t.allUpper && !(t.upper && utf8.RuneCountInString(t.Key) >= 4) {
				return false
			}
		}
		return true
	}
	if e.kind == mizan.NameDemonym && e.capMask&1 == 0 {
		return true // French demonyms are written in lower case
	}
	if b-a == 1 || e.capMask&1 != 0 {
		// The first word must be capitalised when the KB's is: "Security Council" is the UN's,
		// "security council" is anyone's; a one-word name must match its case.
		if e.capMask&1 != 0 && !r.toks[a].upper {
			return false
		}
		if b-a == 1 {
			return true
		}
	}
	if e.capMask == 0 {
		return true
	}
	// Every word the KB capitalises must be capitalised in the text ("Russia Today" the channel,
	// not "Russia today announced"), except short particles (al, el, de, bin), whose case
	// varies between spellings of the same name.
	some := false
	for i := a; i < b; i++ {
		if i-a >= 64 || e.capMask&(1<<(i-a)) == 0 {
			continue
		}
		switch {
		case r.toks[i].upper:
			some = true
		case utf8.RuneCountInString(r.toks[i].Key) >= 3:
			return false
		}
	}
	return some
}

// unambiguous reports whether a KB name that is also a common word (cues "ambiguous") is a name
// here: the tagger sees an entity, or a place preposition comes before it, or it continues a
// list of states ("النيجر ومالي"), or it opens its sentence.
func (r *run) unambiguous(i int) bool {
	if r.modelAt(i, "") != nil || r.cueTo(cuePlaceBefore, i) >= 0 {
		return true
	}
	if i == 0 || !r.sameSentence(i-1, i) {
		return true
	}
	t := &r.toks[i]
	if t.arabic && t.ArticleStart > t.Start && strings.HasPrefix(r.text[t.Start:], "و") {
		if x := r.at(i - 1); x != nil && x.typ == mizan.GPE {
			return true
		}
	}
	return false
}

// ambiguous drops the one-word KB names that are also common words where nothing says they are
// names (see unambiguous).
func (r *run) ambiguous() {
	for _, c := range r.cands {
		if !c.dead && c.method == mizan.MethodKB && c.t1-c.t0 == 1 && r.is(cueAmbiguous, c.t0) && !r.unambiguous(c.t0) {
			r.kill(c)
		}
	}
}

// matchKB finds the KB names (and roles) in tokens [a, b), longest first, and adds those that
// do not overlap a live mention.
func (r *run) matchKB(a, b int, roles bool) {
	type m struct {
		t0, t1  int
		entries []*nameEntry
	}
	var ms []m
	for i := a; i < b; i++ {
		if end, es := r.kbMatch(i, b, roles); end > 0 {
			ms = append(ms, m{i, end, es})
		}
	}
	sort.SliceStable(ms, func(i, j int) bool {
		li, lj := ms[i].t1-ms[i].t0, ms[j].t1-ms[j].t0
		if li != lj {
			return li > lj
		}
		return ms[i].t0 < ms[j].t0
	})
	for _, x := range ms {
		if r.free(x.t0, x.t1) {
			r.add(r.kbCand(x.t0, x.t1, x.entries))
		}
	}
}

// kbCand builds the mention of a KB match, choosing among the entries with the same key: a
// name before a demonym before a capital, roles last; a city that is also a capital keeps both
// readings for the resolver.
func (r *run) kbCand(t0, t1 int, es []*nameEntry) *cand {
	rank := func(e *nameEntry) int {
		switch {
		case e.isRole():
			return 4
		case e.kind == mizan.NameCanonical:
			return 0
		case e.kind == mizan.NameDemonym:
			return 2
		case e.kind == mizan.NameCapital:
			return 3
		}
		return 1
	}
	// Among names of the same rank, one in the text's language first: "مراكش" is Marrakesh in
	// Arabic and Morocco in Persian.
	lang := r.toks[t0].lang
	sameLang := func(e *nameEntry) bool { return e.lang == lang || strings.HasPrefix(e.lang, lang+"-") }
	best := es[0]
	for _, e := range es[1:] {
		switch {
		case rank(e) != rank(best):
			if rank(e) < rank(best) {
				best = e
			}
		case sameLang(e) != sameLang(best):
			if sameLang(e) {
				best = e
			}
		case e.entity < best.entity:
			best = e
		}
	}
	c := &cand{t0: t0, t1: t1, k0: t0, method: mizan.MethodKB, entry: best, dot: best.dot}
	if best.isRole() {
		c.typ, c.form, c.office, c.officeOf, c.conf = mizan.PERSON, mizan.FormRole, best.office, best.officeOf, 0.8
		return c
	}
	c.typ, c.entity = best.typ, best.entity
	switch best.kind {
	case mizan.NameDemonym:
		c.form, c.rule, c.conf = mizan.FormDemonym, "kb:demonym", 0.9
	case mizan.NameCapital:
		c.form, c.rule, c.conf = mizan.FormCapital, "kb:capital", 0.75
	case mizan.NameAbbrev:
		c.form, c.rule, c.conf = mizan.FormAbbrev, "kb:abbrev", 0.85
	case mizan.NameCanonical:
		c.form, c.rule, c.conf = mizan.FormName, "kb:name", 0.95
	default:
		c.form, c.rule, c.conf = mizan.FormName, "kb:alias", 0.9
	}
	if best.kind == mizan.NameAlias && t1-t0 == 1 {
		c.conf = 0.85
	}
	if best.kind != mizan.NameCapital && best.typ == mizan.LOC {
		for _, e := range es {
			if e.kind == mizan.NameCapital && !e.isRole() {
				c.capital = e
				break
			}
		}
	}
	return c
}

// trimTitles takes titles out of KB person names that include one ("General Toufik",
// "الفريق أول السعيد شنقريحة"): the span is the name.
func (r *run) trimTitles() {
	for _, c := range r.cands {
		if c.dead || c.typ != mizan.PERSON || c.office != "" {
			continue
		}
		if e := r.cueFrom(cueTitle, c.t0); e > c.t0 && e < c.t1 {
			for i := c.t0; i < e; i++ {
				r.cover[i] = 0
			}
			c.t0 = e
		}
	}
}

// givenNames joins a given name to the KB surname after it when it is a spelling of the
// person's given name ("Sergei" + "Lavrov" for a KB that knows "Sergey Lavrov"); when the
// tagger reads another person there ("Rifaat" + "Assad") the mention becomes that person.
func (r *run) givenNames() {
	for _, c := range r.cands {
		if c.dead || c.typ != mizan.PERSON || c.method != mizan.MethodKB || c.office != "" || c.t1-c.t0 != 1 {
			continue
		}
		p := c.t0 - 1
		if p < 0 || r.cover[p] != 0 || !r.joined(p, gapTight) || r.toks[p].arabic != r.toks[c.t0].arabic {
			continue
		}
		t := &r.toks[p]
		if r.is(cueStop, p) || r.is(cueParticle, p) || r.cueTo(cueTitle, p+1) >= 0 || t.number || (!t.arabic && !t.upper) {
			continue
		}
		same := false
		for _, g := range r.s.givens[c.entity] {
			if similarGiven(g, t.Key) {
				same = true
				break
			}
		}
		switch {
		case same:
			r.cover[p] = r.cover[c.t0]
			c.t0 = p
			c.rule = "kb:alias+given"
		case r.modelAt(p, "PER") != nil && r.modelAt(c.t0, "PER") != nil:
			r.cover[p] = r.cover[c.t0]
			c.t0 = p
			c.method, c.entity, c.entry, c.rule, c.conf = mizan.MethodModel, "", nil, "model:ner", r.modelAt(p, "PER").score
		}
	}
}

// surnames finds the short forms of the document's full person names among the words nothing
// else claimed ("Zaruki" after "Leila Zaruki").
func (r *run) surnames() {
	last := r.fullNames()
	if len(last) == 0 {
		return
	}
	for i := range r.toks {
		t := &r.toks[i]
		if r.cover[i] != 0 || t.number || r.is(cueStop, i) || r.is(cueParticle, i) {
			continue
		}
		n := utf8.RuneCountInString(t.Key)
		if t.arabic && n < 4 || !t.arabic && (!t.upper || n < 3) {
			continue
		}
		if len(last[t.Key]) == 0 {
			continue
		}
		if !t.arabic && r.headline(i) {
			continue
		}
		r.add(&cand{t0: i, t1: i + 1, method: mizan.MethodCoref, typ: mizan.PERSON, form: mizan.FormName, rule: "coref:surname", conf: 0.8})
	}
}

// fullNames maps the key of the last word of every person mention of two words or more to
// those mentions, in text order.
func (r *run) fullNames() map[string][]*cand {
	last := make(map[string][]*cand)
	for _, c := range r.live() {
		if c.dead || c.typ != mizan.PERSON || c.office != "" || r.words(c.t0, c.t1) < 2 {
			continue
		}
		k := r.toks[c.t1-1].Key
		last[k] = append(last[k], c)
	}
	return last
}
