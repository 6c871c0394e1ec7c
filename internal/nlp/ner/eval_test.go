package ner

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan/internal/evalkit"
)

func TestLabelSpans(t *testing.T) {
	tests := []struct {
		labels string
		want   []span
	}{
		{"O O", nil},
		{"B-PER I-PER O B-LOC", []span{{0, 2, "PER"}, {3, 4, "LOC"}}},
		{"B-ORG B-ORG I-ORG", []span{{0, 1, "ORG"}, {1, 3, "ORG"}}},
		{"I-LOC I-LOC", []span{{0, 2, "LOC"}}},                // IOB1 start
		{"B-PER I-LOC", []span{{0, 1, "PER"}, {1, 2, "LOC"}}}, // type change starts anew
		{"B-MISC X I-MISC", []span{{0, 1, "MISC"}, {2, 3, "MISC"}}},
	}
	for _, tt := range tests {
		if got := labelSpans(strings.Fields(tt.labels)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("labelSpans(%s) = %v, want %v", tt.labels, got, tt.want)
		}
	}
}

func TestCompareSpans(t *testing.T) {
	gold := labelSpans(strings.Fields("B-PER I-PER O B-LOC O B-ORG I-ORG"))
	pred := labelSpans(strings.Fields("B-PER I-PER O B-ORG O B-ORG O"))
	got := compareSpans(gold, pred)
	want := map[string]evalkit.Counts{
		"PER": {TP: 1},
		"LOC": {FN: 1},
		"ORG": {FP: 2, FN: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestEvaluate(t *testing.T) {
	sents := []Sentence{
		{Words: strings.Fields("Attaf met Lavrov in Moscow ."), Labels: strings.Fields("B-PER O B-PER O B-LOC O")},
		{Words: strings.Fields("the Hirak marched in Algiers ."), Labels: strings.Fields("O B-MISC O O B-LOC O")},
		{Words: strings.Fields("Sonatrach and Eni signed ."), Labels: strings.Fields("B-ORG O B-ORG O O")},
	}
	opt := smallOptions()
	opt.Epochs = 10
	m, err := Train("en", sents, opt)
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(m, sents, "en")
	want := map[string]evalkit.Counts{
		"PER":  {TP: 2},
		"LOC":  {TP: 2},
		"ORG":  {TP: 2},
		"MISC": {TP: 1},
		"all":  {TP: 6}, // MISC is not in "all"
	}
	for label, c := range want {
		if got := rep.Row(label); got != c {
			t.Errorf("row %s: got %+v, want %+v\n%s", label, got, c, rep)
		}
	}
	if last := rep.Rows[len(rep.Rows)-1].Label; last != "all" {
		t.Errorf("got last row %q, want all", last)
	}
}
