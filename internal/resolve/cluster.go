package resolve

import (
	"context"
	"fmt"
	"sort"

	"github.com/mizan-osint/mizan"
)

// ClusterStore is what order-independent resolution needs from a store.
type ClusterStore interface {
	Store
	// DiscoveredEntities returns every stored entity that is not the knowledge base's and not
	// merged away, with names and counts.
	DiscoveredEntities(ctx context.Context) ([]mizan.EntitySummary, error)
	// LinkEntities makes r.From the entity r.Into (names, mentions and counts move) and logs r.
	LinkEntities(ctx context.Context, r mizan.Resolution) error
}

// Clustering is what Cluster decided.
type Clustering struct {
	Entities int                `json:"entities"` // discovered entities examined
	Clusters int                `json:"clusters"` // groups of more than one entity found
	Links    []mizan.Resolution `json:"links"`    // one per entity that joins another
	Applied  bool               `json:"applied"`
}

type edge struct {
	a, b  string
	score float64
	rule  string
}

// Cluster re-runs resolution over the stored discovered entities as a whole, so that the result
// does not depend on the order documents came in (online resolution names an entity after the
// first spelling it sees, and two writers can create two entities for one person at once). Every
// pair found by blocking and scored at Options.Accept, or at Options.WithContext with shared
// context, is an edge; edges join entities best first, never two knowledge-base entities into one
// group; each group of more than one becomes its knowledge-base entity if it has one, else its
// most mentioned entity (ties by id). With apply, the links are written (LinkEntities), else only
// reported. Users' corrections hold: merged entities are not examined and split names are never
// joined to the entity they were split from.
func (r *Resolver) Cluster(ctx context.Context, st ClusterStore, apply bool) (Clustering, error) {
	corr, err := st.Corrections(ctx)
	if err != nil {
		return Clustering{}, err
	}
	ents, err := st.DiscoveredEntities(ctx)
	if err != nil {
		return Clustering{}, err
	}
	out := Clustering{Entities: len(ents), Links: []mizan.Resolution{}, Applied: apply}
	info := map[string]mizan.EntitySummary{}
	for _, e := range ents {
		info[e.ID] = e
	}
	var edges []edge
	for i := range ents {
		e := &ents[i].Entity
		cands, err := r.candidates(ctx, e, corr)
		if err != nil {
			return out, err
		}
		for _, c := range cands {
			if c.score < r.o.WithContext {
				break
			}
			rule := c.rule
			if c.score < r.o.Accept {
				ok, why, err := r.sharedContext(ctx, e.ID, c.e)
				if err != nil {
					return out, err
				}
				if !ok {
					continue
				}
				rule += "+context:" + why
			}
			a, b := e.ID, c.e.ID
			if b < a {
				a, b = b, a
			}
			edges = append(edges, edge{a, b, c.score, rule})
		}
	}
	sort.Slice(edges, func(i, j int) bool {
		x, y := edges[i], edges[j]
		if x.score != y.score {
			return x.score > y.score
		}
		if x.a != y.a {
			return x.a < y.a
		}
		return x.b < y.b
	})
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			root := find(p)
			parent[x] = root
			return root
		}
		parent[x] = x
		return x
	}
	isKB := func(id string) bool { _, ok := r.kb.Entity(id); return ok && info[id].ID == "" }
	hasKB := map[string]string{} // root → the knowledge-base entity of its group
	via := map[string]edge{}     // entity → the best edge it joined by
	for _, e := range edges {
		ra, rb := find(e.a), find(e.b)
		if ra == rb {
			continue
		}
		ka, kb := hasKB[ra], hasKB[rb]
		if ka == "" && isKB(e.a) {
			ka = e.a
		}
		if kb == "" && isKB(e.b) {
			kb = e.b
		}
		if ka != "" && kb != "" && ka != kb {
			continue // two knowledge-base entities are two entities
		}
		parent[rb] = ra
		if ka == "" {
			ka = kb
		}
		hasKB[ra] = ka
		for _, x := range []string{e.a, e.b} {
			if _, ok := via[x]; !ok {
				via[x] = e // the best edge that joined x to its group
			}
		}
	}
	groups := map[string][]string{}
	for id := range parent {
		groups[find(id)] = append(groups[find(id)], id)
	}
	roots := make([]string, 0, len(groups))
	for root, g := range groups {
		if len(g) > 1 {
			roots = append(roots, root)
		}
	}
	sort.Strings(roots)
	for _, root := range roots {
		g := groups[root]
		out.Clusters++
		rep := hasKB[root]
		if rep == "" {
			sort.Slice(g, func(i, j int) bool {
				a, b := info[g[i]], info[g[j]]
				if a.Mentions != b.Mentions {
					return a.Mentions > b.Mentions
				}
				return a.ID < b.ID
			})
			rep = g[0]
		}
		sort.Strings(g)
		for _, id := range g {
			if id == rep {
				continue
			}
			e := via[id]
			out.Links = append(out.Links, mizan.Resolution{Name: info[id].Name, From: id, Into: rep, Rule: "cluster:" + e.rule, Score: e.score})
		}
	}
	if !apply {
		return out, nil
	}
	for _, l := range out.Links {
		if err := st.LinkEntities(ctx, l); err != nil {
			return out, fmt.Errorf("link %s: %w", l.From, err)
		}
	}
	return out, nil
}

// sharedContext says whether two stored entities are mentioned with a common entity, or one
// belongs to a country the other is mentioned with.
func (r *Resolver) sharedContext(ctx context.Context, id string, c *mizan.Entity) (bool, string, error) {
	co, err := r.store.CoMentioned(ctx, id, 30)
	if err != nil {
		return false, "", err
	}
	dc := DocContext{Entities: map[string]bool{}, Countries: map[string]bool{}}
	for _, x := range co {
		dc.Entities[x] = true
		if e, ok := r.kb.Entity(x); ok && e.Attrs["country"] != "" {
			dc.Countries[e.Attrs["country"]] = true
		}
	}
	return r.contextAgrees(ctx, c, dc)
}
