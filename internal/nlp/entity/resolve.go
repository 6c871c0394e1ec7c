package entity

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// resolve links the mentions inside the document: short forms to full names, roles to people,
// capitals to their state or city, and sets the role each mention plays in the text.
func (r *run) resolve() {
	r.shortForms()
	r.roleHolders()
	r.capitals()
	r.mentionRoles()
}

func (r *run) live() []*cand {
	out := make([]*cand, 0, len(r.cands))
	for _, c := range r.cands {
		if !c.dead {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].t0 < out[j].t0 })
	return out
}

// shortForms links every one-word person mention to the full name with the same last word met
// nearest before it in the document, or else first after it.
func (r *run) shortForms() {
	last := r.fullNames()
	for _, c := range r.live() {
		if c.typ != mizan.PERSON || c.office != "" || r.words(c.t0, c.t1) != 1 {
			continue
		}
		fs := last[r.toks[c.t1-1].Key]
		// fs is in text order: the last full name before c, else the first after it.
		i := sort.Search(len(fs), func(i int) bool { return fs[i].t0 >= c.t0 })
		if len(fs) == 0 {
			continue
		}
		best := fs[0]
		if i > 0 {
			best = fs[i-1]
		}
		c.ref, c.method, c.rule = best, mizan.MethodCoref, "coref:surname"
		c.conf = min(0.85, max(c.conf, 0.8))
	}
}

// roleHolders resolves role mentions: to the person the text named in that office before, else
// to the KB's holder in the year the sentence gives, else at the document's date; else the
// mention stays one of the state or organisation the office belongs to.
func (r *run) roleHolders() {
	// The bindings of each office, in text order (they were recorded in mention order, which
	// is not text order).
	byOffice := make(map[string][]*binding)
	for i := range r.bindings {
		b := &r.bindings[i]
		if !b.p.dead {
			byOffice[b.office] = append(byOffice[b.office], b)
		}
	}
	for _, bs := range byOffice {
		sort.Slice(bs, func(i, j int) bool { return bs[i].pos < bs[j].pos })
	}
	for _, c := range r.live() {
		if c.office == "" {
			continue
		}
		if r.cueTo(cueFormer, c.t0) >= 0 || r.cueFrom(cueFormer, c.t1) > c.t1 && r.joined(c.t1-1, gapTight) {
			c.former = true
			if r.formerHolder(c) {
				continue
			}
		}
		// The person the text named in the office last before the mention (not for a former
		// holder: the person named is the current one).
		if bs := byOffice[c.office]; !c.former && len(bs) > 0 {
			if i := sort.Search(len(bs), func(i int) bool { return bs[i].pos >= c.t0 }); i > 0 {
				held := bs[i-1]
				c.ref, c.method, c.rule, c.conf = held.p, mizan.MethodCoref, "role:text", 0.8
				continue
			}
		}
		if y, ok := r.sentenceYear(c); ok && !c.former {
			from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(y, 12, 31, 12, 0, 0, 0, time.UTC)
			a, okA := r.holderAt(c.office, from)
			b, okB := r.holderAt(c.office, to)
			if okA && okB && a == b {
				r.linkHolder(c, a, fmt.Sprintf("role:kb %s@%d", c.office, y))
				continue
			}
		}
		if p := r.doc.Published; p != nil && !c.former {
			if h, ok := r.holderAt(c.office, *p); ok {
				r.linkHolder(c, h, fmt.Sprintf("role:kb %s@%s", c.office, p.UTC().Format("2006-01")))
				continue
			}
		}
		c.entity, c.method, c.rule, c.conf = c.officeOf, mizan.MethodKB, "role:office "+c.office, 0.6
		c.typ = mizan.ORG
		if e, ok := r.s.kb.Entity(c.officeOf); ok {
			c.typ = e.Type
		}
	}
}

// holderAt returns the person holding an office at t; when nobody does, the last holder if
// they left less than a month before t (news of the days after a death or a resignation still
// calls them by the office).
func (r *run) holderAt(office string, t time.Time) (string, bool) {
	if o, ok := r.s.kb.Holder(office, t); ok && o.Holder != "" {
		return o.Holder, true
	}
	best := ""
	var bestEnd time.Time
	for _, o := range r.s.kb.Office(office) {
		if o.End != nil && !o.End.After(t) && t.Sub(*o.End) <= 31*24*time.Hour && o.End.After(bestEnd) {
			best, bestEnd = o.Holder, *o.End
		}
	}
	return best, best != ""
}

// formerHolder links "the former Syrian president" to whoever held the office last before the
// holder at the document's date (or at the end of the year the sentence states).
func (r *run) formerHolder(c *cand) bool {
	var at time.Time
	switch y, ok := r.sentenceYear(c); {
	case ok:
		at = time.Date(y, 12, 31, 12, 0, 0, 0, time.UTC)
	case r.doc.Published != nil:
		at = *r.doc.Published
	default:
		return false
	}
	current, _ := r.s.kb.Holder(c.office, at)
	best := ""
	var bestEnd time.Time
	for _, o := range r.s.kb.Office(c.office) {
		if o.End == nil || o.End.After(at) || o.Holder == "" || current != nil && o.Holder == current.Holder {
			continue
		}
		if best == "" || o.End.After(bestEnd) {
			best, bestEnd = o.Holder, *o.End
		}
	}
	if best == "" {
		return false
	}
	r.linkHolder(c, best, fmt.Sprintf("role:kb %s@%s former", c.office, at.UTC().Format("2006-01")))
	return true
}

func (r *run) linkHolder(c *cand, person, rule string) {
	c.entity, c.typ, c.method, c.rule, c.conf = person, mizan.PERSON, mizan.MethodCoref, rule, 0.75
}

// sentenceYear returns the year the sentence of c dates itself to ("In 2024, …", "عام 2024").
func (r *run) sentenceYear(c *cand) (int, bool) {
	best, year := -1, 0
	for i := c.t0 - 1; i >= 0 && r.sameSentence(i, c.t0); i-- {
		if y, ok := r.yearAt(i); ok {
			best, year = i, y
			break
		}
	}
	if best < 0 {
		for i := c.t1; i < len(r.toks) && r.sameSentence(i, c.t0); i++ {
			if y, ok := r.yearAt(i); ok {
				return y, true
			}
		}
		return 0, false
	}
	return year, true
}

// yearAt reads a year at token i when a year cue comes before it ("in 2024").
func (r *run) yearAt(i int) (int, bool) {
	t := &r.toks[i]
	if !t.number || len(t.Key) != 4 || i == 0 || !r.is(cueYearBefore, i-1) || !r.joined(i-1, gapTight) {
		return 0, false
	}
	y := 0
	for _, d := range t.Key {
		y = y*10 + int(d-'0')
	}
	return y, y >= 1900 && y < 2100
}

// capitals decides, for every name that is both a city and its state's capital, which one the
// text means: the government when it acts, the city otherwise.
func (r *run) capitals() {
	for _, c := range r.live() {
		var gov *nameEntry
		switch {
		case c.capital != nil:
			gov = c.capital
		case c.entry != nil && c.entry.kind == mizan.NameCapital && c.office == "":
			gov = c.entry
		default:
			continue
		}
		if r.actor(c) {
			c.entity, c.typ, c.form, c.rule, c.conf = gov.entity, gov.typ, mizan.FormCapital, "kb:capital", 0.75
			continue
		}
		if c.capital != nil {
			continue // the city, as matched
		}
		// Only the capital reading is known (the KB lacks the city): the name stays the state's.
	}
}

// actor reports whether a capital's mention stands for its government.
func (r *run) actor(c *cand) bool {
	t0 := &r.toks[c.t0]
	if t0.arabic && t0.ArticleStart > t0.Start {
		// An attached preposition makes a place: "بطهران", "لطهران"; a conjunction does not.
		if pre := r.text[t0.Start:t0.ArticleStart]; strings.ContainsAny(pre, "بلك") {
			return false
		}
	}
	p := c.t0 - 1
	if p >= 0 && r.sameSentence(p, c.t0) {
		if r.cueTo(cueActorBefore, c.t0) >= 0 {
			return true
		}
		// Verb, subject, object: "وحذرت بكين واشنطن", "Kyiv accuses Tehran".
		if x := r.at(p); x != nil && x != c && (x.typ == mizan.GPE || x.capital != nil) && x.t1 == c.t0 && r.cueTo(cueActorBefore, x.t0) >= 0 {
			return true
		}
		if r.cueTo(cuePlaceBefore, c.t0) >= 0 {
			return false
		}
		if r.is(cueBetween, p) {
			return true
		}
		// "between Algiers and Tehran", "بين الجزائر وطهران": the second of a pair after between.
		q := p
		if t0.arabic && t0.ArticleStart > t0.Start {
			q = c.t0 // the conjunction is attached
		} else if !(r.toks[p].Key == "and" || r.toks[p].Key == "et") {
			q = -1
		}
		if q >= 0 {
			if x := r.at(q - 1); x != nil && x != c && r.is(cueBetween, x.t0-1) {
				return true
			}
		}
	}
	// The subject opening a sentence: "Rabat envisage de rappeler…", "Moscow hopes…".
	if k := c.t1; (c.t0 == 0 || !r.sameSentence(c.t0-1, c.t0)) && k < len(r.toks) && r.sameSentence(k, c.t0) &&
		r.joined(k-1, gapTight) && !t0.arabic && !r.toks[k].upper && !r.toks[k].number && !r.is(cueStop, k) &&
		!r.is(cueParticle, k) && r.toks[k].Key != "s" {
		return true
	}
	// Possessive: "Tehran's morality police".
	if k := c.t1; k < len(r.toks) && r.toks[k].Key == "s" && !r.toks[k].upper && r.joined(k-1, gapTight) {
		return true
	}
	// A verb after it, over adverbs, auxiliaries and other actors: "Algiers and Tehran then
	// multiplied", "Algiers, for its part, seeks".
	k := c.t1
	for steps := 0; k < len(r.toks) && steps < 8 && r.sameSentence(k, c.t0); steps++ {
		if !r.joined(k-1, gapTight) && !r.toks[k-1].comma {
			return false
		}
		if e := r.cueFrom(cueSkip, k); e > k {
			k = e
			continue
		}
		if r.cueFrom(cueActorAfter, k) > k {
			return true
		}
		if key := r.toks[k].Key; key == "and" || key == "et" {
			if x := r.at(k + 1); x != nil && (x.typ == mizan.GPE || x.capital != nil) {
				k = x.t1
				continue
			}
		}
		return false
	}
	return false
}

// mentionRoles marks bylines, credits, page furniture and cited sources.
func (r *run) mentionRoles() {
	cs := r.live()
	if len(cs) == 0 {
		return
	}
	// Lines that open with a byline, credit or furniture cue.
	lineRole := make(map[int32]mizan.MentionRole)
	lineFrom := make(map[int32]int)
	for li := range r.lineStart {
		f := r.tokAfter(r.lineStart[li])
		if f >= len(r.toks) || r.toks[f].line != int32(li) {
			continue
		}
		chars := r.lineChars(li)
		if e := r.cueFrom(cueByline, f); e > f && e < len(r.toks) && chars <= 100 && r.toks[e].line == int32(li) && (r.at(e) != nil || r.toks[e].upper || r.toks[e].arabic) {
			lineRole[int32(li)], lineFrom[int32(li)] = mizan.RoleByline, e
		} else if e := r.cueFrom(cueCredit, f); e > f && e < len(r.toks) && chars <= 200 && r.toks[e].line == int32(li) && r.creditOpener(f, e) {
			lineRole[int32(li)], lineFrom[int32(li)] = mizan.RoleCredit, e
		} else if e := r.cueFrom(cueBoiler, f); e > f && chars <= 200 {
			lineRole[int32(li)], lineFrom[int32(li)] = mizan.RoleBoiler, f
		}
	}
	parens := make(map[int]bool)
	for _, c := range cs {
		li := r.toks[c.t0].line
		if role, ok := lineRole[li]; ok && c.t0 >= lineFrom[li] {
			c.role = role
			continue
		}
		if r.inCreditParen(c, parens) {
			c.role = mizan.RoleCredit
			continue
		}
		if (c.typ == mizan.ORG || c.typ == mizan.GROUP) && r.cited(c) {
			c.role = mizan.RoleSource
		}
	}
}

func (r *run) lineChars(li int) int {
	a := r.lineStart[li]
	b := len(r.text)
	if li+1 < len(r.lineStart) {
		b = r.lineStart[li+1]
	}
	n := 0
	for range r.text[a:b] {
		n++
	}
	return n
}

// creditOpener reports whether the credit cue over tokens [f, e) opens a credit: followed by a
// colon ("Photo: X"), ending in "by" ("Photo by X"), or followed by a name on a short line.
func (r *run) creditOpener(f, e int) bool {
	if strings.Contains(r.text[r.toks[e-1].End:r.toks[e].Start], ":") {
		return true
	}
	switch r.toks[e-1].Key {
	case "by", "par":
		return true
	}
	return r.toks[e].arabic && r.at(e) != nil
}

// inCreditParen reports whether c lies inside a parenthesis of its line that holds a credit cue.
func (r *run) inCreditParen(c *cand, memo map[int]bool) bool {
	open, closeAt := r.parenAround(r.toks[c.t0].Start)
	if open < 0 {
		return false
	}
	if v, ok := memo[open]; ok {
		return v
	}
	v := false
	for t := r.tokAfter(open); t < len(r.toks) && r.toks[t].Start < closeAt; t++ {
		if r.cueFrom(cueCreditParen, t) > t {
			v = true
			break
		}
	}
	memo[open] = v
	return v
}

// cited reports whether an organisation is cited as a source: after "according to", "citing",
// "Source:"; before "reported"; or named as an outlet ("Saudi daily X", "the X newspaper").
func (r *run) cited(c *cand) bool {
	if r.cueFrom(cueMedia, c.t0) > c.t0 && c.t1-c.t0 > 1 {
		// The outlet's head noun opens its name: "صحيفة الشروق".
		return true
	}
	p := c.t0
	if p > 0 && r.cueTo(cueSourceBefore, p) >= 0 {
		return true
	}
	// Over a determiner, a media noun and a nationality: "according to the Saudi daily X".
	q := p
	if q > 0 && r.is(cueDeterminer, q-1) {
		q--
	}
	media := false
	for step := 0; step < 3 && q > 0; step++ {
		if s := r.cueTo(cueMedia, q); s >= 0 {
			q, media = s, true
			continue
		}
		if x := r.at(q - 1); x != nil && x.form == mizan.FormDemonym {
			q = x.t0
			continue
		}
		if r.is(cueDeterminer, q-1) {
			q--
			continue
		}
		break
	}
	if media || (q < p && q > 0 && r.cueTo(cueSourceBefore, q) >= 0) {
		return true
	}
	// One common noun between: "selon l'agence TAP", "according to the daily X".
	if q == p && q > 1 && !r.toks[q-1].upper && !r.toks[q-1].arabic && r.joined(q-1, gapTight) {
		q--
		if q > 0 && r.is(cueDeterminer, q-1) {
			q--
		}
		if q > 0 && r.cueTo(cueSourceBefore, q) >= 0 {
			return true
		}
	}
	k := c.t1
	if k < len(r.toks) && r.joined(k-1, gapTight) {
		if r.cueFrom(cueSourceAfter, k) > k {
			return true
		}
		if e := r.cueFrom(cueMedia, k); e > k {
			return true
		}
	}
	return false
}

// output turns the live candidates into mentions and discovered entities.
func (r *run) output() ([]mizan.Mention, []mizan.Entity) {
	cs := r.live()
	ix := r.doc.Index()
	// Spans first: a leading lower-case determiner leaves a KB name ("the UN" → "UN").
	for _, c := range cs {
		for c.t1-c.t0 > 1 && r.is(cueDeterminer, c.t0) && (!r.toks[c.t0].upper || c.entry != nil && !startsUpper(c.entry.text)) {
			c.t0++
		}
	}
	// Names and entities of the mentions that stand for themselves, then of those that refer.
	discovered := make(map[string]*mizan.Entity)
	for _, c := range cs {
		if c.ref == nil {
			r.settle(c, discovered)
		}
	}
	for _, c := range cs {
		if c.ref != nil {
			root := c.ref
			for i := 0; root.ref != nil && i < 8; i++ {
				root = root.ref
			}
			if root.canonical == "" {
				r.settle(root, discovered)
			}
			c.entity, c.canonical, c.typ = root.entity, root.canonical, root.typ
			if e := discovered[c.entity]; e != nil {
				r.addName(e, c, mizan.NameAlias)
			}
		}
	}
	ms := make([]mizan.Mention, 0, len(cs))
	for _, c := range cs {
		a, b := r.startByte(c), r.toks[c.t1-1].End
		if c.dot && b < len(r.text) && r.text[b] == '.' {
			b++
		}
		ms = append(ms, mizan.Mention{
			Doc:        r.doc.ID,
			Span:       ix.Span(a, b),
			Text:       r.text[a:b],
			Type:       c.typ,
			EntityID:   c.entity,
			Method:     c.method,
			Form:       c.form,
			Role:       c.role,
			Confidence: round3(c.conf),
			Rule:       c.rule,
			Canonical:  c.canonical,
		})
	}
	ents := make([]mizan.Entity, 0, len(discovered))
	for _, e := range discovered {
		ents = append(ents, *e)
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].ID < ents[j].ID })
	return ms, ents
}

// settle sets the entity and canonical name of a mention that does not refer to another.
func (r *run) settle(c *cand, discovered map[string]*mizan.Entity) {
	if c.entity != "" {
		if e, ok := r.s.kb.Entity(c.entity); ok {
			c.canonical = e.Name
		}
		return
	}
	if c.office != "" {
		return // a role that found no holder and no state (a KB without the office's owner)
	}
	a, b := r.startByte(c), r.toks[c.t1-1].End
	c.canonical = cleanName(r.text[a:b])
	if !r.s.opt.Discover {
		return
	}
	c.entity = DiscoveredID(c.typ, c.canonical)
	if c.rule == "" || !strings.HasPrefix(c.rule, "discovered") {
		c.rule = strings.TrimSpace("discovered " + c.rule)
	}
	e := discovered[c.entity]
	if e == nil {
		e = &mizan.Entity{ID: c.entity, Name: c.canonical, Type: c.typ, Source: "discovered"}
		discovered[c.entity] = e
	}
	r.addName(e, c, mizan.NameCanonical)
}

// addName records the surface form of c among the names of a discovered entity.
func (r *run) addName(e *mizan.Entity, c *cand, kind mizan.NameKind) {
	a, b := r.startByte(c), r.toks[c.t1-1].End
	text := cleanName(r.text[a:b])
	lang := r.toks[c.t0].lang
	for i, n := range e.Names {
		if n.Text == text && n.Lang == lang {
			if kind == mizan.NameCanonical && n.Kind != kind {
				e.Names[i].Kind = kind
			}
			return
		}
	}
	if kind == mizan.NameCanonical {
		for _, n := range e.Names {
			if n.Kind == mizan.NameCanonical {
				kind = mizan.NameAlias // one canonical name per language is enough
				break
			}
		}
	}
	e.Names = append(e.Names, mizan.Name{Text: text, Lang: lang, Kind: kind})
}

// startByte is where the span of c starts: after the Arabic proclitics of its first word, but
// with the article. textnorm's rule strips letters that only look like proclitics from names it
// does not list (باتروشيف، بوريطة، فولوديمير), so a KB name's own first word says where it starts;
// other Arabic names lose only a conjunction, or a preposition before the article.
func (r *run) startByte(c *cand) int {
	t := &r.toks[c.t0]
	if !t.arabic || t.ArticleStart == t.Start {
		return t.ArticleStart
	}
	if c.entry != nil && c.entry.arabic != nil {
		if i := c.t0 - c.k0; i >= 0 && i < len(c.entry.arabic) {
			return r.arabicStart(t, c.entry.arabic[i])
		}
	}
	if c.stem != "" {
		return r.arabicStart(t, c.stem)
	}
	if r.conjunction(c.t0) || t.StemStart > t.ArticleStart {
		return t.ArticleStart
	}
	return t.Start
}

// arabicStart returns where the word kw (normalised, without its article) starts in token t,
// keeping the text's article before it.
func (r *run) arabicStart(t *token, kw string) int {
	norm, m := textnorm.Normalize(r.text[t.Start:t.End], textnorm.Options{Arabic: true})
	if !strings.HasSuffix(norm, kw) {
		return t.ArticleStart
	}
	cut := len(norm) - len(kw)
	switch pre := norm[:cut]; {
	case strings.HasSuffix(pre, "لل"):
		cut -= len("ل") // ل + the article without its alef: the second ل is the article
	case strings.HasSuffix(pre, "ال"):
		cut -= len("ال")
	}
	return t.Start + m[cut]
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
