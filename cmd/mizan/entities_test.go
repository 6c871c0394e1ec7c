package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/storetest"
)

// seedEntities stores a document with mentions straight into the database at db, as a run of the
// pipeline with the entity stage would, and returns its id.
func seedEntities(tb testing.TB, db string) string {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	d := storetest.Doc("seed.txt", "Army chief in Moscow", "en", "General Said Chanegriha met Leila Zaruki in Moscow.\nAlgeria and Russia signed.\nKareem Ben Ali watched.")
	a := &mizan.Analysis{
		Mentions: []mizan.Mention{
			storetest.Mention(tb, d, "Said Chanegriha", 1, mizan.PERSON, "person/said-chengriha"),
			storetest.Mention(tb, d, "Leila Zaruki", 1, mizan.PERSON, "person/leila-zaruki"),
			storetest.Mention(tb, d, "Moscow", 2, mizan.LOC, "loc/moscow"),
			storetest.Mention(tb, d, "Algeria", 1, mizan.GPE, "gpe/dz"),
			storetest.Mention(tb, d, "Russia", 1, mizan.GPE, "gpe/ru"),
			storetest.Mention(tb, d, "Kareem Ben Ali", 1, mizan.PERSON, "person/kareem-ben-ali"),
		},
		Entities: []mizan.Entity{
			{ID: "person/leila-zaruki", Name: "Leila Zaruki", Type: mizan.PERSON},
			{ID: "person/kareem-ben-ali", Name: "Kareem Ben Ali", Type: mizan.PERSON},
		},
	}
	if _, err := st.PutDocument(context.Background(), d, a, false); err != nil {
		tb.Fatal(err)
	}
	return d.ID
}

func TestEntityCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	id := seedEntities(t, db)

	var list []mizan.EntitySummary
	if err := json.Unmarshal([]byte(mustRun(t, db, "entities", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 6 {
		t.Fatalf("got %d entities, want 6", len(list))
	}
	var raw []map[string]any
	json.Unmarshal([]byte(mustRun(t, db, "entities", "--json", "--type", "person")), &raw)
	for _, k := range []string{"id", "name", "type", "aliases", "mentions", "docs"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("entities --json: no %q field in %v", k, raw[0])
		}
	}
	if len(raw) != 3 {
		t.Errorf("--type person: got %d, want 3", len(raw))
	}
	if out := mustRun(t, db, "entities", "--query", "الجزائر"); !strings.Contains(out, "gpe/dz") || strings.Contains(out, "gpe/ru") {
		t.Errorf("--query الجزائر: got\n%s", out)
	}

	// A profile by an Arabic name, a French spelling and an id, as text and JSON.
	for _, ref := range [][]string{{"شنقريحة"}, {"Chanegriha"}, {"person/said-chengriha"}, {"Saïd", "Chengriha"}} {
		out := mustRun(t, db, append([]string{"entity"}, ref...)...)
		if !strings.Contains(out, "person/said-chengriha") || !strings.Contains(out, "General Said Chanegriha met Leila Zaruki in Moscow.") {
			t.Errorf("entity %v: got\n%s", ref, out)
		}
	}
	var p mizan.EntityProfile
	if err := json.Unmarshal([]byte(mustRun(t, db, "entity", "--json", "Zaruki Leila")), &p); err != nil {
		t.Fatal(err)
	}
	if p.ID != "person/leila-zaruki" || len(p.Sentences) != 1 || p.Mentions != 1 {
		t.Errorf("entity --json: got %+v", p)
	}

	// Corrections.
	if out := mustRun(t, db, "entity", "merge", "Kareem Ben Ali", "person/leila-zaruki"); !strings.Contains(out, "merged person/kareem-ben-ali into person/leila-zaruki") {
		t.Errorf("merge: got %q", out)
	}
	json.Unmarshal([]byte(mustRun(t, db, "entity", "--json", "person/leila-zaruki")), &p)
	if p.Mentions != 2 || len(p.Corrections) != 1 {
		t.Errorf("after merge: got %d mentions, corrections %v", p.Mentions, p.Corrections)
	}
	if out := mustRun(t, db, "entity", "split", "person/leila-zaruki", "Kareem", "Ben", "Ali"); !strings.Contains(out, `split "Kareem Ben Ali" from person/leila-zaruki`) {
		t.Errorf("split: got %q", out)
	}
	json.Unmarshal([]byte(mustRun(t, db, "entity", "--json", "Kareem Ben Ali")), &p)
	if p.ID != "person/kareem-ben-ali" || p.Mentions != 1 {
		t.Errorf("after split: got %s with %d mentions", p.ID, p.Mentions)
	}

	// show --json carries the mentions.
	var v struct {
		Mentions []mizan.Mention `json:"mentions"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "show", "--json", id)), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Mentions) != 6 || v.Mentions[0].Text != "Said Chanegriha" || v.Mentions[5].EntityID != "person/kareem-ben-ali" || v.Mentions[0].EntityID != "person/said-chengriha" {
		t.Errorf("show --json: got mentions %+v", v.Mentions)
	}

	var c struct {
		Entities int  `json:"entities"`
		Applied  bool `json:"applied"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "resolve", "--dry-run", "--json")), &c); err != nil || c.Entities < 2 || c.Applied {
		t.Errorf("resolve --dry-run --json: got %+v %v", c, err)
	}
	if out := mustRun(t, db, "resolve"); !strings.Contains(out, "discovered entities") {
		t.Errorf("resolve: got %q", out)
	}

	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"entity", "Nobody Qwzx"}, 1, "no entity"},
		{[]string{"entity", "merge", "person/leila-zaruki", "Leila Zaruki"}, 1, "already one entity"},
		{[]string{"entity", "split", "person/leila-zaruki", "Unknown Name"}, 1, "has no name"},
		{[]string{"entities", "--type", "planet"}, 2, "unknown entity type"},
	}
	for _, tt := range tests {
		_, errs, code := run(t, db, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("mizan %v: got exit %d %q, want %d and %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
}

func TestKBCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	var rows []kbRow
	if err := json.Unmarshal([]byte(mustRun(t, db, "kb", "list", "--json", "--type", "gpe")), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 200 {
		t.Errorf("kb list --type gpe: got %d, want every country", len(rows))
	}
	out := mustRun(t, db, "kb", "show", "gpe/dz")
	for _, want := range []string{"الجزائر", "Algérie", "demonym", "Minister of Foreign Affairs", "person/ahmed-attaf"} {
		if !strings.Contains(out, want) {
			t.Errorf("kb show gpe/dz: no %q in\n%s", want, out)
		}
	}
	var v struct {
		NamesByLang map[string][]mizan.Name `json:"names_by_lang"`
		Offices     []struct {
			Title string `json:"title"`
		} `json:"offices"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "kb", "show", "--json", "شنقريحة")), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.NamesByLang["ar"]) == 0 || len(v.Offices) == 0 {
		t.Errorf("kb show --json شنقريحة: got %+v", v)
	}

	// An import persists: a new process sees it.
	file := filepath.Join(t.TempDir(), "extra.csv")
	csv := "id,type,name,lang,aliases,country\nperson/leila-zaruki,PERSON,Leila Zaruki,en,Colonel Zaruki|ليلى زاروقي,dz\n,PERSON,,en,,\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run(t, db, "kb", "import", file)
	if code != 0 || !strings.Contains(out, "1 added") || !strings.Contains(out, "1 skipped") || !strings.Contains(errs, "line 3") {
		t.Errorf("kb import: got exit %d\n%s\n%s", code, out, errs)
	}
	if out := mustRun(t, db, "kb", "show", "ليلى زاروقي"); !strings.Contains(out, "person/leila-zaruki") {
		t.Errorf("after import, kb show: got\n%s", out)
	}
	if out := mustRun(t, db, "kb", "list", "--query", "zaruki"); !strings.Contains(out, "person/leila-zaruki") {
		t.Errorf("after import, kb list --query: got\n%s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("id,type,name\n,PLANET,Mars\n"), 0o644)
	if _, errs, code := run(t, db, "kb", "import", bad); code != 1 || !strings.Contains(errs, "nothing in") {
		t.Errorf("kb import of nothing usable: got exit %d %q", code, errs)
	}
	if _, errs, code := run(t, db, "kb", "import", filepath.Join(t.TempDir(), "x.unknown")); code != 2 || !strings.Contains(errs, "--format") {
		t.Errorf("kb import of unknown format: got exit %d %q", code, errs)
	}
	if _, errs, code := run(t, db, "kb", "show", "Nowhere Land Qwzx"); code != 1 || !strings.Contains(errs, "no entity") {
		t.Errorf("kb show unknown: got exit %d %q", code, errs)
	}
}
