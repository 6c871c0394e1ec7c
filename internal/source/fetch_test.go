package source_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/source"
)

func TestFetchURL(t *testing.T) {
	ts := newTestServer(t)
	talks := readFixture(t, "pages/talks.html")
	tests := []struct {
		name     string
		path     string
		opts     func(*source.Options)
		wantCT   string // content type, when the fetch succeeds
		wantRaw  []byte
		wantURL  string // path of the final URL
		wantCode string
		wantMsg  string
	}{
		{name: "html with charset header", path: "/articles/talks.html", wantCT: "text/html; charset=utf-8", wantRaw: talks, wantURL: "/articles/talks.html"},
		{name: "arabic page", path: "/articles/ar.html", wantCT: "text/html; charset=UTF-8", wantRaw: readFixture(t, "pages/ar.html"), wantURL: "/articles/ar.html"},
		{name: "404", path: "/articles/nowhere.html", wantCode: mizan.EUNAVAILABLE, wantMsg: "HTTP 404 Not Found"},
		{name: "500", path: "/status/500", wantCode: mizan.EUNAVAILABLE, wantMsg: "HTTP 500 Internal Server Error"},
		{name: "timeout", path: "/slow", opts: func(o *source.Options) { o.Timeout = 50 * time.Millisecond },
			wantCode: mizan.EUNAVAILABLE, wantMsg: "timed out after 50ms"},
		{name: "redirects followed", path: "/redirect/3", wantCT: "text/html; charset=utf-8", wantRaw: talks, wantURL: "/articles/talks.html"},
		{name: "too many redirects", path: "/redirect/3", opts: func(o *source.Options) { o.MaxRedirects = 2 },
			wantCode: mizan.EUNAVAILABLE, wantMsg: "too many redirects (more than 2)"},
		{name: "no redirects", path: "/redirect/0", opts: func(o *source.Options) { o.MaxRedirects = -1 },
			wantCode: mizan.EUNAVAILABLE, wantMsg: "too many redirects (more than 0)"},
		{name: "redirect loop", path: "/loop/a", wantCode: mizan.EUNAVAILABLE, wantMsg: "redirect loop at " + ts.URL + "/loop/a"},
		{name: "redirect to ftp", path: "/to-ftp", wantCode: mizan.EUNAVAILABLE, wantMsg: `unsupported URL scheme "ftp"`},
		{name: "streamed body over the cap", path: "/big", opts: func(o *source.Options) { o.MaxBytes = 10_000 },
			wantCode: mizan.ETOOLARGE, wantMsg: "response is over the 9.8 KB limit"},
		{name: "declared body over the cap", path: "/big-declared", opts: func(o *source.Options) { o.MaxBytes = 1000 },
			wantCode: mizan.ETOOLARGE, wantMsg: "response is 2.9 KB, over the 1000 bytes limit"},
		{name: "body at the cap", path: "/big-declared", opts: func(o *source.Options) { o.MaxBytes = 3000 },
			wantCT: "text/plain", wantRaw: bytes.Repeat([]byte("x"), 3000), wantURL: "/big-declared"},
		{name: "gzip", path: "/gzip", wantCT: "text/html; charset=utf-8", wantRaw: talks, wantURL: "/gzip"},
		{name: "pdf", path: "/doc.pdf", wantCode: mizan.EUNSUPPORTED, wantMsg: "unsupported content type application/pdf"},
		{name: "image", path: "/image", wantCode: mizan.EUNSUPPORTED, wantMsg: "unsupported content type image/png"},
		{name: "octet-stream", path: "/octet", wantCode: mizan.EUNSUPPORTED, wantMsg: "application/octet-stream"},
		{name: "gzip body declared as html", path: "/gzip-undeclared", wantCode: mizan.EUNSUPPORTED, wantMsg: "declared text/html, but the bytes look like application/x-gzip"},
		{name: "utf-16 without a byte order mark", path: "/utf16", wantCT: "text/plain; charset=utf-16le", wantRaw: []byte("h\x00i\x00"), wantURL: "/utf16"},
		{name: "no content type: sniffed", path: "/untyped", wantCT: "text/html; charset=utf-8", wantRaw: talks, wantURL: "/untyped"},
		{name: "no content type, binary", path: "/untyped-binary", wantCode: mizan.EUNSUPPORTED, wantMsg: "binary data"},
		{name: "empty body", path: "/empty", wantCode: mizan.EINVALID, wantMsg: "empty response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(ts)
			if tt.opts != nil {
				tt.opts(&o)
			}
			items := collect(t, o, ts.URL+tt.path)
			if len(items) != 1 {
				t.Fatalf("got %d items, want 1", len(items))
			}
			it := items[0]
			if it.Source != ts.URL+tt.path || it.Kind != mizan.SourceURL {
				t.Errorf("got source %q kind %q, want %q url", it.Source, it.Kind, ts.URL+tt.path)
			}
			if tt.wantCode != "" {
				wantErr(t, it, tt.wantCode, tt.wantMsg)
				if it.Raw != nil {
					t.Errorf("got %d raw bytes with the error, want none", len(it.Raw))
				}
				return
			}
			if it.Err != nil {
				t.Fatalf("got error %v, want none", it.Err)
			}
			if it.ContentType != tt.wantCT {
				t.Errorf("got content type %q, want %q", it.ContentType, tt.wantCT)
			}
			if !bytes.Equal(it.Raw, tt.wantRaw) {
				t.Errorf("got %d raw bytes, want %d", len(it.Raw), len(tt.wantRaw))
			}
			if it.URL != ts.URL+tt.wantURL {
				t.Errorf("got final URL %q, want %q", it.URL, ts.URL+tt.wantURL)
			}
		})
	}
	t.Run("gzip was asked for", func(t *testing.T) {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		if !ts.gzipAsked {
			t.Errorf("got no gzip in Accept-Encoding, want it")
		}
	})
}

func TestFetchHeadersAndModTime(t *testing.T) {
	ts := newTestServer(t)
	o := testOptions(ts)
	items := collect(t, o, ts.URL+"/headers", ts.URL+"/modified")
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	if want := source.DefaultOptions().UserAgent; ts.userAgent != want {
		t.Errorf("got User-Agent %q, want %q", ts.userAgent, want)
	}
	if !strings.HasPrefix(ts.userAgent, "mizan/") || !strings.Contains(ts.userAgent, "(+https://github.com/mizan-osint/mizan)") {
		t.Errorf("got User-Agent %q, want mizan/<version> (+https://github.com/mizan-osint/mizan)", ts.userAgent)
	}
	if !strings.Contains(ts.accept, "text/html") || !strings.Contains(ts.accept, "application/rss+xml") {
		t.Errorf("got Accept %q, want pages and feeds", ts.accept)
	}
	if want := time.Date(2025, 6, 3, 9, 30, 0, 0, time.UTC); !items[1].ModTime.Equal(want) {
		t.Errorf("got ModTime %v, want %v", items[1].ModTime, want)
	}

	o.UserAgent = "custom-agent/1"
	collect(t, o, ts.URL+"/headers")
	if ts.userAgent != "custom-agent/1" {
		t.Errorf("got User-Agent %q, want custom-agent/1", ts.userAgent)
	}
}

func TestURLArguments(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		arg      string
		wantCode string
		wantMsg  string
	}{
		{"ftp://ftp.example.org/file.txt", mizan.EINVALID, `unsupported URL scheme "ftp": only http and https`},
		{"file:///etc/passwd", mizan.EINVALID, `unsupported URL scheme "file"`},
		{"http://", mizan.EINVALID, "URL has no host"},
		{"http://[::1", mizan.EINVALID, "invalid URL"},
		{"http://127.0.0.1:1/refused", mizan.EUNAVAILABLE, "connection refused"},
		{"http://no-such-host.invalid/", mizan.EUNAVAILABLE, "no-such-host.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			items := collect(t, testOptions(ts), tt.arg)
			if len(items) != 1 {
				t.Fatalf("got %d items, want 1", len(items))
			}
			wantErr(t, items[0], tt.wantCode, tt.wantMsg)
		})
	}
}

// TestFetchOrder checks that fetches overlap yet items arrive in argument order: the first
// page is only answered once the second has been requested, which can only happen if both are
// in flight at once.
func TestFetchOrder(t *testing.T) {
	second := make(chan struct{})
	var once sync.Once
	ts := newTestServer(t, map[string]func(){
		"/first": func() {
			select {
			case <-second:
			case <-time.After(5 * time.Second):
			}
		},
		"/second": func() { once.Do(func() { close(second) }) },
	})
	items := collect(t, testOptions(ts), ts.URL+"/first", ts.URL+"/second", ts.URL+"/articles/talks.html")
	var got []string
	for _, it := range items {
		got = append(got, strings.TrimPrefix(it.Source, ts.URL))
	}
	if want := "/first /second /articles/talks.html"; strings.Join(got, " ") != want {
		t.Errorf("got order %v, want %s", got, want)
	}
	select {
	case <-second:
	default:
		t.Errorf("got /second never requested, want it")
	}
}

// TestFetchLimits checks the per-host and total caps: each request holds its slot for a while,
// or until more requests than the cap are in flight at once, which only a broken limit allows.
// The most seen at once must be the cap exactly: more is a leak, less is no concurrency.
func TestFetchLimits(t *testing.T) {
	tests := []struct {
		name     string
		fetchers int
		hosts    []string
		n        int
		wantMax  int
	}{
		{"two per host", 8, []string{"127.0.0.1"}, 4, 2},
		{"one in all", 1, []string{"127.0.0.1", "localhost"}, 3, 1},
		{"two hosts in parallel", 8, []string{"127.0.0.1", "localhost"}, 8, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			inflight, maxIn := 0, 0
			overflow := make(chan struct{})
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				inflight++
				maxIn = max(maxIn, inflight)
				if inflight == tt.wantMax+1 {
					close(overflow)
				}
				mu.Unlock()
				select {
				case <-overflow:
				case <-time.After(250 * time.Millisecond):
				}
				mu.Lock()
				inflight--
				mu.Unlock()
				w.Header().Set("Content-Type", "text/plain")
				w.Write([]byte("ok " + r.URL.Path))
			}))
			defer ts.Close()
			port := ts.URL[strings.LastIndexByte(ts.URL, ':'):]
			var args []string
			for i := range tt.n {
				args = append(args, "http://"+tt.hosts[i%len(tt.hosts)]+port+"/p/"+string(rune('a'+i)))
			}
			o := testOptions(nil)
			o.Client = ts.Client()
			o.Fetchers = tt.fetchers
			items := collect(t, o, args...)
			for _, it := range items {
				if it.Err != nil {
					t.Fatalf("%s: got error %v, want none", it.Source, it.Err)
				}
			}
			if maxIn != tt.wantMax {
				t.Errorf("got at most %d requests at once, want %d", maxIn, tt.wantMax)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ts := newTestServer(t, map[string]func(){"/slow": cancel})
	o := testOptions(ts)
	o.Timeout = time.Minute // only the cancellation can end the request
	var got []source.Item
	err := source.New(o).Walk(ctx, []string{ts.URL + "/slow", ts.URL + "/articles/talks.html"}, func(it source.Item) error {
		got = append(got, it)
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got error %v, want context.Canceled", err)
	}
	if len(got) != 0 {
		t.Errorf("got %d items after cancellation, want 0", len(got))
	}
}

func TestDuplicateURLFetchedOnce(t *testing.T) {
	ts := newTestServer(t)
	u := ts.URL + "/articles/talks.html"
	items := collect(t, testOptions(ts), u, u)
	if len(items) != 1 || ts.hitCount("/articles/talks.html") != 1 {
		t.Errorf("got %d items and %d requests, want 1 and 1", len(items), ts.hitCount("/articles/talks.html"))
	}
}

func TestSkipURL(t *testing.T) {
	ts := newTestServer(t)
	u := ts.URL + "/articles/talks.html"
	o := testOptions(ts)
	o.Skip = func(s string) bool { return s == u }
	items := collect(t, o, u, ts.URL+"/articles/fr.html")
	if len(items) != 1 || items[0].Source != ts.URL+"/articles/fr.html" {
		t.Fatalf("got %d items, want only fr.html", len(items))
	}
	if n := ts.hitCount("/articles/talks.html"); n != 0 {
		t.Errorf("got %d requests, want 0", n)
	}
}

func BenchmarkFetch(b *testing.B) {
	ts := newTestServer(b)
	w := source.New(testOptions(ts))
	args := []string{ts.URL + "/articles/talks.html"}
	b.ReportAllocs()
	for b.Loop() {
		err := w.Walk(context.Background(), args, func(it source.Item) error { return it.Err })
		if err != nil {
			b.Fatal(err)
		}
	}
}
