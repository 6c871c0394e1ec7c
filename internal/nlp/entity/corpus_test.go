package entity_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

const corpusDir = "../../../../shared/corpus"

var (
	defaultOnce  sync.Once
	defaultStage *entity.Stage
	defaultErr   error
)

// fullStage is the stage the pipeline runs: the default KB and the trained tagger.
func fullStage(tb testing.TB) *entity.Stage {
	tb.Helper()
	defaultOnce.Do(func() {
		k, err := kb.Default()
		if err != nil {
			defaultErr = err
			return
		}
		m, err := ner.Default()
		if err != nil {
			defaultErr = err
			return
		}
		defaultStage, defaultErr = entity.New(k, m, entity.DefaultConfig())
	})
	if defaultErr != nil {
		tb.Fatal(defaultErr)
	}
	return defaultStage
}

// corpusDocs runs extract → lang → sentence → entity over the shared sample corpus, keyed by
// the file name's three-digit prefix.
func corpusDocs(tb testing.TB) map[string]*nlp.Doc {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(files) == 0 {
		tb.Skipf("sample corpus absent (%s): skipping", corpusDir)
	}
	p := nlp.Pipeline{
		extract.Stage{Options: extract.DefaultOptions()},
		lang.Stage{D: lang.New(lang.DefaultOptions())},
		sentence.Stage{},
		fullStage(tb),
	}
	docs := make(map[string]*nlp.Doc)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		d := &nlp.Doc{Document: &mizan.Document{ID: mizan.DocumentID(raw), Raw: raw, Source: f}}
		if err := p.Process(context.Background(), d); err != nil {
			tb.Fatalf("%s: %v", filepath.Base(f), err)
		}
		docs[filepath.Base(f)[:3]] = d
	}
	return docs
}

func TestCorpus(t *testing.T) {
	docs := corpusDocs(t)
	tests := []struct {
		doc string
		// want lists entity ids that must be mentioned; "id@TYPE" also requires a mention of
		// that type ("loc/moscow@LOC": Moscow as a place); "id#role" a mention with that role.
		want []string
		// absent lists words no mention may contain (the ticker and "Most Read" people).
		absent []string
	}{
		{"004", []string{
			"person/nikolai-patrushev", "person/abdelmadjid-tebboune", "person/said-chengriha",
			"person/mhenna-djebbar", "org/dz-dgdse", "org/ru-security-council", "org/dz-anp",
			"gpe/dz", "gpe/ru", "loc/moscow@LOC", "org/brics", "org/echorouk#source",
			"person/leila-zaruki", "org/un",
		}, []string{"Barrack", "Herzog", "Netanyahu", "Maduro", "Petro", "Dermer", "Mamdani", "Sudani", "Sharaa", "Rubio"}},
		{"000", []string{
			"person/said-chengriha", "person/abdelmadjid-tebboune", "person/mahsa-amini",
			"org/dz-air-algerie", "gpe/ir@GPE", "loc/tehran@LOC", "org/ir-irgc", "loc/tamanrasset",
			"loc/bordj-badji-mokhtar", "loc/tindouf", "group/hamas", "gpe/il", "loc/gaza-strip",
			"org/un", "person/ahmed-attaf",
		}, nil},
		{"002", []string{
			"person/mohamed-mediene", "person/abdelkader-haddad", "person/hamid-oublaid",
			"person/mhenna-djebbar", "person/marco-rubio", "person/donald-trump",
			"person/bashar-al-assad", "person/vladimir-putin", "person/abdelkader-bensalah",
			"group/wagner", "group/gia", "org/nato", "org/european-parliament", "person/said-chengriha",
		}, nil},
		{"003", []string{
			"gpe/dz", "gpe/ir", "gpe/ir@GPE", "org/ir-irgc", "group/hezbollah", "group/hamas",
			"loc/oran", "gpe/lb", "loc/gaza-strip", "gpe/il",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			d := docs[tt.doc]
			if d == nil {
				t.Skipf("corpus file %s… absent", tt.doc)
			}
			for _, w := range tt.want {
				id, typ, _ := strings.Cut(w, "@")
				id, role, _ := strings.Cut(id, "#")
				if !hasMention(d.Mentions, id, mizan.EntityType(typ), mizan.MentionRole(role)) {
					t.Errorf("no mention of %s; got %s", w, summary(d.Mentions))
				}
			}
			for _, a := range tt.absent {
				for _, m := range d.Mentions {
					if strings.Contains(m.Text, a) || strings.Contains(m.Canonical, a) {
						t.Errorf("got mention %q (%s) from page furniture", m.Text, m.EntityID)
					}
				}
			}
		})
	}
	t.Run("details", func(t *testing.T) {
		if d := docs["000"]; d != nil {
			m := mentionOf(t, d.Mentions, "Algerian Foreign Minister")
			if m.EntityID != "person/ahmed-attaf" || m.Rule != "role:kb dz/foreign-minister@2024" {
				t.Errorf("000: the Algerian Foreign Minister of \"In 2024, …\": got %s %q, want person/ahmed-attaf by role:kb dz/foreign-minister@2024", m.EntityID, m.Rule)
			}
			if m := mentionOf(t, d.Mentions, "Iranian Revolutionary Guard"); m.EntityID != "org/ir-irgc" {
				t.Errorf("000: got %s for the Iranian Revolutionary Guard, want org/ir-irgc", m.EntityID)
			}
		}
		if d := docs["004"]; d != nil {
			if m := mentionOf(t, d.Mentions, "Patrushev"); m.Canonical != "Nikolai Patrushev" || m.Rule != "coref:surname" {
				t.Errorf("004: Patrushev: got canonical %q rule %q, want Nikolai Patrushev by coref:surname", m.Canonical, m.Rule)
			}
			if m := mentionOf(t, d.Mentions, "Russian foreign minister"); m.EntityID != "person/sergey-lavrov" {
				t.Errorf("004: the Russian foreign minister in 2022: got %s, want person/sergey-lavrov", m.EntityID)
			}
			found := false
			for _, e := range d.Entities {
				found = found || e.ID == "person/leila-zaruki" && e.Name == "Leila Zaruki" && e.Source == "discovered"
			}
			if !found {
				t.Errorf("004: got entities %v, want the discovered person/leila-zaruki", d.Entities)
			}
		}
		if d := docs["002"]; d != nil {
			if m := mentionOf(t, d.Mentions, "Toufik"); m.EntityID != "person/mohamed-mediene" {
				t.Errorf("002: Toufik: got %s, want person/mohamed-mediene", m.EntityID)
			}
			if m := mentionOf(t, d.Mentions, "Djebbar Mehenna"); m.EntityID != "person/mhenna-djebbar" {
				t.Errorf("002: Djebbar Mehenna: got %s, want person/mhenna-djebbar", m.EntityID)
			}
		}
	})
}

func hasMention(ms []mizan.Mention, id string, typ mizan.EntityType, role mizan.MentionRole) bool {
	for _, m := range ms {
		if m.EntityID == id && (typ == "" || m.Type == typ) && (role == "" || m.Role == role) {
			return true
		}
	}
	return false
}

func mentionOf(tb testing.TB, ms []mizan.Mention, text string) mizan.Mention {
	tb.Helper()
	for _, m := range ms {
		if m.Text == text {
			return m
		}
	}
	tb.Errorf("no mention %q; got %s", text, summary(ms))
	return mizan.Mention{}
}

func summary(ms []mizan.Mention) string {
	seen := make(map[string]bool)
	var b strings.Builder
	for _, m := range ms {
		k := m.Text + "=" + m.EntityID
		if !seen[k] {
			seen[k] = true
			b.WriteString(k + "; ")
		}
	}
	return b.String()
}
