package ner

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the .golden files in testdata")

func tokenTexts(toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"possessive", "Algeria's army", []string{"Algeria", "'s", "army"}},
		{"typographic possessive", "Algeria’s army", []string{"Algeria", "’s", "army"}},
		{"negation", "They don't.", []string{"They", "do", "n't", "."}},
		{"acronym", "the U.S. and U.K.", []string{"the", "U.S.", "and", "U.K."}},
		{"initial and title", "Mr. J. Smith", []string{"Mr.", "J.", "Smith"}},
		{"lower-case no is not a title", "said no.", []string{"said", "no", "."}},
		{"sentence end", "in Algiers.", []string{"in", "Algiers", "."}},
		{"numbers", "3.5 million, 26,000 and 2014–15", []string{"3.5", "million", ",", "26,000", "and", "2014–15"}},
		{"dash between words splits", "army–navy", []string{"army", "–", "navy"}},
		{"hyphenated name", "al-Sisi and Addis-Abeba", []string{"al-Sisi", "and", "Addis-Abeba"}},
		{"french elision stays", "d'Algérie et l’Union", []string{"d'Algérie", "et", "l’Union"}},
		{"clitic standing apart", "Algeria 's", []string{"Algeria", "'s"}},
		{"quotes", `"No," he said`, []string{`"`, "No", ",", `"`, "he", "said"}},
		{"guillemets", "« Non »", []string{"«", "Non", "»"}},
		{"ellipsis run", "wait...", []string{"wait", "..."}},
		{"arabic proclitics stay", "والأمم المتحدة بدمشق", []string{"والأمم", "المتحدة", "بدمشق"}},
		{"arabic punctuation", "موسكو، ليبيا؟", []string{"موسكو", "،", "ليبيا", "؟"}},
		{"rlm separates", "لافروف\u200fفي", []string{"لافروف", "في"}},
		{"diacritics and tatweel kept", "مُحمّـد", []string{"مُحمّـد"}},
		{"empty", "", []string{}},
		{"only spaces", " \n\t ", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks := Tokenize(tt.text)
			checkTokens(t, tt.text, toks)
			if got := tokenTexts(toks); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// checkTokens verifies the invariants every tokenization keeps: tokens in order, inside the
// text, equal to their slice, free of spaces and format characters, and covering everything
// else.
func checkTokens(tb testing.TB, text string, toks []Token) {
	tb.Helper()
	prev := 0
	for i, tk := range toks {
		if tk.Start < prev || tk.End <= tk.Start || tk.End > len(text) {
			tb.Fatalf("token %d %q at [%d,%d): out of order or bounds (previous end %d, text %d bytes)", i, tk.Text, tk.Start, tk.End, prev, len(text))
		}
		if text[tk.Start:tk.End] != tk.Text {
			tb.Fatalf("token %d: got text %q, want the slice %q", i, tk.Text, text[tk.Start:tk.End])
		}
		for _, r := range text[prev:tk.Start] {
			if !unicode.IsSpace(r) && !isFormat(r) {
				tb.Fatalf("rune %q before token %d is in no token", r, i)
			}
		}
		if strings.ContainsFunc(tk.Text, func(r rune) bool { return unicode.IsSpace(r) || isFormat(r) }) {
			tb.Fatalf("token %d %q holds a space or format character", i, tk.Text)
		}
		prev = tk.End
	}
	for _, r := range text[prev:] {
		if !unicode.IsSpace(r) && !isFormat(r) {
			tb.Fatalf("trailing rune %q is in no token", r)
		}
	}
}

// TestTokenizeGolden tokenizes one sample text per language; rewrite the goldens with
// go test -run TestTokenizeGolden -update.
func TestTokenizeGolden(t *testing.T) {
	for _, lang := range []string{"ar", "en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			in := filepath.Join("testdata", "tokenize", lang+".txt")
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			toks := Tokenize(string(data))
			checkTokens(t, string(data), toks)
			for _, tk := range toks {
				fmt.Fprintf(&b, "%d\t%d\t%s\n", tk.Start, tk.End, tk.Text)
			}
			golden := in[:len(in)-len(".txt")] + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("tokens of %s differ from %s:\ngot:\n%s\nwant:\n%s", in, golden, got, want)
			}
		})
	}
}

func FuzzTokenize(f *testing.F) {
	for _, lang := range []string{"ar", "en", "fr"} {
		data, err := os.ReadFile(filepath.Join("testdata", "tokenize", lang+".txt"))
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f.Add(line)
		}
	}
	f.Add("U.S.\u200f's '’ --- \xff\xfe 1,2.3–4 d'")
	f.Fuzz(func(t *testing.T, text string) {
		toks := Tokenize(text)
		checkTokens(t, text, toks)
		if utf8.ValidString(text) {
			for _, tk := range toks {
				if !utf8.ValidString(tk.Text) {
					t.Fatalf("token %q of valid text is not valid UTF-8", tk.Text)
				}
			}
		}
	})
}
