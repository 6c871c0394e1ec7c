package ner

import "strings"

// Decoding constraints. The English and French models learnt from WikiANN, whose entities are
// Wikipedia link texts: titles of works and of lists ("List of colonial heads of Vanuatu"), and
// offices ("President of the United States", 28 of the 35 times "President" occurs in its
// training split). Read literally, that teaches the tagger to run entities on through lower-case
// prose ("Tebboune au sujet de la situation") and to take "President" into the name that follows
// it. News names do neither, and the rest of the pipeline wants the bare name (titles are the
// pattern stage's business), so decoding forbids, in cased scripts:
//
//   - a lower-case word opening an entity (connectors such as "of", "de", "al" included);
//   - a lower-case word inside one, except in French, where a name may go on in lower case
//     within two words of a capitalised one ("Banque mondiale", "Fonds monétaire
//     international"), though never with a preposition or determiner ("au", "pour");
//   - a title standing before a name, with the words that qualify it ("Prime Minister",
//     "Chief of Staff General" before "Saïd Chanegriha").
//
// They apply in Model.Entities, the pipeline's entry point; Model.Tag and Evaluate decode
// without them, so that scores stay comparable with other WikiANN results (the constraints cost
// about eight points of F1 there, nearly all of it the lower-case rules: 9,300 of WikiANN
// English's 56,000 entity tokens are lower-case, "(disambiguation)", "album", "of the"). They
// are never applied in training. Caseless Arabic is unaffected.

// mask says which labels a token may take.
type mask uint8

const (
	maskAny     mask = iota
	maskNoBegin      // no B- label: the token may only continue an entity
	maskOutside      // "O" only
)

// frenchFunction are French words that never continue a name, although the connectors around
// them may: prepositions and determiners.
var frenchFunction = toSet(`au aux à en sur pour par avec dans contre entre sans sous chez vers
le la les un une ce cet cette ces il elle ils elles qui que dont où et ou mais`)

// frenchContinues reports whether lower-case toks[i] may go on with a French name: right after
// a capitalised word ("Union africaine"), or after a connector or another lower-case word that
// follows one ("Conseil de sécurité", "Fonds monétaire international"). A capitalised
// determiner opening the sentence ("Le ministre") is no anchor.
func frenchContinues(toks []tokInfo, i int) bool {
	anchor := func(j int) bool {
		return j >= 0 && isCapitalised(&toks[j]) && !frenchFunction[toks[j].lower] && !connectors[toks[j].lower]
	}
	if anchor(i - 1) {
		return true
	}
	if i >= 2 && anchor(i-2) {
		mid := &toks[i-1]
		return connectors[mid.lower] || (isLower(mid) && !frenchFunction[mid.lower])
	}
	return false
}

// titles are words that stand before a person's name, lower-cased, without a final period.
var titles = toSet(`president vice prime minister secretary chancellor premier king queen prince
princess emir amir sheikh shaikh sultan ayatollah imam pope cardinal archbishop bishop
ambassador envoy senator sen governor gov mayor deputy speaker chairman chairwoman spokesman
spokeswoman commander marshal admiral adm brigadier colonel col lieutenant lt captain capt
sergeant sgt gen maj mr mrs ms dr sir dame mme mlle président présidente ministre
secrétaire roi reine émir cheikh ambassadeur ambassadrice sénateur gouverneur maire député
porte-parole chancelier chancelière maréchal amiral colonel capitaine commandant général
monsieur madame`)

// titleQualifiers may stand in a title before the title word itself ("Foreign Minister",
// "Chief of Staff General", "Secretary of State"). "General" is only a title after one of
// these or another title ("Attorney General"), or before two capitalised words (a first name
// and a surname), since "General Assembly" and "General Motors" are names.
var titleQualifiers = toSet(`foreign prime vice deputy acting interim former first defence
defense interior finance justice energy trade economy health education culture affairs state
staff chief army general attorney crown supreme grand high royal national security home
foreign-affairs of the etrangeres étrangères affaires`)

func toSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// titleKey is a token's form for the title lists: lower-case, without a final period.
func titleKey(t *tokInfo) string {
	return strings.TrimSuffix(strings.ToLower(t.surf), ".")
}

func isCapitalised(t *tokInfo) bool {
	f := t.caseFlags
	return f != "" && (f[0] == 'C' || f[0] == 'A' || f[0] == 'M')
}

func isLower(t *tokInfo) bool {
	return t.caseFlags != "" && t.caseFlags[0] == 'L'
}

// nameLike is a capitalised word that is neither a title nor a qualifier: the start of a name.
func nameLike(t *tokInfo) bool {
	k := titleKey(t)
	return isCapitalised(t) && !titles[k] && !titleQualifiers[k]
}

// masks computes the constraint of every token of a sentence.
func masks(lang string, toks []tokInfo, out []mask) []mask {
	out = out[:0]
	for range toks {
		out = append(out, maskAny)
	}
	for i := range toks {
		t := &toks[i]
		if !isLower(t) || strings.ContainsAny(t.caseFlags, "d") {
			continue
		}
		out[i] = maskOutside
		switch {
		case connectors[t.lower] || connectors[t.stem]:
			out[i] = maskNoBegin
		case lang == "fr" && !frenchFunction[t.lower] && frenchContinues(toks, i):
			out[i] = maskNoBegin
		}
	}
	// Titles before names: find a title word followed by a name, then take in the qualifiers
	// and titles before it.
	for i := 0; i+1 < len(toks); i++ {
		if !isCapitalised(&toks[i]) || !nameLike(&toks[i+1]) {
			continue
		}
		k := titleKey(&toks[i])
		// "M." and "Me" are French titles (Monsieur, Maître), but an English initial or word.
		isTitle := titles[k] || (lang == "fr" && (k == "m" || k == "me"))
		if k == "general" {
			prevQual := i > 0 && (titleQualifiers[titleKey(&toks[i-1])] || titles[titleKey(&toks[i-1])])
			twoNames := i+2 < len(toks) && nameLike(&toks[i+2])
			isTitle = prevQual || twoNames
		}
		if !isTitle {
			continue
		}
		for j := i; j >= 0; j-- {
			kj := titleKey(&toks[j])
			if !titles[kj] && !titleQualifiers[kj] {
				break
			}
			out[j] = maskOutside
		}
	}
	return out
}
