package kb

import (
	"io/fs"
	"maps"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/mizan-osint/mizan"
)

// TestEmbeddedData validates the hand-written data files and the default KB built from them.
func TestEmbeddedData(t *testing.T) {
	// Each id is written once across the data files (a second entry would silently merge).
	files, err := fs.Glob(dataFS, "data/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("data files: %v, %v", files, err)
	}
	where := map[string]string{}
	offices := map[string]string{}
	for _, f := range files {
		data, err := dataFS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc fileDoc
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, e := range doc.Entities {
			if prev, ok := where[e.ID]; ok {
				t.Errorf("entity %s is in %s and again in %s", e.ID, prev, f)
			}
			where[e.ID] = f
		}
		for _, o := range doc.Offices {
			if prev, ok := offices[o.ID]; ok {
				t.Errorf("office %s is in %s and again in %s", o.ID, prev, f)
			}
			offices[o.ID] = f
			if o.Role != "" {
				if _, ok := defaultRoles(t)[o.Role]; !ok {
					t.Errorf("office %s: unknown role %q", o.ID, o.Role)
				}
			}
		}
	}

	k := mustDefault(t)
	count := map[mizan.EntityType]int{}
	qids := map[string]string{}
	var noDemonym []string
	for _, e := range k.Entities("") {
		count[e.Type]++
		if e.Name == "" || Key(e.Name) == "" {
			t.Errorf("%s: no display name", e.ID)
		}
		if !slices.ContainsFunc(e.Names, func(n mizan.Name) bool { return n.Text == e.Name }) {
			t.Errorf("%s: display name %q is not among its names", e.ID, e.Name)
		}
		langs := map[string]bool{}
		for _, n := range e.Names {
			if n.Text == "" || Key(n.Text) == "" {
				t.Errorf("%s: empty name %+v", e.ID, n)
			}
			if !slices.Contains(kindOrder, n.Kind) {
				t.Errorf("%s: name %q has kind %q", e.ID, n.Text, n.Kind)
			}
			if n.Kind == mizan.NameCanonical {
				if langs[n.Lang] {
					t.Errorf("%s: two canonical names in %q", e.ID, n.Lang)
				}
				langs[n.Lang] = true
			}
		}
		if e.Type == mizan.GPE {
			for _, l := range []string{"en", "ar", "fr"} {
				if !langs[l] {
					t.Errorf("%s: no canonical %s name", e.ID, l)
				}
			}
			if !slices.ContainsFunc(e.Names, func(n mizan.Name) bool { return n.Kind == mizan.NameDemonym && n.Lang == "en" }) {
				noDemonym = append(noDemonym, e.ID)
			}
		}
		if c := e.Attrs["capital"]; c != "" {
			if city, ok := k.Entity(c); !ok || city.Type != mizan.LOC {
				t.Errorf("%s: capital %s is not a LOC in the KB", e.ID, c)
			}
		}
		if c := e.Attrs["country"]; c != "" {
			if _, ok := k.Entity("gpe/" + c); !ok {
				t.Errorf("%s: country %q is not a GPE in the KB", e.ID, c)
			}
		}
		if p := e.Attrs["parent"]; p != "" {
			if _, ok := k.Entity(p); !ok {
				t.Errorf("%s: parent %s is not in the KB", e.ID, p)
			}
		}
		if q := e.Attrs["wikidata"]; q != "" {
			if !qidRe.MatchString(q) {
				t.Errorf("%s: bad wikidata id %q", e.ID, q)
			}
			if prev, ok := qids[q]; ok {
				t.Errorf("%s and %s share wikidata id %s", prev, e.ID, q)
			}
			qids[q] = e.ID
		}
	}
	// English demonyms exist for every country except territories whose people are another
	// state's (Svalbard, the French Southern and the US Outlying Islands).
	if !slices.Equal(noDemonym, []string{"gpe/sj", "gpe/tf", "gpe/um"}) {
		t.Errorf("GPEs without an English demonym: %v, want [gpe/sj gpe/tf gpe/um]", noDemonym)
	}
	for typ, min := range map[mizan.EntityType]int{mizan.GPE: 249, mizan.LOC: 300, mizan.ORG: 80, mizan.GROUP: 30, mizan.PERSON: 180} {
		if count[typ] < min {
			t.Errorf("%d %s entities, want at least %d", count[typ], typ, min)
		}
	}
	t.Logf("entities by type: %v; names: %d; role names: %d", count, len(k.Names()), len(k.Roles()))

	// Offices: a real state or organisation, holders who are people, tenures that do not overlap.
	k.mu.RLock()
	defer k.mu.RUnlock()
	for _, id := range slices.Sorted(maps.Keys(k.offices)) {
		ts := k.offices[id]
		for i, o := range ts {
			if _, ok := k.entities[o.Entity]; !ok {
				t.Errorf("office %s: entity %s not in the KB", id, o.Entity)
			}
			if h, ok := k.entities[o.Holder]; !ok || h.Type != mizan.PERSON {
				t.Errorf("office %s: holder %s is not a person in the KB", id, o.Holder)
			}
			if o.Title == "" {
				t.Errorf("office %s: no title", id)
			}
			if len(o.Aliases) == 0 {
				t.Errorf("office %s: no role names", id)
			}
			if o.Start == nil {
				t.Errorf("office %s, %s: no start date", id, o.Holder)
			}
			if i > 0 {
				prev := ts[i-1]
				if prev.End == nil || o.Start == nil || prev.End.After(*o.Start) {
					t.Errorf("office %s: %s (%s–%s) overlaps %s (from %s)", id, prev.Holder,
						formatDate(prev.Start), formatDate(prev.End), o.Holder, formatDate(o.Start))
				}
			}
		}
	}
}

func defaultRoles(tb testing.TB) map[string]roleDef {
	tb.Helper()
	k := mustDefault(tb)
	k.mu.RLock()
	defer k.mu.RUnlock()
	return maps.Clone(k.roles)
}
