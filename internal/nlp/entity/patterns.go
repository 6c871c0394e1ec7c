package entity

import (
	"strings"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

// Detection, 2: names the KB does not know, found by the cues of cues/*.txt.

// nameRun returns the end of the unknown name starting at token i (i when there is none): in
// Latin script capitalised words and particles, in Arabic script words up to a stop-word, a
// new conjunct or a mention.
func (r *run) nameRun(i int) int {
	if i >= len(r.toks) || r.cover[i] != 0 || r.cueFrom(cueTitle, i) > i {
		return i
	}
	if r.toks[i].arabic {
		return r.arabicRun(i)
	}
	j, words := i, 0
	for j < len(r.toks) && words < r.s.opt.MaxNameWords {
		t := &r.toks[j]
		if r.cover[j] != 0 || t.arabic || t.number || r.is(cueStop, j) && !(j > i && r.is(cueParticle, j)) {
			break
		}
		if r.is(cueParticle, j) && !t.upper {
			if j == i {
				break
			}
		} else if !t.upper {
			break
		} else {
			words++
		}
		j++
		if !r.joined(j-1, gapTight) {
			break
		}
	}
	for j > i && r.is(cueParticle, j-1) && !r.toks[j-1].upper {
		j--
	}
	// A possessive "'s" is not part of the name.
	if j > i+1 && r.toks[j-1].Key == "s" && !r.toks[j-1].upper {
		j--
	}
	return j
}

// arabicRun is nameRun for Arabic script: without capitals, a name ends at a stop-word, at a
// word with a proclitic conjunction or preposition (a new phrase), at a mention or punctuation,
// and after three words (particles such as عبد or بن do not count). The tagger, when it saw a
// person there, says where the name ends.
func (r *run) arabicRun(i int) int {
	j, words := i, 0
	for j < len(r.toks) && words < 3 {
		t := &r.toks[j]
		if !t.arabic || r.cover[j] != 0 || r.is(cueStop, j) || t.number {
			break
		}
		if j > i && r.conjunction(j) {
			break
		}
		if !r.is(cueParticle, j) {
			words++
		}
		j++
		if !r.joined(j-1, gapTight) {
			break
		}
	}
	for j > i && r.is(cueParticle, j-1) {
		j--
	}
	if j == i {
		return j
	}
	if m := r.modelAt(i, "PER"); m != nil {
		if m.t1 > i && m.t1 < j {
			j = m.t1
		}
	} else if r.words(i, j) > 2 {
		// Without the tagger's word, two words is the safer guess.
		for j > i+1 && r.words(i, j) > 2 {
			j--
		}
	}
	return j
}

// conjunction reports whether Arabic token i starts with the conjunction و or ف, which opens a
// new phrase. Other letters that look like proclitics often begin names (بوزيد، بوتفليقة،
// بلقاسم), so only these two end a name.
func (r *run) conjunction(i int) bool {
	t := &r.toks[i]
	if t.ArticleStart == t.Start {
		return false
	}
	c, _ := utf8.DecodeRuneInString(r.text[t.Start:])
	return c == 'و' || c == 'ف'
}

// orgHeads finds organisations named by a head word: "Advanced Warfighting School" (the head
// closes the name and the name runs back over capitalised words) and "حركة النهضة", "Front …"
// (the head opens it).
func (r *run) orgHeads() {
	for h := range r.toks {
		for _, hit := range r.hits[h] {
			switch hit.cue.kind {
			case cueOrgAfter:
				r.orgAfter(int(hit.start), int(hit.end), hit.cue.typ)
			case cueOrgBefore:
				r.orgBefore(int(hit.start), int(hit.end), hit.cue)
			}
		}
	}
}

func (r *run) orgAfter(h0, h1 int, typ mizan.EntityType) {
	if r.toks[h0].arabic || !r.toks[h0].upper {
		return
	}
	for i := h0; i < h1; i++ {
		if c := r.at(i); c != nil && (c.t0 < h0 || c.t1 > h1) {
			return // the head word belongs to a longer mention
		}
	}
	k := h0 - 1
	for k >= 0 && r.joined(k, gapTight) {
		t := &r.toks[k]
		connector := !t.upper && (t.Key == "of" || t.Key == "for" || t.Key == "and")
		if t.arabic || t.number || r.is(cueStop, k) && !r.is(cueParticle, k) && !connector {
			break
		}
		if t.Key == "s" && !t.upper {
			break // a possessive owns the organisation, it is not part of its name
		}
		if !t.upper && !(r.is(cueParticle, k) || connector) {
			break
		}
		if c := r.at(k); c != nil && (c.typ == mizan.PERSON || c.t1 > h0) {
			break
		}
		k--
	}
	start := k + 1
	// The name must start with a capitalised word and hold one besides the head.
	for start < h0 && !r.toks[start].upper {
		start++
	}
	if start >= h0 {
		return
	}
	// A mention inside the name must lie wholly inside it; one that reaches in from before cuts
	// the name there.
	if c := r.at(start); c != nil && c.t0 < start {
		start = c.t1
		if start >= h0 {
			return
		}
	}
	if c := r.at(start); c != nil && c.t0 == start && c.t1 == h1 {
		return
	}
	if r.headline(start) {
		return
	}
	r.replace(start, h1, &cand{method: mizan.MethodPattern, typ: typ, form: mizan.FormName, rule: "pattern:orghead", conf: 0.7})
}

func (r *run) orgBefore(h0, h1 int, cu *cue) {
	typ := cu.typ
	if !r.free(h0, h1) || h1 >= len(r.toks) || !r.joined(h1-1, gapTight) {
		return
	}
	var end int
	stem := ""
	if t := &r.toks[h0]; t.arabic {
		if t.StemStart > t.ArticleStart {
			return // a definite head is a common noun ("الحزب يدير"); a name follows a bare one
		}
		stem = cu.keys[0]
		end = h1
		for end < len(r.toks) && end-h1 < 3 {
			t := &r.toks[end]
			if !t.arabic || r.cover[end] != 0 || r.is(cueStop, end) {
				break
			}
			// After the first word, only definite words continue the name ("حزب العمال
			// الكردستاني", "المجلس الأعلى للأمن"); "شركة بايكار مكتبا" ends at بايكار.
			if end > h1 && !(t.ArticleStart == t.Start && t.StemStart > t.Start || r.genitive(end)) {
				break
			}
			end++
			if !r.joined(end-1, gapTight) {
				break
			}
		}
		// A demonym right after belongs to the name: "وزارة الخارجية الجزائرية".
		if c := r.at(end); end > h1 && c != nil && c.form == mizan.FormDemonym && c.t0 == end && r.joined(end-1, gapTight) {
			r.kill(c)
			end = c.t1
		}
	} else {
		end = r.nameRun(h1)
		if !r.toks[h0].upper {
			// A lower-case head introduces the name without being part of it: "le parti
			// Ennahda", "the company Baykar".
			if end > h1 && (r.words(h1, end) >= 2 || r.toks[h1].upper) {
				r.replace(h1, end, &cand{method: mizan.MethodPattern, typ: typ, form: mizan.FormName, rule: "pattern:orghead", conf: 0.7})
			}
			return
		}
	}
	if end <= h1 {
		return
	}
	r.replace(h0, end, &cand{method: mizan.MethodPattern, typ: typ, form: mizan.FormName, rule: "pattern:orghead", conf: 0.7, stem: stem})
}

// genitive reports whether Arabic token i is the preposition ل joined to a definite noun
// ("للأمن", "للطاقة"), which continues an organisation's name ("المجلس الأعلى للأمن") where a
// conjunction would start a new phrase.
func (r *run) genitive(i int) bool {
	t := &r.toks[i]
	pre := r.text[t.Start:t.ArticleStart]
	return (pre == "ل" || pre == "لـ") && t.StemStart > t.ArticleStart
}

// replace adds c over [a, b), removing the live mentions wholly inside; it does nothing when a
// mention crosses the boundary.
func (r *run) replace(a, b int, c *cand) {
	for i := a; i < b; i++ {
		if x := r.at(i); x != nil && (x.t0 < a || x.t1 > b) {
			return
		}
	}
	for i := a; i < b; i++ {
		if x := r.at(i); x != nil {
			r.kill(x)
		}
	}
	c.t0, c.t1 = a, b
	r.add(c)
}

// roleTitles looks at every KB role mention: followed by a person's name it is that person's
// title ("Russian Security Council Secretary Nikolai Patrushev"), after "NAME, the" an
// apposition; either way the text has named the holder of the office, and the role words give
// way to the names inside them ("Russian Security Council"). A role that is neither stays a
// role mention, resolved later.
func (r *run) roleTitles() {
	n := len(r.cands)
	for ci := 0; ci < n; ci++ {
		c := r.cands[ci]
		if c.dead || c.office == "" {
			continue
		}
		var p *cand
		k := c.t1
		// "the Russian foreign minister, Sergei Lavrov, said": a comma may separate the title.
		comma := k < len(r.toks) && r.toks[k-1].comma
		if k < len(r.toks) && (comma || r.joined(k-1, gapLoose)) {
			// A title may follow the role: "رئيس أركان الجيش الفريق أول السعيد شنقريحة".
			if e := r.cueFrom(cueTitle, k); e > k && e < len(r.toks) && r.joined(e-1, gapLoose) && r.free(k, e) {
				k = e
			}
			if x := r.at(k); x != nil && x.t0 == k && x.typ == mizan.PERSON && x.office == "" {
				p = x
			} else if e := r.nameRun(k); e > k && r.personAfterTitle(k, e, comma) {
				p = &cand{t0: k, t1: e, method: mizan.MethodPattern, typ: mizan.PERSON, form: mizan.FormName, rule: "pattern:title", conf: 0.8}
				r.add(p)
			}
		}
		if p == nil {
			p = r.appositive(c.t0)
		}
		if p == nil {
			continue
		}
		r.bindings = append(r.bindings, binding{office: c.office, p: p, pos: c.t0})
		r.kill(c)
		for i := c.t0; i < c.t1 || i < p.t0; i++ {
			r.blocked[i] = true // the role's words, and a title between it and the name
		}
		r.matchKB(c.t0, c.t1, false)
	}
}

// personAfterTitle decides whether the unknown words [k, e) after a title are a person's name:
// in Latin script two capitalised words, or one that the tagger reads as a person (or any
// capitalised word right after a KB role, without a comma between); in Arabic script, which has
// no capitals, only where the tagger reads a person.
func (r *run) personAfterTitle(k, e int, comma bool) bool {
	if r.toks[k].arabic {
		return r.modelAt(k, "PER") != nil
	}
	return r.words(k, e) >= 2 || r.modelAt(k, "PER") != nil || !comma && r.toks[k].upper
}

// appositive returns the person an apposition starting at token i refers to: "NAME, the …",
// "NAME, …" or "NAME، …"; it makes a pattern mention for an unknown name there.
func (r *run) appositive(i int) *cand {
	k := i - 1
	if k >= 0 && r.is(cueDeterminer, k) && r.joined(k, gapTight) {
		k--
	}
	if k < 0 || !r.toks[k].comma {
		return nil
	}
	if x := r.at(k); x != nil {
		if x.typ == mizan.PERSON && x.office == "" && x.t1 == k+1 {
			return x
		}
		return nil
	}
	start := r.nameBack(k)
	if start < 0 {
		return nil
	}
	p := &cand{t0: start, t1: k + 1, method: mizan.MethodPattern, typ: mizan.PERSON, form: mizan.FormName, rule: "pattern:appos", conf: 0.75}
	r.add(p)
	return p
}

// nameBack returns the start of an unknown name ending at token k (inclusive), or -1: two or
// more capitalised words (one when the tagger saw a person there), or up to three Arabic words.
func (r *run) nameBack(k int) int {
	if r.cover[k] != 0 {
		return -1
	}
	j := k
	if r.toks[k].arabic {
		for j >= 0 && k-j < 3 && r.toks[j].arabic && r.cover[j] == 0 && !r.is(cueStop, j) && (j == k || r.joined(j, gapTight)) {
			if j < k && r.toks[j+1].ArticleStart > r.toks[j+1].Start {
				break
			}
			j--
		}
		m := r.modelAt(k, "PER")
		if j == k || m == nil {
			return -1
		}
		return max(j+1, m.t0)
	}
	for j >= 0 && k-j < r.s.opt.MaxNameWords+2 && r.cover[j] == 0 && (j == k || r.joined(j, gapTight)) {
		t := &r.toks[j]
		if t.arabic || t.number || (r.is(cueStop, j) && !r.is(cueParticle, j)) {
			break
		}
		if !t.upper && !(r.is(cueParticle, j) && j < k) {
			break
		}
		j--
	}
	start := j + 1
	for start <= k && !r.toks[start].upper {
		start++
	}
	if start > k {
		return -1
	}
	if r.words(start, k+1) < 2 && r.modelAt(k, "PER") == nil {
		return -1
	}
	return start
}

// titles applies the title cues of the cue files: the name after a title ("President X",
// "le général X", "الرئيس X", "the city of X") is a mention of the cue's type.
func (r *run) titles() {
	for i := range r.toks {
		e := r.cueFrom(cueTitle, i)
		if e < 0 || e >= len(r.toks) || !r.free(i, e) || !r.joined(e-1, gapLoose) {
			continue
		}
		var typ mizan.EntityType
		for _, h := range r.hits[i] {
			if h.cue.kind == cueTitle && int(h.end) == e {
				typ = h.cue.typ
			}
		}
		if x := r.at(e); x != nil {
			if x.t0 == e && x.typ == mizan.PERSON {
				for k := i; k < e; k++ {
					r.blocked[k] = true
				}
			}
			continue
		}
		end := r.nameRun(e)
		if end <= e {
			continue
		}
		if r.toks[e].arabic {
			// Adjectives between a title and a known name ("المبعوث الأممي ستافان دي ميستورا") are
			// not a name of their own.
			if x := r.at(end); x != nil && x.t0 == end && x.typ == mizan.PERSON && r.joined(end-1, gapTight) {
				continue
			}
		}
		want := "PER"
		if typ == mizan.LOC {
			want = "LOC"
		}
		if (r.toks[e].arabic || r.words(e, end) < 2) && r.modelAt(e, want) == nil {
			// "General Staff": one capitalised word after a title is too weak alone, and Arabic
			// has no capitals to tell a name from the next word ("أمام البرلمان").
			continue
		}
		for k := i; k < e; k++ {
			r.blocked[k] = true
		}
		rule, conf := "pattern:title", 0.8
		if typ != mizan.PERSON {
			rule, conf = "pattern:place", 0.75
		}
		r.add(&cand{t0: e, t1: end, method: mizan.MethodPattern, typ: typ, form: mizan.FormName, rule: rule, conf: conf})
	}
}

// bylines finds the names that a line opener announces, which no other pattern does: authors
// after a byline cue ("By X and Y", "بقلم X"), photographers after a credit cue ("Photo: X") and
// outlets after "Source:"; and the names inside a credit parenthesis ("(Ivan Petrov, Sputnik,
// Pool Photo via AP)").
func (r *run) bylines() {
	for li := range r.lineStart {
		f := r.tokAfter(r.lineStart[li])
		if f >= len(r.toks) || r.toks[f].line != int32(li) {
			continue
		}
		typ, strong := mizan.PERSON, false
		e := r.cueFrom(cueByline, f)
		if e < 0 {
			if e = r.cueFrom(cueCredit, f); e < 0 || e >= len(r.toks) || !r.creditOpener(f, e) {
				typ = mizan.ORG
				if e = r.cueFrom(cueSourceBefore, f); e < 0 || e >= len(r.toks) || !strings.Contains(r.text[r.toks[e-1].End:r.toks[e].Start], ":") {
					continue
				}
			}
		}
		if e < len(r.toks) && strings.ContainsAny(r.text[r.toks[e-1].End:r.toks[e].Start], ":") || r.toks[e-1].Key == "by" {
			strong = true // "Photo: X", "Photo by X": one capitalised word is a name there
		}
		r.namesFrom(e, int32(li), -1, typ, strong, "pattern:byline")
	}
	done := make(map[int]bool)
	for i := range r.toks {
		if r.cueFrom(cueCreditParen, i) < 0 {
			continue
		}
		open, closeAt := r.parenAround(r.toks[i].Start)
		if open < 0 || done[open] {
			continue
		}
		done[open] = true
		r.namesFrom(r.tokAfter(open), r.toks[i].line, closeAt, mizan.PERSON, false, "pattern:credit")
	}
}

// namesFrom adds the unknown names of a list starting at token k on line li (and before byte
// limit when it is not -1): names joined by "and", "et", commas, slashes, or an attached "و".
func (r *run) namesFrom(k int, li int32, limit int, typ mizan.EntityType, strong bool, rule string) {
	for k < len(r.toks) && r.toks[k].line == li && (limit < 0 || r.toks[k].Start < limit) {
		if x := r.at(k); x != nil {
			k = x.t1
		} else if end := r.nameRun(k); end > k && (limit < 0 || r.toks[end-1].End <= limit) && !r.partOfName(end) &&
			(r.words(k, end) >= 2 || r.modelAt(k, "") != nil || strong && r.toks[k].upper) {
			t := typ
			if m := r.modelAt(k, ""); m != nil {
				if mt, ok := modelTypes[m.typ]; ok && mt != mizan.MISC {
					t = mt // "Photo: Anadolu Agency" is an organisation
				}
			}
			r.add(&cand{t0: k, t1: end, method: mizan.MethodPattern, typ: t, form: mizan.FormName, rule: rule, conf: 0.75})
			k = end
		} else if limit >= 0 {
			k++ // inside a parenthesis, skip the words that are not names ("Pool Photo via")
			continue
		} else {
			return
		}
		switch {
		case k >= len(r.toks):
		case r.toks[k].Key == "and" || r.toks[k].Key == "et":
			k++
			continue
		case r.toks[k].arabic && r.toks[k].ArticleStart > r.toks[k].Start:
			continue
		case strings.ContainsAny(r.text[r.toks[k-1].End:r.toks[k].Start], ",/،"):
			continue
		}
		if limit < 0 {
			return
		}
	}
}

// partOfName reports whether the words before token end run on into a mention ("Ville" in
// "Ville de Tindouf"): they are then part of a longer name, not a name of their own.
func (r *run) partOfName(end int) bool {
	k := end
	if k < len(r.toks) && r.is(cueParticle, k) && r.joined(k-1, gapTight) {
		k++
	}
	return k < len(r.toks) && r.cover[k] != 0 && r.joined(k-1, gapTight)
}

// parenAround returns the byte offsets of the "(" before b and the ")" after it on the same
// line, or -1, -1 when b is not inside a parenthesis.
func (r *run) parenAround(b int) (open, closeAt int) {
	// Credits are short: look no further than maxParen bytes either way, which also keeps a
	// text of one endless line from costing a scan of the line per mention.
	ls := max(strings.LastIndexByte(r.text[max(0, b-maxParen):b], '\n')+1+max(0, b-maxParen), 0)
	open = -1
	for i := b - 1; i >= ls; i-- {
		if r.text[i] == ')' {
			return -1, -1
		}
		if r.text[i] == '(' {
			open = i
			break
		}
	}
	if open < 0 {
		return -1, -1
	}
	end := strings.IndexAny(r.text[b:min(len(r.text), b+maxParen)], ")\n")
	if end < 0 || r.text[b+end] != ')' {
		return -1, -1
	}
	return open, b + end
}

// maxParen bounds the length of a credit parenthesis, in bytes.
const maxParen = 400

// aliases links the other name given to a person ("Mohamed Mediene (alias Toufik)",
// "محمد مدين المدعو توفيق") to that person.
func (r *run) aliases() {
	for a := range r.toks {
		e := r.cueFrom(cueAlias, a)
		if e < 0 || e >= len(r.toks) || a == 0 || !r.free(a, e) || !r.sameSentence(a, e) {
			continue
		}
		p := r.at(a - 1)
		if p == nil || p.typ != mizan.PERSON || p.office != "" || p.t1 != a || !r.sameSentence(a-1, a) {
			continue
		}
		if x := r.at(e); x != nil {
			if x.t0 == e && x.typ == mizan.PERSON && x.office == "" && x.entity == "" {
				x.ref, x.method, x.rule = p, mizan.MethodCoref, "coref:alias"
			}
			continue
		}
		end := r.nameRun(e)
		if end <= e {
			continue
		}
		r.add(&cand{t0: e, t1: end, method: mizan.MethodCoref, typ: mizan.PERSON, form: mizan.FormName, rule: "coref:alias", conf: 0.8, ref: p})
	}
}

// appositions applies the apposition cues: "Leila Zaruki, the … special envoy" names a person
// before the comma.
func (r *run) appositions() {
	for k := range r.toks {
		if !r.toks[k].comma || k+1 >= len(r.toks) {
			continue
		}
		j := k + 1
		if r.is(cueDeterminer, j) {
			j++
		}
		found := false
		for x := j; x < len(r.toks) && x < j+7; x++ {
			if r.cueFrom(cueAppos, x) > 0 {
				found = true
				break
			}
			if r.toks[x].gap == gapNone {
				break // the apposition ends at the next punctuation
			}
		}
		if !found || r.cover[k] != 0 {
			continue
		}
		start := r.nameBack(k)
		if start < 0 {
			continue
		}
		r.add(&cand{t0: start, t1: k + 1, method: mizan.MethodPattern, typ: mizan.PERSON, form: mizan.FormName, rule: "pattern:appos", conf: 0.75})
	}
}
