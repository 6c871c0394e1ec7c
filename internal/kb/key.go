package kb

import "github.com/mizan-osint/mizan/internal/textnorm"

// Key returns the normalised form under which the knowledge base indexes a name, and under which
// Lookup compares: textnorm.Key, the key that internal/textnorm gives the words of a text —
// NFKC, lower-cased, Latin diacritics folded ("Saïd" = "Said"), Arabic hamza/alef variants,
// alif maqsura, taa marbuta, harakat and tatweel normalised, Arabic proclitics and the article
// stripped ("الجزائر", "والجزائر" and "للجزائر" share one key), apostrophes, hyphens and
// punctuation separating words ("M'henna" = "M henna"), words joined by single spaces.
//
// Key is the one place where the KB decides what "the same name" means. Because it is the key
// textnorm.Tokens gives each word of a document, a matcher can compile Names (or Roles) into an
// automaton over token keys and run it over Tokens of the text directly.
func Key(name string) string {
	return textnorm.Key(name)
}
