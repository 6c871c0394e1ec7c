package sentence_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden splits testdata/LANG.txt and compares the sentences, one per line with their byte
// offsets, to testdata/LANG.golden.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs in testdata: %v", err)
	}
	for _, file := range files {
		lang := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(lang, func(t *testing.T) {
			text := readFile(t, file)
			rs := sentence.Split(text, lang)
			checkRanges(t, text, rs)
			var b strings.Builder
			for _, r := range rs {
				fmt.Fprintf(&b, "%d-%d\t%s\n", r.Start, r.End, text[r.Start:r.End])
			}
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := b.String(), readFile(t, golden); got != want {
				t.Errorf("Split(%s) differs from %s (run go test -update after checking):\n got:\n%s\nwant:\n%s", file, golden, got, want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string
	}{
		{"simple", "en", "One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"newline", "en", "A headline\nThe body. Second", []string{"A headline", "The body.", "Second"}},
		{"blank lines", "en", "\n\n  First para.  \n\n\nSecond para.\n", []string{"First para.", "Second para."}},
		{"crlf", "en", "One.\r\nTwo.\r\n", []string{"One.", "Two."}},
		{"line separator", "en", "One\u2028Two", []string{"One", "Two"}},
		{"closing quote", "en", `He said "stop." Then he left.`, []string{`He said "stop."`, "Then he left."}},
		{"closing bracket", "en", "It rose (by 3%.) Then fell.", []string{"It rose (by 3%.)", "Then fell."}},
		{"quote then lower", "en", `"Why?" he asked.`, []string{`"Why?" he asked.`}},
		{"lower after period", "en", "the total was 5 bn. more than expected", []string{"the total was 5 bn. more than expected"}},
		{"US title", "en", "The U.S. President spoke.", []string{"The U.S. President spoke."}},
		{"US end", "en", "It sanctioned the U.S. The reply came fast.", []string{"It sanctioned the U.S.", "The reply came fast."}},
		{"UK UN", "en", "U.K. and U.N. envoys met.", []string{"U.K. and U.N. envoys met."}},
		{"titles", "en", "Gen. Chengriha met Lt. Col. Ivanov and Dr. Ali.", []string{"Gen. Chengriha met Lt. Col. Ivanov and Dr. Ali."}},
		{"Mr St No vs", "en", "Mr. Smith of St. Louis, No. 5 vs. No. 6.", []string{"Mr. Smith of St. Louis, No. 5 vs. No. 6."}},
		{"month number", "en", "On Dec. 5 they met. In Jan. The rest.", []string{"On Dec. 5 they met.", "In Jan.", "The rest."}},
		{"eg ie", "en", "Allies (e.g. Iran, i.e. Tehran) agreed.", []string{"Allies (e.g. Iran, i.e. Tehran) agreed."}},
		{"Inc Corp", "en", "Apple Inc. and Acme Corp. Ltd. signed. It ended.", []string{"Apple Inc. and Acme Corp. Ltd. signed.", "It ended."}},
		{"initials", "en", "J. R. Smith and A. B. Jones met.", []string{"J. R. Smith and A. B. Jones met."}},
		{"decimal", "en", "Growth was 3.5 percent. Next year 4.1.", []string{"Growth was 3.5 percent.", "Next year 4.1."}},
		{"pm", "en", "At 5 p.m. Monday they met. At 6 p.m. The end.", []string{"At 5 p.m. Monday they met.", "At 6 p.m.", "The end."}},
		{"etc lower", "en", "Tanks, guns, etc. were sold.", []string{"Tanks, guns, etc. were sold."}},
		{"etc upper", "en", "Tanks, guns, etc. They were sold.", []string{"Tanks, guns, etc.", "They were sold."}},
		{"ellipsis mid", "en", "He paused... then spoke.", []string{"He paused... then spoke."}},
		{"ellipsis end", "en", "He paused… Then he spoke.", []string{"He paused…", "Then he spoke."}},
		{"numbered", "en", "1. First item.\n2. Second item.", []string{"1. First item.", "2. Second item."}},
		{"year end", "en", "It began in 2014. It ended.", []string{"It began in 2014.", "It ended."}},
		{"interrobang", "en", "Really?! Yes.", []string{"Really?!", "Yes."}},
		{"fr guillemets", "fr", "Il a dit : « C'est fini. » Puis il est parti.", []string{"Il a dit : « C'est fini. »", "Puis il est parti."}},
		{"fr M Mme", "fr", "M. Lavrov et Mme Dupont. Ils ont parlé.", []string{"M. Lavrov et Mme Dupont.", "Ils ont parlé."}},
		{"fr space before ?", "fr", "Pourquoi ? Parce que.", []string{"Pourquoi ?", "Parce que."}},
		{"fr av J.-C.", "fr", "Vers 150 av. J.-C. la ville brûla.", []string{"Vers 150 av. J.-C. la ville brûla."}},
		{"fr elision abbrev", "fr", "Voir l'art. 5 du traité.", []string{"Voir l'art. 5 du traité."}},
		{"ar question", "ar", "هل تغير الجزائر موقفها؟ يرى محللون ذلك.", []string{"هل تغير الجزائر موقفها؟", "يرى محللون ذلك."}},
		{"ar comma semicolon", "ar", "قال، ثم أضاف؛ وانتهى.", []string{"قال، ثم أضاف؛ وانتهى."}},
		{"ar no space", "ar", "ارتفع الرقم.وقالت الحكومة", []string{"ارتفع الرقم.", "وقالت الحكومة"}},
		{"ar doctor", "ar", "قال د. محمد إن الاتفاق مهم.", []string{"قال د. محمد إن الاتفاق مهم."}},
		{"ar doctor no space", "ar", "قال د.محمد إن الاتفاق مهم.", []string{"قال د.محمد إن الاتفاق مهم."}},
		{"ar ellipsis", "ar", "وأكد المتحدث... أن الزيارة ناجحة.", []string{"وأكد المتحدث... أن الزيارة ناجحة."}},
		{"ar guillemets", "ar", "قال: «إنها نقطة تحول.» وأضاف ذلك.", []string{"قال: «إنها نقطة تحول.»", "وأضاف ذلك."}},
		{"ar exclamation", "ar", "يا له من يوم! انتهى.", []string{"يا له من يوم!", "انتهى."}},
		{"unknown lang", "xx", "Gen. Ali met M. Dupont. Done.", []string{"Gen. Ali met M. Dupont.", "Done."}},
		{"only punctuation", "en", "* * *", []string{"* * *"}},
		{"empty", "en", "", nil},
		{"spaces", "en", " \n\t \n", nil},
	}
	for _, tt := range tests {
		rs := sentence.Split(tt.text, tt.lang)
		checkRanges(t, tt.text, rs)
		var got []string
		for _, r := range rs {
			got = append(got, tt.text[r.Start:r.End])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: Split(%q, %q):\n got %q\nwant %q", tt.name, tt.text, tt.lang, got, tt.want)
		}
	}
}

func TestStage(t *testing.T) {
	text := "Headline in English\n\nالجزائر بلد كبير. وهي في أفريقيا؟ نعم.\n\nDr. Smith agreed. Gen. Ali did too."
	d := &nlp.Doc{Document: &mizan.Document{ID: "doc", Raw: []byte(text), Text: text, Lang: "en"}}
	ix := d.Index()
	para := func(s, lang string) mizan.Paragraph {
		i := strings.Index(text, s)
		return mizan.Paragraph{Span: ix.Span(i, i+len(s)), Lang: lang}
	}
	d.Paragraphs = []mizan.Paragraph{
		para("Headline in English", "en"),
		para("الجزائر بلد كبير. وهي في أفريقيا؟ نعم.", "ar"),
		// the last paragraph is left out: the stage must still split it, with d.Lang
	}
	if err := (sentence.Stage{}).Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range d.Sentences {
		got = append(got, d.Slice(s))
	}
	want := []string{"Headline in English", "الجزائر بلد كبير.", "وهي في أفريقيا؟", "نعم.", "Dr. Smith agreed.", "Gen. Ali did too."}
	if !slices.Equal(got, want) {
		t.Errorf("Stage sentences:\n got %q\nwant %q", got, want)
	}
	if err := d.Validate(); err != nil {
		t.Errorf("Validate after Stage: got %v, want nil", err)
	}
	if n := (sentence.Stage{}).Name(); n != "sentence" {
		t.Errorf("Name() = %q, want %q", n, "sentence")
	}
}

// checkRanges verifies the contract of Split on text.
func checkRanges(tb testing.TB, text string, rs []sentence.Range) {
	tb.Helper()
	covered := make([]bool, len(text))
	prev := 0
	for _, r := range rs {
		if r.Start < prev || r.Start >= r.End || r.End > len(text) {
			tb.Fatalf("Split(%q): range %d-%d after %d", text, r.Start, r.End, prev)
		}
		s := text[r.Start:r.End]
		first, _ := utf8.DecodeRuneInString(s)
		last, _ := utf8.DecodeLastRuneInString(s)
		if unicode.IsSpace(first) || unicode.IsSpace(last) {
			tb.Fatalf("Split(%q): range %q is not trimmed", text, s)
		}
		if strings.ContainsAny(s, "\n\u2028\u2029") {
			tb.Fatalf("Split(%q): range %q crosses a line break", text, s)
		}
		for i := r.Start; i < r.End; i++ {
			covered[i] = true
		}
		prev = r.End
	}
	for i, c := range text {
		if !unicode.IsSpace(c) && !covered[i] {
			tb.Fatalf("Split(%q): %q at byte %d is in no sentence", text, c, i)
		}
	}
}

func FuzzSplit(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, file := range files {
		for line := range strings.Lines(readFile(f, file)) {
			f.Add(line, strings.TrimSuffix(filepath.Base(file), ".txt"))
		}
	}
	f.Add("« a. » b… ?! U.S. x\u2028y\r\n1. ٣. د.م", "")
	f.Fuzz(func(t *testing.T, text, lang string) {
		checkRanges(t, text, sentence.Split(text, lang))
	})
}

func BenchmarkSplit(b *testing.B) {
	for _, lang := range []string{"en", "ar"} {
		b.Run(lang, func(b *testing.B) {
			text := strings.Repeat(readFile(b, filepath.Join("testdata", lang+".txt")), 50)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				sentence.Split(text, lang)
			}
		})
	}
}

func readFile(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
