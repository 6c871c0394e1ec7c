package source

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

func TestHumanSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"},
		{1000, "1000 bytes"},
		{1024, "1 KB"},
		{1536, "1.5 KB"},
		{20 << 20, "20 MB"},
		{54945382, "52.4 MB"},
		{3 << 30, "3 GB"},
	}
	for _, tt := range tests {
		if got := humanSize(tt.n); got != tt.want {
			t.Errorf("humanSize(%d): got %q, want %q", tt.n, got, tt.want)
		}
	}
	if got, want := tooLarge("file", 54945382, 20<<20).Error(), "file is 52.4 MB, over the 20 MB limit"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadAll(t *testing.T) {
	refuse := errors.New("refused")
	tests := []struct {
		name    string
		in      string
		hint    int64
		limit   int64
		check   func([]byte) error
		wantErr error
	}{
		{name: "small", in: "hello", hint: -1, limit: 10},
		{name: "exactly the limit", in: strings.Repeat("a", 1000), hint: 1000, limit: 1000},
		{name: "one over", in: strings.Repeat("a", 1001), hint: -1, limit: 1000, wantErr: errTooLarge},
		{name: "wrong hint", in: strings.Repeat("b", 5000), hint: 10, limit: 10000},
		{name: "longer than the sniff window", in: strings.Repeat("c", 3*sniffLen+7), hint: -1, limit: 1 << 20},
		{name: "empty", in: "", hint: -1, limit: 10},
		{name: "refused by the check", in: strings.Repeat("d", 2000), hint: -1, limit: 1 << 20,
			check: func(head []byte) error {
				if len(head) != sniffLen {
					return errors.New("check saw the wrong head")
				}
				return refuse
			}, wantErr: refuse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// OneByteReader makes every read short, as a network body's are.
			got, err := readAll(iotest.OneByteReader(strings.NewReader(tt.in)), tt.hint, tt.limit, tt.check)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err == nil && string(got) != tt.in {
				t.Errorf("got %d bytes, want %d", len(got), len(tt.in))
			}
		})
	}
	_, err := readAll(iotest.ErrReader(errors.New("disk on fire")), -1, 10, nil)
	if err == nil || err.Error() != "disk on fire" {
		t.Errorf("got %v, want the reader's error", err)
	}
}

func TestLocalContentType(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"a.txt", "Plain words.", "text/plain; charset=utf-8"},
		{"a.txt", "نص عربي قصير.", "text/plain; charset=utf-8"},
		{"a.txt", "\xc7\xe1\xda\xd1\xc8\xed\xc9", "text/plain"}, // Windows-1256: no false utf-8 claim
		{"a.md", "# Title\n\ntext", "text/markdown; charset=utf-8"},
		{"page.txt", "<!DOCTYPE html><html><body>x</body></html>", "text/html; charset=utf-8"},
		{"page.html", "A fragment <p>without a doctype", "text/html; charset=utf-8"},
		{"page.xhtml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>`, "application/xhtml+xml; charset=utf-8"},
		{"feed.xml", `<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`, "application/rss+xml; charset=utf-8"},
		{"feed.txt", "\ufeff  <feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", "application/atom+xml; charset=utf-8"},
		{"data.xml", `<?xml version="1.0"?><catalog/>`, "application/xml; charset=utf-8"},
		{"feed.json", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, "application/feed+json; charset=utf-8"},
		{"data.json", `{"a": 1}`, "application/json; charset=utf-8"},
		{"noext", "\xff\xfeh\x00i\x00", "text/plain; charset=utf-16le"},
		{"fake.rss", "<html><body>not a feed</body></html>", "text/html; charset=utf-8"},
	}
	for _, tt := range tests {
		if got := localContentType(tt.name, []byte(tt.raw)); got != tt.want {
			t.Errorf("localContentType(%q, %.20q): got %q, want %q", tt.name, tt.raw, got, tt.want)
		}
	}
}

func TestTextual(t *testing.T) {
	for mt, want := range map[string]bool{
		"text/html": true, "text/plain": true, "application/xhtml+xml": true, "application/rss+xml": true,
		"application/json": true, "application/feed+json": true, "text/xml": true,
		"text/css": false, "text/javascript": false, "image/svg+xml": false, "application/pdf": false,
		"application/octet-stream": false, "video/mp4": false, "application/zip": false, "": false,
	} {
		if got := textual(mt); got != want {
			t.Errorf("textual(%q): got %v, want %v", mt, got, want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"plain  words\n here", 0, "plain words here"},
		{"<p>One</p><p>Two &amp; three</p>", 0, "One Two & three"},
		{"<p>قال <b>المتحدث</b></p><script>var x = 1;</script><style>p{}</style>.", 0, "قال المتحدث ."},
		{"one two three four five", 12, "one two…"},
		{"كلمة كلمة كلمة كلمة", 10, "كلمة كلمة…"},
		{"unclosed <b>tag", 0, "unclosed tag"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in, tt.limit); got != tt.want {
			t.Errorf("plainText(%q, %d): got %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

func TestLimiterCancel(t *testing.T) {
	l := newLimiter(1, 1)
	release, err := l.acquire(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := l.acquire(ctx, "a"); err == nil {
		t.Errorf("got a token for a busy host with a cancelled context, want an error")
	}
	if _, err := l.acquire(ctx, "b"); err == nil {
		t.Errorf("got a token over the total with a cancelled context, want an error")
	}
	release()
	if n := len(l.hosts); n != 0 {
		t.Errorf("got %d hosts remembered after every token came back, want 0", n)
	}
}

func TestFeedPage(t *testing.T) {
	f := &Feed{Title: `Wire & "Co"`}
	page := string(f.page(FeedItem{Title: "<Breaking>", Authors: []string{"A. Writer"}}, "First paragraph.\n\nSecond & last."))
	for _, want := range []string{
		"<title>&lt;Breaking&gt;</title>",
		`<meta name="author" content="A. Writer">`,
		`<meta property="og:site_name" content="Wire &amp; &#34;Co&#34;">`,
		"<p>First paragraph.</p>\n<p>Second &amp; last.</p>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("got page\n%s\nwant it to contain %q", page, want)
		}
	}
}

// FuzzSniff feeds arbitrary bytes to the local sniffing that runs on every file and stdin.
func FuzzSniff(f *testing.F) {
	for _, seed := range []string{"", "plain", "<rss><channel>", "\xef\xbb\xbf<feed>", "{\"version\":\"https://jsonfeed.org/version/1\"", "\x89PNG\r\n\x1a\n", "<html>"} {
		f.Add("x.txt", []byte(seed))
	}
	f.Fuzz(func(t *testing.T, name string, raw []byte) {
		ct := localContentType(name, raw)
		if ct == "" {
			t.Errorf("got an empty content type, want one")
		}
		if err := refuseBinary(raw[:min(len(raw), sniffLen)]); err != nil && mizan.ErrorCode(err) != mizan.EUNSUPPORTED {
			t.Errorf("got %v, want nil or EUNSUPPORTED", err)
		}
		if s := plainText(string(raw), 50); utf8.RuneCountInString(s) > 51 && utf8.ValidString(string(raw)) {
			t.Errorf("got %d characters, want at most 51", utf8.RuneCountInString(s))
		}
	})
}
