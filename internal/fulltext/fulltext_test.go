package fulltext

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

func TestParse(t *testing.T) {
	tests := []struct {
		q, fts, ts string
	}{
		{"Algeria", `"algeria"`, `'algeria'`},
		{"Algérie RUSSIA", `"algerie" AND "russia"`, `'algerie' & 'russia'`},
		{`"security council" Moscow`, `"security council" AND "moscow"`, `('security' <-> 'council') & 'moscow'`},
		{"iran OR russia algeria", `("iran" OR "russia") AND "algeria"`, `('iran' | 'russia') & 'algeria'`},
		{"algeria -iran", `"algeria" NOT "iran"`, `'algeria' & !('iran')`},
		{"al-Sharq", `"al sharq"`, `('al' <-> 'sharq')`},
		{"والجزائر", `"جزاير"`, `'جزاير'`},
		{`"الجزائر" OR "إيران"`, `("جزاير" OR "ايران")`, `('جزاير' | 'ايران')`},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.q, err)
			continue
		}
		if got := q.FTS5(); got != tt.fts {
			t.Errorf("Parse(%q).FTS5() = %s, want %s", tt.q, got, tt.fts)
		}
		if got := q.TSQuery(); got != tt.ts {
			t.Errorf("Parse(%q).TSQuery() = %s, want %s", tt.q, got, tt.ts)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, q := range []string{"", "   ", "-iran", `"`, "OR", "!!! ...", `-"a b"`} {
		if _, err := Parse(q); !errors.Is(err, mizan.ErrInvalid) {
			t.Errorf("Parse(%q) error = %v, want invalid", q, err)
		}
	}
}

func TestCut(t *testing.T) {
	text := "Intro paragraph about nothing in particular.\n\n" +
		"The foreign minister met his counterpart. Later, in Algiers, the minister signed a deal with the Iranian delegation.\n\n" +
		"وعُقد الاجتماعُ بالجزائرِ يوم الثلاثاء."
	tests := []struct {
		q    string
		want []string // highlighted words
	}{
		{"minister", []string{"minister", "minister"}},
		{"algiers minister", []string{"minister", "Algiers", "minister"}},
		{`"signed a deal"`, []string{"signed a deal"}},
		{"الجزائر", []string{"بالجزائرِ"}},
		{"اجتماع", []string{"الاجتماعُ"}},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		sn := q.Cut(text, 24)
		if got := []rune(text)[sn.Span.Start:sn.Span.End]; string(got) != sn.Text {
			t.Errorf("%q: span %v does not cover the snippet %q", tt.q, sn.Span, sn.Text)
		}
		var got []string
		for _, h := range sn.Highlights {
			got = append(got, string([]rune(sn.Text)[h.Start:h.End]))
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Cut(%q) highlights = %q, want %q (snippet %q)", tt.q, got, tt.want, sn.Text)
		}
	}
}

func TestCutNoMatchStartsAtTop(t *testing.T) {
	q, _ := Parse("absent")
	sn := q.Cut("First words of the text. Second sentence.", 4)
	if sn.Text != "First words of the" || len(sn.Highlights) != 0 {
		t.Errorf("got %q %v", sn.Text, sn.Highlights)
	}
}

// FuzzParse: a query is untrusted input typed by a user or sent to the API. Whatever it is,
// Parse either rejects it as invalid or yields expressions made only of quoted keys, so nothing
// a user types can inject FTS5 or tsquery syntax.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"algeria", `"a b" OR c -d`, "الجزائر OR إيران", `"unterminated`, "- OR OR -", "NEAR(a b)", "a*", "col:val", "'; DROP", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			if !errors.Is(err, mizan.ErrInvalid) {
				t.Fatalf("Parse(%q): error %v is not invalid", s, err)
			}
			return
		}
		fts := q.FTS5()
		for _, c := range q.Clauses {
			for _, a := range c.Alts {
				for _, k := range a.Keys {
					if k == "" || strings.ContainsAny(k, `"'*:()^ `) || !utf8.ValidString(k) {
						t.Fatalf("Parse(%q): unsafe key %q in %s", s, k, fts)
					}
				}
			}
		}
		sn := q.Cut(s, 8)
		if !utf8.ValidString(sn.Text) && utf8.ValidString(s) {
			t.Fatalf("Cut(%q) made invalid UTF-8", s)
		}
	})
}
