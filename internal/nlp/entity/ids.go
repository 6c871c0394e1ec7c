package entity

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// maxSlug bounds the name part of a discovered id, in bytes.
const maxSlug = 60

// arabicLatin romanises the letters left in an Arabic key (after textnorm has folded hamza and
// alef variants, alif maqsura, taa marbuta and diacritics): a fixed consonantal table, loosely
// after the common English-language press spelling. It is many-to-one (س and ص are both "s"),
// which is why ids of Arabic names carry a hash of the key as well.
var arabicLatin = map[rune]string{
	'ا': "a", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh",
	'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'ع': "a",
	'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h", 'و': "w",
	'ي': "y", 'ء': "", 'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ڤ': "v",
}

// DiscoveredID returns the id of the entity of type t that a name the knowledge base does not
// know stands for: "<type>/<slug>", e.g. "person/leila-zaruki". Every machine computes the same id
// from the same type and name, so workers processing different documents agree.
//
// The slug is the name's textnorm key (lower case, accents folded, Arabic spelling variants and
// proclitics folded; the key kb.Key gives, so a KB import of the same name gets the same id)
// with its words joined by "-":
//
//   - Latin script: the key itself ("Leila Zaruki", "Leïla  Zaruki" → "leila-zaruki");
//   - Arabic script: the key romanised letter by letter with a fixed table (ليلى زروقي →
//     "lyly-zrwqy"), and, because that table merges letters (س/ص, ت/ط…), "-" and the first 8
//     hex digits of the SHA-256 of the key ("person/lyly-zrwqy-1a2b3c4d");
//   - anything else (other scripts, or a slug longer than 60 bytes, which is cut): the Latin
//     letters and digits kept, then the hash.
//
// The romanised id of an Arabic name is not the id of the same person's Latin name: linking the
// two is cross-document resolution's job, which compares names, not ids.
func DiscoveredID(t mizan.EntityType, name string) string {
	key := textnorm.Key(name)
	var b strings.Builder
	hashed := false
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		default:
			if s, ok := arabicLatin[r]; ok {
				b.WriteString(s)
			}
			hashed = true
		}
	}
	slug := strings.Trim(b.String(), "-")
	for strings.Contains(slug, "--") {
		slug = strings.ReplaceAll(slug, "--", "-")
	}
	if len(slug) > maxSlug {
		slug = strings.TrimRight(slug[:maxSlug], "-")
		hashed = true
	}
	if hashed || slug == "" {
		sum := sha256.Sum256([]byte(key))
		h := hex.EncodeToString(sum[:4])
		if slug == "" {
			slug = h
		} else {
			slug += "-" + h
		}
	}
	return strings.ToLower(string(t)) + "/" + slug
}
