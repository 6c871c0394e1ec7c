package textnorm

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// StripClitics removes the Arabic proclitics from the front of word and returns the rest and the
// number of bytes removed. word may be in any spelling (harakat, tatweel, hamza variants,
// presentation forms); the bytes are never rewritten, so stem == word[n:].
//
// The proclitics are the conjunctions و ف, the prepositions ب ك ل and the article ال, in any
// chain (وال، بال، كال، فال، وبال، فلل …), and لل, the preposition ل before the article with its
// alef dropped (للجزائر = ل + الجزائر). The rule, applied again after each strip:
//
//   - the article ال or لل is stripped when at least 2 letters follow it;
//   - one of و ف ب ك ل is stripped when at least 3 letters follow it;
//   - nothing is stripped from a word on the list of words whose first letters only look like
//     proclitics (clitics_ar.txt: لبنان, فرنسا, وزارة, والي, بوتين …), nor from what is left
//     once a strip reaches such a word.
//
// Letters are counted after NormalizeArabic, without harakat or tatweel. So "بيت", "كان", "لكن"
// and "وقت" stay whole (2 letters would remain), "لبنان", "فرنسا", "والي" are listed, and
// "والجزائر", "بالجزائر", "للجزائر", "الجزائر" all leave "جزائر".
//
// Because the same rule runs on what a strip leaves, a word of three letters or more and its forms
// with proclitics reach the same stem: if و is wrongly taken off an unlisted word that really starts with و,
// it is taken off "الو…" and "بو…" as well, so matching still works; the list exists to keep
// stems readable and to avoid collisions with other words.
//
// A word that is not entirely Arabic letters (and marks) is returned whole.
func StripClitics(word string) (stem string, n int) {
	_, n = clitics(word)
	return word[n:], n
}

// maxCliticLetters bounds the words clitics analyses; longer "words" are not Arabic words.
const maxCliticLetters = 48

// clitics analyses the Arabic word w and returns the byte offsets in w where the article
// starts (the first ال or the article ل of لل; the stem offset when there is none) and where the
// stem starts. Both are 0 when nothing is stripped.
func clitics(w string) (article, stem int) {
	if len(w) < 4 {
		return 0, 0 // fewer than two 2-byte Arabic letters: nothing to strip
	}
	var (
		buf   [maxCliticLetters * 3]byte  // normalised letters, UTF-8
		pos   [maxCliticLetters + 1]int32 // pos[k]: offset of letter k in buf
		runes [maxCliticLetters]rune
		orig  [maxCliticLetters]int32 // offset in w of the character letter k came from
		n     int
		nb    int
	)
	add := func(r rune, origin int) bool {
		if n == maxCliticLetters {
			return false
		}
		runes[n], orig[n], pos[n] = r, int32(origin), int32(nb)
		nb += utf8.EncodeRune(buf[nb:], r)
		n++
		return true
	}
	for i := 0; i < len(w); {
		r, size := utf8.DecodeRuneInString(w[i:])
		switch {
		case r >= 0x0621 && r <= 0x06FF:
			switch a := arabicMap(r); {
			case a < 0:
				// harakat, tatweel: skipped
			case a > 0 && (a < 0x0621 || a > 0x06FF):
				return 0, 0 // a digit
			case a > 0:
				if !add(a, i) {
					return 0, 0
				}
			case smallProps[r]&pLetter != 0:
				if !add(r, i) {
					return 0, 0
				}
			case smallProps[r]&pMark == 0:
				return 0, 0
			}
		case (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF):
			// Presentation forms: their letters all come from this one character, so a strip can
			// only end before or after it.
			for _, c := range norm.NFKC.String(string(r)) {
				a := arabicMap(c)
				switch {
				case a < 0 || unicode.IsMark(c):
				case c >= 0x0621 && c <= 0x06FF && unicode.IsLetter(c):
					if a > 0 {
						c = a
					}
					if !add(c, i) {
						return 0, 0
					}
				default:
					return 0, 0
				}
			}
		case unicode.IsMark(r) || isJoiner(r) || (r >= 0x08CA && r <= 0x08FF):
		default:
			return 0, 0
		}
		i += size
	}
	pos[n] = int32(nb)

	protectedAt := func(k int) bool {
		if n-k >= 3 {
			if _, ok := protectedHeads[string(buf[pos[k]:pos[k+3]])]; !ok {
				return false
			}
		}
		rest := buf[pos[k]:nb]
		if _, ok := protectedWords[string(rest)]; ok {
			return true
		}
		for j := k + 3; j <= n; j++ {
			if _, ok := protectedPrefixes[string(buf[pos[k]:pos[j]])]; ok {
				return true
			}
		}
		return false
	}
	k, art := 0, -1
	for n-k >= 4 && !protectedAt(k) {
		a, b := runes[k], runes[k+1]
		switch {
		case a == 'ا' && b == 'ل':
			if art < 0 {
				art = k
			}
			k += 2
		case a == 'ل' && b == 'ل':
			if protectedAt(k + 1) {
				k++ // ل before a listed word that starts with ل: للبنان
				goto done
			}
			if art < 0 {
				art = k + 1
			}
			k += 2
		case a == 'و' || a == 'ف' || a == 'ب' || a == 'ك' || a == 'ل':
			k++
		default:
			goto done
		}
	}
done:
	if k == 0 {
		return 0, 0
	}
	stem = int(orig[k])
	switch {
	case art < 0:
		article = stem
	case art == 0:
		article = 0
	default:
		article = int(orig[art])
	}
	return article, stem
}

// isJoiner reports whether r is a format character that can sit inside a word without ending it:
// zero-width non-joiner (Persian), zero-width joiner, word joiner, soft hyphen, BOM.
func isJoiner(r rune) bool {
	return r == 0x200C || r == 0x200D || r == 0x2060 || r == 0x00AD || r == 0xFEFF
}

//go:embed clitics_ar.txt
var cliticsList string

// protectedWords and protectedPrefixes hold the entries of clitics_ar.txt, normalised as keys
// are; protectedHeads holds their first three letters, so most words need one lookup.
var protectedWords, protectedPrefixes, protectedHeads = func() (words, prefixes, heads map[string]struct{}) {
	words, prefixes, heads = map[string]struct{}{}, map[string]struct{}{}, map[string]struct{}{}
	for line := range strings.Lines(cliticsList) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		p, isPrefix := strings.CutSuffix(line, "*")
		key := string(appendKey(nil, p))
		if isPrefix {
			prefixes[key] = struct{}{}
		} else {
			words[key] = struct{}{}
		}
		if r := []rune(key); len(r) >= 3 {
			heads[string(r[:3])] = struct{}{}
		}
	}
	return words, prefixes, heads
}()
