package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

// line is one line of a plain-text document with the features the text and scrape models use.
type line struct {
	raw    string // as in the input, right-trimmed
	text   string // without indentation and bullet marker, spaces collapsed
	key    string // normKey(text): what repetition and header matching compare
	blank  bool
	indent int  // leading spaces
	bullet bool // starts with a list marker, or continues (indented) the item above
	cont   bool // an indented continuation of the bullet item above
	words  int
	chars  int
	end    bool // ends like a sentence
	comma  bool // has a clause inside (a comma or semicolon followed by a space)
	cased  bool // written in a cased script (Latin...), so title case means something
	title  bool // most longer words capitalised, as headlines and menu items are
	// repeats is how many lines of the page have the same key.
	repeats int
	kind    lineKind
	block   bool // inside a boilerplate block opened by a header
	row     bool // a table row of an HTML page
}

// lineKind classifies lines that say what they are, whatever their length.
type lineKind uint8

const (
	kindText     lineKind = iota
	kindHeader            // a known block header: "Most Read", "Related News", "الأكثر قراءة"
	kindStop              // a header of what follows an article: comments, footer
	kindLeadIn            // "Read more: <headline>": a link to another article
	kindLegal             // copyright, rights, privacy, cookies
	kindWidget            // share buttons, reading time, "Source: Agencies", "Advertisement"
	kindDate              // a publication date line
	kindByline            // "By X", "Par X", "بقلم X"
	kindBreaking          // a ticker header ("BREAKING", "عاجل"): its block is the ticker
)

// bulletMarkers start list items in text copied from a browser.
const bulletMarkers = "•·◦▪▫‣►▶■□●○◆◇➤➢✓✔–—»›"

// splitLines cuts text into lines and computes their features.
func splitLines(text string) []line {
	raws := strings.Split(text, "\n")
	lines := make([]line, 0, len(raws))
	counts := make(map[string]int, len(raws))
	prevBullet, prevIndent := false, 0
	for _, raw := range raws {
		raw = strings.TrimRightFunc(raw, unicode.IsSpace)
		l := line{raw: raw}
		trimmed := strings.TrimLeftFunc(raw, unicode.IsSpace)
		if trimmed == "" {
			l.blank = true
			lines = append(lines, l)
			prevBullet = false
			continue
		}
		l.indent = len(raw) - len(trimmed)
		if rest, ok := cutBullet(trimmed); ok {
			l.bullet = true
			trimmed = rest
		} else if prevBullet && l.indent > prevIndent {
			// A wrapped or second line of the list item above (an image caption under its
			// alt text, a teaser under its headline).
			l.bullet, l.cont = true, true
		}
		if !l.cont {
			prevIndent = l.indent
		}
		prevBullet = l.bullet
		l.text = collapseSpaces(trimmed)
		l.key = normKey(l.text)
		analyse(&l)
		if l.key != "" {
			counts[l.key]++
		}
		lines = append(lines, l)
	}
	for i := range lines {
		if !lines[i].blank {
			lines[i].repeats = counts[lines[i].key]
		}
	}
	return lines
}

// cutBullet removes a leading list marker.
func cutBullet(s string) (string, bool) {
	r, size := utf8.DecodeRuneInString(s)
	if strings.ContainsRune(bulletMarkers, r) || ((r == '-' || r == '*' || r == '+') && len(s) > 1) {
		rest := s[size:]
		if rest == "" {
			return "", true
		}
		if next, _ := utf8.DecodeRuneInString(rest); unicode.IsSpace(next) || strings.ContainsRune(bulletMarkers, r) {
			return strings.TrimLeftFunc(rest, unicode.IsSpace), true
		}
	}
	return s, false
}

// analyse fills the length, punctuation and case features of a line.
func analyse(l *line) {
	s := l.text
	l.chars = utf8.RuneCountInString(s)
	words := strings.Fields(s)
	l.words = len(words)
	l.end = endsSentence(s)
	l.comma = strings.Contains(s, ", ") || strings.Contains(s, "، ") || strings.Contains(s, "; ")
	var long, capital int
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, "\"'“‘«(["))
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.IsUpper(r) || unicode.IsLower(r) {
			l.cased = true
		}
		if utf8.RuneCountInString(w) >= 4 {
			long++
			if unicode.IsUpper(r) {
				capital++
			}
		}
	}
	l.title = l.cased && long > 0 && capital*10 >= long*7
}

// endsSentence reports whether s ends with sentence punctuation (closing quotes and brackets
// aside).
func endsSentence(s string) bool {
	s = strings.TrimRight(s, " \"'”’»)]›")
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '…', '؟', '۔', '。':
		return true
	}
	return false
}

// prose reports whether a line reads like a paragraph of an article rather than a label,
// headline or link.
func (l *line) prose() bool {
	return !l.blank && ((l.words >= 12 && l.end) || l.chars >= 160 || (l.words >= 8 && l.end && l.comma))
}

// extractText handles plain text: it tells a clean article from a browser copy unless the
// format is forced, and reduces the latter to its article.
func extractText(text string, format mizan.Format, o Options) *Result {
	lines := splitLines(text)
	classify(lines)
	if format == "" {
		format = mizan.FormatText
		if scrapeScore(lines) >= scrapeThreshold {
			format = mizan.FormatScrape
		}
	}
	if format == mizan.FormatScrape {
		return extractScrape(lines, o)
	}
	return extractClean(lines, o)
}

// extractClean keeps a clean article whole: paragraphs are blank-line separated blocks, or
// lines; hard-wrapped lines are re-joined. A short first paragraph that does not end like a
// sentence is the title. A date line or byline right under the title is read and kept.
func extractClean(lines []line, o Options) *Result {
	res := &Result{Format: mizan.FormatText}
	paras := paragraphs(lines)
	if len(paras) > 1 && isTitle(paras[0]) {
		res.Title = paras[0]
	}
	// A date line or byline among the first paragraphs is metadata: read it and leave it out.
	now := o.now()
	head := paras[:0:0]
	for i, p := range paras {
		if i < 4 && utf8.RuneCountInString(p) <= 60 {
			if h, ok := parseDateLine(p, now); ok && res.Published == nil {
				setDate(res, h)
				continue
			}
			if name, ok := bylineName(p); ok && len(res.Authors) == 0 {
				res.Authors = splitAuthors(name)
				continue
			}
		}
		head = append(head, p)
	}
	res.Text = joinParagraphs("", head)
	return res
}

// isTitle reports whether a first paragraph is a headline: short, and not ending like a
// sentence (a question or exclamation may).
func isTitle(p string) bool {
	n := utf8.RuneCountInString(p)
	words := len(strings.Fields(p))
	if n < 8 || n > 250 || words > 40 || words < 2 {
		return false
	}
	s := strings.TrimRight(p, " \"'”’»)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r != '.' && r != ',' && r != ';' && r != ':' && r != '،' && r != '…'
}

// paragraphs groups lines into paragraphs. With blank lines in the text, a block of lines is a
// paragraph when it was hard-wrapped (every break falls where the next word would not have fit
// in the text's line width) and each line is one otherwise; without blank lines each line is one,
// unless the whole text is hard-wrapped.
func paragraphs(lines []line) []string {
	width := wrapWidth(lines)
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	for i, l := range lines {
		if l.blank {
			flush()
			continue
		}
		cur = append(cur, l.raw)
		if width == 0 || i+1 >= len(lines) || lines[i+1].blank || lines[i+1].bullet {
			flush()
			continue
		}
		next := strings.Fields(lines[i+1].raw)[0]
		if utf8.RuneCountInString(strings.TrimSpace(l.raw))+1+utf8.RuneCountInString(next) <= width {
			flush() // the next word would have fit: the break is a paragraph end
		}
	}
	flush()
	for i := range paras {
		paras[i] = collapseSpaces(paras[i])
	}
	return paras
}

// wrapWidth returns the width a text was hard-wrapped at, or 0 when it was not: at least five
// lines, most of the longer lines within a few characters of the longest, and that under 100.
func wrapWidth(lines []line) int {
	var lens []int
	for _, l := range lines {
		if !l.blank {
			lens = append(lens, utf8.RuneCountInString(strings.TrimSpace(l.raw)))
		}
	}
	if len(lens) < 5 {
		return 0
	}
	sort.Ints(lens)
	width := lens[len(lens)-1]
	if width > 100 || width < 30 {
		return 0
	}
	near := 0
	for _, n := range lens {
		if n >= width-15 {
			near++
		}
	}
	if near*2 < len(lens) {
		return 0
	}
	return width
}

// setDate copies a date hit into a result.
func setDate(res *Result, h dateHit) {
	t := h.t
	res.Published = &t
	res.PublishedText = h.text
	res.Precision = h.precision
}
