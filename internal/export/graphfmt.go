package export

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/graph/formats/gexf12"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/graph"
)

// jsonNode and jsonEdge are the JSON graph's records.
type jsonNode struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Type     mizan.EntityType `json:"type,omitempty"`
	Country  string           `json:"country,omitempty"`
	Events   int              `json:"events"`
	Docs     int              `json:"docs"`
	Degree   int              `json:"degree"`
	Strength float64          `json:"strength"`
	First    string           `json:"first"`
	Last     string           `json:"last"`
}

type jsonEdge struct {
	ID          string            `json:"id"`
	Source      string            `json:"source"`
	Target      string            `json:"target"`
	Weight      float64           `json:"weight"`
	Events      int               `json:"events"`
	Docs        int               `json:"docs"`
	Type        string            `json:"type"`
	Types       []graph.TypeCount `json:"types"`
	Direction   string            `json:"direction"`
	SourceToTgt int               `json:"source_to_target"`
	TgtToSource int               `json:"target_to_source"`
	Mutual      int               `json:"mutual"`
	Negated     int               `json:"negated"`
	Hedged      int               `json:"hedged"`
	// Dated counts the events whose text gives a time; First and Last are the earliest and
	// latest of them at their precision (2024, 2024-03 or 2024-03-15), empty when none is.
	Dated         int    `json:"dated"`
	First         string `json:"first"`
	Last          string `json:"last"`
	FirstReported string `json:"first_reported"`
	LastReported  string `json:"last_reported"`
	Reliability   string `json:"reliability,omitempty"`
	Credibility   int    `json:"credibility,omitempty"`
	Grade         string `json:"grade,omitempty"`
}

func nodeRecord(n *graph.Node) jsonNode {
	return jsonNode{ID: n.ID, Name: n.Name, Type: n.Type, Country: n.Attrs["country"], Events: n.Events, Docs: n.Docs,
		Degree: n.Degree, Strength: n.Strength, First: day(n.First), Last: day(n.Last)}
}

func edgeRecord(g *graph.Graph, i int, e *graph.Edge, grades map[[2]string]Grade) jsonEdge {
	gr := gradeOf(grades, e)
	first, last := datedRange(g, e)
	r := jsonEdge{ID: fmt.Sprintf("e%d", i), Source: e.A, Target: e.B, Weight: e.Weight, Events: len(e.Events), Docs: e.Docs,
		Type: mainType(e.Types), Types: e.Types, Direction: direction(e), SourceToTgt: e.AB, TgtToSource: e.BA, Mutual: e.Mutual,
		Negated: e.Negated, Hedged: e.Hedged, Dated: e.Dated, First: first, Last: last, FirstReported: day(e.FirstReported),
		LastReported: day(e.LastReported), Grade: gr.String()}
	if gr.Claims > 0 {
		r.Reliability, r.Credibility = string(gr.Reliability), int(gr.Credibility)
	}
	return r
}

// WriteJSON writes the graph as one JSON object: {"as_of", "nodes", "edges"}.
func WriteJSON(w io.Writer, g *graph.Graph, grades map[[2]string]Grade) error {
	out := struct {
		AsOf  *time.Time `json:"as_of,omitempty"`
		Nodes []jsonNode `json:"nodes"`
		Edges []jsonEdge `json:"edges"`
	}{AsOf: g.AsOf, Nodes: []jsonNode{}, Edges: []jsonEdge{}}
	for _, n := range linkedNodes(g) {
		out.Nodes = append(out.Nodes, nodeRecord(n))
	}
	for i, e := range g.Edges {
		out.Edges = append(out.Edges, edgeRecord(g, i, e, grades))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// attr is one typed attribute of the graph formats.
type attr struct {
	name, typ string // typ: string, int, double
	node      bool
}

var nodeAttrs = []attr{{"entity", "string", true}, {"name", "string", true}, {"type", "string", true}, {"country", "string", true},
	{"events", "int", true}, {"docs", "int", true}, {"degree", "int", true}, {"strength", "double", true},
	{"first", "string", true}, {"last", "string", true}}

var edgeAttrs = []attr{{"weight", "double", false}, {"events", "int", false}, {"docs", "int", false}, {"type", "string", false},
	{"types", "string", false}, {"direction", "string", false}, {"source_to_target", "int", false},
	{"target_to_source", "int", false}, {"mutual", "int", false}, {"negated", "int", false}, {"hedged", "int", false},
	{"dated", "int", false}, {"first", "string", false}, {"last", "string", false}, {"first_reported", "string", false},
	{"last_reported", "string", false}, {"reliability", "string", false}, {"credibility", "int", false},
	{"grade", "string", false}}

func nodeValues(n *graph.Node) []string {
	return []string{n.ID, n.Name, string(n.Type), n.Attrs["country"], strconv.Itoa(n.Events), strconv.Itoa(n.Docs),
		strconv.Itoa(n.Degree), num(n.Strength), day(n.First), day(n.Last)}
}

func edgeValues(g *graph.Graph, e *graph.Edge, gr Grade) []string {
	first, last := datedRange(g, e)
	rel, cred := "", ""
	if gr.Claims > 0 {
		rel, cred = string(gr.Reliability), strconv.Itoa(int(gr.Credibility))
	}
	return []string{num(e.Weight), strconv.Itoa(len(e.Events)), strconv.Itoa(e.Docs), mainType(e.Types), typeList(e.Types),
		direction(e), strconv.Itoa(e.AB), strconv.Itoa(e.BA), strconv.Itoa(e.Mutual), strconv.Itoa(e.Negated),
		strconv.Itoa(e.Hedged), strconv.Itoa(e.Dated), first, last, day(e.FirstReported), day(e.LastReported), rel, cred, gr.String()}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// GraphML elements.
type (
	gmlRoot struct {
		XMLName        xml.Name `xml:"graphml"`
		NS             string   `xml:"xmlns,attr"`
		XSI            string   `xml:"xmlns:xsi,attr"`
		SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
		Keys           []gmlKey `xml:"key"`
		Graph          gmlGraph `xml:"graph"`
	}
	gmlKey struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	gmlGraph struct {
		ID          string    `xml:"id,attr"`
		EdgeDefault string    `xml:"edgedefault,attr"`
		Nodes       []gmlNode `xml:"node"`
		Edges       []gmlEdge `xml:"edge"`
	}
	gmlNode struct {
		ID   string    `xml:"id,attr"`
		Data []gmlData `xml:"data"`
	}
	gmlEdge struct {
		ID     string    `xml:"id,attr"`
		Source string    `xml:"source,attr"`
		Target string    `xml:"target,attr"`
		Data   []gmlData `xml:"data"`
	}
	gmlData struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
)

func gmlValues(prefix string, attrs []attr, values []string) []gmlData {
	var out []gmlData
	for i, a := range attrs {
		if values[i] == "" {
			continue // GraphML: absent data is the default
		}
		out = append(out, gmlData{Key: prefix + a.name, Value: values[i]})
	}
	return out
}

// WriteGraphML writes the graph as GraphML 1.0 with typed keys (Gephi, yEd, networkx). Node ids
// are n0, n1…, the entity id being the "entity" attribute, since GraphML ids are NMTOKENs.
func WriteGraphML(w io.Writer, g *graph.Graph, grades map[[2]string]Grade) error {
	root := gmlRoot{NS: "http://graphml.graphdrawing.org/xmlns", XSI: "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
		Graph:          gmlGraph{ID: "mizan", EdgeDefault: "undirected"}}
	for _, a := range nodeAttrs {
		root.Keys = append(root.Keys, gmlKey{ID: "n_" + a.name, For: "node", Name: a.name, Type: a.typ})
	}
	for _, a := range edgeAttrs {
		root.Keys = append(root.Keys, gmlKey{ID: "e_" + a.name, For: "edge", Name: a.name, Type: a.typ})
	}
	ids := map[string]string{}
	for i, n := range linkedNodes(g) {
		ids[n.ID] = fmt.Sprintf("n%d", i)
		root.Graph.Nodes = append(root.Graph.Nodes, gmlNode{ID: ids[n.ID], Data: gmlValues("n_", nodeAttrs, nodeValues(n))})
	}
	for i, e := range g.Edges {
		root.Graph.Edges = append(root.Graph.Edges, gmlEdge{ID: fmt.Sprintf("e%d", i), Source: ids[e.A], Target: ids[e.B],
			Data: gmlValues("e_", edgeAttrs, edgeValues(g, e, gradeOf(grades, e)))})
	}
	return writeXML(w, root)
}

func writeXML(w io.Writer, v any) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if _, err := bw.WriteString("\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// gexfType maps an attribute type to GEXF's.
func gexfType(t string) string {
	if t == "int" {
		return "integer"
	}
	return t
}

// WriteGEXF writes the graph as GEXF 1.2 (gonum's gexf12 types), which Gephi opens: typed node
// and edge attributes, labels, weights, and each node's and edge's first and last event dates as
// its time interval, so Gephi's timeline can replay the network.
func WriteGEXF(w io.Writer, g *graph.Graph, grades map[[2]string]Grade) error {
	c := gexf12.Content{Version: "1.2", Meta: &gexf12.Meta{Creator: "mizan", Description: "knowledge graph of events between entities"}}
	c.Graph.DefaultEdgeType = "undirected"
	c.Graph.IDType = "string"
	c.Graph.Mode = "dynamic"
	c.Graph.TimeFormat = "date"
	if g.AsOf != nil {
		c.Meta.LastModified = g.AsOf.UTC()
	}
	na := gexf12.Attributes{Class: "node", Mode: "static"}
	for i, a := range nodeAttrs {
		na.Attributes = append(na.Attributes, gexf12.Attribute{ID: fmt.Sprintf("n%d", i), Title: a.name, Type: gexfType(a.typ)})
	}
	ea := gexf12.Attributes{Class: "edge", Mode: "static"}
	for i, a := range edgeAttrs {
		ea.Attributes = append(ea.Attributes, gexf12.Attribute{ID: fmt.Sprintf("e%d", i), Title: a.name, Type: gexfType(a.typ)})
	}
	c.Graph.Attributes = []gexf12.Attributes{na, ea}
	values := func(prefix string, vs []string) *gexf12.AttValues {
		av := &gexf12.AttValues{}
		for i, v := range vs {
			if v != "" {
				av.AttValues = append(av.AttValues, gexf12.AttValue{For: fmt.Sprintf("%s%d", prefix, i), Value: v})
			}
		}
		return av
	}
	for _, n := range linkedNodes(g) {
		c.Graph.Nodes.Nodes = append(c.Graph.Nodes.Nodes, gexf12.Node{ID: n.ID, Label: n.Name, Start: day(n.First),
			End: day(n.Last), AttValues: values("n", nodeValues(n))})
	}
	for i, e := range g.Edges {
		c.Graph.Edges.Edges = append(c.Graph.Edges.Edges, gexf12.Edge{ID: fmt.Sprintf("e%d", i), Source: e.A, Target: e.B,
			// The spell places the edge on Gephi's timeline: from its first to its last event,
			// an undated event counting at its report's date (the dated range is in attributes).
			Label: mainType(e.Types), Weight: e.Weight, Start: day(e.First), End: day(e.Last),
			AttValues: values("e", edgeValues(g, e, gradeOf(grades, e)))})
	}
	c.Graph.Nodes.Count = len(c.Graph.Nodes.Nodes)
	c.Graph.Edges.Count = len(c.Graph.Edges.Edges)
	return writeXML(w, c)
}

// dotQuote quotes a DOT string.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// WriteDOT writes the graph in Graphviz's DOT language: an undirected graph whose nodes are
// labelled with entity names and shaped by type, and whose edges carry their weight (as
// thickness), main type, grade and dates.
func WriteDOT(w io.Writer, g *graph.Graph, grades map[[2]string]Grade) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "graph mizan {")
	fmt.Fprintln(bw, `  graph [overlap=false, splines=true];`)
	fmt.Fprintln(bw, `  node [fontname="Noto Sans"];`)
	shape := map[mizan.EntityType]string{mizan.PERSON: "ellipse", mizan.ORG: "box", mizan.GPE: "doubleoctagon", mizan.LOC: "house",
		mizan.FAC: "component", mizan.GROUP: "hexagon"}
	for _, n := range linkedNodes(g) {
		s := shape[n.Type]
		if s == "" {
			s = "plaintext"
		}
		fmt.Fprintf(bw, "  %s [label=%s, shape=%s, type=%s, events=%d, degree=%d];\n", dotQuote(n.ID), dotQuote(n.Name), s,
			dotQuote(string(n.Type)), n.Events, n.Degree)
	}
	for _, e := range g.Edges {
		gr := gradeOf(grades, e)
		label := mainType(e.Types)
		first, last := datedRange(g, e)
		if s := gr.String(); s != "" {
			label += " " + s
		}
		fmt.Fprintf(bw, "  %s -- %s [weight=%d, penwidth=%s, label=%s, types=%s, direction=%s, first=%s, last=%s, grade=%s];\n",
			dotQuote(e.A), dotQuote(e.B), int(math.Max(1, math.Round(e.Weight))), num(math.Min(8, 1+math.Log2(1+e.Weight))),
			dotQuote(label), dotQuote(typeList(e.Types)), dotQuote(direction(e)), dotQuote(first), dotQuote(last),
			dotQuote(gr.String()))
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}
