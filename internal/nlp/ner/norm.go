package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The normalisation here is deliberately local and frozen: the embedded model's features were
// computed with exactly these functions, so changing them (or swapping in a shared normaliser
// that evolves) would silently degrade the model. Change them only together with a retrain.

// surface returns the token as the model reads it: format characters removed, typographic
// apostrophes and quotes folded to ASCII, Arabic-Indic digits to ASCII digits.
func surface(s string) string {
	clean := true
	for _, r := range s {
		if r >= 0x80 && (isFormat(r) || foldRune(r) != r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isFormat(r) {
			continue
		}
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch {
	case r == '’' || r == '‘' || r == 'ʼ' || r == '`' || r == '´':
		return '\''
	case r == '“' || r == '”' || r == '«' || r == '»' || r == '„':
		return '"'
	case r == '–' || r == '—' || r == '‐':
		return '-'
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠')
	case r >= '۰' && r <= '۹':
		return '0' + (r - '۰')
	case r == '،':
		return ','
	case r == '؛':
		return ';'
	case r == '؟':
		return '?'
	}
	return r
}

// arabicKey normalises an Arabic-script word the way search does: diacritics and tatweel
// removed; alef forms to bare alef; alef maqsura to ya; taa marbuta to ha; hamza carriers to
// their letters. Non-Arabic runes are lower-cased.
func arabicKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640, r == 0x200C, r == 0x200D:
			continue // harakat, superscript alef, tatweel, joiners
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == 'ؤ':
			r = 'و'
		case r == 'ئ':
			r = 'ي'
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isArabic reports whether s contains an Arabic-script letter.
func isArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// stripArabicClitics splits the proclitics off a normalised Arabic word (see arabicKey): an
// optional conjunction (و, ف), an optional preposition (ب, ك, ل) and an optional article (ال;
// after ل the article's alef is dropped: لل). It keeps at least two letters of stem, so that
// short words are not eaten, and returns the clitics and the stem. The split is a guess (بغداد
// is not ب + غداد); the model reads both the whole word and the stem and learns which to trust.
func stripArabicClitics(w string) (clitics, stem string) {
	const minStem = 2
	rest := w
	take := func(p string) bool {
		if strings.HasPrefix(rest, p) && utf8.RuneCountInString(rest)-utf8.RuneCountInString(p) >= minStem {
			rest = rest[len(p):]
			return true
		}
		return false
	}
	_ = take("و") || take("ف")
	switch {
	case take("لل"):
		// ل + (ا)ل: "للأمم" is "ل" + "الأمم"
	case take("بال") || take("كال") || take("ال"):
	case strings.HasPrefix(rest, "ب") || strings.HasPrefix(rest, "ك") || strings.HasPrefix(rest, "ل"):
		// A bare preposition is only stripped off long words: short ones are mostly roots.
		if utf8.RuneCountInString(rest) >= 5 {
			_, n := utf8.DecodeRuneInString(rest)
			rest = rest[n:]
		}
	}
	return w[:len(w)-len(rest)], rest
}

// frenchElision splits an elided article or pronoun off a French word: "d'Algérie" → "d'",
// "Algérie". It expects ASCII apostrophes (see surface).
func frenchElision(w string) (elision, stem string) {
	i := strings.IndexByte(w, '\'')
	if i <= 0 || i > 4 || i == len(w)-1 {
		return "", w
	}
	switch strings.ToLower(w[:i]) {
	case "d", "l", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu":
		return w[:i+1], w[i+1:]
	}
	return "", w
}

// shape maps a word to its character classes, e.g. "Al-Sisi" → "Xx-Xxxx", "2024" → "dddd",
// "الجزائر" → "aaaaaaa" (a: a caseless letter).
func shape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteByte(runeClass(r))
	}
	return b.String()
}

// shortShape collapses repeated classes: "Xx-Xxxx" → "Xx-Xx".
func shortShape(long string) string {
	var b strings.Builder
	b.Grow(len(long))
	var last byte
	for i := 0; i < len(long); i++ {
		if c := long[i]; c != last {
			b.WriteByte(c)
			last = c
		}
	}
	return b.String()
}

func runeClass(r rune) byte {
	switch {
	case unicode.IsUpper(r):
		return 'X'
	case unicode.IsLower(r):
		return 'x'
	case unicode.IsDigit(r):
		return 'd'
	case unicode.IsLetter(r):
		return 'a'
	case unicode.IsMark(r):
		return 'm'
	case r < 0x80:
		return byte(r)
	case unicode.IsPunct(r):
		return 'p'
	}
	return 's'
}
