// Package extract is the first stage of the pipeline: it turns the raw bytes of a document into
// the clean article text and its metadata (title, outlet, authors, publication date).
//
// Three kinds of input come in:
//
//   - HTML pages: the main content is found by go-trafilatura, the date by go-htmldate and then
//     checked against the date printed near the title (see html.go);
//   - clean plain-text articles, which pass through with their paragraphs;
//   - plain text copied from a browser ("scrapes"): menus, tickers, "Most Read" boxes and the
//     like are still in it. They are recognised and reduced to the article by a small line
//     scoring model (see scrape.go).
//
// Every input is first decoded to UTF-8 (see decode.go): BOM, declared charset, UTF-8, and
// otherwise a guess among the legacy encodings of English, French and Arabic news.
package extract

import (
	"bytes"
	"fmt"
	"mime"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

// Input is a document as fetched.
type Input struct {
	Raw []byte
	// ContentType is the HTTP Content-Type header value, which may carry a charset; "" for files.
	ContentType string
	// Source is the path or URL the bytes came from. Its extension helps tell HTML from text,
	// and a URL gives the outlet's host name and lets trafilatura resolve the page.
	Source string
}

// Result is what extraction found.
type Result struct {
	// Text is the article: the title first (when found) as its own paragraph, then the body
	// paragraphs, separated by exactly "\n\n"; no boilerplate.
	Text          string
	Title         string
	Outlet        string // site or outlet name ("" when unknown)
	Authors       []string
	Published     *time.Time // nil when the document gives no date
	PublishedText string     // the text that gave the date
	// Precision of Published; never more precise than PublishedText.
	Precision mizan.Precision
	Format    mizan.Format
	// Charset is the encoding the bytes were decoded from ("utf-8", "windows-1256", ...).
	Charset string
	// Dropped lists boilerplate lines that were removed (for debugging and `--explain`), at most
	// Options.MaxDropped of them.
	Dropped []string
}

// Options tune extraction. The zero value is usable; DefaultOptions gives the recommended one.
type Options struct {
	// MaxBytes rejects larger inputs with ETOOLARGE; 0 means no limit.
	MaxBytes int
	// Format forces a format instead of detecting it: FormatHTML, FormatText (no boilerplate
	// removal) or FormatScrape. "" detects.
	Format mizan.Format
	// Fallback lets trafilatura also run its fallback extractors (go-readability and
	// go-domdistiller) and keep the best result: a little more recall on unusual layouts for
	// about twice the time.
	Fallback bool
	// Comments keeps reader comments of HTML pages in the text (after the article).
	Comments bool
	// Tables keeps the content of HTML tables, one row per paragraph with cells joined by " | ".
	Tables bool
	// ExtensiveDates makes go-htmldate scan the whole page with the multilingual date parser
	// when the metadata has no date. Slower; the date printed near the title is checked anyway.
	ExtensiveDates bool
	// MaxDropped caps Result.Dropped; 0 keeps none.
	MaxDropped int
	// Now is the reference time for dates: a date after Now (plus a day of time-zone slack) is
	// rejected, and relative dates are not resolved. nil means time.Now.
	Now func() time.Time
}

// DefaultOptions returns the options the pipeline uses.
func DefaultOptions() Options {
	return Options{
		MaxBytes:   16 << 20,
		Tables:     true,
		MaxDropped: 200,
	}
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// recoverPanics turns a panic in a dependency into an error so that one bad page cannot stop a
// batch; fuzz tests switch it off to see the panic.
var recoverPanics = true

// Extract decodes in.Raw and extracts the article. Errors are *mizan.Error: EINVALID for empty
// or undecodable input, EUNSUPPORTED for binary files, ETOOLARGE over Options.MaxBytes. It never
// panics: a panic inside a dependency is turned into EINTERNAL.
func Extract(in Input, o Options) (res *Result, err error) {
	if recoverPanics {
		defer func() {
			if r := recover(); r != nil {
				res, err = nil, fmt.Errorf("extract %s: panic: %v", in.Source, r)
			}
		}()
	}
	if o.MaxBytes > 0 && len(in.Raw) > o.MaxBytes {
		return nil, mizan.Errorf(mizan.ETOOLARGE, "document of %d bytes is over the %d-byte limit", len(in.Raw), o.MaxBytes)
	}
	if len(bytes.TrimSpace(in.Raw)) == 0 {
		return nil, mizan.Errorf(mizan.EINVALID, "empty document")
	}
	if what := sniffBinary(in.Raw); what != "" {
		return nil, mizan.Errorf(mizan.EUNSUPPORTED, "binary file (looks like %s)", what)
	}
	if ct := mediaType(in.ContentType); isBinaryMediaType(ct) {
		return nil, mizan.Errorf(mizan.EUNSUPPORTED, "binary file (served as %s)", ct)
	}
	if _, utf16 := utf16Guess(in.Raw); !utf16 && controlRatio(in.Raw) > 0.05 {
		return nil, mizan.Errorf(mizan.EUNSUPPORTED, "binary file (%.0f%% control characters)", 100*controlRatio(in.Raw))
	}

	format := o.Format
	if format == "" {
		format = sniffFormat(in)
	}
	dec, err := decode(in.Raw, in.ContentType, format == mizan.FormatHTML)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(dec.text) == "" {
		return nil, mizan.Errorf(mizan.EINVALID, "empty document")
	}
	if format == "" && looksLikeHTML([]byte(dec.text)) {
		// Markup served as text/plain or saved as .txt is still a page, and UTF-16 could not
		// be sniffed before decoding.
		format = mizan.FormatHTML
	}

	switch format {
	case mizan.FormatHTML:
		res, err = extractHTML(dec.text, in, o)
	default:
		res = extractText(dec.text, format, o)
	}
	if err != nil {
		return nil, err
	}
	res.Charset = dec.charset
	finish(res, in)
	if strings.TrimSpace(res.Text) == "" {
		return nil, mizan.Errorf(mizan.EINVALID, "no article text found")
	}
	return res, nil
}

// finish applies what every format shares: a clean title, and the outlet falling back to the
// URL's host name.
func finish(res *Result, in Input) {
	res.Title = collapseSpaces(res.Title)
	if res.Outlet == "" {
		res.Outlet = hostOutlet(in.Source)
	}
	if len(res.Dropped) == 0 {
		res.Dropped = nil
	}
}

// joinParagraphs lays paragraphs out as the Text contract says: trimmed, inner whitespace
// collapsed, empty ones dropped, separated by exactly one blank line; the title first unless the
// body already starts with it.
func joinParagraphs(title string, paras []string) string {
	var b strings.Builder
	add := func(p string) {
		p = collapseSpaces(p)
		if p == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	title = collapseSpaces(title)
	if title != "" && (len(paras) == 0 || normKey(paras[0]) != normKey(title)) {
		add(title)
	}
	for _, p := range paras {
		add(p)
	}
	return b.String()
}

// collapseSpaces trims s and turns every run of whitespace (newlines included) into one space.
func collapseSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// normKey is the comparison key of a line: case-folded, whitespace collapsed, without the
// punctuation and quotes that copies of the same line gain or lose, and for Arabic without
// diacritics and tatweel and with one form of alef, yeh and teh marbuta, as writers vary them.
func normKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
			continue
		case r == 'أ', r == 'إ', r == 'آ', r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsMark(r):
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt
}

func isBinaryMediaType(mt string) bool {
	switch {
	case strings.HasPrefix(mt, "image/"), strings.HasPrefix(mt, "audio/"), strings.HasPrefix(mt, "video/"),
		strings.HasPrefix(mt, "font/"):
		return mt != "image/svg+xml"
	}
	switch mt {
	case "application/pdf", "application/zip", "application/gzip", "application/x-gzip",
		"application/msword", "application/vnd.ms-excel", "application/x-7z-compressed",
		"application/x-rar-compressed", "application/x-tar", "application/wasm":
		return true
	}
	return strings.HasPrefix(mt, "application/vnd.openxmlformats") || strings.HasPrefix(mt, "application/vnd.oasis.opendocument")
}

// sniffFormat tells HTML from plain text: the Content-Type first, then the extension of the
// source, then the bytes. A plain-text format is refined into text or scrape later.
func sniffFormat(in Input) mizan.Format {
	switch mt := mediaType(in.ContentType); mt {
	case "text/html", "application/xhtml+xml":
		return mizan.FormatHTML
	case "text/plain", "text/markdown":
		return ""
	}
	p := in.Source
	if u, err := url.Parse(in.Source); err == nil && u.Scheme != "" && u.Host != "" {
		p = u.Path
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp":
		return mizan.FormatHTML
	case ".txt", ".text", ".md":
		return ""
	}
	if looksLikeHTML(in.Raw) {
		return mizan.FormatHTML
	}
	return ""
}

// looksLikeHTML reports whether the start of a document is markup: it opens with a doctype, an
// <html>/<head>/<body> tag, or has several common block tags early on.
func looksLikeHTML(raw []byte) bool {
	head := raw[:min(len(raw), 4096)]
	head = bytes.TrimLeft(head, " \t\r\n\xEF\xBB\xBF")
	lower := bytes.ToLower(head)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<?xml version", "<body"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return p != "<?xml version" || bytes.Contains(lower, []byte("<html"))
		}
	}
	if !bytes.HasPrefix(lower, []byte("<")) {
		return false
	}
	n := 0
	for _, t := range []string{"<p>", "<p ", "<div", "<article", "<meta", "<title", "<br", "<h1", "<h2", "<span", "<a href"} {
		if bytes.Contains(lower, []byte(t)) {
			n++
		}
	}
	return n >= 2
}

// hostOutlet names an outlet by the host of a URL source ("www.example.com" → "example.com").
func hostOutlet(source string) string {
	u, err := url.Parse(source)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// dropped records removed lines up to the cap.
type dropped struct {
	lines []string
	max   int
}

func (d *dropped) add(s string) {
	s = strings.TrimSpace(s)
	if s == "" || len(d.lines) >= d.max {
		return
	}
	if utf8.RuneCountInString(s) > 200 {
		r := []rune(s)
		s = string(r[:200]) + "…"
	}
	d.lines = append(d.lines, s)
}
