package source_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/source"
)

const wire = "https://wire.example.org"

// fixtureFeed reads a feed fixture with its {{BASE}} placeholders set to base.
func fixtureFeed(tb testing.TB, name, base string) []byte {
	tb.Helper()
	return bytes.ReplaceAll(readFixture(tb, "feeds/"+name), []byte("{{BASE}}"), []byte(base))
}

func TestParseFeed(t *testing.T) {
	june := func(day, hour, minute int) *time.Time {
		t := time.Date(2025, 6, day, hour, minute, 0, 0, time.UTC)
		return &t
	}
	tests := []struct {
		file      string
		wantType  string
		wantTitle string
		wantLang  string
		wantLinks []string
		first     source.FeedItem // Summary and Content are checked apart
	}{
		{
			file: "rss2.xml", wantType: "rss", wantTitle: "Test Wire — World", wantLang: "en",
			wantLinks: []string{wire + "/articles/talks.html", wire + "/articles/gone.html", wire + "/articles/missing.html", "", wire + "/articles/fr.html"},
			first: source.FeedItem{Title: "Talks resume in the capital", GUID: wire + "/articles/talks.html", Link: wire + "/articles/talks.html",
				Published: june(3, 9, 30), Authors: []string{"Jane Reporter"}},
		},
		{
			file: "atom.xml", wantType: "atom", wantTitle: "Fil de test", wantLang: "fr",
			wantLinks: []string{wire + "/articles/fr.html", wire + "/articles/gone-atom.html", wire + "/articles/missing-atom.html"},
			first: source.FeedItem{Title: "Reprise des pourparlers", GUID: "urn:mizan:test:atom:1", Link: wire + "/articles/fr.html",
				Published: june(3, 7, 30), Authors: []string{"Claire Journaliste"}},
		},
		{
			file: "rdf.xml", wantType: "rss", wantTitle: "RSS 1.0 fixture",
			wantLinks: []string{wire + "/a/1"},
			first:     source.FeedItem{Title: "First item", Link: wire + "/a/1", Published: june(1, 12, 0), Authors: []string{"Sam Writer"}},
		},
		{
			file: "jsonfeed.json", wantType: "json", wantTitle: "JSON fixture", wantLang: "ar",
			wantLinks: []string{wire + "/j/1"},
			first:     source.FeedItem{Title: "بيان مشترك", GUID: "j1", Link: wire + "/j/1", Published: june(2, 8, 0), Authors: []string{"مراسل"}},
		},
		{
			file: "relative.xml", wantType: "rss", wantTitle: "Relative links",
			// Relative links resolve against the feed URL; a javascript: link and an opaque GUID are no links.
			wantLinks: []string{wire + "/feeds/story/7", wire + "/story/8", "", wire + "/story/9", ""},
			first:     source.FeedItem{Title: "rel", Link: wire + "/feeds/story/7"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := source.ParseFeed(fixtureFeed(t, tt.file, wire), wire+"/feeds/x")
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if f.Type != tt.wantType || f.Title != tt.wantTitle || f.Language != tt.wantLang || f.URL != wire+"/feeds/x" {
				t.Errorf("got type %q title %q lang %q url %q, want %q %q %q", f.Type, f.Title, f.Language, f.URL, tt.wantType, tt.wantTitle, tt.wantLang)
			}
			var links []string
			for _, it := range f.Items {
				links = append(links, it.Link)
			}
			if !slices.Equal(links, tt.wantLinks) {
				t.Errorf("got links %q, want %q", links, tt.wantLinks)
			}
			got := f.Items[0]
			got.Summary, got.Content = "", ""
			if !equalItems(got, tt.first) {
				t.Errorf("got first item %+v, want %+v", got, tt.first)
			}
		})
	}
}

func equalItems(a, b source.FeedItem) bool {
	samePub := (a.Published == nil) == (b.Published == nil) && (a.Published == nil || a.Published.Equal(*b.Published))
	return a.Title == b.Title && a.GUID == b.GUID && a.Link == b.Link && samePub && slices.Equal(a.Authors, b.Authors) &&
		a.Summary == b.Summary && a.Content == b.Content
}

func TestParseFeedText(t *testing.T) {
	f, err := source.ParseFeed(fixtureFeed(t, "rss2.xml", wire), wire+"/feeds/rss2.xml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Items[0].Summary, "Delegations met on Tuesday for a second round of talks."; got != want {
		t.Errorf("got summary %q, want %q", got, want)
	}
	if got := f.Items[1].Content; !strings.HasPrefix(got, "<p>التقى وفدا البلدين") {
		t.Errorf("got content %.40q, want the Arabic content:encoded", got)
	}
	if got, want := f.Items[4].Authors, []string{"Desk Editor"}; !slices.Equal(got, want) {
		t.Errorf("got authors %q, want %q", got, want)
	}

	long := `<rss version="2.0"><channel><title>t</title><item><title>x</title><description>` +
		strings.Repeat("word ", 400) + `</description></item></channel></rss>`
	f, err = source.ParseFeed([]byte(long), "")
	if err != nil {
		t.Fatal(err)
	}
	if s := f.Items[0].Summary; utf8.RuneCountInString(s) > 1001 || !strings.HasSuffix(s, "word…") {
		t.Errorf("got a summary of %d characters ending %q, want at most 1000 and a cut mark", utf8.RuneCountInString(s), s[len(s)-10:])
	}
}

func TestParseFeedErrors(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"malformed xml", readFixture(t, "feeds/malformed.xml"), "malformed feed: XML syntax error on line"},
		{"html page", readFixture(t, "pages/talks.html"), "not an RSS, Atom or JSON feed"},
		{"plain text", []byte("just words"), "not an RSS, Atom or JSON feed"},
		{"empty", nil, "not an RSS, Atom or JSON feed"},
		{"truncated atom", []byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x`), "malformed feed"},
		{"broken json", []byte(`{"version": "https://jsonfeed.org/version/1.1", "items": [`), "malformed feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := source.ParseFeed(tt.raw, "https://wire.example.org/feed")
			var me *mizan.Error
			if f != nil || !errors.As(err, &me) || me.Code != mizan.EINVALID || !strings.Contains(me.Message, tt.want) {
				t.Errorf("got %v, %v, want nil and EINVALID containing %q", f, err, tt.want)
			}
		})
	}
}

// TestWalkFeeds fetches feeds from the test server and compares every item, metadata, errors
// and the pages made of feed content, with golden files.
func TestWalkFeeds(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		follow bool
		golden string
	}{
		{"rss 2.0", "/feeds/rss2.xml", true, "rss2.json"},
		{"atom", "/feeds/atom.xml", true, "atom.json"},
		{"rss served as text/xml", "/feeds/rss-as-text-xml", true, "rss-as-text-xml.json"},
		{"links not followed", "/feeds/rss2.xml", false, "rss2-nofollow.json"},
		{"malformed", "/feeds/malformed.xml", true, "malformed.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			o := testOptions(ts)
			o.FollowFeeds = tt.follow
			items := collect(t, o, ts.URL+tt.path)
			checkGolden(t, tt.golden, items, ts.URL, "BASE")
			for _, it := range items {
				if it.Kind == mizan.SourceFeed && (it.Feed == nil || it.Feed.FeedURL != ts.URL+tt.path) {
					t.Errorf("%s: got feed info %+v, want the feed URL", it.Source, it.Feed)
				}
			}
			if !tt.follow && ts.hitCount("/articles/talks.html") != 0 {
				t.Errorf("got an item link fetched, want none with FollowFeeds off")
			}
		})
	}
}

// TestWalkFeedFile reads a feed from a local file; its items are fetched from the server, and
// an item given twice (here, in two feeds) is fetched and delivered once.
func TestWalkFeedFile(t *testing.T) {
	ts := newTestServer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "saved.rss")
	if err := os.WriteFile(path, fixtureFeed(t, "rss2.xml", ts.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	items := collect(t, testOptions(ts), path, ts.URL+"/feeds/rss2.xml")
	checkGolden(t, "local-rss.json", items, ts.URL, "BASE", dir, "TMP")
	if n := ts.hitCount("/articles/talks.html"); n != 1 {
		t.Errorf("got %d requests for an item in both feeds, want 1", n)
	}
}

func TestWalkFeedSkip(t *testing.T) {
	ts := newTestServer(t)
	o := testOptions(ts)
	var skipped []string
	o.Skip = func(s string) bool {
		skipped = append(skipped, strings.TrimPrefix(s, ts.URL))
		return strings.HasSuffix(s, "/articles/talks.html") || strings.HasSuffix(s, "#test-wire-4")
	}
	items := collect(t, o, ts.URL+"/feeds/rss2.xml")
	// Asked about the feed URL itself, then every item; the first and fourth items are passed over.
	if want := "/feeds/rss2.xml /articles/talks.html /articles/gone.html /articles/missing.html /feeds/rss2.xml#test-wire-4 /articles/fr.html"; strings.Join(skipped, " ") != want {
		t.Errorf("got Skip asked about %q, want %q", skipped, want)
	}
	var got []string
	for _, it := range items {
		got = append(got, strings.TrimPrefix(it.Source, ts.URL))
	}
	if want := "/articles/gone.html /articles/missing.html /articles/fr.html"; strings.Join(got, " ") != want {
		t.Errorf("got items %q, want %q", got, want)
	}
	if n := ts.hitCount("/articles/talks.html"); n != 0 {
		t.Errorf("got %d requests for a skipped item, want 0", n)
	}
}

func FuzzParseFeed(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "feeds", "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed feeds: %v", err)
	}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		feed, err := source.ParseFeed(raw, "https://wire.example.org/feed.xml")
		if err != nil {
			if feed != nil || mizan.ErrorCode(err) != mizan.EINVALID {
				t.Fatalf("got %v, %v, want nil and an EINVALID error", feed, err)
			}
			return
		}
		for _, it := range feed.Items {
			if it.Link != "" && !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") {
				t.Errorf("got link %q, want an absolute http(s) URL or none", it.Link)
			}
			if n := utf8.RuneCountInString(it.Summary); n > 1001 {
				t.Errorf("got a summary of %d characters, want at most 1001", n)
			}
		}
	})
}
