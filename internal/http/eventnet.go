package http

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
)

// EventNetwork is the default Network: every stored event is read once into memory, grouped into
// edges by actor pair and PLOVER type, and each query filters that index. It is rebuilt in the
// background when the store's counts change (checked at most every RefreshEvery), so a query
// never waits for a rebuild once the first build is done, and costs a pass over the edges, not
// a database scan: that is what keeps the graph and profile endpoints fast on a large corpus.
type EventNetwork struct {
	events   EventReader
	entities entityLookup
	stats    statser
	now      func() time.Time
	// RefreshEvery is how often a query may trigger a check of the store for new events.
	RefreshEvery time.Duration

	buildMu sync.Mutex // one build at a time

	mu       sync.RWMutex
	snap     *netSnapshot
	checking bool
}

// entityLookup gives the types of stored entities (mizan.CandidateSource has it).
type entityLookup interface {
	StoredEntities(ctx context.Context, ids []string) ([]mizan.Entity, error)
}

// statser counts what a store holds, to tell when the index is stale.
type statser interface {
	Stats(ctx context.Context) (mizan.Stats, error)
}

// netSnapshot is one built index.
type netSnapshot struct {
	builtAt time.Time
	stats   mizan.Stats
	nodes   map[string]*nodeInfo
	order   []*nodeInfo // nodes by index
	edges   []*edgeInfo
	pairs   int // distinct unordered pairs of ends

	cacheMu sync.Mutex
	cache   map[string]*Graph // answers by query
}

type nodeInfo struct {
	Node
	idx int
}

type edgeInfo struct {
	id       string
	source   string
	target   string
	typ      mizan.EventType
	directed bool
	evidence []Evidence // newest first
	// Aggregates over all the evidence, for queries without event-level filters.
	docs        int
	first, last *time.Time
	// si and ti index the ends in netSnapshot.order, pair the unordered pair of ends, so a
	// query counts with slices rather than maps.
	si, ti, pair int
}

var _ Network = (*EventNetwork)(nil)

// NewEventNetwork returns a network over the events of er; st gives entity types and store counts
// (it may be nil: types stay unknown and the index is built once).
func NewEventNetwork(er EventReader, st any, now func() time.Time) *EventNetwork {
	if now == nil {
		now = time.Now
	}
	n := &EventNetwork{events: er, now: now, RefreshEvery: 10 * time.Second}
	if el, ok := st.(entityLookup); ok {
		n.entities = el
	}
	if ss, ok := st.(statser); ok {
		n.stats = ss
	}
	return n
}

// statsOf counts what the store holds; false when it cannot say.
func (n *EventNetwork) statsOf(ctx context.Context) (mizan.Stats, bool) {
	if n.stats == nil {
		return mizan.Stats{}, false
	}
	st, err := n.stats.Stats(ctx)
	return st, err == nil
}

// Invalidate drops the index, so the next query rebuilds it (after an ingest by this process).
func (n *EventNetwork) Invalidate() {
	n.mu.Lock()
	n.snap = nil
	n.mu.Unlock()
}

// Start builds the index in the background, so the first query does not wait for it.
func (n *EventNetwork) Start(ctx context.Context) {
	go func() { _, _ = n.snapshot(ctx) }()
}

// snapshot returns the current index, building it when there is none and starting a background
// staleness check when it is older than RefreshEvery.
func (n *EventNetwork) snapshot(ctx context.Context) (*netSnapshot, error) {
	n.mu.RLock()
	snap, checking := n.snap, n.checking
	var built time.Time
	if snap != nil {
		built = snap.builtAt
	}
	n.mu.RUnlock()
	if snap == nil {
		n.buildMu.Lock()
		defer n.buildMu.Unlock()
		n.mu.RLock()
		snap = n.snap
		n.mu.RUnlock()
		if snap != nil {
			return snap, nil
		}
		snap, err := n.build(ctx)
		if err != nil {
			return nil, err
		}
		n.mu.Lock()
		n.snap = snap
		n.mu.Unlock()
		return snap, nil
	}
	if !checking && n.now().Sub(built) > n.RefreshEvery {
		n.mu.Lock()
		n.checking = true
		n.mu.Unlock()
		go n.refresh(context.WithoutCancel(ctx), snap)
	}
	return snap, nil
}

// refresh rebuilds the index when the store's counts moved since snap was built.
func (n *EventNetwork) refresh(ctx context.Context, snap *netSnapshot) {
	defer func() {
		n.mu.Lock()
		n.checking = false
		n.mu.Unlock()
	}()
	st, ok := n.statsOf(ctx)
	if !ok {
		return
	}
	if st.Events == snap.stats.Events && st.Documents == snap.stats.Documents && st.Entities == snap.stats.Entities {
		n.mu.Lock()
		if n.snap == snap {
			snap.builtAt = n.now() // still current: check again in RefreshEvery
		}
		n.mu.Unlock()
		return
	}
	n.buildMu.Lock()
	defer n.buildMu.Unlock()
	fresh, err := n.build(ctx)
	if err != nil {
		return // the old index keeps serving; the next check tries again
	}
	n.mu.Lock()
	n.snap = fresh
	n.mu.Unlock()
}

// eventPage is how many events one read of the store returns while building.
const eventPage = 1000

// eventScanner reads events by a cursor over documents (sqlstore has it): a scan of the whole
// store in pages without OFFSET, whose cost grows with the offset.
type eventScanner interface {
	EventsAfter(ctx context.Context, cursor int64, limit int) ([]mizan.Event, int64, error)
}

// build reads every event and groups them into edges.
func (n *EventNetwork) build(ctx context.Context) (*netSnapshot, error) {
	snap := &netSnapshot{builtAt: n.now(), nodes: map[string]*nodeInfo{}, cache: map[string]*Graph{}}
	snap.stats, _ = n.statsOf(ctx)
	edges := map[string]*edgeInfo{}
	if sc, ok := n.events.(eventScanner); ok {
		for cursor := int64(0); ; {
			evs, next, err := sc.EventsAfter(ctx, cursor, eventPage)
			if err != nil {
				return nil, fmt.Errorf("read events: %w", err)
			}
			for i := range evs {
				n.add(snap, edges, &evs[i])
			}
			if next == cursor || len(evs) == 0 {
				break
			}
			cursor = next
		}
	} else {
		for off := 0; ; off += eventPage {
			evs, _, err := n.events.Events(ctx, mizan.EventFilter{Offset: off, Limit: eventPage})
			if err != nil {
				return nil, fmt.Errorf("read events: %w", err)
			}
			for i := range evs {
				n.add(snap, edges, &evs[i])
			}
			if len(evs) < eventPage {
				break
			}
		}
	}
	if n.entities != nil && len(snap.nodes) > 0 {
		ids := make([]string, 0, len(snap.nodes))
		for id := range snap.nodes {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for chunk := range slices.Chunk(ids, 500) {
			ents, err := n.entities.StoredEntities(ctx, chunk)
			if err != nil {
				return nil, fmt.Errorf("read entity types: %w", err)
			}
			for _, e := range ents {
				if nd := snap.nodes[e.ID]; nd != nil {
					nd.Type = e.Type
					if e.Name != "" {
						nd.Name = e.Name
					}
				}
			}
		}
	}
	for _, e := range edges {
		sortEvidence(e.evidence)
		docs := map[string]bool{}
		for i := range e.evidence {
			ev := &e.evidence[i]
			docs[ev.Doc] = true
			e.first, e.last = minTime(e.first, ev.Date), maxTime(e.last, ev.Date)
		}
		e.docs = len(docs)
		snap.edges = append(snap.edges, e)
	}
	slices.SortFunc(snap.edges, func(a, b *edgeInfo) int { return strings.Compare(a.id, b.id) })
	ids := make([]string, 0, len(snap.nodes))
	for id := range snap.nodes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i, id := range ids {
		snap.nodes[id].idx = i
		snap.order = append(snap.order, snap.nodes[id])
	}
	pairs := map[[2]int]int{}
	for _, e := range snap.edges {
		e.si, e.ti = snap.nodes[e.source].idx, snap.nodes[e.target].idx
		k := [2]int{min(e.si, e.ti), max(e.si, e.ti)}
		p, ok := pairs[k]
		if !ok {
			p = len(pairs)
			pairs[k] = p
		}
		e.pair = p
	}
	snap.pairs = len(pairs)
	return snap, nil
}

// add puts one event into the index: an edge from each source to each target (directed), or,
// for an event without targets, between its sources and other participants (undirected), or
// among the participants when it names no source.
func (n *EventNetwork) add(snap *netSnapshot, edges map[string]*edgeInfo, ev *mizan.Event) {
	type pair struct {
		a, b     mizan.Actor
		directed bool
	}
	var pairs []pair
	switch {
	case len(ev.Source) > 0 && len(ev.Target) > 0:
		for _, s := range ev.Source {
			for _, t := range ev.Target {
				pairs = append(pairs, pair{s, t, true})
			}
		}
	case len(ev.Source) > 0:
		for _, s := range ev.Source {
			for _, p := range ev.Participants {
				pairs = append(pairs, pair{s, p, false})
			}
		}
	default:
		for i, p := range ev.Participants {
			for _, q := range ev.Participants[i+1:] {
				pairs = append(pairs, pair{p, q, false})
			}
		}
	}
	ex := Evidence{Event: ev.ID, Doc: ev.Doc, Sentence: ev.Sentence, Text: ev.Text, Date: ev.Time.Start,
		Precision: ev.Time.Precision, Mode: ev.Mode, Hedged: ev.Hedged, Attribution: ev.Attribution.Kind, Confidence: ev.Confidence}
	for _, p := range pairs {
		if p.a.Entity == "" || p.b.Entity == "" || p.a.Entity == p.b.Entity {
			continue
		}
		a, b := p.a, p.b
		if !p.directed && b.Entity < a.Entity {
			a, b = b, a // an undirected edge has one id whatever the order of its ends
		}
		id := a.Entity + "|" + b.Entity + "|" + string(ev.Type)
		if !p.directed {
			id += "|u"
		}
		e := edges[id]
		if e == nil {
			e = &edgeInfo{id: id, source: a.Entity, target: b.Entity, typ: ev.Type, directed: p.directed}
			edges[id] = e
		}
		e.evidence = append(e.evidence, ex)
		for _, act := range []mizan.Actor{a, b} {
			if snap.nodes[act.Entity] == nil {
				snap.nodes[act.Entity] = &nodeInfo{Node: Node{ID: act.Entity, Name: cmp.Or(act.Name, act.Text, act.Entity)}}
			}
		}
	}
}

// Graph implements Network. The answer is shared with other callers (results are cached per
// query until the index is rebuilt): callers must not modify it.
func (n *EventNetwork) Graph(ctx context.Context, q GraphQuery) (*Graph, error) {
	snap, err := n.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%+v|%v|%v", q, fmtTime(q.Since), fmtTime(q.Until))
	snap.cacheMu.Lock()
	g, ok := snap.cache[key]
	snap.cacheMu.Unlock()
	if ok {
		return g, nil
	}
	g = snap.graph(q)
	snap.cacheMu.Lock()
	if len(snap.cache) >= maxCachedGraphs {
		clear(snap.cache) // crude but bounded: the common queries come back at once
	}
	snap.cache[key] = g
	snap.cacheMu.Unlock()
	return g, nil
}

// maxCachedGraphs bounds the per-snapshot cache of answers.
const maxCachedGraphs = 256

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

// graph answers q from the index in two passes. The first counts, for every edge that passes
// the edge-level filters (type, entity types, focus), the events that pass the event-level
// ones (dates, credibility), and ranks the nodes; it allocates nothing per edge. The second
// builds the answer (documents, dates, evidence) only for the heaviest edges among the nodes
// kept, so a query costs one pass over the index plus the size of its answer.
func (snap *netSnapshot) graph(q GraphQuery) *Graph {
	maxEv := q.MaxEvidence
	if maxEv == 0 {
		maxEv = 20
	}
	keepType := setOf(q.Types)
	keepMode := setOf(q.Modes)
	keepNode := setOf(q.EntityTypes)
	nodeOK := func(i int) bool { return len(keepNode) == 0 || keepNode[snap.order[i].Type] }
	evFiltered := q.MinConfidence > 0 || q.NoHedged || q.NoAnonymous || len(keepMode) > 0 || q.Since != nil || q.Until != nil
	evOK := func(ev *Evidence) bool {
		switch {
		case ev.Confidence < q.MinConfidence,
			q.NoHedged && ev.Hedged,
			q.NoAnonymous && ev.Attribution == mizan.AttrAnonymous,
			len(keepMode) > 0 && !keepMode[ev.Mode]:
			return false
		case q.Since == nil && q.Until == nil:
			return true
		case ev.Date == nil,
			q.Since != nil && ev.Date.Before(*q.Since),
			q.Until != nil && !ev.Date.Before(*q.Until):
			return false
		}
		return true
	}

	// Pass 1: counts per edge, events and partners per node.
	events := make([]int, len(snap.order))
	degree := make([]int, len(snap.order))
	seenPair := make([]bool, snap.pairs)
	counts := make([]int, len(snap.edges))
	total := 0
	for i, e := range snap.edges {
		if q.Entity != "" && e.source != q.Entity && e.target != q.Entity {
			continue
		}
		if len(keepType) > 0 && !keepType[e.typ] || !nodeOK(e.si) || !nodeOK(e.ti) {
			continue
		}
		c := len(e.evidence)
		if evFiltered {
			c = 0
			for j := range e.evidence {
				if evOK(&e.evidence[j]) {
					c++
				}
			}
			if c == 0 {
				continue
			}
		}
		counts[i] = c
		total++
		events[e.si] += c
		events[e.ti] += c
		if !seenPair[e.pair] {
			seenPair[e.pair] = true
			degree[e.si]++
			degree[e.ti]++
		}
	}
	g := &Graph{Nodes: []Node{}, Edges: []Edge{}, TotalEdges: total}
	for i, nd := range snap.order {
		if events[i] == 0 {
			continue
		}
		n := nd.Node
		n.Events, n.Degree = events[i], degree[i]
		g.Nodes = append(g.Nodes, n)
	}
	g.TotalNodes = len(g.Nodes)
	slices.SortFunc(g.Nodes, func(a, b Node) int {
		return cmp.Or(cmp.Compare(b.Events, a.Events), cmp.Compare(b.Degree, a.Degree), strings.Compare(a.ID, b.ID))
	})
	if q.MaxNodes > 0 && len(g.Nodes) > q.MaxNodes {
		// The focus entity always stays in its own ego network.
		kept := g.Nodes[:q.MaxNodes]
		if q.Entity != "" && !slices.ContainsFunc(kept, func(nd Node) bool { return nd.ID == q.Entity }) {
			if i := slices.IndexFunc(g.Nodes, func(nd Node) bool { return nd.ID == q.Entity }); i >= 0 {
				kept[len(kept)-1] = g.Nodes[i]
			}
		}
		g.Nodes = kept
	}
	in := make([]bool, len(snap.order))
	for _, nd := range g.Nodes {
		in[snap.nodes[nd.ID].idx] = true
	}

	// Pass 2: the heaviest edges among the kept nodes, with their details.
	var idx []int
	for i, e := range snap.edges {
		if counts[i] > 0 && in[e.si] && in[e.ti] {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(counts[b], counts[a]) })
	if q.MaxEdges > 0 && len(idx) > q.MaxEdges {
		idx = idx[:q.MaxEdges]
	}
	for _, i := range idx {
		e := snap.edges[i]
		out := Edge{ID: e.id, Source: e.source, Target: e.target, Type: e.typ, Directed: e.directed,
			SourceName: snap.nodes[e.source].Name, TargetName: snap.nodes[e.target].Name, Count: counts[i]}
		kept := e.evidence
		if evFiltered {
			kept = nil
			docs := map[string]bool{}
			for j := range e.evidence {
				ev := &e.evidence[j]
				if !evOK(ev) {
					continue
				}
				if maxEv < 0 || len(kept) < maxEv {
					kept = append(kept, *ev)
				}
				docs[ev.Doc] = true
				out.First = minTime(out.First, ev.Date)
				out.Last = maxTime(out.Last, ev.Date)
			}
			out.Docs = len(docs)
		} else {
			out.Docs, out.First, out.Last = e.docs, e.first, e.last
		}
		if maxEv > 0 && len(kept) > maxEv {
			kept = kept[:maxEv]
		}
		out.Evidence = slices.Clip(kept) // shared with the index: read only
		g.Edges = append(g.Edges, out)
	}
	return g
}

func setOf[T comparable](xs []T) map[T]bool {
	if len(xs) == 0 {
		return nil
	}
	m := make(map[T]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
