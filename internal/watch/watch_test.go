package watch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/postgres/pgtest"
	"github.com/mizan-osint/mizan/internal/queue"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
	"github.com/mizan-osint/mizan/internal/watch"
)

// stores runs fn once per store: SQLite always, PostgreSQL when MIZAN_TEST_POSTGRES is set.
func stores(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.Open(t)) })
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// feedServer serves a feed whose items and ETag the test changes between polls, a malformed
// feed, and a feed that never answers in time.
type feedServer struct {
	*httptest.Server
	mu    sync.Mutex
	items []string
	etag  string
	hits  map[string]int
	// conditional counts requests answered 304.
	conditional atomic.Int32
}

func newFeedServer(tb testing.TB) *feedServer {
	fs := &feedServer{hits: map[string]int{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.hits[r.URL.Path]++
		items, etag := append([]string(nil), fs.items...), fs.etag
		fs.mu.Unlock()
		switch r.URL.Path {
		case "/feed.xml":
			if r.Header.Get("If-None-Match") == etag {
				fs.conditional.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>`)
			for _, it := range items {
				fmt.Fprintf(w, `<item><title>%[1]s</title><link>http://%[2]s/%[1]s</link><guid>%[1]s</guid></item>`, it, r.Host)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case "/broken.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><item><title>cut`)
		case "/slow.xml":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}))
	tb.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(etag string, items ...string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.etag, fs.items = etag, items
}

func newWatcher(db *sqlstore.DB, c *clock) *watch.Watcher {
	o := source.DefaultOptions()
	o.Timeout = 300 * time.Millisecond
	q := queue.New(db)
	q.Now = c.Now
	return &watch.Watcher{Queue: q, Fetcher: source.New(o), Now: c.Now, MaxBackoff: time.Hour}
}

func TestWatchPolls(t *testing.T) {
	stores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		fs := newFeedServer(t)
		fs.set(`"v1"`, "a", "b")
		c := &clock{t: time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)}
		w := newWatcher(db, c)
		feeds := []watch.Feed{
			{URL: fs.URL + "/feed.xml", Interval: 5 * time.Minute},
			{URL: fs.URL + "/broken.xml", Interval: 5 * time.Minute},
			{URL: fs.URL + "/slow.xml", Interval: 10 * time.Minute},
		}
		if err := w.Register(ctx, feeds); err != nil {
			t.Fatal(err)
		}
		round := func() map[string]watch.Result {
			t.Helper()
			rs, err := w.Round(ctx, feeds)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]watch.Result{}
			for _, r := range rs {
				out[strings.TrimPrefix(r.Feed, fs.URL)] = r
			}
			return out
		}

		rs := round()
		if r := rs["/feed.xml"]; r.Status != watch.StatusNew || r.New != 2 {
			t.Errorf("first poll: got %+v, want 2 new", r)
		}
		if r := rs["/broken.xml"]; r.Status != watch.StatusError || !strings.Contains(r.Error, "feed") {
			t.Errorf("malformed feed: got %+v, want an error", r)
		}
		if r := rs["/slow.xml"]; r.Status != watch.StatusError || !strings.Contains(r.Error, "timed out") {
			t.Errorf("slow feed: got %+v, want a timeout", r)
		}

		// Nothing is due a minute later.
		c.Add(time.Minute)
		if rs := round(); len(rs) != 0 {
			t.Errorf("got %d polls before any feed is due, want 0", len(rs))
		}

		// Five minutes on: the feed answers 304; the broken one failed once, so it waits its
		// interval (±10%) before the second try, then twice that.
		c.Add(5 * time.Minute)
		rs = round()
		if r := rs["/feed.xml"]; r.Status != watch.StatusNotModified || fs.conditional.Load() != 1 {
			t.Errorf("second poll: got %+v (%d conditional answers), want not modified", r, fs.conditional.Load())
		}
		if r, ok := rs["/broken.xml"]; !ok || r.Next.Sub(c.Now()) < 9*time.Minute {
			t.Errorf("broken feed's second failure: got %+v, want the next try about 10 minutes on", r)
		}

		// The feed changes: one new item among the old ones.
		fs.set(`"v2"`, "c", "a", "b")
		c.Add(6 * time.Minute)
		rs = round()
		if r := rs["/feed.xml"]; r.Status != watch.StatusNew || r.New != 1 || r.Items != 3 {
			t.Errorf("third poll: got %+v, want 1 new of 3", r)
		}
		items, err := w.Queue.List(ctx, queue.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, strings.TrimPrefix(it.Source, fs.URL))
			if it.Feed == nil || it.Feed.FeedTitle != "Desk" {
				t.Errorf("item %s: got feed info %+v, want the feed's", it.Source, it.Feed)
			}
		}
		if s := strings.Join(sorted(got), ","); s != "/a,/b,/c" {
			t.Errorf("got queue %s, want /a,/b,/c", s)
		}

		// The state survives a new watcher (a restart).
		st, err := newWatcher(db, c).Status(ctx)
		if err != nil || len(st) != 3 {
			t.Fatalf("got %+v %v", st, err)
		}
		for _, s := range st {
			switch strings.TrimPrefix(s.URL, fs.URL) {
			case "/feed.xml":
				if s.Items != 3 || s.Errors != 0 {
					t.Errorf("feed status: got %+v, want 3 items, no errors", s)
				}
			case "/broken.xml":
				if s.Errors < 2 || s.LastError == "" {
					t.Errorf("broken status: got %+v, want consecutive errors counted", s)
				}
			}
		}
	})
}

func sorted(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

// fakeLog is an EventLog over a slice: the cursor is the index of the next event.
type fakeLog struct{ events []mizan.Event }

func (l *fakeLog) EventsAfter(_ context.Context, cursor int64, limit int) ([]mizan.Event, int64, error) {
	end := min(int(cursor)+limit, len(l.events))
	if int(cursor) >= end {
		return nil, cursor, nil
	}
	return l.events[cursor:end], int64(end), nil
}

func ev(id string, typ mizan.EventType, src, tgt string) mizan.Event {
	actor := func(s string) []mizan.Actor {
		if s == "" {
			return nil
		}
		names := map[string]string{"gpe/dz": "Algeria", "gpe/ru": "Russia", "gpe/ir": "Iran", "gpe/fr": "France"}
		return []mizan.Actor{{Entity: s, Name: names[s]}}
	}
	return mizan.Event{ID: id, Doc: "d-" + id, Type: typ, Mode: mizan.Asserted, Source: actor(src), Target: actor(tgt), Text: "sentence " + id}
}

func TestAlerts(t *testing.T) {
	stores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		log := &fakeLog{events: []mizan.Event{ev("0", mizan.CONSULT, "gpe/dz", "gpe/ru")}}
		var out strings.Builder
		a := &watch.Alerter{Events: log, Memory: watch.SQLMemory{DB: db}, Watched: []string{"gpe/dz", "Iran"},
			Notify: &watch.JSONLines{W: &out}, Batch: 2}
		// The first check learns the corpus without alerting.
		if got, err := a.Check(ctx); err != nil || len(got) != 0 {
			t.Fatalf("first check: got %v %v, want no alerts", got, err)
		}
		log.events = append(log.events,
			ev("1", mizan.CONSULT, "gpe/dz", "gpe/ru"),   // nothing new
			ev("2", mizan.COOPERATE, "gpe/ru", "gpe/dz"), // new type between dz and ru
			ev("3", mizan.AID, "gpe/dz", "gpe/ir"),       // new relation (both watched, Iran by name), new actor ir
			ev("4", mizan.ASSAULT, "group/x", "gpe/fr"),  // no watched entity: nothing
			ev("5", mizan.CONSULT, "gpe/fr", "gpe/dz"),   // new relation dz-fr; fr was seen in 4, not a new actor
			ev("6", mizan.CONSULT, "", "gpe/dz"),         // one actor: nothing
		)
		got, err := a.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, al := range got {
			kinds = append(kinds, al.Event+":"+al.Kind)
		}
		want := "2:new_event_type 3:new_relation 5:new_relation"
		if s := strings.Join(kinds, " "); s != want {
			t.Errorf("got alerts %s, want %s", s, want)
		}
		if n := strings.Count(out.String(), "\n"); n != len(got) {
			t.Errorf("got %d JSON lines, want %d", n, len(got))
		}
		if !strings.Contains(out.String(), `"kind":"new_event_type"`) || !strings.Contains(out.String(), `"doc":"d-2"`) {
			t.Errorf("JSON lines lack kind or evidence: %s", out.String())
		}
		// A new actor: an entity never seen before, in an event with a watched one.
		log.events = append(log.events, ev("7", mizan.THREATEN, "person/new", "gpe/dz"))
		got, _ = a.Check(ctx)
		kinds = kinds[:0]
		for _, al := range got {
			kinds = append(kinds, al.Event+":"+al.Kind)
		}
		if s := strings.Join(kinds, " "); s != "7:new_actor 7:new_relation" {
			t.Errorf("got %s, want 7:new_actor 7:new_relation", s)
		}
		// Nothing is alerted twice.
		if got, _ := a.Check(ctx); len(got) != 0 {
			t.Errorf("third check: got %d alerts, want 0", len(got))
		}
	})
}

func TestWebhookRetries(t *testing.T) {
	var calls atomic.Int32
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch r.URL.Path {
		case "/flaky":
			if n <= 2 {
				http.Error(w, "down", http.StatusBadGateway)
				return
			}
			b, _ := io.ReadAll(r.Body)
			body.Store(r.Header.Get("Content-Type") + " " + string(b))
		case "/reject":
			http.Error(w, "no", http.StatusBadRequest)
		case "/hang":
			select {
			case <-r.Context().Done():
			case <-time.After(time.Second):
			}
		}
	}))
	defer srv.Close()
	fast := queue.Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond}
	al := watch.Alert{Kind: watch.NewRelation, Event: "e1"}
	for _, tt := range []struct {
		path      string
		wantCalls int32
		wantErr   string
	}{
		{"/flaky", 3, ""},
		{"/reject", 1, "HTTP 400"},
		{"/hang", 2, "timed out"},
	} {
		calls.Store(0)
		h := &watch.Webhook{URL: srv.URL + tt.path, Backoff: fast, Attempts: 2 + map[bool]int{true: 1}[tt.path == "/flaky"], Timeout: 200 * time.Millisecond}
		err := h.Notify(context.Background(), al)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: got %v, want delivery", tt.path, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: got %v, want an error with %q", tt.path, err, tt.wantErr)
		}
		if got := calls.Load(); got != tt.wantCalls {
			t.Errorf("%s: got %d requests, want %d", tt.path, got, tt.wantCalls)
		}
	}
	if b, _ := body.Load().(string); !strings.HasPrefix(b, "application/json") || !strings.Contains(b, `"event":"e1"`) {
		t.Errorf("got delivered %q, want the alert as JSON", b)
	}
}
