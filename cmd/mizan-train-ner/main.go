// Command mizan-train-ner trains the named-entity models embedded in internal/nlp/ner, one
// gzip file per language, from the public corpora in the shared data directory (ANERcorp for
// Arabic, WikiANN for English and French). The embedded models were made with
//
//	go run ./cmd/mizan-train-ner -data ../shared/data -out internal/nlp/ner/models
//
// run from the repository root; the same data, flags and seed give the same files byte for
// byte (about two minutes on two cores, 430 MB of memory). For each language it trains on the
// train split while scoring the dev split after every epoch, fits the bias against "O" and the
// confidence temperature on dev, then (unless -no-dev) trains again on train+dev with the same
// settings and those two values, and writes that model. With -test it finally scores the
// written model on the test split, which is never used for training or tuning. Hyper-parameters
// and scores are in internal/nlp/ner/MODEL.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
)

// corpus says where one language's splits are and how they are written.
type corpus struct {
	format           string
	train, dev, test string
	epochs           int // tuned on dev; see internal/nlp/ner/MODEL.md
	data             string
}

var corpora = map[string]corpus{
	"ar": {format: "anercorp", train: "ner/ar/anercorp-train.txt", dev: "ner/ar/anercorp-dev.txt", test: "ner/ar/anercorp-test.txt",
		epochs: 20, data: "ANERcorp (Benajiba 2007), ITE-5th/arabic-ner split"},
	"en": {format: "wikiann", train: "ner/en/wikiann/train.txt", dev: "ner/en/wikiann/dev.txt", test: "ner/en/wikiann/test.txt",
		epochs: 12, data: "WikiANN English (Pan et al. 2017), Rahimi et al. 2019 split"},
	"fr": {format: "wikiann", train: "ner/fr/wikiann/train.txt", dev: "ner/fr/wikiann/dev.txt", test: "ner/fr/wikiann/test.txt",
		epochs: 12, data: "WikiANN French (Pan et al. 2017), Rahimi et al. 2019 split"},
}

// Main is the command: its flags (see ParseFlags) and its output streams.
type Main struct {
	DataDir     string
	OutDir      string
	Langs       string
	Epochs      int
	Seed        uint64
	MaxFeatures int
	NoClusters  bool
	NoDev       bool
	Test        bool
	TrainLimit  int
	MinCount    int
	Bags        int
	Stdout      io.Writer
	Stderr      io.Writer
}

func main() {
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr}
	if err := m.ParseFlags(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	if err := m.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "mizan-train-ner:", err)
		os.Exit(1)
	}
}

// ParseFlags reads the command line into m.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("mizan-train-ner", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	def := ner.DefaultTrainOptions()
	fs.StringVar(&m.DataDir, "data", "../shared/data", "shared data directory (holds ner/ar, ner/en, ner/fr)")
	fs.StringVar(&m.OutDir, "out", "internal/nlp/ner/models", "directory to write LANG.gz model files to")
	fs.StringVar(&m.Langs, "lang", "ar,en,fr", "comma-separated languages to train")
	fs.IntVar(&m.Epochs, "epochs", 0, "perceptron epochs; 0 uses each language's tuned count")
	fs.Uint64Var(&m.Seed, "seed", def.Seed, "seed for the order sentences are visited in")
	fs.IntVar(&m.MaxFeatures, "max-features", def.MaxFeatures, "weight rows kept per language (bounds the file size)")
	fs.BoolVar(&m.NoClusters, "no-clusters", false, "train without induced word clusters")
	fs.BoolVar(&m.NoDev, "no-dev", false, "write the model trained on train only, instead of train+dev")
	fs.BoolVar(&m.Test, "test", false, "score the written models on the test split")
	fs.IntVar(&m.Bags, "bags", def.Bags, "perceptrons (different sentence orders) averaged into one model")
	fs.IntVar(&m.MinCount, "min-count", def.MinFeatureCount, "drop features seen fewer times in training")
	fs.IntVar(&m.TrainLimit, "train-limit", 0, "use only the first N training sentences (learning curves); 0 uses all")
	return fs.Parse(args)
}

// Run trains, writes and optionally tests each language's model.
func (m *Main) Run() error {
	if err := os.MkdirAll(m.OutDir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	for _, lang := range strings.Split(m.Langs, ",") {
		lang = strings.TrimSpace(lang)
		c, ok := corpora[lang]
		if !ok {
			return fmt.Errorf("no corpus for language %q", lang)
		}
		if err := m.trainLang(lang, c); err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
	}
	return nil
}

func (m *Main) read(path, format string) ([]ner.Sentence, error) {
	f, err := os.Open(filepath.Join(m.DataDir, path))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ner.ReadCoNLL(f, format)
}

func (m *Main) trainLang(lang string, c corpus) error {
	train, err := m.read(c.train, c.format)
	if err != nil {
		return err
	}
	dev, err := m.read(c.dev, c.format)
	if err != nil {
		return err
	}
	if m.TrainLimit > 0 && m.TrainLimit < len(train) {
		train = train[:m.TrainLimit]
	}
	opt := ner.DefaultTrainOptions()
	opt.Epochs = c.epochs
	if m.Epochs > 0 {
		opt.Epochs = m.Epochs
	}
	opt.Seed = m.Seed
	opt.MaxFeatures = m.MaxFeatures
	opt.MinFeatureCount = m.MinCount
	opt.Bags = m.Bags
	if m.NoClusters {
		opt.Clusters.Classes = [3]int{}
	}
	opt.Dev = dev
	var last *evalkit.Report
	start := time.Now()
	opt.Progress = func(epoch int, r *evalkit.Report) {
		last = r
		all := r.Row("all")
		fmt.Fprintf(m.Stdout, "%s epoch %2d  dev P %.3f R %.3f F1 %.3f  (%s)\n", lang, epoch,
			all.Precision(), all.Recall(), all.F1(), time.Since(start).Round(time.Second))
	}
	fmt.Fprintf(m.Stdout, "%s: %d train, %d dev sentences; %s\n", lang, len(train), len(dev), opt)
	model, err := ner.Train(lang, train, opt)
	if err != nil {
		return err
	}
	info := model.Info(lang)
	fmt.Fprintf(m.Stdout, "%s: %d features after pruning, O bias %.1f, temperature %.2f\n", lang,
		info.Features, info.Options.OutsideBias, info.Options.Temperature)
	if last != nil {
		last.Title = lang + " dev (model trained on train, pruned, quantised)"
		pruned := ner.Evaluate(model, dev, lang)
		pruned.Title = last.Title
		pruned.Write(m.Stdout)
		last = pruned
	}
	data := c.data + "; trained on train"
	if !m.NoDev {
		// Dev is in the training data now: keep the values fitted on it while it was held out.
		opt.Temperature = info.Options.Temperature
		opt.OutsideBias = info.Options.OutsideBias
		opt.Dev, opt.Progress = nil, nil
		all := append(append([]ner.Sentence(nil), train...), dev...)
		if model, err = ner.Train(lang, all, opt); err != nil {
			return err
		}
		data = c.data + "; trained on train+dev"
	}
	info = model.Info(lang)
	info.Data = data
	if last != nil {
		info.DevF1 = map[string]string{}
		for _, row := range last.Rows {
			info.DevF1[row.Label] = fmt.Sprintf("%.3f", row.F1())
		}
	}
	model.SetInfo(lang, info)
	path := filepath.Join(m.OutDir, lang+".gz")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := model.Write(f, lang); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s: wrote %s (%d bytes) after %s\n", lang, path, st.Size(), time.Since(start).Round(time.Second))
	if m.Test {
		test, err := m.read(c.test, c.format)
		if err != nil {
			return err
		}
		r := ner.Evaluate(model, test, lang)
		r.Title = lang + " TEST (written model)"
		r.Write(m.Stdout)
	}
	return nil
}
