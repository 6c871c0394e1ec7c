package entity

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// token is one word of the document with what the passes ask about it.
type token struct {
	textnorm.Token
	set      *cueSet // the cues of the word's language
	lang     string
	arabic   bool
	upper    bool // starts with a capital letter
	allUpper bool
	number   bool
	gap      gap  // to the next token
	comma    bool // a single comma (and spaces) separates it from the next token
	line     int32
	sent     int32
}

// cueHit is one occurrence of a cue phrase over tokens [start, end).
type cueHit struct {
	cue        *cue
	start, end int32
}

// cand is a mention being built: a token range and what is known about it.
type cand struct {
	t0, t1    int
	method    mizan.MentionMethod
	typ       mizan.EntityType
	entity    string
	form      mizan.MentionForm
	rule      string
	conf      float64
	canonical string
	role      mizan.MentionRole
	entry     *nameEntry // the KB name it matched
	capital   *nameEntry // a city's name that is also its state's capital name
	office    string     // a role mention: the office
	officeOf  string     // and whom the office belongs to
	ref       *cand      // the full name a short form stands for
	dot       bool       // the name ends with a period the span keeps ("U.S.")
	stem      string     // Arabic: the normalised first word without proclitics, when known
	k0        int        // the first token of the KB match (before a title was trimmed)
	former    bool       // a role whose previous holder is meant ("the former president")
	dead      bool
}

// modelEnt is one entity of the statistical tagger, over tokens [t0, t1).
type modelEnt struct {
	t0, t1 int
	typ    string
	score  float64
}

// binding records that the text named person p as holder of an office, at token pos.
type binding struct {
	office string
	p      *cand
	pos    int
}

// run holds the work on one document.
type run struct {
	s         *Stage
	doc       *mizan.Document
	text      string
	toks      []token
	cover     []int32 // per token: 1 + index in cands of the live mention covering it, or 0
	blocked   []bool  // per token: a title or role word, which the tagger's mentions must not take
	cands     []*cand
	hits      [][]cueHit // cue hits starting at each token
	endHits   [][]cueHit // cue hits ending at each token (index end-1)
	model     []modelEnt
	modelIdx  []int32 // per token: 1 + index in model of the tagger's entity covering it, or 0
	bindings  []binding
	lineStart []int    // byte offset where each line starts
	headlines []int8   // per line: 1 title case, -1 not, 0 not yet known
	sents     [][2]int // byte ranges of sentences
}

func (s *Stage) newRun(doc *mizan.Document) *run {
	r := &run{s: s, doc: doc, text: doc.Text}
	ix := doc.Index()
	text := doc.Text

	// Lines and sentences, as byte ranges.
	r.lineStart = append(r.lineStart, 0)
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			r.lineStart = append(r.lineStart, i+1)
		}
	}
	r.headlines = make([]int8, len(r.lineStart))
	for _, sp := range doc.Sentences {
		a, b := ix.Bytes(sp)
		r.sents = append(r.sents, [2]int{a, b})
	}
	sort.Slice(r.sents, func(i, j int) bool { return r.sents[i][0] < r.sents[j][0] })

	// Paragraph languages, as byte ranges.
	type para struct {
		a, b int
		lang string
	}
	var paras []para
	for _, p := range doc.Paragraphs {
		a, b := ix.Bytes(p.Span)
		l := p.Lang
		if l == "" {
			l = doc.Lang
		}
		paras = append(paras, para{a, b, l})
	}
	sort.Slice(paras, func(i, j int) bool { return paras[i].a < paras[j].a })

	raw := textnorm.Tokens(text)
	r.toks = make([]token, len(raw))
	pi, li, si := 0, 0, 0
	for i, t := range raw {
		tk := token{Token: t}
		w := text[t.Start:t.End]
		for pi < len(paras) && paras[pi].b <= t.Start {
			pi++
		}
		tk.lang = doc.Lang
		if pi < len(paras) && paras[pi].a <= t.Start {
			tk.lang = paras[pi].lang
		}
		for li+1 < len(r.lineStart) && r.lineStart[li+1] <= t.Start {
			li++
		}
		tk.line = int32(li)
		for si < len(r.sents) && r.sents[si][1] <= t.Start {
			si++
		}
		tk.sent = int32(si)
		if si >= len(r.sents) || r.sents[si][0] > t.Start {
			// Outside any sentence (or no sentences at all): the line stands for the sentence.
			tk.sent = int32(-1 - li)
		}
		tk.arabic = isArabicText(w)
		tk.upper = startsUpper(w)
		tk.allUpper = allUpper(w)
		tk.number = allDigits(t.Key)
		switch {
		case tk.arabic:
			tk.set = s.cues["ar"]
			tk.lang = "ar"
		case strings.HasPrefix(tk.lang, "fr"):
			tk.set = s.cues["fr"]
		default:
			tk.set = s.cues["en"]
		}
		if i+1 < len(raw) {
			tk.gap, tk.comma = classifyGap(text[t.End:raw[i+1].Start])
		}
		r.toks[i] = tk
	}
	r.cover = make([]int32, len(r.toks))
	r.blocked = make([]bool, len(r.toks))
	r.findCues()
	if len(r.sents) == 0 {
		r.splitSentences()
	}
	return r
}

// splitSentences approximates sentences when the document has none (the stage ran without the
// sentence stage): a line break, or sentence punctuation before a capitalised or Arabic word,
// unless it follows an initial or a title ("U.S. President", "Gen. Chengriha").
func (r *run) splitSentences() {
	s := int32(0)
	for i := range r.toks {
		if i > 0 {
			p, t := &r.toks[i-1], &r.toks[i]
			switch {
			case p.line != t.line:
				s++
			case (t.upper || t.arabic) && strings.ContainsAny(r.text[p.End:t.Start], ".!?؟") &&
				utf8.RuneCountInString(p.Key) > 1 && r.cueTo(cueTitle, i) < 0:
				s++
			}
		}
		r.toks[i].sent = s
	}
}

// detect runs the detectors in order; each fills only what the ones before left free.
func (r *run) detect() {
	r.matchKB(0, len(r.toks), true)
	r.runModel()
	r.ambiguous()
	r.trimTitles()
	r.orgHeads()
	r.roleTitles()
	r.titles()
	r.bylines()
	r.aliases()
	r.appositions()
	r.modelMentions()
	r.givenNames()
	r.surnames()
}

// --- tokens and cues --------------------------------------------------------------------------

func (r *run) word(i int) string { return r.text[r.toks[i].Start:r.toks[i].End] }

func (r *run) is(k cueKind, i int) bool {
	return i >= 0 && i < len(r.toks) && r.toks[i].set.is(k, r.toks[i].Key)
}

// joined reports whether tokens i and i+1 are linked by at least g.
func (r *run) joined(i int, g gap) bool { return i >= 0 && i+1 < len(r.toks) && r.toks[i].gap >= g }

func (r *run) sameSentence(i, j int) bool { return r.toks[i].sent == r.toks[j].sent }

func (r *run) findCues() {
	r.hits = make([][]cueHit, len(r.toks))
	r.endHits = make([][]cueHit, len(r.toks))
	for i := range r.toks {
		set := r.toks[i].set
		n := int32(0)
		for j := i; j < len(r.toks) && j-i < set.maxSpan; j++ {
			if j > i && r.toks[j-1].gap < gapCue {
				break
			}
			next, ok := set.trie.step(n, r.toks[j].Key)
			if !ok {
				break
			}
			n = next
			for _, ci := range set.trie.out[n] {
				h := cueHit{cue: &set.cues[ci], start: int32(i), end: int32(j + 1)}
				r.hits[i] = append(r.hits[i], h)
				r.endHits[j] = append(r.endHits[j], h)
			}
		}
	}
}

// cueFrom returns the end of the longest cue of kind k starting at token i, or -1.
func (r *run) cueFrom(k cueKind, i int) int {
	best := -1
	if i < 0 || i >= len(r.toks) {
		return best
	}
	for _, h := range r.hits[i] {
		if h.cue.kind == k && int(h.end) > best {
			best = int(h.end)
		}
	}
	return best
}

// cueTo returns the start of the longest cue of kind k ending right before token i, or -1.
func (r *run) cueTo(k cueKind, i int) int {
	best := -1
	if i <= 0 || i > len(r.toks) {
		return best
	}
	for _, h := range r.endHits[i-1] {
		if h.cue.kind == k && (best < 0 || int(h.start) < best) {
			best = int(h.start)
		}
	}
	return best
}

// --- mentions ---------------------------------------------------------------------------------

func (r *run) at(i int) *cand {
	if i < 0 || i >= len(r.toks) || r.cover[i] == 0 {
		return nil
	}
	return r.cands[r.cover[i]-1]
}

func (r *run) free(a, b int) bool {
	for i := a; i < b; i++ {
		if r.cover[i] != 0 {
			return false
		}
	}
	return true
}

func (r *run) add(c *cand) {
	r.cands = append(r.cands, c)
	for i := c.t0; i < c.t1; i++ {
		r.cover[i] = int32(len(r.cands))
	}
}

func (r *run) kill(c *cand) {
	c.dead = true
	for i := c.t0; i < c.t1; i++ {
		if r.at(i) == c {
			r.cover[i] = 0
		}
	}
}

// words counts the tokens of [a, b) that are not name particles.
func (r *run) words(a, b int) int {
	n := 0
	for i := a; i < b; i++ {
		if !r.is(cueParticle, i) {
			n++
		}
	}
	return n
}
