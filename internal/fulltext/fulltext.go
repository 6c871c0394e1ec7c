// Package fulltext turns what a user types into a query both stores understand, and cuts
// highlighted snippets out of a document's text. It is store-independent: SQLite (FTS5) and
// PostgreSQL (tsquery) index the normalised text of internal/textnorm, so a query is normalised
// the same way, and snippets are cut from the original text by matching normalised keys back to
// their original words — which is how hamza, taa marbuta, diacritics and clitics can differ
// between query and text and still be highlighted where they occur.
package fulltext

import (
	"strings"
	"unicode"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// Term is a word or, with several keys, a phrase, as normalised keys.
type Term struct {
	Keys []string
}

// Clause is one or more alternative terms (a OR b); a negated clause excludes documents.
type Clause struct {
	Alts []Term
	Not  bool
}

// Query is a conjunction of clauses.
type Query struct {
	Clauses []Clause
}

// Parse reads a user query: words are ANDed, "double quotes" make a phrase, OR between two terms
// makes alternatives, and a leading - excludes a word or phrase. Every word is normalised with
// textnorm, so a query matches across spellings the index folds. A query with nothing to look
// for is EINVALID.
func Parse(q string) (Query, error) {
	var (
		out     Query
		pendOr  bool
		hasPos  bool
		atoms   = lex(q)
		current *Clause
	)
	for _, a := range atoms {
		if a.or {
			pendOr = current != nil && !current.Not
			continue
		}
		keys := keysOf(a.text)
		if len(keys) == 0 {
			continue
		}
		// A word the normaliser splits ("al-Sharq", "M'henna") is a phrase of its parts, like a
		// quoted phrase.
		t := Term{Keys: keys}
		if pendOr && current != nil && !a.not {
			current.Alts = append(current.Alts, t)
			pendOr = false
			continue
		}
		pendOr = false
		out.Clauses = append(out.Clauses, Clause{Alts: []Term{t}, Not: a.not})
		current = &out.Clauses[len(out.Clauses)-1]
		if !a.not {
			hasPos = true
		}
	}
	if !hasPos {
		return Query{}, mizan.Errorf(mizan.EINVALID, "search query %q has no word to look for", q)
	}
	return out, nil
}

type atom struct {
	text        string
	phrase, not bool
	or          bool
}

// lex splits a query into words, quoted phrases and OR operators.
func lex(q string) []atom {
	var out []atom
	rs := []rune(q)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '"' || r == '-' && i+1 < len(rs) && rs[i+1] == '"':
			not := r == '-'
			if not {
				i++
			}
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			out = append(out, atom{text: string(rs[i+1 : j]), phrase: true, not: not})
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			i = j
			switch {
			case w == "OR" || w == "|":
				out = append(out, atom{or: true})
			case strings.HasPrefix(w, "-") && len(w) > 1:
				out = append(out, atom{text: w[1:], not: true})
			default:
				out = append(out, atom{text: w})
			}
		}
	}
	return out
}

func keysOf(s string) []string {
	toks := textnorm.Tokens(s)
	keys := make([]string, 0, len(toks))
	for _, t := range toks {
		keys = append(keys, t.Key)
	}
	return keys
}

// FTS5 renders the query as an SQLite FTS5 MATCH expression over an index of normalised keys.
func (q Query) FTS5() string {
	var pos, neg []string
	for _, c := range q.Clauses {
		alts := make([]string, len(c.Alts))
		for i, t := range c.Alts {
			alts[i] = `"` + strings.Join(t.Keys, " ") + `"`
		}
		e := strings.Join(alts, " OR ")
		if len(alts) > 1 {
			e = "(" + e + ")"
		}
		if c.Not {
			neg = append(neg, e)
		} else {
			pos = append(pos, e)
		}
	}
	s := strings.Join(pos, " AND ")
	for _, n := range neg {
		s += " NOT " + n
	}
	return s
}

// TSQuery renders the query for PostgreSQL's to_tsquery('simple', ...) over the same keys.
func (q Query) TSQuery() string {
	var parts []string
	for _, c := range q.Clauses {
		alts := make([]string, len(c.Alts))
		for i, t := range c.Alts {
			ks := make([]string, len(t.Keys))
			for j, k := range t.Keys {
				ks[j] = "'" + strings.ReplaceAll(k, "'", "''") + "'"
			}
			alts[i] = strings.Join(ks, " <-> ")
			if len(ks) > 1 {
				alts[i] = "(" + alts[i] + ")"
			}
		}
		e := strings.Join(alts, " | ")
		if len(alts) > 1 || c.Not {
			e = "(" + e + ")"
		}
		if c.Not {
			e = "!" + e
		}
		parts = append(parts, e)
	}
	return strings.Join(parts, " & ")
}

// Snippet is an excerpt of a text around the best match of a query.
type Snippet struct {
	Text       string       // the excerpt
	Span       mizan.Span   // where it sits in the whole text (characters)
	Highlights []mizan.Span // matched words, in characters relative to Text
}

// Cut returns the excerpt of text, about width words long, that holds the most distinct query
// terms, with every matched word highlighted. When nothing matches (a title-only hit), it
// returns the start of the text.
func (q Query) Cut(text string, width int) Snippet {
	if width <= 0 {
		width = 32
	}
	toks := textnorm.Tokens(text)
	if len(toks) == 0 {
		return Snippet{}
	}
	// hit[i] = which positive term matches starting at token i (or -1), and its length in tokens.
	type hit struct{ term, n int }
	var terms []Term
	for _, c := range q.Clauses {
		if !c.Not {
			terms = append(terms, c.Alts...)
		}
	}
	var hits []struct {
		tok int
		hit
	}
	for i := range toks {
		for ti, t := range terms {
			if matchAt(toks, i, t.Keys) {
				hits = append(hits, struct {
					tok int
					hit
				}{i, hit{ti, len(t.Keys)}})
				break
			}
		}
	}
	// Slide a window of `width` tokens over the hits, maximising distinct terms, then hits.
	bestStart, bestDistinct, bestCount := 0, -1, 0
	for a := range hits {
		seen := map[int]bool{}
		count := 0
		for b := a; b < len(hits) && hits[b].tok+hits[b].n-1 < hits[a].tok+width; b++ {
			seen[hits[b].term] = true
			count++
		}
		if len(seen) > bestDistinct || len(seen) == bestDistinct && count > bestCount {
			bestStart, bestDistinct, bestCount = hits[a].tok, len(seen), count
		}
	}
	// Centre the window a little: start a few words before the first hit.
	first := max(bestStart-width/4, 0)
	last := min(first+width, len(toks)) - 1
	// Do not run across a paragraph break when the hit is after it.
	for k := first; k < bestStart; k++ {
		if strings.Contains(text[toks[k].End:toks[k+1].Start], "\n") {
			first = k + 1
		}
	}
	last = min(max(last, first), len(toks)-1)
	for k := bestStart; k < last; k++ {
		if strings.Contains(text[toks[k].End:toks[k+1].Start], "\n\n") {
			last = k
			break
		}
	}
	startB, endB := toks[first].Start, toks[last].End
	// Include punctuation that closes the last word's sentence or quote.
	for endB < len(text) {
		r := rune(text[endB])
		if r == '.' || r == ',' || r == '"' || r == ')' || r == '!' || r == '?' {
			endB++
			continue
		}
		break
	}
	ix := mizan.NewTextIndex(text)
	sn := Snippet{Text: text[startB:endB], Span: ix.Span(startB, endB)}
	for _, h := range hits {
		if h.tok < first || h.tok+h.n-1 > last {
			continue
		}
		s := ix.Span(toks[h.tok].Start, toks[h.tok+h.n-1].End)
		sn.Highlights = append(sn.Highlights, mizan.Span{Start: s.Start - sn.Span.Start, End: s.End - sn.Span.Start})
	}
	return sn
}

func matchAt(toks []textnorm.Token, i int, keys []string) bool {
	if i+len(keys) > len(toks) {
		return false
	}
	for j, k := range keys {
		if toks[i+j].Key != k {
			return false
		}
	}
	return true
}
