package source

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	xhtml "golang.org/x/net/html"

	"github.com/mizan-osint/mizan"
)

// Feed is what mizan keeps of a parsed RSS, RDF, Atom or JSON feed.
type Feed struct {
	URL      string // where the feed was read from (a URL or a file path)
	Title    string
	Link     string // the site the feed belongs to
	Language string // as the feed declares it, e.g. "ar"
	Type     string // "rss", "atom" or "json"
	Items    []FeedItem
}

// FeedItem is one entry of a feed.
type FeedItem struct {
	Title string
	GUID  string
	// Link is the item's page, made absolute against the feed URL; "" when the item has none or
	// it is not an http(s) link.
	Link string
	// Published is when the item was published, else last updated; nil when the feed does not say.
	Published *time.Time
	Authors   []string
	// Summary is the item's description as plain text, at most maxSummary characters.
	Summary string
	// Content is the full content the feed carries (content:encoded, Atom content), as HTML.
	Content string
}

const (
	// maxSummary caps FeedItem.Summary: some feeds put the whole article in the description,
	// and the summary is stored with every document.
	maxSummary = 1000
	// minFeedContent is how many characters of text an item's content needs to stand in for the
	// page it links to: less is a teaser, not the article.
	minFeedContent = 300
)

// ParseFeed parses an RSS 0.9x/1.0 (RDF)/2.0, Atom or JSON feed. Relative item links are
// resolved against feedURL (or, for a local file, against the feed's own link). A document that
// is not a feed or is malformed is an EINVALID *mizan.Error naming the problem.
func ParseFeed(raw []byte, feedURL string) (*Feed, error) {
	p := gofeed.NewParser()
	// The image scan parses every item's HTML to find a picture mizan never uses.
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	gf, err := p.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, feedError(err)
	}
	f := &Feed{
		URL:      feedURL,
		Title:    strings.TrimSpace(gf.Title),
		Language: strings.TrimSpace(gf.Language),
		Type:     gf.FeedType,
	}
	base := httpBase(feedURL)
	f.Link = absLink(base, gf.Link)
	if base == nil && f.Link != "" {
		base, _ = url.Parse(f.Link)
	}
	f.Items = make([]FeedItem, 0, len(gf.Items))
	for _, gi := range gf.Items {
		if gi == nil {
			continue
		}
		it := FeedItem{
			Title:     strings.TrimSpace(gi.Title),
			GUID:      strings.TrimSpace(gi.GUID),
			Link:      absLink(base, gi.Link),
			Published: gi.PublishedParsed,
			Summary:   plainText(gi.Description, maxSummary),
			Content:   strings.TrimSpace(gi.Content),
		}
		if it.Published == nil {
			it.Published = gi.UpdatedParsed
		}
		if it.Link == "" && gi.Link == "" {
			// RSS items without <link> often have a permalink <guid>; only an absolute one is
			// taken, since a relative-looking GUID is an opaque id, not a path.
			it.Link = absLink(nil, it.GUID)
		}
		for _, a := range gi.Authors {
			if a == nil {
				continue
			}
			if name := strings.TrimSpace(a.Name); name != "" {
				it.Authors = append(it.Authors, name)
			} else if email := strings.TrimSpace(a.Email); email != "" {
				it.Authors = append(it.Authors, email)
			}
		}
		f.Items = append(f.Items, it)
	}
	return f, nil
}

// feedError words a parser error for the user.
func feedError(err error) error {
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return mizan.Errorf(mizan.EINVALID, "not an RSS, Atom or JSON feed")
	case errors.As(err, &se):
		return mizan.Errorf(mizan.EINVALID, "malformed feed: XML syntax error on line %d: %s", se.Line, se.Msg)
	default:
		return mizan.Errorf(mizan.EINVALID, "malformed feed: %v", err)
	}
}

// httpBase parses an absolute http(s) URL, or returns nil.
func httpBase(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// absLink makes link absolute against base and keeps it only if it is an http(s) URL: a feed
// can carry "javascript:" or "mailto:" links, which are no page to fetch.
func absLink(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// plainText turns an HTML fragment into text: tags dropped, entities decoded, white space
// collapsed, cut at a word boundary after limit characters (0: no limit).
func plainText(fragment string, limit int) string {
	if !strings.ContainsAny(fragment, "<&") {
		return clip(strings.Join(strings.Fields(fragment), " "), limit)
	}
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(fragment))
	skip := 0 // inside <script> or <style>
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return clip(strings.Join(strings.Fields(b.String()), " "), limit)
		case xhtml.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip++
			}
			b.WriteByte(' ') // a tag separates words: "<p>a</p><p>b</p>" is "a b"
		case xhtml.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style") && skip > 0 {
				skip--
			}
			b.WriteByte(' ')
		case xhtml.SelfClosingTagToken:
			b.WriteByte(' ')
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		}
		if limit > 0 && b.Len() > 8*limit {
			// Plenty to fill the limit; stop tokenizing a long article.
			return clip(strings.Join(strings.Fields(b.String()), " "), limit)
		}
	}
}

// clip cuts s after limit characters, at the last space if there is one, and marks the cut.
func clip(s string, limit int) string {
	if limit <= 0 || utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit {
			cut := s[:i]
			if sp := strings.LastIndexByte(cut, ' '); sp > len(cut)/2 {
				cut = cut[:sp]
			}
			return cut + "…"
		}
		n++
	}
	return s
}

// htmlTag tells HTML content from plain text, where "AT&T" or "a < b" can appear.
var htmlTag = regexp.MustCompile(`<(/?[A-Za-z][A-Za-z0-9]*[\s/>]|!--)`)

// isFeed reports whether a media type is a feed's.
func isFeed(mt string) bool {
	switch mt {
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json":
		return true
	}
	return false
}

// info is the FeedInfo of one item.
func (f *Feed) info(it FeedItem) *mizan.FeedInfo {
	return &mizan.FeedInfo{
		FeedURL:   f.URL,
		FeedTitle: f.Title,
		ItemTitle: it.Title,
		ItemGUID:  it.GUID,
		ItemLink:  it.Link,
		Published: it.Published,
		Authors:   it.Authors,
		Summary:   it.Summary,
	}
}

// itemSource is what identifies an item to the user and to Options.Skip: its link, or for an
// item without one a stable name under the feed (its GUID, else a hash of its title and date).
func (f *Feed) itemSource(it FeedItem) string {
	if it.Link != "" {
		return it.Link
	}
	if it.GUID != "" {
		return f.URL + "#" + it.GUID
	}
	h := sha256.New()
	h.Write([]byte(it.Title))
	if it.Published != nil {
		h.Write([]byte(it.Published.UTC().Format(time.RFC3339)))
	}
	h.Write([]byte(it.Content))
	return f.URL + "#item-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// page wraps an item's content in a small HTML document, so the extractor finds the title,
// authors and date where it looks for them on any page. The content is HTML already
// (gofeed decoded it from the feed); plain text is escaped, one paragraph per blank-line block.
func (f *Feed) page(it FeedItem, content string) []byte {
	var b bytes.Buffer
	// No lang attribute from the feed's language: a feed declared "en" carries Arabic items
	// too, and a wrong hint is worse than none.
	b.WriteString("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n")
	if it.Title != "" {
		b.WriteString("<title>" + html.EscapeString(it.Title) + "</title>\n")
	}
	if it.Link != "" {
		b.WriteString(`<link rel="canonical" href="` + html.EscapeString(it.Link) + "\">\n")
	}
	for _, a := range it.Authors {
		b.WriteString(`<meta name="author" content="` + html.EscapeString(a) + "\">\n")
	}
	if it.Published != nil {
		b.WriteString(`<meta property="article:published_time" content="` + it.Published.Format(time.RFC3339) + "\">\n")
	}
	if f.Title != "" {
		b.WriteString(`<meta property="og:site_name" content="` + html.EscapeString(f.Title) + "\">\n")
	}
	b.WriteString("</head>\n<body>\n<article>\n")
	if htmlTag.MatchString(content) {
		b.WriteString(content)
	} else {
		for para := range strings.SplitSeq(strings.ReplaceAll(content, "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				b.WriteString("<p>" + html.EscapeString(para) + "</p>\n")
			}
		}
	}
	b.WriteString("\n</article>\n</body>\n</html>\n")
	return b.Bytes()
}
