package timex_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp/timex"
)

// seeds reads testdata/seeds.txt: one "LANG<TAB>text" per line.
func seeds(tb testing.TB) [][2]string {
	tb.Helper()
	f, err := os.Open("testdata/seeds.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lang, text, ok := strings.Cut(sc.Text(), "\t")
		if ok && !strings.HasPrefix(lang, "#") {
			out = append(out, [2]string{lang, text})
		}
	}
	return out
}

var precisions = map[mizan.Precision]bool{mizan.PrecisionDay: true, mizan.PrecisionMonth: true,
	mizan.PrecisionSeason: true, mizan.PrecisionYear: true, mizan.PrecisionRange: true,
	mizan.PrecisionRelative: true, mizan.PrecisionUnknown: true}

// FuzzFind checks that any text gives expressions inside it, in order and without overlap,
// whose resolution is a valid period with a known precision, with or without a document date.
func FuzzFind(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s[0], s[1], true)
	}
	n := mustNormalizer(f)
	f.Fuzz(func(t *testing.T, lang, text string, dated bool) {
		if !utf8.ValidString(text) {
			return
		}
		ref := timex.Ref{}
		if dated {
			ref = feb27
		}
		last := 0
		for _, e := range n.Find(text, lang) {
			if e.Start < last || e.End <= e.Start || e.End > len(text) || text[e.Start:e.End] != e.Text {
				t.Fatalf("expression %q at [%d,%d) out of order or outside the text of %d bytes", e.Text, e.Start, e.End, len(text))
			}
			last = e.End
			r := e.Resolve(ref)
			if !precisions[r.Precision] {
				t.Fatalf("%q: precision %q", e.Text, r.Precision)
			}
			if (r.Start == nil) != (r.Precision == mizan.PrecisionRelative || r.Precision == mizan.PrecisionUnknown) {
				t.Fatalf("%q: start %v with precision %s", e.Text, r.Start, r.Precision)
			}
			if r.Start != nil && r.End != nil && !r.End.After(*r.Start) {
				t.Fatalf("%q: empty period %v–%v", e.Text, r.Start, r.End)
			}
		}
	})
}

func BenchmarkFind(b *testing.B) {
	n := mustNormalizer(b)
	ss := seeds(b)
	var bytes int64
	for _, s := range ss {
		bytes += int64(len(s[1]))
	}
	b.SetBytes(bytes)
	for b.Loop() {
		for _, s := range ss {
			for _, e := range n.Find(s[1], s[0]) {
				e.Resolve(feb27)
			}
		}
	}
}
