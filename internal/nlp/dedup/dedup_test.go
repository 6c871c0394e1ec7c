package dedup

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan/internal/textnorm"
)

// words returns n distinct words w0 … w(n-1) offset by start.
func words(start, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("w%d", start+i)
	}
	return out
}

// jaccard is the exact Jaccard similarity of two texts' 3-gram sets.
func jaccard(a, b string) float64 {
	set := func(s string) map[string]bool {
		toks := textnorm.Tokens(s)
		m := map[string]bool{}
		for i := 0; i+shingle <= len(toks); i++ {
			m[toks[i].Key+" "+toks[i+1].Key+" "+toks[i+2].Key] = true
		}
		return m
	}
	x, y := set(a), set(b)
	inter := 0
	for k := range x {
		if y[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(x)+len(y)-inter)
}

func TestSimilarityEstimatesJaccard(t *testing.T) {
	base := words(0, 400)
	tests := []struct {
		name string
		b    []string
	}{
		{"identical", base},
		{"10% replaced", append(append([]string{}, base[:360]...), words(1000, 40)...)},
		{"30% replaced", append(append([]string{}, base[:280]...), words(1000, 120)...)},
		{"half", append(append([]string{}, base[:200]...), words(1000, 200)...)},
		{"disjoint", words(5000, 400)},
	}
	for _, tt := range tests {
		a, b := strings.Join(base, " "), strings.Join(tt.b, " ")
		want := jaccard(a, b)
		got := Similarity(Signature(a), Signature(b))
		// Standard error of a 64-hash estimate is at most 1/(2·8) = 0.0625; allow three.
		if math.Abs(got-want) > 0.19 {
			t.Errorf("%s: estimated %.2f, exact %.2f", tt.name, got, want)
		}
	}
}

func TestNormalisationDoesNotCount(t *testing.T) {
	a := "Le général Saïd a rencontré le ministre à Alger et الجَزائرِ تبحث التعاون"
	b := "le general said a rencontre le ministre a alger et الجزائر تبحث التعاون"
	if s := Similarity(Signature(a), Signature(b)); s != 1 {
		t.Errorf("got similarity %.2f for texts differing only in case, accents and diacritics, want 1", s)
	}
}

func TestBandsFindSimilar(t *testing.T) {
	a := Signature(strings.Join(words(0, 300), " "))
	b := Signature(strings.Join(append(words(0, 285), words(900, 15)...), " "))
	ka, kb := BandKeys(a), BandKeys(b)
	shared := 0
	for i := range ka {
		if ka[i] == kb[i] {
			shared++
		}
	}
	if shared == 0 {
		t.Errorf("near-identical signatures share no band")
	}
	if !Near(a, b) {
		t.Errorf("got similarity %.2f, want near", Similarity(a, b))
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	sig := Signature("a short text of a few words")
	if got := Decode(Encode(sig)); fmt.Sprint(got) != fmt.Sprint(sig) {
		t.Errorf("got %v, want %v", got, sig)
	}
	if Signature("  ,. ") != nil {
		t.Error("a text without words has a signature")
	}
}

func BenchmarkSignature(b *testing.B) {
	text := strings.Repeat("The foreign ministers met in the capital to discuss security cooperation and trade. ", 80)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Signature(text)
	}
}
