package kb

import (
	"strings"
	"unicode/utf8"
)

// inflectDemonym returns a demonym with the inflected forms its language derives from it by
// rule, the form itself first. Only masculine-singular base forms inflect; other forms (and forms
// of languages without rules) come back alone, so inflecting an already inflected list adds
// nothing new and a file written by WriteYAML loads back unchanged.
//
//   - en: the plural of a noun in -an/-i/-ian... ("Algerian" → "Algerians"); not of forms in
//     -ese, -ish, -ch, -sh or -s, which are their own plural ("Chinese", "British", "French").
//   - fr: feminine and plurals ("algérien" → "algérienne", "algériens", "algériennes" — the n
//     of every -en doubles: "libyen" → "libyenne";
//     "marocain" → "marocaine"...; "français" → "française", "françaises"; "belge" → "belges").
//     Irregular forms (turc/turque, grec/grecque) are written out in the data.
//   - ar: the nisba adjective in -ي ("جزائري") → feminine -ية, plurals -يون -يين -يات, dual
//     -يان, each also with the article ال ("الجزائري", "الجزائرية"...). In a phrase every word
//     ending in ي inflects ("كوري جنوبي" → "كورية جنوبية").
func inflectDemonym(lang, form string) []string {
	form = strings.TrimSpace(form)
	if form == "" {
		return nil
	}
	out := []string{form}
	switch baseLang(lang) {
	case "en":
		if p := enPlural(form); p != "" {
			out = append(out, p)
		}
	case "fr":
		out = append(out, frForms(form)...)
	case "ar":
		out = append(out, arForms(form)...)
	}
	return out
}

// baseLang strips a region or script subtag: "fr-CA" → "fr".
func baseLang(lang string) string {
	l, _, _ := strings.Cut(strings.ToLower(lang), "-")
	return l
}

func enPlural(w string) string {
	lw := strings.ToLower(w)
	for _, suf := range []string{"ese", "ish", "ch", "sh", "s", "x", "z"} {
		if strings.HasSuffix(lw, suf) {
			return ""
		}
	}
	// "South African" → "South Africans": only the last word takes the plural.
	return w + "s"
}

// frForms inflects the last word of a French masculine-singular adjective.
func frForms(w string) []string {
	head, last := "", w
	if i := strings.LastIndexByte(w, ' '); i >= 0 {
		head, last = w[:i+1], w[i+1:]
	}
	l := strings.ToLower(last)
	var suf []string
	switch {
	case strings.HasSuffix(l, "e"):
		suf = []string{"s"}
	case strings.HasSuffix(l, "en"): // algérien, guinéen, libyen, paraguayen: the n doubles
		suf = []string{"ne", "s", "nes"}
	case strings.HasSuffix(l, "ais"), strings.HasSuffix(l, "ois"):
		suf = []string{"e", "es"}
	case strings.HasSuffix(l, "s"), strings.HasSuffix(l, "x"), strings.HasSuffix(l, "z"),
		strings.HasSuffix(l, "c"), strings.HasSuffix(l, "è"):
		// plurals, invariable forms (burkinabè) and irregular ones (turc/turque): as written.
		return nil
	default:
		suf = []string{"e", "s", "es"}
	}
	out := make([]string, len(suf))
	for i, s := range suf {
		out[i] = head + last + s
	}
	return out
}

// arForms inflects an Arabic nisba adjective or phrase.
func arForms(w string) []string {
	words := strings.Fields(w)
	nisba := false
	for _, x := range words {
		if strings.HasPrefix(x, "ال") {
			// Already definite: this is an inflected form, not a base.
			return nil
		}
		if strings.HasSuffix(x, "ي") && utf8.RuneCountInString(x) >= 3 {
			nisba = true
		}
	}
	if !nisba {
		return nil
	}
	var out []string
	for _, suf := range []string{"", "ة", "ون", "ين", "ات", "ان"} {
		ind := make([]string, len(words))
		def := make([]string, len(words))
		for i, x := range words {
			if strings.HasSuffix(x, "ي") && utf8.RuneCountInString(x) >= 3 {
				x += suf
			}
			ind[i] = x
			def[i] = "ال" + x
		}
		if suf != "" {
			out = append(out, strings.Join(ind, " "))
		}
		out = append(out, strings.Join(def, " "))
	}
	return out
}

// adjectives returns the masculine and feminine singular adjective of a state in a language, as
// role templates use them: en "Algerian"/"Algerian"; fr "algérien"/"algérienne"; ar
// "الجزائري"/"الجزائرية" (definite, as after a definite head noun: "وزير الخارجية الجزائري").
func adjectives(lang, base string) (masc, fem string) {
	switch baseLang(lang) {
	case "fr":
		forms := frForms(base)
		if len(forms) == 3 || len(forms) == 2 && strings.HasSuffix(forms[0], "e") {
			return base, forms[0]
		}
		return base, base
	case "ar":
		forms := arForms(base)
		if len(forms) >= 3 {
			return forms[0], forms[2]
		}
		return "", ""
	}
	return base, base
}
