package kb

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
)

// seedKB is a small KB the fuzzed imports merge into, so that merges by id and name happen.
const seedKB = `
entities:
  - {id: gpe/dz, names: {en: Algeria, ar: الجزائر, fr: Algérie}, demonyms: {en: Algerian, ar: جزائري}, attrs: {country: dz, capital: loc/algiers, wikidata: Q262}}
  - {id: loc/algiers, names: {en: Algiers}, attrs: {country: dz}}
  - {id: person/jane-example, names: {en: Jane Example}}
  - {id: group/polisario, names: {en: Polisario Front}}
offices:
  - {id: dz/president, entity: gpe/dz, title: President, role: president, holders: [{holder: person/jane-example, start: 2020}]}
roles:
  president: {en: ["{adj} President", "President of {name}"], ar: ["الرئيس {adj}"]}
`

func seeds(f *testing.F, file string) {
	f.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, line := range bytes.Split(data, []byte("\n")) {
		f.Add(line)
	}
}

// fuzzImport checks what must hold for any input: no panic, only user-facing errors, a report
// that adds up, and a KB that still writes and loads back.
func fuzzImport(t *testing.T, format string, data []byte) {
	k, err := Load(strings.NewReader(seedKB))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := k.Import(bytes.NewReader(data), format, "fuzz")
	if err != nil {
		var me *mizan.Error
		if !errors.As(err, &me) {
			t.Fatalf("Import error %v is not a *mizan.Error", err)
		}
		return
	}
	if rep.Records != rep.Added+rep.Merged+rep.Offices+rep.Skipped {
		t.Fatalf("report does not add up: %+v", rep)
	}
	for _, e := range k.Entities("") {
		if e.ID == "" || e.Name == "" || Key(e.Name) == "" {
			t.Fatalf("entity without id or name: %+v", e)
		}
		for _, n := range e.Names {
			if Key(n.Text) == "" {
				t.Fatalf("%s: name without a key: %+v", e.ID, n)
			}
		}
	}
	var buf bytes.Buffer
	if err := k.WriteYAML(&buf); err != nil {
		t.Fatalf("WriteYAML: %v", err)
	}
	k2, err := Load(&buf)
	if err != nil {
		t.Fatalf("Load(WriteYAML(k)) after importing %q: %v", data, err)
	}
	if k2.Len() != k.Len() {
		t.Fatalf("round trip: %d entities, want %d", k2.Len(), k.Len())
	}
}

func FuzzImportCSV(f *testing.F) {
	seeds(f, "import.csv")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, "csv", data) })
}

func FuzzImportYAML(f *testing.F) {
	seeds(f, "import.yaml")
	f.Add([]byte(seedKB))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, "yaml", data) })
}

func FuzzImportFTM(f *testing.F) {
	seeds(f, "import.ftm.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, "ftm", data) })
}

// FuzzLoad checks that whatever Load accepts, WriteYAML writes back to something Load accepts
// and that is the same.
func FuzzLoad(f *testing.F) {
	seeds(f, "import.yaml")
	f.Add([]byte(seedKB))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, mizan.ErrInvalid) && !errors.Is(err, mizan.ErrTooLarge) {
				t.Fatalf("Load error %v is neither EINVALID nor ETOOLARGE", err)
			}
			return
		}
		var a, b bytes.Buffer
		if err := k.WriteYAML(&a); err != nil {
			t.Fatal(err)
		}
		k2, err := Load(bytes.NewReader(a.Bytes()))
		if err != nil {
			t.Fatalf("Load(WriteYAML(Load(%q))): %v\n%s", data, err, a.String())
		}
		if err := k2.WriteYAML(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("not a fixed point:\n%s\n---\n%s", a.String(), b.String())
		}
	})
}
