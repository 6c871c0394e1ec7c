package graph

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sync"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/mizan-osint/mizan"
)

// analytics holds the gonum views of a graph, built once. Node ids are indexes into
// Graph.Nodes.
type analytics struct {
	// strength is undirected, weighted by the edges' weights (communities).
	strength *simple.WeightedUndirectedGraph
	// cost is undirected, weighted so that a path with fewer hops is always shorter and, among
	// paths of as many hops, the one through the best-attested relations wins.
	cost *simple.WeightedUndirectedGraph
	// directed has a→b when a acted on b, both ways for what they did together (PageRank).
	directed *simple.DirectedGraph

	mu         sync.Mutex
	centrality []Centrality // computed on first use
	withBC     bool         // centrality has betweenness
}

func (g *Graph) analytics() *analytics {
	g.anOnce.Do(func() {
		an := &analytics{
			strength: simple.NewWeightedUndirectedGraph(0, 0),
			cost:     simple.NewWeightedUndirectedGraph(0, 0),
			directed: simple.NewDirectedGraph(),
		}
		for i := range g.Nodes {
			n := simple.Node(int64(i))
			an.strength.AddNode(n)
			an.cost.AddNode(n)
			an.directed.AddNode(n)
		}
		// A hop costs 1 plus less than 1/len(nodes): k hops always cost less than k+1.
		eps := 1 / float64(len(g.Nodes)+1)
		for _, e := range g.Edges {
			a, b := simple.Node(int64(g.nodeIx[e.A])), simple.Node(int64(g.nodeIx[e.B]))
			an.strength.SetWeightedEdge(simple.WeightedEdge{F: a, T: b, W: e.Weight})
			an.cost.SetWeightedEdge(simple.WeightedEdge{F: a, T: b, W: 1 + eps/(1+e.Weight)})
			if e.AB > 0 || e.Mutual > 0 {
				an.directed.SetEdge(simple.Edge{F: a, T: b})
			}
			if e.BA > 0 || e.Mutual > 0 {
				an.directed.SetEdge(simple.Edge{F: b, T: a})
			}
		}
		g.an = an
	})
	return g.an
}

// Centrality is how central an entity is in the graph.
type Centrality struct {
	ID   string           `json:"id"`
	Name string           `json:"name"`
	Type mizan.EntityType `json:"type,omitempty"`
	// Degree is the number of entities it is linked to; Strength the sum of those links'
	// weights (attesting sentences); Events the events it takes part in.
	Degree   int     `json:"degree"`
	Strength float64 `json:"strength"`
	Events   int     `json:"events"`
	// Betweenness is the share of shortest paths between other entities that run through it
	// (normalised to [0, 1]; nil when not computed); PageRank its stationary share of a random
	// walk that follows who acts on whom (the entities acted upon by central actors rank high).
	Betweenness *float64 `json:"betweenness,omitempty"`
	// BetweennessApprox says Betweenness was estimated from sampled sources (graphs of more
	// than ExactBetweennessMax entities; see ApproxBetweenness for the error).
	BetweennessApprox bool    `json:"betweenness_approx,omitempty"`
	PageRank          float64 `json:"pagerank"`
}

// Centrality measures every node, the most linked first (strength, then PageRank). Betweenness
// is computed only when asked: exactly (gonum's Brandes algorithm, O(nodes × edges)) up to
// ExactBetweennessMax entities, and above that estimated from BetweennessPivots sampled sources
// with a fixed seed (ApproxBetweenness), which keeps it under a second on large graphs, where
// degree and PageRank take milliseconds.
func (g *Graph) Centrality(betweenness bool) []Centrality {
	an := g.analytics()
	an.mu.Lock()
	defer an.mu.Unlock()
	if an.centrality != nil && (!betweenness || an.withBC) {
		return an.centrality
	}
	out := make([]Centrality, len(g.Nodes))
	if len(g.Nodes) == 0 {
		an.centrality = out
		return out
	}
	var (
		bc     map[int64]float64
		approx []float64
	)
	switch {
	case betweenness && len(g.Nodes) <= ExactBetweennessMax:
		bc = network.Betweenness(an.strength)
		an.withBC = true
	case betweenness:
		approx = g.ApproxBetweenness(BetweennessPivots, BetweennessSeed)
		an.withBC = true
	}
	pr := network.PageRankSparse(an.directed, 0.85, 1e-8)
	n := float64(len(g.Nodes))
	// Brandes' sum over ordered pairs of an undirected graph counts each path twice.
	norm := 1.0
	if n > 2 {
		norm = 1 / ((n - 1) * (n - 2))
	}
	for i, nd := range g.Nodes {
		out[i] = Centrality{ID: nd.ID, Name: nd.Name, Type: nd.Type, Degree: nd.Degree, Strength: nd.Strength,
			Events: nd.Events, PageRank: pr[int64(i)]}
		switch {
		case bc != nil:
			b := bc[int64(i)] * norm
			out[i].Betweenness = &b
		case approx != nil:
			b := approx[i]
			out[i].Betweenness, out[i].BetweennessApprox = &b, true
		}
	}
	slices.SortStableFunc(out, func(a, b Centrality) int {
		if c := cmp.Compare(b.Strength, a.Strength); c != 0 {
			return c
		}
		if c := cmp.Compare(b.PageRank, a.PageRank); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	an.centrality = out
	return out
}

// Hop is one step of a path: the relation between From and To.
type Hop struct {
	From string `json:"from"`
	To   string `json:"to"`
	Edge *Edge  `json:"-"`
}

// Path returns the shortest chain of relations from one entity to another — the fewest hops,
// and among those the best-attested — each hop carrying its relation and so its evidence.
// ENOTFOUND when either entity is not in the graph or nothing connects them.
func (g *Graph) Path(from, to string) ([]Hop, error) {
	fi, ok := g.nodeIx[from]
	if !ok {
		return nil, mizan.Errorf(mizan.ENOTFOUND, "%s is in no relation", g.Name(from))
	}
	ti, ok := g.nodeIx[to]
	if !ok {
		return nil, mizan.Errorf(mizan.ENOTFOUND, "%s is in no relation", g.Name(to))
	}
	if fi == ti {
		return nil, mizan.Errorf(mizan.EINVALID, "a path needs two different entities")
	}
	an := g.analytics()
	nodes, _ := path.DijkstraFromTo(simple.Node(int64(fi)), simple.Node(int64(ti)), an.cost)
	if len(nodes) < 2 {
		return nil, mizan.Errorf(mizan.ENOTFOUND, "nothing connects %s and %s", g.Name(from), g.Name(to))
	}
	hops := make([]Hop, 0, len(nodes)-1)
	for i := 1; i < len(nodes); i++ {
		a, b := g.Nodes[nodes[i-1].ID()].ID, g.Nodes[nodes[i].ID()].ID
		e, _ := g.Edge(a, b)
		hops = append(hops, Hop{From: a, To: b, Edge: e})
	}
	return hops, nil
}

// Ego returns the ego network of an entity: the entities within radius hops of it and the
// relations among them. ENOTFOUND when the entity is in no relation.
func (g *Graph) Ego(center string, radius int) (*Graph, error) {
	if _, ok := g.nodeIx[center]; !ok {
		return nil, mizan.Errorf(mizan.ENOTFOUND, "%s is in no relation", g.Name(center))
	}
	if radius < 1 {
		radius = 1
	}
	dist := map[string]int{center: 0}
	frontier := []string{center}
	for d := 1; d <= radius && len(frontier) > 0; d++ {
		var next []string
		for _, id := range frontier {
			for _, ei := range g.adj[id] {
				o := g.Edges[ei].Other(id)
				if _, seen := dist[o]; !seen {
					dist[o] = d
					next = append(next, o)
				}
			}
		}
		frontier = next
	}
	return g.Filter(func(e *Edge) bool {
		_, a := dist[e.A]
		_, b := dist[e.B]
		return a && b
	}), nil
}

// Community is a group of entities more linked to each other than to the rest.
type Community struct {
	ID      int      `json:"id"`
	Members []string `json:"members"` // strongest first
	// Weight is the weight of the relations inside the community.
	Weight float64 `json:"weight"`
}

// Communities partitions the linked entities with the Louvain method (gonum's
// community.Modularize) at the given resolution (1 is the usual modularity), and returns the
// communities, largest first, and the partition's modularity Q. The seed makes it repeatable.
func (g *Graph) Communities(resolution float64, seed uint64) ([]Community, float64) {
	an := g.analytics()
	if len(g.Edges) == 0 {
		return nil, 0
	}
	if resolution <= 0 {
		resolution = 1
	}
	reduced := community.Modularize(an.strength, resolution, rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	parts := reduced.Communities()
	q := community.Q(an.strength, parts, resolution)
	member := map[string]int{}
	var out []Community
	for _, part := range parts {
		c := Community{}
		for _, n := range part {
			nd := g.Nodes[n.ID()]
			if nd.Degree == 0 {
				continue // an isolated place or actor is a community of its own: not worth listing
			}
			c.Members = append(c.Members, nd.ID)
		}
		if len(c.Members) == 0 {
			continue
		}
		slices.SortFunc(c.Members, func(a, b string) int {
			na, _ := g.Node(a)
			nb, _ := g.Node(b)
			if x := cmp.Compare(nb.Strength, na.Strength); x != 0 {
				return x
			}
			return cmp.Compare(a, b)
		})
		for _, m := range c.Members {
			member[m] = len(out)
		}
		out = append(out, c)
	}
	for _, e := range g.Edges {
		if ca, ok := member[e.A]; ok && member[e.B] == ca {
			out[ca].Weight += e.Weight
		}
	}
	slices.SortStableFunc(out, func(a, b Community) int {
		if c := cmp.Compare(len(b.Members), len(a.Members)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return cmp.Compare(a.Members[0], b.Members[0])
	})
	for i := range out {
		out[i].ID = i + 1
	}
	return out, q
}
