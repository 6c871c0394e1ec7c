package event

import (
	"fmt"
	"strings"
	"sync"

	"github.com/jdkato/prose/tag"
)

// The English part-of-speech tagger: github.com/jdkato/prose's averaged perceptron (a port of
// TextBlob's, trained on the Penn Treebank), loaded once per process. Its Tag method only reads
// the model, so one tagger serves every goroutine.
var (
	taggerOnce sync.Once
	tagger     *tag.PerceptronTagger
	taggerErr  error
)

func loadTagger() error {
	taggerOnce.Do(func() {
		defer func() {
			// The model is embedded in the module; a failure to decode it is a broken build.
			if r := recover(); r != nil {
				taggerErr = fmt.Errorf("load part-of-speech tagger: %v", r)
			}
		}()
		tagger = tag.NewPerceptronTagger()
	})
	return taggerErr
}

// tagSentence sets the Penn tag of every word token. Tokens are given to the tagger as the
// Treebank splits them: a possessive "s" after an apostrophe becomes "'s".
func tagSentence(text string, toks []token) {
	if tagger == nil {
		return
	}
	words := make([]string, 0, len(toks))
	idx := make([]int, 0, len(toks))
	for k, t := range toks {
		w := text[t.start:t.end]
		if t.punct == 0 && t.key == "s" && t.start > 0 && strings.ContainsAny(text[t.start-1:t.start], "'") {
			w = "'s"
		} else if t.punct == 0 && t.key == "s" && t.start >= 3 && text[t.start-3:t.start] == "’" {
			w = "'s"
		}
		words = append(words, w)
		idx = append(idx, k)
	}
	for i, tt := range tagger.Tag(words) {
		if i < len(idx) {
			toks[idx[i]].tag = tt.Tag
		}
	}
}
