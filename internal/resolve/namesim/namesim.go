// Package namesim compares names of entities across spellings, word orders and scripts, and
// gives the blocking keys under which a store indexes names so that candidate lookup is a query
// on an index rather than a scan.
//
// The core is a consonant skeleton that Latin, Arabic and Cyrillic spellings of one name share:
// vowels (and the Arabic letters ا و ي ى ع ء that mostly write them) are dropped, letters that
// transliterations swap for one another fall into one class (ch/sh/ش/ш, dj/j/zh/ج/ж, g/q/k/gh/kh/
// ق/غ/خ, b/p/ب, f/v/ف/в, s/z/ص/ز …), doubled letters collapse and a final h (ة, ه, ح, "-ah") is
// dropped. "Chengriha", "Chanegriha" and "شنقريحة" all give XNKR; "Patrushev", "Patrouchev" and
// "باتروشيف" give BTRXF; "M'henna", "Mehenna" and "مهنا" give MHN.
//
// The skeleton alone would confuse names that differ by vowels only (Mohamed/Mahmoud, Said/Saad,
// Hassan/Hussein), so within one script words are compared by Jaro-Winkler similarity as well,
// and a skeleton match counts only when the spellings are also close; across scripts, where
// vowels cannot be compared, the skeleton decides and the resolver asks for context below the
// direct-link threshold. A small embedded list of given-name variants (Muhammad/Mohamed/محمد,
// Youssef/Yusuf/يوسف …) links spellings no rule would.
//
// A name is compared as a set of words: the article al-/el-, sun-letter assimilations (ar-, as-
// …) and a few connectives are left out, "Abdel"/"Abdul" prefixes are split as "Abd" + name,
// and an apostrophe after a single letter joins ("M'henna" = "Mhenna").
package namesim

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/adrg/strutil/metrics"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// Token is one informative word of a name.
type Token struct {
	Key     string // textnorm key
	Skel    string // consonant skeleton (see the package comment)
	Script  string // textnorm.Script of the word ("latn", "arab", "cyrl" …)
	Group   string // the variant group the word belongs to ("" when none)
	Initial bool   // a single Latin letter, as in "A. Tebboune"
	Upper   bool   // written in capitals, as an acronym is ("IRGC")
}

// Name is a name prepared for comparison. Parse builds it; comparing two prepared names costs no
// normalisation.
type Name struct {
	Text   string
	Key    string  // textnorm.Key(Text)
	Tokens []Token // the informative words, in order
	// Compact is the keys of the words joined without spaces ("Ben Salah" = "Bensalah") and
	// CompactSkel their skeletons joined.
	Compact, CompactSkel string
	Script               string
}

// Parse prepares a name for comparison.
func Parse(text string) Name {
	text = joinApostrophes(text)
	n := Name{Text: text, Key: textnorm.Key(text), Script: textnorm.Script(text)}
	toks := textnorm.Tokens(text)
	for i, t := range toks {
		if dropWord(t.Key, toks, i) {
			continue
		}
		word := text[t.StemStart:t.End]
		tok := Token{Key: t.Key, Script: textnorm.Script(word)}
		if tok.Script == "arab" {
			tok.Key = arabicNameKey(text[t.Start:t.End])
		}
		tok.Initial = utf8.RuneCountInString(t.Key) == 1 && tok.Script == "latn"
		tok.Upper = isUpper(word) && utf8.RuneCountInString(word) >= 2
		tok.Group = groupOf(tok.Key)
		tok.Skel = Skeleton(tok.Key)
		if tok.Group != "" {
			tok.Skel = groupSkel[tok.Group]
		}
		n.Tokens = append(n.Tokens, tok)
		n.Compact += tok.Key
		n.CompactSkel += tok.Skel
	}
	return n
}

// arabicNameKey is the key of an Arabic word of a name: textnorm's spelling normalisation and the
// article ال taken off, but not the one-letter proclitics (و ف ب ك ل) textnorm.Key strips from the
// words of running text: a name as the entity stage reports it has none, and "باقري" is not
// "ب" + "اقري".
func arabicNameKey(word string) string {
	k := textnorm.NormalizeArabic(word)
	if strings.HasPrefix(k, "ال") && utf8.RuneCountInString(k) >= 4 {
		k = k[len("ال"):]
	}
	return k
}

// joinApostrophes removes an apostrophe that follows a single letter other than the French elided
// articles l' and d', so "M'henna" is one word, as its other spellings "Mhenna" and "Mehenna" are
// (and "N'Djamena" is "Ndjamena").
func joinApostrophes(s string) string {
	if !strings.ContainsAny(s, "'’ʼ`") {
		return s
	}
	var b strings.Builder
	prev2, prev := rune(' '), rune(' ')
	for _, r := range s {
		if (r == '\'' || r == '’' || r == 'ʼ' || r == '`') && unicode.IsLetter(prev) && !unicode.IsLetter(prev2) &&
			!strings.ContainsRune("lLdD", prev) {
			prev2, prev = prev, r
			continue
		}
		b.WriteRune(r)
		prev2, prev = prev, r
	}
	return b.String()
}

func isUpper(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return letters > 0
}

// connectives are words left out of a name's comparison: they carry no identity ("Ministry of
// Defence" and "Ministry Defence" are one name) and would make unrelated names share a word.
var connectives = map[string]bool{
	"of": true, "the": true, "and": true, "for": true, "de": true, "du": true, "des": true, "la": true,
	"le": true, "les": true, "d": true, "l": true, "et": true, "von": true, "van": true, "y": true,
	"في": true, "من": true, "و": true,
}

// dropWord says whether word i of a name is left out: a connective, or an Arabic article written
// in Latin ("al-Assad", "el-Djen", "ar-Rashid"), which Arabic spellings fold into the next word
// and textnorm already strips from Arabic script.
func dropWord(key string, toks []textnorm.Token, i int) bool {
	if connectives[key] && len(toks) > 1 {
		return true
	}
	if i == len(toks)-1 {
		return false
	}
	next := toks[i+1].Key
	switch key {
	case "al", "el", "ul":
		return true
	case "ad", "ar", "as", "at", "az", "an", "ash", "ath", "ed", "er", "es", "en", "ez":
		// Sun-letter assimilation: the article is written with the next word's first consonant.
		c := key[len(key)-1:]
		if key == "ash" || key == "ath" {
			c = key[1:]
		}
		return strings.HasPrefix(next, c)
	}
	return false
}

// Skeleton returns the consonant skeleton of one word key (lower-case, as textnorm.Key gives it).
func Skeleton(key string) string {
	key = splitAbd(key)
	rs := []rune(key)
	var out []byte
	var last byte // class of the previous letter when adjacent (no vowel between): doubles collapse
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		var c byte
		step := 1
		switch {
		case r < utf8.RuneSelf:
			c, step = latinClass(rs, i)
		default:
			c = otherClass(r, i == 0, next)
		}
		i += step - 1
		if c == 0 {
			last = 0 // a vowel between: the same consonant on both sides counts twice ("Leila", "ليلى")
			continue
		}
		if c == last {
			continue // "bb", "mm": Arabic writes one letter (with a shadda it leaves out)
		}
		out = append(out, c)
		last = c
	}
	// A final h is the taa marbuta or a breath that spellings keep or drop ("Fatimah", "Salah").
	if n := len(out); n > 1 && out[n-1] == 'H' {
		out = out[:n-1]
	}
	return string(out)
}

// splitAbd turns "abdelkader", "abdulqadir", "abdallah" into "abd" + name: Arabic spellings write
// the article as its own word (عبد القادر), which textnorm strips.
func splitAbd(key string) string {
	if !strings.HasPrefix(key, "abd") || len(key) < 7 {
		return key
	}
	for _, art := range []string{"oul", "el", "al", "ul", "ol", "il"} {
		rest := key[3:]
		if strings.HasPrefix(rest, art) && len(rest) > len(art)+2 {
			return "abd" + rest[len(art):]
		}
	}
	return key
}

func isVowel(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }

// latinClass returns the class of the Latin letter (or digraph) at rs[i] and how many letters it
// takes; 0 for a vowel or anything not a letter.
func latinClass(rs []rune, i int) (byte, int) {
	at := func(k int) byte {
		if k < len(rs) && rs[k] < utf8.RuneSelf {
			return byte(rs[k])
		}
		return 0
	}
	c, n1, n2 := at(i), at(i+1), at(i+2)
	switch {
	case c == 't' && n1 == 'c' && n2 == 'h', c == 't' && n1 == 's' && n2 == 'h', c == 's' && n1 == 'c' && n2 == 'h':
		return 'X', 3
	case c == 'd' && n1 == 'z' && n2 == 'h':
		return 'J', 3
	case c == 's' && n1 == 'h', c == 'c' && n1 == 'h':
		return 'X', 2
	case c == 'z' && n1 == 'h', c == 'd' && n1 == 'j':
		return 'J', 2
	case c == 'k' && n1 == 'h', c == 'g' && n1 == 'h', c == 'c' && n1 == 'k':
		return 'K', 2
	case c == 'p' && n1 == 'h':
		return 'F', 2
	case c == 't' && n1 == 'h':
		return 'T', 2
	case c == 'd' && n1 == 'h':
		return 'D', 2
	case c == 'q' && n1 == 'u':
		return 'K', 2
	}
	switch c {
	case 'b', 'p':
		return 'B', 1
	case 'f', 'v':
		return 'F', 1
	case 't':
		return 'T', 1
	case 'd':
		return 'D', 1
	case 's', 'z':
		return 'S', 1
	case 'c':
		if n1 == 'e' || n1 == 'i' || n1 == 'y' {
			return 'S', 1
		}
		return 'K', 1
	case 'k', 'q', 'g':
		return 'K', 1
	case 'x':
		return 'K', 1 // "ks": the S is lost, a rare letter in names
	case 'j':
		return 'J', 1
	case 'l':
		return 'L', 1
	case 'm':
		return 'M', 1
	case 'n':
		return 'N', 1
	case 'r':
		return 'R', 1
	case 'h':
		return 'H', 1
	case 'y', 'w':
		// A consonant only at the start of a word before a vowel ("Youssef", "Walid").
		if i == 0 && isVowel(n1) {
			if c == 'y' {
				return 'Y', 1
			}
			return 'W', 1
		}
	}
	return 0, 1
}

// otherClass returns the class of an Arabic, Persian or Cyrillic letter (after textnorm's
// normalisation: hamza seats and alef variants are plain alef, taa marbuta is ه).
func otherClass(r rune, first bool, next rune) byte {
	switch r {
	case 'ب', 'پ', 'б', 'п':
		return 'B'
	case 'ف', 'ڤ', 'в', 'ф':
		return 'F'
	case 'ت', 'ث', 'ط', 'т':
		return 'T'
	case 'د', 'ذ', 'ض', 'ظ', 'д':
		return 'D'
	case 'س', 'ص', 'ز', 'с', 'з', 'ц':
		return 'S'
	case 'ش', 'چ', 'ч', 'ш', 'щ':
		return 'X'
	case 'ج', 'ژ', 'ж':
		return 'J'
	case 'ق', 'ك', 'غ', 'خ', 'گ', 'к', 'г', 'х':
		return 'K'
	case 'ل', 'л':
		return 'L'
	case 'م', 'м':
		return 'M'
	case 'ن', 'н':
		return 'N'
	case 'ر', 'р':
		return 'R'
	case 'ح', 'ه':
		return 'H'
	case 'ي', 'й':
		if first && next != 0 {
			return 'Y'
		}
	case 'و':
		if first && next != 0 {
			return 'W'
		}
	}
	return 0
}

// Class is the blocking class of an entity type: types that can be one entity share a class
// (an armed group tagged ORG by one document and GROUP by another; a city tagged LOC or GPE).
func Class(t mizan.EntityType) string {
	switch t {
	case mizan.PERSON:
		return "p"
	case mizan.ORG, mizan.GROUP:
		return "o"
	case mizan.GPE, mizan.LOC, mizan.FAC:
		return "g"
	}
	return "m"
}

// Compatible reports whether entities of types a and b may be one entity.
func Compatible(a, b mizan.EntityType) bool { return Class(a) == Class(b) }

// Keys returns the blocking keys of a name of an entity of type t: the class and the skeleton of
// each informative word of two letters or more, and of the whole name. Two names that Compare can
// find similar share at least one key (the tests check this on the evaluation set).
func Keys(name string, t mizan.EntityType) []string { return Parse(name).Keys(t) }

// Keys returns the blocking keys of a parsed name (see the package function Keys).
func (n Name) Keys(t mizan.EntityType) []string {
	cls := Class(t)
	var keys []string
	add := func(k string) {
		for _, o := range keys {
			if o == k {
				return
			}
		}
		keys = append(keys, k)
	}
	for _, tok := range n.Tokens {
		if !tok.Initial && len(tok.Skel) >= 2 {
			add(cls + ":" + tok.Skel)
		}
	}
	if len(n.Tokens) > 1 && len(n.CompactSkel) >= 2 {
		add(cls + ":" + n.CompactSkel)
	}
	if len(n.Tokens) == 1 && n.Tokens[0].Upper {
		add(cls + ":" + strings.ToUpper(n.Tokens[0].Key)) // an acronym: its letters
	}
	if len(n.Tokens) > 1 && cls != "p" {
		if acr := n.acronym(); len(acr) >= 2 {
			add(cls + ":" + acr)
		}
	}
	return keys
}

// acronym returns the initials of the name's Latin words in capitals ("" when a word is not Latin).
func (n Name) acronym() string {
	var b strings.Builder
	for _, t := range n.Tokens {
		if t.Script != "latn" {
			return ""
		}
		r, _ := utf8.DecodeRuneInString(t.Key)
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// Match is the result of comparing two names: a score in [0, 1] and the rule that gave it.
type Match struct {
	Score float64
	Rule  string
}

var jw = metrics.NewJaroWinkler()

// Thresholds of word comparison.
const (
	tokenMatch = 0.8  // below this two words are different
	jwSkel     = 0.88 // Jaro-Winkler needed with equal skeletons (Mohamed/Mahmoud is 0.864)
	jwAlone    = 0.94 // Jaro-Winkler that suffices when the skeletons differ by one letter
)

// tokenSim scores two words in [0, 1].
func tokenSim(a, b Token) float64 {
	switch {
	case a.Key == b.Key:
		return 1
	case a.Group != "" && a.Group == b.Group:
		return 1
	case a.Group != "" && b.Group != "":
		return 0 // two known names, and not the same one (Mohamed/Mahmoud)
	case a.Group != "" && feminineOf(b.Key) == a.Group, b.Group != "" && feminineOf(a.Key) == b.Group:
		return 0 // "Karima" is not "كريم"
	case a.Initial || b.Initial:
		if a.Initial != b.Initial && a.Script == b.Script && a.Key[0] == b.Key[0] {
			return 0.8
		}
		return 0
	}
	if a.Script == b.Script {
		if a.Script == "latn" && feminine(a.Key, b.Key) {
			return 0 // a feminine form: Karim/Karima, Said/Saida, Malik/Malika are two names
		}
		s := jw.Compare(a.Key, b.Key)
		switch {
		case a.Script == "arab" && a.Skel == b.Skel:
			// Arabic spells an Arabic name one way: two spellings with the same consonants
			// differ by a long vowel, which makes another name (محمد/محمود, سعد/سعيد), or
			// transliterate a foreign name two ways. Only context can tell.
			return 0.82
		case a.Skel == b.Skel && s >= jwSkel:
			return max(s, 0.9)
		case s >= jwAlone && levenshtein(a.Skel, b.Skel) <= 1:
			return s
		}
		return s * 0.7
	}
	switch {
	case a.Skel == b.Skel && len(a.Skel) == 1:
		return 0.8 // "Ouyahia"/"أويحيى" (H): too little to link on alone
	case a.Skel == b.Skel && len(a.Skel) >= 2:
		// The longer the skeleton, the less likely two names share it by chance.
		return 0.9 + 0.02*float64(min(len(a.Skel)-2, 3))
	case min(len(a.Skel), len(b.Skel)) >= 4 && levenshtein(a.Skel, b.Skel) == 1:
		return 0.82
	}
	return 0
}

// feminineOf returns the variant group of the name a Latin word is the feminine form of
// ("karima" → karim), or "".
func feminineOf(key string) string {
	base, ok := strings.CutSuffix(key, "a")
	if !ok || len(base) < 2 || isVowel(base[len(base)-1]) {
		return ""
	}
	return groupOf(base)
}

// feminine reports whether one Latin word is the other with a final "a" added to a consonant.
func feminine(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) > 1 && b == a+"a" && !isVowel(a[len(a)-1])
}

// Compare scores how likely two names are to name one entity, by these rules (the first that
// applies with the best score wins):
//   - exact: the same normalised name;
//   - compact: the same words run together ("Ben Salah"/"Bensalah"), or, when the names are cut
//     into a different number of words, the same skeleton of the whole ("Abdelmadjid"/
//     "عبد المجيد");
//   - translit: every word matches one word of the other name, in order;
//   - reorder: the same, in another order ("Djebbar Mehenna"/"M'henna Djebbar");
//   - subset: the words of the shorter name match words of the longer one and the last words
//     match ("Mohamed Mediene"/"Mohamed Lamine Mediène"); a single word is "surname" and scores
//     lower, since one shared word is weak evidence;
//   - initials: a word matched by its initial ("A. Tebboune");
//   - acronym: an acronym and the initials of the other name ("IRGC").
//
// "+script" is appended to the rule when the names are in different scripts.
func Compare(a, b Name) Match {
	if a.Key == "" || b.Key == "" || len(a.Tokens) == 0 || len(b.Tokens) == 0 {
		return Match{}
	}
	if a.Key == b.Key {
		return Match{1, "exact"}
	}
	cross := a.Script != b.Script
	suffix := ""
	if cross {
		suffix = "+script"
	}
	best := Match{}
	if a.Compact == b.Compact {
		best = Match{0.98, "compact"}
	} else if len(a.CompactSkel) >= 4 && a.CompactSkel == b.CompactSkel && len(a.Tokens) != len(b.Tokens) && !groupConflict(a, b) {
		// Words cut differently ("Abdelmadjid"/"Abd al-Majid"/"عبد المجيد"); with as many words
		// on both sides the word-by-word comparison below is the better judge.
		if cross {
			best = Match{0.9, "compact" + suffix}
		} else if jw.Compare(a.Compact, b.Compact) >= 0.8 && a.Script != "arab" {
			best = Match{0.9, "compact"}
		}
	}
	if m := align(a, b); m.Score > best.Score {
		best = m
		best.Rule += suffix
	}
	if m := acronymMatch(a, b); m.Score > best.Score {
		best = m
	}
	return best
}

// groupConflict reports whether both names have given names of the variant list and none in
// common: "Hussein Nasrallahi" is not "حسن نصر الله", whatever the skeletons say.
func groupConflict(a, b Name) bool {
	var ga, gb []string
	for _, t := range a.Tokens {
		if t.Group != "" {
			ga = append(ga, t.Group)
		}
	}
	for _, t := range b.Tokens {
		if t.Group != "" {
			gb = append(gb, t.Group)
		}
	}
	if len(ga) == 0 || len(gb) == 0 {
		return false
	}
	for _, x := range ga {
		for _, y := range gb {
			if x == y {
				return false
			}
		}
	}
	return true
}

// align matches the words of the shorter name to distinct words of the longer one, best pairs
// first.
func align(a, b Name) Match {
	A, B := a.Tokens, b.Tokens
	if len(A) > len(B) {
		A, B = B, A
	}
	if len(B) > 12 {
		return Match{}
	}
	type pair struct {
		i, j int
		s    float64
	}
	pairs := make([]pair, 0, len(A)*len(B))
	for i := range A {
		for j := range B {
			if s := tokenSim(A[i], B[j]); s >= tokenMatch {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	// Best pairs first; among equals, the pair closest to the diagonal (keeps the order).
	for x := 1; x < len(pairs); x++ {
		for y := x; y > 0; y-- {
			p, q := pairs[y], pairs[y-1]
			if p.s > q.s || p.s == q.s && abs(p.i-p.j) < abs(q.i-q.j) {
				pairs[y], pairs[y-1] = q, p
				continue
			}
			break
		}
	}
	to := make([]int, len(A))
	for i := range to {
		to[i] = -1
	}
	usedB := make([]bool, len(B))
	sum, matched, initials := 0.0, 0, false
	for _, p := range pairs {
		if to[p.i] >= 0 || usedB[p.j] {
			continue
		}
		to[p.i], usedB[p.j] = p.j, true
		sum += p.s
		matched++
		if A[p.i].Initial || B[p.j].Initial {
			initials = true
		}
	}
	if matched < len(A) {
		return Match{}
	}
	score := sum / float64(len(A))
	ordered := true
	for i := 1; i < len(to); i++ {
		if to[i] < to[i-1] {
			ordered = false
		}
	}
	rule := "translit"
	switch {
	case len(A) == len(B) && !ordered:
		score *= 0.99
		rule = "reorder"
	case len(A) < len(B):
		// The shorter name must keep the longer one's last word (the family name): "Mohamed Ali"
		// is not "Mohamed Ali Hassan".
		if !ordered || to[len(A)-1] != len(B)-1 {
			return Match{}
		}
		// Across scripts a two-consonant skeleton ("KR") is too weak to carry a partial match.
		if last, other := A[len(A)-1], B[len(B)-1]; last.Script != other.Script && last.Key != other.Key && len(last.Skel) < 3 {
			return Match{}
		}
		if len(A) == 1 {
			score *= 0.85
			rule = "surname"
		} else {
			score *= 0.95
			rule = "subset"
		}
	}
	if initials {
		if len(A) == 1 {
			return Match{} // an initial alone names nobody
		}
		score *= 0.95
		rule = "initials"
	}
	if score == 1 && rule == "translit" {
		rule = "exact" // same keys word by word, e.g. punctuation apart
	}
	return Match{score, rule}
}

// acronymMatch compares a one-word name in capitals with the initials of the other.
func acronymMatch(a, b Name) Match {
	if len(b.Tokens) == 1 {
		a, b = b, a
	}
	if len(a.Tokens) != 1 || !a.Tokens[0].Upper || len(b.Tokens) < 2 {
		return Match{}
	}
	if strings.ToUpper(a.Tokens[0].Key) == b.acronym() {
		return Match{0.85, "acronym"}
	}
	return Match{}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// levenshtein is the edit distance of two skeletons (ASCII class letters).
func levenshtein(a, b string) int {
	if a == b {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Slug returns a deterministic entity id for a new entity of type t named name: the type in lower
// case, a slash, and the name's words joined by hyphens when they are ASCII after folding, else a
// hash of its key (so an Arabic name gets a stable id too).
func Slug(t mizan.EntityType, name string) string {
	key := textnorm.Key(name)
	ascii := true
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	prefix := strings.ToLower(string(t)) + "/"
	if ascii && key != "" {
		return prefix + strings.ReplaceAll(key, " ", "-")
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return fmt.Sprintf("%sx%012x", prefix, h.Sum64()&0xffffffffffff)
}
