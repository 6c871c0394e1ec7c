package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mizan-osint/mizan/internal/nlp/ner"
)

// wikiann is a tiny English corpus in WikiANN's format, written for this test.
const wikiann = `en:Foreign	O
en:Minister	O
en:Sergei	B-PER
en:Lavrov	I-PER
en:met	O
en:Abdelmadjid	B-PER
en:Tebboune	I-PER
en:in	O
en:Algiers	B-LOC
en:.	O

en:The	O
en:African	B-ORG
en:Union	I-ORG
en:met	O
en:in	O
en:Addis	B-LOC
en:Ababa	I-LOC
en:.	O
`

// writeData lays out a shared-data directory with the English corpus as train, dev and test.
func writeData(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	sub := filepath.Join(dir, "ner", "en", "wikiann")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		tb.Fatal(err)
	}
	for _, split := range []string{"train", "dev", "test"} {
		if err := os.WriteFile(filepath.Join(sub, split+".txt"), []byte(wikiann), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// run runs the command with args and returns its output and the model file it wrote.
func run(tb testing.TB, args ...string) (string, []byte) {
	tb.Helper()
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out}
	if err := m.ParseFlags(args); err != nil {
		tb.Fatalf("ParseFlags(%q): %v\n%s", args, err, out.String())
	}
	if err := m.Run(); err != nil {
		tb.Fatalf("Run: %v\n%s", err, out.String())
	}
	model, err := os.ReadFile(filepath.Join(m.OutDir, "en.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	return out.String(), model
}

func TestTrainCommand(t *testing.T) {
	data := writeData(t)
	args := func(out string) []string {
		return []string{"-data", data, "-out", out, "-lang", "en", "-epochs", "4", "-bags", "1", "-test"}
	}
	out, model := run(t, args(t.TempDir())...)
	for _, want := range []string{"en epoch  4", "en dev", "en TEST"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	m, err := ner.Load(bytes.NewReader(model))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	info := m.Info("en")
	if !strings.Contains(info.Data, "train+dev") || info.DevF1["all"] == "" || info.Options.Epochs != 4 {
		t.Errorf("got info %+v, want train+dev data, dev scores and 4 epochs", info)
	}
	// The same data, flags and seed write the same file.
	if _, again := run(t, args(t.TempDir())...); !bytes.Equal(model, again) {
		t.Error("two runs wrote different model files, want identical")
	}
}

func TestTrainCommandErrors(t *testing.T) {
	data := writeData(t)
	for _, args := range [][]string{
		{"-data", data, "-out", t.TempDir(), "-lang", "de"},                           // no corpus
		{"-data", filepath.Join(data, "missing"), "-out", t.TempDir(), "-lang", "en"}, // no data
	} {
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: &out}
		if err := m.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		if err := m.Run(); err == nil {
			t.Errorf("Run(%q): got no error, want one", args)
		}
	}
	m := &Main{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
	if err := m.ParseFlags([]string{"-no-such-flag"}); err == nil {
		t.Error("ParseFlags(-no-such-flag): got no error, want one")
	}
}
