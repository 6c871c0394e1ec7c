package event

import (
	"strings"
	"unicode"

	"github.com/mizan-osint/mizan"
)

// sentAttr is who a sentence says asserts its claims.
type sentAttr struct {
	attribution mizan.Attribution
	span        *mizan.Span
	// srcStart and srcEnd are the byte range of the source phrase: a trigger inside it
	// ("the statement by...") is not a claim.
	srcStart, srcEnd int
	cue              string // the words that introduced the source ("according to", "said")
	// anonymousAccording: an anonymous or documentary source given by "according to": the
	// claim is reported, not asserted, and counts as hedged.
	anonymousAccording bool
	explicit           bool // found in the sentence itself
	colon              bool // "According to X:" frames what follows
}

// attrCand is a source phrase found in a sentence.
type attrCand struct {
	i, j     int // tokens of the source phrase
	cue      string
	prio     int // lower first: "according to" and verbs of saying before "citing"
	pos      int // token where the cue stands
	accord   bool
	external bool // the phrase came after a closing quotation mark (a quote frame)
}

// attributions finds every sentence's attribution, then spreads quote frames and colon frames
// to the sentences they cover. A sentence with none is the author's.
func (dc *docCtx) attributions() {
	dc.attrs = make([]sentAttr, len(dc.sents))
	for i, s := range dc.sents {
		dc.cur = i
		if a, ok := s.ownAttribution(); ok {
			dc.attrs[i] = a
		}
	}
	dc.quoteFrames()
	for i := range dc.sents {
		if dc.attrs[i].explicit && dc.attrs[i].colon {
			for k := i + 1; k < len(dc.sents) && dc.sents[k].para == dc.sents[i].para; k++ {
				if dc.attrs[k].attribution.Kind != "" {
					break
				}
				a := dc.attrs[i]
				a.explicit = false
				dc.attrs[k] = a
			}
		}
	}
	for i := range dc.attrs {
		if dc.attrs[i].attribution.Kind == "" {
			dc.attrs[i] = sentAttr{attribution: mizan.Attribution{Kind: mizan.AttrAuthor, Text: dc.d.Outlet}}
		}
	}
}

// quoteFrames gives the sentences inside a quotation the attribution of the frame around it:
// `"Patrushev met with... . The parties discussed...," the statement by the
// ministry read.`
func (dc *docCtx) quoteFrames() {
	type quote struct{ a, b int }
	var quotes []quote
	open := -1
	for i, r := range dc.text {
		switch r {
		case '“', '«', '„':
			open = i
		case '”', '»':
			if open >= 0 {
				quotes = append(quotes, quote{open, i})
				open = -1
			}
		case '"':
			if open >= 0 {
				quotes = append(quotes, quote{open, i})
				open = -1
			} else {
				open = i
			}
		case '\n':
			if strings.HasPrefix(dc.text[i:], "\n\n") {
				open = -1 // a quotation does not run over a paragraph break
			}
		}
	}
	for _, q := range quotes {
		var frame *sentAttr
		for i, s := range dc.sents {
			a := &dc.attrs[i]
			if !a.explicit || s.end < q.a || s.start > q.b+4 {
				continue
			}
			if a.srcStart > q.b || a.srcEnd <= q.a {
				frame = a
			}
		}
		if frame == nil {
			continue
		}
		for i, s := range dc.sents {
			if s.end > q.a && s.start < q.b && !dc.attrs[i].explicit {
				a := *frame
				a.explicit = false
				dc.attrs[i] = a
			}
		}
	}
}

// ownAttribution finds the source a sentence names: "according to X", "X said", `"...",
// notes X`, "تشير مصادر ...".
func (s *sentence) ownAttribution() (sentAttr, bool) {
	var cands []attrCand
	for k := 0; k < len(s.toks); k++ {
		t := s.toks[k]
		if t.cue&cAccording == 0 || t.ment >= 0 {
			continue
		}
		end := t.endOf(cAccording)
		i, j := end, s.phraseEnd(end)
		if j > i {
			prio := 0
			cue := strings.ToLower(s.text(k, end))
			if strings.HasPrefix(cue, "cit") || strings.HasPrefix(cue, "quot") {
				prio = 2
			}
			cands = append(cands, attrCand{i: i, j: j, cue: cue, prio: prio, pos: k, accord: true})
		}
		k = end - 1
	}
	for ui, u := range s.units {
		if u.kind != uVerb || u.vcue&cSpeech == 0 {
			continue
		}
		if i, j, ext, ok := s.speaker(ui); ok {
			cands = append(cands, attrCand{i: i, j: j, cue: strings.ToLower(s.text(u.i, u.j)), prio: 1, pos: u.i, external: ext})
		}
	}
	if len(cands) == 0 {
		return sentAttr{}, false
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if c.prio < best.prio {
			best = c
		}
	}
	a, anaphoric := s.classify(best.i, best.j)
	if anaphoric {
		if prev, ok := s.doc.previousAttribution(); ok {
			prev.explicit = true
			prev.srcStart, prev.srcEnd = s.toks[best.i].start, s.toks[best.j-1].end
			return prev, true
		}
	}
	for k := range s.toks {
		if s.toks[k].cue&cAnonymity != 0 {
			a.Kind = mizan.AttrAnonymous
		}
	}
	sp := s.doc.ix.Span(s.toks[best.i].start, s.toks[best.j-1].end)
	a.Span = &sp
	out := sentAttr{attribution: a, span: &sp, srcStart: s.toks[best.i].start, srcEnd: s.toks[best.j-1].end, cue: best.cue, explicit: true}
	out.anonymousAccording = best.accord && (a.Kind == mizan.AttrAnonymous || a.Kind == mizan.AttrDocument)
	if best.j < len(s.toks) && s.toks[best.j].punct == ':' {
		out.colon = true
	}
	return out, true
}

// phraseEnd returns the end of a source phrase starting at token i: the next comma, clause
// boundary or verb of saying.
func (s *sentence) phraseEnd(i int) int {
	trig := map[int]bool{}
	for _, m := range s.trigs {
		trig[m.i] = true
	}
	j := i
	for j < len(s.toks) && j-i < 16 && !trig[j] {
		t := s.toks[j]
		if t.ment < 0 && (t.punct == ',' || t.punct == '،' || t.punct == ':' || t.punct == ';' || t.punct == '.' || t.punct == '(' ||
			t.cue&(cClause|cSpeech) != 0) {
			break
		}
		j++
	}
	for j > i && s.toks[j-1].punct != 0 {
		j--
	}
	return j
}

// speaker returns the source phrase of a verb of saying at unit ui: the noun phrase before it
// ("Lavrov said", "the statement by the ministry read") or, when the verb comes
// first ('", notes a former official', "تشير مصادر"), the one after it.
func (s *sentence) speaker(ui int) (i, j int, external, ok bool) {
	u := s.units[ui]
	after := func() (int, int, bool) {
		k := ui + 1
		if k < len(s.units) && s.units[k].kind == uNP && s.units[k].prep == "" {
			// The noun phrase and what qualifies it ("a former official of the ministry",
			// "speaking on condition of anonymity"), not the content after "إلى", "that".
			a, b := s.units[k].i, s.units[k].j
			for n := k + 1; n < len(s.units) && s.units[n].kind == uNP && (s.units[n].pcue&(cOwner|cAgent) != 0 || s.units[n].comma && s.npCue(s.units[n], cAnonymity)); n++ {
				b = s.units[n].j
			}
			return a, b, true
		}
		return 0, 0, false
	}
	before := func() (int, int, bool) {
		for k := ui - 1; k >= 0 && ui-k <= 5; k-- {
			p := s.units[k]
			if p.kind == uBound || p.kind == uTrig || p.kind == uVerb {
				return 0, 0, false
			}
			if p.kind == uNP && p.prep == "" {
				// The phrase runs from this noun phrase to the verb ("the statement by X").
				end := u.i
				for end > p.i && s.toks[end-1].punct != 0 {
					end--
				}
				return p.i, end, true
			}
		}
		return 0, 0, false
	}
	inverted := ui > 0 && (s.units[ui-1].kind == uBound && isQuote(s.units[ui-1].mark) || u.comma)
	if s.lang == "ar" || inverted {
		if a, b, ok := after(); ok {
			return a, b, inverted, true
		}
	}
	if a, b, ok := before(); ok {
		return a, b, ui > 0 && u.comma, true
	}
	if a, b, ok := after(); ok {
		return a, b, false, true
	}
	return 0, 0, false, false
}

// classify tells what kind of source a phrase names, and whether it only points back at one
// named before ("the source", "he").
func (s *sentence) classify(i, j int) (mizan.Attribution, bool) {
	a := mizan.Attribution{Text: strings.TrimFunc(s.text(i, j), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })}
	var person, org, media, gpe, demonym *sentMention
	var anonymous, mediaWord, document, pronoun, definite bool
	for k := i; k < j; k++ {
		t := s.toks[k]
		if mi := t.ment; mi >= 0 && (k == i || s.toks[k-1].ment != mi) {
			m := &s.ments[mi]
			switch {
			case m.Role == mizan.RoleCredit || m.Role == mizan.RoleByline || m.Role == mizan.RoleBoiler || m.EntityID == "":
			case m.Type == mizan.PERSON && person == nil:
				person = m
			case (m.Type == mizan.ORG || m.Type == mizan.GROUP) && s.doc.st.isMedia(m) && media == nil:
				media = m
			case (m.Type == mizan.ORG || m.Type == mizan.GROUP) && org == nil:
				org = m
			case m.Type == mizan.GPE && m.Form == mizan.FormDemonym && demonym == nil:
				demonym = m
			case m.Type == mizan.GPE && gpe == nil:
				gpe = m
			}
			continue
		}
		if t.ment >= 0 {
			continue
		}
		if t.in&(cAnonymous|cAnonymity) != 0 {
			anonymous = true
		}
		if t.in&cMedia != 0 {
			mediaWord = true
		}
		if t.in&cDocument != 0 {
			document = true
		}
		if t.cue&cPronoun != 0 && j-i <= 2 {
			pronoun = true
		}
		if k == i && t.cue&cDet != 0 && (t.key == "the" || t.key == "le" || t.key == "la" || t.key == "l") {
			definite = true
		}
	}
	if s.lang == "ar" && j > i && s.toks[i].full != s.toks[i].key && strings.HasPrefix(s.toks[i].full, "ال") {
		definite = true
	}
	switch {
	case person != nil:
		a.Kind, a.Entity = mizan.AttrNamedPerson, person.EntityID
	case media != nil:
		a.Kind, a.Entity = mizan.AttrMedia, media.EntityID
	case mediaWord:
		a.Kind = mizan.AttrMedia
		if org != nil {
			a.Entity = org.EntityID
		}
	case document:
		a.Kind = mizan.AttrDocument
		if org != nil {
			a.Entity = org.EntityID
		}
	case anonymous && definite && org == nil:
		a.Kind = mizan.AttrAnonymous
		return a, true // "the source explains": the source named before
	case anonymous:
		a.Kind = mizan.AttrAnonymous
		if org != nil {
			a.Entity = org.EntityID
		}
	case org != nil:
		a.Kind, a.Entity = mizan.AttrNamedOrg, org.EntityID
	case gpe != nil:
		a.Kind, a.Entity = mizan.AttrNamedOrg, gpe.EntityID
	case demonym != nil:
		a.Kind, a.Entity = mizan.AttrNamedOrg, demonym.EntityID // "Iranian authorities said"
	case pronoun:
		a.Kind = mizan.AttrAnonymous
		return a, true
	case definite && s.hasCue(i, j, cActor):
		a.Kind = mizan.AttrNamedOrg // "the army said", "the ministry said": an institution not named
	default:
		a.Kind = mizan.AttrAnonymous
	}
	return a, false
}

// hasCue reports a cue of class c among tokens [i, j).
func (s *sentence) hasCue(i, j int, c cue) bool {
	for k := i; k < j; k++ {
		if s.toks[k].in&c != 0 {
			return true
		}
	}
	return false
}

// previousAttribution returns the last explicit attribution in the current sentence's
// paragraph within the three sentences before it.
func (dc *docCtx) previousAttribution() (sentAttr, bool) {
	cur := dc.sents[dc.cur]
	for i := dc.cur - 1; i >= 0 && i >= dc.cur-3; i-- {
		if dc.sents[i].para != cur.para {
			break
		}
		if a := dc.attrs[i]; a.explicit && a.attribution.Kind != mizan.AttrAuthor {
			return a, true
		}
	}
	return sentAttr{}, false
}

// isMedia reports whether an organisation is a news outlet: one of data/outlets.yaml, or an
// entity the knowledge base gives the attribute kind: media. (The entity stage's Role source
// says an organisation is cited, not that it is an outlet: "according to the ministry".)
func (st *Stage) isMedia(m *sentMention) bool {
	if st.outlets[m.EntityID] {
		return true
	}
	if st.kb != nil {
		if e, ok := st.kb.Entity(m.EntityID); ok && e.Attrs["kind"] == "media" {
			return true
		}
	}
	return false
}
