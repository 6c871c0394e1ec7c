package resolve_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/resolve"
	"github.com/mizan-osint/mizan/internal/storetest"
)

// TestClusterOrderIndependent stores documents without online resolution (as two workers racing
// would leave them), in two orders, and checks that Cluster ends with the same entities.
func TestClusterOrderIndependent(t *testing.T) {
	people := []person{
		{"Leila Zaruki", "person/leila-zaruki", "en"},
		{"Leyla Zarouki", "person/leyla-zarouki", "en"},
		{"ليلى زاروقي", "person/x-lyly", "ar"},
		{"Said Chengreha", "person/said-chengreha", "en"},
		{"Abdelkader Hamdi", "person/abdelkader-hamdi", "en"},
		{"Karima Zaruki", "person/karima-zaruki", "en"},
	}
	final := func(order []int) map[string]string {
		ctx := context.Background()
		st := newStore(t)
		for _, i := range order {
			p := people[i]
			d := storetest.Doc(fmt.Sprint(i), "T", p.lang, p.text+" spoke.")
			a := &mizan.Analysis{
				Mentions: []mizan.Mention{storetest.Mention(t, d, p.text, 1, mizan.PERSON, p.id)},
				Entities: []mizan.Entity{{ID: p.id, Name: p.text, Type: mizan.PERSON, Names: []mizan.Name{{Text: p.text, Lang: p.lang}}}},
			}
			if _, err := st.PutDocument(ctx, d, a, false); err != nil {
				t.Fatal(err)
			}
		}
		r := resolve.New(st, defaultKB(t), resolve.DefaultOptions())
		dry, err := r.Cluster(ctx, st, false)
		if err != nil {
			t.Fatal(err)
		}
		c, err := r.Cluster(ctx, st, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(dry.Links) != len(c.Links) || c.Clusters != 2 || len(c.Links) != 3 {
			t.Errorf("order %v: got %d clusters, links %+v (dry run %d), want 2 clusters and 3 links", order, c.Clusters, c.Links, len(dry.Links))
		}
		out := map[string]string{}
		for _, p := range people {
			prof, err := st.Entity(ctx, p.id, mizan.ProfileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out[p.text] = prof.ID
		}
		// A second run finds nothing more to do.
		if again, err := r.Cluster(ctx, st, true); err != nil || len(again.Links) != 0 {
			t.Errorf("second run: got %+v %v, want no links", again.Links, err)
		}
		return out
	}
	a, b := final([]int{0, 1, 2, 3, 4, 5}), final([]int{5, 4, 3, 2, 1, 0})
	for name, id := range a {
		if b[name] != id {
			t.Errorf("%s: got %s in one order and %s in the other", name, id, b[name])
		}
	}
	want := map[string]string{"Leila Zaruki": "person/leila-zaruki", "Leyla Zarouki": "person/leila-zaruki", "ليلى زاروقي": "person/leila-zaruki",
		"Said Chengreha": "person/said-chengriha", "Abdelkader Hamdi": "person/abdelkader-hamdi", "Karima Zaruki": "person/karima-zaruki"}
	for name, id := range want {
		if a[name] != id {
			t.Errorf("%s: got %s, want %s", name, a[name], id)
		}
	}
}
