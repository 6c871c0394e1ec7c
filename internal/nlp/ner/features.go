package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Features are hashed: a template number and one to three strings go through FNV-1a, folded to
// hashBits. A trained model keeps only the hashes it learnt weights for, so the feature strings
// are never stored.

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func hashByte(h uint32, b byte) uint32 { return (h ^ uint32(b)) * fnvPrime }

func hashString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

// hashBits is the size of the feature space. 2^24 buckets keep collisions to about one
// feature in a hundred at the half-million features a model learns, and make the sorted hashes
// of a model file cost about one byte each.
const hashBits = 24

// fold xor-folds a 32-bit FNV hash to hashBits (the FNV authors' advice for short hashes).
func fold(h uint32) uint32 { return (h>>hashBits ^ h) & (1<<hashBits - 1) }

func fh1(t byte, a string) uint32 {
	return fold(hashString(hashByte(fnvOffset, t), a))
}

func fh2(t byte, a, b string) uint32 {
	return fold(hashString(hashByte(hashString(hashByte(fnvOffset, t), a), 0), b))
}

func fh3(t byte, a, b, c string) uint32 {
	h := hashString(hashByte(fnvOffset, t), a)
	h = hashString(hashByte(h, 0), b)
	return fold(hashString(hashByte(h, 0), c))
}

// Feature templates. The numbers are part of the model format: never renumber one, add new ones
// at the end.
const (
	tBias byte = iota
	tSurface
	tLower
	tStem
	tClitic
	tPrefix1
	tPrefix2
	tPrefix3
	tPrefix4
	tSuffix1
	tSuffix2
	tSuffix3
	tSuffix4
	tShape
	tShortShape
	tFlags
	tPrev1
	tNext1
	tPrev2
	tNext2
	tPrevShape
	tNextShape
	tBigramPrev
	tBigramNext
	tShapeTrigram
	tCluster0
	tCluster1
	tCluster2
	tPrevCluster
	tNextCluster
	tLenShape
	tFirstShape
	tPrevSuffix3
	tNextSuffix3
	tStemCluster
	tPrevStemNext
	tPrevPrevBigram
	tNextNextBigram
	tChunkFirst
	tChunkLast
	tChunkLen
	tChunkBefore
	tChunkAfter
	tChunkWord
	tSentKind
	tSentKindLast
	tClusterBigramPrev
	tClusterBigramNext
	tSuffix5
	tStemNextShape
	tPrevStemShape
	tCharTrigram
	tGaz
	tGazPrev
	tGazNext
	tGazWord
)

// tokInfo holds the per-token strings the templates combine.
type tokInfo struct {
	surf   string // format characters removed, quotes and digits folded
	lower  string // surf lower-cased, digits mapped to 0
	stem   string // lower without clitics or elision, Arabic-normalised
	clitic string // the proclitics or elision split off stem
	shape  string // long shape, capped
	sshape string // short shape
	flags  string
	// caseFlags are the flags of the word without a French elision ("l'Algérie" is
	// capitalised, "L'armée" is not); the news constraints read them.
	caseFlags string
	clus      [numGranularities]string
	// A chunk is a run of capitalised words, possibly joined by connectors ("University of
	// Texas", "Côte d'Ivoire"): chunk is its [start, end) in tokens, or -1 outside any.
	chunkStart, chunkEnd int
	// gaz is what the knowledge-base gazetteer says about the token (gazetteer.go).
	gaz gazMark
}

const numGranularities = 3

var (
	boundaryTok = tokInfo{surf: "<S>", lower: "<s>", stem: "<s>", shape: "<S>", sshape: "<S>",
		clus: [numGranularities]string{"<s>", "<s>", "<s>"}}
	endTok = tokInfo{surf: "</S>", lower: "</s>", stem: "</s>", shape: "</S>", sshape: "</S>",
		clus: [numGranularities]string{"</s>", "</s>", "</s>"}}
)

// wordKey is the form a word is clustered and looked up under: lower-cased, digits as 0, and
// for Arabic normalised (arabicKey).
func wordKey(lang, w string) string {
	s := surface(w)
	if lang == "ar" || isArabic(s) {
		return digitsToZero(arabicKey(s))
	}
	return digitsToZero(strings.ToLower(s))
}

func digitsToZero(s string) string {
	if !strings.ContainsFunc(s, unicode.IsDigit) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= '1' && c <= '9' {
			b[i] = '0'
		}
	}
	return string(b)
}

// analyse fills the per-token strings for one sentence.
func analyse(lang string, words []string, clusters *clusterTable, out []tokInfo) []tokInfo {
	out = out[:0]
	for _, w := range words {
		var t tokInfo
		t.surf = surface(w)
		t.lower = wordKey(lang, w)
		t.stem = t.lower
		if isArabic(t.lower) {
			t.clitic, t.stem = stripArabicClitics(t.lower)
		} else if lang == "fr" {
			t.clitic, t.stem = frenchElision(t.lower)
		}
		long := shape(t.surf)
		if len(long) > 8 {
			long = long[:4] + "~" + long[len(long)-3:]
		}
		t.shape = long
		t.sshape = shortShape(long)
		t.flags = flags(t.surf)
		t.caseFlags = t.flags
		if lang == "fr" && t.clitic != "" && len(t.clitic) < len(t.surf) {
			t.caseFlags = flags(t.surf[len(t.clitic):])
		}
		if clusters != nil {
			t.clus = clusters.lookup(t.lower)
		}
		out = append(out, t)
	}
	markChunks(out)
	return out
}

// sentKind tells running text (a lower-case word outside connectors), from a title or a name
// list (WikiANN is full of both), from caseless text.
func sentKind(toks []tokInfo) string {
	caps := false
	for i := range toks {
		f := toks[i].flags
		switch {
		case f == "" || f[0] == '-':
		case f[0] == 'N':
			return "caseless"
		case f[0] == 'C' || f[0] == 'A' || f[0] == 'M':
			caps = true
		default:
			if !connectors[toks[i].lower] {
				return "text"
			}
		}
	}
	if caps {
		return "title"
	}
	return "other"
}

// connectors join capitalised words into one chunk.
var connectors = map[string]bool{
	"of": true, "the": true, "and": true, "&": true, "for": true, "'s": true, "de": true,
	"du": true, "des": true, "la": true, "le": true, "les": true, "et": true, "d'": true,
	"l'": true, "-": true, "on": true, "upon": true, "del": true, "von": true, "van": true,
	"al": true, "bin": true, "ibn": true, "el": true, "da": true, "di": true, "y": true,
}

// markChunks finds runs of capitalised words. Caseless scripts have none.
func markChunks(toks []tokInfo) {
	capital := func(i int) bool {
		f := toks[i].flags
		return f != "" && (f[0] == 'C' || f[0] == 'A' || f[0] == 'M')
	}
	for i := range toks {
		toks[i].chunkStart, toks[i].chunkEnd = -1, -1
	}
	for i := 0; i < len(toks); {
		if !capital(i) {
			i++
			continue
		}
		j := i + 1
		for j < len(toks) {
			if capital(j) {
				j++
				continue
			}
			// A connector (or two: "of the") joins when a capitalised word follows.
			k := j
			for k < len(toks) && k < j+2 && connectors[toks[k].lower] {
				k++
			}
			if k > j && k < len(toks) && capital(k) {
				j = k + 1
				continue
			}
			break
		}
		for k := i; k < j; k++ {
			toks[k].chunkStart, toks[k].chunkEnd = i, j
		}
		i = j
	}
}

// flags summarises capitalisation and character content in one short string.
func flags(s string) string {
	var upper, lower, digit, letter, other int
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		case unicode.IsDigit(r):
			digit++
		case unicode.IsLetter(r):
			letter++
		default:
			other++
		}
	}
	var b [6]byte
	n := 0
	switch {
	case upper > 0 && lower == 0 && upper > 1:
		b[n] = 'A' // all caps
	case unicode.IsUpper(first):
		b[n] = 'C' // capitalised
	case upper > 0:
		b[n] = 'M' // mixed
	case lower > 0:
		b[n] = 'L' // lower case
	case letter > 0:
		b[n] = 'N' // caseless script
	default:
		b[n] = '-'
	}
	n++
	if digit > 0 {
		b[n] = 'd'
		n++
	}
	if other > 0 {
		b[n] = 'o'
		n++
	}
	return string(b[:n])
}

// prefix and suffix return the first and last k runes of s (all of s if shorter).
func prefix(s string, k int) string {
	i := 0
	for n := 0; n < k && i < len(s); n++ {
		_, sz := utf8.DecodeRuneInString(s[i:])
		i += sz
	}
	return s[:i]
}

func suffix(s string, k int) string {
	i := len(s)
	for n := 0; n < k && i > 0; n++ {
		_, sz := utf8.DecodeLastRuneInString(s[:i])
		i -= sz
	}
	return s[i:]
}

func lenBucket(n int) string {
	switch {
	case n <= 3:
		return string(rune('0' + n))
	case n <= 6:
		return "m"
	case n <= 15:
		return "l"
	}
	return "L"
}

// extract appends the feature hashes of token i to dst.
func extract(dst []uint32, toks []tokInfo, i int) []uint32 {
	at := func(j int) *tokInfo {
		if j < 0 {
			return &boundaryTok
		}
		if j >= len(toks) {
			return &endTok
		}
		return &toks[j]
	}
	t := &toks[i]
	p1, n1, p2, n2 := at(i-1), at(i+1), at(i-2), at(i+2)
	dst = append(dst,
		fh1(tBias, ""),
		fh1(tSurface, t.surf),
		fh1(tLower, t.lower),
		fh1(tStem, t.stem),
		fh1(tClitic, t.clitic),
		fh1(tShape, t.shape),
		fh1(tShortShape, t.sshape),
		fh1(tFlags, t.flags),
		fh1(tPrev1, p1.stem),
		fh1(tNext1, n1.stem),
		fh1(tPrev2, p2.stem),
		fh1(tNext2, n2.stem),
		fh1(tPrevShape, p1.sshape),
		fh1(tNextShape, n1.sshape),
		fh2(tBigramPrev, p1.stem, t.stem),
		fh2(tBigramNext, t.stem, n1.stem),
		fh3(tShapeTrigram, p1.sshape, t.sshape, n1.sshape),
		fh2(tLenShape, lenBucket(len(toks)), t.sshape),
		fh2(tPrevSuffix3, suffix(p1.stem, 3), t.sshape),
		fh2(tNextSuffix3, suffix(n1.stem, 3), t.sshape),
		fh2(tPrevStemNext, p1.stem, n1.stem),
		fh2(tPrevPrevBigram, p2.stem, p1.stem),
		fh2(tNextNextBigram, n1.stem, n2.stem),
	)
	if i == 0 {
		dst = append(dst, fh1(tFirstShape, t.sshape))
	}
	dst = append(dst, fh2(tSentKind, sentKind(toks), t.sshape))
	if cs, ce := t.chunkStart, t.chunkEnd; cs >= 0 {
		pos := "I"
		switch {
		case ce-cs == 1:
			pos = "S"
		case i == cs:
			pos = "B"
		case i == ce-1:
			pos = "E"
		}
		dst = append(dst,
			fh2(tChunkFirst, toks[cs].stem, pos),
			fh2(tChunkLast, toks[ce-1].stem, pos),
			fh2(tChunkLen, lenBucket(ce-cs), pos),
			fh2(tChunkBefore, at(cs-1).stem, pos),
			fh2(tChunkAfter, at(ce).stem, pos),
			fh3(tSentKindLast, sentKind(toks), toks[ce-1].stem, pos),
		)
		for k := cs; k < ce && k < cs+6; k++ {
			if k != i {
				dst = append(dst, fh1(tChunkWord, toks[k].stem))
			}
		}
	}
	tmplP := [4]byte{tPrefix1, tPrefix2, tPrefix3, tPrefix4}
	tmplS := [4]byte{tSuffix1, tSuffix2, tSuffix3, tSuffix4}
	n := utf8.RuneCountInString(t.stem)
	for k := 1; k <= 4 && k < n; k++ {
		dst = append(dst, fh1(tmplP[k-1], prefix(t.stem, k)), fh1(tmplS[k-1], suffix(t.stem, k)))
	}
	if t.clus[0] != "" {
		dst = append(dst,
			fh1(tCluster0, t.clus[0]),
			fh1(tCluster1, t.clus[1]),
			fh1(tCluster2, t.clus[2]),
			fh2(tStemCluster, t.sshape, t.clus[1]),
		)
	}
	if p1.clus[1] != "" {
		dst = append(dst, fh1(tPrevCluster, p1.clus[1]), fh2(tClusterBigramPrev, p1.clus[1], t.clus[1]))
	}
	if n >= 6 {
		dst = append(dst, fh1(tSuffix5, suffix(t.stem, 5)))
	}
	if n >= 5 && n <= 20 {
		// Inner character trigrams: what a name looks like ("-ach-", "-ovi-"), beyond its ends.
		var idx [24]int
		k := 0
		for j := range t.stem {
			idx[k] = j
			k++
		}
		idx[k] = len(t.stem)
		for j := 1; j+3 < k; j++ {
			dst = append(dst, fh1(tCharTrigram, t.stem[idx[j]:idx[j+3]]))
		}
	}
	dst = append(dst, fh2(tStemNextShape, t.stem, n1.sshape), fh2(tPrevStemShape, p1.stem, t.sshape))
	if n1.clus[1] != "" {
		dst = append(dst, fh1(tNextCluster, n1.clus[1]), fh2(tClusterBigramNext, t.clus[1], n1.clus[1]))
	}
	return appendGazFeatures(dst, t, p1, n1)
}

// gazSets names every set of gazetteer classes ("LOC+CAP").
var gazSets = func() (out [1 << numGazClasses]string) {
	for s := 1; s < len(out); s++ {
		var parts []string
		for c, name := range gazClassNames {
			if s&(1<<c) != 0 {
				parts = append(parts, name)
			}
		}
		out[s] = strings.Join(parts, "+")
	}
	return out
}()

// appendGazFeatures appends the gazetteer features of t, whose neighbours are p1 and n1: the
// class and position of the KB name t is in, those of its neighbours' names (a name before
// "Province" or after "Minister"), and for a token outside any name the classes of the names
// its word occurs in ("Front", "Ministry", "Sahel").
func appendGazFeatures(dst []uint32, t, p1, n1 *tokInfo) []uint32 {
	g := t.gaz
	if g.cls != 0 {
		pos := string(g.pos)
		for c, name := range gazClassNames {
			if g.cls&(1<<c) != 0 {
				dst = append(dst, fh2(tGaz, name, pos))
			}
		}
	}
	if p := p1.gaz; p.cls != 0 {
		dst = append(dst, fh2(tGazPrev, gazSets[p.cls], string(p.pos)))
	}
	if n := n1.gaz; n.cls != 0 {
		dst = append(dst, fh2(tGazNext, gazSets[n.cls], string(n.pos)))
	}
	if g.word != 0 && g.cls == 0 {
		dst = append(dst, fh2(tGazWord, gazSets[g.word], t.sshape))
	}
	return dst
}
