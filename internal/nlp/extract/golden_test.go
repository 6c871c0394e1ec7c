package extract

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }

// render is the golden form of a result: metadata lines, the text, and what was dropped.
func render(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format: %s\ncharset: %s\ntitle: %s\noutlet: %s\nauthors: %s\n", res.Format, res.Charset, res.Title, res.Outlet, strings.Join(res.Authors, "; "))
	if res.Published != nil {
		fmt.Fprintf(&b, "published: %s (%s) from %q\n", res.Published.Format(time.RFC3339), res.Precision, res.PublishedText)
	} else {
		b.WriteString("published: none\n")
	}
	b.WriteString("---- text\n")
	b.WriteString(res.Text)
	b.WriteString("\n---- dropped\n")
	for _, d := range res.Dropped {
		b.WriteString(d + "\n")
	}
	return b.String()
}

// TestGolden compares the full result for every evaluation page with testdata/golden; run
// `go test -run TestGolden -update` after an intended change and review the diff.
func TestGolden(t *testing.T) {
	html, _ := filepath.Glob("testdata/eval/*.html")
	text, _ := filepath.Glob("testdata/eval/*.txt")
	o := DefaultOptions()
	o.Now = func() time.Time { return testNow }
	for _, in := range append(html, text...) {
		name := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))
		t.Run(name, func(t *testing.T) {
			res, err := Extract(Input{Raw: readFile(t, in), Source: in}, o)
			if err != nil {
				t.Fatalf("extract: %v", err)
			}
			got := render(res)
			golden := filepath.Join("testdata/golden", name+".golden")
			if *update {
				if err := writeFile(golden, got); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := string(readFile(t, golden))
			if got != want {
				t.Errorf("result differs from %s (run with -update to accept):\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}
