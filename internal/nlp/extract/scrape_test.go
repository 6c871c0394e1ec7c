package extract

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
)

// lineOf builds one analysed and classified line.
func lineOf(tb testing.TB, text string) line {
	tb.Helper()
	lines := splitLines(text)
	if len(lines) != 1 {
		tb.Fatalf("lineOf(%q): got %d lines, want 1", text, len(lines))
	}
	classify(lines)
	return lines[0]
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		text string
		want lineKind
	}{
		{"Most Read", kindHeader},
		{"Related News", kindHeader},
		{"Les plus lus", kindHeader},
		{"الأكثر قراءة", kindHeader},
		{"مقالات ذات صلة", kindHeader},
		{"BREAKING", kindBreaking},
		{"عاجل", kindBreaking},
		{"Comments", kindStop},
		{"التعليقات", kindStop},
		{"Read more: Algeria to build new port in Djen Djen", kindLeadIn},
		{"Lire aussi : Le Mali suspend deux licences", kindLeadIn},
		{"اقرأ أيضاً: الجزائر تطلق مناقصة جديدة", kindLeadIn},
		{"إقرأ أيضا: ارتفاع أسعار مواد البناء", kindLeadIn},
		{"© 2024 Red Sea Herald. All rights reserved.", kindLegal},
		{"جميع الحقوق محفوظة © 2025", kindLegal},
		{"Share", kindWidget},
		{"4 min read", kindWidget},
		{"3 دقائق قراءة", kindWidget},
		{"Source: Agencies", kindWidget},
		{"10:42", kindWidget},
		{"Home | World | Business | Sport", kindWidget},
		{"The minister at the signing ceremony in Rome. Photograph: Reuters", kindWidget},
		{"By Omar Farouk", kindByline},
		{"Par Aïssata Coulibaly", kindByline},
		{"بقلم: محمد عثمان", kindByline},
		{"27 Feb 2023 23:54", kindDate},
		// Prose that merely starts like furniture stays text.
		{"Related to this, the minister said talks would resume in May.", kindText},
		{"By the end of the year, the port will handle twice as many containers.", kindText},
		{"Most read newspapers in Algiers are printed in Arabic, the survey found.", kindText},
		{"The meeting took place on 5 March 2024 in the capital, officials said.", kindText},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := lineOf(t, tt.text).kind; got != tt.want {
				t.Errorf("got kind %d, want %d", got, tt.want)
			}
		})
	}
}

func TestClassifyBlocks(t *testing.T) {
	// A ticker straight under its header ends at the blank line; a spaced "Related" box runs
	// to the next paragraph of prose.
	text := strings.Join([]string{
		"BREAKING",
		"Minister resigns over port contract",
		"Storm closes airport in Oran",
		"",
		"Headline of the article",
		"",
		"The first paragraph of the article is long enough to read as prose, and it ends with a full stop.",
		"",
		"Related",
		"",
		"Another headline elsewhere",
		"",
		"The second paragraph of the article follows the box and also ends like a sentence should end.",
	}, "\n")
	lines := splitLines(text)
	classify(lines)
	var blocked []string
	for _, l := range lines {
		if l.block {
			blocked = append(blocked, l.text)
		}
	}
	want := []string{"Minister resigns over port contract", "Storm closes airport in Oran", "Another headline elsewhere"}
	if !reflect.DeepEqual(blocked, want) {
		t.Errorf("blocked lines: got %q, want %q", blocked, want)
	}
}

func TestScrapeScore(t *testing.T) {
	clean := "A title for the story\n\nThe first paragraph of a clean article has sentences, commas and a full stop.\n\nThe second one is just as plain, and nothing in it looks like a page menu at all."
	page := "Site Name\n  • Home\n  • World\n  • Business\n  • Sport\n  • Culture\nBREAKING\nSomething happened\n\nA title\n\nThe article body is here, with a sentence that ends properly.\n\nMost Read\n\nOne headline\n\nAnother headline\n\n© 2024 Site Name"
	for _, tt := range []struct {
		name   string
		text   string
		scrape bool
	}{{"clean", clean, false}, {"page copy", page, true}} {
		lines := splitLines(tt.text)
		classify(lines)
		if got := scrapeScore(lines) >= scrapeThreshold; got != tt.scrape {
			t.Errorf("%s: got scrape %v (score %d), want %v", tt.name, got, scrapeScore(lines), tt.scrape)
		}
	}
}

func TestMaxSegment(t *testing.T) {
	tests := []struct {
		scores     []float64
		start, end int
	}{
		{[]float64{-3, 4, 4, -1, 4, -3, -3}, 1, 5},
		{[]float64{-1, -2}, 0, 0},
		{[]float64{2, -5, 3}, 2, 3},
		{nil, 0, 0},
	}
	for _, tt := range tests {
		if s, e := maxSegment(tt.scores); s != tt.start || e != tt.end {
			t.Errorf("maxSegment(%v): got [%d,%d), want [%d,%d)", tt.scores, s, e, tt.start, tt.end)
		}
	}
}

func TestBylineName(t *testing.T) {
	tests := []struct {
		line, name string
		ok         bool
	}{
		{"By Omar Farouk", "Omar Farouk", true},
		{"By Al Mayadeen English", "Al Mayadeen English", true},
		{"Par Karim Hadj", "Karim Hadj", true},
		{"بقلم: محمد عثمان", "محمد عثمان", true},
		{"By Eleni Papadakis | 19 July 2023", "Eleni Papadakis", true},
		{"By the end of the year", "", false},
		{"By 2030, exports will double.", "", false},
		{"Written by a committee of experts who met for three days in Geneva last spring.", "", false},
	}
	for _, tt := range tests {
		name, ok := bylineName(tt.line)
		if name != tt.name || ok != tt.ok {
			t.Errorf("bylineName(%q): got %q, %v; want %q, %v", tt.line, name, ok, tt.name, tt.ok)
		}
	}
}

func TestSplitAuthors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Sarah Whitfield", []string{"Sarah Whitfield"}},
		{"Sarah Whitfield and Tom Reyes", []string{"Sarah Whitfield", "Tom Reyes"}},
		{"Claire Vasseur et Amadou Diallo", []string{"Claire Vasseur", "Amadou Diallo"}},
		{"A, B & C", []string{"A", "B", "C"}},
		{"وليد عمر", []string{"وليد عمر"}}, // "و" inside a name is not "and"
	}
	for _, tt := range tests {
		if got := splitAuthors(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitAuthors(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCopyrightName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"© 2024 Red Sea Herald. All rights reserved.", "Red Sea Herald"},
		{"© Agence Maghreb Presse 2023. Reproduction interdite.", "Agence Maghreb Presse"},
		{"Copyright © 2024 Anatolia Daily Wire", "Anatolia Daily Wire"},
		{"The weather will be fine tomorrow.", ""},
	}
	for _, tt := range tests {
		if got := copyrightName(tt.in); got != tt.want {
			t.Errorf("copyrightName(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScrapeExtraction(t *testing.T) {
	// A small page copy: menus, a ticker, a byline and date, an inline "Read more" link and a
	// "Most Read" box; the article must come out alone.
	page := strings.Join([]string{
		"Desert Courier",
		"  • Home",
		"  • Politics",
		"  • Economy",
		"  • Sport",
		"BREAKING",
		"Dust storm closes Tamanrasset airport",
		"Two ministers named in reshuffle",
		"",
		"Algeria opens tender for new desalination plants",
		"",
		"  • By Desert Courier",
		"  • 3 Jun 2024 10:15",
		"",
		"The water ministry launched a tender on Monday for five desalination plants along the western coast, officials said.",
		"",
		"Read more: Drought cuts cereal harvest by half",
		"",
		"Each plant will produce 300,000 cubic metres of water a day, according to the ministry, and the first should open in 2026.",
		"",
		"Most Read",
		"",
		"Two ministers named in reshuffle",
		"",
		"Desert Courier",
		"© 2024 Desert Courier",
	}, "\n")
	res, err := Extract(Input{Raw: []byte(page)}, DefaultOptions())
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	want := "Algeria opens tender for new desalination plants\n\n" +
		"The water ministry launched a tender on Monday for five desalination plants along the western coast, officials said.\n\n" +
		"Each plant will produce 300,000 cubic metres of water a day, according to the ministry, and the first should open in 2026."
	if res.Text != want {
		t.Errorf("text: got %q, want %q", res.Text, want)
	}
	if res.Format != mizan.FormatScrape {
		t.Errorf("format: got %s, want scrape", res.Format)
	}
	if res.Outlet != "Desert Courier" || len(res.Authors) != 0 {
		t.Errorf("outlet/authors: got %q/%q, want %q/none", res.Outlet, res.Authors, "Desert Courier")
	}
	if res.Published == nil || res.Published.Format("2006-01-02 15:04") != "2024-06-03 10:15" || res.Precision != mizan.PrecisionMinute {
		t.Errorf("published: got %v (%s), want 2024-06-03 10:15 (minute)", res.Published, res.Precision)
	}
	if !contains(res.Dropped, "Read more: Drought cuts cereal harvest by half") || !contains(res.Dropped, "Most Read") {
		t.Errorf("dropped: got %q, want the lead-in and the header among them", res.Dropped)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
