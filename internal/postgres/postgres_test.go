package postgres_test

import (
	"context"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/postgres"
	"github.com/mizan-osint/mizan/internal/postgres/pgtest"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) mizan.Store { return pgtest.Open(tb) })
}

// TestMigrationsMirrorSQLite fails when a SQLite migration has no PostgreSQL counterpart of the
// same number and name (or the other way round): the two stores must keep the same schema.
func TestMigrationsMirrorSQLite(t *testing.T) {
	names := func(fsys fs.FS) []string {
		t.Helper()
		m, err := fs.Glob(fsys, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(m)
		return m
	}
	lite, pg := names(sqlite.Dialect{}.Migrations()), names(postgres.Dialect{}.Migrations())
	if got, want := strings.Join(pg, " "), strings.Join(lite, " "); got != want {
		t.Errorf("got PostgreSQL migrations %s, want the SQLite ones mirrored: %s (port the missing ones to internal/postgres/migrations)", got, want)
	}
}

func TestMigrationsIdempotentAndConcurrent(t *testing.T) {
	url := pgtest.URL(t)
	// Workers starting together on an empty database must not race to create tables.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := postgres.Open(context.Background(), url)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: got %v, want nil", i, err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	url := pgtest.URL(t)
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, 'future', '')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := postgres.Open(context.Background(), url); mizan.ErrorCode(err) != mizan.EUNSUPPORTED {
		t.Errorf("got %v, want unsupported", err)
	}
}

func TestOpenErrors(t *testing.T) {
	for _, tt := range []struct {
		url, code string
	}{
		{"postgres://u:secret@127.0.0.1:1/db?sslmode=disable&connect_timeout=2", mizan.EUNAVAILABLE},
		{"postgres://u:secret@127.0.0.1:notaport/db", mizan.EINVALID},
		{"postgres://u:s%40cret@127.0.0.1:badport/db", mizan.EINVALID},
	} {
		_, err := postgres.Open(context.Background(), tt.url)
		if got := mizan.ErrorCode(err); got != tt.code {
			t.Errorf("Open(%s): got %v (%s), want %s", tt.url, err, got, tt.code)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%s): error %q shows the password", tt.url, err)
		}
	}
}

// TestArabicConfigurationTrap records why the index uses 'simple' over normalised keys: on the
// server under test, PostgreSQL's own 'arabic' configuration does not match a plural with its
// singular, nor a word with its clitic-prefixed form, which mizan's keys do.
func TestArabicConfigurationTrap(t *testing.T) {
	st := pgtest.Open(t)
	var plural, clitic bool
	if err := st.SQL().QueryRow(`SELECT to_tsvector('arabic', 'اجتماعات') @@ to_tsquery('arabic', 'اجتماع'),
		to_tsvector('arabic', 'بالجزائر') @@ to_tsquery('arabic', 'الجزائر')`).Scan(&plural, &clitic); err != nil {
		t.Skipf("no 'arabic' text-search configuration: %v", err)
	}
	t.Logf("'arabic' configuration: plural matches singular: %v, clitic form matches: %v", plural, clitic)
	put := func(src, text string) {
		t.Helper()
		if _, err := st.PutDocument(context.Background(), storetest.Doc(src, "عنوان", "ar", text), nil, false); err != nil {
			t.Fatal(err)
		}
	}
	put("a.txt", "وصل الوفد بالجزائر صباح اليوم.")
	hits, _, err := st.Search(context.Background(), mizan.SearchQuery{Query: "الجزائر"})
	if err != nil || len(hits) != 1 {
		t.Errorf("Search(الجزائر): got %d hits (%v), want 1", len(hits), err)
	}
}

func TestRebind(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT ? , ?", "SELECT $1 , $2"},
		{"a = ? AND b IN (?,?,?,?,?,?,?,?,?,?)", "a = $1 AND b IN ($2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"},
		{"SELECT '?', ? -- what?\n, ?", "SELECT '?', $1 -- what?\n, $2"},
		{`SELECT "we?ird", 'it''s ?', ?`, `SELECT "we?ird", 'it''s ?', $1`},
		{"SELECT /* ? */ ?", "SELECT /* ? */ $1"},
		{"SELECT $$ ? $$, $tag$ ?$ $tag$, ?", "SELECT $$ ? $$, $tag$ ?$ $tag$, $1"},
		{"SELECT $1, ?", "SELECT $1, $1"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
	} {
		if got := postgres.Rebind(tt.in); got != tt.want {
			t.Errorf("Rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRebind(f *testing.F) {
	for _, s := range []string{"SELECT ?", "'?' ? \"?\"", "$a$?$a$ ?", "-- ?\n?", "/* ? */ ?", "?''?", "$1?$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got := postgres.Rebind(q)
		// Only placeholders change: removing them and the $N that replaced them gives the same text.
		if strings.Count(got, "?") > strings.Count(q, "?") {
			t.Errorf("Rebind(%q) = %q: more ? than before", q, got)
		}
		if !strings.Contains(q, "?") && got != q {
			t.Errorf("Rebind(%q) = %q, want it unchanged", q, got)
		}
	})
}

func TestIsURL(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{{"postgres://h/db", true}, {"postgresql://h/db", true}, {"sqlite:x.db", false}, {"mizan.db", false}} {
		if got := postgres.IsURL(tt.in); got != tt.want {
			t.Errorf("IsURL(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
