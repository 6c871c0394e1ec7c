package extract

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/markusmobius/go-htmldate"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mizan-osint/mizan"
)

// extractHTML finds the article of an HTML page with go-trafilatura, its date with go-htmldate
// checked against the date printed near the title, and lays the content out in paragraphs.
func extractHTML(text string, in Input, o Options) (*Result, error) {
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		// x/net/html recovers from any markup; an error here means a reader failure.
		return nil, mizan.Errorf(mizan.EINVALID, "cannot parse HTML: %v", err)
	}
	now := o.now()
	var pageURL *url.URL
	if u, err := url.Parse(in.Source); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		pageURL = u
	}

	// Run go-htmldate once here, with the time of day, and hand its result to trafilatura so
	// that it does not run it again.
	hdOpts := htmldate.Options{
		ExtractTime:         true,
		UseOriginalDate:     true,
		SkipExtensiveSearch: !o.ExtensiveDates,
		MaxDate:             now.Add(36 * time.Hour),
	}
	if pageURL != nil {
		hdOpts.URL = pageURL.String()
	}
	hd, err := htmldate.FromDocument(doc, hdOpts)
	if err != nil {
		hd = htmldate.Result{}
	}

	tr, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL:      pageURL,
		EnableFallback:   o.Fallback,
		ExcludeComments:  !o.Comments,
		ExcludeTables:    !o.Tables,
		Focus:            trafilatura.Balanced,
		HtmlDateOverride: &hd,
	})
	if err != nil {
		// trafilatura gives up on pages with too little text; that is not a user error worth
		// its message ("text and comments are not long enough").
		return nil, mizan.Errorf(mizan.EINVALID, "no article text found in the HTML page")
	}

	res := &Result{Format: mizan.FormatHTML}
	md := tr.Metadata
	lines := visibleLines(doc)
	res.Title = collapseSpaces(md.Title)
	if res.Title == "" {
		res.Title = firstHeading(doc)
	}
	if t := visibleTitle(doc, lines, res.Title); t != "" {
		res.Title = t
	}
	res.Outlet = collapseSpaces(md.Sitename)
	for _, a := range strings.Split(md.Author, ";") {
		if a = collapseSpaces(a); a != "" {
			res.Authors = append(res.Authors, a)
		}
	}

	drop := &dropped{max: o.MaxDropped}
	blocks := blockTexts(tr.ContentNode)
	if o.Comments && tr.CommentsNode != nil {
		blocks = append(blocks, blockTexts(tr.CommentsNode)...)
	}
	paras := cleanHTMLParagraphs(blocks, res, drop, now)

	if res.Outlet == "" {
		// No site name in the metadata: the footer's copyright line usually names the outlet.
		for i := len(lines) - 1; i >= max(0, len(lines)-15); i-- {
			if name := copyrightName(lines[i]); name != "" {
				res.Outlet = name
				break
			}
		}
	}
	at := titleLine(lines, res.Title)
	if sf := standfirst(lines, at, md.Description, paras); sf != "" {
		paras = append([]string{sf}, paras...)
	}
	chooseDate(res, hd, visibleDate(lines, at, now))

	res.Text = joinParagraphs(res.Title, paras)
	res.Dropped = drop.lines
	return res, nil
}

// cleanHTMLParagraphs removes what trafilatura leaves of page furniture inside the article
// container — "Read also" links, related-article boxes, share prompts, bylines and date lines
// (read into the metadata when it has none) — and the title when the content repeats it. It
// uses the same line classification as plain-text scrapes.
func cleanHTMLParagraphs(blocks []block, res *Result, drop *dropped, now time.Time) []string {
	// What trafilatura keeps above the headline is a kicker or a teaser; a copy of a later
	// paragraph there (a live blog's latest entry) goes.
	titleKey := normKey(res.Title)
	for i, b := range blocks {
		if normKey(b.text) != titleKey {
			continue
		}
		later := map[string]bool{}
		for _, c := range blocks[i+1:] {
			later[normKey(c.text)] = true
		}
		kept := blocks[:0:0]
		for j, c := range blocks {
			if j < i && later[normKey(c.text)] {
				drop.add(c.text)
				continue
			}
			kept = append(kept, c)
		}
		blocks = kept
		break
	}
	lines := make([]line, 0, 2*len(blocks))
	counts := map[string]int{}
	for _, b := range blocks {
		p := b.text
		l := line{raw: p, text: p, key: normKey(p), row: b.row}
		analyse(&l)
		counts[l.key]++
		lines = append(lines, l, line{blank: true})
	}
	for i := range lines {
		if !lines[i].blank {
			lines[i].repeats = counts[lines[i].key]
			lines[i].kind = kindOf(&lines[i])
		}
	}
	classify(lines)
	out := make([]string, 0, len(blocks))
	for i := 0; i < len(lines); i += 2 {
		l := &lines[i]
		switch {
		case l.key == "":
			continue
		case l.row:
			out = append(out, l.text) // table rows are data, whatever they look like
			continue
		case l.key == titleKey:
			continue
		case l.kind == kindByline:
			if name, ok := bylineName(l.text); ok && len(res.Authors) == 0 {
				res.Authors = splitAuthors(name)
			}
		case l.kind == kindDate:
			if h, ok := parseDateLine(l.text, now); ok {
				if res.Published == nil {
					setDate(res, h)
				}
			} else {
				out = append(out, l.text)
				continue
			}
		case l.kind == kindText && !l.block:
			out = append(out, l.text)
			continue
		}
		drop.add(l.text)
	}
	return out
}

// block is a paragraph of extracted HTML content.
type block struct {
	text string
	row  bool // a table row
}

// blockTexts lays an HTML fragment out as paragraphs: one per block element (p, headings, list
// items, quotes, pre), a table row per paragraph with cells joined by " | ", and a <br> as a
// paragraph break.
func blockTexts(root *html.Node) []block {
	if root == nil {
		return nil
	}
	var paras []block
	var b strings.Builder
	flush := func() {
		if s := collapseSpaces(b.String()); s != "" {
			paras = append(paras, block{text: s})
		}
		b.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch tagAtom(n) {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
				return
			case atom.Br, atom.Hr:
				flush()
				return
			case atom.Tr:
				flush()
				var cells []string
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if a := tagAtom(c); c.Type == html.ElementNode && (a == atom.Td || a == atom.Th) {
						if t := collapseSpaces(textOf(c)); t != "" {
							cells = append(cells, t)
						}
					}
				}
				if len(cells) > 0 {
					// A one-cell row is layout (old table-based pages), not data.
					paras = append(paras, block{text: strings.Join(cells, " | "), row: len(cells) > 1})
				}
				return
			case atom.Img:
				// trafilatura keeps alt text of images only when asked; a stray alt is no prose.
				return
			}
		}
		// Unknown tags (trafilatura's own, custom elements) behave as blocks.
		block := n.Type == html.ElementNode && (isBlock(tagAtom(n)) || tagAtom(n) == 0)
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(root)
	flush()
	return paras
}

// tagAtom returns an element's atom; nodes built by trafilatura carry only their tag name.
func tagAtom(n *html.Node) atom.Atom {
	if n.DataAtom != 0 || n.Type != html.ElementNode {
		return n.DataAtom
	}
	return atom.Lookup([]byte(n.Data))
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if a := tagAtom(n); n.Type == html.ElementNode && (a == atom.Script || a == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
			if a := tagAtom(c); c.Type == html.ElementNode && (isBlock(a) || a == atom.Br || a == atom.Td || a == atom.Th) {
				b.WriteByte(' ')
			}
		}
	}
	walk(n)
	return b.String()
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul, atom.Ol,
		atom.Dl, atom.Dt, atom.Dd, atom.Blockquote, atom.Pre, atom.Table, atom.Thead, atom.Tbody, atom.Tfoot,
		atom.Section, atom.Article, atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Main, atom.Figure,
		atom.Figcaption, atom.Form, atom.Fieldset, atom.Address, atom.Details, atom.Summary, atom.Caption,
		atom.Body, atom.Html, atom.Title, atom.Option, atom.Button, atom.Label, atom.Textarea, atom.Select:
		return true
	}
	return false
}

// firstHeading returns the text of the first <h1>.
func firstHeading(doc *html.Node) string {
	var found string
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.H1 {
			found = collapseSpaces(textOf(n))
			return found != ""
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(doc)
	return found
}

// visibleLines renders a page as the lines a reader sees: text of block elements one per line,
// without scripts, styles and the <head>.
func visibleLines(doc *html.Node) []string {
	var lines []string
	var b strings.Builder
	flush := func() {
		if s := collapseSpaces(b.String()); s != "" {
			lines = append(lines, s)
		}
		b.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Head, atom.Iframe:
				return
			case atom.Br:
				flush()
				return
			}
		}
		block := n.Type == html.ElementNode && (isBlock(n.DataAtom) || n.DataAtom == atom.Td || n.DataAtom == atom.Th || n.DataAtom == atom.Tr)
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		} else if n.Type == html.ElementNode {
			// Adjacent inline elements (an author and a date in two spans) are separate items
			// to a reader even when the markup has no space between them.
			b.WriteByte(' ')
		}
	}
	walk(doc)
	flush()
	return lines
}

// visibleTitle fixes a title taken from the wrong part of <title>: when the page has no usable
// heading, trafilatura may take the site name from "Site - Headline". Of the parts of <title>
// that the page also shows as a line of their own, the longest is the headline.
func visibleTitle(doc *html.Node, lines []string, title string) string {
	if titleLine(lines, title) >= 0 && len(strings.Fields(title)) >= 3 {
		return ""
	}
	raw := collapseSpaces(titleElement(doc))
	if raw == "" {
		return ""
	}
	parts := strings.FieldsFunc(raw, func(r rune) bool { return r == '|' || r == '–' || r == '—' || r == '·' })
	var split []string
	for _, p := range parts {
		split = append(split, strings.Split(p, " - ")...)
	}
	visible := make(map[string]bool, len(lines)) // keys of the visible lines
	for _, l := range lines {
		visible[normKey(l)] = true
	}
	best := ""
	for _, p := range split {
		p = collapseSpaces(p)
		pk := normKey(p)
		if len(strings.Fields(pk)) < 3 {
			continue
		}
		if visible[pk] && len(p) > len(best) {
			best = p
			continue
		}
		// <title> often shortens the headline: take the line it begins.
		for _, l := range lines {
			if k := normKey(l); strings.HasPrefix(k, pk+" ") && len(k) <= 2*len(pk) && len(l) > len(best) {
				best = l
				break
			}
		}
	}
	return best
}

// titleElement returns the text of the document's <title>.
func titleElement(doc *html.Node) string {
	var found string
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Title {
			found = textOf(n)
			return true
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			return false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(doc)
	return found
}

// titleLine returns the index of the visible line that shows the title, or -1.
func titleLine(lines []string, title string) int {
	if title == "" {
		return -1
	}
	tkey := normKey(title)
	for i, l := range lines {
		k := normKey(l)
		if k == tkey || (len(k) >= 12 && (strings.Contains(tkey, k) && len(k)*10 >= len(tkey)*6 || strings.Contains(k, tkey) && len(tkey)*10 >= len(k)*6)) {
			return i
		}
	}
	return -1
}

// standfirst returns the page's description when it is printed just under the title and the
// content lacks it: trafilatura often leaves the standfirst out with the headline block.
func standfirst(lines []string, at int, desc string, paras []string) string {
	desc = strings.TrimRight(collapseSpaces(desc), ".… ")
	dkey := normKey(desc)
	if at < 0 || len(strings.Fields(dkey)) < 5 {
		return ""
	}
	for _, p := range paras {
		if strings.Contains(normKey(p), dkey) {
			return ""
		}
	}
	for i := at + 1; i < min(len(lines), at+8); i++ {
		// Descriptions are often the standfirst cut short.
		if k := normKey(lines[i]); strings.HasPrefix(k, dkey) && len(k) <= 3*len(dkey) {
			return lines[i]
		}
	}
	return ""
}

// visibleDate looks for the date printed near the title (line at): the lines from a few above
// the title to the start of the body. go-htmldate can be misled by a footer ("© 2025") or a
// related article's date, while the date line under a headline is what the reader is told. A
// date labelled as an update is taken only when no publication date is near.
func visibleDate(lines []string, at int, now time.Time) *dateHit {
	if at < 0 {
		return nil
	}
	// Candidate lines in order of distance from the title (below it first, as dates usually
	// are), so that the slow date parser runs on as few lines as possible.
	type cand struct{ i, dist int }
	var cands []cand
	body := 0
	for i := max(0, at-6); i < min(len(lines), at+30); i++ {
		if i == at {
			continue
		}
		if i > at && len(lines[i]) > 300 {
			body++
			if body > 2 {
				break // well into the article
			}
			continue
		}
		if !looksLikeDateLine(lines[i]) {
			continue
		}
		dist := i - at
		if dist < 0 {
			dist = -dist + 3 // a date above the headline is less common than one under it
		}
		cands = append(cands, cand{i, dist})
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].dist < cands[b].dist })
	var updated *dateHit
	for _, c := range cands {
		h, ok := parseDateLine(lines[c.i], now)
		switch {
		case !ok:
		case !h.updated:
			return &h
		case updated == nil:
			updated = &h // taken only if no publication date follows
		}
	}
	return updated
}

var yearOnlyRe = regexp.MustCompile(`^\D*(19|20)\d\d\D*$`)

// chooseDate decides between go-htmldate's date and the visible one. The visible date wins
// when they disagree on the day; when they agree, the more precise of the two is kept. A date
// that only comes from a copyright notice or gives only a year is not a publication date.
func chooseDate(res *Result, hd htmldate.Result, visible *dateHit) {
	var meta *dateHit
	if !hd.IsZero() {
		src := hd.SrcString
		lower := strings.ToLower(src)
		if !strings.Contains(src, "©") && !strings.Contains(lower, "copyright") && !yearOnlyRe.MatchString(src) {
			h := dateHit{t: hd.DateTime, text: src, precision: mizan.PrecisionDay}
			if hd.HasTime && (hd.DateTime.Hour() != 0 || hd.DateTime.Minute() != 0 || hd.DateTime.Second() != 0) {
				h.precision = mizan.PrecisionMinute
			} else {
				h.t = time.Date(h.t.Year(), h.t.Month(), h.t.Day(), 0, 0, 0, 0, time.UTC)
			}
			if h.text == "" {
				h.text = hd.DateTime.Format(time.RFC3339)
			}
			meta = &h
		}
	}
	switch {
	case visible != nil && meta != nil && sameDay(visible.t, meta.t):
		if rank(visible.precision) > rank(meta.precision) {
			setDate(res, *visible)
		} else {
			setDate(res, *meta)
		}
	case visible != nil:
		setDate(res, *visible)
	case meta != nil:
		setDate(res, *meta)
	default:
		// A date line inside the content (cleanHTMLParagraphs) may have set it already.
	}
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// rank orders precisions from least to most exact.
func rank(p mizan.Precision) int {
	switch p {
	case mizan.PrecisionSecond:
		return 5
	case mizan.PrecisionMinute:
		return 4
	case mizan.PrecisionDay:
		return 3
	case mizan.PrecisionMonth:
		return 2
	case mizan.PrecisionYear:
		return 1
	}
	return 0
}
