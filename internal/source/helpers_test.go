package source_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testServer serves the fixtures of testdata/ and a few misbehaving endpoints, on loopback.
type testServer struct {
	*httptest.Server

	mu        sync.Mutex
	hits      map[string]int // requests per path
	userAgent string         // of the last /headers request
	accept    string
	gzipAsked bool
}

// newTestServer starts the fixture server; hooks[path], when set, runs before a request for
// path is served.
func newTestServer(tb testing.TB, hooks ...map[string]func()) *testServer {
	tb.Helper()
	ts := &testServer{hits: make(map[string]int)}
	mux := http.NewServeMux()
	page := func(name, contentType string) http.HandlerFunc {
		body := readFixture(tb, "pages/"+name)
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Write(body)
		}
	}
	feed := func(name, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Write(bytes.ReplaceAll(readFixture(tb, "feeds/"+name), []byte("{{BASE}}"), []byte(ts.URL)))
		}
	}
	mux.HandleFunc("/articles/talks.html", page("talks.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/articles/ar.html", page("ar.html", "text/html; charset=UTF-8"))
	mux.HandleFunc("/articles/fr.html", page("fr.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/feeds/rss2.xml", feed("rss2.xml", "application/rss+xml; charset=utf-8"))
	mux.HandleFunc("/feeds/atom.xml", feed("atom.xml", "application/atom+xml"))
	mux.HandleFunc("/feeds/rss-as-text-xml", feed("rss2.xml", "text/xml"))
	mux.HandleFunc("/feeds/malformed.xml", feed("malformed.xml", "application/rss+xml"))
	mux.HandleFunc("/status/500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select { // until the client gives up; the safety net only matters if it never does
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	mux.HandleFunc("/redirect/{n}", func(w http.ResponseWriter, r *http.Request) {
		switch n := r.PathValue("n"); n {
		case "0":
			http.Redirect(w, r, "/articles/talks.html", http.StatusFound)
		default:
			http.Redirect(w, r, "/redirect/"+string(rune(n[0]-1)), http.StatusMovedPermanently)
		}
	})
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/b", http.StatusFound) })
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/a", http.StatusFound) })
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://ftp.example.org/file.txt", http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		// Streamed without a Content-Length: only the cap while reading can stop it.
		w.Header().Set("Content-Type", "text/plain")
		chunk := bytes.Repeat([]byte("lorem ipsum "), 100)
		for range 100 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/big-declared", func(w http.ResponseWriter, r *http.Request) {
		body := bytes.Repeat([]byte("x"), 3000)
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "3000")
		w.Write(body)
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.gzipAsked = strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(readFixture(tb, "pages/talks.html"))
		zw.Close()
	})
	mux.HandleFunc("/doc.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4\n"))
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	mux.HandleFunc("/octet", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte("<html>mislabelled</html>"))
	})
	mux.HandleFunc("/gzip-undeclared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		zw := gzip.NewWriter(w)
		zw.Write([]byte("<html>compressed twice over</html>"))
		zw.Close()
	})
	mux.HandleFunc("/utf16", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-16le")
		w.Write([]byte("h\x00i\x00"))
	})
	mux.HandleFunc("/untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil // stop net/http from sniffing one for us
		w.Write(readFixture(tb, "pages/talks.html"))
	})
	mux.HandleFunc("/untyped-binary", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		w.Write([]byte("\x00\x01\x02\x03binary"))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
	})
	mux.HandleFunc("/modified", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Last-Modified", "Tue, 03 Jun 2025 09:30:00 GMT")
		w.Write([]byte("A plain text article."))
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.userAgent, ts.accept = r.UserAgent(), r.Header.Get("Accept")
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("ok"))
	})
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.hits[r.URL.Path]++
		ts.mu.Unlock()
		for _, h := range hooks {
			if f := h[r.URL.Path]; f != nil {
				f()
			}
		}
		mux.ServeHTTP(w, r)
	}))
	tb.Cleanup(ts.Close)
	return ts
}

func (ts *testServer) hitCount(path string) int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.hits[path]
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return b
}

// testOptions are the defaults with the test server's client and short limits, so failures
// stay fast.
func testOptions(ts *testServer) source.Options {
	o := source.DefaultOptions()
	if ts != nil {
		o.Client = ts.Client()
	}
	o.Timeout = 5 * time.Second
	return o
}

// collect walks args and returns every item.
func collect(tb testing.TB, o source.Options, args ...string) []source.Item {
	tb.Helper()
	var items []source.Item
	err := source.New(o).Walk(context.Background(), args, func(it source.Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		tb.Fatalf("Walk: got error %v, want nil", err)
	}
	return items
}

// itemView is the part of an Item a test compares, with the server's address replaced by BASE
// so golden files do not depend on the port.
type itemView struct {
	Source      string          `json:"source"`
	Kind        string          `json:"kind"`
	ContentType string          `json:"content_type,omitempty"`
	URL         string          `json:"url,omitempty"`
	Bytes       int             `json:"bytes,omitempty"`
	FeedContent bool            `json:"feed_content,omitempty"`
	FetchErr    string          `json:"fetch_err,omitempty"`
	Code        string          `json:"code,omitempty"`
	Err         string          `json:"err,omitempty"`
	Feed        *mizan.FeedInfo `json:"feed,omitempty"`
	Page        string          `json:"page,omitempty"` // the wrapper page made of feed content
}

func view(it source.Item) itemView {
	v := itemView{
		Source: it.Source, Kind: string(it.Kind), ContentType: it.ContentType, URL: it.URL,
		Bytes: len(it.Raw), FeedContent: it.FeedContent, Feed: it.Feed,
	}
	if it.Err != nil {
		v.Code, v.Err = mizan.ErrorCode(it.Err), it.Err.Error()
	}
	if it.FetchErr != nil {
		v.FetchErr = it.FetchErr.Error()
	}
	if it.FeedContent {
		v.Page = string(it.Raw)
		v.Bytes = 0 // depends on the length of the server's address
	}
	return v
}

// checkGolden compares the items' views with testdata/golden/name, or rewrites it with -update.
// replace holds old, new pairs (the server's address, a temporary directory) that would make
// the output differ from run to run.
func checkGolden(tb testing.TB, name string, items []source.Item, replace ...string) {
	tb.Helper()
	views := make([]itemView, len(items))
	for i, it := range items {
		views[i] = view(it)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep the wrapper pages readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(views); err != nil {
		tb.Fatal(err)
	}
	got := []byte(strings.NewReplacer(replace...).Replace(buf.String()))
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s: got\n%s\nwant\n%s", name, got, want)
	}
}

// wantErr checks an item's error code and that its message contains a phrase.
func wantErr(tb testing.TB, it source.Item, code, phrase string) {
	tb.Helper()
	var me *mizan.Error
	if !errors.As(it.Err, &me) {
		tb.Errorf("%s: got error %v, want a *mizan.Error %s containing %q", it.Source, it.Err, code, phrase)
		return
	}
	if me.Code != code || !strings.Contains(me.Message, phrase) {
		tb.Errorf("%s: got %s %q, want %s containing %q", it.Source, me.Code, me.Message, code, phrase)
	}
}
