package event

import (
	"embed"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

//go:embed data/*.yaml
var dataFS embed.FS

// Trigger is one entry of a trigger lexicon (see data/triggers.en.yaml for the fields).
type Trigger struct {
	Type      mizan.EventType `yaml:"type"`
	SubType   string          `yaml:"subtype"`
	Verbs     []string        `yaml:"verbs"`
	Nouns     []string        `yaml:"nouns"`
	Target    []string        `yaml:"target"`
	Source    []string        `yaml:"source"`
	Theme     []string        `yaml:"theme"`
	Symmetric bool            `yaml:"symmetric"`
	ObjPlace  bool            `yaml:"objplace"`
	Require   string          `yaml:"require"`
	// Owner: in the passive without a by-phrase, the owner of the passive subject is the source.
	Owner bool `yaml:"owner"`
	// PlaceTarget: without a target, the state whose capital is the place is the target.
	PlaceTarget bool `yaml:"placetarget"`

	themes  map[string]bool // keys of Theme
	slots   []slot          // Target, compiled
	sources []slot          // Source after "subj", compiled
}

// slot is a place in a clause where an actor can be: the direct object, or the noun phrase
// after a preposition (a word, or an Arabic clitic letter).
type slot struct {
	obj  bool
	prep []string // keys of the preposition's words
}

// cueFile is the YAML of data/cues.LANG.yaml.
type cueFile struct {
	Prepositions  []string `yaml:"prepositions"`
	Locative      []string `yaml:"locative"`
	Agent         []string `yaml:"agent"`
	Owner         []string `yaml:"owner"`
	Genitive      []string `yaml:"genitive"`
	Between       []string `yaml:"between"`
	Participation []string `yaml:"participation"`
	Topic         []string `yaml:"topic"`
	Conjunctions  []string `yaml:"conjunctions"`
	Determiners   []string `yaml:"determiners"`
	Pronouns      []string `yaml:"pronouns"`
	Clause        []string `yaml:"clause"`
	Relative      []string `yaml:"relative"`
	Be            []string `yaml:"be"`
	Participles   []string `yaml:"participles"`
	Auxiliaries   []string `yaml:"auxiliaries"`
	Light         []string `yaml:"light"`
	Actors        []string `yaml:"actors"`
	Pairs         []string `yaml:"pairs"`
	Mode          struct {
		Negated        []string `yaml:"negated"`
		Possible       []string `yaml:"possible"`
		Planned        []string `yaml:"planned"`
		PlannedAfter   []string `yaml:"planned_after"`
		NegatedAfter   []string `yaml:"negated_after"`
		FutureSuffixes []string `yaml:"future_suffixes"`
		FuturePrefixes []string `yaml:"future_prefixes"`
	} `yaml:"mode"`
	Hedge       []string `yaml:"hedge"`
	Attribution struct {
		According []string `yaml:"according"`
		Speech    []string `yaml:"speech"`
		Anonymity []string `yaml:"anonymity"`
		Anonymous []string `yaml:"anonymous"`
		Media     []string `yaml:"media"`
		Document  []string `yaml:"document"`
	} `yaml:"attribution"`
	Furniture []string `yaml:"furniture"`
	Tone      []string `yaml:"tone"`
}

// cue classes: a bit set, since one phrase can be several things ("in" is a preposition, a
// place preposition and an owner link; "may" is a hedge and a cue of possibility).
type cue uint64

const (
	cPrep cue = 1 << iota
	cLocative
	cAgent
	cOwner
	cBetween
	cParticipation
	cConj
	cDet
	cPronoun
	cClause
	cRelative
	cBe
	cAux
	cLight
	cActor
	cPair
	cNegated
	cPossible
	cPlanned
	cPlannedAfter
	cHedge
	cAccording
	cSpeech
	cAnonymity
	cAnonymous
	cMedia
	cDocument
	cFurniture
	cTone
	cTopic
	cNegatedAfter
	cParticiple
	cGenitive
)

// Lexicon is the event vocabulary of one language: triggers and cues, compiled for matching.
type Lexicon struct {
	Lang     string
	Triggers []*Trigger

	trig           *phraseSet // payload: trigger index*2 + 1 for a nominal form
	cues           *phraseSet // payload: a cue bit set
	futureSuffixes []string
	futurePrefixes []string
}

// LoadLexicon reads a trigger file and a cue file (YAML, see data/) into a Lexicon.
func LoadLexicon(lang string, triggers, cues io.Reader) (*Lexicon, error) {
	var tf struct {
		Triggers []*Trigger `yaml:"triggers"`
	}
	if err := yaml.NewDecoder(triggers).Decode(&tf); err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "%s triggers: %v", lang, err)
	}
	var cf cueFile
	if err := yaml.NewDecoder(cues).Decode(&cf); err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "%s cues: %v", lang, err)
	}
	lx := &Lexicon{Lang: lang, Triggers: tf.Triggers, trig: newPhraseSet(lang), cues: newPhraseSet(lang)}
	known := map[mizan.EventType]bool{}
	for _, t := range mizan.EventTypes {
		known[t] = true
	}
	for i, t := range tf.Triggers {
		if !known[t.Type] {
			return nil, mizan.Errorf(mizan.EINVALID, "%s trigger %d: unknown PLOVER type %q", lang, i+1, t.Type)
		}
		if len(t.Verbs)+len(t.Nouns) == 0 {
			return nil, mizan.Errorf(mizan.EINVALID, "%s trigger %d (%s): no verbs or nouns", lang, i+1, t.Type)
		}
		switch t.Require {
		case "", "source", "target", "both":
		default:
			return nil, mizan.Errorf(mizan.EINVALID, "%s trigger %d (%s): require %q: want source, target or both", lang, i+1, t.Type, t.Require)
		}
		if len(t.Target) == 0 {
			t.Target = []string{"obj"}
		}
		for _, s := range t.Target {
			if s == "obj" {
				t.slots = append(t.slots, slot{obj: true})
				continue
			}
			t.slots = append(t.slots, slot{prep: phraseKeys(lang, s)})
		}
		for _, s := range t.Source {
			if s != "subj" && s != "obj" {
				t.sources = append(t.sources, slot{prep: phraseKeys(lang, s)})
			}
		}
		if len(t.Theme) > 0 {
			t.Owner = true
		}
		t.themes = map[string]bool{}
		for _, w := range t.Theme {
			for _, k := range phraseKeys(lang, w) {
				t.themes[k] = true
			}
		}
		for _, v := range t.Verbs {
			if err := lx.trig.add(v, uint64(i*2)); err != nil {
				return nil, mizan.Errorf(mizan.EINVALID, "%s trigger %d (%s): %v", lang, i+1, t.Type, err)
			}
		}
		for _, v := range t.Nouns {
			if err := lx.trig.add(v, uint64(i*2+1)); err != nil {
				return nil, mizan.Errorf(mizan.EINVALID, "%s trigger %d (%s): %v", lang, i+1, t.Type, err)
			}
		}
	}
	for _, l := range []struct {
		c     cue
		words []string
	}{
		{cPrep, cf.Prepositions}, {cLocative, cf.Locative}, {cAgent, cf.Agent}, {cOwner, cf.Owner},
		{cBetween, cf.Between}, {cParticipation, cf.Participation}, {cConj, cf.Conjunctions},
		{cDet, cf.Determiners}, {cPronoun, cf.Pronouns}, {cClause, cf.Clause}, {cRelative, cf.Relative},
		{cBe, cf.Be}, {cAux, cf.Auxiliaries}, {cLight, cf.Light}, {cActor, cf.Actors}, {cPair, cf.Pairs},
		{cNegated, cf.Mode.Negated}, {cPossible, cf.Mode.Possible}, {cPlanned, cf.Mode.Planned},
		{cPlannedAfter, cf.Mode.PlannedAfter}, {cHedge, cf.Hedge}, {cAccording, cf.Attribution.According},
		{cSpeech, cf.Attribution.Speech}, {cAnonymity, cf.Attribution.Anonymity},
		{cAnonymous, cf.Attribution.Anonymous}, {cMedia, cf.Attribution.Media},
		{cDocument, cf.Attribution.Document}, {cFurniture, cf.Furniture}, {cTone, cf.Tone}, {cTopic, cf.Topic}, {cNegatedAfter, cf.Mode.NegatedAfter}, {cParticiple, cf.Participles}, {cGenitive, cf.Genitive},
	} {
		for _, w := range l.words {
			if err := lx.cues.merge(w, uint64(l.c)); err != nil {
				return nil, mizan.Errorf(mizan.EINVALID, "%s cues: %v", lang, err)
			}
		}
	}
	for _, s := range cf.Mode.FutureSuffixes {
		lx.futureSuffixes = append(lx.futureSuffixes, textnorm.Key(s))
	}
	for _, s := range cf.Mode.FuturePrefixes {
		lx.futurePrefixes = append(lx.futurePrefixes, textnorm.NormalizeArabic(s))
	}
	return lx, nil
}

// defaultLexicons reads the embedded lexicons of English, French and Arabic.
func defaultLexicons() (map[string]*Lexicon, error) {
	out := map[string]*Lexicon{}
	for _, lang := range []string{"en", "fr", "ar"} {
		t, err := dataFS.Open("data/triggers." + lang + ".yaml")
		if err != nil {
			return nil, err
		}
		c, err := dataFS.Open("data/cues." + lang + ".yaml")
		if err != nil {
			t.Close()
			return nil, err
		}
		lx, err := LoadLexicon(lang, t, c)
		t.Close()
		c.Close()
		if err != nil {
			return nil, fmt.Errorf("embedded lexicon: %w", err)
		}
		out[lang] = lx
	}
	return out, nil
}

// loadOutlets reads data/outlets.yaml: the ids of the knowledge base's news outlets.
func loadOutlets() (map[string]bool, error) {
	b, err := dataFS.ReadFile("data/outlets.yaml")
	if err != nil {
		return nil, err
	}
	var f struct {
		Outlets []string `yaml:"outlets"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("outlets: %w", err)
	}
	out := map[string]bool{}
	for _, id := range f.Outlets {
		out[id] = true
	}
	return out, nil
}

// phraseKeys returns the keys of the words of a phrase, as tokens of text get them.
func phraseKeys(lang, s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if k, ok := cliticWord(lang, f); ok {
			out = append(out, k)
			continue
		}
		for _, t := range textnorm.Tokens(f) {
			out = append(out, wordKey(lang, f[t.Start:t.End], t.Key))
		}
	}
	return out
}

// wordKey is the key a word is matched by: its textnorm key, except for the French words that
// only an accent tells apart from another ("à" the preposition, "a" the verb; "où", "ou").
func wordKey(lang, word, key string) string {
	if lang == "fr" {
		switch strings.ToLower(word) {
		case "à":
			return "à"
		case "où":
			return "où"
		}
	}
	return key
}

// cliticWord reports whether an Arabic lexicon word is one of the preposition letters written
// alone (ب, ل, ك), which textnorm would otherwise strip to nothing.
func cliticWord(lang, w string) (string, bool) {
	if lang != "ar" {
		return "", false
	}
	switch w {
	case "ب", "ل", "ك":
		return w, true
	}
	return "", false
}
