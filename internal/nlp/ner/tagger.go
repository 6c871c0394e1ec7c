package ner

import (
	"math"
	"sync"
)

// tagger is the trained model of one language. It is immutable after training or loading.
type tagger struct {
	lang   string
	labels []string // "O" first
	// rows maps a feature hash to its row of weights, w[row*L : row*L+L].
	rows map[uint32]int32
	w    []float32
	// trans[(p+1)*L+y] is the weight of label y after label p; row 0 is the sentence start.
	trans []float32
	// allowed is the IOB2 mask over the same cells: I-X only after B-X or I-X.
	allowed  []bool
	clusters *clusterTable
	// gaz, if set, marks the names of the knowledge base (gazetteer.go).
	gaz *gazetteer
	// temp divides scores before the softmax that gives entity confidences.
	temp float64
	// oBias is taken off the score of "O" at every token: the averaged perceptron is
	// conservative (precision well above recall on ANERcorp), and a bias fitted on dev trades
	// some of that precision for recall.
	oBias float32
	info  Info
}

// Info is the provenance of a trained tagger, stored in the model file.
type Info struct {
	Lang     string            `json:"lang"`
	Data     string            `json:"data"`     // what it was trained on
	Options  TrainOptions      `json:"options"`  // how
	Features int               `json:"features"` // weight rows kept
	DevF1    map[string]string `json:"dev_f1,omitempty"`
	// Gazetteer, if set, says that the model reads gazetteer features and identifies the
	// knowledge-base names they were computed from: a hash of the gazetteer compiled from the
	// embedded default KB for the model's language. Loading a model whose hash differs from
	// the current KB's logs a warning (the features still work; retrain to align them).
	Gazetteer string `json:"gazetteer,omitempty"`
}

func newTagger(lang string, labels []string) *tagger {
	t := &tagger{lang: lang, labels: labels, rows: map[uint32]int32{}, temp: 1}
	L := len(labels)
	t.trans = make([]float32, (L+1)*L)
	t.allowed = make([]bool, (L+1)*L)
	for p := -1; p < L; p++ {
		for y := range L {
			ok := true
			if l := labels[y]; l[0] == 'I' {
				ok = p >= 0 && labels[p] != "O" && labels[p][2:] == l[2:]
			}
			t.allowed[(p+1)*L+y] = ok
		}
	}
	return t
}

// scratch holds the per-call buffers of decode; pooled so that concurrent callers share no
// state and a busy tagger allocates little.
type scratch struct {
	info   []tokInfo
	keys   []string
	feats  []uint32
	masks  []mask
	emit   []float32
	delta  []float32
	back   []int32
	alpha  []float64
	beta   []float64
	psi    []float64
	etrans []float64
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// emissions fills s.emit with the per-token label scores of words, emit[i*L+y]. With news set,
// labels the news constraints (constraints.go) forbid score -Inf.
func (t *tagger) emissions(s *scratch, words []string, news bool) []float32 {
	L := len(t.labels)
	s.info = analyse(t.lang, words, t.clusters, s.info)
	if t.gaz != nil {
		s.keys = t.gaz.mark(s.info, s.keys)
	}
	s.emit = grow(s.emit, len(words)*L)
	clear(s.emit)
	for i := range words {
		s.feats = extract(s.feats[:0], s.info, i)
		e := s.emit[i*L : i*L+L]
		for _, f := range s.feats {
			r, ok := t.rows[f]
			if !ok {
				continue
			}
			row := t.w[int(r)*L : int(r)*L+L]
			for y, v := range row {
				e[y] += v
			}
		}
		e[0] -= t.oBias
	}
	if !news {
		return s.emit
	}
	s.masks = masks(t.lang, s.info, s.masks)
	neg := float32(math.Inf(-1))
	for i, m := range s.masks {
		if m == maskAny {
			continue
		}
		for y := 1; y < L; y++ {
			if m == maskOutside || t.labels[y][0] == 'B' {
				s.emit[i*L+y] = neg
			}
		}
	}
	return s.emit
}

// decode returns the best label ids for words, under the news constraints if news is set, and,
// when marginals is set, the posterior probability of each chosen label.
func (t *tagger) decode(words []string, news, marginals bool) ([]int, []float64) {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	emit := t.emissions(s, words, news)
	ids := t.viterbi(s, emit, len(words))
	if !marginals {
		return ids, nil
	}
	return ids, t.posteriors(s, emit, ids)
}

// viterbi finds the highest-scoring label sequence allowed by the IOB2 mask.
func (t *tagger) viterbi(s *scratch, emit []float32, n int) []int {
	L := len(t.labels)
	s.delta = grow(s.delta, n*L)
	s.back = grow(s.back, n*L)
	neg := float32(math.Inf(-1))
	for y := range L {
		if t.allowed[y] {
			s.delta[y] = emit[y] + t.trans[y]
		} else {
			s.delta[y] = neg
		}
	}
	for i := 1; i < n; i++ {
		prev := s.delta[(i-1)*L : i*L]
		for y := range L {
			best, arg := neg, int32(0)
			for p := range L {
				c := (p+1)*L + y
				if !t.allowed[c] || prev[p] == neg {
					continue
				}
				if v := prev[p] + t.trans[c]; v > best {
					best, arg = v, int32(p)
				}
			}
			if best != neg {
				best += emit[i*L+y]
			}
			s.delta[i*L+y] = best
			s.back[i*L+y] = arg
		}
	}
	ids := make([]int, n)
	last := s.delta[(n-1)*L : n*L]
	for y := range L {
		if last[y] > last[ids[n-1]] {
			ids[n-1] = y
		}
	}
	for i := n - 1; i > 0; i-- {
		ids[i-1] = int(s.back[i*L+ids[i]])
	}
	return ids
}

// posteriors runs forward-backward over the scores divided by t.temp and returns the marginal
// probability of ids[i] at each position. It works in probability space, rescaling at every
// token, which is several times faster than log space; should a rescaling underflow (scores
// hundreds of temperatures apart) it starts again in log space.
func (t *tagger) posteriors(s *scratch, emit []float32, ids []int) []float64 {
	if out, ok := t.posteriorsScaled(s, emit, ids); ok {
		return out
	}
	return t.posteriorsLog(s, emit, ids)
}

func (t *tagger) posteriorsScaled(s *scratch, emit []float32, ids []int) ([]float64, bool) {
	L, n := len(t.labels), len(ids)
	inv := 1 / t.temp
	// Transition and emission potentials, each shifted by its maximum so that no exp overflows.
	s.etrans = grow(s.etrans, len(t.trans))
	tmax := float32(math.Inf(-1))
	for c, v := range t.trans {
		if t.allowed[c] {
			tmax = max(tmax, v)
		}
	}
	for c, v := range t.trans {
		s.etrans[c] = 0
		if t.allowed[c] {
			s.etrans[c] = math.Exp(float64(v-tmax) * inv)
		}
	}
	s.psi = grow(s.psi, n*L)
	for i := range n {
		e := emit[i*L : i*L+L]
		m := e[0]
		for _, v := range e {
			m = max(m, v)
		}
		for y, v := range e {
			s.psi[i*L+y] = math.Exp(float64(v-m) * inv)
		}
	}
	s.alpha = grow(s.alpha, n*L)
	s.beta = grow(s.beta, n*L)
	normalise := func(v []float64) bool {
		sum := 0.0
		for _, x := range v {
			sum += x
		}
		if !(sum > 0) || math.IsInf(sum, 0) {
			return false
		}
		for k := range v {
			v[k] /= sum
		}
		return true
	}
	for y := range L {
		s.alpha[y] = s.etrans[y] * s.psi[y]
	}
	if !normalise(s.alpha[:L]) {
		return nil, false
	}
	for i := 1; i < n; i++ {
		prev, cur := s.alpha[(i-1)*L:i*L], s.alpha[i*L:i*L+L]
		for y := range L {
			acc := 0.0
			for p, a := range prev {
				acc += a * s.etrans[(p+1)*L+y]
			}
			cur[y] = acc * s.psi[i*L+y]
		}
		if !normalise(cur) {
			return nil, false
		}
	}
	for y := range L {
		s.beta[(n-1)*L+y] = 1
	}
	for i := n - 2; i >= 0; i-- {
		next, cur := s.beta[(i+1)*L:(i+2)*L], s.beta[i*L:i*L+L]
		for p := range L {
			acc := 0.0
			row := s.etrans[(p+1)*L : (p+2)*L]
			for y, b := range next {
				acc += row[y] * s.psi[(i+1)*L+y] * b
			}
			cur[p] = acc
		}
		if !normalise(cur) {
			return nil, false
		}
	}
	out := make([]float64, n)
	for i, y := range ids {
		z := 0.0
		for k := range L {
			z += s.alpha[i*L+k] * s.beta[i*L+k]
		}
		if !(z > 0) {
			return nil, false
		}
		out[i] = s.alpha[i*L+y] * s.beta[i*L+y] / z
	}
	return out, true
}

// posteriorsLog is posteriors in log space: slower, but immune to underflow.
func (t *tagger) posteriorsLog(s *scratch, emit []float32, ids []int) []float64 {
	L, n := len(t.labels), len(ids)
	inv := 1 / t.temp
	s.alpha = grow(s.alpha, n*L)
	s.beta = grow(s.beta, n*L)
	negInf := math.Inf(-1)
	for y := range L {
		s.alpha[y] = negInf
		if t.allowed[y] {
			s.alpha[y] = float64(emit[y]+t.trans[y]) * inv
		}
	}
	for i := 1; i < n; i++ {
		for y := range L {
			acc := negInf
			for p := range L {
				c := (p+1)*L + y
				if t.allowed[c] {
					acc = logAdd(acc, s.alpha[(i-1)*L+p]+float64(t.trans[c])*inv)
				}
			}
			s.alpha[i*L+y] = acc + float64(emit[i*L+y])*inv
		}
	}
	for y := range L {
		s.beta[(n-1)*L+y] = 0
	}
	for i := n - 2; i >= 0; i-- {
		for p := range L {
			acc := negInf
			for y := range L {
				c := (p+1)*L + y
				if t.allowed[c] {
					acc = logAdd(acc, float64(t.trans[c]+emit[(i+1)*L+y])*inv+s.beta[(i+1)*L+y])
				}
			}
			s.beta[i*L+p] = acc
		}
	}
	z := negInf
	for y := range L {
		z = logAdd(z, s.alpha[(n-1)*L+y])
	}
	out := make([]float64, n)
	for i, y := range ids {
		out[i] = math.Exp(s.alpha[i*L+y] + s.beta[i*L+y] - z)
	}
	return out
}

func logAdd(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp(b-a))
}
