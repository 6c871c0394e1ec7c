// Package textnorm turns text in any of mizan's languages into the keys that search, the
// knowledge-base name matcher and entity resolution compare, without ever losing track of where
// each key came from in the original text.
//
// Every function applies Unicode NFKC first, so compatibility forms (full-width Latin, ligatures
// such as "ﬁ", Arabic presentation forms such as "ﻻ") compare equal to their plain forms. On top
// of that, and selected by Options:
//
//   - Lower: Unicode simple lower-casing ("Algérie" → "algérie", "İ" → "i").
//   - FoldLatin: diacritics removed from Latin letters ("é" → "e", "ç" → "c"), letters without a
//     decomposition spelled out ("ß" → "ss", "æ" → "ae", "ø" → "o", "ł" → "l"), typographic
//     apostrophes and quotes made ASCII.
//   - Arabic: hamza and alef variants to bare alef, alif maqsura to yeh, taa marbuta to heh, hamza
//     seats to their letter, Persian and Urdu letter variants to Arabic ones, harakat, Quranic
//     marks and tatweel removed, Arabic-Indic digits to ASCII (see NormalizeArabic).
//   - Clitics: Arabic proclitics (conjunctions, prepositions and the article) stripped from each
//     word (see StripClitics).
//
// Words (see Tokens) are maximal runs of letters and digits; combining marks stay with their
// word, and zero-width joiners, soft hyphens and tatweel inside a word do not break it.
// Apostrophes and hyphens always separate words ("l'Algérie" is "l" + "algerie", "al-Sharaa" is
// "al" + "sharaa"), as SQLite's FTS5 unicode61 tokenizer and PostgreSQL's parser also split them,
// so a key never holds a character that a full-text index would split on, and a query goes
// through the same function as the indexed text. A change of script between Arabic and another
// script also ends a word ("Algeriaالجزائر" is two words).
//
// All functions are safe for concurrent use. Offsets are byte offsets into Go strings; convert
// them to mizan.Span character offsets with mizan.TextIndex.
package textnorm

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Options selects the normalisations Normalize applies after NFKC.
type Options struct {
	// Lower lower-cases letters (Unicode simple case mapping).
	Lower bool
	// FoldLatin removes diacritics from Latin letters and spells out ß, æ, œ, ø and similar
	// letters (see FoldLatin).
	FoldLatin bool
	// Arabic unifies Arabic letter variants and removes harakat and tatweel (see
	// NormalizeArabic).
	Arabic bool
	// Clitics strips Arabic proclitics from the start of every Arabic word (see StripClitics).
	Clitics bool
}

// DefaultOptions returns the options Tokens, Key and SearchText use: everything on.
func DefaultOptions() Options {
	return Options{Lower: true, FoldLatin: true, Arabic: true, Clitics: true}
}

// Normalize returns s normalised under o (always NFKC first) and an offset map: for every byte i
// of the result, and one past its end, m[i] is the byte offset in s that byte came from. The map
// is monotone non-decreasing, every value is in [0, len(s)], and m[len(result)] == len(s), so a
// range [a, b) of the result maps back to s[m[a]:m[b]]. Bytes produced by expanding one
// character ("ß" → "ss", "ﻻ" → "لا") all map to that character; a removed character (a haraka,
// a stripped proclitic) falls inside the range of the result byte before it, so a word keeps its
// diacritics when mapped back. Invalid UTF-8 becomes U+FFFD. Unlike SearchText, Normalize keeps
// spaces and punctuation.
func Normalize(s string, o Options) (string, []int) {
	out := make([]byte, 0, len(s)+len(s)/8)
	m := make([]int, 0, len(s)+len(s)/8+1)
	it := newRuneIter(s)
	var st foldState
	for {
		r, origin, ok := it.next()
		if !ok {
			break
		}
		n := len(out)
		out = appendRune(out, r, o, &st)
		for range len(out) - n {
			m = append(m, origin)
		}
	}
	m = append(m, len(s))
	if o.Clitics {
		out, m = stripTextClitics(out, m)
	}
	return string(out), m
}

// FoldLatin returns NFKC(s) with diacritics removed from Latin letters and a few letters spelled
// out: é→e, ï→i, ç→c, ß→ss, ø→o, æ→ae, œ→oe, ł→l, đ→d, þ→th, and typographic apostrophes and
// quotes replaced by ASCII ones. Case is kept; other scripts pass through NFKC only.
func FoldLatin(s string) string {
	if isASCII(s) {
		return s
	}
	out, _ := Normalize(s, Options{FoldLatin: true})
	return out
}

// NormalizeArabic returns NFKC(s) with Arabic spelling variants unified, as search and name
// matching need: أ إ آ ٱ → ا; ى → ي; ة → ه; ؤ → و; ئ → ي; Persian and Urdu ی ک ہ ۃ ے → ي ك ه;
// tatweel, harakat (U+064B–U+065F, U+0670) and Quranic annotation marks removed; Arabic-Indic and
// Extended Arabic-Indic digits → ASCII digits. The lone hamza ء is kept. Other scripts pass
// through NFKC only.
func NormalizeArabic(s string) string {
	if isASCII(s) {
		return s
	}
	out, _ := Normalize(s, Options{Arabic: true})
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// runeIter yields the runes of NFKC(s) with the byte offset in s each came from. Text that NFKC
// leaves alone (the quick-check span, nearly all real text) is decoded in place; only the
// segments around characters NFKC changes are normalised, one segment at a time, so origins stay
// exact: when a segment keeps its number of characters each output rune maps to its own source
// rune, otherwise all of them map to the segment's start.
type runeIter struct {
	s        string
	i        int    // next unread byte of s
	quick    int    // s[i:quick] is known to be NFKC already
	seg      string // NFKC of the current slow segment
	j        int    // next unread byte of seg
	segStart int    // where the slow segment starts in s
	src      int    // source offset of the next rune of seg, when lockstep
	lockstep bool
}

func newRuneIter(s string) runeIter { return runeIter{s: s} }

func (it *runeIter) next() (r rune, origin int, ok bool) {
	for {
		if it.j < len(it.seg) {
			r, n := utf8.DecodeRuneInString(it.seg[it.j:])
			it.j += n
			if !it.lockstep {
				return r, it.segStart, true
			}
			origin := it.src
			_, m := utf8.DecodeRuneInString(it.s[it.src:])
			it.src += m
			return r, origin, true
		}
		if it.i < it.quick {
			if c := it.s[it.i]; c < utf8.RuneSelf {
				it.i++
				return rune(c), it.i - 1, true
			}
			r, n := utf8.DecodeRuneInString(it.s[it.i:])
			origin := it.i
			it.i += n
			return r, origin, true
		}
		if it.i >= len(it.s) {
			return 0, 0, false
		}
		if q := inertSpan(it.s, it.i); q > it.i {
			it.quick = q
			continue
		}
		rest := it.s[it.i:]
		if q := norm.NFKC.QuickSpanString(rest); q > 0 {
			it.quick = it.i + q
			continue
		}
		k := norm.NFKC.NextBoundaryInString(rest, true)
		if k <= 0 {
			_, k = utf8.DecodeRuneInString(rest)
		}
		src := rest[:k]
		it.seg, it.j = norm.NFKC.String(src), 0
		it.segStart, it.src = it.i, it.i
		it.lockstep = utf8.RuneCountInString(it.seg) == utf8.RuneCountInString(src)
		it.i += k
		it.quick = it.i
	}
}

// stripTextClitics removes the Arabic proclitics of every word of the normalised text out, and
// the matching entries of its offset map m.
func stripTextClitics(out []byte, m []int) ([]byte, []int) {
	s := string(out)
	w, k := 0, 0 // write positions in out and m; everything before k has been kept or dropped
	for i := 0; ; {
		start, end := nextWord(s, i)
		if start < 0 {
			break
		}
		i = end
		if !mayHaveClitics(s[start:end]) {
			continue
		}
		_, n := clitics(s[start:end])
		if n == 0 {
			continue
		}
		// keep [k, start), drop [start, start+n)
		copy(m[w:], m[k:start])
		w += copy(out[w:], out[k:start])
		k = start + n
	}
	if k == 0 {
		return out, m
	}
	copy(m[w:], m[k:]) // includes the final entry, m[len(out)]
	w += copy(out[w:], out[k:])
	return out[:w], m[:w+1]
}

// inertSpan returns the end of the run of characters from s[i:] that NFKC certainly leaves
// alone, found with a table lookup per character (cheaper than norm's quick check for the
// alphabets mizan reads most). The last character before one that is not inert is left out, since
// it may combine with it.
func inertSpan(s string, i int) int {
	last := i
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			last = i
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= 0x800 || smallProps[r]&pInert == 0 {
			return last
		}
		last = i
		i += n
	}
	return i
}
