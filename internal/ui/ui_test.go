package ui_test

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/mizan-osint/mizan/internal/ui"
)

// TestFS checks the embedded files: an index page, and with the real UI its script and
// stylesheet, none of which loads anything from another origin.
func TestFS(t *testing.T) {
	files := []string{"index.html"}
	if ui.Built {
		files = append(files, "app.js", "style.css", "favicon.svg")
	}
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?(https?:)?//`)
	for _, name := range files {
		raw, err := fs.ReadFile(ui.FS(), name)
		if err != nil {
			t.Errorf("got %v, want %s embedded", err, name)
			continue
		}
		if name == "app.js" {
			continue // a bundle may mention URLs in strings; the CSP stops any request anyway
		}
		if m := external.Find(raw); m != nil {
			t.Errorf("%s: got %q, want no reference to another origin", name, m)
		}
	}
	if ui.Built {
		index, _ := fs.ReadFile(ui.FS(), "index.html")
		inline := regexp.MustCompile(`(?i)<script>|<style|\sstyle\s*=|\son[a-z]+\s*=`)
		if m := inline.Find(index); m != nil {
			t.Errorf("index.html: got %q, want no inline script, style or handler (the CSP forbids them)", m)
		}
	}
}
