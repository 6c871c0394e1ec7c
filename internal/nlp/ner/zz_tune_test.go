package ner

// Temporary tuning harness (deleted before hand-off).

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/mizan-osint/mizan/internal/evalkit"
)

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return v
	}
	return def
}

func TestZZTune(t *testing.T) {
	lang := os.Getenv("NER_TUNE")
	if lang == "" {
		t.Skip("NER_TUNE not set")
	}
	dir := sharedData(t)
	paths := map[string][3]string{
		"ar": {"ner/ar/anercorp-train.txt", "ner/ar/anercorp-dev.txt", "anercorp"},
		"en": {"ner/en/wikiann/train.txt", "ner/en/wikiann/dev.txt", "wikiann"},
		"fr": {"ner/fr/wikiann/train.txt", "ner/fr/wikiann/dev.txt", "wikiann"},
	}[lang]
	epochs := map[string]int{"ar": 20, "en": 12, "fr": 12}[lang]
	train := readShared(t, dir, paths[0], paths[2])
	dev := readShared(t, dir, paths[1], paths[2])
	opt := DefaultTrainOptions()
	opt.Epochs = envInt("NER_EPOCHS", epochs)
	opt.Bags = envInt("NER_BAGS", 1)
	gx := envInt("NER_GAZ", 7)
	opt.Gazetteer = gx >= 0
	opt.Dev = dev
	start := time.Now()
	opt.Progress = func(epoch int, r *evalkit.Report) {
		all := r.Row("all")
		fmt.Printf("%s epoch %2d dev P %.4f R %.4f F1 %.4f (%s)\n", lang, epoch, all.Precision(), all.Recall(), all.F1(), time.Since(start).Round(time.Second))
	}
	m, err := Train(lang, train, opt)
	if err != nil {
		t.Fatal(err)
	}
	info := m.Info(lang)
	rep := Evaluate(m, dev, lang)
	rep.Title = fmt.Sprintf("%s dev gaz=%d bags=%d epochs=%d rows=%d bias=%.1f temp=%.1f hash=%s", lang, gx, opt.Bags, opt.Epochs, info.Features, info.Options.OutsideBias, info.Options.Temperature, info.Gazetteer)
	fmt.Println(rep.String())
	fmt.Println("time", time.Since(start).Round(time.Second))
	if out := os.Getenv("NER_SAVE"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Write(f, lang); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}
