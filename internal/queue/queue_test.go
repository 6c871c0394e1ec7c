package queue_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/postgres/pgtest"
	"github.com/mizan-osint/mizan/internal/queue"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

// stores runs fn once per store: SQLite always, PostgreSQL when MIZAN_TEST_POSTGRES is set.
func stores(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "q.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.Open(t)) })
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func bytesItem(name, text string) queue.Item {
	return queue.Item{Kind: queue.KindBytes, Source: name, SourceKind: mizan.SourceFile, Raw: []byte(text), ContentType: "text/plain"}
}

func claimOpts(worker string) queue.ClaimOptions {
	return queue.ClaimOptions{Worker: worker, Lease: time.Minute, MaxAttempts: 3}
}

func mustEnqueue(tb testing.TB, q *queue.Queue, items ...queue.Item) int {
	tb.Helper()
	n, err := q.Enqueue(context.Background(), items...)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func mustClaim(tb testing.TB, q *queue.Queue, n int, o queue.ClaimOptions) []*queue.Lease {
	tb.Helper()
	ls, err := q.Claim(context.Background(), n, o)
	if err != nil {
		tb.Fatal(err)
	}
	return ls
}

func TestEnqueueOnce(t *testing.T) {
	stores(t, func(t *testing.T, db *sqlstore.DB) {
		q := queue.New(db)
		if n := mustEnqueue(t, q, bytesItem("a.txt", "A"), bytesItem("b.txt", "B"), bytesItem("copy-of-a.txt", "A")); n != 2 {
			t.Errorf("got %d added, want 2 (same bytes are one item)", n)
		}
		u := queue.Item{Kind: queue.KindURL, Source: "https://example.test/a", SourceKind: mizan.SourceURL}
		if n := mustEnqueue(t, q, u, u); n != 1 {
			t.Errorf("got %d added, want 1 (same URL is one item)", n)
		}
		if _, err := q.Enqueue(context.Background(), queue.Item{Kind: queue.KindBytes, Source: "empty"}); !errors.Is(err, mizan.ErrInvalid) {
			t.Errorf("bytes item without bytes: got %v, want invalid", err)
		}
		st, err := q.Stats(context.Background())
		if err != nil || st.Pending != 3 || st.Due != 3 {
			t.Errorf("got %+v %v, want 3 pending and due", st, err)
		}
	})
}

func TestLeaseExpiryAndTakeover(t *testing.T) {
	stores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := newClock()
		q := queue.New(db)
		q.Now = c.Now
		mustEnqueue(t, q, bytesItem("a.txt", "A"))
		a := mustClaim(t, q, 10, claimOpts("A"))
		if len(a) != 1 || a[0].Attempts != 1 || string(a[0].Raw) != "A" {
			t.Fatalf("got %+v, want one lease on attempt 1 with the bytes", a)
		}
		if b := mustClaim(t, q, 10, claimOpts("B")); len(b) != 0 {
			t.Fatalf("got %d leases for B while A holds the item, want 0", len(b))
		}
		// A heartbeat keeps the lease past its first end.
		c.Add(50 * time.Second)
		if n, err := q.Heartbeat(ctx, claimOpts("A"), time.Hour); err != nil || n != 1 {
			t.Fatalf("heartbeat: got %d %v, want 1", n, err)
		}
		c.Add(50 * time.Second)
		if b := mustClaim(t, q, 10, claimOpts("B")); len(b) != 0 {
			t.Fatalf("got %d leases for B after A's heartbeat, want 0", len(b))
		}
		// A dies: its lease ends and B takes the item over.
		c.Add(2 * time.Minute)
		b := mustClaim(t, q, 10, claimOpts("B"))
		if len(b) != 1 || b[0].Attempts != 2 || b[0].Token == a[0].Token {
			t.Fatalf("got %+v, want B's lease on attempt 2", b)
		}
		// A, back from the dead, cannot fail B's lease.
		if _, err := q.Fail(ctx, a[0], mizan.Errorf(mizan.EUNAVAILABLE, "late"), 3, queue.DefaultBackoff); err != nil {
			t.Fatal(err)
		}
		items, _ := q.List(ctx, queue.Filter{})
		if len(items) != 1 || items[0].State != queue.Leased || items[0].Worker != "B" {
			t.Fatalf("got %+v, want the item still B's", items[0])
		}
		if err := q.Complete(ctx, b[0].ID, "doc1", "added"); err != nil {
			t.Fatal(err)
		}
		st, _ := q.Stats(ctx)
		if st.Done != 1 || st.InFlight != 0 {
			t.Errorf("got %+v, want 1 done", st)
		}
	})
}

func TestHungItemGoesDead(t *testing.T) {
	stores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := newClock()
		q := queue.New(db)
		q.Now = c.Now
		mustEnqueue(t, q, bytesItem("poison.txt", "P"))
		for i := range 3 {
			if ls := mustClaim(t, q, 1, claimOpts(fmt.Sprint("w", i))); len(ls) != 1 {
				t.Fatalf("claim %d: got %d leases, want 1", i, len(ls))
			}
			// Heartbeats stop extending an item held longer than maxHold.
			c.Add(30 * time.Second)
			if n, _ := q.Heartbeat(ctx, claimOpts(fmt.Sprint("w", i)), 10*time.Second); n != 0 {
				t.Errorf("heartbeat past maxHold extended %d leases, want 0", n)
			}
			c.Add(2 * time.Minute)
		}
		if ls := mustClaim(t, q, 1, claimOpts("w9")); len(ls) != 0 {
			t.Fatalf("got %d leases after 3 ended leases, want 0 (dead)", len(ls))
		}
		dead, _ := q.List(ctx, queue.Filter{States: []queue.State{queue.Dead}})
		if len(dead) != 1 || !strings.Contains(dead[0].LastError, "lease ended 3 times") {
			t.Fatalf("got %+v, want one dead item saying why", dead)
		}
	})
}

func TestFailRetryDead(t *testing.T) {
	stores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := newClock()
		q := queue.New(db)
		q.Now = c.Now
		b := queue.Backoff{Base: 10 * time.Second, Max: time.Minute}
		mustEnqueue(t, q, bytesItem("flaky.txt", "F"), bytesItem("bad.txt", "B"))
		ls := mustClaim(t, q, 2, claimOpts("A"))
		if len(ls) != 2 {
			t.Fatalf("got %d leases, want 2", len(ls))
		}
		for _, tt := range []struct {
			l    *queue.Lease
			err  error
			want queue.State
		}{
			{ls[0], mizan.Errorf(mizan.EUNAVAILABLE, "HTTP 503"), queue.Pending},
			{ls[1], mizan.Errorf(mizan.EUNSUPPORTED, "binary file"), queue.Dead},
		} {
			if got, err := q.Fail(ctx, tt.l, tt.err, 3, b); err != nil || got != tt.want {
				t.Errorf("Fail(%s, %v): got %s %v, want %s", tt.l.Source, tt.err, got, err, tt.want)
			}
		}
		// The retry waits for its back-off.
		if got := mustClaim(t, q, 2, claimOpts("A")); len(got) != 0 {
			t.Fatalf("got %d leases during the back-off, want 0", len(got))
		}
		c.Add(11 * time.Second)
		for attempt := 2; attempt <= 3; attempt++ {
			got := mustClaim(t, q, 2, claimOpts("A"))
			if len(got) != 1 || got[0].Attempts != attempt {
				t.Fatalf("attempt %d: got %+v", attempt, got)
			}
			state, _ := q.Fail(ctx, got[0], mizan.Errorf(mizan.EUNAVAILABLE, "HTTP 503"), 3, b)
			if want := map[bool]queue.State{true: queue.Dead, false: queue.Pending}[attempt == 3]; state != want {
				t.Fatalf("attempt %d: got %s, want %s", attempt, state, want)
			}
			c.Add(time.Minute + time.Second)
		}
		st, _ := q.Stats(ctx)
		if st.Dead != 2 {
			t.Fatalf("got %+v, want 2 dead", st)
		}
		dead, _ := q.List(ctx, queue.Filter{States: []queue.State{queue.Dead}})
		for _, d := range dead {
			if d.LastError == "" {
				t.Errorf("dead item %s has no error", d.Source)
			}
		}
		if n, err := q.Retry(ctx, true); err != nil || n != 2 {
			t.Fatalf("Retry(dead): got %d %v, want 2", n, err)
		}
		if got := mustClaim(t, q, 5, claimOpts("A")); len(got) != 2 || got[0].Attempts != 1 {
			t.Fatalf("after retry: got %d leases, want 2 on attempt 1", len(got))
		}
	})
}

func TestConcurrentClaimsTakeEachItemOnce(t *testing.T) {
	stores(t, func(t *testing.T, db *sqlstore.DB) {
		q := queue.New(db)
		var items []queue.Item
		for i := range 200 {
			items = append(items, bytesItem(fmt.Sprint(i), fmt.Sprint("doc ", i)))
		}
		mustEnqueue(t, q, items...)
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			wg.Go(func() {
				for {
					ls, err := q.Claim(context.Background(), 7, claimOpts(fmt.Sprint("w", w)))
					if err != nil {
						errs <- err
						return
					}
					if len(ls) == 0 {
						return
					}
					mu.Lock()
					for _, l := range ls {
						if prev, ok := seen[l.ID]; ok {
							errs <- fmt.Errorf("item %d claimed by %s and w%d", l.ID, prev, w)
						}
						seen[l.ID] = fmt.Sprint("w", w)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seen) != 200 {
			t.Errorf("got %d items claimed, want 200", len(seen))
		}
	})
}

func TestBackoffDelay(t *testing.T) {
	b := queue.Backoff{Base: time.Second, Max: 10 * time.Second}
	for _, tt := range []struct {
		attempt int
		want    time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {4, 8 * time.Second}, {5, 10 * time.Second}, {60, 10 * time.Second}} {
		if got := b.Delay(tt.attempt); got != tt.want {
			t.Errorf("Delay(%d) = %s, want %s", tt.attempt, got, tt.want)
		}
	}
	b.Jitter = 0.5
	for range 100 {
		if got := b.Delay(2); got < time.Second || got > 3*time.Second {
			t.Fatalf("Delay(2) with ±50%% jitter = %s, want within [1s, 3s]", got)
		}
	}
}

// textStage is a minimal extraction: the bytes are the text; "REJECT" in them is a failure.
var textStage = nlp.StageFunc{StageName: "extract", Fn: func(_ context.Context, d *nlp.Doc) error {
	if strings.Contains(string(d.Raw), "REJECT") {
		return mizan.Errorf(mizan.EUNSUPPORTED, "binary file (looks like a PDF)")
	}
	d.Text, d.Title, d.Format = string(d.Raw), strings.SplitN(string(d.Raw), "\n", 2)[0], mizan.FormatText
	return nil
}}

func newWorker(db *sqlstore.DB, q *queue.Queue, o queue.Options) *queue.Worker {
	in := &ingest.Ingester{Store: db, Pipeline: nlp.Pipeline{textStage, dedup.Stage{}}}
	so := source.DefaultOptions()
	so.Timeout = 2 * time.Second
	return &queue.Worker{Queue: q, Ingester: in, Fetcher: source.New(so), Options: o}
}

func TestWorkerEndToEnd(t *testing.T) {
	stores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		var flaky atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/feed.xml":
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>One</title><link>http://%[1]s/one</link><guid>1</guid></item>
<item><title>Two</title><link>http://%[1]s/two</link><guid>2</guid></item>
<item><title>Three</title><guid>3</guid><description>Only in the feed: the third story.</description></item>
</channel></rss>`, r.Host)
			case "/one", "/two":
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				fmt.Fprintf(w, "Story %s\n\nThe text of story %s from the wire.", r.URL.Path, r.URL.Path)
			case "/flaky":
				if flaky.Add(1) <= 2 {
					http.Error(w, "busy", http.StatusServiceUnavailable)
					return
				}
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.Write([]byte("Flaky\n\nIt worked on the third try."))
			default:
				http.NotFound(w, r)
			}
		}))
		defer srv.Close()
		q := queue.New(db)
		mustEnqueue(t, q,
			bytesItem("a.txt", "Alpha\n\nThe first document."),
			bytesItem("b.txt", "Beta\n\nThe second document."),
			bytesItem("pdf.bin", "REJECT this"),
			queue.Item{Kind: queue.KindURL, Source: srv.URL + "/feed.xml", SourceKind: mizan.SourceURL},
			queue.Item{Kind: queue.KindURL, Source: srv.URL + "/flaky", SourceKind: mizan.SourceURL},
			queue.Item{Kind: queue.KindURL, Source: srv.URL + "/gone", SourceKind: mizan.SourceURL},
		)
		o := queue.DefaultOptions()
		o.Once, o.Concurrency, o.Poll = true, 2, 10*time.Millisecond
		o.MaxAttempts = 3
		o.Backoff = queue.Backoff{Base: time.Millisecond, Max: time.Millisecond}
		w := newWorker(db, q, o)
		var rep queue.Report
		// A worker in --once mode stops when nothing is due; retries become due a millisecond
		// later, so a few runs drain the queue as a long-running worker would.
		for range 10 {
			r, err := w.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rep.Added += r.Added
			rep.Expanded += r.Expanded
			if st, _ := q.Stats(ctx); st.Pending == 0 && st.InFlight == 0 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		st, err := q.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// a, b, one, two, three, flaky done; the feed done (expanded); pdf dead at once; gone dead after 3.
		if st.Done != 7 || st.Dead != 2 || st.Pending != 0 || st.InFlight != 0 {
			t.Errorf("got %+v, want 7 done, 2 dead", st)
		}
		if rep.Added != 6 || rep.Expanded != 1 {
			t.Errorf("got %d added, %d expanded, want 6 and 1", rep.Added, rep.Expanded)
		}
		_, total, _ := db.Documents(ctx, mizan.DocumentFilter{})
		if total != 6 {
			t.Errorf("got %d documents, want 6", total)
		}
		dead, _ := q.List(ctx, queue.Filter{States: []queue.State{queue.Dead}})
		for _, d := range dead {
			switch {
			case strings.HasSuffix(d.Source, "/gone"):
				if d.Attempts != 3 || !strings.Contains(d.LastError, "404") {
					t.Errorf("gone: got attempts %d error %q, want 3 and HTTP 404", d.Attempts, d.LastError)
				}
			case d.Source == "pdf.bin":
				if d.Attempts != 1 || !strings.Contains(d.LastError, "binary") {
					t.Errorf("pdf: got attempts %d error %q, want 1 and the reason", d.Attempts, d.LastError)
				}
			default:
				t.Errorf("unexpected dead item %s: %s", d.Source, d.LastError)
			}
		}
		// Every done item of a document points at it, and the third feed item (no link) came
		// from the feed's own content.
		done, _ := q.List(ctx, queue.Filter{States: []queue.State{queue.Done}})
		for _, d := range done {
			if d.Result != queue.ResultExpanded && d.DocID == "" {
				t.Errorf("done item %s has no document", d.Source)
			}
		}
		// Enqueuing the feed's items again (a watcher seeing them) adds nothing: the URLs are
		// done, and a run finds no work.
		mustEnqueue(t, q, queue.Item{Kind: queue.KindURL, Source: srv.URL + "/one", SourceKind: mizan.SourceURL})
		if r, _ := w.Run(ctx); r.Added != 0 {
			t.Errorf("second run added %d, want 0", r.Added)
		}
	})
}
