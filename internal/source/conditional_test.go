package source_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/source"
)

const condFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>http://x.test/</link>
<item><title>One</title><link>http://x.test/1</link><guid>1</guid></item></channel></rss>`

func TestFetchConditional(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/feed":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(condFeed))
		case "/page":
			if r.Header.Get("If-Modified-Since") == "Mon, 02 Jan 2006 15:04:05 GMT" {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body><p>Hello</p></body></html>"))
		case "/broken":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<rss><channel><item><title>unclosed`))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}))
	defer srv.Close()
	o := source.DefaultOptions()
	o.Timeout = 300 * time.Millisecond
	w := source.New(o)
	ctx := context.Background()

	f, err := w.Fetch(ctx, srv.URL+"/feed", source.Validators{})
	if err != nil || f.Feed == nil || len(f.Feed.Items) != 1 || f.Validators.ETag != `"v1"` {
		t.Fatalf("first fetch: got %+v %v, want a feed of 1 item with ETag", f, err)
	}
	f, err = w.Fetch(ctx, srv.URL+"/feed", f.Validators)
	if err != nil || !f.NotModified || f.Feed != nil || f.Validators.ETag != `"v1"` {
		t.Errorf("conditional fetch: got %+v %v, want not modified, validators kept", f, err)
	}

	p, err := w.Fetch(ctx, srv.URL+"/page", source.Validators{})
	if err != nil || p.Feed != nil || !strings.Contains(string(p.Item.Raw), "Hello") || p.Validators.LastModified == "" {
		t.Fatalf("page: got %+v %v", p, err)
	}
	if p, err = w.Fetch(ctx, srv.URL+"/page", p.Validators); err != nil || !p.NotModified || len(p.Item.Raw) != 0 {
		t.Errorf("page again: got %+v %v, want not modified", p, err)
	}

	for _, tt := range []struct {
		path, code string
	}{
		{"/broken", mizan.EINVALID},
		{"/slow", mizan.EUNAVAILABLE},
	} {
		if _, err := w.Fetch(ctx, srv.URL+tt.path, source.Validators{}); mizan.ErrorCode(err) != tt.code {
			t.Errorf("Fetch(%s): got %v, want %s", tt.path, err, tt.code)
		}
	}
	if _, err := w.Fetch(ctx, "ftp://x.test/", source.Validators{}); mizan.ErrorCode(err) != mizan.EINVALID {
		t.Errorf("Fetch(ftp): got %v, want invalid", err)
	}
}

func TestContentPage(t *testing.T) {
	f, err := source.ParseFeed([]byte(condFeed), "http://x.test/feed")
	if err != nil {
		t.Fatal(err)
	}
	it := f.Items[0]
	it.Summary = "A short teaser."
	if p := f.ContentPage(it, true); p != nil {
		t.Errorf("linked item with a teaser: got a page, want nil")
	}
	if p := f.ContentPage(it, false); !strings.Contains(string(p), "A short teaser.") {
		t.Errorf("unlinked item: got %q, want the summary in a page", p)
	}
	it.Content = strings.Repeat("Long article text. ", 40)
	if p := f.ContentPage(it, true); !strings.Contains(string(p), "Long article text.") {
		t.Errorf("linked item with full content: got %q, want a page", p)
	}
	if got := f.ItemSource(it); got != "http://x.test/1" {
		t.Errorf("ItemSource = %q, want the link", got)
	}
	if got := f.ItemInfo(it); got.ItemGUID != "1" || got.FeedTitle != "T" {
		t.Errorf("ItemInfo = %+v", got)
	}
}
