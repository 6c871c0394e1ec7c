package entity

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// The cue files: the words around a name that tell what it is (a title, a byline, a source
// citation...), as data, one file per language. cues/en.txt documents the format.
//
//go:embed cues/*.txt
var cueFiles embed.FS

// cueKind is what a cue phrase says about the words next to it.
type cueKind uint8

const (
	cueTitle        cueKind = iota // right before a name; not part of it: "President X"
	cueOrgAfter                    // closes an organisation's name: "… Warfighting School"
	cueOrgBefore                   // opens an organisation's name: "حركة …", "Parti …"
	cueAppos                       // a role noun of an apposition: "X, the director of Y"
	cueParticle                    // may sit inside a name uncapitalised: "al", "bin", "de"
	cueDeterminer                  // trimmed from the start of a found name: "The"
	cueStop                        // never part of a name, never a name alone
	cueByline                      // opens a byline line: "By X"
	cueCredit                      // opens a credit line: "Photo: X"
	cueCreditParen                 // makes a parenthesis a credit: "(X/AFP)"
	cueBoiler                      // opens a line of page furniture: "Read more"
	cueSourceBefore                // before a name cited as a source: "according to X"
	cueSourceAfter                 // after a name cited as a source: "X reported"
	cueMedia                       // a noun saying the name next to it is an outlet: "daily X"
	cueActorAfter                  // a verb after a capital that makes it an actor: "Moscow said"
	cueActorBefore                 // a verb before a capital that makes it an actor: "أعلنت طهران"
	cueSkip                        // skipped between a capital and its verb: "then", "also"
	cuePlaceBefore                 // before a capital that makes it a place: "in Algiers"
	cueBetween                     // before a pair of actors: "between Algiers and Tehran"
	cueYearBefore                  // before a year that dates a sentence: "In 2024"
	cueAlias                       // between a person's name and another name of theirs: "X (alias Y)"
	cueAmbiguous                   // a KB name that is also a common word: kept only where the tagger agrees
	cueFormer                      // next to an office: its previous holder is meant ("the former president")
	numCueKinds
)

var cueKindNames = [numCueKinds]string{
	"title", "orghead-after", "orghead-before", "appos", "particle", "determiner", "stop",
	"byline", "credit", "credit-paren", "boiler", "source-before", "source-after", "media",
	"actor-after", "actor-before", "skip", "place-before", "between", "year-before", "alias",
	"ambiguous", "former",
}

// Cue files are small; these bounds keep a damaged or hostile one from costing much.
const (
	maxCueLine    = 512
	maxCueWords   = 12
	maxCuePhrases = 20000
)

// cue is one phrase of a cue file.
type cue struct {
	kind cueKind
	typ  mizan.EntityType // the type of the name a title or head cue introduces
	keys []string
	text string
	line int
}

// parseCues reads a cue file: "[kind]" or "[kind TYPE]" section headers, then one phrase per
// line; blank lines and lines starting with "#" are skipped. Errors are *mizan.Error (EINVALID)
// naming the line.
func parseCues(r io.Reader) ([]cue, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), maxCueLine+1)
	var (
		out     []cue
		kind    cueKind
		typ     mizan.EntityType
		inBlock bool
		line    int
	)
	for sc.Scan() {
		line++
		raw := sc.Bytes()
		if len(raw) > maxCueLine {
			return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: longer than %d bytes", line, maxCueLine)
		}
		s := strings.TrimSpace(string(bytes.TrimPrefix(raw, []byte("\ufeff"))))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if strings.HasPrefix(s, "[") {
			if !strings.HasSuffix(s, "]") {
				return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: unclosed section header %q", line, s)
			}
			f := strings.Fields(s[1 : len(s)-1])
			if len(f) == 0 || len(f) > 2 {
				return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: section header %q is not [kind] or [kind TYPE]", line, s)
			}
			k := slices.Index(cueKindNames[:], f[0])
			if k < 0 {
				return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: unknown cue kind %q", line, f[0])
			}
			kind, typ, inBlock = cueKind(k), "", true
			if len(f) == 2 {
				typ = mizan.EntityType(f[1])
				if !slices.Contains(mizan.EntityTypes, typ) {
					return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: unknown entity type %q", line, f[1])
				}
			}
			switch kind {
			case cueTitle, cueOrgAfter, cueOrgBefore, cueAppos:
				if typ == "" {
					return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: [%s] needs an entity type", line, f[0])
				}
			}
			continue
		}
		if !inBlock {
			return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: phrase %q before any [section]", line, s)
		}
		keys := cueKeys(s)
		if len(keys) == 0 {
			return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: phrase %q has no word", line, s)
		}
		if len(keys) > maxCueWords {
			return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: phrase has more than %d words", line, maxCueWords)
		}
		if len(out) == maxCuePhrases {
			return nil, mizan.Errorf(mizan.EINVALID, "cue file: more than %d phrases", maxCuePhrases)
		}
		out = append(out, cue{kind: kind, typ: typ, keys: keys, text: s, line: line})
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, mizan.Errorf(mizan.EINVALID, "cue line %d: longer than %d bytes", line+1, maxCueLine)
		}
		return nil, fmt.Errorf("read cues: %w", err)
	}
	return out, nil
}

// cueKeys returns the token keys of a phrase.
func cueKeys(s string) []string {
	toks := textnorm.Tokens(s)
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = strings.Clone(t.Key)
	}
	return keys
}

// cueSet is the compiled cues of one language.
type cueSet struct {
	trie  *seqTrie
	cues  []cue
	words [numCueKinds]map[string]bool // one-word cues of each kind, for the frequent membership tests
	// maxSpan is the largest number of tokens of any cue, which bounds how far back a search for
	// a cue ending at a token must look.
	maxSpan int
}

func compileCues(cs []cue) *cueSet {
	s := &cueSet{trie: newSeqTrie(), cues: cs}
	for k := range s.words {
		s.words[k] = make(map[string]bool)
	}
	for i, c := range cs {
		s.trie.add(c.keys, int32(i))
		if len(c.keys) == 1 {
			s.words[c.kind][c.keys[0]] = true
		}
		s.maxSpan = max(s.maxSpan, len(c.keys))
	}
	return s
}

// is reports whether key is a one-word cue of kind k.
func (s *cueSet) is(k cueKind, key string) bool { return s.words[k][key] }

// loadCues reads and compiles the embedded cue files, one set per language.
func loadCues() (map[string]*cueSet, error) {
	sets := make(map[string]*cueSet)
	for _, lang := range []string{"en", "fr", "ar"} {
		f, err := cueFiles.Open("cues/" + lang + ".txt")
		if err != nil {
			return nil, fmt.Errorf("open %s cues: %w", lang, err)
		}
		cs, err := parseCues(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s cues: %w", lang, err)
		}
		sets[lang] = compileCues(cs)
	}
	return sets, nil
}
