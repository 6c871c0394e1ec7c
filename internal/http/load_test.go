package http_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	mizanhttp "github.com/mizan-osint/mizan/internal/http"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/sqlite"
)

// The load check: BenchmarkEndpoints stores $MIZAN_LOAD_DOCS generated documents (default 2,000;
// `make load` uses 100,000) with their mentions and events, serves them on loopback and measures
// the p50/p99 latency of the entity profile and graph endpoints over real HTTP requests.
//
// Why documents are generated straight into the store instead of through the pipeline: what
// these endpoints cost depends on what is stored (documents, mentions, entity links, events),
// not on how the text was extracted, and the pipeline's own throughput is measured by
// cmd/mizan-bench. Running 100,000 documents through extraction and language detection would
// take most of an hour on two cores; writing them takes a few minutes. The documents are
// deterministic (seeded), with entities picked from a Zipf distribution, so a few hubs are in
// most documents, as real news is about a few states and leaders.
// $MIZAN_LOAD_DB keeps the generated store between runs.

// loadWorld is the generated corpus's cast.
type loadWorld struct {
	ents []mizan.Entity
}

func newLoadWorld() *loadWorld {
	w := &loadWorld{}
	kinds := []struct {
		t mizan.EntityType
		n int
	}{{mizan.GPE, 200}, {mizan.PERSON, 1500}, {mizan.ORG, 800}, {mizan.LOC, 500}}
	for _, k := range kinds {
		for i := range k.n {
			name := fmt.Sprintf("%s %s", strings.ToLower(string(k.t)), syllables(i))
			w.ents = append(w.ents, mizan.Entity{ID: fmt.Sprintf("load/%s/%d", strings.ToLower(string(k.t)), i),
				Name: strings.ToUpper(name[:1]) + name[1:], Type: k.t, Source: "discovered",
				Names: []mizan.Name{{Text: strings.ToUpper(name[:1]) + name[1:], Lang: "en"}}})
		}
	}
	// Shuffle so the Zipf hubs are of every type.
	r := rand.New(rand.NewPCG(7, 7))
	r.Shuffle(len(w.ents), func(i, j int) { w.ents[i], w.ents[j] = w.ents[j], w.ents[i] })
	return w
}

// syllables spells a number as a pronounceable name.
func syllables(n int) string {
	parts := []string{"ka", "lo", "mi", "ra", "su", "te", "no", "vi", "da", "ze"}
	var b strings.Builder
	for {
		b.WriteString(parts[n%10])
		n /= 10
		if n == 0 {
			return b.String()
		}
	}
}

var loadVerbs = []struct {
	t    mizan.EventType
	verb string
}{{mizan.CONSULT, "met"}, {mizan.AGREE, "agreed with"}, {mizan.COOPERATE, "cooperated with"}, {mizan.ACCUSE, "accused"},
	{mizan.THREATEN, "threatened"}, {mizan.AID, "sent aid to"}, {mizan.SANCTION, "sanctioned"}, {mizan.REJECT, "rejected"}}

// doc makes document i: 6 to 10 sentences, each naming one to three entities, a third of them
// stating an event between two.
func (w *loadWorld) doc(i int) (*mizan.Document, *mizan.Analysis) {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	z := rand.NewZipf(r, 1.2, 8, uint64(len(w.ents)-1))
	pub := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(3*365*24)) * time.Hour)
	var (
		text strings.Builder
		a    mizan.Analysis
		sens []mizan.Span
		pos  int // characters so far (the text is ASCII)
	)
	write := func(s string) { text.WriteString(s); pos += len(s) }
	mention := func(e *mizan.Entity) {
		a.Mentions = append(a.Mentions, mizan.Mention{Span: mizan.Span{Start: pos, End: pos + len(e.Name)}, Text: e.Name, Type: e.Type,
			EntityID: e.ID, Method: mizan.MethodModel, Confidence: 0.9})
		write(e.Name)
	}
	seen := map[string]bool{}
	title := fmt.Sprintf("Report %d on %s", i, w.ents[z.Uint64()].Name)
	write(title + "\n\n")
	n := 6 + r.IntN(5)
	for s := range n {
		start := pos
		x, y := &w.ents[z.Uint64()], &w.ents[z.Uint64()]
		for x.ID == y.ID {
			y = &w.ents[r.IntN(len(w.ents))]
		}
		v := loadVerbs[r.IntN(len(loadVerbs))]
		mention(x)
		write(" " + v.verb + " ")
		mention(y)
		write(fmt.Sprintf(" in talks number %d of document %d", s, i))
		if r.IntN(2) == 0 {
			write(", officials said")
		}
		write(".")
		sent := mizan.Span{Start: start, End: pos}
		sens = append(sens, sent)
		for _, e := range []*mizan.Entity{x, y} {
			if !seen[e.ID] {
				seen[e.ID] = true
				a.Entities = append(a.Entities, *e)
			}
		}
		if r.IntN(3) == 0 {
			date := pub.AddDate(0, 0, -r.IntN(10))
			hedged := r.IntN(5) == 0
			mode := mizan.Asserted
			if hedged {
				mode = mizan.Possible
			}
			att := []mizan.AttributionKind{mizan.AttrAuthor, mizan.AttrNamedOrg, mizan.AttrAnonymous, mizan.AttrMedia}[r.IntN(4)]
			a.Events = append(a.Events, mizan.Event{ID: fmt.Sprintf("load-%d-%d", i, s), Sentence: sent, Type: v.t, Mode: mode,
				Source: []mizan.Actor{{Entity: x.ID, Name: x.Name}}, Target: []mizan.Actor{{Entity: y.ID, Name: y.Name}},
				Time: mizan.TimeExpr{Start: &date, Precision: mizan.PrecisionDay}, Hedged: hedged,
				Attribution: mizan.Attribution{Kind: att}, Confidence: 0.4 + 0.6*r.Float64()})
		}
		write(" ")
	}
	body := strings.TrimSpace(text.String())
	d := &mizan.Document{Source: fmt.Sprintf("load:%d", i), SourceKind: mizan.SourceFile, Title: title, Lang: "en",
		Published: &pub, PublishedPrecision: mizan.PrecisionDay, Format: mizan.FormatText, Raw: []byte(body), Text: body,
		Sentences: sens, Paragraphs: []mizan.Paragraph{{Span: mizan.Span{Start: len(title) + 2, End: len(body)}, Lang: "en"}},
		Pipeline: nlp.Version, Outlet: fmt.Sprintf("Outlet %d", i%40)}
	d.ID = mizan.DocumentID(d.Raw)
	for k := range a.Mentions {
		a.Mentions[k].Doc = d.ID
	}
	for k := range a.Events {
		a.Events[k].Doc, a.Events[k].Text = d.ID, d.Slice(a.Events[k].Sentence)
	}
	return d, &a
}

// loadStore opens (or builds) the generated store.
// It also returns the ids of the entities the documents mention.
func loadStore(b *testing.B, n int, w *loadWorld) (mizan.Store, []string) {
	b.Helper()
	ctx := context.Background()
	path := os.Getenv("MIZAN_LOAD_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "load.db")
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	var st mizan.Store = db
	stats, err := db.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	seen := map[string]bool{}
	var mentioned []string
	for i := range n {
		d, a := w.doc(i)
		for _, e := range a.Entities {
			if !seen[e.ID] {
				seen[e.ID] = true
				mentioned = append(mentioned, e.ID)
			}
		}
		if i < stats.Documents {
			continue // already stored by an earlier run
		}
		if _, err := db.PutDocument(ctx, d, a, false); err != nil {
			b.Fatalf("put document %d: %v", i, err)
		}
		if i%10000 == 9999 {
			b.Logf("stored %d documents in %s", i+1, time.Since(start).Round(time.Second))
		}
	}
	b.Logf("store: %d documents (%s to generate and store), %s", n, time.Since(start).Round(time.Second), path)
	return st, mentioned
}

// BenchmarkEndpoints reports the latency percentiles of the profile and graph endpoints.
func BenchmarkEndpoints(b *testing.B) {
	n := 2000
	if s := os.Getenv("MIZAN_LOAD_DOCS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("MIZAN_LOAD_DOCS=%q: want a positive number", s)
		}
	}
	w := newLoadWorld()
	st, mentioned := loadStore(b, n, w)
	srv, err := mizanhttp.New(st, mizanhttp.Options{ReadOnly: true, Addr: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	go func() { _ = srv.ListenAndServe(ctx, func(a string) { addrc <- a }) }()
	base := "http://" + <-addrc
	client := &http.Client{Timeout: 30 * time.Second}
	warm := &http.Client{Timeout: 10 * time.Minute}
	get := func(b *testing.B, path string) {
		res, err := client.Get(base + path)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
	}
	// Warm up: the first graph query waits for the analysis graph (not part of a request's cost
	// afterwards: it is rebuilt in the background when the store changes), whose claims are then
	// graded in the background; the latencies are measured once they are, so that the grading's
	// reads of the store do not compete with the requests.
	t0 := time.Now()
	if res, err := warm.Get(base + "/api/v1/graph?max_nodes=1"); err != nil {
		b.Fatal(err)
	} else {
		res.Body.Close()
	}
	b.Logf("analysis graph built in %s", time.Since(t0).Round(time.Millisecond))
	for {
		var g mizanhttp.Graph
		if st := getJSON(b, base+"/api/v1/graph?max_nodes=1", &g); st == 200 && g.Graded {
			break
		}
		if time.Since(t0) > 30*time.Minute {
			b.Fatal("the claims were not graded within 30 minutes")
		}
		time.Sleep(time.Second)
	}
	b.Logf("claims graded %s after the start", time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	var g mizanhttp.Graph
	if st := getJSON(b, base+"/api/v1/graph", &g); st != 200 {
		b.Fatalf("GET /api/v1/graph: status %d", st)
	}
	b.Logf("first (uncached) GET /api/v1/graph: %s; %d of %d nodes, %d of %d edges",
		time.Since(t0).Round(time.Millisecond), len(g.Nodes), g.TotalNodes, len(g.Edges), g.TotalEdges)

	// Profiles: the biggest hubs (the first entities of the Zipf draw) and mentioned entities
	// drawn at random, by id.
	hub := func(k int) string { return w.ents[k].ID }
	r := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		path func(i int) string
	}{
		{"entity-hub", func(i int) string { return "/api/v1/entities/" + hub(i%5) }},
		{"entity-random", func(i int) string { return "/api/v1/entities/" + mentioned[r.IntN(len(mentioned))] }},
		{"graph", func(i int) string { return "/api/v1/graph" }},
		{"graph-filtered", func(i int) string {
			return "/api/v1/graph?type=CONSULT,THREATEN&since=2023-01&min_confidence=0.6&no_hedged=true"
		}},
		{"graph-ego-hub", func(i int) string { return "/api/v1/graph?entity=" + url.QueryEscape(hub(i%5)) }},
		// A new query every time (the answer cache never helps): every event is filtered.
		{"graph-uncached", func(i int) string { return fmt.Sprintf("/api/v1/graph?min_confidence=0.%04d", 1+i%9999) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				p := c.path(i)
				i++
				t := time.Now()
				get(b, p)
				lat = append(lat, time.Since(t))
			}
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}
