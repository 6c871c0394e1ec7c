package ner

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// benchText returns a real article for lang from the shared corpus when it is there (read, never
// copied), else this package's own sample text repeated.
func benchText(tb testing.TB, lang string) string {
	tb.Helper()
	corpus := map[string]string{"en": "000_d77348892d3bc083.txt", "ar": "003_cfa21780ae9705ea.txt"}
	if name, ok := corpus[lang]; ok {
		if data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "corpus", name)); err == nil {
			return string(data)
		}
	}
	data, err := os.ReadFile(filepath.Join("testdata", "tokenize", lang+".txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Repeat(string(data), 20)
}

// BenchmarkEntities measures the pipeline entry point: tokenizing, tagging and decoding
// entities with confidences.
func BenchmarkEntities(b *testing.B) {
	m := mustDefault(b)
	for _, lang := range []string{"ar", "en", "fr"} {
		b.Run(lang, func(b *testing.B) {
			text := benchText(b, lang)
			toks := len(Tokenize(text))
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				m.Entities(text, lang)
			}
			b.ReportMetric(float64(toks*b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkTag measures Viterbi tagging of pre-tokenized sentences.
func BenchmarkTag(b *testing.B) {
	m := mustDefault(b)
	for _, lang := range []string{"ar", "en", "fr"} {
		b.Run(lang, func(b *testing.B) {
			var sents [][]Token
			n := 0
			for _, line := range strings.Split(benchText(b, lang), "\n") {
				if toks := Tokenize(line); len(toks) > 0 {
					sents = append(sents, toks[:min(len(toks), maxChunk)])
					n += min(len(toks), maxChunk)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range sents {
					m.Tag(s, lang)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

func BenchmarkTokenize(b *testing.B) {
	text := benchText(b, "en")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Tokenize(text)
	}
}

// BenchmarkLoad measures decoding the three embedded models (what Default does once) and the
// heap they hold.
func BenchmarkLoad(b *testing.B) {
	var heap uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, err := loadEmbedded()
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
		runtime.KeepAlive(m)
	}
	b.ReportMetric(float64(heap)/(1<<20), "MiB-heap")
}
