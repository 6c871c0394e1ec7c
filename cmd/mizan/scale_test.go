package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mizan-osint/mizan/internal/corpusgen"
	"github.com/mizan-osint/mizan/internal/postgres"
	"github.com/mizan-osint/mizan/internal/postgres/pgtest"
)

// buildBinary builds cmd/mizan once for a test: the acceptance tests run real processes, since
// what they check (a SIGKILL mid-item) cannot be done to goroutines.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "mizan")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func countRows(tb testing.TB, db *sql.DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestWorkersSurviveSIGKILL is the scale-out acceptance test: four worker processes share one
// PostgreSQL database and 2,000 generated documents; one is killed with SIGKILL mid-run. Every
// document must be stored exactly once, every item done, and the killed worker's leased items
// taken over by the others.
func TestWorkersSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("acceptance test: runs 4 worker processes over 2,000 documents")
	}
	url := pgtest.URL(t) // skips without MIZAN_TEST_POSTGRES
	bin := buildBinary(t)
	dir := t.TempDir()
	const docs = 2000
	if _, err := corpusgen.New(7).WriteDir(dir, docs); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--db", url, "ingest", "--enqueue", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("enqueue: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(\d+) enqueued`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("enqueue printed %q, want a count", out)
	}
	items, _ := strconv.Atoi(string(m[1]))
	if items < docs {
		t.Fatalf("got %d items enqueued, want at least %d", items, docs)
	}

	db, err := postgres.OpenSQL(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	const lease = 8 * time.Second
	workers := make([]*exec.Cmd, 4)
	logs := make([]*strings.Builder, 4)
	for i := range workers {
		logs[i] = new(strings.Builder)
		c := exec.Command(bin, "--db", url, "worker", "--id", fmt.Sprint("w", i), "--concurrency", "1",
			"--lease", lease.String(), "--poll", "200ms")
		c.Stdout, c.Stderr = logs[i], logs[i]
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		workers[i] = c
	}
	defer func() {
		for _, c := range workers {
			if c.ProcessState == nil {
				c.Process.Kill()
				c.Wait()
			}
		}
	}()

	done := func() int { return countRows(t, db, `SELECT count(*) FROM queue WHERE state = 'done'`) }
	deadline := time.Now().Add(15 * time.Minute)
	// Kill w0 once a quarter of the work is done, holding leases.
	var orphans []int64
	for len(orphans) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d done before the kill", done(), items)
		}
		time.Sleep(100 * time.Millisecond)
		if done() < items/4 {
			continue
		}
		rows, err := db.Query(`SELECT id FROM queue WHERE worker = 'w0' AND state = 'leased'`)
		if err != nil {
			t.Fatal(err)
		}
		var held []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			held = append(held, id)
		}
		rows.Close()
		if len(held) == 0 {
			continue // between items: wait until it holds some
		}
		if err := workers[0].Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		workers[0].Wait()
		// What it held at the moment it died (it may have committed some in between).
		orphans = held
		t.Logf("killed w0 at %d/%d done, holding %d items", done(), items, len(held))
	}
	for done() < items {
		if time.Now().After(deadline) {
			t.Fatalf("got %d of %d items done before the deadline; w1 log:\n%s", done(), items, logs[1])
		}
		if n := countRows(t, db, `SELECT count(*) FROM queue WHERE state = 'dead'`); n > 0 {
			t.Fatalf("got %d dead items, want 0; w1 log:\n%s", n, logs[1])
		}
		time.Sleep(250 * time.Millisecond)
	}
	for _, c := range workers[1:] {
		c.Process.Signal(syscall.SIGTERM)
	}
	for i, c := range workers[1:] {
		if err := c.Wait(); err != nil {
			t.Errorf("worker w%d exited with %v; log:\n%s", i+1, err, logs[i+1])
		}
	}

	for _, tt := range []struct {
		name  string
		query string
		want  int
	}{
		{"items not done", `SELECT count(*) FROM queue WHERE state <> 'done'`, 0},
		{"done items without a document", `SELECT count(*) FROM queue WHERE doc_id IS NULL`, 0},
		{"documents added by two items", `SELECT count(*) FROM (SELECT doc_id FROM queue WHERE result = 'added' GROUP BY doc_id HAVING count(*) > 1) x`, 0},
		{"documents", `SELECT count(*) FROM documents`, countRows(t, db, `SELECT count(DISTINCT doc_id) FROM queue`)},
		{"documents not added by an item", `SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM queue q WHERE q.doc_id = d.id AND q.result = 'added')`, 0},
		{"documents without their search entry", `SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM docs_fts f WHERE f.seq = d.seq)`, 0},
	} {
		if got := countRows(t, db, tt.query); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
	if n := countRows(t, db, `SELECT count(*) FROM documents`); n < docs*9/10 {
		t.Errorf("got %d documents from %d generated, want nearly all (only exact duplicates merge)", n, docs)
	}
	// The killed worker's items were taken over: done, by another worker, on a later attempt.
	for _, id := range orphans {
		var attempts int
		var state string
		if err := db.QueryRowContext(context.Background(), `SELECT state, attempts FROM queue WHERE id = $1`, id).Scan(&state, &attempts); err != nil {
			t.Fatal(err)
		}
		if state != "done" {
			t.Errorf("orphaned item %d: got %s, want done", id, state)
		}
	}
	taken := countRows(t, db, `SELECT count(*) FROM queue WHERE attempts > 1`)
	if taken == 0 {
		t.Errorf("got no item claimed twice, want the killed worker's leases taken over")
	}
	t.Logf("%d items, %d documents, %d items taken over after the kill", items, countRows(t, db, `SELECT count(*) FROM documents`), taken)
	if t.Failed() {
		os.Stderr.WriteString(logs[1].String())
	}
}

// BenchmarkWorkers measures queue throughput against one PostgreSQL server: N worker processes
// (the real binary, --concurrency 1 each) drain 1,000 generated documents. Besides documents/s
// it reports what each document costs the database — transactions (read-only ones included)
// and WAL bytes — and the workers' CPU, which is what a projection to many machines needs:
//
//	MIZAN_TEST_POSTGRES=... go test -run '^$' -bench Workers -benchtime 1x ./cmd/mizan
func BenchmarkWorkers(b *testing.B) {
	base := os.Getenv(pgtest.Env)
	if base == "" {
		b.Skip("set " + pgtest.Env)
	}
	bin := buildBinary(b)
	dir := b.TempDir()
	const docs = 1000
	if _, err := corpusgen.New(11).WriteDir(dir, docs); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				url := pgtest.URL(b)
				if out, err := exec.Command(bin, "--db", url, "ingest", "--enqueue", dir).CombinedOutput(); err != nil {
					b.Fatalf("enqueue: %v\n%s", err, out)
				}
				db, err := postgres.OpenSQL(url)
				if err != nil {
					b.Fatal(err)
				}
				var wal0 string
				var commits0 int64
				db.QueryRow(`SELECT pg_current_wal_lsn()::text, (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())`).Scan(&wal0, &commits0)
				b.StartTimer()
				start := time.Now()
				procs := make([]*exec.Cmd, n)
				for i := range procs {
					procs[i] = exec.Command(bin, "--db", url, "-q", "worker", "--once", "--concurrency", "1")
					if err := procs[i].Start(); err != nil {
						b.Fatal(err)
					}
				}
				var cpu time.Duration
				for _, p := range procs {
					if err := p.Wait(); err != nil {
						b.Fatal(err)
					}
					cpu += p.ProcessState.UserTime() + p.ProcessState.SystemTime()
				}
				elapsed := time.Since(start)
				b.StopTimer()
				var stored int
				var walBytes float64
				var commits1 int64
				db.QueryRow(`SELECT count(*) FROM documents`).Scan(&stored)
				db.QueryRow(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)`, wal0).Scan(&walBytes)
				time.Sleep(600 * time.Millisecond) // statistics reach pg_stat_database within 500ms
				db.QueryRow(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`).Scan(&commits1)
				db.Close()
				b.ReportMetric(float64(stored)/elapsed.Seconds(), "docs/s")
				b.ReportMetric(float64(cpu.Milliseconds())/float64(stored), "worker-cpu-ms/doc")
				b.ReportMetric(walBytes/float64(stored), "wal-bytes/doc")
				b.ReportMetric(float64(commits1-commits0)/float64(stored), "xacts/doc")
				b.StartTimer()
			}
		})
	}
}

// TestQueueCommandsOnSQLite runs the scale-out commands in-process on a laptop's SQLite file:
// enqueue a directory with a local feed, drain it with one worker, report, watch a feed once,
// and copy the corpus to a second file.
func TestQueueCommandsOnSQLite(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"a.txt": "Ministers meet\n\nThe two ministers met in Algiers on Monday to discuss security.",
		"b.txt": "وزيران يلتقيان\n\nالتقى الوزيران في الجزائر يوم الاثنين لبحث الأمن.",
		"c.pdf": "%PDF-1.4 binary",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "q.db")
	out := mustRun(t, db, "ingest", "--enqueue", dir)
	if !strings.Contains(out, "2 enqueued") {
		t.Errorf("enqueue: got %q, want 2 enqueued (the PDF is refused at once)", out)
	}
	if out := mustRun(t, db, "ingest", "--enqueue", dir); !strings.Contains(out, "0 enqueued, 2 already queued") {
		t.Errorf("enqueue again: got %q, want nothing new", out)
	}
	out = mustRun(t, db, "worker", "--once", "--json")
	if !strings.Contains(out, `"added": 2`) {
		t.Errorf("worker: got %s, want 2 added", out)
	}
	out = mustRun(t, db, "queue", "--json")
	if !strings.Contains(out, `"done": 2`) || !strings.Contains(out, `"dead_items": []`) {
		t.Errorf("queue: got %s, want 2 done and no dead items", out)
	}
	if out := mustRun(t, db, "queue", "retry", "--dead"); !strings.Contains(out, "0 items") {
		t.Errorf("retry: got %q", out)
	}
	copyDB := filepath.Join(t.TempDir(), "copy.db")
	mustRun(t, db, "copy", "--from", db, "--to", "sqlite:"+copyDB)
	if docs := listDocs(t, copyDB); len(docs) != 2 {
		t.Errorf("copy: got %d documents, want 2", len(docs))
	}
	if _, stderr, code := run(t, db, "copy", "--from", db, "--to", db); code != 2 {
		t.Errorf("copy onto itself: got exit %d (%s), want 2", code, stderr)
	}
	if _, stderr, code := run(t, db, "watch", "ftp://example.test/feed"); code != 2 || !strings.Contains(stderr, "http") {
		t.Errorf("watch of a bad URL: got exit %d (%s), want a usage error", code, stderr)
	}
}
