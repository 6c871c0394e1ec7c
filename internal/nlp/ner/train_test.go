package ner

import (
	"bytes"
	"compress/gzip"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan"
)

// smallOptions trains fast on the tiny fixtures.
func smallOptions() TrainOptions {
	opt := DefaultTrainOptions()
	opt.Epochs = 8
	opt.Bags = 2
	opt.Clusters = ClusterOptions{Classes: [numGranularities]int{2, 4, 8}, MinCount: 1, Iterations: 5}
	return opt
}

// trainFixture trains an English model on mini.wikiann and mini.conll.
func trainFixture(tb testing.TB, opt TrainOptions) (*Model, []Sentence) {
	tb.Helper()
	sents := append(readFixture(tb, "mini.wikiann", "wikiann"), readFixture(tb, "mini.conll", "conll")...)
	m, err := Train("en", sents, opt)
	if err != nil {
		tb.Fatalf("Train: %v", err)
	}
	return m, sents
}

func TestTrainLearnsItsData(t *testing.T) {
	m, sents := trainFixture(t, smallOptions())
	for _, s := range sents {
		if got := m.Tag(s.Tokens(), "en"); !reflect.DeepEqual(got, s.Labels) {
			t.Errorf("Tag(%q) = %q, want the training labels %q", s.Words, got, s.Labels)
		}
	}
	ar := readFixture(t, "mini.anercorp", "anercorp")
	ma, err := Train("ar", ar, smallOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ar {
		if got := ma.Tag(s.Tokens(), "ar"); !reflect.DeepEqual(got, s.Labels) {
			t.Errorf("Tag(%q) = %q, want the training labels %q", s.Words, got, s.Labels)
		}
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	write := func() []byte {
		m, _ := trainFixture(t, smallOptions())
		var b bytes.Buffer
		if err := m.Write(&b, "en"); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if a, b := write(), write(); !bytes.Equal(a, b) {
		t.Errorf("two trainings with one seed wrote different files (%d and %d bytes)", len(a), len(b))
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	opt := smallOptions()
	opt.Dev = readFixture(t, "mini.conll", "conll") // fits the temperature and the O bias
	m, sents := trainFixture(t, opt)
	var b bytes.Buffer
	if err := m.Write(&b, "en"); err != nil {
		t.Fatal(err)
	}
	l, err := Load(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := l.Info("en"), m.Info("en"); !reflect.DeepEqual(got, want) {
		t.Errorf("got info %+v, want %+v", got, want)
	}
	if got, want := l.Labels("en"), m.Labels("en"); !reflect.DeepEqual(got, want) {
		t.Errorf("got labels %q, want %q", got, want)
	}
	for _, s := range sents {
		text := strings.Join(s.Words, " ")
		if got, want := l.Entities(text, "en"), m.Entities(text, "en"); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: loaded model found %v, trained one %v", text, got, want)
		}
	}
	if err := m.Write(&b, "fr"); mizan.ErrorCode(err) != mizan.ENOTFOUND {
		t.Errorf("Write(fr) of an English model: got %v, want %s", err, mizan.ENOTFOUND)
	}
}

func TestMerge(t *testing.T) {
	en, _ := trainFixture(t, smallOptions())
	ar, err := Train("ar", readFixture(t, "mini.anercorp", "anercorp"), smallOptions())
	if err != nil {
		t.Fatal(err)
	}
	var m Model
	m.Merge(en)
	m.Merge(ar)
	if got, want := m.Languages(), []string{"ar", "en"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got languages %v, want %v", got, want)
	}
	info := m.Info("ar")
	info.Data = "fixture"
	m.SetInfo("ar", info)
	if got := m.Info("ar").Data; got != "fixture" {
		t.Errorf("got data %q after SetInfo, want %q", got, "fixture")
	}
}

func TestTrainErrors(t *testing.T) {
	tests := []struct {
		name  string
		sents []Sentence
	}{
		{"no sentences", nil},
		{"no entities", []Sentence{{Words: []string{"nothing", "here"}, Labels: []string{"O", "O"}}}},
		{"lengths differ", []Sentence{{Words: []string{"Algiers"}, Labels: []string{"B-LOC", "O"}}}},
		{"bad label", []Sentence{{Words: []string{"Algiers"}, Labels: []string{"LOC"}}}},
	}
	for _, tt := range tests {
		_, err := Train("en", tt.sents, smallOptions())
		if code := mizan.ErrorCode(err); code != mizan.EINVALID {
			t.Errorf("%s: got error %v (code %q), want %s", tt.name, err, code, mizan.EINVALID)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not gzip", []byte("hello")},
		{"gzip of something else", gzipBytes(t, []byte("mizan-nerd"))},
		{"truncated", func() []byte {
			m, _ := trainFixture(t, smallOptions())
			var b bytes.Buffer
			m.Write(&b, "en")
			return b.Bytes()[:b.Len()/2]
		}()},
		{"gazetteer for a made-up language", func() []byte {
			m := trainGazFixture(t)
			m.taggers["ar"].lang = "../../etc"
			var b bytes.Buffer
			m.Write(&b, "ar")
			return b.Bytes()
		}()},
	}
	for _, tt := range tests {
		_, err := Load(bytes.NewReader(tt.data))
		var e *mizan.Error
		if !errors.As(err, &e) || e.Code != mizan.EINVALID {
			t.Errorf("%s: got error %v, want a *mizan.Error %s", tt.name, err, mizan.EINVALID)
		}
	}
}

func TestElisionExamples(t *testing.T) {
	sents := []Sentence{
		{Words: strings.Fields("visite en Algérie et Italie"), Labels: strings.Fields("O O B-LOC O B-LOC")},
		{Words: strings.Fields("Algérie seule"), Labels: strings.Fields("B-LOC O")}, // first word: no
		{Words: strings.Fields("vers Paris"), Labels: strings.Fields("O B-LOC")},    // consonant: no
	}
	got := elisionExamples(sents)
	want := []Sentence{
		{Words: strings.Fields("visite en l'Algérie et Italie"), Labels: sents[0].Labels},
		{Words: strings.Fields("visite en Algérie et d'Italie"), Labels: sents[0].Labels},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if sents[0].Words[2] != "Algérie" {
		t.Errorf("got %q, want the original sentence unchanged", sents[0].Words)
	}
}

func TestInduceClusters(t *testing.T) {
	// "paris" and "rome" share every context, as do "ate" and "drank"; the two pairs none.
	var corpus [][]string
	for range 20 {
		for _, city := range []string{"paris", "rome"} {
			corpus = append(corpus, []string{"flew", "to", city, "today"})
		}
		for _, verb := range []string{"ate", "drank"} {
			corpus = append(corpus, []string{"she", verb, "it", "slowly"})
		}
	}
	ct := induceClusters(corpus, ClusterOptions{Classes: [numGranularities]int{3, 4, 6}, MinCount: 2, Iterations: 10})
	paris, rome, ate := ct.lookup("paris"), ct.lookup("rome"), ct.lookup("ate")
	if paris[2] == "" || paris != rome {
		t.Errorf("got paris in %v and rome in %v, want one class", paris, rome)
	}
	if ate != ct.lookup("drank") {
		t.Errorf("got ate in %v and drank in %v, want one class", ate, ct.lookup("drank"))
	}
	if paris[2] == ate[2] {
		t.Errorf("got paris and ate both in class %v at the finest granularity, want different", paris[2])
	}
	if got := ct.lookup("unseen"); got != [numGranularities]string{} {
		t.Errorf("got %v for an unseen word, want no class", got)
	}
}

func FuzzLoad(f *testing.F) {
	// A tiny model: the fuzzer minimises what it finds, and a big seed takes it minutes.
	opt := smallOptions()
	opt.MaxFeatures = 40
	opt.Clusters = ClusterOptions{}
	m, _ := trainFixture(f, opt)
	var b bytes.Buffer
	if err := m.Write(&b, "en"); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	ar, err := Train("ar", readFixture(f, "mini.anercorp", "anercorp"), opt) // reads the gazetteer
	if err != nil {
		f.Fatal(err)
	}
	b.Reset()
	if err := ar.Write(&b, "ar"); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(gzipBytes(f, []byte(magic+"\x02{}")))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Load(bytes.NewReader(data))
		if err != nil {
			var e *mizan.Error
			if !errors.As(err, &e) {
				t.Fatalf("got error %v of type %T, want a *mizan.Error", err, err)
			}
			return
		}
		// Whatever loaded must tag without panicking.
		for _, lang := range l.Languages() {
			l.Entities("Vladimir Putin visited Algiers .", lang)
		}
	})
}

func gzipBytes(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
