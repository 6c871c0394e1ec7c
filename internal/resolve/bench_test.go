package resolve_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/resolve"
	"github.com/mizan-osint/mizan/internal/resolve/namesim"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

var (
	givenNames = strings.Fields(`Mohamed Ahmed Karim Youssef Omar Ali Hassan Nabil Farid Samir Rachid Nacer Djamel Sofiane
		Amine Walid Khaled Tarek Mourad Yacine Leila Amina Nadia Samira Fatima Meriem Sara Lina Dmitry Sergey Andrei Ivan
		Pavel Nikolai Oleg Igor Viktor Alexei Reza Ali-Akbar Mahmoud Hossein Javad Majid`)
	syllables = strings.Fields(`ben bou ka la mi ra zi dja me nou ta ri sa ha lo ve ko mar tel gar din sal mou hi fa
		ab del ou ya ne ch ki ro vo za ga ba`)
)

// syntheticName returns the i-th of a family of distinct made-up names: a given name and a
// surname of two to four syllables.
func syntheticName(r *rand.Rand) string {
	var b strings.Builder
	for n := 2 + r.IntN(3); n > 0; n-- {
		b.WriteString(syllables[r.IntN(len(syllables))])
	}
	s := b.String()
	return givenNames[r.IntN(len(givenNames))] + " " + strings.ToUpper(s[:1]) + s[1:]
}

// variant respells a name as another document might: a vowel changed, letters doubled or the
// words swapped.
func variant(r *rand.Rand, name string) string {
	switch r.IntN(3) {
	case 0:
		return strings.Replace(name, "ou", "u", 1)
	case 1:
		f := strings.Fields(name)
		return f[len(f)-1] + " " + strings.Join(f[:len(f)-1], " ")
	}
	return strings.Replace(name, "a", "e", 1)
}

// populate stores n discovered people, 1000 per document, and returns their names.
func populate(tb testing.TB, st *sqlstore.DB, n int) []string {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	var names []string
	for len(names) < n {
		name := syntheticName(r)
		if id := namesim.Slug(mizan.PERSON, name); !seen[id] {
			seen[id] = true
			names = append(names, name)
		}
	}
	for start := 0; start < n; start += 1000 {
		batch := names[start:min(start+1000, n)]
		text := strings.Join(batch, ". ") + "."
		raw := []byte(fmt.Sprintf("population %d\n%s", start, text))
		d := &mizan.Document{ID: mizan.DocumentID(raw), Source: fmt.Sprintf("pop-%d", start), SourceKind: mizan.SourceFile,
			Title: "population", Lang: "en", Format: mizan.FormatText, Raw: raw, Text: text, Pipeline: nlp.Version}
		a := &mizan.Analysis{}
		off := 0
		for _, name := range batch {
			id := namesim.Slug(mizan.PERSON, name)
			n := len([]rune(name))
			a.Mentions = append(a.Mentions, mizan.Mention{Span: mizan.Span{Start: off, End: off + n}, Text: name, Type: mizan.PERSON, EntityID: id, Method: mizan.MethodModel})
			a.Entities = append(a.Entities, mizan.Entity{ID: id, Name: name, Type: mizan.PERSON, Names: []mizan.Name{{Text: name, Lang: "en", Kind: mizan.NameCanonical}}})
			off += n + 2
		}
		if _, err := st.PutDocument(context.Background(), d, a, false); err != nil {
			tb.Fatal(err)
		}
	}
	return names
}

// benchDocs are documents of ten discovered people each (half respellings of stored ones, half
// new) and three knowledge-base mentions, with every person mentioned three times.
func benchDocs(names []string, n int) []*nlp.Doc {
	r := rand.New(rand.NewPCG(3, 4))
	var docs []*nlp.Doc
	for i := range n {
		var people []string
		for k := range 10 {
			if k%2 == 0 {
				people = append(people, variant(r, names[r.IntN(len(names))]))
			} else {
				people = append(people, syntheticName(r)+"ski")
			}
		}
		text := "Algeria, Russia and Iran. " + strings.Join(people, ". ") + "."
		raw := []byte(fmt.Sprintf("bench %d\n%s", i, text))
		nd := &nlp.Doc{Document: &mizan.Document{ID: mizan.DocumentID(raw), Text: text, Raw: raw}}
		for k, kb := range []string{"gpe/dz", "gpe/ru", "gpe/ir"} {
			nd.Mentions = append(nd.Mentions, mizan.Mention{Span: mizan.Span{Start: k, End: k + 1}, Type: mizan.GPE, EntityID: kb, Method: mizan.MethodKB})
		}
		for _, p := range people {
			id := namesim.Slug(mizan.PERSON, p)
			for range 3 {
				nd.Mentions = append(nd.Mentions, mizan.Mention{Text: p, Type: mizan.PERSON, EntityID: id, Canonical: p})
			}
			nd.Entities = append(nd.Entities, mizan.Entity{ID: id, Name: p, Type: mizan.PERSON, Names: []mizan.Name{{Text: p, Kind: mizan.NameCanonical}}})
		}
		docs = append(docs, nd)
	}
	return docs
}

// BenchmarkResolve measures cross-document resolution against a store of 100,000 discovered
// people: mentions resolved per second, and the resolver's memory (the knowledge-base index and
// the name cache) in heap-MB.
func BenchmarkResolve(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a store of 100,000 entities")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	names := populate(b, st, 100_000)
	b.Logf("stored %d entities in %s", len(names), time.Since(start).Round(time.Millisecond))
	docs := benchDocs(names, 50)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := resolve.New(st, defaultKB(b), resolve.DefaultOptions())
	mentions, linked := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			// Resolve rewrites the analysis: work on a copy.
			nd := &nlp.Doc{Document: d.Document, Analysis: mizan.Analysis{
				Mentions: append([]mizan.Mention(nil), d.Mentions...),
				Entities: append([]mizan.Entity(nil), d.Entities...),
			}}
			if err := r.Resolve(ctx, nd); err != nil {
				b.Fatal(err)
			}
			mentions += len(nd.Mentions)
			linked += len(nd.Resolutions)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(mentions)/b.Elapsed().Seconds(), "mentions/s")
	b.ReportMetric(float64(linked)/float64(b.N*len(docs)*10), "linked-share")
	b.ReportMetric(float64(after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc))/(1<<20), "heap-MB")
}
