package ner

import (
	"math"
	"sort"
	"strconv"
)

// Word clusters stand in for embeddings: words that occur between the same neighbours fall in
// the same class, so the tagger can generalise from "Algiers" seen in training to "Rabat" if
// the two share contexts. They are induced from the training text only (no outside corpus) by
// the exchange algorithm (Kneser & Ney 1993; Martin, Liermann & Ney 1998): every word starts in
// a class, and each pass moves each word to the class that most increases the likelihood of a
// class-bigram model of the text. Several numbers of classes give coarse and fine views.

// clusterTable maps a word key (see wordKey) to its class at each granularity.
type clusterTable struct {
	words map[string][numGranularities]uint16
}

var clusterNames = func() []string {
	n := make([]string, 4096)
	for i := range n {
		n[i] = strconv.Itoa(i)
	}
	return n
}()

func (c *clusterTable) lookup(w string) [numGranularities]string {
	var out [numGranularities]string
	ids, ok := c.words[w]
	if !ok {
		return out
	}
	for g, id := range ids {
		if int(id) < len(clusterNames) {
			out[g] = clusterNames[id]
		} else {
			out[g] = strconv.Itoa(int(id))
		}
	}
	return out
}

// ClusterOptions configures word-class induction.
type ClusterOptions struct {
	// Classes is the number of classes at each granularity, coarse to fine.
	Classes [numGranularities]int `json:"classes"`
	// MinCount is how often a word must occur to get a class; rarer words share one
	// pseudo-word during induction and get no class feature.
	MinCount int `json:"min_count"`
	// Iterations is the number of exchange passes over the vocabulary.
	Iterations int `json:"iterations"`
}

// induceClusters clusters the words of sents (already mapped to word keys).
func induceClusters(sents [][]string, opt ClusterOptions) *clusterTable {
	// Vocabulary: id 0 is the sentence boundary, 1 the rare pseudo-word.
	counts := map[string]int{}
	for _, s := range sents {
		for _, w := range s {
			counts[w]++
		}
	}
	vocab := []string{"<s>", "<rare>"}
	for w, n := range counts {
		if n >= opt.MinCount {
			vocab = append(vocab, w)
		}
	}
	sort.Slice(vocab[2:], func(i, j int) bool {
		a, b := vocab[2+i], vocab[2+j]
		if counts[a] != counts[b] {
			return counts[a] > counts[b]
		}
		return a < b
	})
	id := make(map[string]int, len(vocab))
	for i, w := range vocab {
		id[w] = i
	}
	// Bigram counts, boundary-padded.
	type pair struct{ a, b int }
	bigrams := map[pair]int{}
	freq := make([]int, len(vocab))
	for _, s := range sents {
		prev := 0
		freq[0]++
		for _, w := range s {
			cur, ok := id[w]
			if !ok {
				cur = 1
			}
			freq[cur]++
			bigrams[pair{prev, cur}]++
			prev = cur
		}
		bigrams[pair{prev, 0}]++
	}
	next := make([][]edge, len(vocab))
	prevs := make([][]edge, len(vocab))
	self := make([]int, len(vocab))
	keys := make([]pair, 0, len(bigrams))
	for p := range bigrams {
		keys = append(keys, p)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].a != keys[j].a {
			return keys[i].a < keys[j].a
		}
		return keys[i].b < keys[j].b
	})
	for _, p := range keys {
		n := bigrams[p]
		if p.a == p.b {
			self[p.a] += n
			continue
		}
		next[p.a] = append(next[p.a], edge{p.b, n})
		prevs[p.b] = append(prevs[p.b], edge{p.a, n})
	}

	table := &clusterTable{words: make(map[string][numGranularities]uint16, len(vocab))}
	for g, k := range opt.Classes {
		class := exchange(k, freq, next, prevs, self, opt.Iterations)
		for i := 2; i < len(vocab); i++ {
			ids := table.words[vocab[i]]
			ids[g] = uint16(class[i])
			table.words[vocab[i]] = ids
		}
	}
	return table
}

// edge is a bigram count from or to word w.
type edge struct{ w, n int }

// xlogx is x·ln x with 0·ln 0 = 0.
func xlogx(x int) float64 {
	if x <= 0 {
		return 0
	}
	if x < len(xlogxTable) {
		return xlogxTable[x]
	}
	f := float64(x)
	return f * math.Log(f)
}

var xlogxTable = func() []float64 {
	t := make([]float64, 1<<16)
	for i := 1; i < len(t); i++ {
		t[i] = float64(i) * math.Log(float64(i))
	}
	return t
}()

// exchange runs the exchange algorithm with k classes and returns each word's class. Word 0
// (the boundary) keeps class 0 to itself.
func exchange(k int, freq []int, next, prevs [][]edge, self []int, iters int) []int {
	v := len(freq)
	k = max(2, min(k, v))
	class := make([]int, v)
	// Start: the boundary alone in class 0; the others round-robin by frequency rank (the
	// vocabulary is sorted by frequency), so each class starts with a mix.
	for i := 1; i < v; i++ {
		class[i] = 1 + (i-1)%(k-1)
	}
	nc := make([]int, k)   // class frequencies
	nb := make([]int, k*k) // class bigram counts, nb[a*k+b]
	for w := range v {
		nc[class[w]] += freq[w]
		for _, e := range next[w] {
			u, n := e.w, e.n
			nb[class[w]*k+class[u]] += n
		}
		nb[class[w]*k+class[w]] += self[w]
	}
	left := make([]int, k)  // counts of (class c, w)
	right := make([]int, k) // counts of (w, class d)
	var lnz, rnz []int
	for range iters {
		moved := 0
		for w := 1; w < v; w++ {
			// Context class counts of w, self-bigrams excluded.
			for _, c := range lnz {
				left[c] = 0
			}
			for _, d := range rnz {
				right[d] = 0
			}
			lnz, rnz = lnz[:0], rnz[:0]
			for _, e := range prevs[w] {
				u, n := e.w, e.n
				c := class[u]
				if left[c] == 0 {
					lnz = append(lnz, c)
				}
				left[c] += n
			}
			for _, e := range next[w] {
				u, n := e.w, e.n
				d := class[u]
				if right[d] == 0 {
					rnz = append(rnz, d)
				}
				right[d] += n
			}
			s, f, a := self[w], freq[w], class[w]
			// Take w out of its class.
			for _, c := range lnz {
				nb[c*k+a] -= left[c]
			}
			for _, d := range rnz {
				nb[a*k+d] -= right[d]
			}
			nb[a*k+a] -= s
			nc[a] -= f
			// Gain of putting it into class b.
			best, bestGain := a, math.Inf(-1)
			for b := 1; b < k; b++ {
				gain := 0.0
				for _, c := range lnz {
					x := nb[c*k+b]
					gain += xlogx(x+left[c]) - xlogx(x)
				}
				for _, d := range rnz {
					x := nb[b*k+d]
					gain += xlogx(x+right[d]) - xlogx(x)
				}
				// The (b,b) cell was counted in both sums (if at all): replace with its real change.
				bb := nb[b*k+b]
				if left[b] != 0 {
					gain -= xlogx(bb+left[b]) - xlogx(bb)
				}
				if right[b] != 0 {
					gain -= xlogx(bb+right[b]) - xlogx(bb)
				}
				gain += xlogx(bb+left[b]+right[b]+s) - xlogx(bb)
				gain -= 2 * (xlogx(nc[b]+f) - xlogx(nc[b]))
				if gain > bestGain+1e-9 || (b == a && gain >= bestGain-1e-9) {
					best, bestGain = b, gain
				}
			}
			for _, c := range lnz {
				nb[c*k+best] += left[c]
			}
			for _, d := range rnz {
				nb[best*k+d] += right[d]
			}
			nb[best*k+best] += s
			nc[best] += f
			if best != a {
				class[w] = best
				moved++
			}
		}
		if moved == 0 {
			break
		}
	}
	return class
}
