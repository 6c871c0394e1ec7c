package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word or punctuation mark of a text, with its half-open byte range [Start, End).
// Text is always text[Start:End].
type Token struct {
	Text       string
	Start, End int
}

// Tokenize splits text the way the training data is split, so that the model sees at inference
// the units it learnt from:
//
//   - words are runs of letters, marks and digits; a hyphen, a period or an apostrophe joins two
//     of them ("Côte-d'Or", "al-Sisi", "3.5", "d'Algérie", "O'Brien"), because WikiANN keeps
//     those whole;
//   - English clitics are split off ("Algeria" "'s", "do" "n't"), as in WikiANN English;
//   - abbreviations keep their period: initials and acronyms ("J.", "U.S.") and a short list of
//     titles ("Mr.", "Dr.", "St.", "Gen.");
//   - every other punctuation mark or symbol is a token of its own, with runs of one mark kept
//     together ("...", "--");
//   - Arabic proclitics (و ف ب ك ل ال) stay attached, as in ANERcorp: the model reads the stripped
//     stem through features instead of through different tokens;
//   - format characters (RLM, LRM, BOM, soft hyphen, ...) separate tokens and never appear in
//     one; tatweel and zero-width joiners inside a word are kept.
//
// Offsets are bytes into text. Invalid UTF-8 bytes are treated as symbols.
func Tokenize(text string) []Token {
	toks := make([]Token, 0, len(text)/5+1)
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r) || isFormat(r):
			i += n
		case isWordRune(r):
			toks, i = appendWord(toks, text, i, scanWord(text, i))
		case isApostrophe(r) && (i == 0 || !isWordRune(lastRune(text[:i]))) && cliticAt(text, i) > 0:
			// A clitic already split off by a space ("Algeria 's"), as in the training data.
			end := i + cliticAt(text, i)
			toks = append(toks, Token{Text: text[i:end], Start: i, End: end})
			i = end
		default:
			// A run of the same mark is one token ("...", "--", "''"); any other symbol stands
			// alone.
			end := i + n
			if r != utf8.RuneError {
				for end < len(text) {
					r2, n2 := utf8.DecodeRuneInString(text[end:])
					if r2 != r {
						break
					}
					end += n2
				}
			}
			toks = append(toks, Token{Text: text[i:end], Start: i, End: end})
			i = end
		}
	}
	return toks
}

// isFormat reports whether r is an invisible format character that separates tokens. The
// zero-width (non-)joiners are part of words in Arabic-script languages and are not.
func isFormat(r rune) bool {
	if r == 0x200C || r == 0x200D {
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.IsNumber(r) ||
		r == 0x200C || r == 0x200D
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// scanWord returns the end of the word starting at i: word runes, joined by single hyphens,
// periods or apostrophes that have word runes on both sides.
func scanWord(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			i += n
			continue
		}
		if r == '-' || r == '.' || isApostrophe(r) || r == '‐' || r == ',' || r == '–' {
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			// Commas and periods join digits only ("184,000", "3.5"); periods also join the
			// letters of acronyms ("U.S"), which appendWord completes with the final period.
			// En dashes join digits only: scores and ranges ("6–2", "2014–15").
			if (r == ',' || r == '–') && !(unicode.IsDigit(prev) && unicode.IsDigit(next)) {
				return i
			}
			if r == '.' && !(unicode.IsDigit(prev) && unicode.IsDigit(next)) && !isAcronymDot(text, i) {
				return i
			}
			if i+n < len(text) && isWordRune(next) {
				i += n
				continue
			}
		}
		return i
	}
	return i
}

// isAcronymDot reports whether the period at i sits inside an acronym such as "U.S.": a single
// letter before it, and a single letter followed by a period after it.
func isAcronymDot(text string, i int) bool {
	prev, pn := utf8.DecodeLastRuneInString(text[:i])
	if !unicode.IsLetter(prev) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(text[:i-pn])
	if i-pn > 0 && (isWordRune(before)) {
		return false
	}
	next, nn := utf8.DecodeRuneInString(text[i+1:])
	if !unicode.IsLetter(next) {
		return false
	}
	after, _ := utf8.DecodeRuneInString(text[i+1+nn:])
	return after == '.'
}

// abbreviations keep their period when capitalised (listed lower-cased, without the period).
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"gen": true, "lt": true, "col": true, "maj": true, "capt": true, "sgt": true, "adm": true,
	"gov": true, "sen": true, "rep": true, "pres": true, "prof": true, "rev": true, "hon": true,
	"no": true, "vs": true, "inc": true, "ltd": true, "co": true, "corp": true, "mt": true,
	"ft": true, "vol": true, "messrs": true, "mme": true, "mlle": true, "mgr": true, "me": true,
}

// englishClitics are split off the end of a word, as WikiANN English does.
var englishClitics = []string{"n't", "'s", "'re", "'ve", "'ll", "'m", "'d"}

// appendWord appends the word text[start:end], splitting an English clitic off its end and
// taking a following abbreviation period into it. It returns where the next token may start.
func appendWord(toks []Token, text string, start, end int) ([]Token, int) {
	word := text[start:end]
	// Abbreviation period: "J." (an initial), "U.S." (an acronym), "Mr." (a title).
	if end < len(text) && text[end] == '.' {
		core := strings.ReplaceAll(word, ".", "")
		if rc := utf8.RuneCountInString(word); (rc == 1 && isUpper(word)) ||
			(strings.Contains(word, ".") && !strings.ContainsFunc(core, unicode.IsDigit)) ||
			(isUpper(word) && abbreviations[strings.ToLower(word)]) {
			return append(toks, Token{Text: text[start : end+1], Start: start, End: end + 1}), end + 1
		}
	}
	lw := strings.ToLower(strings.ReplaceAll(word, "’", "'"))
	for _, c := range englishClitics {
		if len(lw) > len(c) && strings.HasSuffix(lw, c) {
			// lw and word differ in length when ’ (3 bytes) stood for ' (1 byte).
			cl := len(c)
			if strings.HasSuffix(word, strings.Replace(c, "'", "’", 1)) {
				cl += 2
			}
			cut := end - cl
			return append(toks, Token{Text: text[start:cut], Start: start, End: cut},
				Token{Text: text[cut:end], Start: cut, End: end}), end
		}
	}
	return append(toks, Token{Text: word, Start: start, End: end}), end
}

// cliticAt returns the byte length of an English clitic ("'s", "’ll") at text[i:] that is
// followed by a non-word rune, or 0.
func cliticAt(text string, i int) int {
	_, n := utf8.DecodeRuneInString(text[i:])
	rest := text[i+n:]
	for _, c := range englishClitics {
		if c[0] != '\'' {
			continue // "n't" never stands apart
		}
		c = c[1:]
		if len(rest) >= len(c) && strings.EqualFold(rest[:len(c)], c) {
			after, _ := utf8.DecodeRuneInString(rest[len(c):])
			if len(rest) == len(c) || !isWordRune(after) {
				return n + len(c)
			}
		}
	}
	return 0
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
