package kb

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/mizan-osint/mizan"
)

//go:embed data/*.yaml
var dataFS embed.FS

// countryLangs are the languages CLDR country names are taken in.
var countryLangs = []string{"en", "ar", "fr", "ru", "fa"}

// notISO lists codes CLDR treats as countries that ISO 3166-1 only reserves (Ascension,
// Clipperton, Diego Garcia, Tristan da Cunha). Kosovo's user-assigned XK stays in: every
// gazetteer and news desk uses it.
var notISO = map[string]bool{"AC": true, "CP": true, "DG": true, "TA": true}

// countryRegions returns the ISO 3166-1 regions (plus XK) known to x/text, in code order.
func countryRegions() []language.Region {
	en := display.Regions(language.English)
	var out []language.Region
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			// ParseRegion maps deprecated codes (BU, ZR...) to their successors and x/text
			// flags macro-regions and reserved codes as non-countries; "ZZZ" marks exceptional
			// reservations (EU, UN, UK...) without an alpha-3 code.
			if err != nil || r.String() != code || !r.IsCountry() || notISO[code] || r.ISO3() == "ZZZ" || en.Name(r) == "" {
				continue
			}
			if r.Canonicalize() != r {
				continue
			}
			out = append(out, r)
		}
	}
	return out
}

var parenRe = regexp.MustCompile(`^(.*?)\s*\((.*)\)$`)

// cldrNames turns one CLDR display name into a canonical name and aliases: "Myanmar (Burma)" →
// "Myanmar" + "Burma"; "Bosnia & Herzegovina" → "Bosnia and Herzegovina" + the original;
// "St. Lucia" → "Saint Lucia" + the original. Only Myanmar's parentheses hold a second name of
// the country; elsewhere they qualify ("Виргинские о-ва (США)") and are kept as written.
func cldrNames(region, lang, name string) (canonical string, aliases []string) {
	canonical = name
	if m := parenRe.FindStringSubmatch(name); m != nil && m[1] != "" && region == "MM" {
		canonical = m[1]
		aliases = append(aliases, name)
		if !strings.ContainsAny(m[2], "()") {
			aliases = append(aliases, m[2])
		}
	}
	if lang == "en" {
		c := canonical
		c = strings.ReplaceAll(c, " & ", " and ")
		if strings.HasPrefix(c, "St. ") {
			c = "Saint " + c[len("St. "):]
		}
		if c != canonical {
			aliases = append(aliases, canonical)
			canonical = c
		}
	}
	return canonical, aliases
}

// cldrCountries makes one GPE per ISO 3166-1 country and territory, id "gpe/<alpha-2>", with its
// CLDR names in countryLangs and its alpha-2/alpha-3 codes as attributes.
func cldrCountries() []*mizan.Entity {
	namers := make([]display.Namer, len(countryLangs))
	for i, l := range countryLangs {
		namers[i] = display.Regions(language.Make(l))
	}
	var out []*mizan.Entity
	for _, r := range countryRegions() {
		code := strings.ToLower(r.String())
		e := &mizan.Entity{ID: "gpe/" + code, Type: mizan.GPE, Source: "kb",
			Attrs: map[string]string{"country": code, "iso3": r.ISO3()}}
		for i, l := range countryLangs {
			n := namers[i].Name(r)
			if n == "" {
				continue
			}
			c, aliases := cldrNames(r.String(), l, n)
			addNames(e, mizan.Name{Text: c, Lang: l, Kind: mizan.NameCanonical})
			for _, a := range aliases {
				addNames(e, mizan.Name{Text: a, Lang: l, Kind: mizan.NameAlias})
			}
		}
		e.Name = displayName(e, true)
		sortNames(e.Names)
		out = append(out, e)
	}
	return out
}

// build makes the default KB: CLDR countries, then every embedded data file in name order,
// each overlaying what came before by id (hand-written canonical names win over CLDR's). Any
// problem in the embedded data is a build error: the data is ours, and tests load it.
func build() (*KB, error) {
	k := New()
	for _, e := range cldrCountries() {
		k.put(e)
	}
	files, err := fs.Glob(dataFS, "data/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list kb data: %w", err)
	}
	// Two passes, so that an office may name a holder or an organisation from any file.
	for _, pass := range [][]string{{"entities", "roles"}, {"offices"}} {
		for _, name := range files {
			data, err := dataFS.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("read kb data: %w", err)
			}
			rep, err := k.applyData(data, pass...)
			if err != nil {
				return nil, fmt.Errorf("kb data %s: %w", path.Base(name), err)
			}
			if len(rep.Problems) > 0 {
				p := rep.Problems[0]
				return nil, fmt.Errorf("kb data %s: line %d: %s (%s)", path.Base(name), p.Line, p.Reason, p.ID)
			}
		}
	}
	return k, nil
}

var defaultKB = sync.OnceValues(build)

// Default returns a copy of the embedded default KB. The embedded data is parsed once per
// process; each call returns an independent copy (sharing the immutable entities), so a caller
// may Import into it without affecting other callers.
func Default() (*KB, error) {
	k, err := defaultKB()
	if err != nil {
		return nil, err
	}
	return k.Clone(), nil
}
