package sentence

import (
	_ "embed"
	"strings"
)

// Abbreviation classes (see abbrev.txt).
const (
	classNone = iota
	classTitle
	classNumber
	className
)

// rules are the abbreviation lists and sentence starters of one language.
type rules struct {
	class    map[string]int
	starters map[string]bool
}

//go:embed abbrev.txt
var abbrevList string

// byLang holds the rules of each language of abbrev.txt, and under "" their union.
var byLang = func() map[string]*rules {
	m := map[string]*rules{}
	get := func(lang string) *rules {
		if m[lang] == nil {
			m[lang] = &rules{class: map[string]int{}, starters: map[string]bool{}}
		}
		return m[lang]
	}
	classes := map[string]int{"title": classTitle, "number": classNumber, "name": className}
	for line := range strings.Lines(abbrevList) {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		lang, class, words := f[0], f[1], f[2:]
		for _, rs := range []*rules{get(lang), get("")} {
			for _, w := range words {
				if class == "starter" {
					rs.starters[w] = true
					continue
				}
				c, ok := classes[class]
				if !ok {
					panic("sentence: abbrev.txt: unknown class " + class)
				}
				// The first class listed wins, so the union keeps a language's own reading.
				if _, seen := rs.class[w]; !seen {
					rs.class[w] = c
				}
			}
		}
	}
	return m
}()

// rulesFor returns the rules of lang, or the union of all languages for "" and languages
// without lists of their own.
func rulesFor(lang string) *rules {
	if rs, ok := byLang[lang]; ok {
		return rs
	}
	return byLang[""]
}
