package extract

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
)

func TestExtractErrors(t *testing.T) {
	big := DefaultOptions()
	big.MaxBytes = 10
	tests := []struct {
		name    string
		in      Input
		o       Options
		code    string
		message string
	}{
		{"empty", Input{}, DefaultOptions(), mizan.EINVALID, "empty document"},
		{"whitespace", Input{Raw: []byte(" \n\t\r\n ")}, DefaultOptions(), mizan.EINVALID, "empty document"},
		{"BOM and blanks", Input{Raw: []byte("\xEF\xBB\xBF \n\u200b\n")}, DefaultOptions(), mizan.EINVALID, "empty document"},
		{"pdf", Input{Raw: []byte("%PDF-1.4\n1 0 obj")}, DefaultOptions(), mizan.EUNSUPPORTED, "binary file (looks like a PDF)"},
		{"docx", Input{Raw: []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00")}, DefaultOptions(), mizan.EUNSUPPORTED, "binary file (looks like a ZIP archive or Office document)"},
		{"png", Input{Raw: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}, DefaultOptions(), mizan.EUNSUPPORTED, "binary file (looks like a PNG image)"},
		{"NUL bytes", Input{Raw: []byte("some text\x00with a NUL byte in the middle of it")}, DefaultOptions(), mizan.EUNSUPPORTED, "binary file (contains NUL bytes)"},
		{"control characters", Input{Raw: []byte(strings.Repeat("\x01\x02\x03abc", 50))}, DefaultOptions(), mizan.EUNSUPPORTED, "binary file (50% control characters)"},
		{"served as an image", Input{Raw: []byte("GIF-ish but not quite"), ContentType: "image/gif"}, DefaultOptions(), mizan.EUNSUPPORTED, "binary file (served as image/gif)"},
		{"too large", Input{Raw: []byte("0123456789ABCDEF")}, big, mizan.ETOOLARGE, "document of 16 bytes is over the 10-byte limit"},
		{"undecodable UTF-16", Input{Raw: append([]byte("\xFE\xFF"), []byte(strings.Repeat("\xDC\x00", 30))...)}, DefaultOptions(), mizan.EINVALID, "cannot decode text as utf-16be: 30 invalid byte sequences in 30 characters"},
		{"markup without text", Input{Raw: []byte("<html><body><div></div></body></html>"), ContentType: "text/html"}, DefaultOptions(), mizan.EINVALID, "no article text found in the HTML page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract(tt.in, tt.o)
			if err == nil {
				t.Fatalf("got result %q, want error %q", res.Text, tt.message)
			}
			var me *mizan.Error
			if !errors.As(err, &me) {
				t.Fatalf("got error %T %v, want *mizan.Error", err, err)
			}
			if me.Code != tt.code || me.Message != tt.message {
				t.Errorf("got %s %q, want %s %q", me.Code, me.Message, tt.code, tt.message)
			}
		})
	}
}

func TestSniffFormat(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want mizan.Format
	}{
		{"content type html", Input{ContentType: "text/html; charset=utf-8", Raw: []byte("plain words")}, mizan.FormatHTML},
		{"content type text", Input{ContentType: "text/plain", Raw: []byte("<html><body>x</body></html>")}, ""},
		{"extension", Input{Source: "/tmp/page.HTM", Raw: []byte("words")}, mizan.FormatHTML},
		{"url path", Input{Source: "https://example.com/news/story.html?x=1", Raw: []byte("words")}, mizan.FormatHTML},
		{"txt file", Input{Source: "notes.txt", Raw: []byte("<p>not markup here</p>")}, ""},
		{"doctype", Input{Raw: []byte("\n  <!DOCTYPE html>\n<html>")}, mizan.FormatHTML},
		{"fragment", Input{Raw: []byte("<div><p>Hello</p><p>World</p></div>")}, mizan.FormatHTML},
		{"text with a bracket", Input{Raw: []byte("<- arrows are not markup")}, ""},
	}
	for _, tt := range tests {
		if got := sniffFormat(tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestExtractCleanText(t *testing.T) {
	raw := "Ministers meet in Algiers\n\nBy Leila Haddad\n\n5 March 2024\n\nThe ministers of the two countries met on Tuesday.\nThey agreed to meet again in June.\n\n\n\nA third paragraph follows after extra blank lines."
	res, err := Extract(Input{Raw: []byte(raw), Source: "story.txt"}, DefaultOptions())
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	want := "Ministers meet in Algiers\n\nThe ministers of the two countries met on Tuesday.\n\nThey agreed to meet again in June.\n\nA third paragraph follows after extra blank lines."
	if res.Text != want {
		t.Errorf("text: got %q, want %q", res.Text, want)
	}
	if res.Title != "Ministers meet in Algiers" || res.Format != mizan.FormatText || res.Charset != "utf-8" {
		t.Errorf("got title %q format %s charset %s, want the headline, text, utf-8", res.Title, res.Format, res.Charset)
	}
	if len(res.Authors) != 1 || res.Authors[0] != "Leila Haddad" {
		t.Errorf("authors: got %q, want [Leila Haddad]", res.Authors)
	}
	if res.Published == nil || !res.Published.Equal(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)) || res.Precision != mizan.PrecisionDay {
		t.Errorf("published: got %v %s, want 2024-03-05 day", res.Published, res.Precision)
	}
}

func TestParagraphsRejoinHardWraps(t *testing.T) {
	raw := strings.Join([]string{
		"The ministers of energy of the three countries met in Algiers on",
		"Monday for the second round of the dialogue launched last year, and",
		"agreed on a work programme.",
		"",
		"Short line.",
		"The next paragraph starts here and runs on to the end of the line so",
		"that it wraps once.",
	}, "\n")
	got := paragraphs(splitLines(raw))
	want := []string{
		"The ministers of energy of the three countries met in Algiers on Monday for the second round of the dialogue launched last year, and agreed on a work programme.",
		"Short line.",
		"The next paragraph starts here and runs on to the end of the line so that it wraps once.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestExtractHTMLMetadata(t *testing.T) {
	raw := readFile(t, "testdata/eval/h01_newsroom_en.html")
	res, err := Extract(Input{Raw: raw, ContentType: "text/html", Source: "https://maghrebmonitor.example/energy/deal"}, DefaultOptions())
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	if res.Outlet != "The Maghreb Monitor" {
		t.Errorf("outlet: got %q, want %q", res.Outlet, "The Maghreb Monitor")
	}
	if len(res.Authors) != 1 || res.Authors[0] != "Sarah Whitfield" {
		t.Errorf("authors: got %q, want [Sarah Whitfield]", res.Authors)
	}
	if res.Published == nil || res.Published.UTC().Format(time.RFC3339) != "2024-03-05T13:20:00Z" || res.Precision != mizan.PrecisionMinute {
		t.Errorf("published: got %v %s, want 2024-03-05T13:20:00Z minute", res.Published, res.Precision)
	}
	if !strings.HasPrefix(res.Text, res.Title+"\n\n") {
		t.Errorf("text does not start with the title paragraph: %.80q", res.Text)
	}
	for _, furniture := range []string{"Most read", "Read also", "Related articles", "Newsletter", "All rights reserved", "Copy link"} {
		if strings.Contains(res.Text, furniture) {
			t.Errorf("text contains page furniture %q", furniture)
		}
	}
}

// TestVisibleDateBeatsCopyright is the trap measured on a real Arabic page: no date in the
// metadata, a footer "© 2025", and the real date printed in Arabic under the headline.
func TestVisibleDateBeatsCopyright(t *testing.T) {
	raw := readFile(t, "testdata/eval/h16_rtl_ar.html")
	res, err := Extract(Input{Raw: raw}, DefaultOptions())
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	if res.Published == nil || res.Published.Format("2006-01-02 15:04") != "2024-03-12 14:30" {
		t.Fatalf("published: got %v, want 2024-03-12 14:30", res.Published)
	}
	if res.Precision != mizan.PrecisionMinute || !strings.Contains(res.PublishedText, "12 مارس 2024") {
		t.Errorf("got precision %s text %q, want minute from the visible date line", res.Precision, res.PublishedText)
	}
}

func TestExtractTextInvariants(t *testing.T) {
	inputs := []string{
		"Title\n\n\n\n\nBody line one.\n\n\n\nBody line two.\n",
		"  leading spaces  \n\t\ttabs\there\n",
		"<html><body><h1>Head</h1><p>One paragraph of the article with enough words to count.</p><br><br><br><p>Two.</p></body></html>",
	}
	for _, in := range inputs {
		res, err := Extract(Input{Raw: []byte(in)}, DefaultOptions())
		if err != nil {
			continue
		}
		checkText(t, res.Text)
	}
}

// checkText asserts the layout contract of Result.Text.
func checkText(tb testing.TB, text string) {
	tb.Helper()
	if strings.Contains(text, "\n\n\n") {
		tb.Errorf("text has more than one blank line in a row: %q", text)
	}
	for _, p := range strings.Split(text, "\n\n") {
		if p == "" || strings.TrimSpace(p) != p || strings.Contains(p, "\n") {
			tb.Errorf("paragraph %q is empty, padded or has a line break", p)
		}
	}
}

func TestStage(t *testing.T) {
	var s nlp.Stage = Stage{Options: DefaultOptions()}
	if s.Name() != "extract" {
		t.Errorf("name: got %q, want extract", s.Name())
	}
	d := &nlp.Doc{Document: &mizan.Document{
		Raw:        readFile(t, "testdata/eval/s04_ar.txt"),
		Source:     "s04_ar.txt",
		Title:      "from the feed",
		Sentences:  []mizan.Span{{Start: 0, End: 3}},
		Paragraphs: []mizan.Paragraph{{Span: mizan.Span{Start: 0, End: 3}}},
	}}
	if err := s.Process(context.Background(), d); err != nil {
		t.Fatalf("process: %v", err)
	}
	if d.Format != mizan.FormatScrape || d.Charset != "utf-8" || d.Title == "from the feed" || d.Outlet == "" {
		t.Errorf("got format %s charset %s title %q outlet %q", d.Format, d.Charset, d.Title, d.Outlet)
	}
	if !strings.HasPrefix(d.Text, d.Title+"\n\n") {
		t.Errorf("text does not start with the title: %.60q", d.Text)
	}
	if d.Published == nil || d.PublishedPrecision != mizan.PrecisionMinute || d.PublishedText == "" {
		t.Errorf("published: got %v %s %q, want a minute-precise date", d.Published, d.PublishedPrecision, d.PublishedText)
	}
	if d.Sentences != nil || d.Paragraphs != nil {
		t.Errorf("stale spans kept: %v %v", d.Sentences, d.Paragraphs)
	}

	empty := &nlp.Doc{Document: &mizan.Document{Raw: []byte("   ")}}
	if err := s.Process(context.Background(), empty); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("empty document: got %v, want EINVALID", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Process(ctx, d); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

func TestNormKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Most Read", "most read:"},
		{"اقرأ أيضاً", "إقرأ ايضا"},
		{"“Quoted”  title", "quoted title"},
		{"الأكثر قراءة", "الاكثر قراءه"},
	}
	for _, tt := range tests {
		if normKey(tt.a) != normKey(tt.b) {
			t.Errorf("normKey(%q) = %q, normKey(%q) = %q: want equal", tt.a, normKey(tt.a), tt.b, normKey(tt.b))
		}
	}
}

// TestConcurrentExtract runs the stage from several goroutines, as the pipeline does; run it
// with -race.
func TestConcurrentExtract(t *testing.T) {
	files := []string{"testdata/eval/h01_newsroom_en.html", "testdata/eval/h16_rtl_ar.html", "testdata/eval/s03_fr.txt", "testdata/eval/t01_en.txt"}
	want := make([]string, len(files))
	raws := make([][]byte, len(files))
	for i, f := range files {
		raws[i] = readFile(t, f)
		res, err := Extract(Input{Raw: raws[i], Source: f}, DefaultOptions())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		want[i] = res.Text
	}
	errs := make(chan error, 4*len(files))
	for range 4 {
		for i, f := range files {
			go func() {
				res, err := Extract(Input{Raw: raws[i], Source: f}, DefaultOptions())
				switch {
				case err != nil:
					errs <- err
				case res.Text != want[i]:
					errs <- errors.New(f + ": text differs between runs")
				default:
					errs <- nil
				}
			}()
		}
	}
	for range 4 * len(files) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
