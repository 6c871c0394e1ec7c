package main

import (
	"sync"

	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
)

var (
	detectorOnce sync.Once
	detector     *lang.Detector
)

// pipeline wires the stages in order. The language detector is built once per process: it
// loads its models up front so that the first document is not slower than the rest.
func (a *App) pipeline() nlp.Pipeline {
	detectorOnce.Do(func() { detector = lang.New(lang.DefaultOptions()) })
	return nlp.Pipeline{
		extract.Stage{Options: extract.DefaultOptions()},
		dedup.Stage{},
		lang.Stage{D: detector},
		sentence.Stage{},
	}
}
