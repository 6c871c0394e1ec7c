package entity_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
)

// testStage builds a stage over testdata/kb.yaml without the statistical tagger, so that what
// the tests check is the KB matcher, the cue patterns and the resolution alone.
func testStage(tb testing.TB) *entity.Stage {
	tb.Helper()
	f, err := os.Open("testdata/kb.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	k, err := kb.Load(f)
	if err != nil {
		tb.Fatalf("load test KB: %v", err)
	}
	st, err := entity.New(k, nil, entity.DefaultConfig())
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// analyze runs the stage over one paragraph of text.
func analyze(tb testing.TB, st *entity.Stage, text, lang, date string) ([]mizan.Mention, []mizan.Entity) {
	tb.Helper()
	doc := &mizan.Document{ID: "d1", Text: text, Lang: lang}
	if date != "" {
		t, err := time.Parse("2006-01-02", date)
		if err != nil {
			tb.Fatal(err)
		}
		doc.Published = &t
	}
	ms, es := st.Analyze(doc)
	checkSpans(tb, doc, ms)
	return ms, es
}

// checkSpans checks the invariants every output must keep: spans inside the text, Text equal
// to the span's text, sorted and not overlapping.
func checkSpans(tb testing.TB, doc *mizan.Document, ms []mizan.Mention) {
	tb.Helper()
	n := doc.Chars()
	for i, m := range ms {
		if m.Span.Start < 0 || m.Span.End > n || m.Span.Start >= m.Span.End {
			tb.Fatalf("mention %d %q: span %v outside text of %d characters", i, m.Text, m.Span, n)
		}
		if got := doc.Slice(m.Span); got != m.Text {
			tb.Fatalf("mention %d: got text %q at %v, want %q", i, got, m.Span, m.Text)
		}
		if i > 0 && ms[i-1].Span.End > m.Span.Start {
			tb.Fatalf("mentions %q %v and %q %v overlap or are out of order", ms[i-1].Text, ms[i-1].Span, m.Text, m.Span)
		}
	}
}

// brief renders mentions as "text|TYPE|entity" for comparison.
func brief(ms []mizan.Mention) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text + "|" + string(m.Type) + "|" + m.EntityID
	}
	return out
}

func TestAnalyze(t *testing.T) {
	st := testStage(t)
	tests := []struct {
		name, text, lang, date string
		want                   []string
	}{
		{
			name: "title left out of the span, demonym and capital as place",
			text: "Algerian General Saïd Chengriha met Russian officers in Algiers.",
			lang: "en",
			want: []string{"Algerian|GPE|gpe/dz", "Saïd Chengriha|PERSON|person/said-chengriha", "Russian|GPE|gpe/ru", "Algiers|LOC|loc/algiers"},
		},
		{
			name: "KB alias with a title in it",
			text: "General Chengriha spoke.",
			lang: "en",
			want: []string{"Chengriha|PERSON|person/said-chengriha"},
		},
		{
			name: "capitals as actors",
			text: "Relations between Algiers and Tehran have warmed. Moscow said it was ready. Tehran's police arrested him.",
			lang: "en",
			want: []string{"Algiers|GPE|gpe/dz", "Tehran|GPE|gpe/ir", "Moscow|GPE|gpe/ru", "Tehran|GPE|gpe/ir"},
		},
		{
			name: "hyphenated demonyms",
			text: "The Russian-Algerian talks ended.",
			lang: "en",
			want: []string{"Russian|GPE|gpe/ru", "Algerian|GPE|gpe/dz"},
		},
		{
			name: "acronym case and the determiner of a KB alias",
			text: "The UN envoy arrived; un homme and the us army did not.",
			lang: "en",
			want: []string{"UN|ORG|org/un"},
		},
		{
			name: "case of a capitalised KB name",
			text: "The Security Council met. A security council of elders met too.",
			lang: "en",
			want: []string{"Security Council|ORG|org/unsc"},
		},
		{
			name: "abbreviation keeps its final period",
			text: "The U.S. envoy left.",
			lang: "en",
			want: []string{"U.S.|GPE|gpe/us"},
		},
		{
			name: "Arabic proclitics out of the span, article in",
			text: "وقال وزير الخارجية الجزائري إن الجزائر وإيران وللجزائر شركاء.",
			lang: "ar",
			date: "2024-05-01",
			want: []string{"وزير الخارجية الجزائري|PERSON|person/ahmed-attaf", "الجزائر|GPE|gpe/dz", "إيران|GPE|gpe/ir", "لجزائر|GPE|gpe/dz"},
		},
		{
			name: "Arabic name whose first letters look like proclitics",
			text: "والتقى باتروشيف نظيره.",
			lang: "ar",
			want: []string{"باتروشيف|PERSON|person/nikolai-patrushev"},
		},
		{
			name: "a key eaten by proclitic stripping does not match a common word",
			text: "العلاقات بين الجزائر والفلبين.",
			lang: "ar",
			want: []string{"الجزائر|GPE|gpe/dz", "الفلبين|GPE|gpe/ph"},
		},
		{
			name: "ambiguous Arabic word: Mali, not financial support",
			text: "قدمت الجزائر دعما مالي كبيرا. وصل الوفد إلى مالي.",
			lang: "ar",
			want: []string{"الجزائر|GPE|gpe/dz", "مالي|GPE|gpe/ml"},
		},
		{
			name: "French accents and elision",
			text: "L'Algérie et la Russie ; le ministre algérien des Affaires étrangères Ahmed Attaf à Alger.",
			lang: "fr",
			want: []string{"Algérie|GPE|gpe/dz", "Russie|GPE|gpe/ru", "algérien|GPE|gpe/dz", "Ahmed Attaf|PERSON|person/ahmed-attaf", "Alger|LOC|loc/algiers"},
		},
		{
			name: "unknown person after a title, and the surname later",
			text: "President Karim Ouali visited Algeria. Ouali left on Monday.",
			lang: "en",
			want: []string{"Karim Ouali|PERSON|person/karim-ouali", "Algeria|GPE|gpe/dz", "Ouali|PERSON|person/karim-ouali"},
		},
		{
			name: "apposition",
			text: "Leila Zaruki, the special envoy of the ministry, spoke. Zaruki smiled.",
			lang: "en",
			want: []string{"Leila Zaruki|PERSON|person/leila-zaruki", "Zaruki|PERSON|person/leila-zaruki"},
		},
		{
			name: "a spelling of the given name joins the KB surname",
			text: "Sergei Lavrov arrived.",
			lang: "en",
			want: []string{"Sergei Lavrov|PERSON|person/sergey-lavrov"},
		},
		{
			name: "alias after a name",
			text: "Bashar al-Assad (alias Abu Hafez) fled.",
			lang: "en",
			want: []string{"Bashar al-Assad|PERSON|person/bashar-al-assad", "Abu Hafez|PERSON|person/bashar-al-assad"},
		},
		{
			name: "organisation named by its head word",
			text: "He studied at the Advanced Warfighting School in Moscow.",
			lang: "en",
			want: []string{"Advanced Warfighting School|ORG|org/advanced-warfighting-school", "Moscow|LOC|loc/moscow"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, _ := analyze(t, st, tt.text, tt.lang, tt.date)
			if got := brief(ms); !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	st := testStage(t)
	tests := []struct {
		name, text, lang, date string
		mention                string // the role mention to look at
		entity, typ, rule      string
	}{
		{"named earlier in the text", "Algerian Foreign Minister Ramtane Lamamra arrived. The Algerian foreign minister spoke.", "en", "2024-05-01",
			"Algerian foreign minister", "person/ramtane-lamamra", "PERSON", "role:text"},
		{"holder at the document's date", "The Algerian foreign minister spoke.", "en", "2022-01-10",
			"Algerian foreign minister", "person/ramtane-lamamra", "PERSON", "role:kb dz/foreign-minister@2022-01"},
		{"the year the sentence states wins", "In 2024, the Algerian foreign minister spoke.", "en", "2022-01-10",
			"Algerian foreign minister", "person/ahmed-attaf", "PERSON", "role:kb dz/foreign-minister@2024"},
		{"undated: the state's office", "The Algerian foreign minister spoke.", "en", "",
			"Algerian foreign minister", "gpe/dz", "GPE", "role:office dz/foreign-minister"},
		{"former holder", "The former Algerian foreign minister spoke.", "en", "2024-05-01",
			"Algerian foreign minister", "person/ramtane-lamamra", "PERSON", "role:kb dz/foreign-minister@2024-05 former"},
		{"Arabic", "وقال وزير الخارجية الروسي إن", "ar", "2020-01-01",
			"وزير الخارجية الروسي", "person/sergey-lavrov", "PERSON", "role:kb ru/foreign-minister@2020-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, _ := analyze(t, st, tt.text, tt.lang, tt.date)
			m := find(t, ms, tt.mention)
			if m.EntityID != tt.entity || string(m.Type) != tt.typ || m.Rule != tt.rule || m.Form != mizan.FormRole {
				t.Errorf("got %s %s %q form %s, want %s %s %q form role", m.EntityID, m.Type, m.Rule, m.Form, tt.entity, tt.typ, tt.rule)
			}
		})
	}
}

func TestMentionRoles(t *testing.T) {
	st := testStage(t)
	text := "By Karim Ouali and Nadia Belkacem\n" +
		"Algeria joined, the Al-Shorouk newspaper reported.\n" +
		"Lavrov in Moscow (Ivan Petrov, Sputnik Pool Photo via AFP)\n" +
		"Photo: Lina Ferhat\n" +
		"Read more: Algeria and Iran sign a deal"
	ms, _ := analyze(t, st, text, "en", "")
	tests := []struct {
		mention string
		role    mizan.MentionRole
	}{
		{"Karim Ouali", mizan.RoleByline},
		{"Nadia Belkacem", mizan.RoleByline},
		{"Al-Shorouk", mizan.RoleSource},
		{"Lavrov", mizan.RoleParticipant},
		{"Ivan Petrov", mizan.RoleCredit},
		{"AFP", mizan.RoleCredit},
		{"Lina Ferhat", mizan.RoleCredit},
		{"Iran", mizan.RoleBoiler},
	}
	for _, tt := range tests {
		if m := find(t, ms, tt.mention); m.Role != tt.role {
			t.Errorf("%s: got role %q, want %q", tt.mention, m.Role, tt.role)
		}
	}
	if m := find(t, ms, "Al-Shorouk"); m.Type != mizan.ORG || m.EntityID != "org/echorouk" {
		t.Errorf("a cited outlet keeps its type and entity: got %s %s, want ORG org/echorouk", m.Type, m.EntityID)
	}
}

func TestDiscoveredEntities(t *testing.T) {
	st := testStage(t)
	_, es := analyze(t, st, "President Karim Ouali met Leila Zaruki, the special envoy. Ouali and Zaruki agreed. President Karim Ouali left.", "en", "")
	var got []string
	for _, e := range es {
		var names []string
		for _, n := range e.Names {
			names = append(names, fmt.Sprintf("%s/%s/%s", n.Text, n.Lang, n.Kind))
		}
		got = append(got, fmt.Sprintf("%s %s %s %s %v", e.ID, e.Name, e.Type, e.Source, names))
	}
	want := []string{
		"person/karim-ouali Karim Ouali PERSON discovered [Karim Ouali/en/canonical Ouali/en/alias]",
		"person/leila-zaruki Leila Zaruki PERSON discovered [Leila Zaruki/en/canonical Zaruki/en/alias]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestNoDiscovery(t *testing.T) {
	f, err := os.Open("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	k, err := kb.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	o := entity.DefaultConfig()
	o.Discover = false
	st, err := entity.New(k, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	ms, es := st.Analyze(&mizan.Document{Text: "President Karim Ouali spoke.", Lang: "en"})
	if len(es) != 0 || len(ms) != 1 || ms[0].EntityID != "" || ms[0].Canonical != "Karim Ouali" {
		t.Errorf("got %d entities and %+v, want none and one unlinked mention with its canonical name", len(es), ms)
	}
}

func TestNewErrors(t *testing.T) {
	k := kb.New()
	tests := []struct {
		name string
		k    *kb.KB
		o    entity.Options
	}{
		{"nil KB", nil, entity.DefaultConfig()},
		{"threshold above 1", k, entity.Options{ModelThreshold: 1.5}},
		{"negative threshold", k, entity.Options{ModelThreshold: -0.1}},
	}
	for _, tt := range tests {
		_, err := entity.New(tt.k, nil, tt.o)
		if code := mizan.ErrorCode(err); code != mizan.EINVALID {
			t.Errorf("%s: got error code %q (%v), want %q", tt.name, code, err, mizan.EINVALID)
		}
	}
}

func TestProcess(t *testing.T) {
	st := testStage(t)
	if got := st.Name(); got != "entity" {
		t.Errorf("got name %q, want entity", got)
	}
	d := &nlp.Doc{Document: &mizan.Document{ID: "x", Text: "Algeria.", Lang: "en"}}
	d.Mentions = []mizan.Mention{{Text: "stale"}}
	if err := st.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if got := brief(d.Mentions); !slices.Equal(got, []string{"Algeria|GPE|gpe/dz"}) || d.Mentions[0].Doc != "x" {
		t.Errorf("got %q (doc %q), want the old mentions replaced by Algeria of document x", got, d.Mentions[0].Doc)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := st.Process(ctx, d); err == nil {
		t.Error("got no error for a cancelled context, want one")
	}
	if ms, es := st.Analyze(&mizan.Document{Text: "  \n "}); ms != nil || es != nil {
		t.Errorf("got %v %v for an empty text, want nothing", ms, es)
	}
}

// TestConcurrent runs one stage from several goroutines; run with -race to check it shares
// nothing mutable.
func TestConcurrent(t *testing.T) {
	st := testStage(t)
	texts := []string{
		"Algerian General Saïd Chengriha met Russian officers in Algiers.",
		"وقال وزير الخارجية الجزائري إن الجزائر وإيران شريكان.",
		"President Karim Ouali visited Algeria. Ouali left.",
	}
	want := make([][]string, len(texts))
	for i, s := range texts {
		ms, _ := st.Analyze(&mizan.Document{Text: s, Lang: "en"})
		want[i] = brief(ms)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				i := (g + k) % len(texts)
				ms, _ := st.Analyze(&mizan.Document{Text: texts[i], Lang: "en"})
				if got := brief(ms); !slices.Equal(got, want[i]) {
					errs <- fmt.Sprintf("got %q, want %q", got, want[i])
					return
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

func find(tb testing.TB, ms []mizan.Mention, text string) mizan.Mention {
	tb.Helper()
	for _, m := range ms {
		if m.Text == text {
			return m
		}
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Text)
	}
	tb.Fatalf("no mention %q among %s", text, strings.Join(got, " | "))
	return mizan.Mention{}
}

func FuzzAnalyze(f *testing.F) {
	docs, err := entity.ReadEvalDir("testdata/eval")
	if err != nil {
		f.Fatal(err)
	}
	for i, d := range docs {
		if i%4 == 0 {
			f.Add(d.Text, d.Lang)
		}
	}
	f.Add("(Photo: X/AFP)\nBy Y and Z\nالرئيس ،، [ ] وو ـــ", "ar")
	st := testStage(f)
	f.Fuzz(func(t *testing.T, text, lang string) {
		doc := &mizan.Document{Text: text, Lang: lang, Paragraphs: []mizan.Paragraph{{Span: mizan.Span{Start: 0, End: len([]rune(text))}, Lang: lang}}}
		ms, es := st.Analyze(doc)
		checkSpans(t, doc, ms)
		ids := make(map[string]bool)
		for _, e := range es {
			ids[e.ID] = true
		}
		for _, m := range ms {
			if strings.HasPrefix(m.Rule, "discovered") && !ids[m.EntityID] {
				t.Fatalf("mention %q links to %s, which is not among the discovered entities", m.Text, m.EntityID)
			}
		}
	})
}
