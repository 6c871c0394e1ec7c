// Package dedup fingerprints documents so stores can skip exact duplicates and group near
// duplicates: the same wire story republished with a different headline, page furniture or a
// corrected paragraph.
//
// The near-duplicate fingerprint is a 64-bit SimHash (Charikar 2002) over overlapping word
// 3-grams of the normalised text, so differences of spelling, diacritics and clitics don't count.
// Two documents are near duplicates when their fingerprints differ in at most MaxDistance bits,
// the threshold Manku et al. (WWW 2007) found right for web pages. By pigeonhole, two fingerprints
// within 3 bits agree on at least one of four 16-bit bands, so a store finds candidates with four
// indexed equality lookups instead of a scan.
package dedup

import (
	"context"
	"hash/fnv"
	"math/bits"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// MaxDistance is the largest Hamming distance between near-duplicate fingerprints.
const MaxDistance = 3

// shingle is the number of words hashed together.
const shingle = 3

// SimHash fingerprints a text. Texts with fewer words than a shingle hash their words alone.
func SimHash(text string) uint64 {
	toks := textnorm.Tokens(text)
	var v [64]int32
	add := func(h uint64) {
		for i := range 64 {
			if h&(1<<i) != 0 {
				v[i]++
			} else {
				v[i]--
			}
		}
	}
	h := fnv.New64a()
	n := len(toks) - shingle + 1
	if n < 1 {
		n = len(toks)
	}
	for i := 0; i < n; i++ {
		h.Reset()
		for j := i; j < min(i+shingle, len(toks)); j++ {
			h.Write([]byte(toks[j].Key))
			h.Write([]byte{0})
		}
		add(h.Sum64())
	}
	var out uint64
	for i := range 64 {
		if v[i] > 0 {
			out |= 1 << i
		}
	}
	return out
}

// Distance is the number of bits in which two fingerprints differ.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// Near reports whether two fingerprints are near duplicates.
func Near(a, b uint64) bool { return Distance(a, b) <= MaxDistance }

// Bands splits a fingerprint into four 16-bit bands for candidate lookup.
func Bands(h uint64) [4]int64 {
	return [4]int64{int64(h & 0xffff), int64(h >> 16 & 0xffff), int64(h >> 32 & 0xffff), int64(h >> 48 & 0xffff)}
}

// Stage sets a document's TextHash and SimHash. It runs after extraction.
type Stage struct{}

var _ nlp.Stage = Stage{}

func (Stage) Name() string { return "dedup" }

func (Stage) Process(_ context.Context, d *nlp.Doc) error {
	d.TextHash = mizan.TextHash(d.Text)
	d.SimHash = SimHash(d.Text)
	return nil
}
