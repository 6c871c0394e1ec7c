package pipeline_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/pipeline"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/sqlite"
)

func names(p nlp.Pipeline) []string {
	var out []string
	for _, s := range p {
		out = append(out, s.Name())
	}
	return out
}

func TestOnly(t *testing.T) {
	all := []string{"extract", "dedup", "lang", "sentence", "entity", "event"}
	tests := []struct {
		list string
		want []string
	}{
		{"", all},
		{"lang, sentence", []string{"extract", "lang", "sentence"}},
		{"nothing", []string{"extract"}},
	}
	for _, tt := range tests {
		if got := names(pipeline.Only(tt.list, pipeline.Stages(nil))); !slices.Equal(got, tt.want) {
			t.Errorf("Only(%q): got %v, want %v", tt.list, got, tt.want)
		}
	}
}

// TestIngester runs the whole pipeline and resolution hook over a document into a store, as
// `mizan ingest` does, and checks that the entity and event stages ran.
func TestIngester(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the tagger and the language models")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := pipeline.Ingester(db, "", nil)
	if in.Resolve == nil {
		t.Fatal("got no Resolve hook over a SQLite store, want the resolver")
	}
	sum, err := in.Run(ctx, source.New(source.DefaultOptions()), []string{filepath.Join("testdata", "talks.txt")})
	if err != nil || sum.Added != 1 {
		t.Fatalf("got %+v, %v; want one document added", sum, err)
	}
	evs, _, err := db.Events(ctx, mizan.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	linked := func(id string) bool {
		return slices.ContainsFunc(evs, func(e mizan.Event) bool {
			return slices.ContainsFunc(append(append([]mizan.Actor{}, e.Source...), e.Target...), func(a mizan.Actor) bool { return a.Entity == id })
		})
	}
	if len(evs) == 0 || !linked("gpe/dz") {
		t.Errorf("got events %+v, want some with Algeria (gpe/dz) as an actor", evs)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mentions == 0 || st.Entities == 0 {
		t.Errorf("got %+v, want mentions and entities from the entity stage", st)
	}
}
