package extract

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
)

// corpusDir holds the project's real sample inputs (../shared/corpus from the repository
// root). They are third-party texts: the tests read them and assert facts about what comes
// out; none of their text is copied here.
const corpusDir = "../../../../shared/corpus"

func corpusFile(tb testing.TB, prefix string) (string, []byte) {
	tb.Helper()
	matches, _ := filepath.Glob(filepath.Join(corpusDir, prefix+"_*.txt"))
	if len(matches) != 1 {
		tb.Skipf("corpus file %s_*.txt not found in %s (the shared corpus is not checked out)", prefix, corpusDir)
	}
	return matches[0], readFile(tb, matches[0])
}

// TestCorpusCleanArticles: the four clean articles come through as text, whole.
func TestCorpusCleanArticles(t *testing.T) {
	for _, prefix := range []string{"000", "001", "002", "003"} {
		t.Run(prefix, func(t *testing.T) {
			path, raw := corpusFile(t, prefix)
			res, err := Extract(Input{Raw: raw, Source: path}, DefaultOptions())
			if err != nil {
				t.Fatalf("extract: %v", err)
			}
			if res.Format != mizan.FormatText {
				t.Errorf("format: got %s, want text", res.Format)
			}
			checkText(t, res.Text)
			text := wsNorm(res.Text)
			for i, l := range strings.Split(normalizeText(string(raw)), "\n") {
				if l = wsNorm(l); l != "" && !strings.Contains(text, l) {
					t.Errorf("line %d lost: %.60q", i+1, l)
				}
			}
		})
	}
}

// TestCorpusPageCopy: the browser copy of a news page (004) is reduced to its article.
func TestCorpusPageCopy(t *testing.T) {
	path, raw := corpusFile(t, "004")
	res, err := Extract(Input{Raw: raw, Source: path}, DefaultOptions())
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	checkText(t, res.Text)
	const title = "Algeria, Russia to cooperate on security matters"
	if res.Format != mizan.FormatScrape {
		t.Errorf("format: got %s, want scrape", res.Format)
	}
	if res.Title != title {
		t.Errorf("title: got %q, want %q", res.Title, title)
	}
	if res.Outlet != "Al Mayadeen English" {
		t.Errorf("outlet: got %q, want %q", res.Outlet, "Al Mayadeen English")
	}
	if res.Published == nil || res.Published.Format("2006-01-02") != "2023-02-27" || res.Precision != mizan.PrecisionMinute {
		t.Errorf("published: got %v (%s), want 2023-02-27 with minute precision", res.Published, res.Precision)
	}

	// What must go and what must stay, read from the page's own structure.
	lines := strings.Split(normalizeText(string(raw)), "\n")
	var furniture, body []string
	section := "menu"
	for _, l := range lines {
		s := strings.TrimSpace(l)
		switch {
		case s == "BREAKING":
			section = "ticker"
		case s == title && section == "ticker":
			section = "article"
		case s == "Related News":
			section = "related"
		case s == "Most Read":
			section = "after"
		}
		if s == "" {
			continue
		}
		bullet := strings.HasPrefix(s, "•")
		switch {
		case strings.TrimSpace(strings.TrimPrefix(s, "•")) == title:
		case section == "article" && !bullet && !strings.HasPrefix(l, " ") && len(s) >= 100 && !strings.HasPrefix(s, "Read more:"):
			body = append(body, s)
		case section == "related" && len(s) >= 100:
			section = "article"
			body = append(body, s)
		case section != "article" || bullet || strings.HasPrefix(s, "Read more:") || s == "Related News":
			furniture = append(furniture, strings.TrimSpace(strings.TrimPrefix(s, "•")))
		}
	}
	if len(body) < 8 {
		t.Fatalf("the test found %d body paragraphs in the page, want at least 8: has the file changed?", len(body))
	}
	paras := map[string]bool{}
	for _, p := range strings.Split(res.Text, "\n\n") {
		paras[p] = true
	}
	for _, b := range body {
		if !paras[collapseSpaces(b)] {
			t.Errorf("body paragraph missing: %.60q", b)
		}
	}
	for _, f := range furniture {
		if f != "" && f != "x" && paras[collapseSpaces(f)] {
			t.Errorf("furniture kept as a paragraph: %.60q", f)
		}
		if len(f) >= 20 && strings.Contains(res.Text, f) {
			t.Errorf("furniture kept inside the text: %.60q", f)
		}
	}
	if n := len(strings.Split(res.Text, "\n\n")); n != len(body)+1 {
		t.Errorf("paragraphs: got %d, want title + %d", n, len(body))
	}
}
