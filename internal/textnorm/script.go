package textnorm

import "unicode"

// IsArabic reports whether r is a letter, mark, digit or tatweel of the Arabic script: the
// Arabic, Arabic Supplement, Extended-A/B and presentation-form blocks, Rumi numerals and the
// Arabic mathematical letters. Arabic punctuation (، ؛ ؟) is shared with other scripts and is not
// included.
func IsArabic(r rune) bool {
	switch {
	case r < 0x0600:
		return false
	case r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0x0870 && r <= 0x08FF,
		r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF,
		r >= 0x10E60 && r <= 0x10E7F, r >= 0x1EE00 && r <= 0x1EEFF:
		return r == 0x0640 || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
	}
	return false
}

// scripts are the scripts ScriptOf names, with their ISO 15924 codes in lower case.
var scripts = []struct {
	code  string
	table *unicode.RangeTable
}{
	{"latn", unicode.Latin}, {"cyrl", unicode.Cyrillic}, {"grek", unicode.Greek},
	{"hebr", unicode.Hebrew}, {"hani", unicode.Han}, {"hira", unicode.Hiragana},
	{"kana", unicode.Katakana}, {"hang", unicode.Hangul}, {"deva", unicode.Devanagari},
	{"beng", unicode.Bengali}, {"armn", unicode.Armenian}, {"geor", unicode.Georgian},
	{"thai", unicode.Thai}, {"ethi", unicode.Ethiopic}, {"syrc", unicode.Syriac},
	{"thaa", unicode.Thaana}, {"taml", unicode.Tamil}, {"tfng", unicode.Tifinagh},
}

// ScriptOf returns the ISO 15924 code, in lower case, of the script of the letter r ("latn",
// "arab", "cyrl", "grek", "hebr", "hani", "hang", "deva", …; "zzzz" for a letter of a script not
// in that list) and "" when r is not a letter. Tatweel counts as an Arabic letter.
func ScriptOf(r rune) string {
	if r < 0x80 {
		if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return "latn"
		}
		return ""
	}
	if !unicode.IsLetter(r) {
		return ""
	}
	if IsArabic(r) {
		return "arab"
	}
	for _, s := range scripts {
		if unicode.Is(s.table, r) {
			return s.code
		}
	}
	return "zzzz"
}

// Script returns the script of the letters of s: the ScriptOf code shared by at least 80% of
// them, "mixed" when no script has that share, and "" when s has no letter. Digits, punctuation
// and marks do not count.
func Script(s string) string {
	counts := map[string]int{}
	total := 0
	for _, r := range s {
		if c := ScriptOf(r); c != "" {
			counts[c]++
			total++
		}
	}
	if total == 0 {
		return ""
	}
	for c, n := range counts {
		if n*5 >= total*4 {
			return c
		}
	}
	return "mixed"
}
