// Package lang detects the language of documents and of each of their paragraphs, with
// lingua-go (github.com/pemistahl/lingua-go), and provides the pipeline stage "lang".
//
// How it decides. Script is decisive where it can be: a paragraph mostly in Arabic script is
// Arabic (Persian or Urdu when letters only those languages use say so, or, for paragraphs long
// enough, when the detector does); Cyrillic, Hebrew, Greek… text is the one configured language
// written in that script. Latin-script text needs the statistical detector, and every detector
// fails on fragments of one to three words, so only paragraphs of at least MinParagraphChars
// characters are detected; shorter ones inherit the language of the document's other paragraphs
// in the same script (or, when there are none, the language detected on all of them together).
//
// Cost, measured on this project's machine (linux/amd64, Go 1.26, lingua-go v1.4.0, the 12
// DefaultLanguages):
//
//   - binary size: lingua embeds the models of all its 75 languages whatever is chosen: a tiny
//     program grows from 2.4 MB to 135.0 MB (+132.6 MB, 126 MiB);
//   - memory after New with models preloaded: low-accuracy mode (trigram models only) 22 MB RSS
//     (36 MB peak while loading, 76 ms); high-accuracy mode 285 MB RSS (509 MB peak, 1.4 s);
//   - speed in low-accuracy mode (BenchmarkDetect, one core): 0.19 ms for a 120-character
//     English sentence (about 5,400 detections/s), 0.40 ms for a 500-character sample (2,500/s;
//     longer text is sampled down to that, see Detect); 1 µs for short Arabic-script text, which
//     the letters decide;
//   - quality (TestFragments, 81 news fragments in 12 languages written for the tests): every
//     fragment of 40 characters or more right in both modes; under 40 characters, 33 of 36 right
//     in low-accuracy mode ("Share this article" and "Photo: AFP" unsure, "Noticias
//     relacionadas" taken for Portuguese) and 32 of 36 in high, hence MinParagraphChars.
//
// Low accuracy is the default (DefaultOptions): lingua uses trigrams only for any text of 120
// characters or more even in high-accuracy mode, so the two modes give the same answers there;
// between 40 and 120 characters they agreed on every test fragment; the extra quarter to half
// gigabyte would buy better guesses only on fragments this package deliberately does not trust.
package lang

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// DefaultLanguages are the languages geopolitical news in mizan's domain is written in or quotes:
// Arabic, English, French, Spanish, German, Italian, Portuguese, Russian, Persian, Turkish, Hebrew
// and Urdu (ISO 639-1).
var DefaultLanguages = []string{"ar", "en", "fr", "es", "de", "it", "pt", "ru", "fa", "tr", "he", "ur"}

// Options configure a Detector.
type Options struct {
	// Languages are the ISO 639-1 codes the detector chooses among (at least two that lingua
	// supports); nil means DefaultLanguages. Fewer languages mean fewer confusions.
	Languages []string
	// LowAccuracy loads the trigram models only: 22 MB instead of 285 MB for the default
	// languages, with the same results on text of 120 characters or more. Note that the zero
	// Options select high accuracy; DefaultOptions selects low.
	LowAccuracy bool
	// MinParagraphChars is the length, in characters, from which the Stage runs the detector on
	// a paragraph; shorter paragraphs inherit (see the package comment). 0 means 40.
	MinParagraphChars int
}

// DefaultOptions returns the options mizan runs with: DefaultLanguages, low accuracy, paragraphs
// of 40 characters or more detected.
func DefaultOptions() Options {
	return Options{Languages: DefaultLanguages, LowAccuracy: true, MinParagraphChars: 40}
}

// Tuning constants.
const (
	// maxSample is how much of a text, in characters, is given to lingua: the longest lines
	// first (prose rather than menus), up to this length. Detection time grows with length and
	// a few hundred characters decide the language as well as a whole article.
	maxSample = 500
	// minConfidence is lingua's confidence (its probabilities sum to 1 over the languages) under
	// which Detect answers "".
	minConfidence            = 0.5
	defaultMinParagraphChars = 40
)

// Detector detects languages. Build it once with New (it loads the models) and share it: it is
// safe for concurrent use.
type Detector struct {
	det      lingua.LanguageDetector
	codes    map[lingua.Language]string
	langs    []string            // configured ISO 639-1 codes, in the order given
	script   map[string]string   // language → its script (textnorm.ScriptOf code)
	byScript map[string][]string // script → configured languages written in it
	minChars int
	words    map[string][]string // function word → configured Latin-script languages (profile.go)
}

// New builds a Detector and loads its models, so that the first document is not slow. It panics
// when o.Languages holds fewer than two languages or a code lingua does not support: options come
// from code, and Supported lets a caller check codes that come from configuration.
func New(o Options) *Detector {
	codes := o.Languages
	if codes == nil {
		codes = DefaultLanguages
	}
	d := &Detector{
		codes:    map[lingua.Language]string{},
		script:   map[string]string{},
		byScript: map[string][]string{},
		minChars: o.MinParagraphChars,
	}
	if d.minChars <= 0 {
		d.minChars = defaultMinParagraphChars
	}
	var langs []lingua.Language
	for _, c := range codes {
		c = strings.ToLower(strings.TrimSpace(c))
		l := language(c)
		if l == lingua.Unknown {
			panic(fmt.Sprintf("lang: unsupported language %q", c))
		}
		if _, dup := d.codes[l]; dup {
			continue
		}
		d.codes[l] = c
		d.langs = append(d.langs, c)
		langs = append(langs, l)
		s := scriptOfLanguage(l)
		d.script[c] = s
		d.byScript[s] = append(d.byScript[s], c)
	}
	if len(langs) < 2 {
		panic(fmt.Sprintf("lang: need at least two languages, got %q", codes))
	}
	d.words = wordLangs(d.langs)
	b := lingua.NewLanguageDetectorBuilder().FromLanguages(langs...).WithPreloadedLanguageModels()
	if o.LowAccuracy {
		b = b.WithLowAccuracyMode()
	}
	d.det = b.Build()
	return d
}

// Supported reports whether lingua knows the ISO 639-1 code.
func Supported(code string) bool { return language(strings.ToLower(code)) != lingua.Unknown }

func language(code string) lingua.Language {
	iso := lingua.GetIsoCode639_1FromValue(code)
	if iso == lingua.UnknownIsoCode639_1 {
		return lingua.Unknown
	}
	return lingua.GetLanguageFromIsoCode639_1(iso)
}

// scriptOfLanguage returns the textnorm.ScriptOf code of the script l is written in.
func scriptOfLanguage(l lingua.Language) string {
	for _, s := range []struct {
		code  string
		langs []lingua.Language
	}{
		{"latn", lingua.AllLanguagesWithLatinScript()},
		{"arab", lingua.AllLanguagesWithArabicScript()},
		{"cyrl", lingua.AllLanguagesWithCyrillicScript()},
		{"deva", lingua.AllLanguagesWithDevanagariScript()},
	} {
		if slices.Contains(s.langs, l) {
			return s.code
		}
	}
	switch l {
	case lingua.Hebrew:
		return "hebr"
	case lingua.Greek:
		return "grek"
	case lingua.Armenian:
		return "armn"
	case lingua.Georgian:
		return "geor"
	case lingua.Thai:
		return "thai"
	case lingua.Bengali:
		return "beng"
	case lingua.Tamil:
		return "taml"
	case lingua.Korean:
		return "hang"
	case lingua.Chinese:
		return "hani"
	case lingua.Japanese:
		return "kana" // kana decide; Han alone is left to the detector
	}
	return "zzzz"
}

// Detect returns the ISO 639-1 code of the language of text and a confidence in [0, 1], or ""
// when it cannot tell (no letters, a language outside the configured set, or lingua less than
// 50% sure). Script decides where it can (see the package comment); otherwise lingua reads a
// sample of at most 500 characters made of the longest lines of text, so menus and bylines
// around an article weigh little. Detect does not refuse short text: the Stage, not Detect,
// keeps fragments away from it.
func (d *Detector) Detect(text string) (lang string, conf float64) {
	sc := countScripts(text)
	if sc.letters == 0 {
		return "", 0
	}
	main, n := sc.main()
	share := float64(n) / float64(sc.letters)
	if share >= 0.5 && main != "latn" {
		if l, ok := d.byScriptAlone(main, text, sc.letters >= d.minChars); ok {
			return l, share
		}
	}
	return d.detect(sample(text, maxSample))
}

// detect asks lingua.
func (d *Detector) detect(text string) (string, float64) {
	vals := d.det.ComputeLanguageConfidenceValues(text)
	if len(vals) == 0 {
		return "", 0
	}
	best := vals[0]
	if best.Value() < minConfidence {
		return "", best.Value()
	}
	return d.codes[best.Language()], best.Value()
}

// byScriptAlone returns the language of text, mostly written in script, when the script decides
// it: the only configured language of that script, or for Arabic script with Persian or Urdu
// configured too, the letters (when long is false, i.e. for text too short for the detector).
func (d *Detector) byScriptAlone(script, text string, long bool) (string, bool) {
	langs := d.byScript[script]
	switch {
	case len(langs) == 1:
		return langs[0], true
	case script == "arab" && len(langs) > 1 && !long:
		return d.arabicByLetters(text), true
	case script == "arab" && slices.Contains(langs, "ar") && clearlyArabic(text):
		return "ar", true
	}
	return "", false
}

// clearlyArabic reports whether a long Arabic-script text is Arabic beyond doubt: at least five
// letters only Arabic uses (ة ى and Arabic yeh and kaf) and none of Persian's or Urdu's. Running
// text always has them, so most Arabic paragraphs need no detector.
func clearlyArabic(text string) bool {
	arabic := 0
	for _, r := range text {
		switch r {
		case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ۓ', 'ہ', 'ھ', 'پ', 'چ', 'ژ', 'گ', 'ی', 'ک':
			return false
		case 'ة', 'ى', 'ي', 'ك':
			arabic++
		}
	}
	return arabic >= 5
}

// arabicByLetters tells Arabic, Persian and Urdu apart by the letters only Urdu (ٹ ڈ ڑ ں ے ہ ھ)
// or Persian and Urdu (پ چ ژ گ ی ک) use, against those only Arabic uses (ة ى ي ك).
func (d *Detector) arabicByLetters(text string) string {
	var urdu, persian, arabic int
	for _, r := range text {
		switch r {
		case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ۓ', 'ہ', 'ھ':
			urdu++
		case 'پ', 'چ', 'ژ', 'گ', 'ی', 'ک':
			persian++
		case 'ة', 'ى', 'ي', 'ك':
			arabic++
		}
	}
	has := func(l string) bool { return slices.Contains(d.byScript["arab"], l) }
	switch {
	case urdu > 0 && has("ur"):
		return "ur"
	case persian > arabic && has("fa"):
		return "fa"
	case has("ar"):
		return "ar"
	}
	return d.byScript["arab"][0]
}

// scriptCounts counts the letters of a text by script.
type scriptCounts struct {
	letters int
	by      map[string]int
}

func countScripts(text string) scriptCounts {
	sc := scriptCounts{by: map[string]int{}}
	for _, r := range text {
		switch s := textnorm.ScriptOf(r); s {
		case "":
		case "hira":
			sc.by["kana"]++ // both kana scripts mean Japanese
			sc.letters++
		default:
			sc.by[s]++
			sc.letters++
		}
	}
	return sc
}

// main returns the script with the most letters (Latin on ties, so that mixed text goes to the
// detector).
func (sc scriptCounts) main() (string, int) {
	best, n := "", 0
	for s, c := range sc.by {
		if c > n || (c == n && s == "latn") || (c == n && best != "latn" && s < best) {
			best, n = s, c
		}
	}
	return best, n
}

// sample returns at most max characters of text for the detector: the whole text when it is
// short enough, else its longest lines (in text order) up to max, cut at a space.
func sample(text string, max int) string {
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	lines := strings.Split(text, "\n")
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(lines[b]) - len(lines[a]) })
	keep := make([]bool, len(lines))
	total := 0
	for _, i := range order {
		if total >= max {
			break
		}
		keep[i] = true
		total += utf8.RuneCountInString(lines[i]) + 1
	}
	var b strings.Builder
	for i, l := range lines {
		if keep[i] {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	s := b.String()
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut := 0
	for i := range s {
		if cut++; cut > max {
			s = s[:i]
			break
		}
	}
	if sp := strings.LastIndexFunc(s, unicode.IsSpace); sp > len(s)/2 {
		s = s[:sp]
	}
	return s
}

// Stage is the pipeline stage "lang": it sets d.Paragraphs, the blocks of d.Text separated by
// blank lines (character spans, trimmed of whitespace), each with its language, and d.Lang, the
// language of most characters. Paragraphs of at least MinParagraphChars characters, or whose
// script decides, get their own language; shorter ones inherit the language of the paragraphs
// in the same script, or the language detected on all the short ones together, or none; a
// paragraph without letters takes d.Lang. When nothing can be told, d.Lang keeps the value an
// earlier stage gave it (an HTML lang attribute, say). Safe for concurrent use.
type Stage struct{ D *Detector }

var _ nlp.Stage = Stage{}

// Name returns "lang".
func (Stage) Name() string { return "lang" }

// paragraph is a paragraph being decided.
type paragraph struct {
	start, end int // bytes
	chars      int
	script     string // main script of the letters ("latn" for mixed), "" without letters
	lang       string
}

// Process sets d.Paragraphs and d.Lang. It fails only when the Stage has no Detector.
func (s Stage) Process(ctx context.Context, d *nlp.Doc) error {
	if s.D == nil {
		return fmt.Errorf("lang stage has no detector")
	}
	paras := splitParagraphs(d.Text)
	// The language of the document's Latin-script text, detected once on a sample, lets long
	// Latin paragraphs whose function words agree with it skip the detector (see profile).
	latin, latinDone := "", false
	// Decide what can be decided alone.
	for i := range paras {
		p := &paras[i]
		if err := ctx.Err(); err != nil {
			return err
		}
		text := d.Text[p.start:p.end]
		sc := countScripts(text)
		if sc.letters == 0 {
			continue
		}
		main, n := sc.main()
		if float64(n) < 0.5*float64(sc.letters) {
			main = "latn" // no majority: let the detector read it
		}
		p.script = main
		long := p.chars >= s.D.minChars
		if main != "latn" {
			if l, ok := s.D.byScriptAlone(main, text, long); ok {
				p.lang = l
				continue
			}
		}
		if !long {
			continue
		}
		if main == "latn" {
			if !latinDone {
				all := latinText(d.Text, paras)
				var ok bool
				if latin, ok = s.D.confident(all); !ok {
					latin, _ = s.D.detect(sample(all, maxSample))
				}
				latinDone = true
			}
			switch l, best, second := s.D.countWords(text); {
			case l == latin && best >= 2 && best >= 2*second:
				// Its function words agree with the document's language: no need to ask.
				p.lang = latin
				continue
			case best < 2 && p.chars < listChars:
				// A headline or a list of names: too few function words to tell, and detectors
				// fail on such fragments; it inherits like a short paragraph.
				continue
			}
		}
		p.lang, _ = s.D.detect(sample(text, maxSample))
	}
	// Short paragraphs inherit from their script's decided paragraphs, else from a detection
	// over all of them together.
	for _, script := range scriptsOf(paras) {
		if l := mostChars(paras, func(p paragraph) bool { return p.lang != "" && s.D.script[p.lang] == script }); l != "" {
			setUndecided(paras, script, l)
			continue
		}
		var pool strings.Builder
		for _, p := range paras {
			if p.script == script && p.lang == "" {
				pool.WriteString(d.Text[p.start:p.end])
				pool.WriteByte('\n')
			}
		}
		if utf8.RuneCountInString(pool.String()) >= s.D.minChars {
			if l, _ := s.D.detect(sample(pool.String(), maxSample)); l != "" {
				setUndecided(paras, script, l)
				continue
			}
		}
		if d.Lang != "" && s.D.script[d.Lang] == script {
			setUndecided(paras, script, d.Lang)
		}
	}
	if l := mostChars(paras, func(p paragraph) bool { return p.lang != "" }); l != "" {
		d.Lang = l
	}
	ix := d.Index()
	d.Paragraphs = make([]mizan.Paragraph, len(paras))
	for i, p := range paras {
		if p.script == "" {
			p.lang = d.Lang
		}
		d.Paragraphs[i] = mizan.Paragraph{Span: ix.Span(p.start, p.end), Lang: p.lang}
	}
	return nil
}

// listChars is the length below which a Latin paragraph with almost no function words is taken
// for a headline or a list of names and inherits its language.
const listChars = 300

// latinText joins the paragraphs whose main script is Latin (or still unknown).
func latinText(text string, paras []paragraph) string {
	var b strings.Builder
	for _, p := range paras {
		if sc := countScripts(text[p.start:p.end]); sc.letters > 0 {
			if m, n := sc.main(); m == "latn" || float64(n) < 0.5*float64(sc.letters) {
				b.WriteString(text[p.start:p.end])
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// splitParagraphs returns the blocks of text separated by blank lines (lines of whitespace
// only), trimmed of whitespace.
func splitParagraphs(text string) []paragraph {
	var out []paragraph
	start, end := -1, -1 // the current paragraph, bytes
	flush := func() {
		if start >= 0 {
			out = append(out, paragraph{start: start, end: end, chars: utf8.RuneCountInString(text[start:end])})
		}
		start, end = -1, -1
	}
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			j = len(text)
		} else {
			j += i
		}
		line := text[i:j]
		if trimmed := strings.TrimSpace(line); trimmed == "" {
			flush()
		} else {
			lead := strings.Index(line, trimmed)
			if start < 0 {
				start = i + lead
			}
			end = i + lead + len(trimmed)
		}
		i = j + 1
	}
	flush()
	return out
}

// scriptsOf returns the scripts of the paragraphs still undecided, in order of appearance.
func scriptsOf(paras []paragraph) []string {
	var out []string
	for _, p := range paras {
		if p.lang == "" && p.script != "" && !slices.Contains(out, p.script) {
			out = append(out, p.script)
		}
	}
	return out
}

// mostChars returns the language of the paragraphs selected by keep that covers the most
// characters (the first one seen on ties), or "".
func mostChars(paras []paragraph, keep func(paragraph) bool) string {
	chars := map[string]int{}
	best := ""
	for _, p := range paras {
		if !keep(p) {
			continue
		}
		chars[p.lang] += p.chars
		if best == "" || chars[p.lang] > chars[best] {
			best = p.lang
		}
	}
	return best
}

func setUndecided(paras []paragraph, script, lang string) {
	for i := range paras {
		if paras[i].script == script && paras[i].lang == "" {
			paras[i].lang = lang
		}
	}
}
