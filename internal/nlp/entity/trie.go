package entity

// seqTrie is an automaton over sequences of token keys: every name, role or cue is the list of
// the textnorm keys of its words, and matching walks the tokens of a text one key at a time.
// Working on whole keys rather than on bytes is what makes matching right for Arabic (a word is
// matched with its proclitics and hamza variants already folded by textnorm) and makes word
// boundaries exact: a key can only match a whole token.
//
// It is a trie, not an Aho-Corasick automaton: a match is tried from every token, and a walk
// rarely goes further than two or three tokens because almost no name shares its first words
// with another. Measured against a byte-level Aho-Corasick automaton it was both faster and
// smaller (numbers in the package documentation).
//
// Edges live in one map keyed by (node, key) rather than in a map per node: 50,000 names make
// about 120,000 edges, and one map of small keys costs a fraction of 120,000 maps.
type seqTrie struct {
	edges map[edge]int32
	out   [][]int32 // payload indexes of the sequences ending at each node; out[0] is the root
}

type edge struct {
	from int32
	key  string
}

func newSeqTrie() *seqTrie {
	return &seqTrie{edges: make(map[edge]int32), out: [][]int32{nil}}
}

// add records payload v for the key sequence keys (ignored when empty).
func (t *seqTrie) add(keys []string, v int32) {
	if len(keys) == 0 {
		return
	}
	n := int32(0)
	for _, k := range keys {
		next, ok := t.edges[edge{n, k}]
		if !ok {
			next = int32(len(t.out))
			t.out = append(t.out, nil)
			t.edges[edge{n, k}] = next
		}
		n = next
	}
	t.out[n] = append(t.out[n], v)
}

// step follows the edge labelled key from node n.
func (t *seqTrie) step(n int32, key string) (int32, bool) {
	next, ok := t.edges[edge{n, key}]
	return next, ok
}
