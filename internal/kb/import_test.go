package kb

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
)

var update = flag.Bool("update", false, "rewrite the .golden files in testdata")

// importFile imports a testdata file into a fresh default KB.
func importFile(tb testing.TB, name, format string) (*KB, ImportReport) {
	tb.Helper()
	k := mustDefault(tb)
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rep, err := k.Import(f, format, name)
	if err != nil {
		tb.Fatalf("Import(%s): %v", name, err)
	}
	return k, rep
}

// TestImportReports compares each import's report (counts and every reason a line was skipped)
// with its golden file; run with -update to rewrite them.
func TestImportReports(t *testing.T) {
	for _, tt := range []struct{ file, format string }{
		{"import.csv", "csv"},
		{"import.yaml", "yaml"},
		{"import.ftm.jsonl", "ftm"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			_, rep := importFile(t, tt.file, tt.format)
			got, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", tt.file+".report.golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("report for %s:\ngot  %s\nwant %s", tt.file, got, want)
			}
			if rep.Records != rep.Added+rep.Merged+rep.Offices+rep.Skipped {
				t.Errorf("records %d, want added %d + merged %d + offices %d + skipped %d", rep.Records, rep.Added, rep.Merged, rep.Offices, rep.Skipped)
			}
		})
	}
}

func TestImportCSV(t *testing.T) {
	k, rep := importFile(t, "import.csv", "csv")
	if rep.Added != 4 || rep.Merged != 4 || rep.Skipped != 6 {
		t.Errorf("added/merged/skipped = %d/%d/%d, want 4/4/6", rep.Added, rep.Merged, rep.Skipped)
	}
	jane, ok := k.Entity("person/jane-example")
	if !ok {
		t.Fatal("person/jane-example not imported")
	}
	if jane.Attrs["country"] != "gb" || jane.Source != "import:import.csv" {
		t.Errorf("jane = %+v, want country gb and source import:import.csv", jane)
	}
	for _, name := range []string{"Jane Example", "J. Example", "Janet Example", "جين إكزامبل"} {
		if got := ids(k.Lookup(name)); !slices.Contains(got, "person/jane-example") {
			t.Errorf("Lookup(%q) = %v, want person/jane-example", name, got)
		}
	}
	// A row without id gets a slug; a quoted alias keeps its comma.
	if got := ids(k.Lookup("Example Relief, Inc.")); !slices.Equal(got, []string{"org/example-relief-agency"}) {
		t.Errorf("Lookup(Example Relief, Inc.) = %v, want [org/example-relief-agency]", got)
	}
	// Merges: by id (gpe/dz), by unique name and type (Polisario Front).
	if got := ids(k.Lookup("Algérie la blanche")); !slices.Equal(got, []string{"gpe/dz"}) {
		t.Errorf("Lookup(Algérie la blanche) = %v, want [gpe/dz]", got)
	}
	if got := ids(k.Lookup("The Front")); !slices.Equal(got, []string{"group/polisario"}) {
		t.Errorf("Lookup(The Front) = %v, want [group/polisario]", got)
	}
	// "Tripoli" of Lebanon merges into the Lebanese city, not the Libyan one.
	if e, _ := k.Entity("loc/tripoli"); e.Source != "kb" {
		t.Errorf("loc/tripoli source %q, want kb (untouched)", e.Source)
	}
	if e, ok := k.Entity("loc/tripoli-lebanon"); !ok || !slices.ContainsFunc(e.Names, func(n mizan.Name) bool { return n.Lang == "en" && n.Text == "Tripoli" }) {
		t.Errorf("loc/tripoli-lebanon = %+v", e)
	}
}

func TestImportYAML(t *testing.T) {
	k, rep := importFile(t, "import.yaml", "yaml")
	if rep.Skipped == 0 || rep.Tenures != 1 {
		t.Errorf("skipped %d, tenures %d; want some skipped and 1 tenure", rep.Skipped, rep.Tenures)
	}
	if got := ids(k.Lookup("EMD")); !slices.Equal(got, []string{"org/example-ministry"}) {
		t.Errorf("Lookup(EMD) = %v, want [org/example-ministry]", got)
	}
	if got := ids(k.Lookup("Algerian State")); !slices.Equal(got, []string{"gpe/dz"}) {
		t.Errorf("Lookup(Algerian State) = %v, want [gpe/dz]", got)
	}
	o, ok := k.Holder("gb/example-minister", date(t, "2021-05-01"))
	if !ok || o.Holder != "person/jane-example" || o.Title != "Example Minister" {
		t.Fatalf("Holder(gb/example-minister) = %+v, %v", o, ok)
	}
	// The role template (defence-minister) is filled from the office's entity, an ORG without
	// demonyms: only the {name} templates apply; the written alias is kept.
	var aliases []string
	for _, a := range o.Aliases {
		aliases = append(aliases, a.Text)
	}
	for _, want := range []string{"the example minister", "Defence Minister of Example Ministry of Defence"} {
		if !slices.Contains(aliases, want) {
			t.Errorf("aliases %q lack %q", aliases, want)
		}
	}
	if _, ok := k.Holder("gb/example-minister", date(t, "2023-01-01")); ok {
		t.Errorf("Holder(gb/example-minister, 2023) found a holder; the tenure ended in 2022 and person/nobody is unknown")
	}
}

func TestImportFTM(t *testing.T) {
	k, rep := importFile(t, "import.ftm.jsonl", "ftm")
	if rep.Tenures != 1 {
		t.Errorf("tenures %d, want 1", rep.Tenures)
	}
	// Merged into the KB's Putin by Wikidata QID.
	if got := ids(k.Lookup("Vladimir Vladimirovich Putin")); !slices.Equal(got, []string{"person/vladimir-putin"}) {
		t.Errorf("Lookup(Vladimir Vladimirovich Putin) = %v, want [person/vladimir-putin]", got)
	}
	jane, ok := k.Entity("person/ftm-ex-person-1")
	if !ok {
		t.Fatal("person/ftm-ex-person-1 not imported")
	}
	if jane.Attrs["role"] != "Example Minister" || jane.Attrs["country"] != "gb" || jane.Attrs["ftm_id"] != "ex-person-1" {
		t.Errorf("attrs = %v", jane.Attrs)
	}
	if got := k.Lookup("Janey"); len(got) != 0 {
		t.Errorf("single-word weak alias Janey was imported: %v", ids(got))
	}
	if got := ids(k.Lookup("Jane the Example")); !slices.Equal(got, []string{"person/ftm-ex-person-1"}) {
		t.Errorf("Lookup(Jane the Example) = %v", got)
	}
	if e, ok := k.Entity("group/ftm-ex-org-1"); !ok || e.Type != mizan.GROUP {
		t.Errorf("terror-listed organisation = %+v, %v; want a GROUP", e, ok)
	}
	if got := ids(k.Lookup("Example Import Export")); !slices.Equal(got, []string{"org/ftm-ex-co-1"}) {
		t.Errorf("Lookup(previous name) = %v", got)
	}
	if e, ok := k.Entity("org/ftm-ex-nested"); !ok || e.Name != "Nested Holdings" || e.Attrs["country"] != "" {
		t.Errorf("nested entity = %+v, %v", e, ok)
	}
	o, ok := k.Holder("dz/ftm-ex-pos-1", date(t, "2022-01-01"))
	if !ok || o.Holder != "person/ftm-ex-person-1" || o.Entity != "gpe/dz" || o.Title != "Minister of Examples of Algeria" {
		t.Errorf("Holder(dz/ftm-ex-pos-1) = %+v, %v", o, ok)
	}
}

func TestImportErrors(t *testing.T) {
	k := mustDefault(t)
	tests := []struct {
		format, input string
		want          *mizan.Error
	}{
		{"xml", "<kb/>", mizan.ErrUnsupported},
		{"yaml", "- just\n- a list\n", mizan.ErrInvalid},
		{"yaml", "entities: [\n", mizan.ErrInvalid},
		{"csv", "id,type,label\n", mizan.ErrInvalid},
	}
	for _, tt := range tests {
		_, err := k.Import(strings.NewReader(tt.input), tt.format, "t")
		if !errors.Is(err, tt.want) {
			t.Errorf("Import(%s, %q) error = %v, want code %s", tt.format, tt.input, err, tt.want.Code)
		}
	}
	// An empty input imports nothing and is no error.
	for _, f := range Formats {
		rep, err := k.Import(strings.NewReader(""), f, "empty")
		if err != nil || rep.Records != 0 {
			t.Errorf("Import(%s, empty) = %+v, %v; want nothing", f, rep, err)
		}
	}
	// A line over the limit is skipped, the next one still read.
	long := "{\"id\":\"x\",\"schema\":\"Person\",\"properties\":{\"name\":[\"" + strings.Repeat("a", maxLine) + "\"]}}\n" +
		"{\"id\":\"y\",\"schema\":\"Person\",\"properties\":{\"name\":[\"After Long Line\"]}}\n"
	rep, err := k.Import(strings.NewReader(long), "ftm", "long")
	if err != nil || rep.Skipped != 1 || rep.Added != 1 {
		t.Errorf("Import(long line) = %+v, %v; want 1 skipped, 1 added", rep, err)
	}
}

func TestLoadStrict(t *testing.T) {
	tests := []struct{ name, input string }{
		{"bad type", "entities:\n  - {id: x/y, type: PLANET, names: {en: X}}\n"},
		{"unknown holder", "entities:\n  - {id: gpe/xx, names: {en: X}}\noffices:\n  - {id: xx/p, entity: gpe/xx, holders: [{holder: person/nobody}]}\n"},
		{"bad date", "entities:\n  - {id: person/a, names: {en: A}}\n  - {id: gpe/xx, names: {en: X}}\noffices:\n  - {id: xx/p, entity: gpe/xx, holders: [{holder: person/a, start: May 2020}]}\n"},
		{"unknown section", "people: []\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.input))
			if !errors.Is(err, mizan.ErrInvalid) {
				t.Errorf("Load: error %v, want EINVALID", err)
			}
		})
	}
	k, err := Load(strings.NewReader("entities:\n  - {id: loc/a, names: {en: Tripoli}, attrs: {country: ly}}\n  - {id: loc/b, names: {en: Tripoli}, attrs: {country: lb}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if k.Len() != 2 {
		t.Errorf("Load kept %d entities, want 2 (Load merges by id only)", k.Len())
	}
}
