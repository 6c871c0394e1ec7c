// Package ner is mizan's statistical named-entity tagger: the third way, after knowledge-base
// names and title patterns, that the pipeline finds mentions of people, organisations and
// places. It reads English, French and Arabic.
//
// The model is an averaged structured perceptron over IOB2 labels with first-order Viterbi
// decoding (Collins 2002), one per language, trained by this package's own code (train.go) on
// public corpora: ANERcorp for Arabic and WikiANN for English and French. Features are hashed:
// words, lower-cased and normalised forms (Arabic: alef/hamza/taa marbuta/ya folded, diacritics
// removed, proclitics split off; French: elisions split off), prefixes and suffixes, inner
// character trigrams, word shapes, the neighbouring words, runs of capitalised words, word
// classes induced from the training text (cluster.go), and, for Arabic and French, the names of
// mizan's embedded knowledge base found in the text (gazetteer.go). The trained models are
// embedded (models/LANG.gz); MODEL.md states their provenance, hyper-parameters and scores.
// Regenerate them, byte for byte, from the repository root with
//
//	go run ./cmd/mizan-train-ner -data ../shared/data -out internal/nlp/ner/models
//
// Entities is the pipeline's entry point: text in, typed byte spans with confidences out. Tag
// labels pre-tokenized text; Evaluate scores a model on labelled sentences (ReadCoNLL).
//
// A Model is safe for concurrent use, except Merge and SetInfo, which build one before it is
// shared.
package ner

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/mizan-osint/mizan"
)

// Entity types the models produce.
const (
	PER  = "PER"
	ORG  = "ORG"
	LOC  = "LOC"
	MISC = "MISC" // Arabic only: ANERcorp annotates it, WikiANN does not
)

// Entity is one entity found in a text: the half-open byte range [Start, End), its type (PER,
// ORG, LOC or MISC) and the model's confidence in [0, 1]: the smallest posterior probability of
// the entity's labels under the model, calibrated on the development split.
type Entity struct {
	Start, End int
	Type       string
	Score      float64
}

// Model tags tokens with entity labels; it holds one trained tagger per language.
type Model struct {
	taggers map[string]*tagger
}

// The models directory always holds its README, so the package builds (and the trainer that
// imports it runs) before any model has been trained.
//
//go:embed models
var embedded embed.FS

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the embedded trained model, decoded on first use. It fails only if the
// embedded files are damaged (EINTERNAL).
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = loadEmbedded()
	})
	return defaultModel, defaultErr
}

func loadEmbedded() (*Model, error) {
	names, err := embedded.ReadDir("models")
	if err != nil {
		return nil, mizan.Errorf(mizan.EINTERNAL, "ner: read embedded models: %v", err)
	}
	m := &Model{taggers: map[string]*tagger{}}
	for _, e := range names {
		if !strings.HasSuffix(e.Name(), ".gz") {
			continue
		}
		data, err := embedded.ReadFile("models/" + e.Name())
		if err != nil {
			return nil, mizan.Errorf(mizan.EINTERNAL, "ner: read embedded model %s: %v", e.Name(), err)
		}
		t, err := readTagger(bytes.NewReader(data))
		if err != nil {
			return nil, mizan.Errorf(mizan.EINTERNAL, "ner: embedded model %s: %v", e.Name(), err)
		}
		m.taggers[t.lang] = t
	}
	if len(m.taggers) == 0 {
		return nil, mizan.Errorf(mizan.EINTERNAL, "ner: no embedded model")
	}
	return m, nil
}

// Load reads models written by Model.Write, one language per reader, into one Model. A later
// reader for the same language replaces an earlier one. Errors are *mizan.Error (EINVALID for a
// damaged or foreign file).
func Load(rs ...io.Reader) (*Model, error) {
	m := &Model{taggers: map[string]*tagger{}}
	for _, r := range rs {
		t, err := readTagger(r)
		if err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "ner: read model: %v", err)
		}
		m.taggers[t.lang] = t
	}
	return m, nil
}

// Write writes the tagger for lang as a gzip-compressed model file that Load reads.
func (m *Model) Write(w io.Writer, lang string) error {
	t, ok := m.taggers[lang]
	if !ok {
		return mizan.Errorf(mizan.ENOTFOUND, "ner: no model for language %q", lang)
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	if err := t.write(zw); err != nil {
		return err
	}
	return zw.Close()
}

// Merge adds the languages of o to m, replacing any m already has. Not for a shared model (such
// as Default's): call it before tagging starts.
func (m *Model) Merge(o *Model) {
	if m.taggers == nil {
		m.taggers = map[string]*tagger{}
	}
	for l, t := range o.taggers {
		m.taggers[l] = t
	}
}

// Languages lists the languages the model has a tagger for, sorted.
func (m *Model) Languages() []string {
	ls := make([]string, 0, len(m.taggers))
	for l := range m.taggers {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	return ls
}

// Info describes how the tagger for lang was trained (zero if there is none).
func (m *Model) Info(lang string) Info {
	if t, ok := m.taggers[lang]; ok {
		return t.info
	}
	return Info{}
}

// SetInfo replaces the provenance recorded for lang's tagger (written with the model), except
// its gazetteer settings, which belong to the trained features. Like Merge, it is for a model
// being built, not one in use.
func (m *Model) SetInfo(lang string, info Info) {
	if t, ok := m.taggers[lang]; ok {
		info.Lang = lang
		// Whether the model reads the gazetteer, and which, is a fact of its features.
		info.Options.Gazetteer, info.Gazetteer = t.info.Options.Gazetteer, t.info.Gazetteer
		t.info = info
	}
}

// Labels lists the labels the tagger for lang produces, "O" first.
func (m *Model) Labels(lang string) []string {
	if t, ok := m.taggers[lang]; ok {
		return append([]string(nil), t.labels...)
	}
	return nil
}

// pick returns the tagger for lang: "en-GB" uses "en"; a language without a model falls back
// to the Arabic tagger for Arabic-script text and to English otherwise, since a Latin-script
// name tagger still finds most capitalised names.
func (m *Model) pick(lang string, toks []Token) *tagger {
	base := strings.ToLower(lang)
	if i := strings.IndexAny(base, "-_"); i >= 0 {
		base = base[:i]
	}
	if t, ok := m.taggers[base]; ok {
		return t
	}
	arabic := 0
	for _, tk := range toks {
		if isArabic(tk.Text) {
			arabic++
		}
	}
	if arabic*2 > len(toks) {
		if t, ok := m.taggers["ar"]; ok {
			return t
		}
	}
	if t, ok := m.taggers["en"]; ok {
		return t
	}
	for _, l := range m.Languages() {
		return m.taggers[l]
	}
	return nil
}

// Tag returns one IOB2 label per token ("B-PER", "I-PER", "B-ORG", ..., or "O"), treating toks
// as one sentence. lang is an ISO 639-1 code ("en", "fr", "ar"); see Entities for other codes.
// Tag gives the model's own labelling, as Evaluate scores it, without the news constraints
// that Entities applies.
func (m *Model) Tag(toks []Token, lang string) []string { return m.tag(toks, lang, false) }

// tag is Tag, under the news constraints if news is set.
func (m *Model) tag(toks []Token, lang string, news bool) []string {
	if len(toks) == 0 {
		return nil
	}
	t := m.pick(lang, toks)
	if t == nil {
		out := make([]string, len(toks))
		for i := range out {
			out[i] = "O"
		}
		return out
	}
	words := make([]string, len(toks))
	for i, tk := range toks {
		words[i] = tk.Text
	}
	ids, _ := t.decode(words, news, false)
	out := make([]string, len(toks))
	for i, y := range ids {
		out[i] = t.labels[y]
	}
	return out
}

// maxChunk bounds the tokens decoded as one sequence: a text without sentence punctuation (a
// table, a list of links) is cut into pieces of this size.
const maxChunk = 200

// Entities tokenizes text, tags it sentence by sentence and returns the entities in text order
// with byte offsets. Sentences are cut at sentence-final punctuation and line breaks. lang is an
// ISO 639-1 code; for a language without a model the Arabic tagger reads Arabic-script text and
// the English tagger anything else.
//
// Unlike Tag, Entities decodes under the news constraints (see constraints.go): in English and
// French no entity starts with a lower-case word, English ones contain none but connectors
// ("of", "de"), and titles before a name stay out of it ("President", "Foreign Minister").
// A French elided article ("l'", "d'", "L'") opening an entity is left out of its span; Arabic
// proclitics stay in it, as ANERcorp annotates them.
func (m *Model) Entities(text, lang string) []Entity {
	toks := Tokenize(text)
	var out []Entity
	for start := 0; start < len(toks); {
		end := sentenceEnd(text, toks, start)
		chunk := toks[start:end]
		t := m.pick(lang, chunk)
		if t == nil {
			return nil
		}
		words := make([]string, len(chunk))
		for i, tk := range chunk {
			words[i] = tk.Text
		}
		ids, marg := t.decode(words, true, true)
		for _, sp := range spans(ids, t.labels) {
			score := 1.0
			for i := sp.start; i < sp.end; i++ {
				score = min(score, marg[i])
			}
			e := Entity{Start: chunk[sp.start].Start, End: chunk[sp.end-1].End, Type: sp.typ, Score: score}
			if t.lang == "fr" {
				e.Start += elisionLen(text[e.Start:e.End])
			}
			out = append(out, e)
		}
		start = end
	}
	return out
}

// elisionLen is the byte length of a French elided article or preposition that opens s
// ("l'", "d'", "L’"), or 0. ("L'Oréal" loses its article too: rarer in news than "L'Union".)
func elisionLen(s string) int {
	for _, p := range []string{"l'", "d'", "l’", "d’", "L'", "D'", "L’", "D’"} {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return len(p)
		}
	}
	return 0
}

// sentenceEnd returns the end (exclusive) of the sentence that starts at toks[start].
func sentenceEnd(text string, toks []Token, start int) int {
	for i := start; i < len(toks); i++ {
		if i-start+1 >= maxChunk {
			return i + 1
		}
		switch toks[i].Text {
		case ".", "!", "?", "؟", "…", "...", "!!", "??":
			return i + 1
		}
		if i+1 < len(toks) && strings.ContainsRune(text[toks[i].End:toks[i+1].Start], '\n') {
			return i + 1
		}
	}
	return len(toks)
}

// span is an entity over tokens [start, end).
type span struct {
	start, end int
	typ        string
}

// spans reads IOB2 label ids as entities; an I- label that does not continue an entity of its
// type starts one, as conlleval does.
func spans(ids []int, labels []string) []span {
	var out []span
	open := -1
	for i, y := range ids {
		l := labels[y]
		if len(l) < 3 || l[1] != '-' {
			open = -1 // "O", or anything that is not an IOB2 label
			continue
		}
		cont := open >= 0 && l[0] == 'I' && l[2:] == out[open].typ
		if cont {
			out[open].end = i + 1
			continue
		}
		out = append(out, span{start: i, end: i + 1, typ: l[2:]})
		open = len(out) - 1
	}
	return out
}

// labelSpans is spans over string labels.
func labelSpans(labels []string) []span {
	ids := make([]int, len(labels))
	index := map[string]int{}
	var names []string
	for i, l := range labels {
		j, ok := index[l]
		if !ok {
			j = len(names)
			index[l] = j
			names = append(names, l)
		}
		ids[i] = j
	}
	return spans(ids, names)
}
