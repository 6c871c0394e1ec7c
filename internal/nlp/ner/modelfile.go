package ner

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"sort"
)

// Model file layout, inside gzip:
//
//	magic "mizan-ner\x01"
//	uvarint n, then n bytes of JSON header (fileHeader)
//	rows    feature hashes, ascending, as uvarint deltas
//	weights label by label, row by row: zigzag varint of weight/step
//	words   cluster table, words ascending: uvarint length, bytes, one uvarint class per
//	        granularity
//
// Sorted hashes compress to about two bytes each, and label-major weights, mostly zero or
// small, to about one; gzip does the rest.

const magic = "mizan-ner\x01"

type fileHeader struct {
	Lang   string    `json:"lang"`
	Labels []string  `json:"labels"`
	Temp   float64   `json:"temp"`
	OBias  float32   `json:"o_bias"`
	Step   float32   `json:"step"`
	Rows   int       `json:"rows"`
	Trans  []float32 `json:"trans"`
	Words  int       `json:"words"`
	Info   Info      `json:"info"`
}

// Bounds on what readTagger accepts.
const (
	maxLabels  = 33 // O and B-/I- of 16 types
	maxRows    = 1 << 22
	maxWeights = 1 << 24 // rows × labels: 64 MiB of weights, five times the largest model
	maxWords   = 1 << 22
	maxHeader  = 1 << 20
)

func (t *tagger) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	step := t.quantStep()
	hashes := make([]uint32, 0, len(t.rows))
	for h := range t.rows {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	var words []string
	if t.clusters != nil {
		for w := range t.clusters.words {
			words = append(words, w)
		}
		sort.Strings(words)
	}
	hdr := fileHeader{Lang: t.lang, Labels: t.labels, Temp: t.temp, OBias: t.oBias, Step: step, Rows: len(hashes),
		Trans: t.trans, Words: len(words), Info: t.info}
	js, err := json.Marshal(hdr)
	if err != nil {
		return fmt.Errorf("encode model header: %w", err)
	}
	var buf [binary.MaxVarintLen64]byte
	putU := func(v uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	putI := func(v int64) { bw.Write(buf[:binary.PutVarint(buf[:], v)]) }
	bw.WriteString(magic)
	putU(uint64(len(js)))
	bw.Write(js)
	prev := uint32(0)
	for _, h := range hashes {
		putU(uint64(h - prev))
		prev = h
	}
	L := len(t.labels)
	for y := range L {
		for _, h := range hashes {
			r := int(t.rows[h])
			putI(int64(math.Round(float64(t.w[r*L+y] / step))))
		}
	}
	for _, w := range words {
		putU(uint64(len(w)))
		bw.WriteString(w)
		for _, c := range t.clusters.words[w] {
			putU(uint64(c))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

// readTagger decodes a gzip-compressed model file.
func readTagger(r io.Reader) (*tagger, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	br := bufio.NewReader(zr)
	var m [len(magic)]byte
	if _, err := io.ReadFull(br, m[:]); err != nil || string(m[:]) != magic {
		return nil, errors.New("not a mizan ner model")
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || n > maxHeader {
		return nil, errors.New("bad model header")
	}
	js := make([]byte, n)
	if _, err := io.ReadFull(br, js); err != nil {
		return nil, fmt.Errorf("read model header: %w", err)
	}
	var hdr fileHeader
	if err := json.Unmarshal(js, &hdr); err != nil {
		return nil, fmt.Errorf("decode model header: %w", err)
	}
	L := len(hdr.Labels)
	if L == 0 || L > maxLabels || hdr.Labels[0] != "O" || hdr.Rows < 0 || hdr.Rows > maxRows || hdr.Rows*L > maxWeights ||
		hdr.Words < 0 || hdr.Words > maxWords || len(hdr.Trans) != (L+1)*L || hdr.Temp <= 0 {
		return nil, errors.New("inconsistent model header")
	}
	for _, l := range hdr.Labels[1:] {
		if _, ok := parseTag(l); !ok {
			return nil, fmt.Errorf("bad label %q in model", l)
		}
	}
	t := newTagger(hdr.Lang, hdr.Labels)
	t.trans, t.temp, t.oBias, t.info = hdr.Trans, hdr.Temp, hdr.OBias, hdr.Info
	if hdr.Info.Gazetteer != "" {
		// The gazetteer is compiled and kept once per language: a file must not make it
		// compile one for any string.
		if !validLang(hdr.Lang) {
			return nil, fmt.Errorf("bad model language %q", clip(hdr.Lang))
		}
		if t.gaz, err = defaultGazetteer(hdr.Lang); err != nil {
			return nil, err
		}
		if t.gaz.hash != hdr.Info.Gazetteer {
			// The features are hints: a model next to a KB whose names changed still tags, a
			// little less well on the names that changed. Retraining brings them back in line.
			slog.Warn("ner: the knowledge base differs from the one the model was trained with; retrain the model",
				"lang", hdr.Lang, "model_gazetteer", hdr.Info.Gazetteer, "kb_gazetteer", t.gaz.hash)
		}
	}
	// Size hints are capped: the header is not trusted until the data behind it has been read.
	t.rows = make(map[uint32]int32, min(hdr.Rows, 1<<16))
	h := uint64(0)
	for i := range hdr.Rows {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("read feature %d: %w", i, err)
		}
		h += d
		if h > math.MaxUint32 || (i > 0 && d == 0) {
			return nil, errors.New("feature hashes out of range or order")
		}
		t.rows[uint32(h)] = int32(i)
	}
	t.w = make([]float32, hdr.Rows*L)
	for y := range L {
		for i := range hdr.Rows {
			q, err := binary.ReadVarint(br)
			if err != nil {
				return nil, fmt.Errorf("read weights: %w", err)
			}
			t.w[i*L+y] = float32(q) * hdr.Step
		}
	}
	if hdr.Words > 0 {
		t.clusters = &clusterTable{words: make(map[string][numGranularities]uint16, min(hdr.Words, 1<<16))}
		for range hdr.Words {
			n, err := binary.ReadUvarint(br)
			if err != nil || n > 1024 {
				return nil, errors.New("bad cluster word")
			}
			b := make([]byte, n)
			if _, err := io.ReadFull(br, b); err != nil {
				return nil, fmt.Errorf("read cluster word: %w", err)
			}
			var ids [numGranularities]uint16
			for g := range ids {
				c, err := binary.ReadUvarint(br)
				if err != nil || c > math.MaxUint16 {
					return nil, errors.New("bad cluster id")
				}
				ids[g] = uint16(c)
			}
			t.clusters.words[string(b)] = ids
		}
	}
	return t, nil
}

// validLang reports whether lang looks like an ISO 639 code: two or three ASCII letters.
func validLang(lang string) bool {
	if len(lang) < 2 || len(lang) > 3 {
		return false
	}
	for i := 0; i < len(lang); i++ {
		if c := lang[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
