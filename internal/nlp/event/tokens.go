package event

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// token is a word or a punctuation mark of a sentence.
type token struct {
	key   string // textnorm key (French "à" and "où" keep their accent)
	full  string // the word folded but with its clitics, for stems ("يلتق*")
	alt   string // Arabic: the key without the alif of the indefinite accusative ("تحالفا")
	start int    // byte offsets into the document text
	end   int
	punct rune // the mark, for punctuation; 0 for a word
	conj  bool // Arabic: written with the conjunction و or ف in front
	prep  string
	upper bool
	ment  int    // index of the mention covering the word, -1 for none
	tag   string // Penn Treebank tag, when the English tagger ran

	cue    cue // classes of the cue phrases starting here
	cueEnd int // token index after the longest of them
	in     cue // classes of cue phrases covering this token
	phr    []cueSpan
}

// cueSpan is a cue phrase starting at a token.
type cueSpan struct {
	bits cue
	end  int
}

// endOf returns the end of the longest cue phrase of class c starting at the token (the
// token after it when none).
func (t token) endOf(c cue) int {
	for _, p := range t.phr {
		if p.bits&c != 0 {
			return p.end
		}
	}
	return t.cueEnd
}

// quoteMarks open or close a quotation.
func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '«', '»', '„':
		return true
	}
	return false
}

// isPunct reports whether r is a mark that matters to the structure of a clause.
func isPunct(r rune) bool {
	switch r {
	case ',', ';', ':', '.', '!', '?', '(', ')', '[', ']', '،', '؛', '؟', '—', '–', '…', '|':
		return true
	}
	return isQuote(r)
}

// arabicFunction are words that textnorm leaves whole after the conjunction و ("ومع"): the
// tokenizer splits the conjunction off them.
var arabicFunction = map[string]bool{"مع": true, "في": true, "من": true, "علي": true, "عن": true, "الي": true, "بين": true, "ضد": true}

// tokenize splits the text of [start, end) bytes of the document into tokens.
func tokenize(text string, start, end int, lang string) []token {
	s := text[start:end]
	var out []token
	pos := 0
	addPunct := func(from, to int) {
		for i, r := range s[from:to] {
			if isPunct(r) {
				out = append(out, token{punct: r, start: start + from + i, end: start + from + i + utf8.RuneLen(r), ment: -1})
			}
		}
	}
	for _, t := range textnorm.Tokens(s) {
		addPunct(pos, t.Start)
		pos = t.End
		word := s[t.Start:t.End]
		r, _ := utf8.DecodeRuneInString(word)
		tk := token{key: wordKey(lang, word, t.Key), start: start + t.Start, end: start + t.End, upper: unicode.IsUpper(r), ment: -1}
		tk.full = tk.key
		if textnorm.IsArabic(r) {
			tk.full = fullForm(word)
			if t.ArticleStart > t.Start {
				clitics := s[t.Start:t.ArticleStart]
				if strings.HasPrefix(clitics, "و") || strings.HasPrefix(clitics, "ف") {
					tk.conj = true
					_, n := utf8.DecodeRuneInString(clitics)
					clitics = clitics[n:]
				}
				if clitics != "" {
					p, _ := utf8.DecodeRuneInString(clitics)
					tk.prep = string(p)
				}
			}
			if k := tk.key; (strings.HasPrefix(k, "و") || strings.HasPrefix(k, "ف")) && arabicFunction[k[len("و"):]] {
				tk.conj, tk.key = true, k[len("و"):]
			}
			if k := tk.key; len(k) > 6 && strings.HasSuffix(k, "ا") {
				tk.alt = strings.TrimSuffix(k, "ا")
			}
			for _, suf := range []string{"هما", "هم", "ها", "ه"} {
				// An attached pronoun: "نشرهم" (deployed them) is "نشر". A final ه must be written
				// so: the key also spells the taa marbuta ة as ه ("القدرة" is no pronoun).
				if suf == "ه" && !strings.HasSuffix(word, "ه") {
					continue
				}
				if k := tk.key; len(k) >= len(suf)+6 && strings.HasSuffix(k, suf) && tk.alt == "" {
					tk.alt = strings.TrimSuffix(k, suf)
					break
				}
			}
		}
		out = append(out, tk)
	}
	addPunct(pos, len(s))
	return out
}

// sentMention is a mention inside the sentence being read.
type sentMention struct {
	*mizan.Mention
	start, end  int // byte offsets into the document text
	first, last int // token range [first, last]
}

// attachMentions marks the tokens covered by each mention. Mentions are sorted and do not
// overlap (the entity stage's contract); one that covers no word is dropped.
func attachMentions(toks []token, ms []sentMention) []sentMention {
	out := ms[:0]
	k := 0
	for _, m := range ms {
		for k < len(toks) && toks[k].end <= m.start {
			k++
		}
		first, last := -1, -1
		for j := k; j < len(toks) && toks[j].start < m.end; j++ {
			if toks[j].punct == 0 && toks[j].ment < 0 {
				if first < 0 {
					first = j
				}
				last = j
			}
		}
		if first < 0 {
			continue
		}
		m.first, m.last = first, last
		idx := len(out)
		for j := first; j <= last; j++ {
			toks[j].ment = idx
		}
		if m.start <= toks[first].start {
			// The name begins with what looked like a clitic ("بيدرو" is not "ب" + "يدرو").
			toks[first].prep, toks[first].conj = "", false
		}
		out = append(out, m)
	}
	return out
}

// annotateCues marks every token with the cue phrases that start at it and cover it.
func annotateCues(toks []token, lx *Lexicon) {
	never := func(int) bool { return true }
	for i := range toks {
		ms := lx.cues.matchAt(toks, i, never)
		if len(ms) == 0 {
			continue
		}
		// The longest phrase names the token; every phrase starting here marks the words it
		// covers ("information leaked" is a document inside "information leaked by").
		toks[i].cueEnd = ms[0].end
		for _, o := range ms {
			toks[i].cue |= cue(o.p.val)
			toks[i].phr = append(toks[i].phr, cueSpan{bits: cue(o.p.val), end: o.end})
			for j := i; j < o.end; j++ {
				toks[j].in |= cue(o.p.val)
			}
		}
	}
}
