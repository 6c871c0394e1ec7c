package export_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan/internal/export"
)

// ftmModel is FollowTheMoney's data model as its npm package ships it (dist/defaultModel.json).
type ftmModel struct {
	Schemata map[string]struct {
		Abstract   bool     `json:"abstract"`
		Extends    []string `json:"extends"`
		Required   []string `json:"required"`
		Properties map[string]struct {
			Type  string `json:"type"`
			Range string `json:"range"`
		} `json:"properties"`
	} `json:"schemata"`
	Types map[string]struct {
		Values map[string]string `json:"values"`
	} `json:"types"`
}

// loadFtMModel reads the model from $MIZAN_FTM_MODEL, else from the npm package installed by
// `npm ci` in testdata/ftm (the lockfile pins @alephdata/followthemoney), else skips.
func loadFtMModel(t *testing.T) *ftmModel {
	t.Helper()
	path := os.Getenv("MIZAN_FTM_MODEL")
	if path == "" {
		path = filepath.Join("testdata", "ftm", "node_modules", "@alephdata", "followthemoney", "dist", "defaultModel.json")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("FollowTheMoney model not found at %s: run `npm ci` in internal/export/testdata/ftm (or set MIZAN_FTM_MODEL) to validate the export against it", path)
	}
	var m ftmModel
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("model: %v", err)
	}
	return &m
}

// is reports whether schema s is, or descends from, schema parent.
func (m *ftmModel) is(s, parent string) bool {
	if s == parent {
		return true
	}
	for _, e := range m.Schemata[s].Extends {
		if m.is(e, parent) {
			return true
		}
	}
	return false
}

// property finds a property of a schema or of the schemata it extends.
func (m *ftmModel) property(s, name string) (typ, rng string, ok bool) {
	sc, found := m.Schemata[s]
	if !found {
		return "", "", false
	}
	if p, ok := sc.Properties[name]; ok {
		return p.Type, p.Range, true
	}
	for _, e := range sc.Extends {
		if t, r, ok := m.property(e, name); ok {
			return t, r, true
		}
	}
	return "", "", false
}

func (m *ftmModel) required(s string) []string {
	out := append([]string(nil), m.Schemata[s].Required...)
	for _, e := range m.Schemata[s].Extends {
		out = append(out, m.required(e)...)
	}
	return out
}

var ftmDateRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?$`)

// TestFtM validates the export against FollowTheMoney's model, as `ftm validate` and Aleph's
// importer check it: every schema exists and is not abstract, every property is defined for its
// schema (or one it extends), required properties are there, entity references point at
// entities of the export whose schema fits the property's range, and countries, languages and
// dates are values of their types.
func TestFtM(t *testing.T) {
	m := loadFtMModel(t)
	d := fixture(t)
	lines := strings.Split(strings.TrimSpace(string(write(t, export.FtM, d))), "\n")
	type entity struct {
		ID         string              `json:"id"`
		Schema     string              `json:"schema"`
		Properties map[string][]string `json:"properties"`
	}
	var es []entity
	schemaOf := map[string]string{}
	for i, l := range lines {
		var e entity
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if e.ID == "" || schemaOf[e.ID] != "" {
			t.Errorf("line %d: got id %q, want a unique id", i+1, e.ID)
		}
		schemaOf[e.ID] = e.Schema
		es = append(es, e)
	}
	seen := map[string]bool{}
	for _, e := range es {
		seen[e.Schema] = true
		sc, ok := m.Schemata[e.Schema]
		if !ok || sc.Abstract {
			t.Errorf("%s: schema %q is not a concrete schema of the model", e.ID, e.Schema)
			continue
		}
		for _, r := range m.required(e.Schema) {
			if len(e.Properties[r]) == 0 {
				t.Errorf("%s (%s): required property %s missing", e.ID, e.Schema, r)
			}
		}
		for name, values := range e.Properties {
			typ, rng, ok := m.property(e.Schema, name)
			if !ok {
				t.Errorf("%s: %s has no property %q", e.ID, e.Schema, name)
				continue
			}
			for _, v := range values {
				switch typ {
				case "entity":
					target, ok := schemaOf[v]
					if !ok {
						t.Errorf("%s.%s: %s is not an entity of the export", e.ID, name, v)
					} else if rng != "" && !m.is(target, rng) {
						t.Errorf("%s.%s: %s is a %s, want a %s", e.ID, name, v, target, rng)
					}
				case "country", "language", "topic":
					if vals := m.Types[typ].Values; vals != nil && vals[v] == "" {
						t.Errorf("%s.%s: %q is not a %s of the model", e.ID, name, v, typ)
					}
				case "date":
					if !ftmDateRE.MatchString(v) {
						t.Errorf("%s.%s: %q is not a date", e.ID, name, v)
					}
				}
			}
		}
	}
	// A link's dates are its dated events' at their precision (months here); a link none of
	// whose events the text dates has none, whatever day its reports were read.
	var starts []string
	undated := 0
	for _, e := range es {
		if e.Schema != "UnknownLink" {
			continue
		}
		if d := e.Properties["startDate"]; len(d) > 0 {
			starts = append(starts, d[0]+".."+strings.Join(e.Properties["endDate"], ""))
		} else {
			undated++
		}
	}
	sort.Strings(starts)
	if got := strings.Join(starts, " "); got != "2022-06..2022-06 2024-10..2024-10" || undated != 2 {
		t.Errorf("got link dates %q and %d undated links; want 2022-06..2022-06 2024-10..2024-10 and 2", got, undated)
	}
	for _, s := range []string{"Person", "Organization", "PublicBody", "Address", "Article", "UnknownLink", "Event"} {
		if !seen[s] {
			t.Errorf("got no %s, want every kind of entity exported", s)
		}
	}
}
