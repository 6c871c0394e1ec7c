package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/graph/formats/dot"
	"gonum.org/v1/gonum/graph/formats/dot/ast"
	"gonum.org/v1/gonum/graph/formats/gexf12"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/export"
	"github.com/mizan-osint/mizan/internal/graph"
)

func date(y, m, d int) *time.Time {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return &t
}

// texts serves the fixture's sentences and mentions as a store would.
type texts struct{ events []mizan.Event }

func (t texts) Events(_ context.Context, f mizan.EventFilter) ([]mizan.Event, int, error) {
	var out []mizan.Event
	for _, e := range t.events {
		if e.Doc == f.Doc {
			out = append(out, e)
		}
	}
	return out, len(out), nil
}

func (t texts) Mentions(context.Context, string) ([]mizan.Mention, error) { return nil, nil }

// fixture is a small fictional corpus with names that need escaping in every format.
func fixture(tb testing.TB) export.Data {
	tb.Helper()
	ingest := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	docs := []mizan.Document{
		{ID: "doc1", Title: `Talks in "Algiers" & <beyond>`, Lang: "en", Outlet: "Sahel Wire", Source: "https://sahelwire.example/a?x=1&y=2", Published: date(2024, 11, 5), IngestedAt: ingest},
		{ID: "doc2", Title: "مستشارون إيرانيون في الجزائر", Lang: "ar", Source: "/corpus/b.txt", IngestedAt: ingest},
		{ID: "doc3", Title: "Embargo", Lang: "fr", Source: "c.html", Published: date(2022, 6, 9), IngestedAt: ingest},
	}
	mk := func(id, doc string, typ mizan.EventType, src, tgt, place string, start *time.Time, months int, text string) mizan.Event {
		e := mizan.Event{ID: id, Doc: doc, Type: typ, Mode: mizan.Asserted, Text: text, Sentence: mizan.Span{Start: 0, End: len([]rune(text))},
			Attribution: mizan.Attribution{Kind: mizan.AttrAuthor}, Time: mizan.TimeExpr{Precision: mizan.PrecisionUnknown}, Confidence: 0.8}
		if src != "" {
			e.Source = []mizan.Actor{{Entity: src}}
		}
		if tgt != "" {
			e.Target = []mizan.Actor{{Entity: tgt}}
		}
		if place != "" {
			e.Place = &mizan.Actor{Entity: place}
		}
		if start != nil {
			end := start.AddDate(0, months, 0)
			e.Time = mizan.TimeExpr{Start: start, End: &end, Precision: mizan.PrecisionRange}
		}
		return e
	}
	events := []mizan.Event{
		mk("e1", "doc1", mizan.CONSULT, "gpe/ir", "gpe/dz", "loc/algiers", date(2024, 10, 1), 3, `Iranian advisers visited Algiers, a "memo" says.`),
		mk("e2", "doc2", mizan.CONSULT, "gpe/dz", "gpe/ir", "gpe/dz", date(2024, 10, 1), 3, "زار مستشارون إيرانيون الجزائر في نهاية 2024."),
		mk("e3", "doc3", mizan.SANCTION, "gpe/dz", "gpe/es", "", date(2022, 6, 1), 1, "L'Algérie a gelé ses échanges avec l'Espagne."),
		mk("e4", "doc3", mizan.THREATEN, "gpe/dz", "gpe/es", "", nil, 0, "Alger menace d'un embargo."),
		mk("e5", "doc1", mizan.AID, "person/x-y", "group/a-b", "", nil, 0, "A man armed the group."),
		mk("e6", "doc1", mizan.MOBILIZE, "group/a-b", "", "loc/sahel", nil, 0, "The group moved into the Sahel."),
	}
	events[1].Mode, events[1].Hedged = mizan.Asserted, true
	entities := []mizan.Entity{
		{ID: "gpe/dz", Name: "Algeria", Type: mizan.GPE}, {ID: "gpe/ir", Name: "Iran", Type: mizan.GPE},
		{ID: "gpe/es", Name: "Spain", Type: mizan.GPE},
		{ID: "loc/algiers", Name: "Algiers", Type: mizan.LOC, Attrs: map[string]string{"country": "dz"}},
		{ID: "loc/sahel", Name: "Sahel", Type: mizan.LOC},
		{ID: "person/x-y", Name: `X "the" Y`, Type: mizan.PERSON},
		{ID: "group/a-b", Name: "A&B <Brigade>", Type: mizan.GROUP},
	}
	g := graph.New(docs, events, entities, graph.Options{})
	claims := claim.Match(g)
	table, err := admiralty.Load(strings.NewReader("outlets:\n  - {name: Sahel Wire, grade: B}\n"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := claim.Assess(context.Background(), g, claims, texts{events}, table); err != nil {
		tb.Fatal(err)
	}
	return export.Data{Graph: g, Claims: claims}
}

func write(tb testing.TB, f export.Format, d export.Data) []byte {
	tb.Helper()
	var buf bytes.Buffer
	var err error
	if slices.Contains(export.GraphFormats, f) {
		err = export.WriteGraph(&buf, f, d.Graph, export.Grades(d.Graph, d.Claims))
	} else {
		err = export.WriteData(&buf, f, d)
	}
	if err != nil {
		tb.Fatalf("write %s: %v", f, err)
	}
	// Deterministic: the same graph gives the same bytes.
	var again bytes.Buffer
	if slices.Contains(export.GraphFormats, f) {
		export.WriteGraph(&again, f, d.Graph, export.Grades(d.Graph, d.Claims))
	} else {
		export.WriteData(&again, f, d)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		tb.Errorf("%s: got different bytes writing the same graph twice", f)
	}
	return buf.Bytes()
}

// python runs a Python snippet with networkx (Debian's python3-networkx) on a file, or skips.
func python(t *testing.T, code, file string) string {
	t.Helper()
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import networkx").Run(); err != nil {
		t.Skipf("networkx not installed (apt-get install python3-networkx): the %s check by its reader is skipped", filepath.Ext(file))
	}
	out, err := exec.Command(py, "-c", code, file).CombinedOutput()
	if err != nil {
		t.Fatalf("networkx rejects %s: %v\n%s", filepath.Base(file), err, out)
	}
	return strings.TrimSpace(string(out))
}

func tempFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGraphML(t *testing.T) {
	d := fixture(t)
	data := write(t, export.GraphML, d)
	// The structure GraphML requires: typed keys, data that uses declared keys, edges between
	// declared nodes.
	var doc struct {
		Keys []struct {
			ID   string `xml:"id,attr"`
			For  string `xml:"for,attr"`
			Type string `xml:"attr.type,attr"`
		} `xml:"key"`
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	types := map[string]string{}
	for _, k := range doc.Keys {
		types[k.ID] = k.Type
	}
	nodes := map[string]bool{}
	for _, n := range doc.Graph.Nodes {
		nodes[n.ID] = true
		for _, dd := range n.Data {
			if types[dd.Key] == "" {
				t.Errorf("node %s: data key %s is not declared", n.ID, dd.Key)
			}
		}
	}
	for _, e := range doc.Graph.Edges {
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Errorf("edge %s-%s: got an end that is not a node", e.Source, e.Target)
		}
		for _, dd := range e.Data {
			switch types[dd.Key] {
			case "int":
				if _, err := strconv.Atoi(dd.Value); err != nil {
					t.Errorf("edge data %s: got %q, want an int", dd.Key, dd.Value)
				}
			case "double":
				if _, err := strconv.ParseFloat(dd.Value, 64); err != nil {
					t.Errorf("edge data %s: got %q, want a double", dd.Key, dd.Value)
				}
			case "":
				t.Errorf("edge data key %s is not declared", dd.Key)
			}
		}
	}
	if got, want := len(doc.Graph.Edges), len(d.Graph.Edges); got != want {
		t.Errorf("got %d edges, want %d", got, want)
	}
	out := python(t, `import sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
w = [d["weight"] for _, _, d in g.edges(data=True)]
assert all(isinstance(x, float) for x in w), w
names = sorted(d["name"] for _, d in g.nodes(data=True))
print(g.number_of_nodes(), g.number_of_edges(), "|".join(names))`, tempFile(t, "g.graphml", data))
	if !strings.HasPrefix(out, strconv.Itoa(len(doc.Graph.Nodes))+" "+strconv.Itoa(len(d.Graph.Edges))+" ") || !strings.Contains(out, `X "the" Y`) {
		t.Errorf("networkx read %q, want %d nodes, %d edges and the names intact", out, len(doc.Graph.Nodes), len(d.Graph.Edges))
	}
}

func TestGEXF(t *testing.T) {
	d := fixture(t)
	data := write(t, export.GEXF, d)
	var c gexf12.Content
	if err := xml.Unmarshal(data, &c); err != nil {
		t.Fatalf("not GEXF 1.2: %v", err)
	}
	if c.Version != "1.2" || c.Graph.Edges.Count != len(d.Graph.Edges) || len(c.Graph.Edges.Edges) != len(d.Graph.Edges) {
		t.Errorf("got version %q, %d edges (count %d), want 1.2 and %d", c.Version, len(c.Graph.Edges.Edges), c.Graph.Edges.Count, len(d.Graph.Edges))
	}
	declared := map[string]string{}
	for _, as := range c.Graph.Attributes {
		for _, a := range as.Attributes {
			declared[as.Class+":"+a.ID] = a.Type
		}
	}
	for _, e := range c.Graph.Edges.Edges {
		if e.Weight <= 0 || e.Start == "" || e.End < e.Start {
			t.Errorf("edge %s: got weight %g, interval %s..%s, want a weight and a time interval", e.ID, e.Weight, e.Start, e.End)
		}
		for _, v := range e.AttValues.AttValues {
			typ := declared["edge:"+v.For]
			if typ == "" {
				t.Errorf("edge %s: value for undeclared attribute %s", e.ID, v.For)
			}
			if typ == "integer" {
				if _, err := strconv.Atoi(v.Value); err != nil {
					t.Errorf("edge %s attribute %s: got %q, want an integer", e.ID, v.For, v.Value)
				}
			}
		}
	}
	out := python(t, `import sys, networkx as nx
g = nx.read_gexf(sys.argv[1])
print(g.number_of_nodes(), g.number_of_edges(), sorted(set(d.get("grade", "") for _, _, d in g.edges(data=True))))`, tempFile(t, "g.gexf", data))
	if !strings.HasPrefix(out, strconv.Itoa(len(c.Graph.Nodes.Nodes))+" "+strconv.Itoa(len(d.Graph.Edges))+" ") || !strings.Contains(out, "F4") && !strings.Contains(out, "B") {
		t.Errorf("networkx read %q, want %d nodes, %d edges and the grades", out, len(c.Graph.Nodes.Nodes), len(d.Graph.Edges))
	}
}

func TestDOT(t *testing.T) {
	d := fixture(t)
	data := write(t, export.DOT, d)
	f, err := dot.ParseBytes(data)
	if err != nil {
		t.Fatalf("gonum's DOT parser rejects it: %v\n%s", err, data)
	}
	if len(f.Graphs) != 1 || f.Graphs[0].Directed {
		t.Fatalf("got %d graphs, want one undirected graph", len(f.Graphs))
	}
	edges, labels := 0, map[string]bool{}
	for _, s := range f.Graphs[0].Stmts {
		switch s := s.(type) {
		case *ast.EdgeStmt:
			edges++
		case *ast.NodeStmt:
			for _, a := range s.Attrs {
				if a.Key == "label" {
					labels[a.Val] = true
				}
			}
		}
	}
	if edges != len(d.Graph.Edges) || !labels[`"X \"the\" Y"`] {
		t.Errorf("got %d edges and labels %v, want %d edges and the quoted name intact", edges, labels, len(d.Graph.Edges))
	}
	if _, err := exec.LookPath("dot"); err != nil {
		t.Skip("Graphviz not installed (apt-get install graphviz): dot's own parse is skipped")
	}
	cmd := exec.Command("dot", "-Tsvg")
	cmd.Stdin = bytes.NewReader(data)
	if out, err := cmd.CombinedOutput(); err != nil || !bytes.Contains(out, []byte("<svg")) {
		t.Errorf("Graphviz rejects it: %v\n%s", err, out)
	}
}

func TestJSONGraph(t *testing.T) {
	d := fixture(t)
	var g struct {
		Nodes []struct{ ID, Name string } `json:"nodes"`
		Edges []struct {
			Source, Target, Grade string
			Weight                float64
		} `json:"edges"`
	}
	if err := json.Unmarshal(write(t, export.JSON, d), &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Edges) != len(d.Graph.Edges) {
		t.Errorf("got %d edges, want %d", len(g.Edges), len(d.Graph.Edges))
	}
	graded := false
	for _, e := range g.Edges {
		graded = graded || e.Grade != ""
	}
	if !graded {
		t.Error("got no graded relation, want the claims' grades on them")
	}
}

func TestCSV(t *testing.T) {
	d := fixture(t)
	tests := []struct {
		table string
		rows  int
		col   string
	}{
		{"", len(d.Graph.Edges), "grade"},
		{"relations", len(d.Graph.Edges), "weight"},
		{"events", len(d.Graph.Events), "reported"},
		{"claims", len(d.Claims), "reasons"},
		{"entities", len(d.Graph.Nodes), "strength"},
	}
	for _, tt := range tests {
		d.Table = tt.table
		recs, err := csv.NewReader(bytes.NewReader(write(t, export.CSV, d))).ReadAll()
		if err != nil {
			t.Fatalf("%s: not CSV: %v", tt.table, err)
		}
		if len(recs) != tt.rows+1 || !strings.Contains(strings.Join(recs[0], ","), tt.col) {
			t.Errorf("%s: got %d records, header %v; want a header with %s and %d rows", tt.table, len(recs), recs[0], tt.col, tt.rows)
		}
	}
	d.Table = "nope"
	if err := export.WriteData(&bytes.Buffer{}, export.CSV, d); mizan.ErrorCode(err) != mizan.EINVALID {
		t.Errorf("got %v for an unknown table, want EINVALID", err)
	}
	if err := export.WriteData(&bytes.Buffer{}, "xml", d); mizan.ErrorCode(err) != mizan.EUNSUPPORTED {
		t.Errorf("got %v for an unknown format, want EUNSUPPORTED", err)
	}
}

func TestJSONL(t *testing.T) {
	d := fixture(t)
	kinds := map[string]int{}
	for i, line := range strings.Split(strings.TrimSpace(string(write(t, export.JSONL, d))), "\n") {
		var v struct{ Kind string }
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		kinds[v.Kind]++
	}
	if kinds["entity"] != len(d.Graph.Nodes) || kinds["relation"] != len(d.Graph.Edges) || kinds["claim"] != len(d.Claims) || kinds["document"] != 3 {
		t.Errorf("got kinds %v, want every entity, relation, claim and document", kinds)
	}
}
