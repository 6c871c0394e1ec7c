package lang

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
)

var testDetector = sync.OnceValue(func() *Detector { return New(DefaultOptions()) })

func TestCountWords(t *testing.T) {
	d := testDetector()
	tests := []struct {
		text         string
		want         string
		best, second float64
	}{
		{"The minister said on Monday that the talks with the delegation were held in the capital.", "en", 9 + 1.0/3, 1.0 / 3}, // "in" is shared with de, it
		{"Le ministre a déclaré que les discussions avec la délégation se sont tenues dans la capitale.", "fr", 5, 1.5},        // la, que, se are shared with es (and la with it)
		{"Abdelmadjid Tebboune, Nikolai Patrushev, Said Chanegriha", "en", 1, 0},                                               // "said"
	}
	for _, tt := range tests {
		l, best, second := d.countWords(tt.text)
		if l != tt.want || math.Abs(best-tt.best) > 1e-9 || math.Abs(second-tt.second) > 1e-9 {
			t.Errorf("countWords(%q) = %q, %.2f, %.2f; want %q, %.2f, %.2f", tt.text, l, best, second, tt.want, tt.best, tt.second)
		}
	}
}

// A French paragraph quoted in an English article still gets its own language: the profile
// disagrees with the document's language, so the detector reads it.
func TestStageQuotedFrench(t *testing.T) {
	d := &nlp.Doc{Document: &mizan.Document{Text: "The foreign minister of Algeria met his counterpart in Paris on Monday, officials said.\n\n" +
		"« Nous avons discuté de la sécurité au Sahel et de la coopération entre nos deux pays », a déclaré le ministre.\n\n" +
		"The two sides agreed to meet again in the spring, according to a statement released by the ministry."}}
	if err := (Stage{D: testDetector()}).Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Paragraphs {
		got = append(got, p.Lang)
	}
	if strings.Join(got, ",") != "en,fr,en" || d.Lang != "en" {
		t.Errorf("got paragraphs %v, document %q; want en,fr,en and en", got, d.Lang)
	}
}

// The profile decides a document only when it is beyond doubt; otherwise the detector runs.
func TestConfident(t *testing.T) {
	d := testDetector()
	en := strings.Repeat("The minister said that the talks with the delegation were held in the capital and were useful. ", 3)
	if l, ok := d.confident(en); !ok || l != "en" {
		t.Errorf("confident(English) = %q, %v", l, ok)
	}
	mixed := "The minister said the talks were useful. Le ministre a dit que les discussions étaient utiles."
	if _, ok := d.confident(mixed); ok {
		t.Error("confident on a half-English, half-French text")
	}
	if _, ok := d.confident("Algeria Russia Iran talks"); ok {
		t.Error("confident on a headline")
	}
}
