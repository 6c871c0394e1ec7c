package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader on two goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe runs `mizan serve` end to end: it ingests the example corpus, starts the server on a
// free loopback port, reads the API and stops on cancellation with exit code 0.
func TestServe(t *testing.T) {
	db := t.TempDir() + "/mizan.db"
	mustRun(t, db, "ingest", "-q", repoPath(t, "examples", "corpus"))

	var errb syncBuffer
	a := NewApp()
	a.Stdout, a.Stderr, a.Stdin = &bytes.Buffer{}, &errb, strings.NewReader("")
	a.Getenv = func(string) string { return "" }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- a.Run(ctx, []string{"--db", db, "serve", "--addr", "127.0.0.1:0"}) }()

	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(errb.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("the server did not say where it listens; stderr: %s", errb.String())
	}
	res, err := http.Get(base + "/api/v1/documents")
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Total int }
	err = json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if err != nil || list.Total != 7 {
		t.Errorf("got %d documents (%v), want the 7 of examples/corpus", list.Total, err)
	}
	// The relations endpoint answers what `mizan relations A B --json` prints, once the
	// background build has graded the claims.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		var g struct{ Graded bool }
		if res, err := http.Get(base + "/api/v1/graph?max_nodes=1"); err == nil {
			_ = json.NewDecoder(res.Body).Decode(&g)
			res.Body.Close()
		}
		if g.Graded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server's claims were not graded within a minute")
		}
	}
	var api, cli any
	res, err = http.Get(base + "/api/v1/relations?a=Algeria&b=Russia")
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(res.Body).Decode(&api)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("relations: got status %d, %v", res.StatusCode, err)
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "relations", "Algeria", "Russia", "--json")), &cli); err != nil {
		t.Fatal(err)
	}
	if a, c := mustJSON(t, api), mustJSON(t, cli); a != c || !strings.Contains(a, `"grade"`) {
		t.Errorf("GET /api/v1/relations?a=Algeria&b=Russia:\n%s\nwant what mizan relations Algeria Russia --json prints:\n%s", a, c)
	}
	res, err = http.Post(base+"/api/v1/documents", "application/json", strings.NewReader(`{"url": "http://127.0.0.1/"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("got status %d for a write, want 403 from a read-only server", res.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("got exit code %d after shutdown, want 0; stderr: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop")
	}
}

func TestServeFlags(t *testing.T) {
	db := t.TempDir() + "/mizan.db"
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"serve", "--write"}, 2, "needs a token"},
		{[]string{"serve", "--addr", "256.0.0.1:99999"}, 1, "listen"},
		{[]string{"serve", "extra"}, 2, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errs, code := run(t, db, tt.args...)
			if code != tt.wantCode || !strings.Contains(errs, tt.wantErr) {
				t.Errorf("got exit %d and %q, want %d and %q", code, errs, tt.wantCode, tt.wantErr)
			}
		})
	}
}

// mustJSON renders v as indented JSON.
func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
