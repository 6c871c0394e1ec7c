package graph_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/graph"
)

// randomGraph builds a graph of n entities and m events between pairs drawn with a skewed
// (Zipf) popularity, as news graphs are: a few hubs, a long tail.
func randomGraph(tb testing.TB, n, m int, seed uint64) *graph.Graph {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	z := rand.NewZipf(r, 1.1, 4, uint64(n-1))
	docs := []mizan.Document{{ID: "d", IngestedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}
	ents := make([]mizan.Entity, n)
	for i := range ents {
		ents[i] = mizan.Entity{ID: fmt.Sprintf("e/%04d", i), Name: fmt.Sprint(i), Type: mizan.GPE}
	}
	events := make([]mizan.Event, 0, m)
	for i := range m {
		a, b := int(z.Uint64()), r.IntN(n)
		if i < n {
			b = i // every entity takes part in something
		}
		if a == b {
			continue
		}
		events = append(events, mizan.Event{ID: fmt.Sprintf("ev%d", i), Doc: "d", Type: mizan.ACCUSE, Mode: mizan.Asserted,
			Sentence: mizan.Span{Start: i, End: i + 1}, Source: []mizan.Actor{{Entity: ents[a].ID}}, Target: []mizan.Actor{{Entity: ents[b].ID}}})
	}
	return graph.New(docs, events, ents, graph.Options{})
}

// exact returns gonum's exact betweenness by node id.
func exact(g *graph.Graph) map[string]float64 {
	out := map[string]float64{}
	for _, c := range g.Filter(func(*graph.Edge) bool { return true }).Centrality(true) {
		out[c.ID] = *c.Betweenness
	}
	return out
}

// spearman is the rank correlation of two score vectors (ties get their mean rank).
func spearman(a, b []float64) float64 {
	ranks := func(x []float64) []float64 {
		idx := make([]int, len(x))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(i, j int) int { return cmp.Compare(x[i], x[j]) })
		r := make([]float64, len(x))
		for i := 0; i < len(idx); {
			j := i
			for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
				j++
			}
			for k := i; k <= j; k++ {
				r[idx[k]] = float64(i+j)/2 + 1
			}
			i = j + 1
		}
		return r
	}
	ra, rb := ranks(a), ranks(b)
	var ma, mb float64
	for i := range ra {
		ma += ra[i]
		mb += rb[i]
	}
	ma /= float64(len(ra))
	mb /= float64(len(rb))
	var num, da, db float64
	for i := range ra {
		num += (ra[i] - ma) * (rb[i] - mb)
		da += (ra[i] - ma) * (ra[i] - ma)
		db += (rb[i] - mb) * (rb[i] - mb)
	}
	return num / math.Sqrt(da*db)
}

func TestApproxBetweennessAllSourcesIsExact(t *testing.T) {
	for _, tt := range []struct{ n, m int }{{3, 3}, {12, 30}, {80, 300}, {300, 1500}} {
		g := randomGraph(t, tt.n, tt.m, uint64(tt.n))
		want := exact(g)
		got := g.ApproxBetweenness(0, 1)
		for i, nd := range g.Nodes {
			if math.Abs(got[i]-want[nd.ID]) > 1e-9 {
				t.Errorf("%d nodes: %s: got %.6f, want %.6f (gonum)", tt.n, nd.ID, got[i], want[nd.ID])
			}
		}
	}
}

// TestApproxBetweennessRanks compares the sampled estimate with the exact ranking on graphs of
// the size where both can run: rank correlation over every node, and the top 10 found.
func TestApproxBetweennessRanks(t *testing.T) {
	tests := []struct {
		n, m, k int
		minRho  float64
	}{
		{200, 1500, 50, 0.85},
		{400, 3000, 100, 0.9},
		{500, 5000, graph.BetweennessPivots, 0.95},
	}
	for _, tt := range tests {
		g := randomGraph(t, tt.n, tt.m, uint64(tt.m))
		ex := exact(g)
		want := make([]float64, len(g.Nodes))
		for i, nd := range g.Nodes {
			want[i] = ex[nd.ID]
		}
		got := g.ApproxBetweenness(tt.k, graph.BetweennessSeed)
		if rho := spearman(got, want); rho < tt.minRho {
			t.Errorf("%d nodes, %d pivots: got Spearman ρ %.3f, want ≥ %.2f", tt.n, tt.k, rho, tt.minRho)
		}
		top := func(x []float64) []int {
			idx := make([]int, len(x))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(i, j int) int { return cmp.Compare(x[j], x[i]) })
			return idx[:10]
		}
		common := 0
		for _, i := range top(got) {
			if slices.Contains(top(want), i) {
				common++
			}
		}
		if common < 8 {
			t.Errorf("%d nodes, %d pivots: got %d of the exact top 10 in the estimate's top 10, want ≥ 8", tt.n, tt.k, common)
		}
		// The Hoeffding bound of the documented error, at α = 0.001, holds for every node.
		bound := math.Sqrt(math.Log(2/0.001) / (2 * float64(tt.k)))
		for i := range got {
			if d := math.Abs(got[i] - want[i]); d > bound {
				t.Errorf("%d nodes, %d pivots: %s: got error %.4f, want ≤ %.4f", tt.n, tt.k, g.Nodes[i].ID, d, bound)
			}
		}
	}
}

func TestApproxBetweennessRepeatable(t *testing.T) {
	g := randomGraph(t, 300, 2000, 3)
	a, b := g.ApproxBetweenness(40, 7), g.ApproxBetweenness(40, 7)
	if !slices.Equal(a, b) {
		t.Error("got two different estimates with one seed, want the same")
	}
	if c := g.ApproxBetweenness(40, 8); slices.Equal(a, c) {
		t.Error("got the same estimate with another seed, want other pivots")
	}
}

func TestCentralityApproximatesLargeGraphs(t *testing.T) {
	tests := []struct {
		n      int
		approx bool
	}{{graph.ExactBetweennessMax, false}, {graph.ExactBetweennessMax + 100, true}}
	for _, tt := range tests {
		g := randomGraph(t, tt.n, 3*tt.n, 5)
		if len(g.Nodes) != tt.n {
			t.Fatalf("got %d nodes, want %d", len(g.Nodes), tt.n)
		}
		cs := g.Centrality(true)
		if cs[0].Betweenness == nil || cs[0].BetweennessApprox != tt.approx {
			t.Errorf("%d nodes: got betweenness %v (approximate %v), want it computed, approximate %v", tt.n, cs[0].Betweenness, cs[0].BetweennessApprox, tt.approx)
		}
	}
}

// BenchmarkApproxBetweenness is the size at which exact betweenness took 13.7 s: 2,000 entities
// and about 20,000 relations.
func BenchmarkApproxBetweenness(b *testing.B) {
	g := randomGraph(b, 2000, 40000, 11)
	for b.Loop() {
		g.ApproxBetweenness(graph.BetweennessPivots, graph.BetweennessSeed)
	}
	b.ReportMetric(float64(len(g.Edges)), "relations")
}
