package entity_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
)

const dataDir = "../../../../shared/data"

// maxCoNLL bounds the sentences read from each test split, to keep the test short.
const maxCoNLL = 3000

// TestCoNLL runs the whole stage over the public NER test splits (ANERcorp for Arabic, WikiANN
// for English and French; test splits are for evaluation only) and scores its mentions against
// their PER/ORG/LOC annotations, next to the tagger alone. Mentions are compared on token
// boundaries (ANERcorp keeps proclitics in its spans, the stage does not); GPE, LOC and FAC count
// as LOC, GROUP as ORG. The "names" rows leave out the demonyms and role mentions that these
// corpora do not annotate ("Algerian", "the foreign minister"): they are what the stage adds on
// purpose, not errors. The assertion only guards against a collapse.
func TestCoNLL(t *testing.T) {
	sets := []struct{ lang, path, format string }{
		{"ar", "ner/ar/anercorp-test.txt", "anercorp"},
		{"en", "ner/en/wikiann/test.txt", "wikiann"},
		{"fr", "ner/fr/wikiann/test.txt", "wikiann"},
	}
	st := fullStage(t)
	m, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	rep := &evalkit.Report{Title: "entity stage on public NER test splits (token boundaries, PER+ORG+LOC)"}
	ran := 0
	for _, set := range sets {
		f, err := os.Open(filepath.Join(dataDir, set.path))
		if err != nil {
			t.Logf("%s: %v: skipped", set.lang, err)
			continue
		}
		sents, err := ner.ReadCoNLL(f, set.format)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(sents) > maxCoNLL {
			sents = sents[:maxCoNLL]
		}
		ran++
		all, names := scoreCoNLL(t, st, sents, set.lang)
		rep.Add(set.lang+" stage", all)
		rep.Add(set.lang+" stage names", names)
		rep.Add(set.lang+" tagger", ner.Evaluate(m, sents, set.lang).Row("all"))
		if names.F1() < 0.4 {
			t.Errorf("%s: got F1 %.3f for the stage's names, want at least 0.4", set.lang, names.F1())
		}
	}
	if ran == 0 {
		t.Skipf("public NER data absent (%s): skipping", dataDir)
	}
	rep.Notes = append(rep.Notes, "first "+itoa(maxCoNLL)+" sentences of each test split")
	t.Logf("\n%s", rep)
}

var conllType = map[mizan.EntityType]string{
	mizan.PERSON: "PER", mizan.ORG: "ORG", mizan.GROUP: "ORG", mizan.GPE: "LOC", mizan.LOC: "LOC", mizan.FAC: "LOC",
}

// scoreCoNLL runs the stage over sentences (one line each, in documents of 50) and counts
// exact token-range matches of the same type.
func scoreCoNLL(tb testing.TB, st interface {
	Analyze(*mizan.Document) ([]mizan.Mention, []mizan.Entity)
}, sents []ner.Sentence, lang string) (all, names evalkit.Counts) {
	tb.Helper()
	type span struct {
		a, b int // token range over the whole batch
		typ  string
	}
	for start := 0; start < len(sents); start += 50 {
		batch := sents[start:min(start+50, len(sents))]
		var b strings.Builder
		var tokStart, tokEnd []int // character offsets of each token
		gold := make(map[span]bool)
		pos := 0
		for si, s := range batch {
			if si > 0 {
				b.WriteByte('\n')
				pos++
			}
			base := len(tokStart)
			open, typ := -1, ""
			for i, w := range s.Words {
				if i > 0 {
					b.WriteByte(' ')
					pos++
				}
				tokStart = append(tokStart, pos)
				b.WriteString(w)
				pos += len([]rune(w))
				tokEnd = append(tokEnd, pos)
				l := s.Labels[i]
				if open >= 0 && (l == "O" || strings.HasPrefix(l, "B-") || l[2:] != typ) {
					gold[span{open, base + i, typ}] = true
					open = -1
				}
				if l != "O" && open < 0 && (typ == "" || true) {
					open, typ = base+i, l[2:]
				}
			}
			if open >= 0 {
				gold[span{open, base + len(s.Words), typ}] = true
			}
		}
		for k := range gold {
			if k.typ != "PER" && k.typ != "ORG" && k.typ != "LOC" {
				delete(gold, k)
			}
		}
		doc := &mizan.Document{Text: b.String(), Lang: lang}
		ms, _ := st.Analyze(doc)
		tokAt := func(c int) int {
			for i := range tokStart {
				if c >= tokStart[i] && c < tokEnd[i] {
					return i
				}
			}
			return -1
		}
		seen := make(map[span]bool)
		for _, m := range ms {
			typ, ok := conllType[m.Type]
			if !ok {
				continue
			}
			a, e := tokAt(m.Span.Start), tokAt(m.Span.End-1)
			if a < 0 || e < 0 {
				continue
			}
			k := span{a, e + 1, typ}
			if seen[k] {
				continue
			}
			seen[k] = true
			named := m.Form != mizan.FormDemonym && m.Form != mizan.FormRole
			if gold[k] {
				all.TP++
				names.TP++
			} else {
				all.FP++
				if named {
					names.FP++
				}
			}
		}
		for k := range gold {
			if !seen[k] {
				all.FN++
				names.FN++
			}
		}
	}
	return all, names
}

func itoa(n int) string {
	s := ""
	for n > 0 || s == "" {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
