package ner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
)

// Gazetteer features. The tagger reads, for every token, whether it starts, continues or ends a
// name of mizan's own knowledge base (internal/kb), and of what class: a person, an
// organisation, a place, a demonym ("Algerian", "جزائري") or a capital used for its state
// ("Algiers"). A tagger trained on 20,000 Wikipedia fragments has seen few of the states,
// agencies, armed groups and leaders the news is about; the KB names them in every language.
//
// Only the embedded default KB (kb.Default) is compiled, never a user's imports, so that the
// same text gets the same features wherever the model runs. Names are cut into tokens by
// Tokenize and each token is keyed by the model's own frozen normalisation (the stem that
// analyse computes, Latin diacritics folded), not by internal/textnorm, which may evolve: a
// change there must not move the model's features. The model file records a hash of what the
// gazetteer holds (Info.Gazetteer); a model loaded next to a KB whose names have changed still
// works, with a warning, as the features are only hints.

// Gazetteer classes, one bit each: a name can belong to entities of several classes ("Algiers":
// a city and the capital of Algeria).
const (
	gazPER uint8 = 1 << iota
	gazORG
	gazLOC
	gazDEM // a demonym of a state
	gazCAP // a capital standing for its state
)

const numGazClasses = 5

var gazClassNames = [numGazClasses]string{"PER", "ORG", "LOC", "DEM", "CAP"}

// gazClass maps a KB name to its gazetteer class; 0 leaves it out.
func gazClass(n kb.NameRef) uint8 {
	switch n.Kind {
	case mizan.NameDemonym:
		return gazDEM
	case mizan.NameCapital:
		return gazCAP
	}
	switch n.Type {
	case mizan.PERSON:
		return gazPER
	case mizan.ORG, mizan.GROUP:
		return gazORG
	case mizan.GPE, mizan.LOC, mizan.FAC:
		return gazLOC
	}
	return 0
}

// gazMark is what the gazetteer says about one token: the classes of the KB name it is part of
// and its position in it (B, I, E; S for a one-token name), or zero outside any name. word holds
// the classes of the KB names the token's key occurs in as a word, whole names aside.
type gazMark struct {
	cls  uint8
	pos  byte
	word uint8
}

// gazetteer is a trie over token keys of the KB names for one language.
type gazetteer struct {
	next  map[gazEdge]int32
	nodes []gazNode
	// words maps a token key to the classes of the multi-token names it occurs in.
	words map[string]uint8
	// hash identifies the content (what the features can see) for the model file.
	hash  string
	names int
}

type gazEdge struct {
	node int32
	key  string
}

// gazNode ends names of classes any, and of classes upper when no token of the match has a
// lower-case letter: a name the KB writes without one (an acronym: "IS", "WHO", "FAR") matches
// only text written the same way, as "is", "who" and "far" are words.
type gazNode struct {
	any, upper uint8
}

// gazLang reports whether a KB name in nameLang is compiled for a model of lang: names in the
// model's language and names whose language the KB does not know.
func gazLang(lang, nameLang string) bool {
	if nameLang == "" {
		return true
	}
	base, _, _ := strings.Cut(nameLang, "-")
	return strings.EqualFold(base, lang)
}

// compileGazetteer builds the gazetteer of lang from names.
func compileGazetteer(lang string, names []kb.NameRef) *gazetteer {
	g := &gazetteer{next: map[gazEdge]int32{}, nodes: []gazNode{{}}, words: map[string]uint8{}}
	var info []tokInfo
	var keys []string
	entries := map[string]gazNode{} // joined keys → classes, for the hash
	for _, n := range names {
		cls := gazClass(n)
		if cls == 0 || !gazLang(lang, n.Lang) {
			continue
		}
		toks := Tokenize(n.Text)
		if len(toks) == 0 {
			continue
		}
		// An English article opening a name ("the United States", "the Levant") is left out:
		// news and WikiANN leave it out of the entity, and a match from "the" would hide the
		// name behind it.
		if len(toks) > 1 && strings.EqualFold(toks[0].Text, "the") {
			toks = toks[1:]
		}
		words := make([]string, len(toks))
		upper := true
		for i, tk := range toks {
			words[i] = tk.Text
			upper = upper && !hasLower(tk.Text)
		}
		info = analyse(lang, words, nil, info)
		keys = keys[:0]
		for i := range info {
			keys = append(keys, gazKey(&info[i]))
		}
		node := int32(0)
		for _, k := range keys {
			e := gazEdge{node, k}
			child, ok := g.next[e]
			if !ok {
				child = int32(len(g.nodes))
				g.nodes = append(g.nodes, gazNode{})
				g.next[e] = child
			}
			node = child
		}
		joined := strings.Join(keys, "\x00")
		ent := entries[joined]
		if upper {
			g.nodes[node].upper |= cls
			ent.upper |= cls
		} else {
			g.nodes[node].any |= cls
			ent.any |= cls
		}
		entries[joined] = ent
		if len(keys) > 1 {
			for _, k := range keys {
				if len(k) > 1 {
					g.words[k] |= cls
				}
			}
		}
	}
	g.names = len(entries)
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(entries)) {
		e := entries[k]
		fmt.Fprintf(h, "%s\x01%d\x01%d\n", k, e.any, e.upper)
	}
	g.hash = "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
	return g
}

// gazKey is the key a token is matched under: its stem (lower-cased, Arabic-normalised, clitics
// or elision split off) with Latin diacritics folded ("Genève" = "Geneve").
func gazKey(t *tokInfo) string {
	s := t.stem
	fold := false
	for _, r := range s {
		if r >= 0xC0 && r < 0x250 {
			fold = true
			break
		}
	}
	if !fold {
		return s // ASCII, Arabic, and most other words: nothing to fold
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		// Latin-1 Supplement and Latin Extended-A/B: take the base letter of a canonical
		// decomposition ("é" → "e"); letters without one ("ø", "ß") stay.
		if r >= 0xC0 && r < 0x250 {
			if d := norm.NFD.PropertiesString(string(r)).Decomposition(); len(d) > 0 {
				r, _ = utf8.DecodeRune(d)
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasLower reports whether s has a lower-case letter.
func hasLower(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// mark fills toks[i].gaz with the leftmost-longest matches of KB names.
func (g *gazetteer) mark(toks []tokInfo, keys []string) []string {
	keys = keys[:0]
	for i := range toks {
		keys = append(keys, gazKey(&toks[i]))
		toks[i].gaz = gazMark{word: g.words[keys[i]]}
	}
	for i := 0; i < len(toks); {
		node, end, cls := int32(0), -1, uint8(0)
		upper := true
		for j := i; j < len(toks); j++ {
			child, ok := g.next[gazEdge{node, keys[j]}]
			if !ok {
				break
			}
			node = child
			upper = upper && !hasLower(toks[j].surf)
			c := g.nodes[node].any
			if upper {
				c |= g.nodes[node].upper
			}
			if c != 0 {
				end, cls = j+1, c
			}
		}
		if end < 0 {
			i++
			continue
		}
		for j := i; j < end; j++ {
			pos := byte('I')
			switch {
			case end-i == 1:
				pos = 'S'
			case j == i:
				pos = 'B'
			case j == end-1:
				pos = 'E'
			}
			toks[j].gaz.cls, toks[j].gaz.pos = cls, pos
		}
		i = end
	}
	return keys
}

// The gazetteers of the default KB, compiled once per language and process.
var (
	gazMu    sync.Mutex
	gazCache = map[string]*gazetteer{}
)

// defaultGazetteer returns the gazetteer of lang compiled from kb.Default().
func defaultGazetteer(lang string) (*gazetteer, error) {
	gazMu.Lock()
	defer gazMu.Unlock()
	if g, ok := gazCache[lang]; ok {
		return g, nil
	}
	k, err := kb.Default()
	if err != nil {
		return nil, fmt.Errorf("default knowledge base: %w", err)
	}
	g := compileGazetteer(lang, k.Names())
	gazCache[lang] = g
	return g, nil
}
