package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/graph"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

// The benchmarks build the graph of a large store and answer a shortest-path and a centrality
// query on it. The store is filled by benchStore with synthetic rows — documents with ~2 KB of
// text, five events each on average with their full JSON bodies and sentences, between 2,000
// entities of skewed popularity — written straight into the tables, because running the NLP
// pipeline over 100,000 generated documents would take hours here. MIZAN_BENCH_DOCS sets the
// size (default 10,000; the report's numbers are for 100,000) and MIZAN_BENCH_DIR where the
// database is kept between runs (default the system's temporary directory).

const timeLayout = "2006-01-02T15:04:05.000000000Z"

func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("MIZAN_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// benchStore opens (generating it on first use) a store of n synthetic documents.
func benchStore(b *testing.B, n int) *sqlstore.DB {
	b.Helper()
	dir := os.Getenv("MIZAN_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("mizan-graph-bench-%d.db", n))
	ctx := context.Background()
	_, statErr := os.Stat(path)
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	if statErr == nil {
		return st
	}
	start := time.Now()
	if err := generate(ctx, st, n); err != nil {
		st.Close()
		os.Remove(path)
		b.Fatal(err)
	}
	b.Logf("generated %d documents in %s at %s", n, time.Since(start).Round(time.Second), path)
	return st
}

// generate writes n documents, their events and 2,000 entities.
func generate(ctx context.Context, st *sqlstore.DB, n int) error {
	db := st.SQL()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rng := rand.New(rand.NewPCG(1, 2))
	const nEnt = 2000
	types := []mizan.EntityType{mizan.GPE, mizan.PERSON, mizan.ORG, mizan.GROUP}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Format(timeLayout)
	ent := func(i int) string { return fmt.Sprintf("%s/e%04d", strings.ToLower(string(types[i%4])), i) }
	for i := range nEnt {
		if _, err := tx.ExecContext(ctx, `INSERT INTO entities(id, name, type, attrs, source, mentions, docs, created_at) VALUES (?, ?, ?, '{}', 'kb', 1, 1, ?)`,
			ent(i), fmt.Sprintf("Entity %d", i), string(types[i%4]), now); err != nil {
			return err
		}
	}
	// Popularity is skewed: a few states and leaders are in most stories.
	zipf := rand.NewZipf(rng, 1.3, 4, nEnt-1)
	filler := strings.Repeat("Officials from both sides discussed security cooperation and the situation in the region. ", 22)
	evTypes := mizan.EventTypes
	docIns, err := tx.PrepareContext(ctx, `INSERT INTO documents(id, source, source_kind, outlet, title, published, published_precision, lang, format, text, text_hash, chars, ingested_at, pipeline)
		VALUES (?, ?, 'file', ?, ?, ?, 'day', 'en', 'text', ?, ?, ?, ?, 1)`)
	if err != nil {
		return err
	}
	evIns, err := tx.PrepareContext(ctx, `INSERT INTO events(id, doc_id, ord, sent_start, sent_end, type, subtype, mode, time_start, time_end, precision, at, at_end, dated, attr_kind, attr_entity, hedged, confidence, place_entity, body)
		VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 0.8, ?, ?)`)
	if err != nil {
		return err
	}
	actIns, err := tx.PrepareContext(ctx, `INSERT INTO event_actors(entity_id, event_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	base := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := range n {
		id := fmt.Sprintf("%016x", uint64(d)*0x9e3779b97f4a7c15)
		pub := base.Add(time.Duration(d) * 40 * time.Minute)
		text := fmt.Sprintf("Story %d. %s", d, filler)
		if _, err := docIns.ExecContext(ctx, id, fmt.Sprintf("gen/%d.txt", d), fmt.Sprintf("Outlet %d", d%50), fmt.Sprintf("Story %d", d),
			pub.Format(timeLayout), text, mizan.TextHash(text), len(text), now); err != nil {
			return err
		}
		for k := range 3 + rng.IntN(5) {
			src, tgt := ent(int(zipf.Uint64())), ent(int(zipf.Uint64()))
			if src == tgt {
				continue
			}
			typ := evTypes[rng.IntN(len(evTypes))]
			mode := mizan.Asserted
			if rng.IntN(10) == 0 {
				mode = mizan.Possible
			}
			evID := fmt.Sprintf("%s%02d", id[:14], k)
			var tStart, tEnd any
			at, atEnd, dated, prec := pub, pub.Add(time.Second), 0, mizan.PrecisionUnknown
			if rng.IntN(3) == 0 {
				s := time.Date(pub.Year(), pub.Month(), 1, 0, 0, 0, 0, time.UTC)
				tStart, tEnd = s.Format(timeLayout), s.AddDate(0, 1, 0).Format(timeLayout)
				at, atEnd, dated, prec = s, s.AddDate(0, 1, 0), 1, mizan.PrecisionMonth
			}
			var place any
			if rng.IntN(4) == 0 {
				place = ent(4 * rng.IntN(nEnt/4)) // a GPE
			}
			sentence := fmt.Sprintf("Entity %s and entity %s: %s, according to officials speaking after the meeting in the capital this week.", src, tgt, typ)
			body, _ := json.Marshal(mizan.Event{ID: evID, Doc: id, Type: typ, Mode: mode, Text: sentence,
				Source: []mizan.Actor{{Entity: src, Name: src}}, Target: []mizan.Actor{{Entity: tgt, Name: tgt}},
				Attribution: mizan.Attribution{Kind: mizan.AttrAuthor}, Confidence: 0.8})
			if _, err := evIns.ExecContext(ctx, evID, id, k, k*200, k*200+len(sentence), string(typ), string(mode), tStart, tEnd, string(prec),
				at.Format(timeLayout), atEnd.Format(timeLayout), dated, string(mizan.AttrAuthor), rng.IntN(8) == 0, place, string(body)); err != nil {
				return err
			}
			for _, a := range [][2]string{{src, "source"}, {tgt, "target"}} {
				if _, err := actIns.ExecContext(ctx, a[0], evID, a[1]); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// BenchmarkBuild reads the whole store into the graph; heap-MB is what the built graph keeps.
func BenchmarkBuild(b *testing.B) {
	st := benchStore(b, benchDocs())
	defer st.Close()
	ctx := context.Background()
	var g *graph.Graph
	before := heapMB()
	for b.Loop() {
		var err error
		if g, err = graph.Build(ctx, st, graph.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(heapMB()-before, "heap-MB")
	b.ReportMetric(float64(len(g.Events)), "events")
	b.ReportMetric(float64(len(g.Edges)), "edges")
	runtime.KeepAlive(g)
}

func builtGraph(b *testing.B) *graph.Graph {
	b.Helper()
	st := benchStore(b, benchDocs())
	defer st.Close()
	g, err := graph.Build(context.Background(), st, graph.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// BenchmarkPath answers "how is X connected to Y" between two rare entities.
func BenchmarkPath(b *testing.B) {
	g := builtGraph(b)
	from, to := g.Nodes[len(g.Nodes)-1].ID, g.Nodes[len(g.Nodes)/2].ID
	for b.Loop() {
		if _, err := g.Path(from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCentrality computes degree, strength and PageRank from scratch (a fresh view of the
// graph each time, so nothing is cached); BenchmarkBetweenness adds betweenness (exact up to
// graph.ExactBetweennessMax entities, estimated from sampled sources above).
func BenchmarkCentrality(b *testing.B) { benchCentrality(b, false) }

func BenchmarkBetweenness(b *testing.B) { benchCentrality(b, true) }

func benchCentrality(b *testing.B, betweenness bool) {
	g := builtGraph(b)
	b.ReportMetric(float64(len(g.Nodes)), "nodes")
	for b.Loop() {
		fresh := g.Filter(func(*graph.Edge) bool { return true })
		if cs := fresh.Centrality(betweenness); len(cs) == 0 {
			b.Fatal("no centrality")
		}
	}
}
