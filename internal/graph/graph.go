// Package graph is the knowledge graph an analyst reasons with: entities as nodes, and for every
// pair of entities that events link, a relation (Edge) that aggregates those events by PLOVER
// type, direction and time, each event kept as evidence that leads back to its document and
// sentence. Analytics (centrality, communities, evidence paths, ego networks, change between two
// graphs) run on gonum.
//
// A Graph is built from a store's compact scans (Build): event rows without their sentence text
// and document metadata without the text, so that a graph of a large corpus costs memory in
// proportion to its events and entities. Sentence texts are loaded for the few events an answer
// shows (Details).
//
// Three times are kept apart. Event time is when the text says something happened (Event.Start,
// End, at their precision); report time is when the document was published, or, for an undated
// document, when it was ingested (Doc.Reported); ingest time is when mizan read it. Options.AsOf
// keeps only what had been reported by a date: the picture as it stood then.
//
// A Graph is immutable once built and safe for concurrent reads; the analytics build their gonum
// views on first use under a lock.
package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
)

// Source is what Build reads from a store (internal/sqlstore implements it).
type Source interface {
	// ScanEventLinks streams the events matching a filter without their text: actors as entity
	// ids, merged entities reported as the entity they were merged into.
	ScanEventLinks(ctx context.Context, f mizan.EventFilter, fn func(*mizan.Event) error) error
	// ScanDocumentMeta streams documents' metadata without their text.
	ScanDocumentMeta(ctx context.Context, f mizan.DocumentFilter, fn func(*mizan.Document) error) error
	// StoredEntities returns the stored entities among ids (names, types, attributes).
	StoredEntities(ctx context.Context, ids []string) ([]mizan.Entity, error)
}

// Options select what a graph is built from.
type Options struct {
	// AsOf keeps only events of documents reported (published, else ingested) by then.
	AsOf *time.Time
	// Types keeps events of these PLOVER types (all when empty).
	Types []mizan.EventType
	// Modes keeps events in these modes (all when empty).
	Modes []mizan.Mode
	// Since and Until keep events whose time overlaps [Since, Until); an event whose text gives
	// no time counts at its document's date.
	Since, Until *time.Time
	// Entity keeps only the events an entity takes part in (its relations, cheaply).
	Entity string
}

// Doc is a document as the graph knows it: metadata, no text.
type Doc struct {
	ID        string          `json:"id"`
	Source    string          `json:"source,omitempty"`
	Outlet    string          `json:"outlet,omitempty"`
	Title     string          `json:"title,omitempty"`
	Lang      string          `json:"lang,omitempty"`
	DupGroup  string          `json:"dup_group,omitempty"`
	Published *time.Time      `json:"published,omitempty"`
	Precision mizan.Precision `json:"published_precision,omitempty"`
	Ingested  time.Time       `json:"ingested_at"`
}

// Reported is when the document became known: its publication date, else its ingest time.
func (d *Doc) Reported() time.Time {
	if d.Published != nil {
		return *d.Published
	}
	return d.Ingested
}

// Event is an event reduced to what the graph needs; Details loads the rest.
type Event struct {
	ID       string
	Doc      int32 // index into Graph.Docs
	Sentence mizan.Span
	Type     mizan.EventType
	SubType  string
	Mode     mizan.Mode
	// Source, Target and Participants are entity ids.
	Source, Target, Participants []string
	Place                        string
	// Start and End bound the event's time as the text gives it (zero when it gives none);
	// End is exclusive.
	Start, End time.Time
	Precision  mizan.Precision
	AttrKind   mizan.AttributionKind
	AttrEntity string
	Hedged     bool
	Confidence float32
}

// Dated reports whether the text gave the event a time.
func (e *Event) Dated() bool { return !e.Start.IsZero() }

// Time is the event's time as its text gives it (no Start when undated).
func (e *Event) Time() mizan.TimeExpr {
	t := mizan.TimeExpr{Precision: e.Precision}
	if e.Dated() {
		t.Start = &e.Start
	}
	if !e.End.IsZero() {
		t.End = &e.End
	}
	return t
}

// Node is an entity of the graph.
type Node struct {
	ID    string            `json:"id"`
	Name  string            `json:"name"`
	Type  mizan.EntityType  `json:"type,omitempty"`
	Attrs map[string]string `json:"attrs,omitempty"`
	// Events counts the events the entity takes part in (as an actor or the place of an
	// actor's event), Docs the documents they come from.
	Events int `json:"events"`
	Docs   int `json:"docs"`
	// Degree is how many other entities it is linked to, Strength the sum of those links'
	// weights.
	Degree   int     `json:"degree"`
	Strength float64 `json:"strength"`
	// First and Last are the earliest and latest event times (undated events count at their
	// document's date).
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
}

// TypeCount is how many of an edge's events have one PLOVER type.
type TypeCount struct {
	Type  mizan.EventType `json:"type"`
	Count int             `json:"count"`
}

// Edge is the relation between two entities: every event that links them. A and B are in id
// order; AB counts events in which A acted on B, BA the other way, Mutual those in which they
// took part together (meetings, cooperation, joint action).
type Edge struct {
	A, B string
	// Weight is the number of distinct sentences that attest the relation: several events read
	// from one sentence count once.
	Weight float64
	// Events are indexes into Graph.Events, ordered by event time.
	Events []int32
	Docs   int
	Types  []TypeCount // most frequent first
	AB     int
	BA     int
	Mutual int
	// Negated counts events that say something did not happen; Hedged those reported with a
	// hedge ("reportedly", "may").
	Negated, Hedged int
	// First and Last are the earliest and latest event times (undated events counting at their
	// report time, for ordering); FirstReported and LastReported the earliest and latest report
	// times.
	First, Last                 time.Time
	FirstReported, LastReported time.Time
	// Dated counts the events whose text gives a time; FirstDated and LastDated index the
	// earliest and latest of them in Graph.Events (-1 when none is dated). What an export or
	// a view states as the relation's dates comes from these, at their events' precision.
	Dated                 int
	FirstDated, LastDated int32
}

// Other returns the end of e that is not id.
func (e *Edge) Other(id string) string {
	if e.A == id {
		return e.B
	}
	return e.A
}

// Graph is the knowledge graph.
type Graph struct {
	Docs   []Doc
	Events []Event
	// Nodes are in id order; Edges heaviest first.
	Nodes []*Node
	Edges []*Edge
	// AsOf is the date the graph stands at (nil: everything known).
	AsOf *time.Time

	nodeIx map[string]int
	edgeIx map[[2]string]int
	adj    map[string][]int // node id -> edge indexes

	anOnce sync.Once
	an     *analytics
}

// Build reads the events and documents a Source holds and builds the graph.
func Build(ctx context.Context, src Source, o Options) (*Graph, error) {
	b := newBuilder(o)
	if err := src.ScanDocumentMeta(ctx, mizan.DocumentFilter{}, func(d *mizan.Document) error {
		b.addDoc(d)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("graph documents: %w", err)
	}
	f := mizan.EventFilter{Types: o.Types, Modes: o.Modes, Since: o.Since, Until: o.Until, AsOf: o.AsOf, Entity: o.Entity}
	if err := src.ScanEventLinks(ctx, f, func(e *mizan.Event) error {
		b.addEvent(e)
		return ctx.Err()
	}); err != nil {
		return nil, fmt.Errorf("graph events: %w", err)
	}
	ids := b.entityIDs()
	ents, err := src.StoredEntities(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("graph entities: %w", err)
	}
	return b.finish(ents), nil
}

// New builds a graph from documents, events and entities in memory (tests, evaluations and
// small inputs). Events of documents not given, or outside the options, are left out.
func New(docs []mizan.Document, events []mizan.Event, entities []mizan.Entity, o Options) *Graph {
	b := newBuilder(o)
	for i := range docs {
		b.addDoc(&docs[i])
	}
	for i := range events {
		e := events[i]
		if !b.keep(&e) {
			continue
		}
		b.addEvent(&e)
	}
	return b.finish(entities)
}

type builder struct {
	o      Options
	g      *Graph
	docIx  map[string]int32
	intern map[string]string
	ents   map[string]bool
}

func newBuilder(o Options) *builder {
	return &builder{o: o, g: &Graph{AsOf: o.AsOf}, docIx: map[string]int32{}, intern: map[string]string{}, ents: map[string]bool{}}
}

func (b *builder) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := b.intern[s]; ok {
		return v
	}
	b.intern[s] = s
	return s
}

func (b *builder) addDoc(d *mizan.Document) {
	doc := Doc{ID: d.ID, Source: d.Source, Outlet: b.str(d.Outlet), Title: d.Title, Lang: b.str(d.Lang),
		DupGroup: d.DupGroup, Published: d.Published, Precision: d.PublishedPrecision, Ingested: d.IngestedAt}
	if b.o.AsOf != nil && doc.Reported().After(*b.o.AsOf) {
		return
	}
	b.docIx[d.ID] = int32(len(b.g.Docs))
	b.g.Docs = append(b.g.Docs, doc)
}

// keep applies the options to an in-memory event (Build leaves that to the store's filter).
func (b *builder) keep(e *mizan.Event) bool {
	if len(b.o.Types) > 0 && !slices.Contains(b.o.Types, e.Type) {
		return false
	}
	if len(b.o.Modes) > 0 && !slices.Contains(b.o.Modes, e.Mode) {
		return false
	}
	di, ok := b.docIx[e.Doc]
	if !ok {
		return false
	}
	if b.o.Entity != "" && !slices.ContainsFunc(append(append(append([]mizan.Actor(nil), e.Source...), e.Target...), e.Participants...),
		func(a mizan.Actor) bool { return a.Entity == b.o.Entity }) {
		return false
	}
	if b.o.Since != nil || b.o.Until != nil {
		start := b.g.Docs[di].Reported()
		end := start.Add(time.Second)
		if e.Time.Start != nil {
			start, end = *e.Time.Start, e.Time.Start.Add(time.Second)
			if e.Time.End != nil && e.Time.End.After(start) {
				end = *e.Time.End
			}
		}
		if b.o.Since != nil && !end.After(*b.o.Since) {
			return false
		}
		if b.o.Until != nil && !start.Before(*b.o.Until) {
			return false
		}
	}
	return true
}

func (b *builder) ids(as []mizan.Actor) []string {
	if len(as) == 0 {
		return nil
	}
	out := make([]string, 0, len(as))
	for _, a := range as {
		if a.Entity == "" || slices.Contains(out, a.Entity) {
			continue
		}
		id := b.str(a.Entity)
		b.ents[id] = true
		out = append(out, id)
	}
	return out
}

func (b *builder) addEvent(e *mizan.Event) {
	di, ok := b.docIx[e.Doc]
	if !ok {
		return // a document reported after AsOf, or unknown
	}
	ev := Event{ID: e.ID, Doc: di, Sentence: e.Sentence, Type: mizan.EventType(b.str(string(e.Type))),
		SubType: b.str(e.SubType), Mode: mizan.Mode(b.str(string(e.Mode))), Source: b.ids(e.Source), Target: b.ids(e.Target),
		Participants: b.ids(e.Participants), Precision: mizan.Precision(b.str(string(e.Time.Precision))),
		AttrKind: mizan.AttributionKind(b.str(string(e.Attribution.Kind))), AttrEntity: b.str(e.Attribution.Entity),
		Hedged: e.Hedged, Confidence: float32(e.Confidence)}
	if e.Place != nil && e.Place.Entity != "" {
		ev.Place = b.str(e.Place.Entity)
		b.ents[ev.Place] = true
	}
	if e.Time.Start != nil {
		ev.Start = *e.Time.Start
		if e.Time.End != nil {
			ev.End = *e.Time.End
		}
	}
	b.g.Events = append(b.g.Events, ev)
}

func (b *builder) entityIDs() []string {
	ids := make([]string, 0, len(b.ents))
	for id := range b.ents {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Symmetric reports whether a PLOVER type describes something two parties do together, so that
// its source and target are interchangeable: a meeting (CONSULT) or cooperation (COOPERATE).
func Symmetric(t mizan.EventType) bool { return t == mizan.CONSULT || t == mizan.COOPERATE }

// pair is one link an event makes: a and b entity ids, dir +1 when a acted on b, 0 together.
type pair struct {
	a, b string
	dir  int
}

// Pairs lists the entity pairs an event links: each source with each target (the source acted
// on the target); without a target, each source with each participant (together), and a source
// with the place where it acted (troops sent to, forces deployed in); targets with participants
// (together). Symmetric types link their ends together, whatever the direction the text gave.
func Pairs(e *Event) [][3]string {
	ps := pairsOf(e)
	out := make([][3]string, len(ps))
	for i, p := range ps {
		d := "together"
		if p.dir > 0 {
			d = "acts-on"
		}
		out[i] = [3]string{p.a, p.b, d}
	}
	return out
}

func pairsOf(e *Event) []pair {
	var ps []pair
	add := func(a, b string, dir int) {
		if a == "" || b == "" || a == b {
			return
		}
		if Symmetric(e.Type) {
			dir = 0
		}
		for _, p := range ps {
			if (p.a == a && p.b == b) || (p.a == b && p.b == a) {
				return
			}
		}
		ps = append(ps, pair{a, b, dir})
	}
	for _, s := range e.Source {
		for _, t := range e.Target {
			add(s, t, 1)
		}
	}
	if len(e.Target) == 0 {
		for _, s := range e.Source {
			for _, p := range e.Participants {
				add(s, p, 0)
			}
			if len(e.Participants) == 0 && e.Place != "" {
				add(s, e.Place, 1)
			}
		}
	}
	for _, t := range e.Target {
		for _, p := range e.Participants {
			add(t, p, 0)
		}
	}
	return ps
}

func (b *builder) finish(entities []mizan.Entity) *Graph {
	g := b.g
	byID := make(map[string]*mizan.Entity, len(entities))
	for i := range entities {
		byID[entities[i].ID] = &entities[i]
	}
	g.nodeIx = map[string]int{}
	node := func(id string) *Node {
		if i, ok := g.nodeIx[id]; ok {
			return g.Nodes[i]
		}
		n := &Node{ID: id, Name: id}
		if e := byID[id]; e != nil {
			n.Name, n.Type = e.Name, e.Type
			if c := e.Attrs["country"]; c != "" {
				n.Attrs = map[string]string{"country": c}
			}
		}
		g.nodeIx[id] = len(g.Nodes)
		g.Nodes = append(g.Nodes, n)
		return n
	}
	// Events in time order, so that every edge's evidence list is too (the key computed once).
	keys := make([]int64, len(g.Events))
	perm := make([]int, len(g.Events))
	for i := range g.Events {
		keys[i], perm[i] = g.At(&g.Events[i]).UnixNano(), i
	}
	slices.SortStableFunc(perm, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	sorted := make([]Event, len(g.Events))
	for i, p := range perm {
		sorted[i] = g.Events[p]
	}
	g.Events = sorted
	type edgeAcc struct {
		*Edge
		sentences map[[3]int32]bool
		docs      map[int32]bool
		types     map[mizan.EventType]int
	}
	accs := map[[2]string]*edgeAcc{}
	var order [][2]string
	nodeDocs := map[string]map[int32]bool{}
	touch := func(id string, ev *Event, at time.Time) {
		n := node(id)
		n.Events++
		if nodeDocs[id] == nil {
			nodeDocs[id] = map[int32]bool{}
		}
		nodeDocs[id][ev.Doc] = true
		if n.First.IsZero() || at.Before(n.First) {
			n.First = at
		}
		if at.After(n.Last) {
			n.Last = at
		}
	}
	for i := range g.Events {
		ev := &g.Events[i]
		at := g.At(ev)
		seen := map[string]bool{}
		for _, ids := range [][]string{ev.Source, ev.Target, ev.Participants, {ev.Place}} {
			for _, id := range ids {
				if id != "" && !seen[id] {
					seen[id] = true
					touch(id, ev, at)
				}
			}
		}
		rep := g.Docs[ev.Doc].Reported()
		for _, p := range pairsOf(ev) {
			a, bb, dir := p.a, p.b, p.dir
			if bb < a {
				a, bb, dir = bb, a, -dir
			}
			k := [2]string{a, bb}
			acc := accs[k]
			if acc == nil {
				acc = &edgeAcc{Edge: &Edge{A: a, B: bb, First: at, Last: at, FirstReported: rep, LastReported: rep, FirstDated: -1, LastDated: -1},
					sentences: map[[3]int32]bool{}, docs: map[int32]bool{}, types: map[mizan.EventType]int{}}
				accs[k] = acc
				order = append(order, k)
			}
			e := acc.Edge
			e.Events = append(e.Events, int32(i))
			acc.sentences[[3]int32{ev.Doc, int32(ev.Sentence.Start), int32(ev.Sentence.End)}] = true
			acc.docs[ev.Doc] = true
			acc.types[ev.Type]++
			switch {
			case dir > 0:
				e.AB++
			case dir < 0:
				e.BA++
			default:
				e.Mutual++
			}
			if ev.Mode == mizan.Negated {
				e.Negated++
			}
			if ev.Hedged {
				e.Hedged++
			}
			if at.Before(e.First) {
				e.First = at
			}
			if at.After(e.Last) {
				e.Last = at
			}
			if ev.Dated() {
				e.Dated++
				if e.FirstDated < 0 || ev.Start.Before(g.Events[e.FirstDated].Start) {
					e.FirstDated = int32(i)
				}
				if e.LastDated < 0 || ev.Start.After(g.Events[e.LastDated].Start) {
					e.LastDated = int32(i)
				}
			}
			if rep.Before(e.FirstReported) {
				e.FirstReported = rep
			}
			if rep.After(e.LastReported) {
				e.LastReported = rep
			}
		}
	}
	for id, docs := range nodeDocs {
		g.Nodes[g.nodeIx[id]].Docs = len(docs)
	}
	for _, k := range order {
		acc := accs[k]
		e := acc.Edge
		e.Weight = float64(len(acc.sentences))
		e.Docs = len(acc.docs)
		for t, n := range acc.types {
			e.Types = append(e.Types, TypeCount{t, n})
		}
		sortTypes(e.Types)
		g.Edges = append(g.Edges, e)
	}
	g.index()
	return g
}

func sortTypes(ts []TypeCount) {
	slices.SortFunc(ts, func(a, b TypeCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Type, b.Type)
	})
}

// index sorts nodes and edges and rebuilds the lookups and the nodes' degrees.
func (g *Graph) index() {
	slices.SortFunc(g.Nodes, func(a, b *Node) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Edges, func(a, b *Edge) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		if c := cmp.Compare(a.A, b.A); c != 0 {
			return c
		}
		return cmp.Compare(a.B, b.B)
	})
	g.nodeIx = make(map[string]int, len(g.Nodes))
	for i, n := range g.Nodes {
		g.nodeIx[n.ID] = i
		n.Degree, n.Strength = 0, 0
	}
	g.edgeIx = make(map[[2]string]int, len(g.Edges))
	g.adj = map[string][]int{}
	for i, e := range g.Edges {
		g.edgeIx[[2]string{e.A, e.B}] = i
		g.adj[e.A] = append(g.adj[e.A], i)
		g.adj[e.B] = append(g.adj[e.B], i)
		for _, id := range []string{e.A, e.B} {
			n := g.Nodes[g.nodeIx[id]]
			n.Degree++
			n.Strength += e.Weight
		}
	}
}

// At is where an event sits in time: the start of its own time, else its document's report
// time.
func (g *Graph) At(e *Event) time.Time {
	if e.Dated() {
		return e.Start
	}
	return g.Docs[e.Doc].Reported()
}

// Doc returns the document of an event.
func (g *Graph) Doc(e *Event) *Doc { return &g.Docs[e.Doc] }

// Node returns the node of an entity id.
func (g *Graph) Node(id string) (*Node, bool) {
	i, ok := g.nodeIx[id]
	if !ok {
		return nil, false
	}
	return g.Nodes[i], true
}

// Name returns an entity's name (its id when the graph does not know it).
func (g *Graph) Name(id string) string {
	if n, ok := g.Node(id); ok {
		return n.Name
	}
	return id
}

// Edge returns the relation between two entities.
func (g *Graph) Edge(a, b string) (*Edge, bool) {
	if b < a {
		a, b = b, a
	}
	i, ok := g.edgeIx[[2]string{a, b}]
	if !ok {
		return nil, false
	}
	return g.Edges[i], true
}

// EdgesOf returns the relations of an entity, heaviest first.
func (g *Graph) EdgesOf(id string) []*Edge {
	out := make([]*Edge, 0, len(g.adj[id]))
	for _, i := range g.adj[id] {
		out = append(out, g.Edges[i])
	}
	return out
}

// Filter returns the graph restricted to the edges keep accepts, and the nodes they touch. Docs
// and Events are shared with g.
func (g *Graph) Filter(keep func(*Edge) bool) *Graph {
	out := &Graph{Docs: g.Docs, Events: g.Events, AsOf: g.AsOf}
	used := map[string]bool{}
	for _, e := range g.Edges {
		if keep(e) {
			out.Edges = append(out.Edges, e)
			used[e.A], used[e.B] = true, true
		}
	}
	for _, n := range g.Nodes {
		if used[n.ID] {
			c := *n
			out.Nodes = append(out.Nodes, &c)
		}
	}
	out.index()
	return out
}

// MinWeight keeps the edges of at least weight w.
func (g *Graph) MinWeight(w float64) *Graph {
	if w <= 0 {
		return g
	}
	return g.Filter(func(e *Edge) bool { return e.Weight >= w })
}

// TextSource loads events with their sentence text (mizan.EventStore implements it).
type TextSource interface {
	Events(ctx context.Context, f mizan.EventFilter) ([]mizan.Event, int, error)
}

// Details loads the full events (sentence, names, trigger, attribution text, hedge cues) of the
// given event indexes, by event id, reading each of their documents' events once.
func (g *Graph) Details(ctx context.Context, ts TextSource, events []int32) (map[string]*mizan.Event, error) {
	want := map[string]bool{}
	docs := map[int32]bool{}
	for _, i := range events {
		want[g.Events[i].ID] = true
		docs[g.Events[i].Doc] = true
	}
	ids := make([]int32, 0, len(docs))
	for d := range docs {
		ids = append(ids, d)
	}
	slices.Sort(ids)
	out := make(map[string]*mizan.Event, len(want))
	for _, d := range ids {
		es, _, err := ts.Events(ctx, mizan.EventFilter{Doc: g.Docs[d].ID})
		if err != nil {
			return nil, fmt.Errorf("events of %s: %w", g.Docs[d].ID, err)
		}
		for i := range es {
			if want[es[i].ID] {
				out[es[i].ID] = &es[i]
			}
		}
	}
	return out, nil
}

// Sub returns the graph of the events of g that keep accepts (by index into g.Events), with
// only their documents, and g's names, types and attributes for its nodes. It is built in
// memory from g, without a store: an as-of view, a period or the neighbourhood of one relation
// of a graph already built.
func (g *Graph) Sub(keep func(i int32, e *Event) bool) *Graph {
	b := newBuilder(Options{AsOf: g.AsOf})
	docIx := map[int32]int32{}
	for i := range g.Events {
		e := g.Events[i]
		if !keep(int32(i), &e) {
			continue
		}
		di, ok := docIx[e.Doc]
		if !ok {
			di = int32(len(b.g.Docs))
			docIx[e.Doc] = di
			b.g.Docs = append(b.g.Docs, g.Docs[e.Doc])
		}
		e.Doc = di
		for _, ids := range [][]string{e.Source, e.Target, e.Participants, {e.Place}} {
			for _, id := range ids {
				if id != "" {
					b.ents[id] = true
				}
			}
		}
		b.g.Events = append(b.g.Events, e)
	}
	ents := make([]mizan.Entity, 0, len(b.ents))
	for id := range b.ents {
		e := mizan.Entity{ID: id, Name: id}
		if n, ok := g.Node(id); ok {
			e.Name, e.Type, e.Attrs = n.Name, n.Type, n.Attrs
		}
		ents = append(ents, e)
	}
	return b.finish(ents)
}
