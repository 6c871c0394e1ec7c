package event

import (
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
)

// sentence is one sentence being read.
type sentence struct {
	doc   *docCtx
	lx    *Lexicon
	lang  string
	span  mizan.Span // characters
	start int        // bytes into the document text
	end   int
	para  int // index of the paragraph
	toks  []token
	ments []sentMention
	trigs []*trigMatch
	units []unit

	timesDone bool
	timeCache []timeSpan
	madeEvent map[int]bool // trigger units that made an event
}

// frame is what the structure of a clause gave one trigger.
type frame struct {
	entry        *Trigger
	unit         int
	source       []actorRef
	target       []actorRef
	participants []actorRef
	place        *actorRef
	passive      bool
	viaFallback  bool // an actor came from an owner, a pronoun or a pair rather than a name
	// complementsEnd is the last unit of the trigger's clause that its complements took.
	complementsEnd int
	// ownSource: a nominal trigger's source is a possessor or demonym of its own phrase.
	ownSource bool
}

// isClauseEnd reports whether unit k ends the search for a subject or an object.
func (s *sentence) isClauseEnd(k int) bool {
	u := s.units[k]
	if u.kind != uBound {
		return false
	}
	switch u.mark {
	case 0, ';', ':', '؛', '(', ')', '[', ']', '—', '–', '|', '.', '!', '?', '؟':
		return true
	}
	return isQuote(u.mark)
}

// nonfinite reports whether a trigger is a participle or an infinitive whose subject is the
// clause's ("statements supporting the Palestinians", "plans to hold", "لدعم").
func (s *sentence) nonfinite(ui int) bool {
	u := s.units[ui]
	if u.kind != uTrig {
		return false
	}
	first := s.toks[u.i]
	switch s.lang {
	case "en":
		if u.prep == "to" {
			return true
		}
		return strings.HasSuffix(first.key, "ing") && !u.trig.nominal && !s.beBefore(u.i)
	case "fr":
		return u.prep == "de" || u.prep == "d" || u.prep == "à" || u.prep == "pour"
	case "ar":
		return first.prep == "ل" || u.prep == "ل"
	}
	return false
}

// beBefore reports whether a form of "be" (or Arabic تم) comes right before token i, with only
// auxiliaries and adverbs between.
func (s *sentence) beBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		t := s.toks[k]
		if t.punct != 0 || t.ment >= 0 {
			return false
		}
		if t.in&cBe != 0 {
			return true
		}
		if t.in&(cAux|cNegated|cPossible|cPlanned) == 0 && !strings.HasPrefix(t.tag, "RB") {
			return false
		}
	}
	return false
}

// passive reports whether a verbal trigger is in the passive voice.
func (s *sentence) passive(m *trigMatch) bool {
	if m.nominal {
		return s.lang == "ar" && s.beBefore(m.i) // "تم إرسال"
	}
	k := s.toks[m.i].key
	switch s.lang {
	case "en":
		if t := s.toks[m.i].tag; t != "" && t != "VBN" && t != "VBD" {
			return false
		}
		if !strings.HasSuffix(k, "ed") && s.toks[m.i].cue&cParticiple == 0 {
			return false // "is expected to meet": not a participle
		}
		return s.beBefore(m.i)
	case "fr":
		if !s.beBefore(m.i) {
			return false
		}
		for _, suf := range []string{"e", "es", "ee", "ees", "i", "is", "ie", "ies", "u", "us", "ue", "ues", "t", "ts"} {
			if strings.HasSuffix(k, suf) {
				return true
			}
		}
	}
	return false
}

// subject finds the subject of the clause of unit ui (a trigger or a light verb), searching
// left as English and French put it, skipping prepositional phrases.
func (s *sentence) subject(ui int) ([]actorRef, bool) {
	if u := s.units[ui]; u.kind == uTrig && s.lang != "ar" {
		if u.conj {
			// "backing Cairo and criticising Rome's reply": the subject of
			// the trigger it is coordinated with.
			for k := ui - 1; k >= 0 && !s.isClauseEnd(k); k-- {
				if s.units[k].kind == uTrig && !s.units[k].trig.nominal {
					return s.subject(k)
				}
			}
		}
		if s.lang == "en" && ui > 0 && u.prep == "" && strings.HasSuffix(s.toks[u.i].key, "ing") && !u.trig.nominal && !s.beBefore(u.i) {
			// A participle after a noun is a reduced relative: "the UN resolution condemning
			// Russia's operation" — the noun is the subject when it names an actor.
			if as := s.npAt(ui - 1); len(as) > 0 {
				return as, true
			}
		}
	}
	nonfinite := s.nonfinite(ui)
	for k := ui - 1; k >= 0 && ui-k <= 14; k-- {
		u := s.units[k]
		switch u.kind {
		case uBound:
			if u.mark == 0 && k == ui-1 && s.toks[u.i].cue&cRelative != 0 {
				continue // "Rubio, who wanted": the relative's antecedent is the subject
			}
			if s.isClauseEnd(k) {
				return nil, false
			}
		case uVerb:
			if u.vcue&cSpeech != 0 && !nonfinite {
				return nil, false
			}
		case uNP:
			if u.prep != "" || u.cprep != "" {
				continue
			}
			if as, _ := s.actorsAt(k, -1); len(as) > 0 {
				return as, true
			}
			if !nonfinite && !s.transparentNP(u) {
				return nil, true // a subject that names no entity ("the parties")
			}
		}
	}
	return nil, false
}

// npAt returns the actors of the noun phrase at unit k, whatever its preposition, or of the
// phrase it is coordinated with ("Algerian officers and personnel deployed").
func (s *sentence) npAt(k int) []actorRef {
	if k < 0 || s.units[k].kind != uNP {
		return nil
	}
	if as, _ := s.actorsAt(k, -1); len(as) > 0 {
		return as
	}
	if s.units[k].conj && k > 0 && s.units[k-1].kind == uNP {
		if a, _ := s.npActor(k - 1); a != nil {
			return []actorRef{*a}
		}
	}
	return nil
}

// reducedPassive reports an English past participle right after a noun phrase inside a
// prepositional phrase: "the return of Tunisian engineers and staff posted in
// Tripoli" is a passive whose subject is that phrase.
func (s *sentence) reducedPassive(ui int) bool {
	u := s.units[ui]
	if s.lang != "en" || ui == 0 || u.trig.nominal || u.prep != "" || s.beBefore(u.i) {
		return false
	}
	k := s.toks[u.i].key
	if t := s.toks[u.i].tag; t != "" && t != "VBN" {
		return false
	}
	if !strings.HasSuffix(k, "ed") && k != "sent" && k != "held" && k != "sought" {
		return false
	}
	p := s.units[ui-1]
	if p.kind != uNP || (p.prep == "" && p.cprep == "") || u.comma || s.inTime(p.i) {
		return false
	}
	// The phrase must hang on a verb or a noun that is not the clause's subject: "the
	// repatriation of officers deployed in Tehran", not "Thousands of Moroccans protested".
	h := ui - 1
	for h >= 0 && s.units[h].kind == uNP && (s.units[h].prep != "" || s.units[h].cprep != "" || s.units[h].conj) {
		h--
	}
	if h < 0 || s.isClauseEnd(h) {
		return false
	}
	if s.units[h].kind == uNP {
		j := h - 1
		for j >= 0 && s.units[j].kind == uBound && !s.isClauseEnd(j) {
			j--
		}
		if j < 0 || s.isClauseEnd(j) || (s.units[j].kind != uTrig && s.units[j].kind != uVerb) {
			return false
		}
	}
	// A participle with a direct object is an active verb ("sought the expertise of").
	if n := ui + 1; n < len(s.units) && s.units[n].kind == uNP && s.units[n].prep == "" {
		return false
	}
	return true
}

// transparentNP reports an NP that cannot be a subject: a time expression or an adverb left in
// a noun phrase by the chunker ("then", "also").
func (s *sentence) transparentNP(u unit) bool {
	for k := u.i; k < u.j; k++ {
		t := s.toks[k]
		if t.in&(cAux|cHedge|cNegated|cPossible|cPlanned) == 0 && !s.inTime(k) && t.key != "s" {
			return false
		}
	}
	return true
}

// arabicSubject finds the subject of an Arabic verb: an actor phrase right before it (SVO),
// else the first phrase after it (VSO). It returns the unit after the subject.
func (s *sentence) arabicSubject(ui int) ([]actorRef, int) {
	k := ui - 1
	// "عناصر من الحرس الثوري تمركزت": the head before its owner phrases.
	for k > 0 && s.units[k].kind == uNP && s.units[k].pcue&cOwner != 0 && s.units[k-1].kind == uNP {
		k--
	}
	if k >= 0 && s.units[k].kind == uNP && s.units[k].prep == "" && !s.units[ui].conj {
		if as, _ := s.actorsAt(k, -1); len(as) > 0 {
			return as, ui + 1
		}
	}
	k = ui + 1
	if k < len(s.units) && s.units[k].kind == uNP && s.units[k].prep == "" {
		as, next := s.actorsAt(k, +1)
		return as, next
	}
	// A verb that continues a clause ("... وأرسلت"): the subject of the clause before it.
	if s.units[ui].conj {
		as, _ := s.subject(ui)
		return as, ui + 1
	}
	return nil, ui + 1
}

// complements collects, right of the trigger from unit `from`, the direct object and the
// phrases introduced by prepositions, up to the end of the clause.
type complements struct {
	obj       []actorRef
	objUnit   int // -1 when there is no direct object
	byPrep    map[string][]actorRef
	agent     []actorRef
	between   []actorRef
	partic    []actorRef
	places    []*actorRef
	afterUnit int
}

func (s *sentence) complements(from, limit int) complements {
	c := complements{objUnit: -1, byPrep: map[string][]actorRef{}}
	k := from
	topic := false
	for k < len(s.units) && k-from <= limit {
		u := s.units[k]
		switch u.kind {
		case uBound:
			if s.isClauseEnd(k) {
				c.afterUnit = k
				return c
			}
			k++
			continue
		case uVerb:
			if u.vcue&cSpeech != 0 || u.vcue == 0 {
				c.afterUnit = k
				return c
			}
			k++
			continue
		case uTrig:
			nominalFrom := from > 0 && s.units[from-1].kind == uTrig && s.units[from-1].trig.nominal
			if (!u.trig.nominal || nominalFrom) && !u.conj && !u.comma && k > from {
				c.afterUnit = k
				return c
			}
			k++
			continue
		}
		// A noun phrase. One followed by a verb of saying is its speaker ("..., the French
		// foreign ministry said"), not a complement.
		if k+1 < len(s.units) && s.units[k+1].kind == uVerb && s.units[k+1].vcue&cSpeech != 0 && u.prep == "" && u.comma {
			c.afterUnit = k
			return c
		}
		if u.pcue&cTopic != 0 {
			topic = true // "regarding the war in Ukraine": not where the event happened
		}
		switch {
		case u.prep == "" && s.transparentNP(u):
			// "rejected Thursday a United Nations appeal": a time is not the object.
		case u.prep == "":
			if c.objUnit < 0 && !u.conj {
				c.objUnit = k
				as, next := s.actorsAt(k, +1)
				c.obj = as
				if len(as) > 0 && as[0].via == "owner" && k+1 < len(s.units) {
					// "withdrew its troops from Mali": the owner's phrase can be a slot too.
					c.byPrep[s.units[k+1].prep] = as
				}
				if p := s.placeIn(k); p != nil && !topic {
					c.places = append(c.places, p)
				}
				k = next
				continue
			}
		case u.pcue&cAgent != 0:
			if as, next := s.actorsAt(k, +1); len(as) > 0 {
				c.agent = as
				k = next
				continue
			}
		case u.pcue&cBetween != 0:
			as, next := s.actorsAt(k, +1)
			c.between = append(c.between, as...)
			k = next
			continue
		case u.pcue&cParticipation != 0:
			as, next := s.actorsAt(k, +1)
			c.partic = append(c.partic, as...)
			k = next
			continue
		}
		if u.prep != "" {
			if u.pcue&cLocative != 0 {
				// After a topic ("regarding the war in Ukraine") a state is the topic's; a city
				// is still where the event happened ("talks in regard to security in Moscow").
				if p := s.placeAt(k); p != nil && (!topic || p.etype != mizan.GPE) {
					c.places = append(c.places, p)
				}
			}
			if _, seen := c.byPrep[u.prep]; !seen {
				as, next := s.actorsAt(k, +1)
				c.byPrep[u.prep] = as
				k = next
				continue
			}
		}
		k++
	}
	c.afterUnit = k
	return c
}

// themeOK reports whether the theme phrase (the direct object, or the passive subject) suits
// an entry that constrains it ("sent troops" is aid, "sent envoys" a consultation).
func (s *sentence) themeOK(t *Trigger, theme int) bool {
	if len(t.themes) == 0 {
		return true
	}
	if theme < 0 {
		return false
	}
	// The object and what follows it: "supplied Algeria with fighter jets".
	for k := theme; k < len(s.units) && k <= theme+2; k++ {
		if s.units[k].kind == uNP && s.hasWord(s.units[k], t.themes) {
			return true
		}
	}
	return false
}

// frameOf reads the frame of trigger unit ui: the first lexicon reading whose constraints the
// clause meets.
func (s *sentence) frameOf(ui int) (frame, bool) {
	u := s.units[ui]
	m := u.trig
	m.passive = s.passive(m)
	var (
		subj       []actorRef
		recipients []actorRef
		subjUnit   = -1
		compFrom   = ui + 1
	)
	ownSource := false
	switch {
	case m.nominal:
		subj, recipients, subjUnit = s.nominalSource(ui)
		ownSource = len(subj) > 0 && subjUnit == ui-1 && len(recipients) == 0
	case s.lang == "ar":
		subj, compFrom = s.arabicSubject(ui)
		if s.toks[m.i].cue&cBe != 0 {
			m.passive = true // "تم نشر", "جرى إرسال"
		}
		if compFrom == ui+1 && len(subj) > 0 && ui > 0 && s.units[ui-1].kind == uNP {
			// SVO: the subject before the verb may be what a transfer verb moves.
			for _, e := range m.entries {
				if len(e.themes) > 0 && s.hasWord(s.units[ui-1], e.themes) {
					m.passive, subjUnit = true, ui-1
					break
				}
			}
		}
		if compFrom > ui+1 {
			subjUnit = ui + 1
			// Undiacritised, "أرسلت وحدة جزائرية إلى إيران" is "a unit was sent": a subject that
			// is what a transfer verb moves makes it passive.
			for _, e := range m.entries {
				if len(e.themes) > 0 && s.hasWord(s.units[subjUnit], e.themes) {
					m.passive = true
					break
				}
			}
		}
	case s.reducedPassive(ui):
		m.passive = true
		subj, subjUnit = s.npAt(ui-1), ui-1
	default:
		var found bool
		subj, found = s.subject(ui)
		for k := ui - 1; k >= 0 && found; k-- {
			if s.units[k].kind == uNP && s.units[k].prep == "" && s.units[k].cprep == "" {
				subjUnit = k
				break
			}
		}
	}
	limit := 14
	if m.nominal {
		limit = 3 // a noun's complements follow it closely
	}
	c := s.complements(compFrom, limit)
	if m.nominal && s.lang != "en" && len(subj) == 0 && c.objUnit == ui+1 && len(c.obj) > 0 {
		// "زيارة الرئيس الإيراني", "la visite du président": the genitive after the noun.
		ou := s.units[c.objUnit]
		kept := c.places[:0]
		for _, p := range c.places {
			if p.start < s.toks[ou.i].start || p.start >= s.toks[ou.j-1].end {
				kept = append(kept, p)
			}
		}
		subj, c.obj, c.objUnit, c.places = c.obj, nil, -1, kept
		ownSource = true
	}
	for _, e := range m.entries {
		f := frame{entry: e, unit: ui, passive: m.passive, complementsEnd: c.afterUnit, ownSource: ownSource}
		theme := c.objUnit
		// A noun takes no direct object, unless its phrase ends in a verb ("application to join
		// the BRICS").
		objOK := !m.nominal || len(m.words) > 1 && s.toks[m.words[len(m.words)-1]].in&cPrep == 0 && s.lang == "en"
		switch {
		case m.passive && e.Owner:
			// "an Algerian riot control unit was sent to Iran": the subject is what was sent; the
			// sender is the by-phrase, else the owner of what was sent.
			theme = subjUnit
			f.source = c.agent
			if len(f.source) == 0 {
				f.source = subj
			}
			f.target = s.slotActors(e, c, false)
		case m.passive:
			f.source = c.agent
			f.target = subj
			if len(f.target) == 0 {
				f.target = s.slotActors(e, c, false)
			}
		default:
			f.source = subj
			if len(f.source) == 0 {
				f.source = c.agent
			}
			f.target = s.slotActors(e, c, objOK)
			if len(f.target) == 0 {
				f.target = recipients
			}
		}
		if len(f.source) == 0 {
			for _, sl := range e.sources {
				if as := c.byPrep[strings.Join(sl.prep, " ")]; len(as) > 0 {
					f.source = as
					break
				}
			}
		}
		if !s.themeOK(e, theme) {
			continue
		}
		if len(c.between) > 0 {
			if len(f.source) == 0 {
				f.source, f.target = c.between[:1], append(f.target, c.between[1:]...)
			} else {
				f.target = append(f.target, c.between...)
			}
		}
		f.participants = c.partic
		if e.Symmetric && len(f.target) == 0 && len(f.source) > 1 {
			f.source, f.target = f.source[:1], f.source[1:]
		}
		f.place = s.placeFor(ui, c, e)
		if len(f.target) == 0 && e.PlaceTarget && f.place != nil {
			if id := s.stateOfPlace(f.place); id != "" {
				t := *f.place
				t.entity, t.etype, t.via = id, mizan.GPE, "capital"
				f.target = []actorRef{t}
			}
		}
		actorless := s.doc.st.o.Actorless
		if len(f.source)+len(f.target) == 0 && !actorless {
			continue
		}
		if (e.Require == "target" || e.Require == "both") && len(f.target) == 0 && !actorless {
			continue
		}
		if (e.Require == "source" || e.Require == "both") && len(f.source) == 0 && !actorless {
			continue
		}
		for _, a := range append(append([]actorRef{}, f.source...), f.target...) {
			if a.via == "owner" || a.via == "pronoun" || a.via == "pair" {
				f.viaFallback = true
			}
		}
		return f, true
	}
	return frame{}, false
}

// stateOfPlace returns the state a place stands for: itself when a state, its state when a
// capital.
func (s *sentence) stateOfPlace(p *actorRef) string {
	if p.etype == mizan.GPE {
		return p.entity
	}
	return s.doc.st.capitals[kb.Key(p.text)]
}

// slotActors fills the target from the entry's slots in order.
func (s *sentence) slotActors(e *Trigger, c complements, objOK bool) []actorRef {
	for _, sl := range e.slots {
		if sl.obj {
			if objOK && len(c.obj) > 0 {
				return c.obj
			}
			continue
		}
		key := strings.Join(sl.prep, " ")
		if as := c.byPrep[key]; len(as) > 0 {
			return as
		}
	}
	return nil
}

// nominalSource finds the source of a nominal trigger: a possessor or demonym right before it
// ("Tebboune's visit", "Russian-Algerian cooperation", "the Hamas attack"), else the subject of
// the light verb it is the object of ("Algeria submitted an application to join"); then a name
// between the light verb and the noun is the recipient ("offer Russia substantial
// concessions"). It also returns the unit of the modifier, or -1.
func (s *sentence) nominalSource(ui int) (src, recipients []actorRef, modUnit int) {
	u := s.units[ui]
	k := ui - 1
	modUnit = -1
	var mods []actorRef
	// English puts a noun's modifiers before it ("the Hamas attack"); French and Arabic after it
	// (read as the genitive in frameOf), so a phrase before is another one ("وقعت الجزائر
	// وروسيا اتفاقية").
	if k >= 0 && s.units[k].kind == uNP && s.units[k].j == u.i && s.lang == "en" {
		modUnit = k
		nu := s.units[k]
		for t := nu.i; t < nu.j; t++ {
			mi := s.toks[t].ment
			if mi < 0 || (t > nu.i && s.toks[t-1].ment == mi) {
				continue
			}
			m := &s.ments[mi]
			if r, id, typ := s.rank(m); r > 0 && m.Type != mizan.LOC && m.Type != mizan.FAC {
				mods = append(mods, actorRef{entity: id, etype: typ, text: s.doc.text[m.start:m.end], start: m.start, end: m.end, via: "name"})
			}
		}
		k--
	}
	for j := k; j >= 0 && ui-j <= 4; j-- {
		v := s.units[j]
		// A light verb, or a trigger verb that made no event of its own ("Qatar provided
		// financial aid": "provided" supplies troops or weapons, not aid).
		if (v.kind == uVerb && v.vcue&cLight != 0) || (v.kind == uTrig && !v.trig.nominal && !s.madeEvent[j] && transferVerb(v.trig)) {
			var subj []actorRef
			if s.lang == "ar" {
				subj, _ = s.arabicSubject(j)
			} else {
				subj, _ = s.subject(j)
			}
			if len(subj) == 0 {
				break
			}
			for _, m := range mods {
				if m.via != "demonym" {
					recipients = append(recipients, m)
				}
			}
			if len(recipients) == 0 && len(mods) > 0 {
				return mods, nil, modUnit
			}
			return subj, recipients, -1
		}
		if v.kind != uNP || v.prep != "" || s.isClauseEnd(j) {
			break
		}
	}
	return mods, nil, modUnit
}

// transferVerb reports a trigger all of whose readings move something (a theme): "provided",
// "sent", which name no event of their own with a noun like "aid" as object.
func transferVerb(m *trigMatch) bool {
	for _, e := range m.entries {
		if len(e.themes) == 0 {
			return false
		}
	}
	return len(m.entries) > 0
}

// placeFor picks the place of an event: a locative phrase after the trigger, the object of a
// verb like "visited" when it is a place, else a locative phrase earlier in the clause ("At an
// official meeting in Algiers, Patrushev met...").
func (s *sentence) placeFor(ui int, c complements, e *Trigger) *actorRef {
	if e.ObjPlace && c.objUnit >= 0 {
		if p := s.placeIn(c.objUnit); p != nil {
			return p
		}
	}
	for _, p := range c.places {
		if c.objUnit >= 0 && p.start >= s.toks[s.units[c.objUnit].i].start && p.end <= s.toks[s.units[c.objUnit].j-1].end {
			continue // the object itself, not a place
		}
		return p
	}
	// Before the trigger, only a phrase that opens the clause, ahead of its subject, is the
	// event's place ("At an official meeting in Algiers, Patrushev met..."; not "the war in
	// Ukraine, the development of cooperation").
	start := ui
	for start > 0 && !s.isClauseEnd(start-1) {
		start--
	}
	var place *actorRef
	for k := start; k < ui; k++ {
		u := s.units[k]
		if u.kind == uNP && u.prep == "" && u.cprep == "" {
			break
		}
		if u.kind == uNP && u.pcue&cLocative != 0 {
			if p := s.placeAt(k); p != nil {
				place = p
			}
		}
	}
	return place
}
