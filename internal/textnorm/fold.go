package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldState carries what appendRune needs to know about the text before the current rune.
type foldState struct {
	latin bool // the last base character was a Latin letter: combining marks after it are diacritics
}

// appendRune appends the normalised form of r (a rune of NFKC text) to dst: lower-cased, then
// Latin-folded, then Arabic-normalised, as o says. It may append nothing (a removed mark) or
// several runes ("ß" → "ss").
func appendRune(dst []byte, r rune, o Options, st *foldState) []byte {
	if r < utf8.RuneSelf {
		c := byte(r)
		isUpper := 'A' <= c && c <= 'Z'
		if o.Lower && isUpper {
			c += 'a' - 'A'
		}
		st.latin = isUpper || ('a' <= c && c <= 'z')
		return append(dst, c)
	}
	if o.Lower {
		r = lower(r)
	}
	if o.FoldLatin {
		if isCombiningDiacritic(r) {
			if st.latin {
				return dst
			}
			return utf8.AppendRune(dst, r)
		}
		if f, ok := latinFold(r); ok {
			st.latin = true
			return append(dst, f...)
		}
	}
	if o.Arabic && r >= 0x0600 && r <= 0x08FF {
		switch a := arabicMap(r); {
		case a < 0:
			return dst
		case a > 0:
			r = a
		}
	}
	if r < 0x800 {
		if p := smallProps[r]; p&pMark == 0 {
			st.latin = p&pLatin != 0
		}
	} else if !unicode.IsMark(r) {
		st.latin = unicode.Is(unicode.Latin, r)
	}
	return utf8.AppendRune(dst, r)
}

// lower lower-cases r; final sigma becomes sigma, as case folding does, so that "ΑΘΗΝΑΣ" and
// "αθηνας" meet.
func lower(r rune) rune {
	if r == 'ς' {
		return 'σ'
	}
	if r < 0x800 {
		return rune(smallLower[r])
	}
	return unicode.ToLower(r)
}

// isCombiningDiacritic reports whether r is in the Combining Diacritical Marks blocks, the marks
// that accent Latin letters.
func isCombiningDiacritic(r rune) bool {
	return (r >= 0x0300 && r <= 0x036F) || (r >= 0x1AB0 && r <= 0x1AFF) ||
		(r >= 0x1DC0 && r <= 0x1DFF) || (r >= 0x20D0 && r <= 0x20FF) || (r >= 0xFE20 && r <= 0xFE2F)
}

// Latin folding tables, built once from the Unicode decompositions (norm.NFD with the combining
// marks removed, the runes.Remove(unicode.Mn) idea done per character so that lookups cost
// nothing) plus the letters Unicode does not decompose.
var (
	latinFoldMisc = map[rune]string{
		// Letters without a canonical decomposition.
		'ß': "ss", 'ẞ': "SS", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ø': "o", 'Ø': "O",
		'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "TH", 'ł': "l", 'Ł': "L",
		'ı': "i", 'ħ': "h", 'Ħ': "H", 'ŧ': "t", 'Ŧ': "T", 'ŋ': "n", 'Ŋ': "N", 'ƒ': "f",
		'ɖ': "d", 'Ɖ': "D", 'ɛ': "e", 'Ɛ': "E", 'ɔ': "o", 'Ɔ': "O", 'ĸ': "k",
		// Typographic apostrophes, quotes and hyphens.
		'\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'",
		'\u02BC': "'", '\u02BB': "'", '\u02B9': "'", '\u02BE': "'", '\u02BF': "'",
		'\u201C': `"`, '\u201D': `"`, '\u201E': `"`, '\u201F': `"`, '\u2033': `"`,
		'\u2010': "-", '\u2011': "-", '\u2212': "-",
	}
	latinFoldLo  = foldTable(0xC0, 0x250)    // Latin-1 Supplement, Extended-A and -B
	latinFoldExt = foldTable(0x1E00, 0x1F00) // Latin Extended Additional
)

// foldTable returns the folded spelling of every rune in [lo, hi), "" for those that fold to
// themselves.
func foldTable(lo, hi rune) []string {
	table := make([]string, hi-lo)
	for i := range table {
		r := lo + rune(i)
		if f, ok := latinFoldMisc[r]; ok {
			table[i] = f
			continue
		}
		stripped := make([]rune, 0, 2)
		for _, c := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, c) {
				stripped = append(stripped, c)
			}
		}
		if len(stripped) == 0 || !unicode.Is(unicode.Latin, stripped[0]) {
			continue
		}
		var b strings.Builder
		for _, c := range stripped {
			if f, ok := latinFoldMisc[c]; ok {
				b.WriteString(f) // ǣ → æ → ae, ǿ → ø → o
			} else {
				b.WriteRune(c)
			}
		}
		if s := b.String(); s != string(r) {
			table[i] = s
		}
	}
	return table
}

// latinFold returns the folded spelling of r, or false when r folds to itself.
func latinFold(r rune) (string, bool) {
	var f string
	switch {
	case r >= 0xC0 && r < 0x250:
		f = latinFoldLo[r-0xC0]
	case r >= 0x1E00 && r < 0x1F00:
		f = latinFoldExt[r-0x1E00]
	case (r >= 0x2010 && r <= 0x2212) || (r >= 0x2B0 && r < 0x300):
		f = latinFoldMisc[r]
	}
	return f, f != ""
}

// arabicMap returns the replacement of an Arabic-block rune r under Options.Arabic: -1 when it is
// removed, 0 when it is kept as is.
func arabicMap(r rune) rune {
	if r >= 0x0600 && r <= 0x06FF {
		return arabicTable[r-0x0600]
	}
	// Arabic Extended-A: Quranic annotation marks and extended harakat.
	if r >= 0x08CA && r <= 0x08FF && r != 0x08E2 {
		return -1
	}
	return 0
}

// arabicTable maps U+0600–U+06FF (see arabicMap).
var arabicTable = func() (t [0x100]rune) {
	set := func(to rune, from ...rune) {
		for _, r := range from {
			t[r-0x0600] = to
		}
	}
	remove := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			t[r-0x0600] = -1
		}
	}
	set('ا', 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ', 'ٵ')
	set('ي', 'ى', 'ئ', 'ی', 'ې', 'ۍ', 'ێ', 'ے', 'ۓ', 'ٸ')
	set('ه', 'ة', 'ۃ', 'ہ', 'ۂ', 'ۀ', 'ھ', 'ە')
	set('و', 'ؤ', 'ٶ')
	set('ك', 'ک', 'ڪ')
	for d := rune(0); d < 10; d++ {
		set('0'+d, 0x0660+d, 0x06F0+d)
	}
	remove(0x0610, 0x061A) // honorifics and small Quranic marks
	remove(0x0640, 0x0640) // tatweel
	remove(0x064B, 0x065F) // harakat, shadda, sukun, maddah and hamza marks
	remove(0x0670, 0x0670) // superscript alef
	remove(0x0674, 0x0674) // high hamza, which NFKC splits off ٵ ٶ ٷ ٸ
	remove(0x06D6, 0x06DC) // Quranic annotation signs
	remove(0x06DF, 0x06E8)
	remove(0x06EA, 0x06ED)
	return t
}()
