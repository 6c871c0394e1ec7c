// Package sentence splits clean text into sentences, with byte offsets, for English, French and
// Arabic (and, with generic Latin-script rules, other languages), and provides the pipeline stage
// that fills mizan.Document.Sentences.
//
// Rules. A sentence never crosses a line break: in clean text a line is a headline or a paragraph.
// Inside a line, ".", "!", "?", "…", the Arabic "؟" (and "‼", "⁇", "⁈", "⁉", the Urdu "۔", the
// full-width "。！？") end a sentence, together with the closing quotes and brackets right after
// them, when whitespace follows (or, in Arabic, when an Arabic word follows without a space:
// "الجزائر.وقال"). The Arabic comma "،" and semicolon "؛" do not. Exceptions:
//
//   - no sentence ends before a word starting with a lower-case letter ("“Why?” he asked",
//     "the Inc. figures");
//   - an ellipsis ("...", "…") ends a sentence only before a capitalised word;
//   - a period after a single letter never ends one (initials: "J. R. Smith", "M. Lavrov");
//   - abbreviations, listed per language in abbrev.txt, by class: titles never end a sentence
//     ("Gen. Chengriha"), numbering words do not before a number ("No. 5", "Dec. 12"), acronyms
//     and company suffixes ("U.S.", "Inc.") only before a typical sentence starter ("The", "He"…);
//     words with inner periods ("Ph.D.") are treated like acronyms;
//   - a number or single letter followed by a period at the start of a line is an item number
//     ("1. Algeria…");
//   - decimals ("3.5") and inner periods never qualify, since no whitespace follows them.
package sentence

import (
	"context"
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
)

// Range is a half-open range [Start, End) of byte offsets.
type Range struct{ Start, End int }

// Split returns the sentences of text as byte ranges, in order, for the language lang (ISO 639-1;
// "" or an unknown code use the rules of all languages together). Each range is trimmed of
// surrounding whitespace, no range crosses a line break, and every non-space character of text
// belongs to exactly one range.
func Split(text, lang string) []Range {
	rs := rulesFor(lang)
	out := make([]Range, 0, len(text)/80+1)
	for start := 0; start <= len(text); {
		end, next := lineEnd(text, start)
		out = splitLine(text, start, end, rs, out)
		start = next
	}
	return out
}

// lineEnd returns the end of the line starting at i and the start of the next one (past
// len(text) when there is none). "\n", U+2028 and U+2029 end lines; "\r" is whitespace.
func lineEnd(text string, i int) (end, next int) {
	for j := i; j < len(text); j++ {
		switch text[j] {
		case '\n':
			return j, j + 1
		case 0xE2: // U+2028, U+2029 are E2 80 A8, E2 80 A9
			if j+2 < len(text) && text[j+1] == 0x80 && (text[j+2] == 0xA8 || text[j+2] == 0xA9) {
				return j, j + 3
			}
		}
	}
	return len(text), len(text) + 1
}

// splitLine appends the sentences of text[a:b], a line, to out.
func splitLine(text string, a, b int, rs *rules, out []Range) []Range {
	s0 := skipSpace(text, a, b)
	if s0 >= b {
		return out
	}
	lineStart := s0
	for i := s0; i < b; {
		r, n := utf8.DecodeRuneInString(text[i:b])
		if !isTerminator(r) {
			i += n
			continue
		}
		// The run of terminators [i, j), then closing quotes and brackets up to k.
		j, dots, ellipsis := i, 0, false
		for j < b {
			c, m := utf8.DecodeRuneInString(text[j:b])
			if !isTerminator(c) {
				break
			}
			switch c {
			case '.':
				dots++
			case '…':
				ellipsis = true
			}
			j += m
		}
		ellipsis = ellipsis || dots >= 2
		k := skipClosers(text, j, b)
		if sp := skipSpace(text, k, b); sp > k && sp < b {
			// French-style closing guillemet after a space: « Il est parti. »
			if c, m := utf8.DecodeRuneInString(text[sp:b]); c == '»' || c == '”' {
				k = skipClosers(text, sp+m, b)
			}
		}
		next := skipSpace(text, k, b)
		if next >= b {
			break // the line ends the sentence
		}
		var split bool
		if next == k {
			split = joinedArabic(text, s0, i, j, k, b)
		} else {
			split = rs.ends(text, lineStart, s0, i, next, b, dots, ellipsis)
		}
		if !split {
			i = j
			continue
		}
		out = append(out, Range{s0, k})
		s0, i = next, next
	}
	return append(out, Range{s0, trimRight(text, s0, b)})
}

// joinedArabic reports whether the terminators text[i:j] end a sentence although no space
// follows them: only between two Arabic words ("الجزائر.وقال"), the first of at least two
// letters, since Arabic abbreviations are single letters ("د.محمد").
func joinedArabic(text string, s0, i, j, k, b int) bool {
	if k != j || j >= b {
		return false
	}
	next, _ := utf8.DecodeRuneInString(text[j:b])
	if !isArabicLetter(next) {
		return false
	}
	letters := 0
	for p := i; p > s0; {
		c, m := utf8.DecodeLastRuneInString(text[s0:p])
		if !isArabicLetter(c) && !unicode.Is(unicode.Mn, c) {
			break
		}
		if isArabicLetter(c) {
			letters++
		}
		p -= m
	}
	return letters >= 2
}

// ends decides whether the terminators starting at text[i] end the sentence that started at s0,
// the next word starting at next.
func (rs *rules) ends(text string, lineStart, s0, i, next, b, dots int, ellipsis bool) bool {
	kind, word := nextWord(text, next, b)
	if kind == lower {
		return false
	}
	if ellipsis {
		return kind == upper
	}
	if dots == 0 {
		return true // ! ? ؟ …
	}
	tokStart := i
	for tokStart > s0 {
		c, m := utf8.DecodeLastRuneInString(text[s0:tokStart])
		if unicode.IsSpace(c) {
			break
		}
		tokStart -= m
	}
	tok := strings.TrimLeft(text[tokStart:i], `"'([{«“‘„‹¿¡`)
	if k := strings.LastIndexAny(tok, "'’"); k >= 0 {
		_, m := utf8.DecodeRuneInString(tok[k:])
		tok = tok[k+m:] // French elision: "l'art." is "art."
	}
	if tok == "" {
		return true
	}
	if utf8.RuneCountInString(tok) == 1 && isLetterWord(tok) {
		return false // an initial
	}
	if tokStart == lineStart && isItemNumber(tok) {
		return false // "1. ", "iv. ", "b. " at the start of a line
	}
	switch rs.class[tok] {
	case classTitle:
		return false
	case classNumber:
		return kind != digit
	case className:
		return rs.starters[word]
	}
	if strings.Contains(tok, ".") && isDotted(tok) {
		return rs.starters[word]
	}
	return true
}

// Kinds of the word after a candidate sentence end.
const (
	none  = iota
	lower // starts with a lower-case letter
	upper // starts with an upper-case or title-case letter
	digit // starts with a digit
	other // a letter without case (Arabic…), or punctuation
)

// nextWord returns the kind of the word starting at text[i:b] (after opening quotes and
// brackets) and the word itself, up to the next space or punctuation.
func nextWord(text string, i, b int) (kind int, word string) {
	for i < b {
		c, m := utf8.DecodeRuneInString(text[i:b])
		if !strings.ContainsRune(`"'([{«“‘„‹¿¡-–—`, c) {
			break
		}
		i += m
	}
	if i >= b {
		return none, ""
	}
	c, _ := utf8.DecodeRuneInString(text[i:b])
	end := i
	for end < b {
		d, m := utf8.DecodeRuneInString(text[end:b])
		if !unicode.IsLetter(d) && !unicode.IsDigit(d) {
			break
		}
		end += m
	}
	word = text[i:end]
	switch {
	case unicode.IsLower(c):
		return lower, word
	case unicode.IsUpper(c) || unicode.IsTitle(c):
		return upper, word
	case unicode.IsDigit(c):
		return digit, word
	}
	return other, word
}

func isTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '؟', '‼', '⁇', '⁈', '⁉', '۔', '。', '！', '？':
		return true
	}
	return false
}

// skipClosers returns the position after the closing quotes and brackets at text[i:b].
func skipClosers(text string, i, b int) int {
	for i < b {
		c, m := utf8.DecodeRuneInString(text[i:b])
		switch c {
		case '"', '\'', '”', '’', '»', '›', ')', ']', '}', '」', '』', '）':
			i += m
		default:
			return i
		}
	}
	return i
}

func skipSpace(text string, i, b int) int {
	for i < b {
		c, m := utf8.DecodeRuneInString(text[i:b])
		if !unicode.IsSpace(c) {
			return i
		}
		i += m
	}
	return i
}

func trimRight(text string, a, b int) int {
	for b > a {
		c, m := utf8.DecodeLastRuneInString(text[a:b])
		if !unicode.IsSpace(c) {
			return b
		}
		b -= m
	}
	return b
}

func isArabicLetter(r rune) bool {
	return (r >= 0x0620 && r <= 0x064A) || (r >= 0x066E && r <= 0x06D3) || r == 0x06D5 ||
		(r >= 0x0750 && r <= 0x077F)
}

func isLetterWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// isDotted reports whether s is letters separated by single periods ("U.S", "Ph.D", "e.g").
func isDotted(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !isLetterWord(strings.Trim(part, "-")) {
			return false
		}
	}
	return true
}

// isItemNumber reports whether s can number an item: digits, a roman numeral or one letter.
func isItemNumber(s string) bool {
	if s == "" || len(s) > 6 {
		return false
	}
	digits, roman := true, true
	for _, r := range s {
		digits = digits && unicode.IsDigit(r)
		roman = roman && strings.ContainsRune("ivxlcIVXLC", r)
	}
	return digits || roman || utf8.RuneCountInString(s) == 1
}

// Stage is the pipeline stage "sentence": it sets d.Sentences, splitting each paragraph of
// d.Paragraphs with its own language (d.Lang when it has none) and any text outside the
// paragraphs (all of it when there are none) with d.Lang. Spans are character offsets. It is safe
// for concurrent use.
type Stage struct{}

var _ nlp.Stage = Stage{}

// Name returns "sentence".
func (Stage) Name() string { return "sentence" }

// Process sets d.Sentences; it never fails.
func (Stage) Process(_ context.Context, d *nlp.Doc) error {
	ix := d.Index()
	var sents []mizan.Span
	add := func(a, b int, lang string) {
		for _, r := range Split(d.Text[a:b], lang) {
			sents = append(sents, ix.Span(a+r.Start, a+r.End))
		}
	}
	pos := 0
	for _, p := range d.Paragraphs {
		a, b := ix.Bytes(p.Span)
		a, b = max(a, pos), max(b, pos)
		add(pos, a, d.Lang)
		lang := p.Lang
		if lang == "" {
			lang = d.Lang
		}
		add(a, b, lang)
		pos = b
	}
	add(pos, len(d.Text), d.Lang)
	d.Sentences = sents
	return nil
}
