package main

import (
	"os"

	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/evalkit"
)

func init() {
	register("claims", func(string) ([]*evalkit.Report, error) {
		f, err := os.Open("internal/claim/testdata/pairs.yaml")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		set, err := claim.ReadEvalSet(f)
		if err != nil {
			return nil, err
		}
		claims, err := claim.EvaluateClaims(set)
		if err != nil {
			return nil, err
		}
		origins, err := claim.EvaluateOrigins(set)
		if err != nil {
			return nil, err
		}
		return []*evalkit.Report{claims, origins}, nil
	})
}
