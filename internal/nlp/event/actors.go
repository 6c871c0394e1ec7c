package event

import "github.com/mizan-osint/mizan"

// actorRef is an entity found in an actor slot, with the words that named it.
type actorRef struct {
	entity string
	etype  mizan.EntityType
	text   string
	start  int // byte offsets into the document text; start == end when it comes from context
	end    int
	// via says how it was found: name, demonym, owner ("officials of X"), pronoun ("it" for the
	// last actor), pair ("the two countries"), capital ("Algiers" for Algeria).
	via string
}

// rank orders the mentions of a noun phrase as its actor: a person before an organisation
// before a state named by its name or capital before a state named by a demonym. Places,
// mentions that only credit or cite, and unlinked mentions are not actors.
func (s *sentence) rank(m *sentMention) (int, string, mizan.EntityType) {
	if m.EntityID == "" {
		return 0, "", ""
	}
	switch m.Role {
	case mizan.RoleByline, mizan.RoleCredit, mizan.RoleBoiler, mizan.RoleSource:
		return 0, "", ""
	}
	switch m.Type {
	case mizan.PERSON:
		return 5, m.EntityID, m.Type
	case mizan.ORG, mizan.GROUP:
		return 4, m.EntityID, m.Type
	case mizan.GPE:
		if m.Form == mizan.FormDemonym {
			return 1, m.EntityID, m.Type
		}
		return 3, m.EntityID, m.Type
	case mizan.LOC, mizan.FAC:
		// A capital standing for its government ("Algiers and Tehran multiplied statements").
		if gpe := s.doc.st.capitalOf(m); gpe != "" {
			return 2, gpe, mizan.GPE
		}
	}
	return 0, "", ""
}

// npActor returns the actor a noun phrase stands for, and the index of the unit after what it
// used (an owner phrase: "advisors from the IRGC", "a senior official in the Federation
// Council" name their owner).
func (s *sentence) npActor(ui int) (*actorRef, int) {
	u := s.units[ui]
	if u.kind != uNP {
		return nil, ui + 1
	}
	var best *actorRef
	bestRank := 0
	for k := u.i; k < u.j; k++ {
		mi := s.toks[k].ment
		if mi < 0 || (k > u.i && s.toks[k-1].ment == mi) {
			continue
		}
		m := &s.ments[mi]
		r, id, typ := s.rank(m)
		if r == 0 {
			continue
		}
		// English noun phrases put their head last ("Russian Security Council Secretary Nikolai
		// Patrushev"); French and Arabic first ("le président algérien Tebboune" has the demonym
		// after the head, but the name still outranks it).
		if r > bestRank || (r == bestRank && s.lang == "en") {
			via := "name"
			switch {
			case m.Form == mizan.FormDemonym:
				via = "demonym"
			case typ == mizan.GPE && m.Type != mizan.GPE:
				via = "capital"
			}
			best = &actorRef{entity: id, etype: typ, text: s.doc.text[m.start:m.end], start: m.start, end: m.end, via: via}
			bestRank = r
		}
	}
	next := ui + 1
	// A generic head ("officials", "advisors", "مستشارين") owned by the next phrase: its owner
	// is the actor, and outranks a demonym ("Algerian officials of the Russian embassy" is rare;
	// "a senior figure in the Italian upper house" is not).
	if (best == nil || best.via == "demonym") && s.npCue(u, cActor) && next < len(s.units) {
		if nu := s.units[next]; nu.kind == uNP && nu.pcue&cOwner != 0 {
			if a, after := s.npActor(next); a != nil && a.via != "pronoun" {
				a.via = "owner"
				return a, after
			}
		}
	}
	if best != nil {
		return best, next
	}
	if s.npCue(u, cPair) {
		return nil, next // handled by pairActors
	}
	if u.j-u.i == 1 && s.toks[u.i].cue&cPronoun != 0 {
		// "Lavrov said he had met Attaf": the speaker; else the last actor of the paragraph.
		if at := s.doc.attrs; s.doc.cur < len(at) && at[s.doc.cur].explicit && at[s.doc.cur].attribution.Kind == mizan.AttrNamedPerson &&
			s.toks[u.i].start > at[s.doc.cur].srcEnd {
			a := at[s.doc.cur].attribution
			return &actorRef{entity: a.Entity, etype: mizan.PERSON, text: s.text(u.i, u.j), start: s.toks[u.i].start, end: s.toks[u.i].end, via: "pronoun"}, next
		}
		if a := s.doc.lastActor(s.para); a != nil {
			c := *a
			c.via, c.text, c.start, c.end = "pronoun", s.text(u.i, u.j), s.toks[u.i].start, s.toks[u.i].end
			return &c, next
		}
	}
	return nil, next
}

// pairActors resolves "the two countries", "البلدين" to the two states named last before this
// sentence.
func (s *sentence) pairActors(ui int) []actorRef {
	u := s.units[ui]
	if u.kind != uNP || !s.npCue(u, cPair) {
		return nil
	}
	ps := s.doc.lastPair(s, s.toks[u.i].start)
	for i := range ps {
		ps[i].via, ps[i].text, ps[i].start, ps[i].end = "pair", s.text(u.i, u.j), s.toks[u.i].start, s.toks[u.j-1].end
	}
	return ps
}

// actorsAt returns the actors of the NP unit ui and of the NPs coordinated with it in the
// direction dir (-1 left, +1 right), skipping appositions ("Omar Haddad, the head of the
// navy, and Sami Nasri"). It also returns the unit index past what it read (for
// dir +1) and whether ui itself named an actor.
func (s *sentence) actorsAt(ui, dir int) ([]actorRef, int) {
	var out []actorRef
	a, next := s.npActor(ui)
	switch {
	case a != nil:
		out = append(out, *a)
	case s.npCue(s.units[ui], cPair):
		out = append(out, s.pairActors(ui)...)
	case s.npCue(s.units[ui], cActor) && next < len(s.units) && s.units[next].kind == uNP && s.units[next].pcue&cOwner != 0 && s.npCue(s.units[next], cPair):
		// "مسؤولين عسكريين من البلدين", "officials of both countries".
		out = append(out, s.pairActors(next)...)
		next++
	}
	if a != nil && a.via == "owner" {
		// "Officials from Algeria and Iran": the owner's coordinated phrases are owners too.
		for next < len(s.units) {
			u := s.units[next]
			if u.kind != uNP || !u.conj || u.prep != "" {
				break
			}
			b, after := s.npActor(next)
			if b == nil {
				break
			}
			b.via = "owner"
			out = append(out, *b)
			next = after
		}
	}
	if len(out) == 0 {
		if dir < 0 || next >= len(s.units) {
			return nil, next
		}
		nu := s.units[next]
		switch {
		case nu.kind == uNP && nu.comma && !nu.conj && nu.prep == "":
			// "its long-time ally, Russia": the apposition names the actor.
			if b, after := s.npActor(next); b != nil && b.via != "demonym" {
				return []actorRef{*b}, after
			}
		case nu.kind == uNP && nu.pcue&cGenitive != 0 && !nu.comma:
			// "la position de l'Algérie", "positions du Hezbollah": the genitive names it.
			if b, after := s.npActor(next); b != nil {
				b.via = "owner"
				return []actorRef{*b}, after
			}
		case nu.kind == uTrig && nu.trig.nominal && s.lang != "en" && next+1 < len(s.units):
			// "les frappes israéliennes", "accusations algériennes": the adjective after a noun.
			if au := s.units[next+1]; au.kind == uNP && au.prep == "" && au.i == nu.j {
				if b, after := s.npActor(next + 1); b != nil {
					return []actorRef{*b}, after
				}
			}
		}
		return nil, next
	}
	if dir < 0 {
		k := ui
		for k > 0 && (s.units[k].conj || s.units[k].comma) {
			p := k - 1
			if s.units[p].kind != uNP || s.units[p].prep != "" {
				break
			}
			b, _ := s.npActor(p)
			if b == nil {
				break
			}
			out = append([]actorRef{*b}, out...)
			k = p
		}
		return out, next
	}
	k := next
	for k < len(s.units) {
		u := s.units[k]
		if u.kind != uNP || (!u.conj && !u.comma) || (u.prep != "" && u.prep != s.units[ui].prep) {
			break
		}
		if k+1 < len(s.units) && s.units[k+1].kind == uVerb && s.units[k+1].vcue&cSpeech != 0 {
			break // "..., Israel says": the speaker, not one more actor
		}
		if u.comma && !u.conj && s.toks[u.i].in&cDet != 0 && !s.directName(k) {
			// An apposition ("Omar Haddad, the head of the navy, and ..."): skip it
			// and the phrases attached to it, up to the next coordinated phrase.
			k++
			for k < len(s.units) && s.units[k].kind == uNP && !s.units[k].conj && !s.units[k].comma && s.units[k].prep != "" {
				k++
			}
			continue
		}
		if b, after := s.npActor(k); b != nil {
			out = append(out, *b)
			k = after
			continue
		}
		break
	}
	return out, k
}

// directName reports whether the NP unit k itself holds a name (not a demonym): "the UAE" in
// a list is an item, "the chief of staff of the ANP" an apposition.
func (s *sentence) directName(k int) bool {
	u := s.units[k]
	for t := u.i; t < u.j; t++ {
		if mi := s.toks[t].ment; mi >= 0 {
			if r, _, _ := s.rank(&s.ments[mi]); r >= 2 {
				return true
			}
		}
	}
	return false
}

// placeIn returns the first place-like mention of the NP unit ui itself.
func (s *sentence) placeIn(ui int) *actorRef {
	u := s.units[ui]
	for t := u.i; t < u.j; t++ {
		mi := s.toks[t].ment
		if mi < 0 {
			continue
		}
		m := &s.ments[mi]
		if m.EntityID == "" || m.Role == mizan.RoleBoiler || m.Role == mizan.RoleCredit || m.Role == mizan.RoleByline || m.Form == mizan.FormDemonym {
			continue
		}
		switch m.Type {
		case mizan.LOC, mizan.GPE, mizan.FAC:
			return &actorRef{entity: m.EntityID, etype: m.Type, text: s.doc.text[m.start:m.end], start: m.start, end: m.end, via: "name"}
		}
	}
	return nil
}

// placeAt returns the place named by a locative phrase starting at NP unit ui: its first
// place-like mention, following an "of" chain ("the oasis town of Tindouf").
func (s *sentence) placeAt(ui int) *actorRef {
	for k := ui; k < len(s.units) && k <= ui+2; k++ {
		u := s.units[k]
		if u.kind != uNP || (k > ui && u.pcue&cOwner == 0) {
			break
		}
		for t := u.i; t < u.j; t++ {
			mi := s.toks[t].ment
			if mi < 0 {
				continue
			}
			m := &s.ments[mi]
			if m.EntityID == "" || m.Role == mizan.RoleBoiler || m.Role == mizan.RoleCredit || m.Role == mizan.RoleByline {
				continue
			}
			switch m.Type {
			case mizan.LOC, mizan.GPE, mizan.FAC:
				if m.Form == mizan.FormDemonym {
					continue
				}
				return &actorRef{entity: m.EntityID, etype: m.Type, text: s.doc.text[m.start:m.end], start: m.start, end: m.end, via: "name"}
			}
		}
	}
	return nil
}
