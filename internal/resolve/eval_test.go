package resolve_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/resolve"
	"github.com/mizan-osint/mizan/internal/resolve/namesim"
)

func readSet(tb testing.TB) []resolve.Labelled {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "clusters.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	set, err := resolve.ReadClusters(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	return set
}

// TestEvaluate scores resolution on the project's evaluation set; the thresholds sit just under
// what the resolver reaches, so a regression fails.
func TestEvaluate(t *testing.T) {
	set := readSet(t)
	if len(set) < 90 {
		t.Fatalf("got %d labelled names, want the whole set", len(set))
	}
	pairs := resolve.EvaluatePairs(set, resolve.DefaultOptions())
	t.Logf("\n%s", pairs)
	st := newStore(t)
	rep, err := resolve.EvaluateResolution(context.Background(), set, st, resolve.New(st, defaultKB(t), resolve.DefaultOptions()))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", rep)
	tests := []struct {
		rep        string
		row        string
		minP, minR float64
	}{
		{"pairs", "all", 0.93, 0.88},
		{"pairs", "cross-script", 0.95, 0.95},
		{"resolution", "all", 0.94, 0.94},
		{"resolution", "cross-script", 0.95, 0.95},
		{"resolution", "kb-link", 0.98, 0.98},
	}
	for _, tt := range tests {
		r := pairs
		if tt.rep == "resolution" {
			r = rep
		}
		c := r.Row(tt.row)
		if c.Precision() < tt.minP || c.Recall() < tt.minR {
			t.Errorf("%s %s: got P %.3f R %.3f, want at least %.2f %.2f", tt.rep, tt.row, c.Precision(), c.Recall(), tt.minP, tt.minR)
		}
	}
}

// TestBlockingRecall checks that blocking loses nothing: any two names similar enough to be
// linked share a blocking key, so the indexed lookup finds them.
func TestBlockingRecall(t *testing.T) {
	set := readSet(t)
	o := resolve.DefaultOptions()
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			a, b := set[i], set[j]
			if !namesim.Compatible(a.Type, b.Type) {
				continue
			}
			if m := namesim.Compare(namesim.Parse(a.Name), namesim.Parse(b.Name)); m.Score < o.WithContext {
				continue
			}
			if !shareKey(namesim.Keys(a.Name, a.Type), namesim.Keys(b.Name, b.Type)) {
				t.Errorf("%q and %q are similar but share no blocking key: %v / %v", a.Name, b.Name,
					namesim.Keys(a.Name, a.Type), namesim.Keys(b.Name, b.Type))
			}
		}
	}
}

func shareKey(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func TestReadClustersErrors(t *testing.T) {
	for _, in := range []string{"a\tPERSON\ten\n", "a\tPLANET\ten\tMars\n", "\tPERSON\ten\tX\n", "a\tPERSON\ten\tX\tctx\textra\n"} {
		if _, err := resolve.ReadClusters(bytes.NewReader([]byte(in))); mizan.ErrorCode(err) != mizan.EINVALID {
			t.Errorf("ReadClusters(%q): got %v, want invalid", in, err)
		}
	}
}

func FuzzReadClusters(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "clusters.tsv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("a\tPERSON\ten\tX\tgpe/dz\n# c\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := resolve.ReadClusters(bytes.NewReader(data))
		if err != nil {
			if mizan.ErrorCode(err) != mizan.EINVALID && mizan.ErrorCode(err) != mizan.EINTERNAL {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, l := range set {
			if l.Name == "" || l.Cluster == "" || l.Line <= 0 {
				t.Fatalf("got %+v", l)
			}
		}
	})
}
