package admiralty_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
)

func origin(flags string, r admiralty.Reliability) admiralty.Origin {
	return admiralty.Origin{Label: "doc", Reports: 1, Reliability: r, Hedged: strings.Contains(flags, "h"),
		Anonymous: strings.Contains(flags, "a"), Speculative: strings.Contains(flags, "s")}
}

func TestAssess(t *testing.T) {
	plain, hedged, anon, spec := origin("", admiralty.F), origin("h", admiralty.F), origin("a", admiralty.F), origin("s", admiralty.F)
	copied := origin("ha", admiralty.F)
	copied.Reports, copied.Label, copied.Why = 2, "d1 (en) + d2 (ar)", []string{"likely translated"}
	tests := []struct {
		name        string
		in          admiralty.Input
		want        admiralty.Credibility
		reasonMatch string
	}{
		{"nothing", admiralty.Input{}, admiralty.CannotBeJudge, "no report"},
		{"two plain independent", admiralty.Input{Support: []admiralty.Origin{plain, hedged}}, admiralty.Confirmed, "corroborated by 2"},
		{"two weak independent", admiralty.Input{Support: []admiralty.Origin{hedged, anon}}, admiralty.ProbablyTrue, "2 of 2 origins"},
		{"corroborated but contradicted", admiralty.Input{Support: []admiralty.Origin{plain, plain}, Contradict: []admiralty.Origin{plain}}, admiralty.PossiblyTrue, "contradicted by 1"},
		{"contradicted as much as supported", admiralty.Input{Support: []admiralty.Origin{plain}, Contradict: []admiralty.Origin{plain},
			Contradictions: []string{"one report says it did not happen"}}, admiralty.Improbable, "did not happen"},
		{"single plain from a reliable outlet", admiralty.Input{Support: []admiralty.Origin{origin("", admiralty.B)}}, admiralty.ProbablyTrue, "rated B"},
		{"single plain", admiralty.Input{Support: []admiralty.Origin{plain}}, admiralty.PossiblyTrue, "on the record"},
		{"single hedged", admiralty.Input{Support: []admiralty.Origin{hedged}}, admiralty.Doubtful, "hedged"},
		{"single anonymous", admiralty.Input{Support: []admiralty.Origin{anon}}, admiralty.Doubtful, "no named source"},
		{"single speculation", admiralty.Input{Support: []admiralty.Origin{spec}}, admiralty.CannotBeJudge, "speculation"},
		// Repetition is not corroboration: two reports of one origin grade as one.
		{"one origin, two reports", admiralty.Input{Support: []admiralty.Origin{copied}}, admiralty.Doubtful, "counted once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := admiralty.Assess(tt.in)
			if got != tt.want {
				t.Errorf("got %d (%s), want %d (%s); reasons %q", got, got.Meaning(), tt.want, tt.want.Meaning(), why)
			}
			if !strings.Contains(strings.Join(why, "; "), tt.reasonMatch) {
				t.Errorf("got reasons %q, want one mentioning %q", why, tt.reasonMatch)
			}
		})
	}
}

func TestTable(t *testing.T) {
	tab, err := admiralty.LoadFile(filepath.Join("testdata", "reliability.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		outlet, source string
		want           admiralty.Reliability
		by             string
	}{
		{"Sahel Wire", "", admiralty.B, "Sahel Wire"},
		{"the sahel wire", "", admiralty.B, "Sahel Wire"},
		{"وكالة الساحل", "", admiralty.B, "Sahel Wire"},
		{"", "https://news.sahelwire.example/2024/story", admiralty.B, "Sahel Wire"},
		{"", "https://maghreb-courier.example/a", admiralty.D, "Maghreb Courier"},
		{"Unknown Daily", "/tmp/file.txt", admiralty.F, ""},
		{"", "", admiralty.F, ""},
	}
	for _, tt := range tests {
		got, by := tab.Grade(tt.outlet, tt.source)
		if got != tt.want || by != tt.by {
			t.Errorf("Grade(%q, %q): got %s by %q, want %s by %q", tt.outlet, tt.source, got, by, tt.want, tt.by)
		}
	}
	var nilTable *admiralty.Table
	if got, _ := nilTable.Grade("Sahel Wire", ""); got != admiralty.F {
		t.Errorf("got %s from no table, want F", got)
	}
	// The template keeps the grades given and lists the corpus's other outlets at the default.
	var buf bytes.Buffer
	if err := tab.WriteTemplate(&buf, []string{"Unknown Daily", "Sahel Wire", ""}); err != nil {
		t.Fatal(err)
	}
	back, err := admiralty.Load(&buf)
	if err != nil {
		t.Fatalf("the template does not load: %v\n%s", err, buf.String())
	}
	if g, _ := back.Grade("Unknown Daily", ""); g != admiralty.F || len(back.Entries) != 3 {
		t.Errorf("got %d entries, Unknown Daily %s; want 3 and F", len(back.Entries), g)
	}
	if g, _ := back.Grade("Sahel Wire", ""); g != admiralty.B {
		t.Errorf("got Sahel Wire %s after the round trip, want B", g)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, yaml, code string
	}{
		{"bad grade", "outlets:\n  - {name: X, grade: G}\n", mizan.EINVALID},
		{"no name", "outlets:\n  - {grade: A}\n", mizan.EINVALID},
		{"twice", "outlets:\n  - {name: X, grade: A}\n  - {name: x, grade: B}\n", mizan.EINVALID},
		{"unknown field", "outlet: []\n", mizan.EINVALID},
		{"bad default", "default: Z\n", mizan.EINVALID},
		{"not yaml", "{{{", mizan.EINVALID},
		{"too large", strings.Repeat("#", admiralty.MaxTableSize+1), mizan.ETOOLARGE},
	}
	for _, tt := range tests {
		_, err := admiralty.Load(strings.NewReader(tt.yaml))
		if got := mizan.ErrorCode(err); got != tt.code {
			t.Errorf("%s: got %v (%s), want %s", tt.name, err, got, tt.code)
		}
	}
	if _, err := admiralty.LoadFile(filepath.Join(t.TempDir(), "none.yaml")); mizan.ErrorCode(err) != mizan.ENOTFOUND {
		t.Errorf("got %v for a missing file, want ENOTFOUND", err)
	}
	if tab, err := admiralty.Load(strings.NewReader("")); err != nil || tab.Default != admiralty.F {
		t.Errorf("got %v, %v for an empty file, want an all-F table", tab, err)
	}
}

func FuzzLoad(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "reliability.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("default: c\noutlets: []\n")
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := admiralty.Load(strings.NewReader(s))
		if err != nil {
			if mizan.ErrorCode(err) == mizan.EINTERNAL {
				t.Fatalf("got an internal error for user input: %v", err)
			}
			return
		}
		for _, e := range tab.Entries {
			if g, _ := tab.Grade(e.Name, ""); g == "" {
				t.Fatalf("outlet %q has no grade", e.Name)
			}
		}
	})
}
