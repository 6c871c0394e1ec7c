package queue

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/source"
)

// Options configure a Worker.
type Options struct {
	// Concurrency is how many documents go through the pipeline at once; 0 means one per CPU.
	Concurrency int
	// Lease is how long a claimed item stays the worker's without a heartbeat. Heartbeats come
	// every Lease/3, so a killed worker's items are claimed again at most Lease after its death.
	Lease time.Duration
	// MaxAttempts is how many claims an item gets before it is dead.
	MaxAttempts int
	// Once makes the worker stop when no item is due (instead of waiting for more).
	Once bool
	// Poll is how long an idle worker waits before asking for work again (with ±25% jitter, so
	// idle workers do not poll in step).
	Poll time.Duration
	// Backoff is the retry schedule of failed items.
	Backoff Backoff
	// MaxHold is how long one item may be held: past it, heartbeats stop extending its lease, so
	// an item the pipeline hangs on goes to another worker and, in the end, to the dead letters.
	MaxHold time.Duration
	// Prefetch is how many items the worker holds at once (claimed, fetching, in the pipeline
	// or waiting for the writer); 0 means 2×Concurrency, at least 4. Claims take at least half
	// of it at a time, so one claim serves several documents.
	Prefetch int
}

// DefaultOptions are `mizan worker`'s defaults.
func DefaultOptions() Options {
	return Options{Lease: 2 * time.Minute, MaxAttempts: 5, Poll: 2 * time.Second, Backoff: DefaultBackoff, MaxHold: 30 * time.Minute}
}

// Report counts what a worker did besides the ingest summary.
type Report struct {
	ingest.Summary
	// Expanded counts feed URLs whose items were enqueued.
	Expanded int `json:"expanded"`
	// Known counts URLs not fetched because a document from them is stored.
	Known int `json:"known"`
	// Retrying counts failures that will be retried; Dead those given up.
	Retrying int `json:"retrying"`
	Dead     int `json:"dead"`
	// Restarts counts the times processing stopped on a store error and started again.
	Restarts int `json:"restarts,omitempty"`
}

// Worker processes queue items with an ingest.Ingester: the same pipeline, Resolve hook and
// writer as `mizan ingest`, fed by the queue instead of a walk.
type Worker struct {
	Queue *Queue
	// Ingester processes the items; its Store must be the queue's database.
	Ingester *ingest.Ingester
	// Fetcher fetches URL items.
	Fetcher *source.Walker
	Options Options
	// ID names the worker in leases; NewID makes a good one.
	ID string
	// Log, when set, is told about failures, restarts and dead items.
	Log func(format string, args ...any)

	expanded, known, retrying, dead atomic.Int64
}

// NewID names a worker after its host and process, with a random suffix for restarts.
func NewID() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "worker"
	}
	return fmt.Sprintf("%s:%d:%04x", host, os.Getpid(), rand.IntN(1<<16))
}

func (w *Worker) logf(format string, args ...any) {
	if w.Log != nil {
		w.Log(format, args...)
	}
}

func (w *Worker) claimOptions() ClaimOptions {
	return ClaimOptions{Worker: w.ID, Lease: w.Options.Lease, MaxAttempts: w.Options.MaxAttempts}
}

func (w *Worker) defaults() {
	d := DefaultOptions()
	o := &w.Options
	if o.Lease <= 0 {
		o.Lease = d.Lease
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = d.MaxAttempts
	}
	if o.Poll <= 0 {
		o.Poll = d.Poll
	}
	if o.Backoff.Base <= 0 {
		o.Backoff = d.Backoff
	}
	if o.MaxHold <= 0 {
		o.MaxHold = d.MaxHold
	}
	if o.Concurrency <= 0 {
		o.Concurrency = runtime.GOMAXPROCS(0)
	}
	if o.Prefetch <= 0 {
		o.Prefetch = max(4, 2*o.Concurrency)
	}
	if w.ID == "" {
		w.ID = NewID()
	}
	w.Ingester.Workers = o.Concurrency
}

// Run processes items until ctx is done or, with Once, until no item is due. A store error
// stops processing; the worker gives back its leases and starts again after a pause (with Once,
// it gives up after three failures in a row). On the way out it gives back the leases it still
// holds, so a stopped worker's items go to others at once rather than when their leases end.
func (w *Worker) Run(ctx context.Context) (Report, error) {
	w.defaults()
	for _, c := range []*atomic.Int64{&w.expanded, &w.known, &w.retrying, &w.dead} {
		c.Store(0)
	}
	hbCtx, stopHB := context.WithCancel(ctx)
	var hb sync.WaitGroup
	hb.Go(func() { w.heartbeat(hbCtx) })
	defer func() {
		stopHB()
		hb.Wait()
		if n, err := w.Queue.Release(context.WithoutCancel(ctx), w.ID); err != nil {
			w.logf("give back leases: %v", err)
		} else if n > 0 {
			w.logf("gave back %d unfinished items", n)
		}
	}()
	var rep Report
	pause, failures := time.Second, 0
	for {
		sum, err := w.Ingester.Process(ctx, &jobs{w: w})
		rep.add(sum)
		if err == nil || ctx.Err() != nil {
			break
		}
		failures++
		if w.Options.Once && failures >= 3 {
			rep.fill(w)
			return rep, err
		}
		rep.Restarts++
		w.logf("processing stopped: %v; starting again in %s", err, pause)
		if _, rerr := w.Queue.Release(context.WithoutCancel(ctx), w.ID); rerr != nil {
			w.logf("give back leases: %v", rerr)
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
		}
		pause = min(2*pause, time.Minute)
	}
	rep.fill(w)
	if ctx.Err() != nil {
		rep.Interrupted = true
	}
	return rep, nil
}

func (r *Report) add(s ingest.Summary) {
	r.Added += s.Added
	r.Updated += s.Updated
	r.Duplicate += s.Duplicate
	r.NearDup += s.NearDup
	r.Failed += s.Failed
	r.Bytes += s.Bytes
	r.Elapsed += s.Elapsed
	r.Failures = append(r.Failures, s.Failures...)
	if len(r.Failures) > ingest.MaxFailures {
		r.Failures = r.Failures[:ingest.MaxFailures]
	}
}

func (r *Report) fill(w *Worker) {
	r.Expanded, r.Known = int(w.expanded.Load()), int(w.known.Load())
	r.Retrying, r.Dead = int(w.retrying.Load()), int(w.dead.Load())
}

// heartbeat extends the worker's leases every Lease/3 until ctx is done.
func (w *Worker) heartbeat(ctx context.Context) {
	t := time.NewTicker(w.Options.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := w.Queue.Heartbeat(ctx, w.claimOptions(), w.Options.MaxHold); err != nil && ctx.Err() == nil {
				w.logf("%v", err)
			}
		}
	}
}

// jobs is the ingest.JobSource of one Process run: it claims items while fewer than Prefetch
// are held, loads each (fetching URLs) in a goroutine of its own, and hands it to the pipeline
// with a ticket that settles the item.
type jobs struct {
	w     *Worker
	held  atomic.Int64
	freed chan struct{}
	wg    sync.WaitGroup
}

func (s *jobs) release() {
	s.held.Add(-1)
	select {
	case s.freed <- struct{}{}:
	default:
	}
}

// Jobs implements ingest.JobSource.
func (s *jobs) Jobs(ctx context.Context, out chan<- ingest.Job) error {
	w := s.w
	s.freed = make(chan struct{}, 1)
	defer s.wg.Wait()
	pause := w.Options.Poll
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Claim in batches of at least half the prefetch (one transaction serves several
		// documents), except when nothing is held at all.
		held := int(s.held.Load())
		free := w.Options.Prefetch - held
		if free <= 0 || held > 0 && free < (w.Options.Prefetch+1)/2 {
			select {
			case <-s.freed:
			case <-ctx.Done():
			}
			continue
		}
		leases, err := w.Queue.Claim(ctx, free, w.claimOptions())
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// The database may be restarting or failing over: keep trying, more slowly.
			w.logf("%v; trying again in %s", err, pause)
			if !sleep(ctx, pause) {
				return ctx.Err()
			}
			pause = min(2*pause, time.Minute)
			continue
		}
		pause = w.Options.Poll
		if len(leases) == 0 {
			if w.Options.Once && s.held.Load() == 0 {
				return nil
			}
			// Idle: wait for an item of ours to finish (it may have enqueued more, or left room
			// for a claim) or for the poll interval.
			t := time.NewTimer(jitter(w.Options.Poll))
			select {
			case <-s.freed:
			case <-t.C:
			case <-ctx.Done():
			}
			t.Stop()
			continue
		}
		for _, l := range leases {
			s.held.Add(1)
			s.wg.Go(func() { s.load(ctx, l, out) })
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.75 + 0.5*rand.Float64()))
}

// load turns a lease into a job: the bytes of a bytes item, or the fetched page of a URL item.
// A URL already stored is done without fetching; a feed URL expands into its items.
func (s *jobs) load(ctx context.Context, l *Lease, out chan<- ingest.Job) {
	w := s.w
	t := &ticket{s: s, l: l}
	it := source.Item{Source: l.Source, Kind: l.SourceKind, ContentType: l.ContentType, Feed: l.Feed, Raw: l.Raw}
	if l.Kind == KindBytes {
		it.FeedContent = l.Feed != nil
	} else {
		if id, ok, err := w.Ingester.Store.HasSource(ctx, l.Source); err == nil && ok {
			w.known.Add(1)
			if err := w.Queue.Complete(ctx, l.ID, id, string(mizan.PutDuplicate)); err != nil && ctx.Err() == nil {
				w.logf("item %d: %v", l.ID, err)
			}
			t.done()
			return
		}
		f, err := w.Fetcher.Fetch(ctx, l.Source, source.Validators{})
		switch {
		case err != nil && ctx.Err() != nil:
			t.done() // shutting down: Run gives the lease back
			return
		case err != nil && l.Fallback != nil:
			// As `mizan ingest` does for a feed item whose link fails: the feed's own content.
			it.Raw, it.ContentType, it.FeedContent, it.FetchErr = l.Fallback, "text/html; charset=utf-8", true, err
		case err != nil:
			it.Err = err
		case f.Feed != nil && l.Feed == nil:
			items := FeedItems(f.Feed)
			n, err := w.Queue.Expand(ctx, l.ID, items)
			if err != nil {
				it.Err = fmt.Errorf("enqueue the items of feed %s: %w", l.Source, err)
				break
			}
			w.expanded.Add(1)
			w.logf("feed %s: %d items, %d new", l.Source, len(items), n)
			t.done()
			return
		default:
			// A feed item whose link is itself a feed is a document, as in `mizan ingest`:
			// feeds of feeds would make the work unbounded.
			it.Raw, it.ContentType, it.URL, it.ModTime = f.Item.Raw, f.Item.ContentType, f.Item.URL, f.Item.ModTime
			if len(it.Raw) == 0 {
				it.Err = mizan.Errorf(mizan.EINVALID, "empty response")
			}
		}
	}
	select {
	case out <- ingest.Job{Item: it, Ticket: t}:
	case <-ctx.Done():
		t.done()
	}
}

// FeedItems turns a feed into queue items: each item's link as a URL (with the feed's own
// content as a fallback when it carries the whole article), or, for an item without a link,
// the content the feed carries. Items with neither are left out.
func FeedItems(f *source.Feed) []Item {
	var items []Item
	for _, fi := range f.Items {
		info := f.ItemInfo(fi)
		if fi.Link != "" {
			items = append(items, Item{Kind: KindURL, Source: fi.Link, SourceKind: mizan.SourceFeed, Feed: info, Fallback: f.ContentPage(fi, true)})
			continue
		}
		if page := f.ContentPage(fi, false); page != nil {
			items = append(items, Item{Kind: KindBytes, Source: f.ItemSource(fi), SourceKind: mizan.SourceFeed, Feed: info,
				Raw: page, ContentType: "text/html; charset=utf-8"})
		}
	}
	return items
}

// ticket settles one lease for the ingest writer.
type ticket struct {
	s    *jobs
	l    *Lease
	once sync.Once
}

var _ ingest.Ticket = (*ticket)(nil)

func (t *ticket) done() { t.once.Do(t.s.release) }

// putThen is what *sqlstore.DB offers beyond mizan.DocumentStore.
type putThen interface {
	PutDocumentThen(ctx context.Context, d *mizan.Document, a *mizan.Analysis, replace bool,
		then func(ctx context.Context, tx *sql.Tx, o mizan.PutOutcome) error) (mizan.PutOutcome, error)
}

// Put implements ingest.Ticket: the document and its item's done mark commit together.
func (t *ticket) Put(ctx context.Context, st mizan.DocumentStore, d *mizan.Document, a *mizan.Analysis, replace bool) (mizan.PutOutcome, error) {
	q := t.s.w.Queue
	if pt, ok := st.(putThen); ok {
		o, err := pt.PutDocumentThen(ctx, d, a, replace, func(ctx context.Context, tx *sql.Tx, o mizan.PutOutcome) error {
			return q.CompleteTx(ctx, tx, t.l.ID, o.ID, string(o.Result))
		})
		if err == nil {
			t.done()
		}
		return o, err
	}
	o, err := st.PutDocument(ctx, d, a, replace)
	if err == nil {
		// Safe to repeat if we die in between: the item is claimed again and its document
		// found stored.
		err = q.Complete(ctx, t.l.ID, o.ID, string(o.Result))
		t.done()
	}
	return o, err
}

// Settle implements ingest.Ticket.
func (t *ticket) Settle(ctx context.Context, o ingest.Outcome, cause error) error {
	defer t.done()
	w := t.s.w
	if cause == nil {
		return w.Queue.Complete(ctx, t.l.ID, o.ID, string(o.Result))
	}
	state, err := w.Queue.Fail(ctx, t.l, cause, w.Options.MaxAttempts, w.Options.Backoff)
	if err != nil {
		return err
	}
	switch state {
	case Dead:
		w.dead.Add(1)
		w.logf("dead: %s (attempt %d): %s", t.l.Source, t.l.Attempts, mizan.ErrorMessage(cause))
	case Pending:
		w.retrying.Add(1)
		w.logf("retrying later: %s (attempt %d): %s", t.l.Source, t.l.Attempts, mizan.ErrorMessage(cause))
	}
	return nil
}
