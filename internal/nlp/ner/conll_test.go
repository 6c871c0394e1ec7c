package ner

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/mizan-osint/mizan"
)

// readFixture reads a CoNLL file of testdata.
func readFixture(tb testing.TB, name, format string) []Sentence {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sents, err := ReadCoNLL(f, format)
	if err != nil {
		tb.Fatalf("ReadCoNLL(%s): %v", name, err)
	}
	return sents
}

func TestReadCoNLLFixtures(t *testing.T) {
	tests := []struct {
		file, format string
		want         []Sentence
	}{
		{"mini.anercorp", "anercorp", []Sentence{
			{
				Words:  strings.Fields("التقى وزير الخارجية الجزائري أحمد عطاف بنظيره الروسي سيرغي لافروف في موسكو ."),
				Labels: strings.Fields("O O O O B-PER I-PER O O B-PER I-PER O B-LOC O"),
			},
			{
				// The line holding only an RLM mark is skipped, not a sentence break.
				Words:  strings.Fields("وأعلنت وزارة الدفاع الأمريكية أن القوات ستنسحب من العراق ."),
				Labels: strings.Fields("O B-ORG I-ORG I-ORG O O O O B-LOC O"),
			},
			{
				// The last line's tag is only an RLM mark: read as O.
				Words:  strings.Fields("وقال الرئيس عبد المجيد تبون إن الجزائر تدعم الاتحاد الأفريقي في أديس أبابا . وكالة\u200f2024"),
				Labels: strings.Fields("O O B-PER I-PER I-PER O B-LOC O B-ORG I-ORG O B-LOC I-LOC O O"),
			},
		}},
		{"mini.wikiann", "wikiann", []Sentence{
			{
				Words:  strings.Fields("Foreign Minister Sergei Lavrov met President Abdelmadjid Tebboune in Algiers ."),
				Labels: strings.Fields("O O B-PER I-PER O O B-PER I-PER O B-LOC O"),
			},
			{
				Words:  strings.Fields("The African Union condemned the attack near Gao ."),
				Labels: strings.Fields("O B-ORG I-ORG O O O O B-LOC O"),
			},
			{
				// Only the first "en:" is the language prefix.
				Words:  strings.Fields("'' Sonatrach '' ( en:http )"),
				Labels: strings.Fields("O B-ORG O O O O"),
			},
		}},
		{"mini.conll", "conll", []Sentence{
			{
				// IOB1: I- opens an entity; B- only separates two adjacent ones of one type.
				Words:  strings.Fields("Algeria signs a deal with Sonatrach , Eni Total and Shell ."),
				Labels: strings.Fields("B-LOC O O O O B-ORG O B-ORG B-ORG O B-ORG O"),
			},
			{
				Words:  strings.Fields("Lavrov visits Rabat"),
				Labels: strings.Fields("B-PER O B-LOC"),
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := readFixture(t, tt.file, tt.format)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadCoNLLErrors(t *testing.T) {
	tests := []struct {
		name, input, format, code string
	}{
		{"unknown format", "a O\n", "iob", mizan.EUNSUPPORTED},
		{"missing tag", "Algeria\n", "conll", mizan.EINVALID},
		{"bad tag", "Algeria LOCATION\n", "anercorp", mizan.EINVALID},
		{"lower-case type", "Algeria B-loc\n", "conll", mizan.EINVALID},
		{"no tab", "en:Algeria B-LOC\n", "wikiann", mizan.EINVALID},
		{"invalid utf-8", "Alg\xffria O\n", "conll", mizan.EINVALID},
		{"line too long", strings.Repeat("x", maxLineBytes+1) + " O\n", "conll", mizan.ETOOLARGE},
		{"sentence too long", strings.Repeat("x O\n", maxSentenceWords+1), "conll", mizan.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCoNLL(strings.NewReader(tt.input), tt.format)
			if got := mizan.ErrorCode(err); got != tt.code {
				t.Errorf("got error %v (code %q), want code %q", err, got, tt.code)
			}
		})
	}
}

func TestReadCoNLLReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ReadCoNLL(iotest.ErrReader(boom), "conll")
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want an error wrapping %v", err, boom)
	}
}

func TestReadCoNLLCRLFAndTypes(t *testing.T) {
	in := "Paris B-GPE\r\nis O\r\n\r\nRabat I-PERS\r\n"
	got, err := ReadCoNLL(strings.NewReader(in), "anercorp")
	if err != nil {
		t.Fatal(err)
	}
	want := []Sentence{
		{Words: []string{"Paris", "is"}, Labels: []string{"B-GPE", "O"}},
		{Words: []string{"Rabat"}, Labels: []string{"B-PER"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSentenceTokens(t *testing.T) {
	s := Sentence{Words: []string{"وزير", "الخارجية", "Attaf"}}
	text := strings.Join(s.Words, " ")
	for i, tk := range s.Tokens() {
		if got := text[tk.Start:tk.End]; got != s.Words[i] {
			t.Errorf("token %d: got %q, want %q", i, got, s.Words[i])
		}
	}
}

func FuzzReadCoNLL(f *testing.F) {
	for _, name := range []string{"mini.anercorp", "mini.wikiann", "mini.conll"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
		f.Add(data, uint8(1))
		f.Add(data, uint8(2))
	}
	f.Add([]byte("x I-A\ny I-B\nz B_A\n\u200f O\n"), uint8(0))
	formats := []string{"anercorp", "wikiann", "conll"}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		sents, err := ReadCoNLL(strings.NewReader(string(data)), formats[int(which)%len(formats)])
		if err != nil {
			var e *mizan.Error
			if !errors.As(err, &e) {
				t.Fatalf("got error %v of type %T, want a *mizan.Error", err, err)
			}
			return
		}
		for _, s := range sents {
			if len(s.Words) == 0 || len(s.Words) != len(s.Labels) {
				t.Fatalf("got %d words and %d labels, want as many, and some", len(s.Words), len(s.Labels))
			}
			prev := "O"
			for i, l := range s.Labels {
				if s.Words[i] == "" {
					t.Fatalf("got an empty word in %q", s.Words)
				}
				if l != "O" {
					if _, ok := parseTag(l); !ok || l[1] != '-' {
						t.Fatalf("got label %q, want IOB2", l)
					}
					if l[0] == 'I' && (prev == "O" || prev[2:] != l[2:]) {
						t.Fatalf("got %q after %q, want IOB2", l, prev)
					}
				}
				prev = l
			}
		}
	})
}
