package textnorm_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan/internal/textnorm"
)

func TestKey(t *testing.T) {
	tests := []struct {
		lang, in, want string
	}{
		// English and French: case, diacritics, ligatures, compatibility forms.
		{"en", "Algeria", "algeria"},
		{"en", "SAID", "said"},
		{"fr", "Algérie", "algerie"},
		{"fr", "Saïd", "said"},
		{"fr", "ÉCOLE", "ecole"},
		{"fr", "Œuvre", "oeuvre"},
		{"fr", "français", "francais"},
		{"de", "Straße", "strasse"},
		{"da", "Ørsted", "orsted"},
		{"pl", "Łódź", "lodz"},
		{"tr", "İstanbul", "istanbul"},
		{"en", "ﬁnance", "finance"},
		{"en", "ＡＢＣ１２", "abc12"},
		{"en", "Sa\u0301id", "said"}, // decomposed accent
		{"ru", "Сергей", "сергей"},
		{"ru", "Й", "й"}, // Cyrillic keeps its letters
		// Apostrophes and hyphens separate words, keys are joined by spaces.
		{"fr", "l'Algérie", "l algerie"},
		{"fr", "l’Algérie", "l algerie"},
		{"fr", "aujourd'hui", "aujourd hui"},
		{"en", "al-Sharaa", "al sharaa"},
		{"en", "Algeria’s", "algeria s"},
		{"en", "Qurʼan", "qur an"},
		{"en", "U.S.", "u s"},
		{"en", "3.5", "3 5"},
		{"en", "...", ""},
		{"en", "", ""},
		// Arabic: hamza and alef variants, alif maqsura, taa marbuta, diacritics, tatweel.
		{"ar", "أحمد", "احمد"},
		{"ar", "إيران", "ايران"},
		{"ar", "آسيا", "اسيا"},
		{"ar", "مستشفى", "مستشفي"},
		{"ar", "مدرسة", "مدرسه"},
		{"ar", "مؤتمر", "موتمر"},
		{"ar", "رئيس", "رييس"},
		{"ar", "الجَزائِر", "جزاير"},
		{"ar", "الجزائـــر", "جزاير"},
		{"ar", "مُحَمَّدٌ", "محمد"},
		{"ar", "٢٠٢٤", "2024"},
		{"fa", "۱۴۰۳", "1403"},
		{"fa", "پاکستان", "پاكستان"},
		{"fa", "ایران", "ايران"},
		{"fa", "می\u200cخواهم", "ميخواهم"}, // ZWNJ does not split a Persian word
		{"ar", "ﺍﻟﺠﺰاﺋﺮ", "جزاير"},         // presentation forms
		{"ar", "ـــ", ""},
		// Arabic proclitics.
		{"ar", "الجزائر", "جزاير"},
		{"ar", "والجزائر", "جزاير"},
		{"ar", "بالجزائر", "جزاير"},
		{"ar", "للجزائر", "جزاير"},
		{"ar", "فالجزائر", "جزاير"},
		{"ar", "وبالجزائر", "جزاير"},
		{"ar", "اجتماع", "اجتماع"},
		{"ar", "الاجتماع", "اجتماع"},
		{"ar", "وبالتالي", "تالي"},
		{"ar", "بيت", "بيت"},
		{"ar", "كان", "كان"},
		{"ar", "لكن", "لكن"},
		{"ar", "لبنان", "لبنان"},
		{"ar", "بلبنان", "لبنان"},
		{"ar", "للبنان", "لبنان"},
		{"ar", "ولبنان", "لبنان"},
		{"ar", "فرنسا", "فرنسا"},
		{"ar", "وفرنسا", "فرنسا"},
		{"ar", "والي", "والي"},
		{"ar", "الوالي", "والي"},
		{"ar", "وزارة", "وزاره"},
		{"ar", "الوزارة", "وزاره"},
		{"ar", "بوزارة", "وزاره"},
		{"ar", "ألمانيا", "المانيا"},
		{"ar", "بألمانيا", "المانيا"},
		{"ar", "الله", "الله"},
		{"ar", "وقال", "قال"},
		{"ar", "عبد المجيد", "عبد مجيد"},
		// Scripts do not share a word.
		{"mixed", "Algeriaالجزائر", "algeria جزاير"},
		{"mixed", "F-16", "f 16"},
	}
	for _, tt := range tests {
		if got := textnorm.Key(tt.in); got != tt.want {
			t.Errorf("%s: Key(%q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}

// TestSearchMatches checks the promise made to full-text search: a query, turned into keys by
// SearchText, is found in a text turned into keys the same way, across spelling variants.
func TestSearchMatches(t *testing.T) {
	tests := []struct {
		query, text string
		want        bool
	}{
		{"الجزائر", "قال إن والجزائر وتونس", true},
		{"الجزائر", "في بالجزائر العاصمة", true},
		{"الجزائر", "تحية للجزائر", true},
		{"الجزائر", "الجَزائِر", true},
		{"الجزائر", "الجزائـر", true},
		{"جزائر", "في الجزائر", true},
		{"اجتماع", "عقد الاجتماع أمس", true},
		{"الاجتماع", "اجتماع طارئ", true},
		{"أحمد", "احمد", true},
		{"إلى", "الى", true},
		{"مستشفى", "المستشفي", true},
		{"مدرسة", "المدرسه", true},
		{"وزارة الدفاع", "بيان لوزارة الدفاع", true},
		{"الوزير", "وزير", true},
		{"لبنان", "الوضع في بلبنان", true},
		{"Algérie", "ALGERIE", true},
		{"algerie", "l'Algérie", true},
		{"Saïd", "General Said Chengriha", true},
		{"Said", "Saïd Chengriha", true},
		{"Saïd Chengriha", "General Saïd Chengriha", true},
		{"al-Sharaa", "Ahmad al Sharaa", true},
		{"Algeria", "Algeria’s army", true},
		{"Chengriha", "Chanegriha", false},
		{"الجزائر", "جزيرة", false},
		{"بيت", "بيان", false},
	}
	for _, tt := range tests {
		if got := matches(tt.query, tt.text); got != tt.want {
			t.Errorf("query %q in %q: got %v, want %v (keys %q in %q)", tt.query, tt.text, got, tt.want,
				textnorm.SearchText(tt.query), textnorm.SearchText(tt.text))
		}
	}
}

// matches reports whether the keys of query appear, in order and next to each other, among the
// keys of text: a phrase query against a full-text index.
func matches(query, text string) bool {
	q := strings.Fields(textnorm.SearchText(query))
	d := strings.Fields(textnorm.SearchText(text))
	for i := 0; i+len(q) <= len(d); i++ {
		if slices.Equal(d[i:i+len(q)], q) {
			return true
		}
	}
	return false
}

func TestTokens(t *testing.T) {
	type tok struct {
		key, word, article, stem string
	}
	tests := []struct {
		in   string
		want []tok
	}{
		{"Algeria's army, in Algiers.", []tok{
			{"algeria", "Algeria", "Algeria", "Algeria"}, {"s", "s", "s", "s"},
			{"army", "army", "army", "army"}, {"in", "in", "in", "in"}, {"algiers", "Algiers", "Algiers", "Algiers"},
		}},
		{"L'École d'Alger", []tok{
			{"l", "L", "L", "L"}, {"ecole", "École", "École", "École"},
			{"d", "d", "d", "d"}, {"alger", "Alger", "Alger", "Alger"},
		}},
		{"زار والجزائر", []tok{
			{"زار", "زار", "زار", "زار"},
			{"جزاير", "والجزائر", "الجزائر", "جزائر"},
		}},
		{"وَالْجَزائِر، للجزائر؟", []tok{
			{"جزاير", "وَالْجَزائِر", "الْجَزائِر", "جَزائِر"},
			{"جزاير", "للجزائر", "لجزائر", "جزائر"},
		}},
		{"وبيروت 2024", []tok{
			{"بيروت", "وبيروت", "بيروت", "بيروت"},
			{"2024", "2024", "2024", "2024"},
		}},
		{"ـــ « Saïd »", []tok{
			{"said", "Saïd", "Saïd", "Saïd"},
		}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []tok
		for _, k := range textnorm.Tokens(tt.in) {
			got = append(got, tok{k.Key, tt.in[k.Start:k.End], tt.in[k.ArticleStart:k.End], tt.in[k.StemStart:k.End]})
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q):\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestStripClitics(t *testing.T) {
	tests := []struct {
		word, stem string
	}{
		{"الجزائر", "جزائر"},
		{"والجزائر", "جزائر"},
		{"وَالْجَزائِر", "جَزائِر"},
		{"بالجزائر", "جزائر"},
		{"كالجزائر", "جزائر"},
		{"فالجزائر", "جزائر"},
		{"للجزائر", "جزائر"},
		{"وللجزائر", "جزائر"},
		{"وبالجزائر", "جزائر"},
		{"وقال", "قال"},
		{"فقال", "قال"},
		{"بموسكو", "موسكو"},
		{"لموسكو", "موسكو"},
		{"وبموسكو", "موسكو"},
		{"الدم", "دم"},     // 2 letters may follow the article
		{"ودم", "ودم"},     // but 3 must follow a single proclitic
		{"بيت", "بيت"},     // ب + 2 letters
		{"كان", "كان"},     // ك + 2 letters
		{"لكن", "لكن"},     // ل + 2 letters
		{"وقت", "وقت"},     // و + 2 letters
		{"لبنان", "لبنان"}, // listed
		{"بلبنان", "لبنان"},
		{"للبنان", "لبنان"},
		{"فرنسا", "فرنسا"},
		{"والي", "والي"},
		{"والد", "والد"},
		{"وزير", "وزير"},
		{"الوزير", "وزير"},
		{"بوتين", "بوتين"},
		{"لله", "لله"},
		{"الله", "الله"},
		{"ال", "ال"},
		{"و", "و"},
		{"", ""},
		{"Algeria", "Algeria"},
		{"و2024", "و2024"},
		{"ﻭﺍﻟﺠﺰﺍﺋﺮ", "ﺠﺰﺍﺋﺮ"}, // presentation forms
	}
	for _, tt := range tests {
		stem, n := textnorm.StripClitics(tt.word)
		if stem != tt.stem || tt.word[n:] != stem {
			t.Errorf("StripClitics(%q) = %q, %d; want %q", tt.word, stem, n, tt.stem)
		}
	}
}

func TestFoldLatin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Algérie", "Algerie"},
		{"Saïd Chanegriha", "Said Chanegriha"},
		{"Ça va, garçon ?", "Ca va, garcon ?"},
		{"Straße", "Strasse"},
		{"Øresund, Æsir, Œdipe", "Oresund, AEsir, OEdipe"},
		{"naïve café", "naive cafe"},
		{"l’Algérie “quote”", `l'Algerie "quote"`},
		{"ﬁn", "fin"},
		{"Сергей Лавров", "Сергей Лавров"},
		{"الجَزائِر", "الجَزائِر"},
		{"plain ASCII", "plain ASCII"},
	}
	for _, tt := range tests {
		if got := textnorm.FoldLatin(tt.in); got != tt.want {
			t.Errorf("FoldLatin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeArabic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"أإآٱا", "ااااا"},
		{"على مستشفى", "علي مستشفي"},
		{"مدرسة", "مدرسه"},
		{"مؤتمر رئيس", "موتمر رييس"},
		{"سماء", "سماء"}, // the lone hamza stays
		{"الجَزَائِرُ", "الجزاير"},
		{"الجزائـــر", "الجزاير"},
		{"قُرْآنٌ", "قران"},
		{"٢٠٢٤ ۱۴۰۳", "2024 1403"},
		{"پاکستان ایران", "پاكستان ايران"},
		{"ﻻ", "لا"},
		{"الجزائر، 2024؟", "الجزاير، 2024؟"},
		{"Algérie", "Algérie"},
	}
	for _, tt := range tests {
		if got := textnorm.NormalizeArabic(tt.in); got != tt.want {
			t.Errorf("NormalizeArabic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in   string
		o    textnorm.Options
		want string
		// spans maps ranges of the result back to the original.
		spans map[string]string
	}{
		{"Saïd Chengriha", textnorm.DefaultOptions(), "said chengriha",
			map[string]string{"said": "Saïd", "chengriha": "Chengriha"}},
		{"L’ÉCOLE ﬁnale", textnorm.DefaultOptions(), "l'ecole finale",
			map[string]string{"ecole": "ÉCOLE", "finale": "ﬁnale"}},
		{"Saïd", textnorm.Options{}, "Saïd", map[string]string{"Saïd": "Saïd"}},
		{"Saïd", textnorm.Options{Lower: true}, "saïd", map[string]string{"ï": "ï"}},
		{"في والجزائر", textnorm.DefaultOptions(), "في جزاير",
			map[string]string{"جزاير": "جزائر", "في": "في"}},
		{"وَالْجَزائِر", textnorm.Options{Arabic: true}, "والجزاير",
			map[string]string{"الجزاير": "الْجَزائِر"}},
		{"وَالْجَزائِر", textnorm.Options{Clitics: true}, "جَزائِر",
			map[string]string{"جَزائِر": "جَزائِر"}},
		{"x\xffy", textnorm.Options{}, "x\uFFFDy", map[string]string{"\uFFFD": "\xff"}},
		{"", textnorm.DefaultOptions(), "", nil},
	}
	for _, tt := range tests {
		got, m := textnorm.Normalize(tt.in, tt.o)
		if got != tt.want {
			t.Errorf("Normalize(%q, %+v) = %q, want %q", tt.in, tt.o, got, tt.want)
			continue
		}
		checkMap(t, tt.in, got, m)
		for sub, orig := range tt.spans {
			i := strings.Index(got, sub)
			if i < 0 {
				t.Fatalf("Normalize(%q): %q not in result %q", tt.in, sub, got)
			}
			if back := tt.in[m[i]:m[i+len(sub)]]; back != orig {
				t.Errorf("Normalize(%q): %q maps back to %q, want %q", tt.in, sub, back, orig)
			}
		}
	}
}

func TestScript(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Algeria", "latn"},
		{"الجزائر وإيران", "arab"},
		{"Сергей Лавров", "cyrl"},
		{"ישראל", "hebr"},
		{"Ελλάδα", "grek"},
		{"北京", "hani"},
		{"Algeria الجزائر", "mixed"},
		{"The president of الجزائر met his counterparts", "latn"},
		{"2024 — 3.5%", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := textnorm.Script(tt.in); got != tt.want {
			t.Errorf("Script(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsArabic(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{
		{'ج', true}, {'ـ', true}, {'َ', true}, {'٣', true}, {'ی', true}, {'ﻻ', true},
		{'،', false}, {'؟', false}, {'a', false}, {'ש', false}, {' ', false},
	}
	for _, tt := range tests {
		if got := textnorm.IsArabic(tt.r); got != tt.want {
			t.Errorf("IsArabic(%q) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

// checkMap verifies the offset-map contract of Normalize.
func checkMap(tb testing.TB, in, out string, m []int) {
	tb.Helper()
	if len(m) != len(out)+1 {
		tb.Fatalf("Normalize(%q): map has %d entries for %d bytes, want %d", in, len(m), len(out), len(out)+1)
	}
	if m[len(out)] != len(in) {
		tb.Fatalf("Normalize(%q): map ends at %d, want %d", in, m[len(out)], len(in))
	}
	for i, v := range m {
		if v < 0 || v > len(in) {
			tb.Fatalf("Normalize(%q): m[%d] = %d, outside [0, %d]", in, i, v, len(in))
		}
		if i > 0 && v < m[i-1] {
			tb.Fatalf("Normalize(%q): m[%d] = %d < m[%d] = %d", in, i, v, i-1, m[i-1])
		}
		if utf8.ValidString(in) && v < len(in) && !utf8.RuneStart(in[v]) {
			tb.Fatalf("Normalize(%q): m[%d] = %d is inside a character", in, i, v)
		}
	}
	if !utf8.ValidString(out) {
		tb.Fatalf("Normalize(%q) = %q: invalid UTF-8", in, out)
	}
}

// checkTokens verifies the contract of Tokens, Key and SearchText on s.
func checkTokens(tb testing.TB, s string) {
	tb.Helper()
	toks := textnorm.Tokens(s)
	keys := make([]string, 0, len(toks))
	prev := 0
	for _, k := range toks {
		if k.Start < prev || k.Start >= k.End || k.End > len(s) {
			tb.Fatalf("Tokens(%q): span %d-%d after %d", s, k.Start, k.End, prev)
		}
		if k.ArticleStart < k.Start || k.StemStart < k.ArticleStart || k.StemStart >= k.End {
			tb.Fatalf("Tokens(%q): word %d-%d with article %d, stem %d", s, k.Start, k.End, k.ArticleStart, k.StemStart)
		}
		if !utf8.ValidString(s[k.Start:k.End]) || !utf8.ValidString(s[k.Start:k.ArticleStart]) ||
			!utf8.ValidString(s[k.ArticleStart:k.StemStart]) {
			tb.Fatalf("Tokens(%q): word %d-%d (article %d, stem %d) splits a character", s, k.Start, k.End, k.ArticleStart, k.StemStart)
		}
		if k.Key == "" {
			tb.Fatalf("Tokens(%q): empty key for %q", s, s[k.Start:k.End])
		}
		for _, r := range k.Key {
			if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) {
				tb.Fatalf("Tokens(%q): key %q holds %q, which a full-text tokenizer would split on", s, k.Key, r)
			}
		}
		if got := textnorm.Key(s[k.Start:k.End]); got != k.Key {
			tb.Fatalf("Tokens(%q): Key(%q) = %q, but Tokens gave %q", s, s[k.Start:k.End], got, k.Key)
		}
		keys = append(keys, k.Key)
		prev = k.End
	}
	st := textnorm.SearchText(s)
	if want := strings.Join(keys, " "); st != want {
		tb.Fatalf("SearchText(%q) = %q, want the token keys %q", s, st, want)
	}
	// Keys are stable: a query already made of keys (a saved search, a UI link) is unchanged.
	if again := textnorm.SearchText(st); again != st {
		tb.Fatalf("SearchText(SearchText(%q)) = %q, want %q", s, again, st)
	}
}

func TestTokensSamples(t *testing.T) {
	for _, s := range samples(t) {
		checkTokens(t, s)
		got, m := textnorm.Normalize(s, textnorm.DefaultOptions())
		checkMap(t, s, got, m)
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range samples(f) {
		f.Add(s)
	}
	f.Add("ـــ ﷺ ½ x\u200c\u200cy Algeriaالجزائر l'Algérie \xff\xfe ́a")
	f.Fuzz(func(t *testing.T, s string) {
		checkTokens(t, s)
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range samples(f) {
		f.Add(s, uint8(15))
	}
	f.Add("ﷺ ½ ß İ ς ﻻ e\u0301\u0323 \xff", uint8(7))
	f.Fuzz(func(t *testing.T, s string, bits uint8) {
		o := textnorm.Options{Lower: bits&1 != 0, FoldLatin: bits&2 != 0, Arabic: bits&4 != 0, Clitics: bits&8 != 0}
		got, m := textnorm.Normalize(s, o)
		checkMap(t, s, got, m)
	})
}

// samples returns the paragraphs of the test texts in testdata.
func samples(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no testdata: %v", err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, strings.Split(string(b), "\n")...)
	}
	return out
}

func benchmark(b *testing.B, file string, fn func(string)) {
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(string(data), 100)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		fn(text)
	}
}

func BenchmarkTokensEnglish(b *testing.B) {
	benchmark(b, "en.txt", func(s string) { textnorm.Tokens(s) })
}

func BenchmarkTokensArabic(b *testing.B) {
	benchmark(b, "ar.txt", func(s string) { textnorm.Tokens(s) })
}

func BenchmarkSearchTextEnglish(b *testing.B) {
	benchmark(b, "en.txt", func(s string) { textnorm.SearchText(s) })
}

func BenchmarkSearchTextArabic(b *testing.B) {
	benchmark(b, "ar.txt", func(s string) { textnorm.SearchText(s) })
}

func BenchmarkSearchTextFrench(b *testing.B) {
	benchmark(b, "fr.txt", func(s string) { textnorm.SearchText(s) })
}

func BenchmarkNormalizeArabic(b *testing.B) {
	benchmark(b, "ar.txt", func(s string) { textnorm.Normalize(s, textnorm.DefaultOptions()) })
}
