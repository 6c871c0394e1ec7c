package resolve_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/resolve"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
	"github.com/mizan-osint/mizan/internal/storetest"
)

var (
	kbOnce sync.Once
	kbData *kb.KB
)

func defaultKB(tb testing.TB) *kb.KB {
	tb.Helper()
	kbOnce.Do(func() {
		k, err := kb.Default()
		if err != nil {
			tb.Fatal(err)
		}
		kbData = k
	})
	return kbData
}

func newStore(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "r.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// person is one discovered person named in a document, as the entity stage reports it.
type person struct {
	text, id, lang string
}

// ingestDoc runs the resolver over a document naming people and stores it, as ingest does.
func ingestDoc(tb testing.TB, st *sqlstore.DB, r *resolve.Resolver, source, text string, people []person, kbMentions ...[3]string) *nlp.Doc {
	tb.Helper()
	d := storetest.Doc(source, "T", "en", text)
	nd := &nlp.Doc{Document: d}
	for _, p := range people {
		m := storetest.Mention(tb, d, p.text, 1, mizan.PERSON, p.id)
		m.Method = mizan.MethodPattern
		nd.Mentions = append(nd.Mentions, m)
		nd.Entities = append(nd.Entities, mizan.Entity{ID: p.id, Name: p.text, Type: mizan.PERSON, Source: "discovered",
			Names: []mizan.Name{{Text: p.text, Lang: p.lang, Kind: mizan.NameCanonical}}})
	}
	for _, k := range kbMentions {
		nd.Mentions = append(nd.Mentions, storetest.Mention(tb, d, k[0], 1, mizan.EntityType(k[1]), k[2]))
	}
	if err := r.Resolve(context.Background(), nd); err != nil {
		tb.Fatal(err)
	}
	if _, err := st.PutDocument(context.Background(), d, &nd.Analysis, false); err != nil {
		tb.Fatal(err)
	}
	return nd
}

func linkedTo(nd *nlp.Doc, text string) string {
	for _, m := range nd.Mentions {
		if m.Text == text {
			return m.EntityID
		}
	}
	return "(no mention)"
}

func TestResolveAcrossDocuments(t *testing.T) {
	st := newStore(t)
	r := resolve.New(st, defaultKB(t), resolve.DefaultOptions())
	tests := []struct {
		source, text string
		p            person
		want, rule   string // rule: prefix of the recorded rule ("" when nothing is linked)
	}{
		{"1", "Colonel Leila Zaruki flew to Moscow.", person{"Leila Zaruki", "person/leila-zaruki", "en"}, "person/leila-zaruki", ""},
		{"2", "العقيد ليلى زاروقي في موسكو.", person{"ليلى زاروقي", "person/x1", "ar"}, "person/leila-zaruki", "translit+script"},
		{"3", "Colonel Leyla Zarouki again.", person{"Leyla Zarouki", "person/leyla-zarouki", "en"}, "person/leila-zaruki", "translit"},
		{"4", "Zaruki Leila, in the French order.", person{"Zaruki Leila", "person/zaruki-leila", "fr"}, "person/leila-zaruki", "reorder"},
		// A knowledge-base person under a spelling the knowledge base lacks.
		{"5", "General Said Chengreha inspected troops.", person{"Said Chengreha", "person/said-chengreha", "en"}, "person/said-chengriha", "translit"},
		{"6", "Nikolaï Patrouchev arrived.", person{"Nikolaï Patrouchev", "person/nikolai-patrouchev", "fr"}, "person/nikolai-patrushev", "exact"},
		// Hard negatives: one shared word is not enough.
		{"7", "Abdelkader Hamdi spoke.", person{"Abdelkader Hamdi", "person/abdelkader-hamdi", "en"}, "person/abdelkader-hamdi", ""},
		{"8", "Leila Benali spoke.", person{"Leila Benali", "person/leila-benali", "en"}, "person/leila-benali", ""},
		{"9", "Mahmoud Abbas Zaruki spoke.", person{"Mahmoud Abbas Zaruki", "person/mahmoud-abbas-zaruki", "en"}, "person/mahmoud-abbas-zaruki", ""},
	}
	for _, tt := range tests {
		nd := ingestDoc(t, st, r, tt.source, tt.text, []person{tt.p})
		if got := linkedTo(nd, tt.p.text); got != tt.want {
			t.Errorf("%s: %q linked to %s, want %s", tt.source, tt.p.text, got, tt.want)
		}
		switch {
		case tt.rule == "" && len(nd.Resolutions) > 0:
			t.Errorf("%s: got resolutions %+v, want none", tt.source, nd.Resolutions)
		case tt.rule != "" && (len(nd.Resolutions) != 1 || !strings.HasPrefix(nd.Resolutions[0].Rule, tt.rule)):
			t.Errorf("%s: got resolutions %+v, want one by rule %s", tt.source, nd.Resolutions, tt.rule)
		}
	}
	// The store now finds Leila Zaruki by each spelling, with the links in her history.
	for _, name := range []string{"ليلى زاروقي", "Leyla Zarouki", "Zaruki Leila"} {
		p, err := st.Entity(context.Background(), name, mizan.ProfileOptions{})
		if err != nil || p.ID != "person/leila-zaruki" {
			t.Errorf("Entity(%q): got %v %v, want person/leila-zaruki", name, p, err)
			continue
		}
		if p.Docs != 4 || len(p.Resolutions) != 3 {
			t.Errorf("got %d docs and %d links, want 4 and 3", p.Docs, len(p.Resolutions))
		}
	}
	// Knowledge-base entity linked to: stored with the new spelling as an alias.
	if p, err := st.Entity(context.Background(), "Said Chengreha", mizan.ProfileOptions{}); err != nil || p.ID != "person/said-chengriha" {
		t.Errorf("got %v %v, want the KB entity", p, err)
	}
}

func TestResolveTypes(t *testing.T) {
	st := newStore(t)
	r := resolve.New(st, defaultKB(t), resolve.DefaultOptions())
	ingestDoc(t, st, r, "1", "Leila Zaruki spoke.", []person{{"Leila Zaruki", "person/leila-zaruki", "en"}})
	d := storetest.Doc("2", "T", "en", "Leila Zaruki Holdings bought a port.")
	nd := &nlp.Doc{Document: d, Analysis: mizan.Analysis{
		Mentions: []mizan.Mention{storetest.Mention(t, d, "Leila Zaruki Holdings", 1, mizan.ORG, "org/leila-zaruki-holdings")},
		Entities: []mizan.Entity{{ID: "org/leila-zaruki-holdings", Name: "Leila Zaruki", Type: mizan.ORG}},
	}}
	if err := r.Resolve(context.Background(), nd); err != nil {
		t.Fatal(err)
	}
	if got := nd.Mentions[0].EntityID; got != "org/leila-zaruki-holdings" {
		t.Errorf("an organisation named like a person was linked to %s", got)
	}
}

func TestResolveContext(t *testing.T) {
	for _, withContext := range []bool{false, true} {
		st := newStore(t)
		r := resolve.New(st, defaultKB(t), resolve.DefaultOptions())
		ingestDoc(t, st, r, "1", "Colonel Leila Zaruki met Nikolai Patrushev.", []person{{"Leila Zaruki", "person/leila-zaruki", "en"}},
			[3]string{"Nikolai Patrushev", "PERSON", "person/nikolai-patrushev"})
		// "Zaruki" alone is weak evidence: linked only when the document shares context.
		var nd *nlp.Doc
		if withContext {
			nd = ingestDoc(t, st, r, "2", "Zaruki and Nikolai Patrushev talked.", []person{{"Zaruki", "person/zaruki", "en"}},
				[3]string{"Nikolai Patrushev", "PERSON", "person/nikolai-patrushev"})
		} else {
			nd = ingestDoc(t, st, r, "2", "Zaruki travelled.", []person{{"Zaruki", "person/zaruki", "en"}})
		}
		want := "person/zaruki"
		if withContext {
			want = "person/leila-zaruki"
		}
		if got := linkedTo(nd, "Zaruki"); got != want {
			t.Errorf("context %v: linked to %s, want %s", withContext, got, want)
		} else if withContext && !strings.Contains(nd.Resolutions[0].Rule, "context:co-mention") {
			t.Errorf("got rule %q, want the context named", nd.Resolutions[0].Rule)
		}
	}
}

func TestResolveAmbiguous(t *testing.T) {
	st := newStore(t)
	r := resolve.New(st, defaultKB(t), resolve.DefaultOptions())
	ingestDoc(t, st, r, "1", "Karim Haddadi and Karim Haddady.", []person{{"Karim Haddadi", "person/karim-haddadi", "en"}, {"Karim Haddady", "person/karim-haddady", "en"}})
	nd := ingestDoc(t, st, r, "2", "Karim Haddade spoke.", []person{{"Karim Haddade", "person/karim-haddade", "en"}})
	if got := linkedTo(nd, "Karim Haddade"); got != "person/karim-haddade" {
		t.Errorf("linked to %s while two entities fit as well, want no link", got)
	}
}

func TestResolveCorrections(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	r := resolve.New(st, defaultKB(t), resolve.DefaultOptions())
	ingestDoc(t, st, r, "1", "Leila Zaruki and Omar Tazi met.", []person{{"Leila Zaruki", "person/leila-zaruki", "en"}, {"Omar Tazi", "person/omar-tazi", "en"}})
	// The analyst knows Omar Tazi is her pseudonym.
	if _, err := st.MergeEntities(ctx, "Omar Tazi", "Leila Zaruki"); err != nil {
		t.Fatal(err)
	}
	nd := ingestDoc(t, st, r, "2", "Omar Tazi wrote again.", []person{{"Omar Tazi", "person/omar-tazi", "en"}})
	if p, err := st.Entity(ctx, "Leila Zaruki", mizan.ProfileOptions{}); err != nil || p.Docs != 2 {
		t.Errorf("after a merge, a new mention of the merged name: got %+v %v, want it counted on the target", p, err)
	}
	_ = nd
	// A name split away is never linked back, even when it is similar.
	ingestDoc(t, st, r, "3", "Leyla Zarouki, a namesake, sings.", []person{{"Leyla Zarouki", "person/leyla-zarouki", "en"}})
	c, err := st.SplitEntity(ctx, "person/leila-zaruki", "Leyla Zarouki", "")
	if err != nil {
		t.Fatal(err)
	}
	again := ingestDoc(t, st, r, "4", "Leyla Zarouki sings again.", []person{{"Leyla Zarouki", "person/leyla-zarouki", "en"}})
	if got := linkedTo(again, "Leyla Zarouki"); got != c.Into {
		t.Errorf("split name linked to %s, want %s", got, c.Into)
	}
}
