package http

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
)

// fakeStats is a store whose counts the test moves.
type fakeStats struct {
	mu sync.Mutex
	st mizan.Stats
}

func (f *fakeStats) Stats(context.Context) (mizan.Stats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st, nil
}

func (f *fakeStats) add(docs int) {
	f.mu.Lock()
	f.st.Documents += docs
	f.mu.Unlock()
}

// stepBuild is a build the test drives: each build announces itself on started and then does
// what the test sends on steps (publish a value, final or not, or fail).
type stepBuild struct {
	started chan int
	steps   chan step
	n       int
}

type step struct {
	val   string
	final bool
	err   error
}

func (sb *stepBuild) build(ctx context.Context, publish func(string, bool)) error {
	sb.n++
	sb.started <- sb.n
	for st := range sb.steps {
		if st.err != nil {
			return st.err
		}
		publish(st.val, st.final)
		if st.final {
			return nil
		}
	}
	return nil
}

// eventually polls cond until it holds, failing after a generous deadline (never a timing
// assertion: a slow machine only makes it wait longer).
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: never happened", what)
		}
	}
}

func TestSnapshots(t *testing.T) {
	ctx := context.Background()
	st := &fakeStats{}
	sb := &stepBuild{started: make(chan int, 4), steps: make(chan step)}
	s := newSnapshots(sb.build, st, nil)
	s.every = 0 // check the store at every get

	// The first get waits for the first published value, partial or not.
	got := make(chan string, 1)
	go func() { v, _ := s.get(ctx); got <- v }()
	if n := <-sb.started; n != 1 {
		t.Fatalf("got build %d, want 1", n)
	}
	sb.steps <- step{val: "graph"}
	if v := <-got; v != "graph" {
		t.Errorf("first get: got %q, want the partial value %q", v, "graph")
	}
	sb.steps <- step{val: "graded", final: true}
	eventually(t, "final value served", func() bool { v, _ := s.get(ctx); return v == "graded" })

	// Nothing changed in the store: no rebuild.
	for range 3 {
		if v, _ := s.get(ctx); v != "graded" {
			t.Errorf("got %q, want %q", v, "graded")
		}
	}
	eventually(t, "checks done", func() bool { s.mu.Lock(); defer s.mu.Unlock(); return !s.building })
	if len(sb.started) != 0 {
		t.Fatalf("got a rebuild of an unchanged store")
	}

	// The store changed: a rebuild starts, and the old final value serves until the new final
	// one, a partial value of the new build never replacing it.
	st.add(1)
	_, _ = s.get(ctx)
	if n := <-sb.started; n != 2 {
		t.Fatalf("got build %d, want 2", n)
	}
	sb.steps <- step{val: "graph-2"}
	if v, _ := s.get(ctx); v != "graded" {
		t.Errorf("during a rebuild: got %q, want the previous final value", v)
	}
	sb.steps <- step{val: "graded-2", final: true}
	eventually(t, "new final value served", func() bool { v, _ := s.get(ctx); return v == "graded-2" })

	// A failed rebuild leaves the last value serving.
	eventually(t, "rebuild done", func() bool { s.mu.Lock(); defer s.mu.Unlock(); return !s.building })
	st.add(1)
	_, _ = s.get(ctx)
	<-sb.started
	sb.steps <- step{err: errors.New("disk on fire")}
	eventually(t, "failed rebuild done", func() bool { s.mu.Lock(); defer s.mu.Unlock(); return !s.building })
	if v, _ := s.get(ctx); v != "graded-2" {
		t.Errorf("after a failed rebuild: got %q, want %q", v, "graded-2")
	}
	// That get saw the counts still moved and started another build; Invalidate forces one too.
	<-sb.started
	sb.steps <- step{val: "graded-3", final: true}
	eventually(t, "retry served", func() bool { v, _ := s.get(ctx); return v == "graded-3" })
	eventually(t, "retry done", func() bool { s.mu.Lock(); defer s.mu.Unlock(); return !s.building })
	s.Invalidate()
	_, _ = s.get(ctx)
	<-sb.started
	sb.steps <- step{val: "graded-4", final: true}
	eventually(t, "invalidated value rebuilt", func() bool { v, _ := s.get(ctx); return v == "graded-4" })
}

// TestSnapshotsUnfinished checks that a build that published a partial value and then failed
// is made again, though the store did not change.
func TestSnapshotsUnfinished(t *testing.T) {
	ctx := context.Background()
	sb := &stepBuild{started: make(chan int, 4), steps: make(chan step, 4)}
	s := newSnapshots(sb.build, &fakeStats{}, nil)
	s.every = 0
	sb.steps <- step{val: "graph"}
	if v, _ := s.get(ctx); v != "graph" {
		t.Fatalf("got %q, want the partial value", v)
	}
	<-sb.started
	sb.steps <- step{err: errors.New("grading failed")}
	eventually(t, "failed build done", func() bool { s.mu.Lock(); defer s.mu.Unlock(); return !s.building })
	_, _ = s.get(ctx)
	if n := <-sb.started; n != 2 {
		t.Fatalf("got build %d, want 2", n)
	}
	sb.steps <- step{val: "graded", final: true}
	eventually(t, "final value served", func() bool { v, _ := s.get(ctx); return v == "graded" })
}

func TestSnapshotsFirstBuildFails(t *testing.T) {
	ctx := context.Background()
	sb := &stepBuild{started: make(chan int, 4), steps: make(chan step, 4)}
	s := newSnapshots(sb.build, nil, nil)
	sb.steps <- step{err: errors.New("no database")}
	if _, err := s.get(ctx); err == nil || err.Error() != "no database" {
		t.Errorf("got %v, want the build's error", err)
	}
	<-sb.started
	// The next get tries again.
	sb.steps <- step{val: "ok", final: true}
	if v, err := s.get(ctx); err != nil || v != "ok" {
		t.Errorf("got %q, %v; want a new build's value", v, err)
	}
}
