package resolve_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
	"github.com/mizan-osint/mizan/internal/resolve"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/sqlstore"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// sharedCorpus is ../shared/corpus beside the repository, or a skip.
func sharedCorpus(tb testing.TB) string {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("the sample corpus is not here (%s): skipping", dir)
	}
	return dir
}

// ingestCorpus runs the real pipeline (extract, dedup, language, sentences, entities) and the
// resolver over the sample corpus into a temporary SQLite store, as `mizan ingest` does.
func ingestCorpus(tb testing.TB) (*sqlstore.DB, map[string]string) {
	tb.Helper()
	dir := sharedCorpus(tb)
	ctx := context.Background()
	st := newStore(tb)
	k, err := st.KB(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	model, err := ner.Default()
	if err != nil {
		tb.Fatal(err)
	}
	es, err := entity.New(k, model, entity.DefaultConfig())
	if err != nil {
		tb.Fatal(err)
	}
	r := resolve.New(st, k, resolve.DefaultOptions())
	in := &ingest.Ingester{Store: st, Workers: 2, Resolve: r.Resolve, Pipeline: nlp.Pipeline{
		extract.Stage{Options: extract.DefaultOptions()}, dedup.Stage{}, lang.Stage{D: lang.New(lang.DefaultOptions())},
		sentence.Stage{}, es,
	}}
	sum, err := in.Run(ctx, source.New(source.Options{Exclude: source.MetadataFiles}), []string{dir})
	if err != nil || sum.Added != 5 {
		tb.Fatalf("ingest: %+v %v, want 5 added", sum, err)
	}
	docs, _, err := st.Documents(ctx, mizan.DocumentFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	ids := map[string]string{} // file prefix ("000") → document id
	for _, d := range docs {
		ids[filepath.Base(d.Source)[:3]] = d.ID
	}
	return st, ids
}

// TestCorpusOneEntityPerActor is the acceptance test of entity resolution: every actor an analyst
// would list from the five sample documents is one entity, whatever the spelling or script.
func TestCorpusOneEntityPerActor(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	st, docs := ingestCorpus(t)
	ctx := context.Background()
	mentions := map[string][]mizan.Mention{}
	for name, id := range docs {
		ms, err := st.Mentions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		mentions[name] = ms
	}
	// entitiesOf lists the entities that participant mentions of a name link to (the name, or a
	// longer name starting with it: "الحرس الثوري الإيراني" for "الحرس الثوري").
	entitiesOf := func(doc string, keys ...string) []string {
		set := map[string]bool{}
		for _, m := range mentions[doc] {
			k := textnorm.Key(m.Text)
			for _, want := range keys {
				w := textnorm.Key(want)
				if (k == w || strings.HasPrefix(k, w+" ")) && m.Role != mizan.RoleBoiler {
					set[m.EntityID] = true
				}
			}
		}
		var out []string
		for id := range set {
			out = append(out, id)
		}
		sort.Strings(out)
		return out
	}

	// People under every spelling: one profile, whichever name is asked.
	people := []struct {
		id    string
		names []string
	}{
		{"person/said-chengriha", []string{"Chengriha", "Chanegriha", "شنقريحة", "Saïd Chengriha", "Said Chanegriha"}},
		{"person/mhenna-djebbar", []string{"M'henna Djebbar", "Djebbar Mehenna"}},
		{"person/sergey-lavrov", []string{"Sergey Lavrov", "Sergei Lavrov"}},
		{"person/abdelmadjid-tebboune", []string{"Abdelmadjid Tebboune", "Tebboune"}},
		{"person/nikolai-patrushev", []string{"Nikolai Patrushev", "Patrushev"}},
	}
	for _, p := range people {
		for _, n := range p.names {
			prof, err := st.Entity(ctx, n, mizan.ProfileOptions{})
			if err != nil {
				t.Errorf("Entity(%q): %v", n, err)
				continue
			}
			if prof.ID != p.id || prof.Mentions == 0 {
				t.Errorf("Entity(%q): got %s with %d mentions, want %s mentioned", n, prof.ID, prof.Mentions, p.id)
			}
		}
	}
	// Each spelling, in every document that uses it, links to the one entity.
	for doc, ms := range mentions {
		for _, m := range ms {
			k := textnorm.Key(m.Text)
			for _, p := range people {
				for _, n := range p.names {
					if k == textnorm.Key(n) && m.EntityID != p.id && m.Role != mizan.RoleBoiler {
						t.Errorf("%s: %q at %v linked to %q, want %s", doc, m.Text, m.Span, m.EntityID, p.id)
					}
				}
			}
		}
	}
	// No second entity carries one of their surnames.
	for _, q := range []string{"chengriha", "chanegriha", "شنقريحة", "djebbar", "lavrov", "patrushev"} {
		list, _, err := st.Entities(ctx, mizan.EntityFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 {
			var ids []string
			for _, e := range list {
				ids = append(ids, e.ID)
			}
			t.Errorf("entities named like %q: got %v, want one", q, ids)
		}
	}

	// Algeria under its names, its demonym and its capital as government is gpe/dz.
	for doc := range mentions {
		for _, m := range mentions[doc] {
			k := textnorm.Key(m.Text)
			switch {
			case m.Role == mizan.RoleBoiler:
			case k == textnorm.Key("Algeria"), k == textnorm.Key("Algerian"), k == textnorm.Key("الجزائر"), k == textnorm.Key("Algérie"),
				k == textnorm.Key("Algiers") && m.Form == mizan.FormCapital:
				if m.EntityID != "gpe/dz" {
					t.Errorf("%s: %q (%s) at %v linked to %q, want gpe/dz", doc, m.Text, m.Form, m.Span, m.EntityID)
				}
			}
		}
	}

	// The Arabic article's actors are the English articles' nodes.
	k, _ := st.KB(ctx)
	pairs := []struct{ ar, en string }{
		{"الجزائر", "Algeria"}, {"إيران", "Iran"}, {"الحرس الثوري", "Revolutionary Guard"}, {"حزب الله", "Hezbollah"},
		{"حماس", "Hamas"}, {"وهران", "Oran"},
	}
	for _, p := range pairs {
		ar := entitiesOf("003", p.ar)
		want := ""
		if es := k.Lookup(p.en); len(es) > 0 {
			want = es[0].ID
		}
		if len(ar) != 1 || ar[0] != want {
			t.Errorf("003: %s links to %v, want only %s (the node of %q)", p.ar, ar, want, p.en)
		}
		for _, doc := range []string{"000", "001", "002", "004"} {
			if en := entitiesOf(doc, p.en); len(en) > 0 && (len(en) != 1 || en[0] != want) {
				t.Errorf("%s: %q links to %v, want %s", doc, p.en, en, want)
			}
		}
	}

	// 004's ticker and "Most Read" people are not actors of the article.
	for _, name := range []string{"Barrack", "Herzog", "Netanyahu", "Maduro", "Petro", "Dermer", "Mamdani", "Sudani"} {
		for _, m := range mentions["004"] {
			if m.Role != mizan.RoleBoiler && strings.Contains(m.Text, name) {
				t.Errorf("004: %q (%s) is a mention, want the ticker and Most Read left out", m.Text, m.EntityID)
			}
		}
	}
	if t.Failed() {
		list, _, _ := st.Entities(ctx, mizan.EntityFilter{})
		for _, e := range list {
			t.Logf("%-40s %-7s %3d %s", e.ID, e.Type, e.Mentions, e.Name)
		}
	}
}
