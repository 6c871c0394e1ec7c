package ner

import (
	"bufio"
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
)

// readGazNames reads testdata/gazetteer/names.tsv.
func readGazNames(tb testing.TB) []kb.NameRef {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "gazetteer", "names.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []kb.NameRef
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			tb.Fatalf("names.tsv: got %d columns in %q, want 4", len(cols), line)
		}
		out = append(out, kb.NameRef{Text: cols[0], Key: kb.Key(cols[0]), Lang: cols[1],
			Kind: mizan.NameKind(cols[2]), Type: mizan.EntityType(cols[3]), Entity: "test/" + cols[0]})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// renderGaz writes the tokens of text with the gazetteer's matches in brackets, followed by
// their classes: "[United States]LOC".
func renderGaz(g *gazetteer, lang, text string) string {
	toks := Tokenize(text)
	words := make([]string, len(toks))
	for i, tk := range toks {
		words[i] = tk.Text
	}
	info := analyse(lang, words, nil, nil)
	g.mark(info, nil)
	var b strings.Builder
	for i, t := range info {
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.gaz.pos == 'B' || t.gaz.pos == 'S' {
			b.WriteByte('[')
		}
		b.WriteString(words[i])
		if t.gaz.pos == 'E' || t.gaz.pos == 'S' {
			b.WriteString("]" + gazSets[t.gaz.cls])
		}
	}
	return b.String()
}

func TestGazetteerMark(t *testing.T) {
	names := readGazNames(t)
	tests := []struct {
		name, lang, text, want string
	}{
		{"person and state", "en", "Ahmed Attaf visited Algeria .",
			"[Ahmed Attaf]PER visited [Algeria]LOC ."},
		{"demonym and capital", "en", "Algerian officials in Algiers said so",
			"[Algerian]DEM officials in [Algiers]LOC+CAP said so"},
		{"article left out", "en", "talks with the United States",
			"talks with the [United States]LOC"},
		{"longest match", "en", "Islamic State West Africa Province and Islamic State fighters",
			"[Islamic State West Africa Province]ORG and [Islamic State]ORG fighters"},
		{"acronym only in capitals", "en", "IS said it is with us , the US said",
			"[IS]ORG said it is with us , the [US]LOC said"},
		{"case-insensitive otherwise", "en", "ALGERIA and algeria",
			"[ALGERIA]LOC and [algeria]LOC"},
		{"other languages and types left out", "en", "Alger , Москва , the Treaty of Rome",
			"Alger , Москва , the Treaty of Rome"},
		{"names without a language", "en", "Sonatrach in Hassi Messaoud",
			"[Sonatrach]ORG in [Hassi Messaoud]LOC"},
		{"no partial match", "en", "United forces", "United forces"},
		{"French elision", "fr", "l'Algérie et l'Union africaine à Alger",
			"[l'Algérie]LOC et [l'Union africaine]ORG à [Alger]LOC"},
		{"Latin diacritics folded", "fr", "à Geneve et aux Etats-Unis",
			"à [Geneve]LOC et aux [Etats-Unis]LOC"},
		{"French demonym, lower case", "fr", "le gouvernement algérien", "le gouvernement [algérien]DEM"},
		{"Arabic proclitics", "ar", "والجزائر وللأمم المتحدة",
			"[والجزائر]LOC [وللأمم المتحدة]ORG"},
		{"Arabic spelling variants", "ar", "احمد عطاف الجزائرى",
			"[احمد عطاف]PER [الجزائرى]DEM"},
	}
	gs := map[string]*gazetteer{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := gs[tt.lang]
			if !ok {
				g = compileGazetteer(tt.lang, names)
				gs[tt.lang] = g
			}
			if got := renderGaz(g, tt.lang, tt.text); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestGazetteerWords checks the classes of the names a word occurs in, which tokens outside
// any name read.
func TestGazetteerWords(t *testing.T) {
	g := compileGazetteer("en", readGazNames(t))
	info := analyse("en", []string{"the", "National", "Front", "of", "Algeria"}, nil, nil)
	g.mark(info, nil)
	if got, want := info[2].gaz, (gazMark{word: gazORG}); got != want {
		t.Errorf("Front: got %+v, want %+v", got, want)
	}
	if got := info[1].gaz; got != (gazMark{}) {
		t.Errorf("National: got %+v, want nothing", got)
	}
	if got, want := info[4].gaz, (gazMark{cls: gazLOC, pos: 'S'}); got != want {
		t.Errorf("Algeria: got %+v, want %+v", got, want)
	}
}

func TestGazetteerHash(t *testing.T) {
	names := readGazNames(t)
	base := compileGazetteer("en", names)
	if !strings.HasPrefix(base.hash, "sha256:") || base.names == 0 {
		t.Fatalf("got hash %q over %d names, want a sha256 over some", base.hash, base.names)
	}
	reversed := slices.Clone(names)
	slices.Reverse(reversed)
	renamed := slices.Clone(names)
	renamed[0].Text = "Ahmed Attaf Jr"
	retyped := slices.Clone(names)
	retyped[0].Type = mizan.ORG
	tests := []struct {
		name  string
		names []kb.NameRef
		same  bool
	}{
		{"same names in another order", reversed, true},
		{"a name in a language the model does not read", append(slices.Clone(names),
			kb.NameRef{Text: "Париж", Lang: "ru", Kind: mizan.NameCanonical, Type: mizan.LOC}), true},
		{"a name changed", renamed, false},
		{"a type changed", retyped, false},
		{"a name added", append(slices.Clone(names),
			kb.NameRef{Text: "Paris", Lang: "en", Kind: mizan.NameCanonical, Type: mizan.LOC}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compileGazetteer("en", tt.names).hash
			if (got == base.hash) != tt.same {
				t.Errorf("got hash %s against %s, want same=%v", got, base.hash, tt.same)
			}
		})
	}
}

func TestDefaultGazetteer(t *testing.T) {
	tests := []struct{ lang, text, want string }{
		{"en", "Algerian troops left Mali", "[Algerian]DEM troops left [Mali]LOC"},
		{"fr", "Le Mali et l'Algérie", "Le [Mali]LOC et [l'Algérie]LOC"},
		{"ar", "غادرت القوات الجزائرية مالي", "غادرت القوات [الجزائرية]DEM [مالي]LOC"},
	}
	for _, tt := range tests {
		g, err := defaultGazetteer(tt.lang)
		if err != nil {
			t.Fatalf("defaultGazetteer(%s): %v", tt.lang, err)
		}
		if g.names < 500 {
			t.Errorf("%s: got %d names, want the KB's hundreds", tt.lang, g.names)
		}
		if g2, _ := defaultGazetteer(tt.lang); g2 != g {
			t.Errorf("%s: got a new gazetteer from the second call, want the same one", tt.lang)
		}
		if got := renderGaz(g, tt.lang, tt.text); got != tt.want {
			t.Errorf("%s: got  %s\nwant %s", tt.lang, got, tt.want)
		}
	}
}

// trainGazFixture trains an Arabic model, which reads the gazetteer by default.
func trainGazFixture(tb testing.TB) *Model {
	tb.Helper()
	m, err := Train("ar", readFixture(tb, "mini.anercorp", "anercorp"), smallOptions())
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestTrainRecordsGazetteer(t *testing.T) {
	ar := trainGazFixture(t)
	g, err := defaultGazetteer("ar")
	if err != nil {
		t.Fatal(err)
	}
	info := ar.Info("ar")
	if info.Gazetteer != g.hash || !slices.Equal(info.Options.Gazetteer, []string{"ar"}) {
		t.Errorf("ar: got gazetteer %q, options %q; want %q, [ar]", info.Gazetteer, info.Options.Gazetteer, g.hash)
	}
	// SetInfo cannot make a model forget what its features read.
	info.Gazetteer, info.Options.Gazetteer = "", nil
	ar.SetInfo("ar", info)
	if got := ar.Info("ar").Gazetteer; got != g.hash {
		t.Errorf("after SetInfo: got gazetteer %q, want %q", got, g.hash)
	}
	en, _ := trainFixture(t, smallOptions()) // English is not in the default list
	if info := en.Info("en"); info.Gazetteer != "" || info.Options.Gazetteer != nil {
		t.Errorf("en: got gazetteer %q, options %q; want none", info.Gazetteer, info.Options.Gazetteer)
	}
}

// captureLog sends slog's default logger to a buffer for the rest of the test.
func captureLog(tb testing.TB) *bytes.Buffer {
	tb.Helper()
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	tb.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

func TestLoadWarnsOnChangedKB(t *testing.T) {
	m := trainGazFixture(t)
	write := func() []byte {
		var b bytes.Buffer
		if err := m.Write(&b, "ar"); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	current := write()
	m.taggers["ar"].info.Gazetteer = "sha256:0123456789abcdef" // as if trained on another KB
	stale := write()
	text := "التقى أحمد عطاف في الجزائر"
	tests := []struct {
		name string
		file []byte
		warn bool
	}{
		{"same KB", current, false},
		{"KB changed", stale, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := captureLog(t)
			l, err := Load(bytes.NewReader(tt.file))
			if err != nil {
				t.Fatalf("Load: got %v, want the model (a changed KB only warns)", err)
			}
			if got := strings.Contains(buf.String(), "knowledge base differs"); got != tt.warn {
				t.Errorf("got warning %v (log %q), want %v", got, buf.String(), tt.warn)
			}
			if l.taggers["ar"].gaz == nil {
				t.Fatal("got a loaded model without its gazetteer")
			}
			if got, want := l.Entities(text, "ar"), m.Entities(text, "ar"); !slices.Equal(got, want) {
				t.Errorf("got entities %v, want those of the trained model %v", got, want)
			}
		})
	}
}

// TestEmbeddedGazetteer checks that the embedded Arabic and French models read the gazetteer
// and learnt weights for it, and reports (without failing: the KB may move ahead of the models)
// whether the KB still holds the names they were trained with.
func TestEmbeddedGazetteer(t *testing.T) {
	m := mustDefault(t)
	for _, lang := range m.Languages() {
		tg := m.taggers[lang]
		want := slices.Contains(DefaultTrainOptions().Gazetteer, lang)
		if got := tg.gaz != nil && tg.info.Gazetteer != ""; got != want {
			t.Errorf("%s: got gazetteer %v, want %v", lang, got, want)
			continue
		}
		if !want {
			continue
		}
		if _, ok := tg.rows[fh2(tGaz, "LOC", "S")]; !ok {
			t.Errorf("%s: got no weights for a one-word place of the KB, want some", lang)
		}
		if tg.gaz.hash != tg.info.Gazetteer {
			t.Logf("%s: trained with gazetteer %s, the KB now gives %s: retrain (MODEL.md)", lang, tg.info.Gazetteer, tg.gaz.hash)
		}
	}
}

func FuzzGazetteerMark(f *testing.F) {
	for _, lang := range []string{"ar", "en", "fr"} {
		data, err := os.ReadFile(filepath.Join("testdata", "tokenize", lang+".txt"))
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f.Add(lang, line)
		}
	}
	f.Add("en", "the the United States US us IS is")
	gs := map[string]*gazetteer{}
	for _, lang := range []string{"ar", "en", "fr"} {
		g, err := defaultGazetteer(lang)
		if err != nil {
			f.Fatal(err)
		}
		gs[lang] = g
	}
	f.Fuzz(func(t *testing.T, lang, text string) {
		g, ok := gs[lang]
		if !ok {
			return
		}
		toks := Tokenize(text)
		words := make([]string, len(toks))
		for i, tk := range toks {
			words[i] = tk.Text
		}
		info := analyse(lang, words, nil, nil)
		g.mark(info, nil)
		// Matches must be well formed: S, or B I* E, all of one class set.
		open := false
		var cls uint8
		for i, tk := range info {
			m := tk.gaz
			if (m.cls == 0) != (m.pos == 0) {
				t.Fatalf("token %d %q: got %+v, want class and position together", i, words[i], m)
			}
			switch m.pos {
			case 0, 'S', 'B':
				if open {
					t.Fatalf("token %d %q: got %q inside an open match", i, words[i], m.pos)
				}
				open, cls = m.pos == 'B', m.cls
			case 'I', 'E':
				if !open || m.cls != cls {
					t.Fatalf("token %d %q: got %q (%s) outside a match of its classes", i, words[i], m.pos, gazSets[m.cls])
				}
				open = m.pos == 'I'
			default:
				t.Fatalf("token %d %q: got position %q", i, words[i], m.pos)
			}
		}
		if open {
			t.Fatalf("got a match left open at the end of %q", text)
		}
	})
}

// BenchmarkGazetteerMark measures marking KB names in a tokenized article.
func BenchmarkGazetteerMark(b *testing.B) {
	for _, lang := range []string{"ar", "en", "fr"} {
		b.Run(lang, func(b *testing.B) {
			g, err := defaultGazetteer(lang)
			if err != nil {
				b.Fatal(err)
			}
			text := benchText(b, lang)
			toks := Tokenize(text)
			words := make([]string, len(toks))
			for i, tk := range toks {
				words[i] = tk.Text
			}
			info := analyse(lang, words, nil, nil)
			var keys []string
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				keys = g.mark(info, keys)
			}
		})
	}
}

// BenchmarkCompileGazetteer measures compiling the default KB's names (once per process and
// language).
func BenchmarkCompileGazetteer(b *testing.B) {
	k, err := kb.Default()
	if err != nil {
		b.Fatal(err)
	}
	names := k.Names()
	b.ReportAllocs()
	for b.Loop() {
		compileGazetteer("en", names)
	}
}
