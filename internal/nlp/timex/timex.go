// Package timex finds time expressions in English, French and Arabic text and normalises them
// relative to a document's publication date, never more precisely than the text allows.
//
// Two layers do the work. Absolute dates ("September 16, 2022", "27 فبراير 2023", "le 16
// septembre 2022") and counted offsets ("two weeks ago", "il y a 3 jours") are computed by
// github.com/markusmobius/go-dateparser, with the document date as its current time and its
// preferred date source set to the past (the future for planned events). What it lacks is ours,
// a small grammar over the time words of data/{en,fr,ar}.txt:
//
//   - modified months and years: "in early November" → the month; "end of 2024", "fin 2024",
//     "نهاية عام 2024" → a range (see modRange);
//   - seasons: "fall of 2022", "l'automne 2022", "خريف 2022" → the meteorological season;
//   - weekdays relative to the document date: "last Wednesday", "mercredi dernier", "الأربعاء
//     الماضي";
//   - deictic days ("yesterday", "hier", "أمس"), relative units ("last year", "le mois dernier",
//     "العام الماضي"), relative months ("next November", "novembre dernier"), vague periods ("in
//     recent years", "earlier this year", "ces derniers mois", "خلال الأشهر الأخيرة"), "since
//     2019", decades.
//
// An expression that needs the document date keeps its text and Precision "relative", with no
// Start or End, when the document is undated (or dated less precisely than the expression needs:
// "yesterday" in a document known only to the month). Every result carries its Precision.
package timex

import (
	"regexp"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	dps "github.com/markusmobius/go-dateparser"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// Ref is the date relative expressions are resolved against: a document's publication date.
type Ref struct {
	// Time is nil for an undated document.
	Time *time.Time
	// Precision is how exactly Time is known ("" means to the day).
	Precision mizan.Precision
	// Future prefers a future reading of incomplete dates ("in November" in a sentence about a
	// planned event); by default they are read as past, as news reports what happened.
	Future bool
}

// RefOf returns the Ref of a document.
func RefOf(d *mizan.Document) Ref {
	return Ref{Time: d.Published, Precision: d.PublishedPrecision}
}

// Normalizer finds time expressions. It is safe for concurrent use.
type Normalizer struct {
	lex map[string]*lexicon
	dp  *dps.Parser
}

var (
	defaultOnce sync.Once
	defaultN    *Normalizer
	defaultErr  error
)

// Default returns the normaliser built from the embedded lexicons, built once per process.
func Default() (*Normalizer, error) {
	defaultOnce.Do(func() {
		lex, err := loadLexicons()
		if err != nil {
			defaultErr = err
			return
		}
		defaultN = &Normalizer{lex: lex, dp: &dps.Parser{}}
	})
	return defaultN, defaultErr
}

// Languages lists the languages the normaliser knows.
func (n *Normalizer) Languages() []string { return []string{"en", "fr", "ar"} }

// kind is the shape of an expression, which decides how it is resolved.
type kind uint8

const (
	kDate     kind = iota + 1 // day/month/year, some absent ("December 7th", "November 2022", "2024")
	kModYear                  // "end of 2024", "end of last year"
	kModMonth                 // "end of the month", "early last month"
	kSeason                   // "fall of 2022", "last summer"
	kWeekday                  // "last Wednesday"
	kRelUnit                  // "last year", "this week"
	kDeictic                  // "yesterday"
	kAgo                      // "two weeks ago"
	kVague                    // "in recent years"
	kSince                    // "since 2019"
	kDecade                   // "the 1990s"
	kNumeric                  // "27/02/2023"
)

// Expr is one time expression found in a text, not yet resolved against a document date.
type Expr struct {
	// Start and End are byte offsets into the text given to Find.
	Start, End int
	Text       string

	kind    kind
	lang    string
	year    int    // 0: not given
	month   int    // 0: not given
	day     int    // 0: not given
	weekday int    // -1: not given
	season  string // spring, summer, fall, winter
	mod     string // early, mid, late, end
	rel     int    // -1 last, 0 this, 1 next
	hasRel  bool
	unit    string // day, week, month, year
	count   int
	vague   string
	inner   *Expr // the date after "since"
	n       *Normalizer
}

// Find returns the time expressions of text, in order and without overlap. lang selects the
// lexicon ("en", "fr", "ar"); another language gets English.
func (n *Normalizer) Find(text, lang string) []Expr {
	lx := n.lex[lang]
	if lx == nil {
		lang, lx = "en", n.lex["en"]
	}
	s := scan(text, lx)
	numeric := numericDate.FindAllStringIndex(text, -1)
	var out []Expr
	for i := 0; i < len(s.atoms); {
		if len(numeric) > 0 && s.toks[s.atoms[i].i].start >= numeric[0][0] {
			m := numeric[0]
			numeric = numeric[1:]
			out = append(out, Expr{Start: m[0], End: m[1], Text: text[m[0]:m[1]], kind: kNumeric, weekday: -1, lang: lang, n: n})
			for i < len(s.atoms) && s.toks[s.atoms[i].i].start < m[1] {
				i++
			}
			continue
		}
		e, used, ok := s.match(i)
		if !ok {
			i++
			continue
		}
		a, b := s.atoms[i], s.atoms[i+used-1]
		e.Start, e.End = s.toks[a.i].start, s.toks[b.j-1].end
		if b.dot {
			e.End++ // the period of an abbreviated month ("Dec.")
		}
		e.Text, e.lang, e.n = text[e.Start:e.End], lang, n
		if e.inner != nil {
			e.inner.lang, e.inner.n = lang, n
		}
		out = append(out, e)
		i += used
		for len(numeric) > 0 && numeric[0][0] < e.End {
			numeric = numeric[1:]
		}
	}
	return out
}

// numericDate matches dates written in digits: ISO "2023-02-27" and day-first "27/02/2023",
// "27.02.2023" (the order of news in all three languages; go-dateparser reads them by locale).
var numericDate = regexp.MustCompile(`\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})\b`)

// Normalize finds the first time expression in text and resolves it against ref: a shortcut
// for Find and Resolve. The result's Span is nil.
func (n *Normalizer) Normalize(text, lang string, ref Ref) (mizan.TimeExpr, bool) {
	es := n.Find(text, lang)
	if len(es) == 0 {
		return mizan.TimeExpr{Precision: mizan.PrecisionUnknown}, false
	}
	return es[0].Resolve(ref), true
}

// tok is one word of the scanned text.
type tok struct {
	key        string
	start, end int
	article    bool
	upper      bool // starts with an upper-case letter
}

// atom is a time word or phrase (or a number, or any other word) spanning tokens [i, j).
type atom struct {
	i, j  int
	es    []*entry // every lexicon reading of the phrase (a word can be a unit and a filler)
	class class    // the class of numbers and plain words
	num   int      // the value of a number
	gap   gap      // what separates this atom from the next
	dot   bool     // an abbreviated month followed by its period
	first bool     // the first word of the text
}

// gap is what lies between two atoms.
type gap uint8

const (
	gapSpace gap = iota // spaces, hyphens, apostrophes
	gapComma            // a comma (Latin or Arabic), with spaces
	gapStop             // anything else: the expression cannot continue
)

type scanner struct {
	text  string
	toks  []tok
	atoms []atom
}

func scan(text string, lx *lexicon) *scanner {
	s := &scanner{text: text}
	for _, t := range textnorm.Tokens(text) {
		r, _ := utf8.DecodeRuneInString(text[t.Start:])
		s.toks = append(s.toks, tok{key: t.Key, start: t.Start, end: t.End, article: hasArticle(t), upper: unicode.IsUpper(r)})
	}
	for i := 0; i < len(s.toks); {
		a := atom{i: i, j: i + 1, first: i == 0}
		if es := s.lookup(lx, i); len(es) > 0 {
			a.es, a.j = es, i+len(es[0].words)
		} else {
			a.class, a.num = numberClass(s.toks[i].key)
		}
		s.atoms = append(s.atoms, a)
		i = a.j
	}
	for k := range s.atoms {
		a := &s.atoms[k]
		end := s.toks[a.j-1].end
		// "Dec. 21": the period of an abbreviated month belongs to it (and does not end the date)
		// when a number follows.
		if a.has(cMonth) && a.j-a.i == 1 && end-s.toks[a.i].start <= 4 && end < len(text) && text[end] == '.' &&
			a.j < len(s.toks) && s.toks[a.j].key[0] >= '0' && s.toks[a.j].key[0] <= '9' {
			a.dot = true
			end++
		}
		if k+1 < len(s.atoms) {
			a.gap = gapOf(text[end:s.toks[s.atoms[k+1].i].start])
		} else {
			a.gap = gapStop
		}
	}
	return s
}

// lookup returns the lexicon entries of the longest phrase starting at token i, all readings.
func (s *scanner) lookup(lx *lexicon, i int) []*entry {
	var out []*entry
	for _, e := range lx.byFirst[s.toks[i].key] {
		if len(out) > 0 && len(e.words) < len(out[0].words) {
			break
		}
		if s.phraseAt(e, i) {
			out = append(out, e)
		}
	}
	return out
}

func (s *scanner) phraseAt(e *entry, i int) bool {
	if i+len(e.words) > len(s.toks) {
		return false
	}
	for k, w := range e.words {
		t := s.toks[i+k]
		if t.key != w.key || (w.article && !t.article) {
			return false
		}
		if k > 0 && gapOf(s.text[s.toks[i+k-1].end:t.start]) != gapSpace {
			return false
		}
	}
	return true
}

func gapOf(g string) gap {
	out := gapSpace
	for _, r := range g {
		switch {
		case unicode.IsSpace(r) || r == '-' || r == '\'' || r == '’' || r == '‐' || r == '–':
		case r == ',' || r == '،':
			if out == gapComma {
				return gapStop
			}
			out = gapComma
		default:
			return gapStop
		}
	}
	return out
}

// numberClass classifies a token that is not a time word.
func numberClass(key string) (class, int) {
	digits := 0
	for digits < len(key) && key[digits] >= '0' && key[digits] <= '9' {
		digits++
	}
	if digits == 0 || digits > 4 {
		return cWord, 0
	}
	v := 0
	for _, c := range key[:digits] {
		v = v*10 + int(c-'0')
	}
	switch suffix := key[digits:]; {
	case suffix == "s" && digits == 4 && v%10 == 0 && v >= 1900 && v < 2100:
		return cDecade, v
	case suffix == "":
		if digits == 4 && v >= 1000 && v < 2200 {
			return cYear, v
		}
		if digits <= 2 && v >= 1 && v <= 31 {
			return cDay, v
		}
		return cNumber, v
	case digits <= 2 && v >= 1 && v <= 31 && (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th" || suffix == "er" || suffix == "e"):
		return cDay, v
	}
	return cWord, 0
}

// has reports whether the atom can be read as class c.
func (a atom) has(c class) bool {
	if a.class == c && a.es == nil {
		return true
	}
	for _, e := range a.es {
		if e.class == c {
			return true
		}
	}
	return false
}

// get returns the atom's reading as class c.
func (a atom) get(c class) *entry {
	for _, e := range a.es {
		if e.class == c {
			return e
		}
	}
	return nil
}
