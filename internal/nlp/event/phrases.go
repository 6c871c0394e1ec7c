package event

import (
	"fmt"
	"strings"

	"github.com/mizan-osint/mizan/internal/textnorm"
)

// maxGap is how many words ".." lets through in a lexicon phrase ("held .. talks" matches "held
// high-level security talks").
const maxGap = 3

// pword is one word of a lexicon phrase.
type pword struct {
	key    string
	prefix bool // written with a final "*": any word that starts so
	gap    bool // ".." before it: up to maxGap words may come first
}

// phrase is a lexicon phrase and its payload.
type phrase struct {
	text  string
	words []pword
	val   uint64
}

// phraseSet matches lexicon phrases against the tokens of a sentence.
type phraseSet struct {
	lang    string
	byFirst map[string][]*phrase
	stems   []*phrase // phrases whose first word is a stem ("condemn*")
}

func newPhraseSet(lang string) *phraseSet {
	return &phraseSet{lang: lang, byFirst: map[string][]*phrase{}}
}

// parse turns a lexicon phrase into words.
func (ps *phraseSet) parse(s string) ([]pword, error) {
	var out []pword
	gap := false
	for _, f := range strings.Fields(s) {
		if f == ".." {
			if len(out) == 0 {
				return nil, fmt.Errorf("phrase %q starts with ..", s)
			}
			gap = true
			continue
		}
		if k, ok := cliticWord(ps.lang, f); ok {
			out = append(out, pword{key: k, gap: gap})
			gap = false
			continue
		}
		stem := strings.HasSuffix(f, "*")
		f = strings.TrimSuffix(f, "*")
		toks := textnorm.Tokens(f)
		for i, t := range toks {
			w := pword{key: wordKey(ps.lang, f[t.Start:t.End], t.Key), gap: gap && i == 0}
			if stem && i == len(toks)-1 {
				// A stem is compared with words as written (case and letter variants folded, no
				// clitic removed), so "التق*" is not mistaken for the article and a stem.
				w.key, w.prefix = fullForm(f[t.Start:t.End]), true
				if len([]rune(w.key)) < 3 {
					return nil, fmt.Errorf("stem %q is too short (3 letters at least)", f)
				}
			}
			out = append(out, w)
		}
		gap = false
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("phrase %q has no word", s)
	}
	if gap {
		return nil, fmt.Errorf("phrase %q ends with ..", s)
	}
	return out, nil
}

// fullForm is a word lower-cased and folded, Arabic letters unified, with no clitic removed.
func fullForm(w string) string {
	s, _ := textnorm.Normalize(w, textnorm.Options{Lower: true, FoldLatin: true, Arabic: true})
	return s
}

// add adds a phrase with its payload.
func (ps *phraseSet) add(s string, val uint64) error {
	ws, err := ps.parse(s)
	if err != nil {
		return err
	}
	p := &phrase{text: s, words: ws, val: val}
	if ws[0].prefix {
		ps.stems = append(ps.stems, p)
	} else {
		ps.byFirst[ws[0].key] = append(ps.byFirst[ws[0].key], p)
	}
	return nil
}

// merge ORs bits into the payload of an identical phrase, adding it when new.
func (ps *phraseSet) merge(s string, bits uint64) error {
	ws, err := ps.parse(s)
	if err != nil {
		return err
	}
	for _, p := range ps.byFirst[ws[0].key] {
		if samePhrase(p.words, ws) {
			p.val |= bits
			return nil
		}
	}
	return ps.add(s, bits)
}

func samePhrase(a, b []pword) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// pmatch is a phrase found at a token: it covers tokens [i, end).
type pmatch struct {
	p   *phrase
	end int
	// words are the token indexes of the phrase's own words (gaps excluded).
	words []int
}

// matchAt returns the phrases that start at token i, the longest first. blocked(k) says that
// token k cannot be inside a gap (punctuation, a clause boundary).
func (ps *phraseSet) matchAt(toks []token, i int, blocked func(k int) bool) []pmatch {
	if toks[i].punct != 0 {
		return nil
	}
	var out []pmatch
	try := func(p *phrase) {
		if idx, ok := matchWords(toks, i, p.words, blocked); ok {
			out = append(out, pmatch{p: p, end: idx[len(idx)-1] + 1, words: idx})
		}
	}
	for _, p := range ps.byFirst[toks[i].key] {
		try(p)
	}
	if toks[i].alt != "" {
		for _, p := range ps.byFirst[toks[i].alt] {
			try(p)
		}
	}
	for _, p := range ps.stems {
		try(p)
	}
	// Longest first (in words matched, then in tokens covered: a gap makes a looser match).
	for a := 1; a < len(out); a++ {
		for b := a; b > 0 && longer(out[b], out[b-1]); b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	return out
}

func longer(a, b pmatch) bool {
	if len(a.words) != len(b.words) {
		return len(a.words) > len(b.words)
	}
	return a.end < b.end
}

// matchWords matches the words of a phrase from token i, trying the shortest gaps first.
func matchWords(toks []token, i int, ws []pword, blocked func(int) bool) ([]int, bool) {
	idx := make([]int, 0, len(ws))
	var rec func(k, w int) bool
	rec = func(k, w int) bool {
		if w == len(ws) {
			return true
		}
		limit := 0
		if ws[w].gap {
			limit = maxGap
		}
		for skip := 0; skip <= limit; skip++ {
			j := k + skip
			if j >= len(toks) {
				return false
			}
			if skip > 0 && (toks[j-1].punct != 0 || blocked(j-1)) {
				return false
			}
			if wordMatches(toks[j], ws[w]) {
				idx = append(idx, j)
				if rec(j+1, w+1) {
					return true
				}
				idx = idx[:len(idx)-1]
			}
		}
		return false
	}
	if !wordMatches(toks[i], ws[0]) {
		return nil, false
	}
	idx = append(idx, i)
	if !rec(i+1, 1) {
		return nil, false
	}
	return idx, true
}

func wordMatches(t token, w pword) bool {
	if t.punct != 0 {
		return false
	}
	if w.prefix {
		return strings.HasPrefix(t.full, w.key) || strings.HasPrefix(t.key, w.key)
	}
	return t.key == w.key || (t.alt != "" && t.alt == w.key)
}
