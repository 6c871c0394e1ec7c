package lang_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
)

// detector is built once for all tests, as a program would.
var detector = sync.OnceValue(func() *lang.Detector { return lang.New(lang.DefaultOptions()) })

func TestDetect(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", ""},
		{"no letters", "2024 — 3.5% !!!", ""},
		{"arabic word", "الجزائر", "ar"},
		{"arabic with harakat", "الجَزائِرُ", "ar"},
		{"arabic sentence", "أعلنت وزارة الدفاع الجزائرية عن مناورات عسكرية مشتركة مع روسيا.", "ar"},
		{"persian letters", "پاکستان زنده باد", "fa"},
		{"urdu letters", "پاکستان زندہ باد", "ur"},
		{"persian sentence", "وزیر امور خارجه ایران امروز با همتای الجزایری خود در تهران دیدار کرد.", "fa"},
		{"russian short", "Сергей Лавров", "ru"},
		{"hebrew short", "שלום עולם", "he"},
		{"english", "The Algerian army chief met Russian officials in Algiers on Tuesday.", "en"},
		{"french", "Le chef d'état-major algérien a rencontré des responsables russes mardi.", "fr"},
		{"spanish", "El jefe del ejército argelino se reunió con funcionarios rusos el martes.", "es"},
		{"german", "Der algerische Armeechef traf sich am Dienstag mit russischen Beamten.", "de"},
		{"english with arabic quote", "The minister said “الجزائر لن تنحاز” before leaving the summit in Algiers.", "en"},
		{"arabic with latin name", "التقى الرئيس عبد المجيد تبون بوزير الخارجية Sergey Lavrov في الجزائر العاصمة أمس.", "ar"},
	}
	d := detector()
	for _, tt := range tests {
		got, conf := d.Detect(tt.text)
		if got != tt.want {
			t.Errorf("%s: Detect(%q) = %q (%.2f), want %q", tt.name, tt.text, got, conf, tt.want)
		}
		if conf < 0 || conf > 1 || (got != "" && conf == 0) {
			t.Errorf("%s: Detect(%q) confidence %.2f, want in (0, 1]", tt.name, tt.text, conf)
		}
	}
}

// TestFragments measures detection on the short fragments of testdata/fragments.tsv, by length,
// and requires every fragment that the Stage would detect (MinParagraphChars or more, or in a
// script that decides) to be right. Fragments shorter than that are reported only: they are why
// short paragraphs inherit their language.
func TestFragments(t *testing.T) {
	type fragment struct{ lang, text string }
	var frags []fragment
	for line := range strings.Lines(readFile(t, filepath.Join("testdata", "fragments.tsv"))) {
		line = strings.TrimRight(line, "\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		l, text, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("fragments.tsv: no tab in %q", line)
		}
		frags = append(frags, fragment{l, text})
	}
	detectors := map[string]*lang.Detector{"low": detector()}
	if os.Getenv("MIZAN_LANG_HIGH") != "" { // costs ~500 MB and 1.5 s to load
		o := lang.DefaultOptions()
		o.LowAccuracy = false
		detectors["high"] = lang.New(o)
	}
	min := lang.DefaultOptions().MinParagraphChars
	for mode, d := range detectors {
		report := evalkit.Report{Title: "language detection on short fragments (" + mode + " accuracy)"}
		for _, f := range frags {
			got, _ := d.Detect(f.text)
			bucket := "< 40 chars"
			if utf8.RuneCountInString(f.text) >= min {
				bucket = ">= 40 chars"
			}
			c := evalkit.Counts{TP: 1}
			if got != f.lang {
				c = evalkit.Counts{FN: 1}
				if got != "" {
					c.FP = 1
				}
			}
			report.Add(bucket, c)
			report.Add(f.lang, c)
			report.Add("all", c)
			latin := !strings.ContainsFunc(f.text, func(r rune) bool { return r > 0x2FF })
			if got != f.lang && mode == "low" && (bucket != "< 40 chars" || !latin) {
				t.Errorf("Detect(%q) = %q, want %q", f.text, got, f.lang)
			}
		}
		report.Sort()
		t.Log("\n" + report.String())
	}
}

func TestStageMixed(t *testing.T) {
	text := strings.Join([]string{
		"Algeria and Iran deepen ties",
		"By Staff Writer",
		"The Algerian foreign minister travelled to Tehran on Monday for talks with his Iranian counterpart, the ministry said.",
		"An Arabic-language daily ran the headline:",
		"الجزائر وإيران تبنيان تحالفاً استراتيجياً",
		"Analysts in Paris see the visit as a message to Washington and to Rabat.",
		"* * *",
		"Read more",
	}, "\n\n")
	d := process(t, text, "")
	want := []string{"en", "en", "en", "en", "ar", "en", "en", "en"}
	checkParagraphs(t, d, strings.Split(text, "\n\n"), want)
	if d.Lang != "en" {
		t.Errorf("Lang = %q, want %q", d.Lang, "en")
	}
}

func TestStageArabicWithLatinLine(t *testing.T) {
	text := "الجزائر وإيران تبنيان تحالفاً\n\nأعلنت وزارة الدفاع الجزائرية عن مناورات عسكرية مشتركة مع روسيا في الصحراء.\n\nAFP\n\n   \n\n2024"
	d := process(t, text, "")
	// "AFP" is too short to detect and no other paragraph is in Latin script: it gets no language
	// rather than Arabic; "2024" has no letters and takes the document's.
	checkParagraphs(t, d, []string{"الجزائر وإيران تبنيان تحالفاً", "أعلنت وزارة الدفاع الجزائرية عن مناورات عسكرية مشتركة مع روسيا في الصحراء.", "AFP", "2024"},
		[]string{"ar", "ar", "", "ar"})
	if d.Lang != "ar" {
		t.Errorf("Lang = %q, want %q", d.Lang, "ar")
	}
}

func TestStageShortOnly(t *testing.T) {
	tests := []struct {
		name, text, prior, want string
	}{
		// No paragraph is long enough alone; together they are.
		{"pooled", "Algeria recalls envoy\n\nTalks with Madrid suspended\n\nGas deal under review", "", "en"},
		// Too little text to tell: an earlier stage's language of the same script stays.
		{"prior kept", "Read more", "fr", "fr"},
		{"nothing known", "Read more", "", ""},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		d := process(t, tt.text, tt.prior)
		if d.Lang != tt.want {
			t.Errorf("%s: Lang = %q, want %q", tt.name, d.Lang, tt.want)
		}
		for _, p := range d.Paragraphs {
			if p.Lang != tt.want {
				t.Errorf("%s: paragraph %q has language %q, want %q", tt.name, d.Slice(p.Span), p.Lang, tt.want)
			}
		}
	}
}

// TestCorpus runs the stage over the real sample documents of ../shared/corpus: 003 is Arabic,
// the others English (004 is a whole news page with its menus).
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "corpus")
	files, _ := filepath.Glob(filepath.Join(dir, "00[0-4]_*.txt"))
	if len(files) == 0 {
		t.Skipf("no sample corpus in %s: skipping", dir)
	}
	for _, f := range files {
		want := "en"
		if strings.HasPrefix(filepath.Base(f), "003") {
			want = "ar"
		}
		d := process(t, readFile(t, f), "")
		if d.Lang != want {
			t.Errorf("%s: Lang = %q, want %q", filepath.Base(f), d.Lang, want)
		}
		// Every paragraph mostly in Arabic letters is Arabic, whatever the document's language.
		for _, p := range d.Paragraphs {
			if s := d.Slice(p.Span); arabicShare(s) > 0.8 && p.Lang != "ar" {
				t.Errorf("%s: Arabic paragraph %.40q has language %q", filepath.Base(f), s, p.Lang)
			}
		}
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name  string
		langs []string
	}{
		{"one language", []string{"en"}},
		{"unknown code", []string{"en", "xx"}},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: New(%q) did not panic", tt.name, tt.langs)
				}
			}()
			lang.New(lang.Options{Languages: tt.langs, LowAccuracy: true})
		}()
	}
	// A smaller set: Arabic script and English only, so short Arabic-script text is Arabic.
	d := lang.New(lang.Options{Languages: []string{"AR", "en"}, LowAccuracy: true})
	if got, _ := d.Detect("پاکستان زندہ باد"); got != "ar" {
		t.Errorf("Detect with ar+en only = %q, want %q", got, "ar")
	}
	if got, _ := d.Detect("Bonjour à tous les amis de la presse étrangère réunis ici à Alger."); got != "en" && got != "" {
		t.Errorf("Detect of French with ar+en only = %q, want en or \"\"", got)
	}
	for code, want := range map[string]bool{"ar": true, "FA": true, "xx": false, "": false} {
		if got := lang.Supported(code); got != want {
			t.Errorf("Supported(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestStageNoDetector(t *testing.T) {
	d := &nlp.Doc{Document: &mizan.Document{Text: "x"}}
	if err := (lang.Stage{}).Process(context.Background(), d); err == nil {
		t.Error("Process without a detector: got nil error, want one")
	}
}

func TestStageConcurrent(t *testing.T) {
	texts := []string{
		"The Algerian foreign minister travelled to Tehran on Monday for talks with his counterpart.",
		"أعلنت وزارة الدفاع الجزائرية عن مناورات عسكرية مشتركة مع روسيا في الصحراء.",
		"Le ministre algérien des affaires étrangères s'est rendu à Téhéran lundi pour des entretiens.",
	}
	want := []string{"en", "ar", "fr"}
	var wg sync.WaitGroup
	errs := make(chan string, 30)
	for i := range 30 {
		wg.Go(func() {
			d := &nlp.Doc{Document: &mizan.Document{Text: texts[i%3]}}
			if err := (lang.Stage{D: detector()}).Process(context.Background(), d); err != nil || d.Lang != want[i%3] {
				errs <- d.Lang
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("concurrent Process: got Lang %q", got)
	}
}

func process(tb testing.TB, text, prior string) *nlp.Doc {
	tb.Helper()
	d := &nlp.Doc{Document: &mizan.Document{Text: text, Lang: prior}}
	st := lang.Stage{D: detector()}
	if err := st.Process(context.Background(), d); err != nil {
		tb.Fatalf("Process: %v", err)
	}
	if n := st.Name(); n != "lang" {
		tb.Fatalf("Name() = %q, want %q", n, "lang")
	}
	ix := d.Index()
	prev := 0
	for _, p := range d.Paragraphs {
		s := d.Slice(p.Span)
		if p.Span.Start < prev || p.Span.Start >= p.Span.End || p.Span.End > ix.Chars() || strings.TrimSpace(s) != s {
			tb.Fatalf("paragraph span %v (%q) invalid after %d", p.Span, s, prev)
		}
		prev = p.Span.End
	}
	return d
}

func checkParagraphs(tb testing.TB, d *nlp.Doc, texts, langs []string) {
	tb.Helper()
	var got, gotLangs []string
	for _, p := range d.Paragraphs {
		got = append(got, d.Slice(p.Span))
		gotLangs = append(gotLangs, p.Lang)
	}
	if !slices.Equal(got, texts) {
		tb.Errorf("paragraphs:\n got %q\nwant %q", got, texts)
	}
	if !slices.Equal(gotLangs, langs) {
		tb.Errorf("paragraph languages: got %q, want %q", gotLangs, langs)
	}
}

func arabicShare(s string) float64 {
	var ar, letters int
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			ar++
		}
		if r > ' ' {
			letters++
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(ar) / float64(letters)
}

func readFile(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func BenchmarkDetect(b *testing.B) {
	d := detector()
	for _, bm := range []struct{ name, text string }{
		{"en-120", "The Algerian army chief met Russian officials in Algiers on Tuesday to discuss military cooperation and arms."},
		{"en-500", strings.Repeat("The Algerian army chief met Russian officials in Algiers on Tuesday to discuss military cooperation. ", 5)},
		{"ar-short", "الجزائر وإيران تبنيان تحالفاً"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.text)))
			for b.Loop() {
				d.Detect(bm.text)
			}
		})
	}
}

func BenchmarkStage(b *testing.B) {
	para := []string{
		"Algeria and Iran deepen ties",
		"The Algerian foreign minister travelled to Tehran on Monday for talks with his Iranian counterpart, the ministry said.",
		"الجزائر وإيران تبنيان تحالفاً استراتيجياً",
		"Analysts in Paris see the visit as a message to Washington and to Rabat, and as a warning to Madrid.",
		"Read more",
	}
	text := strings.Repeat(strings.Join(para, "\n\n")+"\n\n", 4)
	st := lang.Stage{D: detector()}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		d := &nlp.Doc{Document: &mizan.Document{Text: text}}
		if err := st.Process(context.Background(), d); err != nil {
			b.Fatal(err)
		}
	}
}
