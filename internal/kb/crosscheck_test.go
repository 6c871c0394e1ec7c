package kb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
)

// sharedCountries is mledoze/countries in the shared public data (ODbL): used only to
// cross-check the KB, never copied into it.
var sharedCountries = filepath.Join("..", "..", "..", "shared", "data", "gazetteers", "countries", "countries-unescaped.json")

type refCountry struct {
	CCA2 string `json:"cca2"`
	CCA3 string `json:"cca3"`
	Name struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"name"`
	Capital      []string                     `json:"capital"`
	Translations map[string]map[string]string `json:"translations"`
	Demonyms     map[string]map[string]string `json:"demonyms"`
}

// TestCountriesCrossCheck compares the KB's country names, demonyms and capitals with
// mledoze/countries and reports the agreement: TP = the reference value is a name of that kind
// and language of the country in the KB; FP = the KB has names of that kind and language for
// the country but none agrees; FN = the reference value is not in the KB. The test fails when
// agreement (precision) falls below a floor, so a regression in the data shows.
func TestCountriesCrossCheck(t *testing.T) {
	data, err := os.ReadFile(sharedCountries)
	if os.IsNotExist(err) {
		t.Skipf("cross-check skipped: %s not found (the shared public data sits beside the project)", sharedCountries)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref []refCountry
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	k := mustDefault(t)
	rep := evalkit.Report{Title: "KB countries vs mledoze/countries (agreement)"}
	var disagreements []string
	check := func(label string, e *mizan.Entity, kinds []mizan.NameKind, lang, want string) {
		if want == "" {
			return
		}
		have := false
		for _, n := range e.Names {
			if n.Lang != lang || !containsKind(kinds, n.Kind) {
				continue
			}
			have = true
			if Key(n.Text) == Key(want) {
				rep.Add(label, evalkit.Counts{TP: 1})
				rep.Add("all", evalkit.Counts{TP: 1})
				return
			}
		}
		c := evalkit.Counts{FN: 1}
		if have {
			c.FP = 1
			if len(disagreements) < 60 {
				disagreements = append(disagreements, label+" "+e.ID+": "+want)
			}
		}
		rep.Add(label, c)
		rep.Add("all", c)
	}
	names := []mizan.NameKind{mizan.NameCanonical, mizan.NameAlias, mizan.NameAbbrev}
	for _, c := range ref {
		e, ok := k.Entity("gpe/" + strings.ToLower(c.CCA2))
		if !ok {
			rep.Add("country", evalkit.Counts{FN: 1})
			t.Errorf("country %s (%s) is not in the KB", c.CCA2, c.Name.Common)
			continue
		}
		rep.Add("country", evalkit.Counts{TP: 1})
		if e.Attrs["iso3"] == c.CCA3 {
			rep.Add("iso3", evalkit.Counts{TP: 1})
		} else {
			rep.Add("iso3", evalkit.Counts{FP: 1, FN: 1})
			disagreements = append(disagreements, "iso3 "+e.ID+": "+c.CCA3)
		}
		check("name.en", e, names, "en", c.Name.Common)
		for lang, code := range map[string]string{"fr": "fra", "ar": "ara", "ru": "rus", "fa": "per"} {
			check("name."+lang, e, names, lang, c.Translations[code]["common"])
		}
		check("demonym.en", e, []mizan.NameKind{mizan.NameDemonym}, "en", c.Demonyms["eng"]["m"])
		check("demonym.fr", e, []mizan.NameKind{mizan.NameDemonym}, "fr", c.Demonyms["fra"]["m"])
		check("demonym.fr.f", e, []mizan.NameKind{mizan.NameDemonym}, "fr", c.Demonyms["fra"]["f"])
		if len(c.Capital) > 0 {
			check("capital.en", e, []mizan.NameKind{mizan.NameCapital}, "en", c.Capital[0])
		}
	}
	rep.Sort()
	rep.Notes = append(rep.Notes, "disagreements (first 60): "+strings.Join(disagreements, "; "))
	t.Log("\n" + rep.String())
	for label, floor := range map[string]float64{"name.en": 0.95, "name.fr": 0.93, "name.ar": 0.85, "demonym.en": 0.9, "demonym.fr": 0.94, "capital.en": 0.95} {
		if p := rep.Row(label).Precision(); p < floor {
			t.Errorf("%s: agreement %.3f, want at least %.2f", label, p, floor)
		}
	}
}

func containsKind(kinds []mizan.NameKind, k mizan.NameKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}
