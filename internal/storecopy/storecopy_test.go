package storecopy_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/postgres/pgtest"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
	"github.com/mizan-osint/mizan/internal/storecopy"
	"github.com/mizan-osint/mizan/internal/storetest"
)

func openSQLite(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "c.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

type opener struct {
	name string
	open func(testing.TB) *sqlstore.DB
}

var openers = []opener{{"sqlite", openSQLite}, {"postgres", func(tb testing.TB) *sqlstore.DB { return pgtest.Open(tb) }}}

func seed(tb testing.TB, db *sqlstore.DB) {
	tb.Helper()
	ctx := context.Background()
	docs := []*mizan.Document{
		storetest.Doc("ar.txt", "اجتماع في الجزائر", "ar", "والجزائر وإيران تبنيان تحالفا. عُقد الاجتماعُ بالجزائرِ."),
		storetest.Doc("en.txt", "Talks in Algiers", "en", "The general met the security council secretary in Algiers."),
	}
	for i := range 30 {
		docs = append(docs, storetest.Doc(fmt.Sprintf("gen/%d.txt", i), fmt.Sprint("Report ", i), "en", fmt.Sprintf("Report number %d on troop movements %d.", i, i*7)))
	}
	for _, d := range docs {
		if _, err := db.PutDocument(ctx, d, nil, false); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.RecordFailure(ctx, mizan.Failure{Source: "bad.pdf", Reason: "binary file"}); err != nil {
		tb.Fatal(err)
	}
}

func TestCopy(t *testing.T) {
	ctx := context.Background()
	for _, from := range openers {
		for _, to := range openers {
			t.Run(from.name+"-to-"+to.name, func(t *testing.T) {
				src, dst := from.open(t), to.open(t)
				seed(t, src)
				rep, err := storecopy.Copy(ctx, src, dst, nil)
				if err != nil {
					t.Fatal(err)
				}
				copied := map[string]int{}
				for _, tr := range rep.Tables {
					copied[tr.Table] = tr.Copied
				}
				for table, want := range map[string]int{"documents": 32, "raw": 32, "sources": 32, "failures": 1} {
					if copied[table] != want {
						t.Errorf("%s: got %d copied, want %d", table, copied[table], want)
					}
				}
				d, err := dst.Document(ctx, storetest.Doc("ar.txt", "اجتماع في الجزائر", "ar", "والجزائر وإيران تبنيان تحالفا. عُقد الاجتماعُ بالجزائرِ.").ID)
				if err != nil || d.Lang != "ar" || len(d.Raw) == 0 || len(d.Sentences) == 0 {
					t.Fatalf("copied document: got %+v %v", d, err)
				}
				// The destination's own full-text index was built.
				for _, q := range []string{"جزائر", "secretary", "troop"} {
					if hits, _, err := dst.Search(ctx, mizan.SearchQuery{Query: q}); err != nil || len(hits) == 0 {
						t.Errorf("Search(%q) in the copy: got %d hits, %v", q, len(hits), err)
					}
				}
				// Documents keep their order.
				docs, _, _ := dst.Documents(ctx, mizan.DocumentFilter{Limit: 1})
				if len(docs) != 1 || docs[0].Source != "ar.txt" {
					t.Errorf("got first document %+v, want ar.txt", docs)
				}
				// Again: nothing new.
				rep, err = storecopy.Copy(ctx, src, dst, nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, tr := range rep.Tables {
					if tr.Copied != 0 {
						t.Errorf("second copy: %s copied %d rows, want 0", tr.Table, tr.Copied)
					}
				}
				// A destination with another corpus in it is refused.
				if _, err := dst.PutDocument(ctx, storetest.Doc("other.txt", "Other", "en", "Another corpus."), nil, false); err != nil {
					t.Fatal(err)
				}
				if _, err := storecopy.Copy(ctx, src, dst, nil); !errors.Is(err, mizan.ErrConflict) {
					t.Errorf("copy into a foreign corpus: got %v, want conflict", err)
				}
			})
		}
	}
}
