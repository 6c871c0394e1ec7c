package ner

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedData returns the shared data directory (../shared/data from the repository root, or
// $MIZAN_SHARED_DATA), skipping the test when it is absent.
func sharedData(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("MIZAN_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "ner")); err != nil {
		tb.Skipf("shared data not found at %s (set MIZAN_SHARED_DATA): %v", dir, err)
	}
	return dir
}

// testSplits are the held-out splits of the corpora the embedded models were trained on.
var testSplits = []struct {
	lang, path, format string
	// Floors just under the F1 (PER+ORG+LOC, exact span) measured for the embedded models: plain
	// decoding as Evaluate does, and under the news constraints as Entities decodes.
	minF1, minNewsF1 float64
}{
	{"ar", "ner/ar/anercorp-test.txt", "anercorp", 0.830, 0.830}, // measured 0.833, 0.833
	{"en", "ner/en/wikiann/test.txt", "wikiann", 0.790, 0.690},   // measured 0.792, 0.692
	{"fr", "ner/fr/wikiann/test.txt", "wikiann", 0.864, 0.784},   // measured 0.866, 0.786
}

func readShared(tb testing.TB, dir, path, format string) []Sentence {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, path))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sents, err := ReadCoNLL(f, format)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return sents
}

// TestEmbeddedModelOnTestSplits scores the embedded models on the test splits, which were never
// used for training or tuning.
func TestEmbeddedModelOnTestSplits(t *testing.T) {
	dir := sharedData(t)
	m := mustDefault(t)
	for _, ts := range testSplits {
		t.Run(ts.lang, func(t *testing.T) {
			sents := readShared(t, dir, ts.path, ts.format)
			for _, news := range []bool{false, true} {
				rep := evaluate(m, sents, ts.lang, news)
				t.Log("\n" + rep.String())
				floor := ts.minF1
				if news {
					floor = ts.minNewsF1
				}
				if got := rep.Row("all").F1(); got < floor {
					t.Errorf("news constraints %v: got F1 %.4f, want at least %.3f", news, got, floor)
				}
			}
		})
	}
}

// TestTokenizeAgreesWithTrainingData checks that Tokenize keeps the training corpora's tokens
// whole: the tagger must see at inference the units it learnt from. The rest are mostly
// Wikipedia markup glued to words ("”The", "*1987").
func TestTokenizeAgreesWithTrainingData(t *testing.T) {
	dir := sharedData(t)
	tests := []struct {
		path, format string
		min          float64 // measured: 0.9979, 0.9870, 0.9908
	}{
		{"ner/ar/anercorp-train.txt", "anercorp", 0.997},
		{"ner/en/wikiann/train.txt", "wikiann", 0.985},
		{"ner/fr/wikiann/train.txt", "wikiann", 0.99},
	}
	for _, tt := range tests {
		words, same := 0, 0
		for _, s := range readShared(t, dir, tt.path, tt.format) {
			for _, w := range s.Words {
				words++
				if toks := Tokenize(w); len(toks) == 1 && toks[0].Text == w {
					same++
				}
			}
		}
		if got := float64(same) / float64(words); got < tt.min {
			t.Errorf("%s: got %.4f of %d tokens kept whole, want at least %.3f", tt.path, got, words, tt.min)
		}
	}
}
