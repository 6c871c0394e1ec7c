package timex

import (
	"bufio"
	"embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/mizan-osint/mizan/internal/textnorm"
)

//go:embed data/*.txt
var dataFS embed.FS

// class is the kind of a time word.
type class uint8

const (
	cWord    class = iota // anything else
	cMonth                // value 1..12
	cWeekday              // value 0 (Sunday) ..6, as time.Weekday
	cSeason               // value: spring, summer, fall, winter
	cMod                  // value: early, mid, late, end
	cRel                  // value -1, 0, 1: last, this, next
	cUnit                 // value day, week, month, year, with an optional count prefix ("2weeks")
	cDeictic              // value: day offset from the reference date (yesterday = -1)
	cVague                // value: recent-years, earlier-this-year ...
	cAgo                  // value pre ("il y a", "منذ") or post ("ago")
	cSince                // value pre ("since", "depuis")
	cCount                // value: a number written as a word
	cFiller               // value of: words that may sit inside an expression ("end of 2024", "عام 2024")
	cDet                  // value the: an article before a year used as an adjective ("the 2001 agreement")
	cPrep                 // value in: a preposition after which a bare number is a year ("in 2024")
	cEvery                // value every: a recurrence ("every Friday" is no date)
	cYear                 // a number from 1000 to 2199 (set by the scanner, not the lexicon)
	cDay                  // a number from 1 to 31, possibly with an ordinal suffix
	cNumber               // another number
	cDecade               // "1990s"
)

var classNames = map[string]class{
	"month": cMonth, "weekday": cWeekday, "season": cSeason, "mod": cMod, "rel": cRel, "unit": cUnit,
	"deictic": cDeictic, "vague": cVague, "ago": cAgo, "since": cSince, "count": cCount, "filler": cFiller,
	"det": cDet, "prep": cPrep, "every": cEvery,
}

// word is one word of a lexicon phrase: its key and whether the Arabic article must be there
// ("اليوم" today, not "يوم" a day).
type word struct {
	key     string
	article bool
}

// entry is one phrase of the lexicon.
type entry struct {
	words     []word
	class     class
	value     string
	num       int  // value as a number for month, weekday, rel, deictic, count
	ambiguous bool // "!" in the file: needs a capital letter or a neighbouring time word
}

// lexicon is the time vocabulary of one language, indexed by the key of a phrase's first word.
type lexicon struct {
	lang    string
	byFirst map[string][]*entry // longest phrases first
}

// parseLexicon reads a lexicon file (format documented in data/en.txt).
func parseLexicon(lang, src string) (*lexicon, error) {
	lx := &lexicon{lang: lang, byFirst: map[string][]*entry{}}
	sc := bufio.NewScanner(strings.NewReader(src))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		head, phrases, ok := strings.Cut(s, "|")
		f := strings.Fields(head)
		if !ok || len(f) != 2 {
			return nil, fmt.Errorf("%s line %d: want \"CLASS VALUE | phrase, ...\"", lang, line)
		}
		c, known := classNames[f[0]]
		if !known {
			return nil, fmt.Errorf("%s line %d: unknown class %q", lang, line, f[0])
		}
		n, err := strconv.Atoi(f[1])
		numeric := c == cMonth || c == cWeekday || c == cRel || c == cDeictic || c == cCount
		if numeric && err != nil {
			return nil, fmt.Errorf("%s line %d: %s needs a number, not %q", lang, line, f[0], f[1])
		}
		for _, p := range strings.Split(phrases, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			e := &entry{class: c, value: f[1], num: n}
			if strings.HasSuffix(p, "!") {
				e.ambiguous, p = true, strings.TrimSuffix(p, "!")
			}
			for _, tk := range textnorm.Tokens(p) {
				e.words = append(e.words, word{key: tk.Key, article: hasArticle(tk)})
			}
			if len(e.words) == 0 {
				return nil, fmt.Errorf("%s line %d: phrase %q has no word", lang, line, p)
			}
			k := e.words[0].key
			lx.byFirst[k] = append(lx.byFirst[k], e)
		}
	}
	for _, es := range lx.byFirst {
		// Longest first; among equals, the phrase that asks for the article first (it is the
		// more specific reading).
		sortEntries(es)
	}
	return lx, sc.Err()
}

func sortEntries(es []*entry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && less(es[j], es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func less(a, b *entry) bool {
	if len(a.words) != len(b.words) {
		return len(a.words) > len(b.words)
	}
	return articles(a) > articles(b)
}

func articles(e *entry) int {
	n := 0
	for _, w := range e.words {
		if w.article {
			n++
		}
	}
	return n
}

// hasArticle reports whether an Arabic word carries the article ال (after any conjunction or
// preposition clitic): textnorm then puts the stem after the article.
func hasArticle(tk textnorm.Token) bool { return tk.StemStart > tk.ArticleStart }

// loadLexicons parses the embedded lexicons.
func loadLexicons() (map[string]*lexicon, error) {
	out := map[string]*lexicon{}
	for _, lang := range []string{"en", "fr", "ar"} {
		b, err := dataFS.ReadFile("data/" + lang + ".txt")
		if err != nil {
			return nil, err
		}
		lx, err := parseLexicon(lang, string(b))
		if err != nil {
			return nil, err
		}
		out[lang] = lx
	}
	return out, nil
}
