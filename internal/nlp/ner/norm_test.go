package ner

import (
	"testing"
)

func TestArabicKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"أحمد", "احمد"},
		{"إبراهيم", "ابراهيم"},
		{"آسيا", "اسيا"},
		{"مُحَمَّد", "محمد"},
		{"مـــحمد", "محمد"},
		{"الجزائرية", "الجزايريه"},
		{"مصطفى", "مصطفي"},
		{"مؤتمر", "موتمر"},
		{"رئيس", "رييس"},
		{"Attaf", "attaf"},
	}
	for _, tt := range tests {
		if got := arabicKey(tt.in); got != tt.want {
			t.Errorf("arabicKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStripArabicClitics(t *testing.T) {
	tests := []struct{ in, clitics, stem string }{
		{"والامم", "وال", "امم"},
		{"للامم", "لل", "امم"},
		{"بالجزاير", "بال", "جزاير"},
		{"فالرييس", "فال", "رييس"},
		{"الجزاير", "ال", "جزاير"},
		{"وموسكو", "و", "موسكو"},
		{"بدمشق", "ب", "دمشق"}, // five letters: the preposition goes
		{"بغداد", "ب", "غداد"}, // a wrong guess the word feature corrects
		{"لبنان", "ل", "بنان"},
		{"كما", "", "كما"}, // too short to lose a letter
		{"وال", "و", "ال"}, // keeps two letters of stem
		{"ال", "", "ال"},
		{"", "", ""},
	}
	for _, tt := range tests {
		c, s := stripArabicClitics(tt.in)
		if c != tt.clitics || s != tt.stem {
			t.Errorf("stripArabicClitics(%q) = %q, %q; want %q, %q", tt.in, c, s, tt.clitics, tt.stem)
		}
	}
}

func TestFrenchElision(t *testing.T) {
	tests := []struct{ in, elision, stem string }{
		{"d'algérie", "d'", "algérie"},
		{"l'union", "l'", "union"},
		{"qu'il", "qu'", "il"},
		{"aujourd'hui", "", "aujourd'hui"},
		{"d'", "", "d'"},
		{"o'brien", "", "o'brien"},
		{"paris", "", "paris"},
	}
	for _, tt := range tests {
		e, s := frenchElision(tt.in)
		if e != tt.elision || s != tt.stem {
			t.Errorf("frenchElision(%q) = %q, %q; want %q, %q", tt.in, e, s, tt.elision, tt.stem)
		}
	}
}

func TestSurface(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Algeria’s", "Algeria's"},
		{"«", `"`},
		{"١٩٩٤", "1994"},
		{"لافروف\u200f", "لافروف"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := surface(tt.in); got != tt.want {
			t.Errorf("surface(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShapes(t *testing.T) {
	tests := []struct{ in, long, short, flags string }{
		{"Al-Sisi", "Xx-Xxxx", "Xx-Xx", "Co"},
		{"2024", "dddd", "d", "-d"},
		{"NATO", "XXXX", "X", "A"},
		{"iPhone", "xXxxxx", "xXx", "M"},
		{"army", "xxxx", "x", "L"},
		{"الجزائر", "aaaaaaa", "a", "N"},
		{",", ",", ",", "-o"},
	}
	for _, tt := range tests {
		long := shape(tt.in)
		if long != tt.long || shortShape(long) != tt.short || flags(tt.in) != tt.flags {
			t.Errorf("%q: got shape %q, short %q, flags %q; want %q, %q, %q",
				tt.in, long, shortShape(long), flags(tt.in), tt.long, tt.short, tt.flags)
		}
	}
}

func TestChunks(t *testing.T) {
	tests := []struct {
		words []string
		kind  string
		// chunk[i] is the [start,end) of word i's chunk, or {-1,-1}
		chunks [][2]int
	}{
		{
			[]string{"The", "University", "of", "Texas", "said", "so"},
			"text",
			[][2]int{{0, 4}, {0, 4}, {0, 4}, {0, 4}, {-1, -1}, {-1, -1}},
		},
		{
			[]string{"Sioux", "Falls", "Arena"},
			"title",
			[][2]int{{0, 3}, {0, 3}, {0, 3}},
		},
		{
			[]string{"of", "Algiers", "and"},
			"title",
			[][2]int{{-1, -1}, {1, 2}, {-1, -1}},
		},
		{
			[]string{"وزير", "الخارجية"},
			"caseless",
			[][2]int{{-1, -1}, {-1, -1}},
		},
	}
	for _, tt := range tests {
		toks := analyse("en", tt.words, nil, nil)
		if got := sentKind(toks); got != tt.kind {
			t.Errorf("sentKind(%q) = %q, want %q", tt.words, got, tt.kind)
		}
		for i, tk := range toks {
			if got := [2]int{tk.chunkStart, tk.chunkEnd}; got != tt.chunks[i] {
				t.Errorf("%q: word %d in chunk %v, want %v", tt.words, i, got, tt.chunks[i])
			}
		}
	}
}
