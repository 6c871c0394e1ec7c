package ner

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
)

// TrainOptions are the hyper-parameters of Train. They are stored in the model file.
type TrainOptions struct {
	// Epochs is the number of passes over the training sentences.
	Epochs int `json:"epochs"`
	// Seed fixes the order sentences are visited in; the same data, options and seed give the
	// same model, byte for byte.
	Seed uint64 `json:"seed"`
	// MinFeatureCount drops features seen fewer times in the training data.
	MinFeatureCount int `json:"min_feature_count"`
	// MaxFeatures keeps only the strongest weight rows (by largest absolute weight), which
	// bounds the model file; 0 keeps all.
	MaxFeatures int `json:"max_features"`
	// Clusters configures the word classes induced from the training text; zero Classes
	// disables them.
	Clusters ClusterOptions `json:"clusters"`
	// OutsideBias, if not zero, is taken off the score of "O" at every token instead of a
	// bias fitted on Dev for the best F1.
	OutsideBias float64 `json:"outside_bias,omitempty"`
	// ElisionExamples (French only) adds, for every entity that opens with a vowel and
	// follows a lower-case word, a copy of its sentence where the entity's first word carries an
	// elided article ("Algérie" → "l'Algérie"). WikiANN never starts an entity on an elided word
	// (links there cover "Algérie" and the sentence is dropped), so without these the tagger
	// learns that "l'Algérie" and "d'Italie" are never names.
	ElisionExamples bool `json:"elision_examples,omitempty"`
	// Bags is the number of perceptrons, each visiting the sentences in its own order, whose
	// averaged weights are averaged again into the model; 1 trains one.
	Bags int `json:"bags,omitempty"`
	// Gazetteer lists the languages whose tagger reads gazetteer features: the names of the
	// embedded knowledge base (kb.Default) found in the text, with their class and each token's
	// place in them (gazetteer.go). A model trained with them records which names it read
	// (Info.Gazetteer) and finds them again when it is loaded. In the model file the list is
	// the model's own language or empty.
	Gazetteer []string `json:"gazetteer,omitempty"`
	// Temperature, if positive, is used for confidence scores instead of one fitted on Dev.
	Temperature float64 `json:"temperature,omitempty"`

	// Dev, if set, is scored after every epoch (reported through Progress) and used to fit the
	// bias against "O" and the temperature of confidence scores. It is never trained on.
	Dev []Sentence `json:"-"`
	// Progress, if set, receives the development scores after each epoch.
	Progress func(epoch int, dev *evalkit.Report) `json:"-"`
}

// DefaultTrainOptions returns the hyper-parameters the embedded models were tuned with (the
// per-language epoch counts are in MODEL.md).
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{
		Epochs:          10,
		Seed:            1,
		MinFeatureCount: 1,
		MaxFeatures:     450000,
		Bags:            3,
		ElisionExamples: true,
		// Chosen on dev: +1.4 F1 in Arabic, +0.2 in French; English did not move (MODEL.md).
		Gazetteer: []string{"ar", "fr"},
		Clusters:  ClusterOptions{Classes: [numGranularities]int{32, 128, 512}, MinCount: 2, Iterations: 10},
	}
}

// Train trains the tagger for lang on sents with the averaged structured perceptron (Collins
// 2002) and returns a Model holding that one language. Labels are the IOB2 labels found in
// sents. Errors are *mizan.Error (EINVALID: no sentences, no entities, or bad labels).
func Train(lang string, sents []Sentence, opt TrainOptions) (*Model, error) {
	if len(sents) == 0 {
		return nil, mizan.Errorf(mizan.EINVALID, "ner: no training sentences")
	}
	labels, err := labelSet(sents)
	if err != nil {
		return nil, err
	}
	if lang == "fr" && opt.ElisionExamples {
		sents = append(sents[:len(sents):len(sents)], elisionExamples(sents)...)
	}
	t := newTagger(lang, labels)
	if slices.Contains(opt.Gazetteer, lang) {
		if t.gaz, err = defaultGazetteer(lang); err != nil {
			return nil, mizan.Errorf(mizan.EINTERNAL, "ner: gazetteer: %v", err)
		}
	}
	labelID := map[string]int{}
	for i, l := range labels {
		labelID[l] = i
	}

	if opt.Clusters.Classes[0] > 0 {
		keys := make([][]string, len(sents))
		for i, s := range sents {
			keys[i] = make([]string, len(s.Words))
			for j, w := range s.Words {
				keys[i][j] = wordKey(lang, w)
			}
		}
		t.clusters = induceClusters(keys, opt.Clusters)
	}

	// Feature extraction, once: each sentence becomes lists of feature ids.
	var space featureSpace
	exs := make([]example, len(sents))
	var info []tokInfo
	var keys []string
	var hs []uint32
	for i, s := range sents {
		info = analyse(lang, s.Words, t.clusters, info)
		if t.gaz != nil {
			keys = t.gaz.mark(info, keys)
		}
		ex := &exs[i]
		ex.gold = make([]int, len(s.Words))
		for j, l := range s.Labels {
			ex.gold[j] = labelID[l]
		}
		ex.feats.off = append(ex.feats.off, 0)
		for j := range s.Words {
			hs = extract(hs[:0], info, j)
			space.add(&ex.feats, hs)
		}
	}
	index := space.finish(opt.MinFeatureCount, exs)

	bags := max(1, opt.Bags)
	var final *tagger
	for bag := range bags {
		bt := perceptron(t, exs, index, opt, opt.Seed+uint64(bag), bag == bags-1)
		if final == nil {
			final = bt
			continue
		}
		for k, v := range bt.w {
			final.w[k] += v
		}
		for k, v := range bt.trans {
			final.trans[k] += v
		}
	}
	if bags > 1 {
		// Averaging perceptrons that saw the sentences in different orders (Collins' averaging
		// once more, across runs) smooths the weights the way bagging does.
		for k := range final.w {
			final.w[k] /= float32(bags)
		}
		for k := range final.trans {
			final.trans[k] /= float32(bags)
		}
	}
	// Quantise first, so that rows rounded to all zeros are dropped, then keep the strongest.
	final.quantize()
	final.prune(opt.MaxFeatures)
	switch {
	case opt.OutsideBias != 0:
		final.oBias = float32(opt.OutsideBias)
	case len(opt.Dev) > 0:
		final.oBias = fitOutsideBias(final, opt.Dev)
	}
	switch {
	case opt.Temperature > 0:
		final.temp = opt.Temperature
	case len(opt.Dev) > 0:
		final.temp = fitTemperature(final, opt.Dev)
	}
	final.info = Info{Lang: lang, Options: opt, Features: len(final.rows)}
	final.info.Options.Dev, final.info.Options.Progress = nil, nil
	final.info.Options.Gazetteer = nil
	if final.gaz != nil {
		final.info.Gazetteer = final.gaz.hash
		final.info.Options.Gazetteer = []string{lang}
	}
	final.info.Options.Temperature = final.temp
	final.info.Options.OutsideBias = float64(final.oBias)
	final.info.Options.ElisionExamples = opt.ElisionExamples && lang == "fr"
	return &Model{taggers: map[string]*tagger{lang: final}}, nil
}

// tokenFeats are the feature ids of a sentence's tokens: token i's are ids[off[i]:off[i+1]].
type tokenFeats struct {
	ids []int32
	off []int32
}

func (f *tokenFeats) at(i int) []int32 { return f.ids[f.off[i]:f.off[i+1]] }

// example is one training sentence, featurised.
type example struct {
	feats tokenFeats
	gold  []int
}

// featureSpace numbers feature hashes while the training data is featurised. Ids are first
// provisional (order of first sight), then renumbered in hash order by finish, so that row
// order, and with it the model file, does not depend on map iteration.
type featureSpace struct {
	ids    map[uint32]int32
	hashes []uint32
	counts []int32
}

func (fs *featureSpace) add(dst *tokenFeats, hs []uint32) {
	if fs.ids == nil {
		fs.ids = map[uint32]int32{}
	}
	for _, h := range hs {
		id, ok := fs.ids[h]
		if !ok {
			id = int32(len(fs.hashes))
			fs.ids[h] = id
			fs.hashes = append(fs.hashes, h)
			fs.counts = append(fs.counts, 0)
		}
		fs.counts[id]++
		dst.ids = append(dst.ids, id)
	}
	dst.off = append(dst.off, int32(len(dst.ids)))
}

// finish drops features seen fewer than minCount times, renumbers the rest in hash order,
// rewrites the examples' ids and returns the hash → row index.
func (fs *featureSpace) finish(minCount int, exs []example) map[uint32]int32 {
	kept := make([]uint32, 0, len(fs.hashes))
	for id, h := range fs.hashes {
		if int(fs.counts[id]) >= max(1, minCount) {
			kept = append(kept, h)
		}
	}
	slices.Sort(kept)
	index := make(map[uint32]int32, len(kept))
	for i, h := range kept {
		index[h] = int32(i)
	}
	remap := make([]int32, len(fs.hashes))
	for id, h := range fs.hashes {
		r, ok := index[h]
		if !ok {
			r = -1
		}
		remap[id] = r
	}
	for i := range exs {
		tf := &exs[i].feats
		ids, off := tf.ids, tf.off
		out := ids[:0]
		newOff := make([]int32, len(off))
		for t := 0; t+1 < len(off); t++ {
			for _, id := range ids[off[t]:off[t+1]] {
				if r := remap[id]; r >= 0 {
					out = append(out, r)
				}
			}
			newOff[t+1] = int32(len(out))
		}
		tf.ids, tf.off = out, newOff
	}
	*fs = featureSpace{}
	return index
}

// perceptron trains t's weights on exs for opt.Epochs epochs, visiting the sentences in an
// order drawn from seed, and returns the averaged model (Collins 2002). With report set it
// scores opt.Dev after each epoch.
func perceptron(t *tagger, exs []example, index map[uint32]int32, opt TrainOptions, seed uint64, report bool) *tagger {
	L := len(t.labels)
	// Averaged perceptron with the lazy-sum trick: alongside each weight w keep u, the sum of
	// its updates each multiplied by the step they happened at; the average is w - u/c.
	w := make([]float32, len(index)*L)
	u := make([]float32, len(w))
	tw := make([]float32, len(t.trans))
	tu := make([]float32, len(t.trans))
	c := float32(1)
	update := func(ws, us []float32, k int, d float32) {
		ws[k] += d
		us[k] += c * d
	}
	avg := func(ws, us []float32) []float32 {
		out := make([]float32, len(ws))
		for k := range ws {
			out[k] = ws[k] - us[k]/c
		}
		return out
	}
	average := func() *tagger {
		a := *t
		a.rows, a.w = index, avg(w, u)
		a.trans = avg(tw, tu)
		return &a
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d697a616e))
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	var s scratch
	cur := *t
	cur.trans = tw
	epochs := max(1, opt.Epochs)
	for epoch := 1; epoch <= epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, n := range order {
			ex := &exs[n]
			T := len(ex.gold)
			s.emit = grow(s.emit, T*L)
			clear(s.emit)
			for i := range T {
				e := s.emit[i*L : i*L+L]
				for _, f := range ex.feats.at(i) {
					for y, v := range w[int(f)*L : int(f)*L+L] {
						e[y] += v
					}
				}
			}
			pred := cur.viterbi(&s, s.emit, T)
			for i := range T {
				g, p := ex.gold[i], pred[i]
				if g != p {
					for _, f := range ex.feats.at(i) {
						update(w, u, int(f)*L+g, 1)
						update(w, u, int(f)*L+p, -1)
					}
				}
				gp, pp := 0, 0 // previous labels, +1 (0 is the start)
				if i > 0 {
					gp, pp = ex.gold[i-1]+1, pred[i-1]+1
				}
				if g != p || gp != pp {
					update(tw, tu, gp*L+g, 1)
					update(tw, tu, pp*L+p, -1)
				}
			}
			c++
		}
		if report && opt.Progress != nil && len(opt.Dev) > 0 {
			m := &Model{taggers: map[string]*tagger{t.lang: average()}}
			opt.Progress(epoch, Evaluate(m, opt.Dev, t.lang))
		}
	}

	return average()
}

// elisionExamples makes the extra sentences of TrainOptions.ElisionExamples.
func elisionExamples(sents []Sentence) []Sentence {
	var out []Sentence
	n := 0
	for _, s := range sents {
		for i := 1; i < len(s.Words); i++ {
			w, prev := s.Words[i], s.Words[i-1]
			if !strings.HasPrefix(s.Labels[i], "B-") || !startsWithVowel(w) || !isLowerWord(prev) ||
				strings.ContainsAny(w, "'’") {
				continue
			}
			// Alternate the article, as both are common: "l'Algérie", "d'Algérie".
			art := "l'"
			if n%2 == 1 {
				art = "d'"
			}
			n++
			c := Sentence{Words: slices.Clone(s.Words), Labels: s.Labels}
			c.Words[i] = art + w
			out = append(out, c)
		}
	}
	return out
}

func startsWithVowel(w string) bool {
	for _, r := range w {
		return strings.ContainsRune("AEIOUYÉÈÊÂÎÔHaeiouyéèêâîôh", r) && unicode.IsUpper(r)
	}
	return false
}

func isLowerWord(w string) bool {
	for _, r := range w {
		return unicode.IsLower(r)
	}
	return false
}

// labelSet returns "O" and the B-/I- labels of every entity type in sents, sorted by type.
func labelSet(sents []Sentence) ([]string, error) {
	types := map[string]bool{}
	for i, s := range sents {
		if len(s.Words) != len(s.Labels) {
			return nil, mizan.Errorf(mizan.EINVALID, "ner: sentence %d has %d words and %d labels", i, len(s.Words), len(s.Labels))
		}
		for _, l := range s.Labels {
			if l == "O" {
				continue
			}
			if _, ok := parseTag(l); !ok || l[1] != '-' {
				return nil, mizan.Errorf(mizan.EINVALID, "ner: sentence %d: label %q is not O, B-TYPE or I-TYPE", i, l)
			}
			types[l[2:]] = true
		}
	}
	if len(types) == 0 {
		return nil, mizan.Errorf(mizan.EINVALID, "ner: the training sentences contain no entity")
	}
	names := make([]string, 0, len(types))
	for ty := range types {
		names = append(names, ty)
	}
	sort.Strings(names)
	labels := []string{"O"}
	for _, ty := range names {
		labels = append(labels, "B-"+ty, "I-"+ty)
	}
	return labels, nil
}

// prune keeps the maxRows rows with the largest absolute weight and drops the rest, together
// with rows that are all zero.
func (t *tagger) prune(maxRows int) {
	L := len(t.labels)
	type row struct {
		hash uint32
		r    int32
		mag  float32
	}
	rows := make([]row, 0, len(t.rows))
	for h, r := range t.rows {
		var mag float32
		for _, v := range t.w[int(r)*L : int(r)*L+L] {
			mag = max(mag, float32(math.Abs(float64(v))))
		}
		if mag > 0 {
			rows = append(rows, row{h, r, mag})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].mag != rows[j].mag {
			return rows[i].mag > rows[j].mag
		}
		return rows[i].hash < rows[j].hash
	})
	if maxRows > 0 && len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].hash < rows[j].hash })
	newRows := make(map[uint32]int32, len(rows))
	w := make([]float32, len(rows)*L)
	for i, r := range rows {
		newRows[r.hash] = int32(i)
		copy(w[i*L:i*L+L], t.w[int(r.r)*L:int(r.r)*L+L])
	}
	t.rows, t.w = newRows, w
}

// quantStep is the weight resolution of a model file: weights are stored as multiples of
// maxAbs/quantLevels. quantize snaps the in-memory weights to that grid, so that a freshly
// trained model scores exactly as the file it is written to.
const quantLevels = 127

func (t *tagger) quantStep() float32 {
	var m float32
	for _, v := range t.w {
		m = max(m, float32(math.Abs(float64(v))))
	}
	if m == 0 {
		return 1
	}
	return m / quantLevels
}

func (t *tagger) quantize() {
	step := t.quantStep()
	for i, v := range t.w {
		t.w[i] = float32(math.Round(float64(v/step))) * step
	}
}

// fitOutsideBias picks the bias against "O" that gives the best F1 (PER+ORG+LOC) on dev.
func fitOutsideBias(t *tagger, dev []Sentence) float32 {
	m := &Model{taggers: map[string]*tagger{t.lang: t}}
	best, bestF1 := float32(0), -1.0
	for _, b := range []float32{0, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8} {
		t.oBias = b
		if f := Evaluate(m, dev, t.lang).Row("all").F1(); f > bestF1+1e-4 {
			best, bestF1 = b, f
		}
	}
	t.oBias = best
	return best
}

// fitTemperature picks the softmax temperature that minimises the negative log-likelihood of
// the gold labels of dev under the model's posteriors, so that entity scores behave like
// probabilities.
func fitTemperature(t *tagger, dev []Sentence) float64 {
	labelID := map[string]int{}
	for i, l := range t.labels {
		labelID[l] = i
	}
	var s scratch
	nll := func(temp float64) float64 {
		t.temp = temp
		total := 0.0
		for _, sent := range dev {
			gold := make([]int, len(sent.Words))
			known := true
			for i, l := range sent.Labels {
				id, ok := labelID[l]
				if !ok {
					known = false
					break
				}
				gold[i] = id
			}
			if !known || len(gold) == 0 {
				continue
			}
			emit := t.emissions(&s, sent.Words, false)
			for _, p := range t.posteriors(&s, emit, gold) {
				total -= math.Log(max(p, 1e-12))
			}
		}
		return total
	}
	best, bestNLL := 1.0, math.Inf(1)
	for temp := 0.25; temp <= 256; temp *= math.Sqrt2 {
		if v := nll(temp); v < bestNLL {
			best, bestNLL = temp, v
		}
	}
	t.temp = best
	return best
}

// String summarises the options for logs.
func (o TrainOptions) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "epochs=%d seed=%d min-count=%d max-features=%d clusters=%v/min%d/it%d gazetteer=%s",
		o.Epochs, o.Seed, o.MinFeatureCount, o.MaxFeatures, o.Clusters.Classes, o.Clusters.MinCount, o.Clusters.Iterations, strings.Join(o.Gazetteer, ","))
	return b.String()
}
