package extract

import (
	"testing"
)

// Thresholds just under what the evaluation set reaches (see the report printed with -v), so
// that a regression fails the build.
const (
	minF1       = 0.98 // body paragraphs, every row (format, language, all)
	minTitleAcc = 0.95
	minDateAcc  = 0.95
)

func TestEvaluate(t *testing.T) {
	rep, results, err := evaluate("testdata/eval", DefaultOptions())
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	t.Logf("\n%s", rep)
	for _, row := range rep.Rows {
		if f1 := row.F1(); f1 < minF1 {
			t.Errorf("%s: got F1 %.3f, want at least %.2f", row.Label, f1, minF1)
		}
	}
	var html, scrape, titles, dates int
	for _, r := range results {
		switch r.format {
		case "html":
			html++
		case "scrape":
			scrape++
		}
		if r.titleOK {
			titles++
		}
		if r.dateOK {
			dates++
		}
		if r.err != nil {
			t.Errorf("%s: %v", r.name, r.err)
		}
	}
	if html < 20 || scrape < 10 {
		t.Errorf("got %d HTML and %d scrape cases, want at least 20 and 10", html, scrape)
	}
	if acc := float64(titles) / float64(len(results)); acc < minTitleAcc {
		t.Errorf("title accuracy: got %.3f, want at least %.2f", acc, minTitleAcc)
	}
	if acc := float64(dates) / float64(len(results)); acc < minDateAcc {
		t.Errorf("date accuracy: got %.3f, want at least %.2f", acc, minDateAcc)
	}
}

func TestEvaluateExported(t *testing.T) {
	rep, err := Evaluate("testdata/eval")
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if rep.Row("all").TP == 0 || rep.Rows[len(rep.Rows)-1].Label != "all" {
		t.Errorf("report: got rows %v, want counts with \"all\" last", rep.Rows)
	}
	if _, err := Evaluate(t.TempDir()); err == nil {
		t.Error("empty directory: got no error, want one")
	}
}

func TestLoadCaseErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := writeFile(dir+"/"+name, content); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "body")
	write("a.want", "title: T\ndate: 2024-13-01\nlang: en\nformat: text\n\nbody\n")
	if _, err := loadCase(dir + "/a.want"); err == nil {
		t.Error("bad date: got no error, want one")
	}
	write("b.want", "title: T\ndate: none\nlang: en\nformat: text\n\nbody\n")
	if _, err := loadCase(dir + "/b.want"); err == nil {
		t.Error("missing input: got no error, want one")
	}
}
