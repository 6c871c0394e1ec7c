// Package dedup fingerprints documents so stores can skip exact duplicates and group near
// duplicates: the same wire story republished with a different headline, an added paragraph or
// a corrected sentence.
//
// Near duplicates are found with MinHash (Broder 1997) over overlapping word 3-grams of the
// normalised text (so spelling, diacritics and clitics don't count), and locality-sensitive
// hashing to find candidates: the 64 minimums are cut into 16 bands of 4, and two documents are
// candidates when any band is equal, which an indexed lookup answers. Candidates are confirmed
// when their estimated Jaccard similarity reaches Threshold. With these numbers a pair at
// Jaccard 0.75 becomes a candidate with probability 0.998 and one at 0.3 with 0.12.
//
// Why not SimHash: a 64-bit SimHash at the usual 3-bit threshold only catches near-identical
// copies. One added sentence in a 130-word story moves it by about 6 bits, so an edited
// republication was missed. MinHash estimates the share of common 3-grams directly, and its
// threshold means what it says.
package dedup

import (
	"context"
	"encoding/binary"
	"hash/fnv"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

const (
	// NumHashes is the length of a signature.
	NumHashes = 64
	// NumBands is how many LSH bands a signature is cut into (NumHashes/NumBands rows each).
	NumBands = 16
	// Threshold is the estimated Jaccard similarity of 3-gram sets from which two documents are
	// near duplicates.
	Threshold = 0.75
	shingle   = 3
	rows      = NumHashes / NumBands
)

// seeds make the NumHashes hash functions from one 64-bit shingle hash; fixed so that
// signatures are the same in every process and every version.
var seeds = func() [NumHashes]uint64 {
	var s [NumHashes]uint64
	x := uint64(0x6d697a616e) // "mizan"
	for i := range s {
		x = splitmix(x)
		s[i] = x
	}
	return s
}()

// splitmix is the SplitMix64 finaliser: a fast, well-mixing 64-bit permutation.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Signature returns the MinHash signature of a text, nil when it has no words.
func Signature(text string) []uint32 {
	toks := textnorm.Tokens(text)
	if len(toks) == 0 {
		return nil
	}
	sig := make([]uint32, NumHashes)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	n := max(len(toks)-shingle+1, 1)
	h := fnv.New64a()
	for i := 0; i < n; i++ {
		h.Reset()
		for j := i; j < min(i+shingle, len(toks)); j++ {
			h.Write([]byte(toks[j].Key))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		for k := range sig {
			if v := uint32(splitmix(x ^ seeds[k])); v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig
}

// Similarity estimates the Jaccard similarity of the 3-gram sets behind two signatures.
func Similarity(a, b []uint32) float64 {
	if len(a) != NumHashes || len(b) != NumHashes {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / NumHashes
}

// Near reports whether two signatures belong to near duplicates.
func Near(a, b []uint32) bool { return Similarity(a, b) >= Threshold }

// BandKeys returns one key per LSH band. Two signatures with an equal key in the same band are
// candidates.
func BandKeys(sig []uint32) []int64 {
	if len(sig) != NumHashes {
		return nil
	}
	keys := make([]int64, NumBands)
	for b := range keys {
		x := uint64(b)
		for _, v := range sig[b*rows : (b+1)*rows] {
			x = splitmix(x ^ uint64(v))
		}
		keys[b] = int64(x)
	}
	return keys
}

// Encode packs a signature for storage (4 bytes per value, little-endian).
func Encode(sig []uint32) []byte {
	out := make([]byte, 4*len(sig))
	for i, v := range sig {
		binary.LittleEndian.PutUint32(out[4*i:], v)
	}
	return out
}

// Decode unpacks a stored signature.
func Decode(b []byte) []uint32 {
	sig := make([]uint32, len(b)/4)
	for i := range sig {
		sig[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return sig
}

// Stage sets a document's TextHash and MinHash. It runs after extraction.
type Stage struct{}

var _ nlp.Stage = Stage{}

func (Stage) Name() string { return "dedup" }

func (Stage) Process(_ context.Context, d *nlp.Doc) error {
	d.TextHash = mizan.TextHash(d.Text)
	d.MinHash = Signature(d.Text)
	return nil
}
