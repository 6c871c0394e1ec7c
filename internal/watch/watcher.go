// Package watch keeps mizan up to date with the news: it polls RSS/Atom feeds on per-feed
// schedules with conditional GETs (ETag, If-Modified-Since), enqueues their new items in the
// work queue (internal/queue), backs off from feeds that fail, and keeps its state — validators,
// schedule, items seen — in the corpus database, so a restarted watcher, or one on another
// machine, carries on where the last one stopped. Its alerting (Alerter) reports what is new
// about watched entities as events are stored.
package watch

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/queue"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

// Poll statuses.
const (
	StatusNew         = "new"          // the feed had items not seen before
	StatusUnchanged   = "unchanged"    // the feed was sent, with nothing new
	StatusNotModified = "not_modified" // the server answered 304
	StatusError       = "error"        // the fetch or the parse failed
)

// Watcher polls feeds into the work queue. Its methods are safe for concurrent use.
type Watcher struct {
	// Queue receives new items; the feed state lives in the same database.
	Queue *queue.Queue
	// Fetcher makes the HTTP requests (its timeout bounds each poll).
	Fetcher *source.Walker
	// MaxBackoff caps the wait before polling a failing feed again (but never below its
	// interval). Default 6h.
	MaxBackoff time.Duration
	// Parallel is how many feeds are polled at once. Default 4.
	Parallel int
	// Now is the clock.
	Now func() time.Time
	// Log, when set, hears about every poll.
	Log func(format string, args ...any)
	// AfterRound, when set, runs after every round of polls with the number of items enqueued
	// (the CLI processes the queue there with --ingest, and checks the alerts).
	AfterRound func(ctx context.Context, enqueued int) error
}

// Result is what one poll did.
type Result struct {
	Feed   string    `json:"feed"`
	Status string    `json:"status"`
	Items  int       `json:"items"` // items in the feed
	New    int       `json:"new"`   // items not seen before, enqueued
	Error  string    `json:"error,omitempty"`
	Next   time.Time `json:"next_poll"`
}

func (w *Watcher) db() *sqlstore.DB { return w.Queue.DB() }

func (w *Watcher) now() time.Time {
	if w.Now != nil {
		return w.Now().UTC()
	}
	return time.Now().UTC()
}

func (w *Watcher) logf(format string, args ...any) {
	if w.Log != nil {
		w.Log(format, args...)
	}
}

func (w *Watcher) exec(ctx context.Context, e interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, query string, args ...any) (int64, error) {
	res, err := e.ExecContext(ctx, w.db().Dialect().Rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Register records feeds (a new feed is due at once; a known one keeps its state and takes the
// new interval).
func (w *Watcher) Register(ctx context.Context, feeds []Feed) error {
	now := formatTime(w.now())
	for _, f := range feeds {
		if _, err := w.exec(ctx, w.db().SQL(), `INSERT INTO feeds(url, interval_s, next_poll) VALUES (?, ?, ?)
			ON CONFLICT(url) DO UPDATE SET interval_s = excluded.interval_s`, f.URL, int64(f.Interval/time.Second), now); err != nil {
			return fmt.Errorf("register feed %s: %w", f.URL, err)
		}
	}
	return nil
}

type feedState struct {
	validators source.Validators
	errors     int
	next       time.Time
}

func (w *Watcher) state(ctx context.Context, url string) (feedState, error) {
	var st feedState
	var next string
	err := w.db().SQL().QueryRowContext(ctx, w.db().Dialect().Rebind(`SELECT etag, last_modified, errors, next_poll FROM feeds WHERE url = ?`), url).
		Scan(&st.validators.ETag, &st.validators.LastModified, &st.errors, &next)
	if err != nil {
		return st, fmt.Errorf("feed state %s: %w", url, err)
	}
	st.next, err = parseTime(next)
	return st, err
}

// Poll fetches one registered feed now and enqueues its new items.
func (w *Watcher) Poll(ctx context.Context, f Feed) (Result, error) {
	st, err := w.state(ctx, f.URL)
	if err != nil {
		return Result{}, err
	}
	now := w.now()
	r := Result{Feed: f.URL}
	fr, err := w.Fetcher.Fetch(ctx, f.URL, st.validators)
	if err == nil && fr.Feed == nil && !fr.NotModified {
		err = mizan.Errorf(mizan.EINVALID, "not a feed (%s)", fr.Item.ContentType)
	}
	if err != nil {
		if ctx.Err() != nil {
			return r, ctx.Err()
		}
		st.errors++
		r.Status, r.Error, r.Next = StatusError, mizan.ErrorMessage(err), now.Add(w.backoff(f.Interval, st.errors))
		_, uerr := w.exec(ctx, w.db().SQL(), `UPDATE feeds SET last_status = ?, last_error = ?, errors = ?, next_poll = ?, last_poll = ? WHERE url = ?`,
			r.Status, r.Error, st.errors, formatTime(r.Next), formatTime(now), f.URL)
		return r, uerr
	}
	r.Next = now.Add(f.Interval)
	if fr.NotModified {
		r.Status = StatusNotModified
		_, err := w.exec(ctx, w.db().SQL(), `UPDATE feeds SET last_status = ?, last_error = '', errors = 0, next_poll = ?, last_poll = ?,
			etag = ?, last_modified = ? WHERE url = ?`, r.Status, formatTime(r.Next), formatTime(now), fr.Validators.ETag, fr.Validators.LastModified, f.URL)
		return r, err
	}
	items := queue.FeedItems(fr.Feed)
	r.Items = len(fr.Feed.Items)
	err = w.tx(ctx, func(tx *sql.Tx) error {
		var fresh []queue.Item
		for _, it := range items {
			n, err := w.exec(ctx, tx, `INSERT INTO feed_items(feed_url, item, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				f.URL, it.Source, formatTime(now))
			if err != nil {
				return err
			}
			if n > 0 {
				fresh = append(fresh, it)
			}
		}
		if _, err := w.Queue.EnqueueTx(ctx, tx, fresh...); err != nil {
			return err
		}
		r.New = len(fresh)
		r.Status = StatusUnchanged
		if r.New > 0 {
			r.Status = StatusNew
		}
		_, err := w.exec(ctx, tx, `UPDATE feeds SET last_status = ?, last_error = '', errors = 0, next_poll = ?, last_poll = ?,
			etag = ?, last_modified = ?, items = items + ? WHERE url = ?`,
			r.Status, formatTime(r.Next), formatTime(now), fr.Validators.ETag, fr.Validators.LastModified, r.New, f.URL)
		return err
	})
	if err != nil {
		return r, fmt.Errorf("poll %s: %w", f.URL, err)
	}
	return r, w.prune(ctx, f.URL, items, now)
}

// SeenFor is how long an item that left its feed is remembered: long enough for any feed that
// re-publishes old items, short enough to keep the table small.
const SeenFor = 60 * 24 * time.Hour

// prune forgets the items of a feed that it no longer carries and that were first seen more
// than SeenFor ago.
func (w *Watcher) prune(ctx context.Context, url string, current []queue.Item, now time.Time) error {
	rows, err := w.db().SQL().QueryContext(ctx, w.db().Dialect().Rebind(`SELECT item FROM feed_items WHERE feed_url = ? AND seen_at < ?`),
		url, formatTime(now.Add(-SeenFor)))
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, it := range current {
		keep[it.Source] = true
	}
	var old []string
	for rows.Next() {
		var item string
		if err := rows.Scan(&item); err != nil {
			rows.Close()
			return err
		}
		if !keep[item] {
			old = append(old, item)
		}
	}
	rows.Close()
	for _, item := range old {
		if _, err := w.exec(ctx, w.db().SQL(), `DELETE FROM feed_items WHERE feed_url = ? AND item = ?`, url, item); err != nil {
			return err
		}
	}
	return rows.Err()
}

// backoff is the wait after the n-th failure in a row: the interval doubled per failure, at
// most MaxBackoff (but never less than the interval), ±10% so that feeds failing together (a
// network outage) spread out again.
func (w *Watcher) backoff(interval time.Duration, n int) time.Duration {
	maxWait := w.MaxBackoff
	if maxWait <= 0 {
		maxWait = 6 * time.Hour
	}
	maxWait = max(maxWait, interval)
	d := interval
	for i := 1; i < n && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	return time.Duration(float64(d) * (0.9 + 0.2*rand.Float64()))
}

func (w *Watcher) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := w.db().SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Round polls every feed that is due, Parallel at a time, and returns the results.
func (w *Watcher) Round(ctx context.Context, feeds []Feed) ([]Result, error) {
	par := w.Parallel
	if par <= 0 {
		par = 4
	}
	now := w.now()
	var (
		mu      sync.Mutex
		results []Result
		first   error
		wg      sync.WaitGroup
		sem     = make(chan struct{}, par)
	)
	for _, f := range feeds {
		st, err := w.state(ctx, f.URL)
		if err != nil {
			return nil, err
		}
		if st.next.After(now) {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			r, err := w.Poll(ctx, f)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
				}
				return
			}
			results = append(results, r)
			if r.Status == StatusError {
				w.logf("%s: %s (next try %s)", f.URL, r.Error, r.Next.Format(time.RFC3339))
			} else {
				w.logf("%s: %s, %d items, %d new", f.URL, r.Status, r.Items, r.New)
			}
		})
	}
	wg.Wait()
	return results, first
}

// Next is when the next of feeds is due.
func (w *Watcher) Next(ctx context.Context, feeds []Feed) (time.Time, error) {
	var next time.Time
	for _, f := range feeds {
		st, err := w.state(ctx, f.URL)
		if err != nil {
			return next, err
		}
		if next.IsZero() || st.next.Before(next) {
			next = st.next
		}
	}
	return next, nil
}

// Run registers feeds and polls them, each on its schedule, until ctx is done. AfterRound runs
// after every round; its error stops Run.
func (w *Watcher) Run(ctx context.Context, feeds []Feed) error {
	if err := w.Register(ctx, feeds); err != nil {
		return err
	}
	for {
		results, err := w.Round(ctx, feeds)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if w.AfterRound != nil {
			n := 0
			for _, r := range results {
				n += r.New
			}
			if err := w.AfterRound(ctx, n); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
		next, err := w.Next(ctx, feeds)
		if err != nil {
			return err
		}
		wait := max(next.Sub(w.now()), time.Second)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// FeedStatus is a watched feed's state, for `mizan watch --status`.
type FeedStatus struct {
	URL        string     `json:"url"`
	Interval   string     `json:"interval"`
	LastPoll   *time.Time `json:"last_poll,omitempty"`
	NextPoll   time.Time  `json:"next_poll"`
	LastStatus string     `json:"last_status"`
	LastError  string     `json:"last_error,omitempty"`
	Errors     int        `json:"errors"`
	Items      int        `json:"items"`
}

// Status lists every feed the database has watched.
func (w *Watcher) Status(ctx context.Context) ([]FeedStatus, error) {
	rows, err := w.db().SQL().QueryContext(ctx, `SELECT url, interval_s, last_poll, next_poll, last_status, last_error, errors, items FROM feeds ORDER BY url`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FeedStatus
	for rows.Next() {
		var (
			s        FeedStatus
			secs     int64
			last     sql.NullString
			nextPoll string
		)
		if err := rows.Scan(&s.URL, &secs, &last, &nextPoll, &s.LastStatus, &s.LastError, &s.Errors, &s.Items); err != nil {
			return nil, err
		}
		s.Interval = (time.Duration(secs) * time.Second).String()
		if s.NextPoll, err = parseTime(nextPoll); err != nil {
			return nil, err
		}
		if last.Valid {
			t, err := parseTime(last.String)
			if err != nil {
				return nil, err
			}
			s.LastPoll = &t
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// timeLayout is the store's fixed-width UTC layout (internal/sqlstore), so times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }
