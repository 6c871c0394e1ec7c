package event

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/timex"
)

// Options configure the stage.
type Options struct {
	// Tagger runs the English part-of-speech tagger (github.com/jdkato/prose) to tell verbs from
	// nouns and to find the verbs the lexicon does not list. Measured on the project's set it
	// helps little (see the package documentation); it costs a third of the stage's time.
	Tagger bool
	// MinConfidence drops events below this confidence.
	MinConfidence float64
	// Actorless keeps events whose clause names no known entity ("gunmen attacked a
	// checkpoint"), which are otherwise dropped: evaluations of trigger detection use it.
	Actorless bool
	// Lexicons replace the embedded ones, by language ("en", "fr", "ar"); a language missing
	// here keeps its embedded lexicon.
	Lexicons map[string]*Lexicon
}

// DefaultOptions returns the options the pipeline uses.
func DefaultOptions() Options { return Options{MinConfidence: 0} }

// Stage is the "event" pipeline stage: it reads the mentions the entity stage left in
// d.Analysis.Mentions and fills d.Analysis.Events and d.Analysis.Tone. It is safe for
// concurrent use.
type Stage struct {
	o        Options
	lex      map[string]*Lexicon
	tx       *timex.Normalizer
	kb       *kb.KB
	capitals map[string]string // key of a capital's name → its state's id
	outlets  map[string]bool   // entity ids of news outlets (data/outlets.yaml)
}

var _ nlp.Stage = (*Stage)(nil)

// New builds the stage. k supplies canonical names of entities and the capitals that stand for
// their states ("Algiers and Tehran multiplied statements"); it may be nil.
func New(k *kb.KB, o Options) (*Stage, error) {
	lex, err := defaultLexicons()
	if err != nil {
		return nil, err
	}
	for lang, lx := range o.Lexicons {
		lex[lang] = lx
	}
	tx, err := timex.Default()
	if err != nil {
		return nil, err
	}
	outlets, err := loadOutlets()
	if err != nil {
		return nil, err
	}
	s := &Stage{o: o, lex: lex, tx: tx, kb: k, capitals: map[string]string{}, outlets: outlets}
	if k != nil {
		for _, n := range k.Names() {
			if n.Kind == mizan.NameCapital {
				s.capitals[n.Key] = n.Entity
			}
		}
	}
	if o.Tagger {
		if err := loadTagger(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Name implements nlp.Stage.
func (*Stage) Name() string { return "event" }

// capitalOf returns the state a LOC mention stands for when it names a capital, or "".
func (st *Stage) capitalOf(m *sentMention) string {
	if m.Form == mizan.FormCapital && m.Type == mizan.GPE {
		return m.EntityID
	}
	if id, ok := st.capitals[kb.Key(m.Text)]; ok {
		return id
	}
	if m.Canonical != "" {
		return st.capitals[kb.Key(m.Canonical)]
	}
	return ""
}

// name returns an entity's canonical name.
func (dc *docCtx) name(a actorRef) string {
	if dc.st.kb != nil {
		if e, ok := dc.st.kb.Entity(a.entity); ok {
			return e.Name
		}
	}
	for _, e := range dc.d.Analysis.Entities {
		if e.ID == a.entity {
			return e.Name
		}
	}
	for _, m := range dc.d.Analysis.Mentions {
		if m.EntityID == a.entity && m.Canonical != "" {
			return m.Canonical
		}
	}
	return a.text
}

// docCtx is what the stage knows about the document it reads.
type docCtx struct {
	st    *Stage
	d     *nlp.Doc
	text  string
	ix    *mizan.TextIndex
	ref   timex.Ref
	sents []*sentence
	cur   int // index of the sentence being read
	// lastActors is the main actor of the last sentence with an event, per paragraph, for
	// pronouns ("It has also threatened...").
	lastActors map[int]*actorRef
	attrs      []sentAttr // per sentence
}

// Process implements nlp.Stage.
func (st *Stage) Process(ctx context.Context, d *nlp.Doc) error {
	d.Analysis.Events = d.Analysis.Events[:0]
	if d.Text == "" {
		return nil
	}
	dc := &docCtx{st: st, d: d, text: d.Text, ix: d.Index(), ref: timex.RefOf(d.Document), lastActors: map[int]*actorRef{}}
	ments := make([]mizan.Mention, len(d.Analysis.Mentions))
	copy(ments, d.Analysis.Mentions)
	sort.SliceStable(ments, func(i, j int) bool { return ments[i].Span.Start < ments[j].Span.Start })
	next := 0
	var tone toneCount
	for si, sp := range d.Sentences {
		if si%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		lang, para := dc.langAt(sp)
		lx := st.lex[lang]
		if lx == nil {
			lx, lang = st.lex["en"], "en"
		}
		a, b := dc.ix.Bytes(sp)
		s := &sentence{doc: dc, lx: lx, lang: lang, span: sp, start: a, end: b, para: para}
		s.toks = tokenize(dc.text, a, b, lang)
		for next < len(ments) && ments[next].Span.End <= sp.Start {
			next++
		}
		var sm []sentMention
		for k := next; k < len(ments) && ments[k].Span.Start < sp.End; k++ {
			if !sp.Contains(ments[k].Span) {
				continue
			}
			ma, mb := dc.ix.Bytes(ments[k].Span)
			sm = append(sm, sentMention{Mention: &ments[k], start: ma, end: mb})
		}
		s.ments = attachMentions(s.toks, sm)
		annotateCues(s.toks, lx)
		tone.add(s)
		if st.o.Tagger && lang == "en" {
			tagSentence(dc.text, s.toks)
		}
		s.findTriggers()
		s.buildUnits()
		dc.sents = append(dc.sents, s)
	}
	d.Analysis.Tone = tone.tone()
	dc.attributions()
	for i, s := range dc.sents {
		dc.cur = i
		if len(s.trigs) == 0 || s.furniture() {
			continue
		}
		dc.extract(s)
	}
	d.Analysis.Events = dedupe(d.Analysis.Events)
	return nil
}

// langAt returns the language of the paragraph holding a sentence (falling back on the
// document's) and the paragraph's index.
func (dc *docCtx) langAt(sp mizan.Span) (string, int) {
	lang := dc.d.Lang
	for i, p := range dc.d.Paragraphs {
		if p.Span.Contains(sp) || p.Span.Overlaps(sp) {
			if dc.st.lex[p.Lang] != nil {
				lang = p.Lang
			}
			return lang, i
		}
	}
	return lang, -1
}

// furniture reports a sentence that belongs to the page, not the article: "Read more: ...",
// "Related", a credit line, or one whose names are all page furniture.
func (s *sentence) furniture() bool {
	for _, t := range s.toks {
		if t.punct != 0 {
			continue
		}
		if t.cue&cFurniture != 0 {
			// Only as the first words, and followed by a colon or nothing more than a title.
			end := t.endOf(cFurniture)
			if end >= len(s.toks) || s.toks[end].punct == ':' || s.toks[end].punct == '|' {
				return true
			}
		}
		break
	}
	if len(s.ments) == 0 {
		return false
	}
	for _, m := range s.ments {
		if m.Role != mizan.RoleBoiler {
			return false
		}
	}
	return true
}

// inTime reports whether token k lies inside a time expression of its sentence.
func (s *sentence) inTime(k int) bool {
	for _, e := range s.times() {
		if s.toks[k].start >= e.start && s.toks[k].end <= e.end {
			return true
		}
	}
	return false
}

// timeSpan is a time expression of a sentence with its document byte offsets.
type timeSpan struct {
	expr       timex.Expr
	start, end int
}

// times finds the sentence's time expressions once.
func (s *sentence) times() []timeSpan {
	if s.timesDone {
		return s.timeCache
	}
	s.timesDone = true
	for _, e := range s.doc.st.tx.Find(s.doc.text[s.start:s.end], s.lang) {
		s.timeCache = append(s.timeCache, timeSpan{expr: e, start: s.start + e.Start, end: s.start + e.End})
	}
	return s.timeCache
}

// extract turns the triggers of a sentence into events.
func (dc *docCtx) extract(s *sentence) {
	attr := dc.attrs[dc.cur]
	covered := -1 // units up to this one are the complements of a verb that made an event
	for ui, u := range s.units {
		if u.kind != uTrig {
			continue
		}
		if attr.span != nil && u.trig.i >= 0 && s.toks[u.i].start >= attr.srcStart && s.toks[u.i].end <= attr.srcEnd {
			continue // a trigger inside the source phrase ("the statement by...")
		}
		f, ok := s.frameOf(ui)
		if !ok {
			continue
		}
		if u.trig.nominal && ui <= covered && !f.ownSource {
			// "signed a cooperation agreement": a noun in the object of a verb that made an
			// event is that event, unless it names its own actor ("backed Algeria's bid").
			continue
		}
		if !u.trig.nominal {
			covered = max(covered, f.complementsEnd)
		}
		if s.madeEvent == nil {
			s.madeEvent = map[int]bool{}
		}
		s.madeEvent[ui] = true
		mode := s.mode(ui)
		t := s.timeFor(ui, mode)
		if mode == mizan.Asserted && t.Start != nil && dc.ref.Time != nil && t.Start.After(*dc.ref.Time) {
			mode = mizan.Planned // a date after the document's: not yet happened
		}
		hedges := s.hedges()
		a := attr.attribution
		if attr.anonymousAccording && !slices.Contains(hedges, attr.cue) {
			hedges = append(hedges, attr.cue)
		}
		for _, e := range dc.events(s, f, u.trig, mode, t, a, hedges) {
			dc.d.Analysis.Events = append(dc.d.Analysis.Events, e)
		}
		if len(f.source) > 0 {
			src := f.source[0]
			if f.passive && len(f.target) > 0 && len(f.entry.themes) == 0 {
				src = f.target[0]
			}
			dc.lastActors[s.para] = &src
		}
	}
}

// events makes the events of one frame: one per source–target pair (the dyadic coding of
// PLOVER and PETRARCH), third parties as participants of each.
func (dc *docCtx) events(s *sentence, f frame, m *trigMatch, mode mizan.Mode, t mizan.TimeExpr, a mizan.Attribution, hedges []string) []mizan.Event {
	srcs, tgts := f.source, f.target
	if len(srcs) == 0 {
		srcs = []actorRef{{}}
	}
	if len(tgts) == 0 {
		tgts = []actorRef{{}}
	}
	selfOnly := true
	for _, src := range srcs {
		for _, tgt := range tgts {
			if src.entity == "" || src.entity != tgt.entity {
				selfOnly = false
			}
		}
	}
	if selfOnly && f.entry.Require != "target" && f.entry.Require != "both" {
		// "Tunisia may grant access to Tunisian ports": the target is the source itself, so
		// the event has a source only.
		tgts = []actorRef{{}}
	}
	var out []mizan.Event
	for _, src := range srcs {
		for _, tgt := range tgts {
			if src.entity != "" && src.entity == tgt.entity {
				continue
			}
			e := mizan.Event{
				Doc: dc.d.ID, Sentence: s.span, Text: dc.text[s.start:s.end],
				Type: f.entry.Type, SubType: f.entry.SubType, Trigger: m.text, Mode: mode, Time: t,
				Attribution: a, Hedged: len(hedges) > 0, HedgeCues: hedges,
			}
			ts := dc.ix.Span(s.toks[m.i].start, s.toks[m.end-1].end)
			e.TriggerSpan = &ts
			if src.entity != "" {
				e.Source = []mizan.Actor{dc.actor(src)}
			}
			if tgt.entity != "" {
				e.Target = []mizan.Actor{dc.actor(tgt)}
			}
			for _, p := range f.participants {
				if p.entity != src.entity && p.entity != tgt.entity {
					e.Participants = append(e.Participants, dc.actor(p))
				}
			}
			if f.place != nil {
				pl := dc.actor(*f.place)
				e.Place = &pl
			}
			e.Confidence = confidence(f, m, src.entity != "", tgt.entity != "")
			if e.Confidence < dc.st.o.MinConfidence {
				continue
			}
			e.ID = eventID(e)
			out = append(out, e)
		}
	}
	return out
}

// confidence scores an event from how it was read: both actors found, a verb rather than a
// noun, actors named rather than inferred.
func confidence(f frame, m *trigMatch, src, tgt bool) float64 {
	c := 0.4
	if src {
		c += 0.2
	}
	if tgt {
		c += 0.2
	}
	if !m.nominal {
		c += 0.1
	}
	if !f.viaFallback {
		c += 0.05
	}
	return float64(int(c*100+0.5)) / 100
}

// actor converts an actor reference into the event's form.
func (dc *docCtx) actor(a actorRef) mizan.Actor {
	out := mizan.Actor{Entity: a.entity, Name: dc.name(a), Text: a.text}
	if a.end > a.start {
		sp := dc.ix.Span(a.start, a.end)
		out.Span = &sp
	}
	return out
}

// eventID is stable: the document, the sentence span, the type and the actors.
func eventID(e mizan.Event) string {
	h := sha256.New()
	h.Write([]byte(e.Doc + "\x00" + strconv.Itoa(e.Sentence.Start) + ":" + strconv.Itoa(e.Sentence.End) + "\x00" + string(e.Type)))
	for _, group := range [][]mizan.Actor{e.Source, e.Target} {
		ids := make([]string, 0, len(group))
		for _, a := range group {
			ids = append(ids, a.Entity)
		}
		sort.Strings(ids)
		h.Write([]byte("\x00" + strings.Join(ids, ",")))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// dedupe keeps one event per id (the same claim read twice in a sentence, by a verb and by a
// noun), the most confident.
func dedupe(es []mizan.Event) []mizan.Event {
	seen := map[string]int{}
	out := es[:0]
	for _, e := range es {
		if i, ok := seen[e.ID]; ok {
			if e.Confidence > out[i].Confidence {
				out[i] = e
			}
			continue
		}
		seen[e.ID] = len(out)
		out = append(out, e)
	}
	return out
}

// lastActor returns the main actor of the latest sentence of a paragraph that had an event.
func (dc *docCtx) lastActor(para int) *actorRef { return dc.lastActors[para] }

// lastPair returns the two states a phrase like "the two countries" ("البلدين", "les deux
// pays") stands for: the two states most often named before it in the document (states,
// capitals standing for them, and the countries of the organisations and people named; not
// places of the kind "in Ukraine"), the latest first among equals. Salience beats recency: in
// an article on Algeria and Iran, "Israel" named last is not one of "the two countries".
func (dc *docCtx) lastPair(cur *sentence, before int) []actorRef {
	count := map[string]int{}
	last := map[string]int{}
	pos := 0
	for i := 0; i <= dc.cur && i < len(dc.sents); i++ {
		s := dc.sents[i]
		if i == dc.cur {
			s = cur
		}
		unitOf := s.unitOfToken()
		for k := range s.ments {
			m := &s.ments[k]
			if i == dc.cur && m.start >= before {
				break
			}
			pos++
			if u := unitOf[m.first]; u >= 0 && s.units[u].pcue&cLocative != 0 && m.Type != mizan.ORG && m.Type != mizan.PERSON {
				continue
			}
			if id := dc.stateOf(m); id != "" {
				count[id]++
				last[id] = pos
			}
		}
	}
	ids := make([]string, 0, len(count))
	for id := range count {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool {
		if count[ids[a]] != count[ids[b]] {
			return count[ids[a]] > count[ids[b]]
		}
		return last[ids[a]] > last[ids[b]]
	})
	if len(ids) < 2 {
		return nil
	}
	// Keep the document order of the two (the first named is the source).
	a, b := ids[0], ids[1]
	if last[a] > last[b] && count[a] == count[b] {
		a, b = b, a
	}
	return []actorRef{{entity: a, etype: mizan.GPE}, {entity: b, etype: mizan.GPE}}
}

// stateOf returns the state a mention stands for or belongs to.
func (dc *docCtx) stateOf(m *sentMention) string {
	switch m.Type {
	case mizan.GPE:
		return m.EntityID
	case mizan.LOC:
		return dc.st.capitalOf(m)
	case mizan.ORG, mizan.PERSON, mizan.GROUP:
		if dc.st.kb != nil {
			if e, ok := dc.st.kb.Entity(m.EntityID); ok && e.Attrs["country"] != "" {
				id := "gpe/" + e.Attrs["country"]
				if _, ok := dc.st.kb.Entity(id); ok {
					return id
				}
			}
		}
	}
	return ""
}

// toneCount counts loaded-language cues over a document's sentences.
type toneCount struct {
	words int
	hits  int
	cues  map[string]int
}

func (tc *toneCount) add(s *sentence) {
	for k, t := range s.toks {
		if t.punct != 0 {
			continue
		}
		tc.words++
		if t.cue&cTone != 0 {
			tc.hits++
			if tc.cues == nil {
				tc.cues = map[string]int{}
			}
			tc.cues[strings.ToLower(s.text(k, t.endOf(cTone)))]++
		}
	}
}

func (tc *toneCount) tone() *mizan.Tone {
	t := &mizan.Tone{Words: tc.words}
	if tc.words > 0 {
		t.Score = float64(int(float64(tc.hits)*10000/float64(tc.words)+0.5)) / 100
	}
	for c := range tc.cues {
		t.Cues = append(t.Cues, c)
	}
	sort.Slice(t.Cues, func(i, j int) bool {
		a, b := tc.cues[t.Cues[i]], tc.cues[t.Cues[j]]
		if a != b {
			return a > b
		}
		return t.Cues[i] < t.Cues[j]
	})
	return t
}
