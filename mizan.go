// Package mizan holds the domain of the mizan knowledge-graph builder: documents, mentions,
// entities, events and the service interfaces that stores implement. It imports the standard
// library only; every dependency lives in a subpackage under internal/ that wraps it.
//
// Offsets. Every Span in this package counts Unicode code points (characters) into a document's
// clean Text, half-open [Start, End). Characters rather than bytes because every consumer of a
// span outside Go counts that way: SQLite's and PostgreSQL's substr(), Python's str, and the web
// UI (via Array.from). Go code converts with Document.Slice / TextIndex.
package mizan

import (
	"sort"
	"unicode/utf8"
)

// Span is a half-open range [Start, End) of character offsets into a document's clean text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len is the number of characters the span covers.
func (s Span) Len() int { return s.End - s.Start }

// Contains reports whether o lies inside s.
func (s Span) Contains(o Span) bool { return o.Start >= s.Start && o.End <= s.End }

// Overlaps reports whether s and o share at least one character.
func (s Span) Overlaps(o Span) bool { return s.Start < o.End && o.Start < s.End }

// TextIndex converts between byte offsets (what Go string operations use) and character
// offsets (what Spans hold) for one text. Build it once per text: char→byte is O(1) and
// byte→char O(log n), at four bytes per character (nothing at all for ASCII text).
type TextIndex struct {
	text  string
	bytes []int32 // bytes[i] is the byte offset of character i; bytes[n] == len(text)
	ascii bool    // all characters are one byte: offsets coincide and bytes is nil
}

// NewTextIndex indexes text. For pure-ASCII text it allocates nothing.
func NewTextIndex(text string) *TextIndex {
	ix := &TextIndex{text: text}
	n := utf8.RuneCountInString(text)
	if n == len(text) {
		ix.ascii = true
		return ix
	}
	ix.bytes = make([]int32, 0, n+1)
	for i := range text {
		ix.bytes = append(ix.bytes, int32(i))
	}
	ix.bytes = append(ix.bytes, int32(len(text)))
	return ix
}

// Text returns the indexed text.
func (ix *TextIndex) Text() string { return ix.text }

// Chars is the number of characters in the text.
func (ix *TextIndex) Chars() int {
	if ix.ascii {
		return len(ix.text)
	}
	return len(ix.bytes) - 1
}

// Byte returns the byte offset of character offset c (clamped to the text).
func (ix *TextIndex) Byte(c int) int {
	if c < 0 {
		c = 0
	}
	if ix.ascii {
		return min(c, len(ix.text))
	}
	if c >= len(ix.bytes) {
		c = len(ix.bytes) - 1
	}
	return int(ix.bytes[c])
}

// Char returns the character offset of byte offset b. A byte inside a multi-byte character maps
// to that character's offset.
func (ix *TextIndex) Char(b int) int {
	if b < 0 {
		return 0
	}
	if ix.ascii {
		return min(b, len(ix.text))
	}
	i := sort.Search(len(ix.bytes), func(i int) bool { return int(ix.bytes[i]) > b })
	return max(i-1, 0)
}

// Span converts a byte range to a character Span.
func (ix *TextIndex) Span(startByte, endByte int) Span {
	return Span{Start: ix.Char(startByte), End: ix.Char(endByte)}
}

// Bytes converts a character Span to a byte range.
func (ix *TextIndex) Bytes(s Span) (start, end int) { return ix.Byte(s.Start), ix.Byte(s.End) }

// Slice returns the text a character Span covers.
func (ix *TextIndex) Slice(s Span) string {
	a, b := ix.Bytes(s)
	if a > b {
		return ""
	}
	return ix.text[a:b]
}
