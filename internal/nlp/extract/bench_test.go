package extract

import (
	"os"
	"testing"
)

func benchExtract(b *testing.B, path string, o Options) {
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(Input{Raw: raw, Source: path}, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractHTML measures a typical 10 KB news page (navigation, sidebar, footer).
func BenchmarkExtractHTML(b *testing.B) {
	benchExtract(b, "testdata/eval/h01_newsroom_en.html", DefaultOptions())
}

// BenchmarkExtractHTMLFallback is the same page with trafilatura's fallback extractors.
func BenchmarkExtractHTMLFallback(b *testing.B) {
	o := DefaultOptions()
	o.Fallback = true
	benchExtract(b, "testdata/eval/h01_newsroom_en.html", o)
}

// BenchmarkExtractHTMLArabic measures an Arabic page.
func BenchmarkExtractHTMLArabic(b *testing.B) {
	benchExtract(b, "testdata/eval/h15_newsroom_ar.html", DefaultOptions())
}

// BenchmarkExtractScrape measures a typical browser copy of a news page.
func BenchmarkExtractScrape(b *testing.B) {
	benchExtract(b, "testdata/eval/s01_en.txt", DefaultOptions())
}

// BenchmarkExtractText measures a clean plain-text article.
func BenchmarkExtractText(b *testing.B) {
	benchExtract(b, "testdata/eval/t01_en.txt", DefaultOptions())
}
