package lang

import (
	"strings"
	"unicode"
)

// functionWords are very frequent, short grammatical words of the Latin-script languages the
// detector knows. They let the Stage confirm cheaply that a paragraph is in the language already
// detected for its document, so lingua (about 0.4 ms a call, most of the stage's cost) runs once
// per document instead of once per paragraph. Words shared by two languages count for both.
var functionWords = map[string][]string{
	"en": {"the", "of", "and", "to", "in", "is", "was", "that", "for", "on", "with", "as", "by", "at", "from", "his", "her", "it", "are", "were", "has", "have", "had", "which", "this", "their", "its", "been", "said", "after", "would", "will", "not", "but", "they", "who"},
	"fr": {"le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "est", "dans", "pour", "que", "qui", "sur", "au", "aux", "par", "avec", "il", "elle", "ont", "a", "été", "ce", "cette", "son", "sa", "ses", "plus", "pas", "ne", "selon", "mais"},
	"es": {"el", "la", "los", "las", "de", "del", "y", "en", "un", "una", "es", "que", "por", "para", "con", "se", "su", "sus", "al", "lo", "como", "más", "fue", "ha", "han", "según", "pero", "este", "esta"},
	"de": {"der", "die", "das", "und", "in", "den", "von", "zu", "mit", "ist", "im", "dem", "nicht", "ein", "eine", "auf", "für", "sich", "des", "auch", "es", "an", "wurde", "hat", "sie", "nach", "bei", "aus", "wie"},
	"it": {"il", "la", "di", "e", "che", "in", "un", "una", "per", "del", "della", "dei", "le", "non", "con", "si", "sono", "è", "da", "al", "alla", "gli", "ha", "anche", "nel", "nella", "più", "come"},
	"pt": {"o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "em", "um", "uma", "que", "para", "com", "não", "por", "no", "na", "se", "ao", "foi", "mais", "como", "sua", "seu", "pelo", "pela"},
	"tr": {"ve", "bir", "bu", "için", "ile", "da", "de", "olarak", "olan", "çok", "daha", "gibi", "ama", "en", "ne", "ki", "mi", "sonra", "kadar", "her", "ise", "değil"},
}

// wordLangs maps a function word to the languages it belongs to, for the configured languages.
func wordLangs(langs []string) map[string][]string {
	out := map[string][]string{}
	for _, l := range langs {
		for _, w := range functionWords[l] {
			out[w] = append(out[w], l)
		}
	}
	return out
}

// confident reports the language of a whole document's Latin text when its function words leave
// no doubt: at least 12 of one language and three times as many as of any other. Long running text always has
// them (an English news paragraph has one in three words), and at that margin the profile does
// not err, so the detector is not needed.
func (d *Detector) confident(text string) (string, bool) {
	lang, best, second := d.countWords(text)
	return lang, best >= 12 && best >= 3*second
}

// countWords weighs function words per language and returns the language with the highest
// weight, that weight and the runner-up's. A word shared by k languages ("in": English, German,
// Italian) weighs 1/k for each, so shared words do not make languages look alike.
func (d *Detector) countWords(text string) (string, float64, float64) {
	weights := map[string]float64{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) > 7 {
			continue
		}
		ls := d.words[strings.ToLower(w)]
		for _, l := range ls {
			weights[l] += 1 / float64(len(ls))
		}
	}
	best, second, lang := 0.0, 0.0, ""
	for l, n := range weights {
		switch {
		case n > best || n == best && l < lang:
			best, second, lang = n, best, l
		case n > second:
			second = n
		}
	}
	return lang, best, second
}
