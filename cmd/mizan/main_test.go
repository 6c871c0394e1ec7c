package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run executes the mizan command line in-process against db and returns stdout, stderr and the
// exit code.
func run(tb testing.TB, db string, args ...string) (string, string, int) {
	tb.Helper()
	var out, errb bytes.Buffer
	a := NewApp()
	a.Stdout, a.Stderr, a.Stdin = &out, &errb, strings.NewReader("")
	a.Getenv = func(string) string { return "" }
	code := a.Run(context.Background(), append([]string{"--db", db}, args...))
	return out.String(), errb.String(), code
}

// mustRun is run that fails the test on a non-zero exit.
func mustRun(tb testing.TB, db string, args ...string) string {
	tb.Helper()
	out, errs, code := run(tb, db, args...)
	if code != 0 {
		tb.Fatalf("mizan %s: exit %d\nstderr: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// repoPath returns a path relative to the repository root (the directory with go.mod).
func repoPath(tb testing.TB, rel ...string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(append([]string{dir}, rel...)...)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// sharedCorpus is ../shared/corpus next to the repository, or a skip.
func sharedCorpus(tb testing.TB) string {
	tb.Helper()
	dir := repoPath(tb, "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "004_57e6a3cc839eb422.txt")); err != nil {
		tb.Skipf("the sample corpus is not here (%s): skipping", dir)
	}
	return dir
}

type docJSON struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Lang      string     `json:"lang"`
	Published *time.Time `json:"published"`
	Outlet    string     `json:"outlet"`
	Source    string     `json:"source"`
	Chars     int        `json:"chars"`
	DupGroup  string     `json:"dup_group"`
}

func listDocs(tb testing.TB, db string) []docJSON {
	tb.Helper()
	var docs []docJSON
	if err := json.Unmarshal([]byte(mustRun(tb, db, "docs", "--json")), &docs); err != nil {
		tb.Fatalf("docs --json: %v", err)
	}
	return docs
}

// TestSharedCorpus is the acceptance test of the foundation issue.
func TestSharedCorpus(t *testing.T) {
	corpus := sharedCorpus(t)
	db := filepath.Join(t.TempDir(), "m.db")
	out := mustRun(t, db, "ingest", corpus)
	if !strings.HasPrefix(out, "5 added, 0 duplicate") {
		t.Errorf("ingest summary: got %q, want 5 added", out)
	}
	docs := listDocs(t, db)
	if len(docs) != 5 {
		t.Fatalf("got %d documents, want 5", len(docs))
	}
	var d004 docJSON
	langs := map[string]int{}
	for _, d := range docs {
		langs[d.Lang]++
		if strings.Contains(d.Source, "004_") {
			d004 = d
		}
		if strings.Contains(d.Source, "003_") && d.Lang != "ar" {
			t.Errorf("003 has language %q, want ar", d.Lang)
		}
	}
	if langs["ar"] != 1 || langs["en"] != 4 {
		t.Errorf("got languages %v, want 1 ar and 4 en", langs)
	}
	if d004.Title != "Algeria, Russia to cooperate on security matters" {
		t.Errorf("004 title: got %q", d004.Title)
	}
	if d004.Published == nil || d004.Published.Format("2006-01-02") != "2023-02-27" {
		t.Errorf("004 published: got %v, want 2023-02-27", d004.Published)
	}
	if d004.Outlet != "Al Mayadeen English" {
		t.Errorf("004 outlet: got %q", d004.Outlet)
	}
	text := mustRun(t, db, "show", d004.ID, "--text")
	flat := strings.Join(strings.Fields(text), " ")
	// Article paragraphs, found in the page by a few words of each (the test reads the corpus
	// rather than quoting it) and wanted whole in the clean text.
	raw, err := os.ReadFile(filepath.Join(corpus, "004_57e6a3cc839eb422.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"official meeting in Algiers", "on a regular basis", "official application to join", "abstained from voting"} {
		para := ""
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.Contains(line, key) {
				para = strings.Join(strings.Fields(line), " ")
				break
			}
		}
		if para == "" {
			t.Fatalf("004 has no line with %q: has the corpus changed?", key)
		}
		if !strings.Contains(flat, para) {
			t.Errorf("004 text lacks the paragraph with %q: %q", key, para)
		}
	}
	// Menus, ticker, related links, "Read more" lines and the "Most Read" block must be gone.
	for _, junk := range []string{
		"Arts&Culture", "Infographs", "BREAKING", "Maduro", "Herzog", "Read more:", "Related News",
		"Rubio says US", "Most Read", "Yemen busts", "Mamdani", "Privacy Policy", "All Rights Reserved",
		"Read Next", "Digital Series",
	} {
		if strings.Contains(text, junk) {
			t.Errorf("004 text keeps page furniture %q", junk)
		}
	}
	// Re-running is idempotent.
	if out := mustRun(t, db, "ingest", corpus); !strings.HasPrefix(out, "0 added, 0 updated") && !strings.HasPrefix(out, "0 added, 5 duplicate") {
		t.Errorf("second ingest: got %q, want 0 added, 5 duplicate", out)
	}
	// Arabic-aware search finds the Arabic article from a clitic-prefixed, hamza-less query.
	var hits []docJSON
	if err := json.Unmarshal([]byte(mustRun(t, db, "search", "--json", "وايران")), &hits); err != nil || len(hits) != 1 || hits[0].Lang != "ar" {
		t.Errorf("search وايران: got %+v (%v), want the Arabic article", hits, err)
	}
}

// TestExampleCorpus runs the demo corpus of the README: every format, a Windows-1256 page and a
// near duplicate.
func TestExampleCorpus(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	mustRun(t, db, "ingest", repoPath(t, "examples", "corpus"))
	docs := listDocs(t, db)
	if len(docs) != 7 {
		t.Fatalf("got %d documents, want 7", len(docs))
	}
	bySource := map[string]docJSON{}
	for _, d := range docs {
		bySource[filepath.Base(d.Source)] = d
	}
	cp := bySource["sahel-ar-cp1256.html"]
	if cp.Lang != "ar" || cp.Title != "المغرب والجزائر: توتر على الحدود" {
		t.Errorf("Windows-1256 page: got lang %q title %q", cp.Lang, cp.Title)
	}
	a, b := bySource["wire-en.txt"], bySource["wire-en-republished.txt"]
	if a.DupGroup == "" || a.DupGroup != b.DupGroup {
		t.Errorf("republished story not grouped: %q vs %q", a.DupGroup, b.DupGroup)
	}
	scrape := mustRun(t, db, "show", bySource["portal-scrape.txt"].ID, "--text")
	if strings.Contains(scrape, "Most Read") || strings.Contains(scrape, "Read more") || !strings.Contains(scrape, "joint patrols") {
		t.Errorf("scrape not cleaned:\n%s", scrape)
	}
	var view struct {
		Sentences []struct {
			Span struct{ Start, End int }
			Text string
		}
		Text string
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "show", "--json", bySource["tahlil-ar.txt"].ID)), &view); err != nil {
		t.Fatal(err)
	}
	if len(view.Sentences) < 4 {
		t.Errorf("got %d Arabic sentences, want at least 4", len(view.Sentences))
	}
	runes := []rune(view.Text)
	for _, s := range view.Sentences {
		if string(runes[s.Span.Start:s.Span.End]) != s.Text {
			t.Errorf("sentence span %v does not hold %q", s.Span, s.Text)
		}
	}
}

// TestBadInputNeverAbortsBatch feeds a batch of broken inputs next to good ones.
func TestBadInputNeverAbortsBatch(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.txt", []byte("A good article\n\nThe minister met the ambassador in the capital on Monday to discuss trade.\n"))
	write("empty.txt", nil)
	write("image.png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2}, 100)...))
	write("latin1.txt", []byte("Un article en fran\xe7ais\n\nLe minist\xe8re a publi\xe9 un communiqu\xe9 apr\xe8s la r\xe9union du conseil de s\xe9curit\xe9 \xe0 Alger.\n"))
	write("junk.bin", bytes.Repeat([]byte{0xff, 0x00, 0xfe, 0x01}, 200))
	big, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(50 << 20); err != nil { // 50 MB, sparse: never read whole
		t.Fatal(err)
	}
	big.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken<item><title>x</title>`)
	})
	mux.HandleFunc("/article", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1><p>Negotiators from both countries resumed talks on Tuesday in Geneva, officials said, after a pause of three months.</p><p>The next round is expected in the spring.</p></article></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	db := filepath.Join(t.TempDir(), "m.db")
	var sum struct {
		Added, Failed int
		Failures      []struct{ Source, Error string }
	}
	out, errs, code := run(t, db, "ingest", "--json", "--timeout", "300ms", dir, filepath.Join(dir, "missing.txt"),
		srv.URL+"/article", srv.URL+"/nope", srv.URL+"/slow", srv.URL+"/feed.xml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("summary: %v\n%s", err, out)
	}
	reasons := map[string]string{}
	for _, f := range sum.Failures {
		reasons[filepath.Base(f.Source)] = f.Error
	}
	for name, want := range map[string]string{
		"empty.txt":   "empty",
		"image.png":   "",
		"junk.bin":    "",
		"huge.txt":    "limit",
		"missing.txt": "no such file",
		"nope":        "404",
		"slow":        "",
		"feed.xml":    "",
	} {
		got, ok := reasons[name]
		if !ok {
			t.Errorf("%s: not reported as failed (failures: %v)", name, reasons)
		} else if !strings.Contains(got, want) {
			t.Errorf("%s: reason %q, want it to mention %q", name, got, want)
		}
	}
	if sum.Added != 3 {
		t.Errorf("got %d added (good.txt, latin1.txt, /article), want 3; failures %v", sum.Added, reasons)
	}
	docs := listDocs(t, db)
	for _, d := range docs {
		if strings.HasSuffix(d.Source, "latin1.txt") {
			text := mustRun(t, db, "show", d.ID, "--text")
			if !strings.Contains(text, "Le ministère a publié un communiqué") {
				t.Errorf("ISO-8859-1 text mangled: %q", text)
			}
		}
	}
	var failed []struct{ Source, Reason string }
	if err := json.Unmarshal([]byte(mustRun(t, db, "docs", "--failed", "--json")), &failed); err != nil || len(failed) != len(sum.Failures) {
		t.Errorf("docs --failed: got %d (%v), want %d", len(failed), err, len(sum.Failures))
	}
}

func TestCommandErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	tests := []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"show", "ffffffffffff"}, 1, "no document"},
		{[]string{"show", "ab"}, 1, "too short"},
		{[]string{"docs", "--bogus"}, 2, "unknown flag"},
		{[]string{"docs", "--since", "yesterday"}, 2, "want a date"},
		{[]string{"search", "--", "-iran"}, 1, "no word to look for"},
		{[]string{"ingest"}, 2, "requires at least 1 arg"},
		{[]string{"show"}, 2, "accepts 1 arg"},
	}
	for _, tt := range tests {
		out, errs, code := run(t, db, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.inStderr) {
			t.Errorf("mizan %v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, errs, tt.code, tt.inStderr)
		}
		if code != 0 && out != "" {
			t.Errorf("mizan %v: failed but printed on stdout: %q", tt.args, out)
		}
	}
}

// TestListingsAreJSON: every listing's --json prints one JSON value and nothing else, even empty.
func TestListingsAreJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	for _, args := range [][]string{{"docs", "--json"}, {"docs", "--failed", "--json"}, {"search", "--json", "nothing"}, {"version", "--json"}} {
		out := mustRun(t, db, args...)
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Errorf("mizan %v: not JSON: %v\n%s", args, err, out)
		}
	}
}
