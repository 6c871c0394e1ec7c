package entity_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

// withSentences runs the sentence stage before st, as the pipeline does.
func withSentences(st nlp.Stage) nlp.Stage {
	return nlp.StageFunc{StageName: "sentence+entity", Fn: func(ctx context.Context, d *nlp.Doc) error {
		if err := (sentence.Stage{}).Process(ctx, d); err != nil {
			return err
		}
		return st.Process(ctx, d)
	}}
}

// TestEvaluate scores the full stage on the evaluation set written for the project. The
// thresholds sit just under what the stage reaches: testdata/eval was written together with the
// stage (its development set); testdata/eval/heldout was written afterwards and never used to
// tune it, so its scores are the ones to expect on new text.
func TestEvaluate(t *testing.T) {
	st := withSentences(fullStage(t))
	tests := []struct {
		dir  string
		want map[string]float64 // minimum F1 per row
	}{
		{"testdata/eval", map[string]float64{
			"detect/all": 0.97, "link/all": 0.97, "detect/en": 0.97, "detect/fr": 0.97, "detect/ar": 0.96,
			"detect/PERSON": 0.97, "detect/GPE": 0.97, "detect/ORG": 0.94, "detect/LOC": 0.95, "role/all": 0.95,
		}},
		{"testdata/eval/heldout", map[string]float64{
			"detect/all": 0.92, "link/all": 0.91, "detect/en": 0.90, "detect/fr": 0.90, "detect/ar": 0.90,
		}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.dir), func(t *testing.T) {
			rep, err := entity.Evaluate(st, tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("\n%s", rep)
			checkF1(t, rep, tt.want)
		})
	}
}

func checkF1(tb testing.TB, rep *evalkit.Report, want map[string]float64) {
	tb.Helper()
	for label, min := range want {
		c := rep.Row(label)
		if c.TP+c.FP+c.FN == 0 {
			tb.Errorf("%s: no row", label)
			continue
		}
		if got := c.F1(); got < min {
			tb.Errorf("%s: got F1 %.3f, want at least %.3f", label, got, min)
		}
	}
}

func TestReadEval(t *testing.T) {
	good := "# comment\n## doc a lang=en date=2024-03-01\n[Algeria|GPE|gpe/dz] and \\[x\\] [Leila Zaruki|PERSON|new:Leila Zaruki|byline].\n\nالجزائر [و|MISC|misc/x]\n"
	docs, err := entity.ReadEval(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(docs))
	}
	d := docs[0]
	wantText := "Algeria and [x] Leila Zaruki.\n\nالجزائر و"
	if d.Text != wantText || d.Lang != "en" || d.Published == nil || d.Published.Format("2006-01-02") != "2024-03-01" {
		t.Errorf("got %q %s %v, want %q en 2024-03-01", d.Text, d.Lang, d.Published, wantText)
	}
	doc := &mizan.Document{Text: d.Text}
	for _, g := range d.Gold {
		if got := doc.Slice(g.Span); got != g.Text {
			t.Errorf("mark %q: span %v holds %q", g.Text, g.Span, got)
		}
	}
	if g := d.Gold[1]; g.Role != mizan.RoleByline || g.EntityID() != "person/leila-zaruki" {
		t.Errorf("got %s %s, want byline person/leila-zaruki", g.Role, g.EntityID())
	}
	if len(d.Paragraphs) != 2 || d.Paragraphs[1].Span.Start != 31 {
		t.Errorf("got paragraphs %+v, want two, the second at character 31", d.Paragraphs)
	}

	bad := []struct{ name, in string }{
		{"text before a header", "Algeria\n"},
		{"bad header", "## doc\n"},
		{"no lang", "## doc a date=2024-01-01\n"},
		{"bad date", "## doc a lang=en date=2024-13-01\n"},
		{"unknown field", "## doc a lang=en x=y\n"},
		{"duplicate id", "## doc a lang=en\nx\n## doc a lang=en\n"},
		{"unclosed mark", "## doc a lang=en\n[Algeria|GPE|gpe/dz\n"},
		{"nested mark", "## doc a lang=en\n[[Algeria|GPE|gpe/dz]]\n"},
		{"stray bracket", "## doc a lang=en\nAlgeria]\n"},
		{"two fields", "## doc a lang=en\n[Algeria|GPE]\n"},
		{"unknown type", "## doc a lang=en\n[Algeria|STATE|gpe/dz]\n"},
		{"unknown role", "## doc a lang=en\n[Algeria|GPE|gpe/dz|actor]\n"},
		{"empty surface", "## doc a lang=en\n[|GPE|gpe/dz]\n"},
		{"empty new name", "## doc a lang=en\n[X|GPE|new:]\n"},
		{"trailing backslash", "## doc a lang=en\nAlgeria\\\n"},
		{"invalid UTF-8", "## doc a lang=en\nAlg\xffria\n"},
	}
	for _, tt := range bad {
		if _, err := entity.ReadEval(strings.NewReader(tt.in)); mizan.ErrorCode(err) != mizan.EINVALID {
			t.Errorf("%s: got %v, want an %s error", tt.name, err, mizan.EINVALID)
		}
	}
	if _, err := entity.ReadEvalDir(t.TempDir()); mizan.ErrorCode(err) != mizan.ENOTFOUND {
		t.Errorf("empty directory: got %v, want %s", err, mizan.ENOTFOUND)
	}
}

// TestEvalFiles checks every mark of the evaluation set against the text it covers.
func TestEvalFiles(t *testing.T) {
	for _, dir := range []string{"testdata/eval", "testdata/eval/heldout"} {
		docs, err := entity.ReadEvalDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		paragraphs := 0
		for _, d := range docs {
			paragraphs += len(d.Paragraphs)
			doc := &mizan.Document{Text: d.Text}
			for _, g := range d.Gold {
				if got := doc.Slice(g.Span); got != g.Text {
					t.Errorf("%s: mark %q: span %v holds %q", d.ID, g.Text, g.Span, got)
				}
			}
		}
		if dir == "testdata/eval" && paragraphs < 300 {
			t.Errorf("got %d paragraphs in the evaluation set, want at least 300", paragraphs)
		}
	}
}

func FuzzReadEval(f *testing.F) {
	files, _ := filepath.Glob("testdata/eval/*.txt")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("## doc a lang=en\n[a\\|b|PERSON|new:a b|credit] \\\\ x\n")
	f.Fuzz(func(t *testing.T, in string) {
		docs, err := entity.ReadEval(strings.NewReader(in))
		if err != nil {
			if mizan.ErrorCode(err) != mizan.EINVALID {
				t.Fatalf("got error %v, want an %s error", err, mizan.EINVALID)
			}
			return
		}
		for _, d := range docs {
			doc := &mizan.Document{Text: d.Text}
			for _, g := range d.Gold {
				if got := doc.Slice(g.Span); got != g.Text {
					t.Fatalf("mark %q: span %v holds %q", g.Text, g.Span, got)
				}
			}
		}
	})
}
