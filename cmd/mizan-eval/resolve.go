package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/resolve"
	"github.com/mizan-osint/mizan/internal/sqlite"
)

func init() {
	register("resolve", func(string) ([]*evalkit.Report, error) {
		f, err := os.Open("internal/resolve/testdata/clusters.tsv")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		set, err := resolve.ReadClusters(f)
		if err != nil {
			return nil, err
		}
		pairs := resolve.EvaluatePairs(set, resolve.DefaultOptions())
		pairs.Title = "Entity names, pairwise same/different by name similarity alone (project set)"
		dir, err := os.MkdirTemp("", "mizan-eval-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		ctx := context.Background()
		st, err := sqlite.Open(ctx, filepath.Join(dir, "eval.db"))
		if err != nil {
			return nil, err
		}
		defer st.Close()
		k, err := kb.Default()
		if err != nil {
			return nil, err
		}
		full, err := resolve.EvaluateResolution(ctx, set, st, resolve.New(st, k, resolve.DefaultOptions()))
		if err != nil {
			return nil, err
		}
		full.Title = "Cross-document entity resolution, pairwise over the clusters it builds (project set)"
		return []*evalkit.Report{pairs, full}, nil
	})
}
