package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan/internal/textnorm"
)

// gap says what lies between a token and the next one, from the weakest link to the strongest.
type gap uint8

const (
	gapNone  gap = iota // a line break, punctuation, or the end of the text
	gapCue              // spaces and at most a few of - ' . : (cue phrases: "Source: Photo by")
	gapLoose            // spaces, hyphens, apostrophes and periods ("U.N.", "Gen. X")
	gapTight            // spaces and at most one hyphen or apostrophe ("al-Assad", "M'henna")
)

// classifyGap tells how tightly the text between two tokens binds them.
func classifyGap(s string) (g gap, comma bool) {
	if s == "" {
		return gapTight, false
	}
	var joiners, periods, colons, commas, other int
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			return gapNone, false
		case unicode.IsSpace(r) || r == '\u200f' || r == '\u200e':
		case r == '-' || r == '\u2010' || r == '\u2011' || r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc':
			joiners++
		case r == '.':
			periods++
		case r == ':':
			colons++
		case r == ',' || r == '\u060c':
			commas++
		default:
			other++
		}
	}
	comma = commas == 1 && other == 0 && joiners == 0 && periods == 0 && colons == 0
	switch {
	case other > 0 || commas > 0:
		return gapNone, comma
	case colons == 0 && periods == 0 && joiners <= 1:
		return gapTight, false
	case colons == 0 && periods <= 2 && joiners <= 1:
		return gapLoose, false
	case colons <= 1 && periods <= 1 && joiners <= 1:
		return gapCue, false
	}
	return gapNone, false
}

func isLetter(r rune) bool { return unicode.IsLetter(r) }
func isUpper(r rune) bool  { return unicode.IsUpper(r) || unicode.IsTitle(r) }

// startsUpper reports whether the first letter of s is a capital.
func startsUpper(s string) bool {
	for _, r := range s {
		if isLetter(r) {
			return isUpper(r)
		}
	}
	return false
}

// allUpper reports whether s has letters and all of them are capitals.
func allUpper(s string) bool {
	n := 0
	for _, r := range s {
		if isLetter(r) {
			if !isUpper(r) {
				return false
			}
			n++
		}
	}
	return n > 0
}

func isArabicText(s string) bool {
	for _, r := range s {
		if isLetter(r) {
			return textnorm.IsArabic(r)
		}
	}
	return false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// similarGiven reports whether two given-name keys are spellings of one name: the same first
// letter and at most two edits apart ("sergei"/"sergey", "nikolai"/"nikolay").
func similarGiven(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 3 || len(rb) < 3 || ra[0] != rb[0] {
		return false
	}
	return editDistance(ra, rb) <= 2
}

// editDistance is the Levenshtein distance between two short words.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// cleanName collapses the white space of a name as written and drops a trailing possessive.
func cleanName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, suf := range []string{"'s", "’s", "'", "’"} {
		if strings.HasSuffix(s, suf) && utf8.RuneCountInString(s) > len(suf)+1 {
			s = strings.TrimSuffix(s, suf)
			break
		}
	}
	return s
}
