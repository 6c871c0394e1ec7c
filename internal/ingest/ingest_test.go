package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

// fakeWalker yields fixed items.
type fakeWalker struct{ items []source.Item }

func (w fakeWalker) Count([]string) int { return len(w.items) }
func (w fakeWalker) Walk(ctx context.Context, _ []string, fn func(source.Item) error) error {
	for _, it := range w.items {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

// textStage is a minimal extraction: the raw bytes are the text; "REJECT" in them is a failure.
var textStage = nlp.StageFunc{StageName: "extract", Fn: func(_ context.Context, d *nlp.Doc) error {
	if strings.Contains(string(d.Raw), "REJECT") {
		return mizan.Errorf(mizan.EUNSUPPORTED, "binary file (looks like a PDF)")
	}
	d.Text, d.Title, d.Format = string(d.Raw), strings.SplitN(string(d.Raw), "\n", 2)[0], mizan.FormatText
	return nil
}}

func pipeline() nlp.Pipeline { return nlp.Pipeline{textStage, dedup.Stage{}} }

func item(name, text string) source.Item {
	return source.Item{Source: name, Kind: mizan.SourceFile, Raw: []byte(text), ContentType: "text/plain"}
}

func openDB(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "t.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestRunCountsAndRecords(t *testing.T) {
	db := openDB(t)
	w := fakeWalker{items: []source.Item{
		item("a.txt", "Alpha\nThe first document about ministers."),
		item("b.txt", "Beta\nThe second document about envoys."),
		item("a-copy.txt", "Alpha\nThe first document about ministers."),
		item("bad.pdf", "REJECT"),
		{Source: "missing.txt", Kind: mizan.SourceFile, Err: mizan.Errorf(mizan.EINVALID, "no such file or directory")},
	}}
	in := &ingest.Ingester{Store: db, Pipeline: pipeline(), Workers: 2}
	sum, err := in.Run(context.Background(), w, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 2 || sum.Duplicate != 1 || sum.Failed != 2 {
		t.Fatalf("got %s, want 2 added, 1 duplicate, 2 failed", sum.Line())
	}
	reasons := map[string]string{}
	for _, f := range sum.Failures {
		reasons[f.Source] = f.Error
	}
	if !strings.Contains(reasons["bad.pdf"], "looks like a PDF") || !strings.Contains(reasons["missing.txt"], "no such file") {
		t.Errorf("got failures %v", reasons)
	}
	stored, _ := db.Failures(context.Background())
	if len(stored) != 2 {
		t.Errorf("got %d stored failures, want 2", len(stored))
	}
	// Re-running is idempotent: nothing new, the same failures.
	sum, err = in.Run(context.Background(), w, nil)
	if err != nil || sum.Added != 0 || sum.Duplicate != 3 || sum.Failed != 2 {
		t.Fatalf("second run: got %s (%v), want 0 added, 3 duplicate, 2 failed", sum.Line(), err)
	}
	if _, total, _ := db.Documents(context.Background(), mizan.DocumentFilter{}); total != 2 {
		t.Errorf("got %d documents, want 2", total)
	}
}

// cancelAfter cancels the batch once n documents have been committed, like a Ctrl-C mid-batch.
func TestInterruptedBatchResumes(t *testing.T) {
	db := openDB(t)
	var items []source.Item
	for i := range 200 {
		items = append(items, item(fmt.Sprintf("%03d.txt", i), fmt.Sprintf("Doc %d\nBody of document %d with words %d.", i, i, i*i)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var committed atomic.Int32
	in := &ingest.Ingester{Store: db, Pipeline: pipeline(), Workers: 4, OnOutcome: func(ingest.Outcome) {
		if committed.Add(1) == 50 {
			cancel()
		}
	}}
	sum, err := in.Run(ctx, fakeWalker{items: items}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || sum.Added < 50 || sum.Added >= 200 {
		t.Fatalf("got %s, want an interrupted batch with 50..199 added", sum.Line())
	}
	// Every stored document is whole: text, raw bytes and index entry.
	docs, total, _ := db.Documents(context.Background(), mizan.DocumentFilter{})
	if total != sum.Added {
		t.Fatalf("got %d stored, summary says %d added", total, sum.Added)
	}
	for _, d := range docs {
		full, err := db.Document(context.Background(), d.ID)
		if err != nil || full.Text == "" || len(full.Raw) == 0 {
			t.Fatalf("document %s is incomplete: %v", d.ID, err)
		}
	}
	// The next run adds exactly the rest.
	in.OnOutcome = nil
	sum2, err := in.Run(context.Background(), fakeWalker{items: items}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added+sum2.Added != 200 || sum2.Duplicate != sum.Added {
		t.Errorf("resume: got %s after %s, want the remaining %d added", sum2.Line(), sum.Line(), 200-sum.Added)
	}
}

func TestReprocessKeepsIDs(t *testing.T) {
	db := openDB(t)
	in := &ingest.Ingester{Store: db, Pipeline: pipeline(), Workers: 1}
	if _, err := in.Run(context.Background(), fakeWalker{items: []source.Item{item("a.txt", "Title\nOld body.")}}, nil); err != nil {
		t.Fatal(err)
	}
	upper := nlp.StageFunc{StageName: "upper", Fn: func(_ context.Context, d *nlp.Doc) error {
		d.Title = strings.ToUpper(d.Title)
		return nil
	}}
	in.Pipeline = append(pipeline(), upper)
	sum, err := in.Reprocess(context.Background(), nil, true)
	if err != nil || sum.Updated != 1 {
		t.Fatalf("got %s (%v), want 1 updated", sum.Line(), err)
	}
	docs, _, _ := db.Documents(context.Background(), mizan.DocumentFilter{})
	if len(docs) != 1 || docs[0].Title != "TITLE" || docs[0].ID != mizan.DocumentID([]byte("Title\nOld body.")) {
		t.Errorf("got %+v", docs[0])
	}
}

type brokenStore struct{ mizan.DocumentStore }

func (brokenStore) HasDocument(context.Context, string) (bool, error) { return false, nil }
func (brokenStore) PutDocument(context.Context, *mizan.Document, *mizan.Analysis, bool) (mizan.PutOutcome, error) {
	return mizan.PutOutcome{}, errors.New("disk I/O error")
}

func TestStoreFailureStopsBatch(t *testing.T) {
	in := &ingest.Ingester{Store: brokenStore{openDB(t)}, Pipeline: pipeline(), Workers: 2}
	_, err := in.Run(context.Background(), fakeWalker{items: []source.Item{item("a.txt", "A\nx"), item("b.txt", "B\ny")}}, nil)
	if err == nil || !strings.Contains(err.Error(), "disk I/O") {
		t.Errorf("got %v, want the store error", err)
	}
}
