package ner

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// mustDefault returns the embedded model.
func mustDefault(tb testing.TB) *Model {
	tb.Helper()
	m, err := Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return m
}

// entityStrings renders entities as "text/TYPE" for comparisons.
func entityStrings(text string, ents []Entity) []string {
	out := make([]string, len(ents))
	for i, e := range ents {
		out[i] = text[e.Start:e.End] + "/" + e.Type
	}
	return out
}

func TestDefault(t *testing.T) {
	m := mustDefault(t)
	if got, want := m.Languages(), []string{"ar", "en", "fr"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got languages %v, want %v", got, want)
	}
	for _, lang := range m.Languages() {
		info := m.Info(lang)
		if info.Lang != lang || info.Data == "" || info.Features == 0 || info.Options.Epochs == 0 {
			t.Errorf("%s: got info %+v, want its language, data, features and options", lang, info)
		}
		labels := m.Labels(lang)
		for _, want := range []string{"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"} {
			if !slices.Contains(labels, want) {
				t.Errorf("%s: got labels %v, want %s among them", lang, labels, want)
			}
		}
	}
	if m2, _ := Default(); m2 != m {
		t.Error("got a new model from the second Default call, want the same one")
	}
}

// newsSentences are short news sentences written for these tests, with entities the tagger
// must find (text/TYPE) and words no entity may contain.
var newsSentences = []struct {
	lang, text string
	want       []string
	never      []string
}{
	{"en", "Algerian Foreign Minister Ahmed Attaf met Russian President Vladimir Putin in Moscow on Tuesday.",
		[]string{"Ahmed Attaf/PER", "Vladimir Putin/PER", "Moscow/LOC"}, []string{"President", "Minister"}},
	{"en", "The United Nations Security Council condemned the attack in northern Mali.",
		[]string{"United Nations Security Council/ORG", "Mali/LOC"}, []string{"northern", "attack"}},
	{"en", "General Said Chanegriha visited the Russian defence ministry in Moscow.",
		[]string{"Said Chanegriha/PER", "Moscow/LOC"}, []string{"General", "ministry"}},
	{"en", "Emmanuel Macron and Abdelmadjid Tebboune spoke by phone about the situation in Niger.",
		[]string{"Emmanuel Macron/PER", "Niger/LOC"}, []string{"phone", "situation"}},
	{"fr", "Le ministre algérien des Affaires étrangères, Ahmed Attaf, a rencontré le président russe Vladimir Poutine à Moscou.",
		[]string{"Ahmed Attaf/PER", "Vladimir Poutine/PER", "Moscou/LOC"}, []string{"ministre", "président"}},
	{"fr", "L'Union africaine a condamné l'attaque dans le nord du Mali.",
		[]string{"Union africaine/ORG", "Mali/LOC"}, []string{"L'", "nord"}},
	{"fr", "Emmanuel Macron s'est entretenu avec Abdelmadjid Tebboune au sujet de la situation au Niger.",
		[]string{"Emmanuel Macron/PER", "Abdelmadjid Tebboune/PER", "Niger/LOC"}, []string{"sujet", "situation"}},
	{"fr", "La Banque mondiale et le Fonds monétaire international ont publié un rapport.",
		[]string{"Fonds monétaire international/ORG"}, []string{"rapport"}},
	{"ar", "التقى وزير الخارجية الجزائري أحمد عطاف الرئيس الروسي فلاديمير بوتين في موسكو يوم الثلاثاء.",
		[]string{"أحمد عطاف/PER", "فلاديمير بوتين/PER", "موسكو/LOC"}, []string{"وزير", "الرئيس"}},
	{"ar", "أدان مجلس الأمن الدولي الهجوم في شمال مالي.",
		[]string{"مجلس الأمن الدولي/ORG", "مالي/LOC"}, []string{"الهجوم"}},
	{"ar", "وقعت شركة سوناطراك اتفاقا مع شركة إيني الإيطالية في الجزائر.",
		[]string{"سوناطراك/ORG", "الجزائر/LOC"}, []string{"اتفاقا"}},
	{"ar", "وقال الرئيس عبد المجيد تبون إن الجزائر تدعم الاتحاد الأفريقي.",
		[]string{"الجزائر/LOC", "الاتحاد الأفريقي/ORG"}, []string{"الرئيس"}},
	{"ar", "استقبل الملك محمد السادس وزير الخارجية الأمريكي أنتوني بلينكن في الرباط.",
		[]string{"محمد السادس/PER", "أنتوني بلينكن/PER", "الرباط/LOC"}, []string{"الملك"}},
}

func TestEntitiesNews(t *testing.T) {
	m := mustDefault(t)
	for _, tt := range newsSentences {
		t.Run(tt.lang+"/"+firstWords(tt.text), func(t *testing.T) {
			ents := m.Entities(tt.text, tt.lang)
			checkEntities(t, tt.text, ents)
			got := entityStrings(tt.text, ents)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("got %q, want %s among them", got, w)
				}
			}
			for _, g := range got {
				for _, n := range tt.never {
					if strings.Contains(g, n) {
						t.Errorf("got entity %s, want none containing %q", g, n)
					}
				}
			}
		})
	}
}

func firstWords(s string) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(3, len(f))], "_")
}

// checkEntities verifies that entities are ordered, inside text, on token boundaries, typed and
// scored.
func checkEntities(tb testing.TB, text string, ents []Entity) {
	tb.Helper()
	prev := 0
	for _, e := range ents {
		if e.Start < prev || e.End <= e.Start || e.End > len(text) {
			tb.Fatalf("entity [%d,%d) out of order or bounds (previous end %d, text %d bytes)", e.Start, e.End, prev, len(text))
		}
		if s := text[e.Start:e.End]; strings.TrimSpace(s) != s {
			tb.Errorf("entity %q has spaces at an end", s)
		}
		if !slices.Contains([]string{PER, ORG, LOC, MISC}, e.Type) {
			tb.Errorf("entity %q: got type %q, want PER, ORG, LOC or MISC", text[e.Start:e.End], e.Type)
		}
		if !(e.Score > 0 && e.Score <= 1) {
			tb.Errorf("entity %q: got score %v, want one in (0, 1]", text[e.Start:e.End], e.Score)
		}
		prev = e.End
	}
}

func TestTag(t *testing.T) {
	m := mustDefault(t)
	tests := []struct {
		lang, text string
		want       []string
	}{
		{"en", "Vladimir Putin visited Algiers .", []string{"B-PER", "I-PER", "O", "B-LOC", "O"}},
		{"fr", "Vladimir Poutine a visité Alger .", []string{"B-PER", "I-PER", "O", "O", "B-LOC", "O"}},
		{"ar", "زار فلاديمير بوتين الجزائر .", []string{"O", "B-PER", "I-PER", "B-LOC", "O"}},
	}
	for _, tt := range tests {
		toks := Tokenize(tt.text)
		if got := m.Tag(toks, tt.lang); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tag(%q, %s) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
	if got := m.Tag(nil, "en"); len(got) != 0 {
		t.Errorf("Tag(nil) = %q, want nothing", got)
	}
}

func TestEntitiesLanguageFallback(t *testing.T) {
	m := mustDefault(t)
	en := "Emmanuel Macron met Abdelmadjid Tebboune in Algiers."
	ar := "التقى الرئيس عبد المجيد تبون بنظيره الفرنسي إيمانويل ماكرون في الجزائر."
	tests := []struct {
		name, text, lang, same string
	}{
		{"region subtag", en, "en-GB", "en"},
		{"upper case", en, "EN", "en"},
		{"no model, Latin script", en, "de", "en"},
		{"unknown, Latin script", en, "", "en"},
		{"no model, Arabic script", ar, "ur", "ar"},
		{"unknown, Arabic script", ar, "", "ar"},
	}
	for _, tt := range tests {
		got := entityStrings(tt.text, m.Entities(tt.text, tt.lang))
		want := entityStrings(tt.text, m.Entities(tt.text, tt.same))
		if !reflect.DeepEqual(got, want) || len(want) == 0 {
			t.Errorf("%s: got %q, want %q (as %s)", tt.name, got, want, tt.same)
		}
	}
}

func TestEntitiesEdgeCases(t *testing.T) {
	m := mustDefault(t)
	tests := []struct {
		name, text, lang string
		want             []string
	}{
		{"empty", "", "en", nil},
		{"punctuation only", " ... ,, ", "en", nil},
		{"two sentences on two lines", "Vladimir Putin arrived in Algiers\nEmmanuel Macron stayed in Paris", "en",
			[]string{"Vladimir Putin/PER", "Algiers/LOC", "Emmanuel Macron/PER", "Paris/LOC"}},
		{"french capitalised elision", "L'armée d'Algérie a reçu des armes de la Russie.", "fr", []string{"Algérie/LOC", "Russie/LOC"}},
		{"french elision trimmed", "Il a parlé de l'Algérie et d'Israël.", "fr", []string{"Algérie/LOC", "Israël/LOC"}},
		{"english D' kept", "He met Dinesh D'Souza in Paris.", "en", []string{"Dinesh D'Souza/PER", "Paris/LOC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ents := m.Entities(tt.text, tt.lang)
			checkEntities(t, tt.text, ents)
			got := entityStrings(tt.text, ents)
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEntitiesLongTextIsChunked(t *testing.T) {
	m := mustDefault(t)
	// No sentence punctuation for thousands of tokens: a page of links.
	text := strings.Repeat("Algiers Paris Moscow Rabat Tunis ", 400)
	ents := m.Entities(text, "en")
	checkEntities(t, text, ents)
	if len(ents) == 0 {
		t.Fatal("got no entities, want many")
	}
}

// TestConcurrentUse tags from many goroutines at once; run with -race.
func TestConcurrentUse(t *testing.T) {
	m := mustDefault(t)
	want := make([][]string, len(newsSentences))
	for i, s := range newsSentences {
		want[i] = entityStrings(s.text, m.Entities(s.text, s.lang))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(newsSentences))
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range newsSentences {
				i := (k + g) % len(newsSentences)
				s := newsSentences[i]
				if got := entityStrings(s.text, m.Entities(s.text, s.lang)); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("goroutine %d, sentence %d: got %q, want %q", g, i, got, want[i])
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestPosteriorsScaledMatchesLog checks the fast, rescaled forward-backward against the log-space
// one it falls back to.
func TestPosteriorsScaledMatchesLog(t *testing.T) {
	m := mustDefault(t)
	for _, s := range newsSentences {
		toks := Tokenize(s.text)
		words := make([]string, len(toks))
		for i, tk := range toks {
			words[i] = tk.Text
		}
		tg := m.pick(s.lang, toks)
		var sc scratch
		emit := tg.emissions(&sc, words, true)
		ids := tg.viterbi(&sc, emit, len(words))
		fast, ok := tg.posteriorsScaled(&sc, emit, ids)
		if !ok {
			t.Fatalf("%q: scaled forward-backward underflowed", s.text)
		}
		slow := tg.posteriorsLog(&sc, emit, ids)
		for i := range fast {
			if math.Abs(fast[i]-slow[i]) > 1e-5 {
				t.Fatalf("%q token %d: got %v, want %v (log space)", s.text, i, fast[i], slow[i])
			}
		}
	}
}
