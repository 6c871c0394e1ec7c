package ner

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDiag(t *testing.T) {
	lang := os.Getenv("NER_DIAG")
	if lang == "" {
		t.Skip()
	}
	dir := sharedData(t)
	p := map[string][2]string{"en": {"ner/en/wikiann/dev.txt", "wikiann"}, "fr": {"ner/fr/wikiann/dev.txt", "wikiann"}, "ar": {"ner/ar/anercorp-dev.txt", "anercorp"}}[lang]
	sents := readShared(t, dir, p[0], p[1])
	g, err := defaultGazetteer(lang)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("names", g.names, "nodes", len(g.nodes))
	var info []tokInfo
	var keys []string
	matches, exact, typeOK, goldN := 0, 0, 0, 0
	conf := map[string]int{}
	shown := 0
	for _, s := range sents {
		info = analyse(lang, s.Words, nil, info)
		keys = g.mark(info, keys)
		gold := labelSpans(s.Labels)
		goldN += len(gold)
		gm := map[[2]int]string{}
		for _, sp := range gold {
			gm[[2]int{sp.start, sp.end}] = sp.typ
		}
		for i := 0; i < len(info); i++ {
			if info[i].gaz.pos != 'B' && info[i].gaz.pos != 'S' {
				continue
			}
			j := i + 1
			for j < len(info) && (info[j].gaz.pos == 'I' || info[j].gaz.pos == 'E') {
				j++
			}
			matches++
			cls := gazSets[info[i].gaz.cls]
			ty, ok := gm[[2]int{i, j}]
			if ok {
				exact++
			} else {
				ty = "-"
				if shown < 400 && (os.Getenv("NER_SHOW") == "" || os.Getenv("NER_SHOW") == cls) {
					fmt.Printf("  miss %q %s %v\n", s.Words[i:j], cls, s.Labels[i:j])
					shown++
				}
			}
			conf[cls+" -> "+ty]++
		}
	}
	fmt.Println("gold", goldN, "matches", matches, "exact", exact, typeOK)
	for k, v := range conf {
		fmt.Println(k, v)
	}
}

func loadFile(tb testing.TB, path string) *Model {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	m, err := Load(f)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestZZCompare compares two models on dev spans the gazetteer matches.
func TestZZCompare(t *testing.T) {
	a, b := os.Getenv("NER_A"), os.Getenv("NER_B")
	if a == "" {
		t.Skip()
	}
	lang := os.Getenv("NER_DIAG")
	ma, mb := loadFile(t, a), loadFile(t, b)
	dir := sharedData(t)
	p := map[string][2]string{"en": {"ner/en/wikiann/dev.txt", "wikiann"}, "fr": {"ner/fr/wikiann/dev.txt", "wikiann"}, "ar": {"ner/ar/anercorp-dev.txt", "anercorp"}}[lang]
	sents := readShared(t, dir, p[0], p[1])
	g, _ := defaultGazetteer(lang)
	var info []tokInfo
	var keys []string
	type c struct{ inA, inB, n int }
	var in, out c
	for _, s := range sents {
		info = analyse(lang, s.Words, nil, info)
		keys = g.mark(info, keys)
		gold := labelSpans(s.Labels)
		pa := map[span]bool{}
		for _, sp := range labelSpans(ma.Tag(s.Tokens(), lang)) {
			pa[sp] = true
		}
		pb := map[span]bool{}
		for _, sp := range labelSpans(mb.Tag(s.Tokens(), lang)) {
			pb[sp] = true
		}
		for _, sp := range gold {
			touched := false
			for i := sp.start; i < sp.end; i++ {
				touched = touched || info[i].gaz.cls != 0
			}
			x := &out
			if touched {
				x = &in
			}
			x.n++
			if pa[sp] {
				x.inA++
			}
			if pb[sp] {
				x.inB++
			}
			if touched && !pb[sp] && os.Getenv("NER_SHOW") != "" {
				fmt.Printf("  %v %s A=%v B=%v\n", s.Words[sp.start:sp.end], sp.typ, pa[sp], pb[sp])
			}
		}
	}
	fmt.Printf("gold touched by gazetteer: %d, found by A %d, by B %d\n", in.n, in.inA, in.inB)
	fmt.Printf("gold untouched: %d, found by A %d, by B %d\n", out.n, out.inA, out.inB)
}
