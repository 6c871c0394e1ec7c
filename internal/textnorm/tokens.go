package textnorm

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Token is one word of the original text and its normalised key.
type Token struct {
	// Key is the normalised form used for matching and indexing: NFKC, lower-cased, Latin
	// diacritics folded, Arabic variants unified, Arabic proclitics stripped. Never "".
	Key string
	// Start and End are the byte offsets of the whole word in the original string.
	Start, End int
	// StemStart is the byte offset after the stripped Arabic proclitics (و ف ب ك ل and their
	// combinations with the article: وب، فل، لل، وال، بال، كال، فال …); == Start when none.
	StemStart int
	// ArticleStart is the byte offset after the conjunction and preposition proclitics but before
	// the article ال, so "والجزائر" points at "الجزائر"; for لل (ل + article with its alef
	// dropped) it points at the second ل. When the word has proclitics but no article it equals
	// StemStart; == Start when none.
	ArticleStart int
}

// Tokens splits s into words and returns them with their keys, in text order. A word is a
// maximal run of letters and digits (Unicode), with the combining marks that follow them;
// zero-width joiners, soft hyphens and tatweel inside a word do not end it, apostrophes and
// hyphens do, and so does a change between Arabic and another script (see the package comment).
// Words whose key is empty (a run of tatweel) are skipped. Spans never overlap and always fall on
// UTF-8 character boundaries. A key spelled exactly like its word is a substring of s and shares
// its memory: strings.Clone keys kept long after s.
func Tokens(s string) []Token {
	toks := make([]Token, 0, len(s)/6+1)
	var scratch [128]byte
	for i := 0; ; {
		start, end := nextWord(s, i)
		if start < 0 {
			return toks
		}
		i = end
		w := s[start:end]
		art, stem := 0, 0
		if mayHaveClitics(w) {
			art, stem = clitics(w)
		}
		key := keyOf(scratch[:0], w[stem:])
		if key == "" {
			continue
		}
		toks = append(toks, Token{Key: key, Start: start, End: end, StemStart: start + stem, ArticleStart: start + art})
	}
}

// SearchText returns the keys of the words of s joined by single spaces: the text to put into a
// full-text index (SQLite FTS5 with the unicode61 tokenizer, PostgreSQL with the 'simple'
// configuration), and what a query must be turned into before it is matched against that index.
// Keys hold only letters, digits and marks, so those tokenizers split the result exactly at the
// spaces, and the result of a query is a valid FTS5 MATCH expression as it is (an implicit AND of
// its words; wrap it in double quotes for a phrase) and a valid input of PostgreSQL's
// plainto_tsquery and phraseto_tsquery.
func SearchText(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; ; {
		start, end := nextWord(s, i)
		if start < 0 {
			break
		}
		i = end
		w := s[start:end]
		if mayHaveClitics(w) {
			_, stem := clitics(w)
			w = w[stem:]
		}
		n := len(out)
		if n > 0 {
			out = append(out, ' ')
		}
		m := len(out)
		if out = appendKey(out, w); len(out) == m {
			out = out[:n]
		}
	}
	return string(out)
}

// Key returns the key Tokens gives the word word. When word holds several words ("l'Algérie",
// "al-Sharaa", a full name) their keys are joined by single spaces, as SearchText does; it is ""
// when word holds no word at all.
func Key(word string) string { return SearchText(word) }

// keyOf returns the key of the word w, using buf as scratch space. It returns a substring of w
// when the key is spelled exactly like w, which is the common case, so most keys cost no
// allocation.
func keyOf(buf []byte, w string) string {
	upper := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			goto slow
		}
		upper = upper || ('A' <= c && c <= 'Z')
	}
	if !upper {
		return w
	}
slow:
	buf = appendKey(buf[:0], w)
	if string(buf) == w {
		return w
	}
	return string(buf)
}

// appendKey appends the key of the word w to dst: its normalised form (DefaultOptions without
// clitics) with everything but letters, digits and marks dropped.
func appendKey(dst []byte, w string) []byte {
	o := Options{Lower: true, FoldLatin: true, Arabic: true}
	start := len(dst)
	it := newRuneIter(w)
	var st foldState
	for {
		r, _, ok := it.next()
		if !ok {
			return dst
		}
		n := len(dst)
		dst = appendRune(dst, r, o, &st)
		if len(dst) == n+1 && dst[n] < utf8.RuneSelf {
			if asciiClass[dst[n]] == cNone {
				dst = dst[:n]
			}
			continue
		}
		// Filter what a non-ASCII rune became: NFKC can turn a letter into text with spaces or
		// punctuation ("ﷺ", "½"), joiners must vanish, and so must marks whose base was removed
		// (after a tatweel), since a key cannot start with a mark.
		k := n
		for j := n; j < len(dst); {
			c, size := utf8.DecodeRune(dst[j:])
			if isKeyRune(c) && (k > start || !isMark(c)) {
				k += copy(dst[k:], dst[j:j+size])
			}
			j += size
		}
		dst = dst[:k]
	}
}

// mayHaveClitics reports whether the word w starts (after any tatweel) with a letter that, once
// normalised, can begin an Arabic proclitic (ا for ال, و ف ب ك ل), or with a presentation form,
// so that only those words pay for clitics.
func mayHaveClitics(w string) bool {
	if len(w) < 4 || w[0] < 0xD8 {
		return false
	}
	r, n := utf8.DecodeRuneInString(w)
	for r == 0x0640 && n < len(w) { // a word may start with tatweel
		var m int
		r, m = utf8.DecodeRuneInString(w[n:])
		n += m
	}
	if r >= 0xFB50 && r <= 0xFEFF {
		return true
	}
	if a := arabicMap(r); a > 0 {
		r = a // أ إ آ ٱ ٲ → ا, ؤ → و, ک → ك
	}
	switch r {
	case 'ا', 'ل', 'و', 'ف', 'ب', 'ك':
		return true
	}
	return false
}

// Character classes of the word scanner.
const (
	cNone   = iota // not part of a word
	cDigit         // a digit or other number: joins words of any script
	cArabic        // a letter of the Arabic script (and tatweel)
	cOther         // a letter of any other script
	cMark          // a combining mark: continues a word, never starts one
	cJoiner        // continues a word when a word character follows it
)

var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = cOther, cOther
	}
	return t
}()

func classOf(r rune) byte {
	if r < 0x800 {
		return smallClass[r]
	}
	return slowClassOf(r)
}

func slowClassOf(r rune) byte {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	switch {
	case isJoiner(r):
		return cJoiner
	case r >= 0x02B9 && r <= 0x02BF, r == 0x02C8:
		return cNone // modifier-letter apostrophes (ʼ ʻ ʾ ʿ) separate words like ' does
	case IsArabic(r):
		switch {
		case r == 0x0640 || unicode.IsLetter(r):
			return cArabic
		case unicode.IsMark(r):
			return cMark
		}
		return cDigit
	case unicode.IsLetter(r):
		return cOther
	case unicode.IsNumber(r):
		return cDigit
	case unicode.IsMark(r):
		return cMark
	}
	return cNone
}

// nextWord returns the bounds of the first word of s at or after byte i, or -1, -1 when there is
// none (see Tokens for what a word is).
func nextWord(s string, i int) (start, end int) {
	for ; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiClass[c] != cNone {
				break
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if cl := classOf(r); cl == cDigit || cl == cArabic || cl == cOther {
			break
		}
		i += size - 1
	}
	if i >= len(s) {
		return -1, -1
	}
	start, end = i, i
	script := byte(cNone)
	for i < len(s) {
		var cl byte
		size := 1
		if c := s[i]; c < utf8.RuneSelf {
			cl = asciiClass[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			cl = classOf(r)
		}
		switch cl {
		case cDigit, cMark:
			i += size
			end = i
		case cArabic, cOther:
			if script != cNone && script != cl {
				return start, end
			}
			script = cl
			i += size
			end = i
		case cJoiner:
			i += size
		default:
			return start, end
		}
	}
	return start, end
}

// Properties of the runes below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic and their
// marks), precomputed because looking them up in the unicode tables dominated the cost of
// tokenising Arabic text.
const (
	pLetter = 1 << iota
	pNumber
	pMark
	pLatin
	pInert // NFKC leaves it alone and it never combines with what precedes it
)

var smallClass, smallProps, smallLower = func() (class, props *[0x800]byte, lower *[0x800]uint16) {
	class, props, lower = new([0x800]byte), new([0x800]byte), new([0x800]uint16)
	for r := rune(0); r < 0x800; r++ {
		var p byte
		if unicode.IsLetter(r) {
			p |= pLetter
		}
		if unicode.IsNumber(r) {
			p |= pNumber
		}
		if unicode.IsMark(r) {
			p |= pMark
		}
		if unicode.Is(unicode.Latin, r) {
			p |= pLatin
		}
		if c := string(r); norm.NFKC.IsNormalString(c) && norm.NFKC.PropertiesString(c).BoundaryBefore() {
			p |= pInert
		}
		props[r] = p
		class[r] = slowClassOf(r)
		lower[r] = uint16(unicode.ToLower(r)) // the lower case of a rune below U+0800 is in the BMP
	}
	return class, props, lower
}()

func isMark(r rune) bool {
	if r < 0x800 {
		return smallProps[r]&pMark != 0
	}
	return unicode.IsMark(r)
}

// isKeyRune reports whether r may appear in a key: a letter, a number or a mark.
func isKeyRune(r rune) bool {
	if r < 0x800 {
		return smallProps[r]&(pLetter|pNumber|pMark) != 0
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}
