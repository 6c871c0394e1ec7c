package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

// seed adds every file matching the patterns to the fuzz corpus.
func seed(f *testing.F, patterns ...string) {
	f.Helper()
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// checkResult asserts what must hold for any input: a *mizan.Error or a result whose text is
// valid UTF-8 laid out in paragraphs.
func checkResult(t *testing.T, res *Result, err error) {
	t.Helper()
	if err != nil {
		if code := mizan.ErrorCode(err); code == mizan.EINTERNAL {
			t.Fatalf("got an internal error %v, want a *mizan.Error", err)
		}
		return
	}
	for name, s := range map[string]string{"text": res.Text, "title": res.Title, "outlet": res.Outlet, "published text": res.PublishedText} {
		if !utf8.ValidString(s) {
			t.Fatalf("%s is not valid UTF-8: %q", name, s)
		}
	}
	if strings.Contains(res.Text, "\n\n\n") {
		t.Fatalf("text has more than one blank line in a row: %q", res.Text)
	}
	if strings.TrimSpace(res.Text) == "" {
		t.Fatal("got an empty text and no error")
	}
	if res.Published != nil && res.Precision == "" {
		t.Fatalf("published %v without a precision", res.Published)
	}
}

func FuzzExtractHTML(f *testing.F) {
	seed(f, "testdata/eval/*.html", "testdata/charset/*.html")
	f.Add([]byte("<html><body><h1>T</h1><p>Un paragraphe.</p><table><tr><td>a</td><td>b</td></tr></table></body></html>"))
	f.Add([]byte("<p>\xff\xfe<br><br><br>© 2025</p>"))
	recoverPanics = false
	f.Fuzz(func(t *testing.T, raw []byte) {
		res, err := Extract(Input{Raw: raw, ContentType: "text/html"}, DefaultOptions())
		checkResult(t, res, err)
	})
}

func FuzzExtractText(f *testing.F) {
	seed(f, "testdata/eval/*.txt")
	f.Add([]byte("Title\n\n  • By Someone\n  • 1 Jan 2024 10:00\n\nBody text that ends.\n\nMost Read\n\nA headline"))
	f.Add([]byte("BREAKING\n\u200b\r\n\r\n\t• \n©"))
	recoverPanics = false
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, format := range []mizan.Format{"", mizan.FormatScrape} {
			o := DefaultOptions()
			o.Format = format
			res, err := Extract(Input{Raw: raw, ContentType: "text/plain"}, o)
			checkResult(t, res, err)
		}
	})
}

func FuzzDecode(f *testing.F) {
	seed(f, "testdata/charset/*")
	f.Add([]byte("\xFE\xFF\x00a\xD8\x00"))
	f.Add([]byte("caf\xE9 \xC7\xE1\xCC"))
	recoverPanics = false
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, html := range []bool{false, true} {
			d, err := decode(raw, "", html)
			if err != nil {
				if code := mizan.ErrorCode(err); code != mizan.EINVALID && code != mizan.EUNSUPPORTED {
					t.Fatalf("got error code %q (%v), want invalid or unsupported", code, err)
				}
				continue
			}
			if !utf8.ValidString(d.text) || strings.ContainsRune(d.text, '\r') || strings.ContainsRune(d.text, '\uFEFF') {
				t.Fatalf("decoded text is not clean UTF-8: %q", d.text)
			}
			if d.charset == "" {
				t.Fatal("no charset reported")
			}
		}
	})
}
