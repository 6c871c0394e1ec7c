package http

import (
	"context"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
)

// statser counts what a store holds, to tell when a snapshot is stale.
type statser interface {
	Stats(ctx context.Context) (mizan.Stats, error)
}

// snapshots keeps the latest build of something derived from a whole store (the network), so
// that a query never waits for a build once the first is done: the first get starts a build
// and waits for its first usable value; later gets return the latest value at once and, at most
// every `every`, start a background check that rebuilds when the store's counts moved. A
// rebuild serves the previous value until it is done, and a failed one leaves it serving.
//
// A build may publish intermediate values before its final one (the graph before its grades):
// they are served only while nothing final has been, so a rebuild never replaces a complete
// answer with a partial one. Safe for concurrent use.
type snapshots[T any] struct {
	build func(ctx context.Context, publish func(v T, final bool)) error
	stats statser // nil: built once (and again after Invalidate)
	now   func() time.Time
	every time.Duration

	mu       sync.Mutex
	cur      *built[T]
	building bool
	stale    bool          // Invalidate was called: rebuild whatever the counts say
	ready    chan struct{} // closed when the first build published a value or failed
	err      error         // why the first build failed
}

// built is one published value with what the store held when its build started.
type built[T any] struct {
	val     T
	final   bool
	stats   mizan.Stats
	checked time.Time
}

func newSnapshots[T any](build func(context.Context, func(T, bool)) error, st statser, now func() time.Time) *snapshots[T] {
	if now == nil {
		now = time.Now
	}
	return &snapshots[T]{build: build, stats: st, now: now, every: 10 * time.Second}
}

// get returns the latest value, waiting for the first one when there is none yet.
func (s *snapshots[T]) get(ctx context.Context) (T, error) {
	var zero T
	s.mu.Lock()
	cur := s.cur
	if cur == nil {
		if !s.building {
			s.building, s.ready, s.err = true, make(chan struct{}), nil
			go s.run(context.WithoutCancel(ctx), nil, s.ready)
		}
		ready := s.ready
		s.mu.Unlock()
		select {
		case <-ready:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
		s.mu.Lock()
		cur, err := s.cur, s.err
		s.mu.Unlock()
		if cur == nil {
			return zero, err
		}
		return cur.val, nil
	}
	if !s.building && (s.stale || s.now().Sub(cur.checked) > s.every) {
		s.building = true
		go s.run(context.WithoutCancel(ctx), cur, nil)
	}
	s.mu.Unlock()
	return cur.val, nil
}

// run checks whether cur is stale (when there is one) and builds a new value if so; ready, for
// the first build, is closed once a value is published or the build failed.
func (s *snapshots[T]) run(ctx context.Context, cur *built[T], ready chan struct{}) {
	done := func() {
		if ready != nil {
			close(ready)
			ready = nil
		}
	}
	defer func() {
		s.mu.Lock()
		s.building = false
		done()
		s.mu.Unlock()
	}()
	var st mizan.Stats
	if s.stats != nil {
		var err error
		if st, err = s.stats.Stats(ctx); err != nil {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			return
		}
	}
	if cur != nil {
		s.mu.Lock()
		stale := s.stale
		s.stale = false
		// A value that is not final comes from a build that failed before finishing: build again.
		unchanged := !stale && cur.final && (s.stats == nil || st.Events == cur.stats.Events && st.Documents == cur.stats.Documents &&
			st.Entities == cur.stats.Entities && st.Mentions == cur.stats.Mentions)
		if unchanged {
			cur.checked = s.now() // still current: check again in `every`
		}
		s.mu.Unlock()
		if unchanged {
			return
		}
	}
	started := s.now()
	err := s.build(ctx, func(v T, final bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !final && s.cur != nil && s.cur.final {
			return
		}
		s.cur = &built[T]{val: v, final: final, stats: st, checked: started}
		done()
	})
	if err != nil {
		s.mu.Lock()
		s.err = err // the old value keeps serving; the next check tries again
		s.mu.Unlock()
	}
}

// Invalidate marks the current value stale (after an ingest by this process): the next get
// starts a rebuild in the background and keeps answering from the current value meanwhile.
func (s *snapshots[T]) Invalidate() {
	s.mu.Lock()
	s.stale = true
	s.mu.Unlock()
}

// Start makes the first build in the background, so that the first query waits less.
func (s *snapshots[T]) Start(ctx context.Context) {
	go func() { _, _ = s.get(ctx) }()
}
