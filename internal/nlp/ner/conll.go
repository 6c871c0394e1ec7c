package ner

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

// Sentence is one labelled sentence of a CoNLL-style file: its words and one IOB2 label per word
// ("O", "B-PER", "I-PER", ...). Entity types are normalised (ANERcorp's PERS is PER).
type Sentence struct {
	Words  []string
	Labels []string
}

// Tokens returns the words as tokens of the text they make when joined by single spaces.
func (s Sentence) Tokens() []Token {
	toks := make([]Token, len(s.Words))
	off := 0
	for i, w := range s.Words {
		toks[i] = Token{Text: w, Start: off, End: off + len(w)}
		off += len(w) + 1
	}
	return toks
}

// Limits on what ReadCoNLL accepts; the files it reads may come from anywhere.
const (
	maxLineBytes     = 64 << 10 // one token line
	maxSentenceWords = 10000
)

// ReadCoNLL reads labelled sentences, one token per line and a blank line between sentences.
// Formats:
//
//   - "anercorp": "token TAG", space-separated (ANERcorp); PERS is read as PER, and a line
//     whose tag is missing (a few in ANERcorp hold only an RLM mark there) is read as O.
//   - "wikiann": "ll:token<TAB>TAG" (WikiANN as distributed by Rahimi et al.); the language
//     prefix is removed.
//   - "conll": whitespace-separated columns, the token first and the tag last (CoNLL-2002/2003).
//
// Lines starting with -DOCSTART- are document separators. Invisible format characters (RLM,
// LRM, BOM...) are trimmed from the ends of tokens and tags, and a token made only of them is
// skipped, since Tokenize never produces one. Tags are read as IOB1 or IOB2 and
// returned as IOB2: an I- tag that does not continue an entity of its type starts one (B-).
// Errors are *mizan.Error: EUNSUPPORTED for an unknown format, EINVALID for a malformed line
// (with its number), ETOOLARGE for a line over 64 KiB or a sentence over 10,000 tokens.
func ReadCoNLL(r io.Reader, format string) ([]Sentence, error) {
	var split func(line string) (word, tag string, ok bool)
	switch format {
	case "anercorp", "conll":
		lenient := format == "anercorp"
		split = func(line string) (string, string, bool) {
			f := strings.Fields(line)
			switch {
			case len(f) >= 2:
				word, tag := strings.TrimFunc(f[0], isFormat), strings.TrimFunc(f[len(f)-1], isFormat)
				if tag == "" && lenient {
					tag = "O" // ANERcorp: a tag that is only an RLM mark, all on plain words
				}
				return word, tag, true
			case len(f) == 1 && lenient:
				return strings.TrimFunc(f[0], isFormat), "O", true
			}
			return "", "", false
		}
	case "wikiann":
		split = func(line string) (string, string, bool) {
			i := strings.LastIndexByte(line, '\t')
			if i < 0 {
				return "", "", false
			}
			word, tag := line[:i], strings.TrimSpace(line[i+1:])
			// The prefix is the language code: "en:", "fr:". Only a short lower-case prefix is
			// one, so a token such as "http://x" without a prefix survives.
			if j := strings.IndexByte(word, ':'); j >= 2 && j <= 3 && isLowerASCII(word[:j]) {
				word = word[j+1:]
			}
			return strings.TrimFunc(strings.TrimSpace(word), isFormat), tag, true
		}
	default:
		return nil, mizan.Errorf(mizan.EUNSUPPORTED, "conll format %q is not supported (want anercorp, wikiann or conll)", format)
	}

	var (
		sents []Sentence
		cur   Sentence
	)
	flush := func() {
		if len(cur.Words) > 0 {
			cur.Labels = toIOB2(cur.Labels)
			sents = append(sents, cur)
		}
		cur = Sentence{}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), "\r\n")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if strings.HasPrefix(line, "-DOCSTART-") {
			flush()
			continue
		}
		if !utf8.ValidString(line) {
			return nil, mizan.Errorf(mizan.EINVALID, "conll line %d: not valid UTF-8", lineNo)
		}
		word, tag, ok := split(line)
		if !ok {
			return nil, mizan.Errorf(mizan.EINVALID, "conll line %d: want a token and a tag, got %q", lineNo, clip(line))
		}
		if word == "" {
			// A token of nothing but format characters (ANERcorp has RLM marks as tokens): no
			// tokenizer produces it, so it is not a word to learn from.
			continue
		}
		label, ok := parseTag(tag)
		if !ok {
			return nil, mizan.Errorf(mizan.EINVALID, "conll line %d: tag %q is not O, B-TYPE or I-TYPE", lineNo, clip(tag))
		}
		if len(cur.Words) >= maxSentenceWords {
			return nil, mizan.Errorf(mizan.ETOOLARGE, "conll line %d: sentence longer than %d tokens", lineNo, maxSentenceWords)
		}
		cur.Words = append(cur.Words, word)
		cur.Labels = append(cur.Labels, label)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, mizan.Errorf(mizan.ETOOLARGE, "conll line %d: longer than %d bytes", lineNo+1, maxLineBytes)
		}
		return nil, fmt.Errorf("read conll: %w", err)
	}
	flush()
	return sents, nil
}

// parseTag validates a tag and normalises its type: "B-PERS" → "B-PER". Types are upper-case
// ASCII letters (CoNLL's PER/ORG/LOC/MISC, or others such as GPE, which are kept).
func parseTag(tag string) (string, bool) {
	if tag == "O" {
		return tag, true
	}
	if len(tag) < 3 || (tag[0] != 'B' && tag[0] != 'I') || (tag[1] != '-' && tag[1] != '_') {
		return "", false
	}
	typ := tag[2:]
	if len(typ) > 16 {
		return "", false
	}
	for i := 0; i < len(typ); i++ {
		if c := typ[i]; c < 'A' || c > 'Z' {
			return "", false
		}
	}
	if typ == "PERS" {
		typ = "PER"
	}
	return tag[:1] + "-" + typ, true
}

// toIOB2 rewrites IOB1 labels in place: an I-X that does not follow B-X or I-X becomes B-X.
func toIOB2(labels []string) []string {
	prev := "O"
	for i, l := range labels {
		if l[0] == 'I' && (prev == "O" || prev[2:] != l[2:]) {
			labels[i] = "B-" + l[2:]
		}
		prev = labels[i]
	}
	return labels
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// clip shortens s for an error message, on a rune boundary.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 60
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
