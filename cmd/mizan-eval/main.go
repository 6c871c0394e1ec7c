// Command mizan-eval prints every accuracy score of mizan in one report: the project's own
// evaluation sets (written for the project, under each package's testdata/eval) and, when the
// public data sets are present next to the repository (../shared/data), the scores on their
// test splits. It is what `make eval` runs, from the repository root.
//
//	go run ./cmd/mizan-eval [-data ../shared/data] [-only extract,ner]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
)

// An evaluation produces reports, or says why it was skipped.
type evaluation struct {
	name string
	run  func(data string) ([]*evalkit.Report, error)
}

// evaluations lists every scorer; each file of this command adds its own in init.
var evaluations []evaluation

func register(name string, run func(data string) ([]*evalkit.Report, error)) {
	evaluations = append(evaluations, evaluation{name, run})
}

// defaultEntityStage is the entity stage over the embedded knowledge base and tagger, as the
// pipeline builds it for a store without imports, with that knowledge base.
func defaultEntityStage() (*kb.KB, *entity.Stage, error) {
	k, err := kb.Default()
	if err != nil {
		return nil, nil, err
	}
	m, err := ner.Default()
	if err != nil {
		return nil, nil, err
	}
	st, err := entity.New(k, m, entity.DefaultConfig())
	return k, st, err
}

// errSkip marks an evaluation whose data is absent.
type errSkip string

func (e errSkip) Error() string { return string(e) }

// needData returns the path of a public data set, or an errSkip when it is absent.
func needData(data string, rel ...string) (string, error) {
	p := filepath.Join(append([]string{data}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		return "", errSkip("public data not found at " + p)
	}
	return p, nil
}

func main() {
	data := flag.String("data", "../shared/data", "directory of the public data sets")
	only := flag.String("only", "", "comma-separated evaluations to run (default: all)")
	flag.Parse()
	want := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n != "" {
			want[n] = true
		}
	}
	failed := false
	for _, e := range evaluations {
		if len(want) > 0 && !want[e.name] {
			continue
		}
		start := time.Now()
		reports, err := e.run(*data)
		if _, skip := err.(errSkip); skip {
			fmt.Printf("== %s: skipped (%v)\n\n", e.name, err)
			continue
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "mizan-eval: %s: %v\n", e.name, err)
			failed = true
			continue
		}
		fmt.Printf("== %s (%s)\n", e.name, time.Since(start).Round(time.Millisecond))
		for _, r := range reports {
			r.Write(os.Stdout)
			fmt.Println()
		}
	}
	if failed {
		os.Exit(1)
	}
}
