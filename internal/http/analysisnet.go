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
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/analysis"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/graph"
)

// AnalysisSource is what the analysis network reads from a store (sqlstore.DB has it): the
// graph's compact scans, the texts claim grading reads, and the counts that tell when the store
// changed.
type AnalysisSource interface {
	graph.Source
	claim.Texts
	statser
}

// sentenceSource reads the sentences of events by id (sqlstore.DB.EventSentences): an answer
// needs the sentences of its evidence only, and the graph keeps none.
type sentenceSource interface {
	EventSentences(ctx context.Context, ids []string) (map[string]string, error)
}

// AnalysisNetwork is the Network of the analysis graph: internal/graph built from the whole
// store, its events grouped into claims and graded with the NATO Admiralty code
// (internal/claim, internal/admiralty), and its entities ranked by PageRank and betweenness.
// The build (seconds on a large corpus) runs in the background and is kept: queries filter it
// in memory — by event type, date, as-of date, confidence, hedging, anonymity, credibility and
// reliability — at the cost of one pass over the relations selected, and read from the store
// only the sentences of the evidence they show. A new build starts when the store's counts
// change, and the previous one serves until it is done.
type AnalysisNetwork struct {
	src   AnalysisSource
	table *admiralty.Table
	snaps *snapshots[*analysisSnap]
	now   func() time.Time

	textMu sync.Mutex
	texts  map[string]string // sentence by event id (ids are stable: their text does not change)
}

var _ Network = (*AnalysisNetwork)(nil)

// NewAnalysisNetwork returns the network of src's analysis graph, grading outlets with table
// (nil: every outlet F, "cannot be judged").
func NewAnalysisNetwork(src AnalysisSource, table *admiralty.Table, now func() time.Time) *AnalysisNetwork {
	if now == nil {
		now = time.Now
	}
	n := &AnalysisNetwork{src: src, table: table, now: now, texts: map[string]string{}}
	n.snaps = newSnapshots(n.build, src, now)
	return n
}

// SetRefreshEvery sets how often a query may trigger a check of the store for changes
// (default 10 s).
func (n *AnalysisNetwork) SetRefreshEvery(d time.Duration) { n.snaps.every = d }

// Start builds the analysis in the background, so that the first query waits less.
func (n *AnalysisNetwork) Start(ctx context.Context) { n.snaps.Start(ctx) }

// Invalidate makes the next query start a rebuild (after an ingest by this process); answers
// come from the current build until the new one is done.
func (n *AnalysisNetwork) Invalidate() { n.snaps.Invalidate() }

// analysisSnap is one build: the graph with per-event, per-edge and per-node indexes that
// queries filter with slices rather than maps.
type analysisSnap struct {
	g       *graph.Graph
	builtAt time.Time
	// claimIDs names the claims (indexes of evClaim); grades, once graded, gives each its
	// grade. The claims themselves (reports, origins) are not kept: they are what a build
	// costs most memory for, and Explain regrades the few it shows.
	claimIDs []string
	grades   []Grade
	// Per event (index into g.Events), in columns so that a filter reads a few bytes per event
	// rather than the whole event: its claim (-1: none), the span of time it counts in (Unix
	// seconds, [start, end)), when its document was reported, its type and mode (as bits of a
	// mask), confidence, flags (hedged, anonymous), its outlet's reliability (0 A … 5 F) and,
	// once graded, its claim's credibility (1–6).
	evClaim    []int32
	evDoc      []int32
	evStart    []int64
	evEnd      []int64
	evReported []int64
	evType     []uint8
	evMode     []uint8
	evConf     []float32
	evFlags    []uint8
	evRel      []uint8
	evCred     []uint8
	// Per document: its outlet's reliability.
	docRel []admiralty.Reliability
	// graded says the claims are graded (claim.Assess ran), when; claimRank is each claim's rank
	// by grade, best first.
	graded    bool
	gradedAt  time.Time
	claimRank []int32
	// Per edge (index into g.Edges): its ends (node indexes) and each event's direction
	// (+1 A acted on B, -1 B on A, 0 together).
	edgeA, edgeB []int32
	edgeDir      [][]int8
	// Per node (index into g.Nodes): its edges and centrality; node orders by each rank.
	adj    [][]int32
	cent   []graph.Centrality
	orders map[string][]int32

	cacheMu sync.Mutex
	cache   map[string]any // answers by query
}

// maxCachedAnswers bounds the answers kept per build.
const maxCachedAnswers = 512

// build makes a snapshot in two steps, publishing each: the graph with its claims matched,
// centrality and indexes (seconds), then the same with every claim graded, which reads every
// reporting document's events and mentions (minutes on a corpus of 100,000 documents). Until
// the grades are in, answers carry no grade and a credibility filter is EUNAVAILABLE.
func (n *AnalysisNetwork) build(ctx context.Context, publish func(*analysisSnap, bool)) error {
	s, claims, err := n.index(ctx)
	if err != nil {
		return err
	}
	if err := n.warm(ctx, s); err != nil {
		return err
	}
	publish(s, false)
	if err := claim.Assess(ctx, s.g, claims, n.src, n.table); err != nil {
		return fmt.Errorf("grade claims: %w", err)
	}
	gs := &analysisSnap{}
	*gs = analysisSnap{g: s.g, builtAt: s.builtAt, claimIDs: s.claimIDs, evClaim: s.evClaim, evStart: s.evStart, evEnd: s.evEnd,
		evReported: s.evReported, evDoc: s.evDoc, evType: s.evType, evMode: s.evMode, evConf: s.evConf, evFlags: s.evFlags, evRel: s.evRel,
		docRel: s.docRel, edgeA: s.edgeA, edgeB: s.edgeB, edgeDir: s.edgeDir, adj: s.adj,
		cent: s.cent, orders: s.orders, graded: true, gradedAt: n.now(), cache: map[string]any{}}
	gs.grades = make([]Grade, len(claims))
	for i, c := range claims {
		gs.grades[i] = Grade{Grade: c.Grade, Reliability: c.Reliability, Credibility: c.Credibility, Claim: c.ID, Reasons: c.Reasons}
	}
	gs.evCred = make([]uint8, len(gs.evClaim))
	for i, ci := range gs.evClaim {
		gs.evCred[i] = uint8(admiralty.CannotBeJudge)
		if ci >= 0 {
			gs.evCred[i] = uint8(claims[ci].Credibility)
		}
	}
	byGrade := make([]int32, len(claims))
	for i := range byGrade {
		byGrade[i] = int32(i)
	}
	slices.SortStableFunc(byGrade, func(a, b int32) int {
		ca, cb := claims[a], claims[b]
		return cmp.Or(cmp.Compare(ca.Credibility, cb.Credibility), cmp.Compare(ca.Reliability, cb.Reliability),
			cmp.Compare(cb.Independent, ca.Independent), cmp.Compare(len(cb.Reports), len(ca.Reports)))
	})
	gs.claimRank = make([]int32, len(claims))
	for r, ci := range byGrade {
		gs.claimRank[ci] = int32(r)
	}
	if err := n.warm(ctx, gs); err != nil {
		return err
	}
	publish(gs, true)
	return nil
}

// warm answers the overview's and the graph page's default queries before a snapshot serves.
func (n *AnalysisNetwork) warm(ctx context.Context, s *analysisSnap) error {
	for _, q := range []GraphQuery{defaultGraphQuery(), overviewActorsQuery(), overviewRelationsQuery()} {
		if _, err := n.answer(ctx, s, q); err != nil {
			return err
		}
	}
	return nil
}

// index builds the graph and everything queries filter with, and matches the claims (returned,
// not graded).
func (n *AnalysisNetwork) index(ctx context.Context) (*analysisSnap, []*claim.Claim, error) {
	s := &analysisSnap{builtAt: n.now(), cache: map[string]any{}}
	g, err := graph.Build(ctx, n.src, graph.Options{})
	if err != nil {
		return nil, nil, err
	}
	s.g = g
	claims := claim.Match(g)
	s.claimIDs = make([]string, len(claims))
	s.evClaim = make([]int32, len(g.Events))
	for i := range s.evClaim {
		s.evClaim[i] = -1
	}
	for ci, c := range claims {
		s.claimIDs[ci] = c.ID
		for _, ev := range c.Events() {
			s.evClaim[ev] = int32(ci)
		}
	}
	s.docRel = make([]admiralty.Reliability, len(g.Docs))
	for i := range g.Docs {
		s.docRel[i], _ = n.table.Grade(g.Docs[i].Outlet, g.Docs[i].Source)
	}
	ne := len(g.Events)
	s.evStart, s.evEnd, s.evReported = make([]int64, ne), make([]int64, ne), make([]int64, ne)
	s.evType, s.evMode, s.evConf, s.evFlags, s.evRel = make([]uint8, ne), make([]uint8, ne), make([]float32, ne), make([]uint8, ne), make([]uint8, ne)
	s.evDoc = make([]int32, ne)
	for i := range g.Events {
		e := &g.Events[i]
		s.evDoc[i] = e.Doc
		s.evType[i], s.evMode[i], s.evConf[i] = typeBit(e.Type), modeBit(e.Mode), e.Confidence
		if e.Hedged {
			s.evFlags[i] |= flagHedged
		}
		if e.AttrKind == mizan.AttrAnonymous {
			s.evFlags[i] |= flagAnonymous
		}
		if e.Dated() {
			s.evFlags[i] |= flagDated
		}
		s.evRel[i] = relRank(s.docRel[e.Doc])
		rep := g.Docs[e.Doc].Reported().Unix()
		start, end := rep, rep+1
		if e.Dated() {
			start, end = e.Start.Unix(), e.Start.Unix()+1
			if !e.End.IsZero() && e.End.After(e.Start) {
				end = e.End.Unix()
			}
		}
		s.evStart[i], s.evEnd[i], s.evReported[i] = start, end, rep
	}
	nodeIx := make(map[string]int32, len(g.Nodes))
	for i, nd := range g.Nodes {
		nodeIx[nd.ID] = int32(i)
	}
	s.adj = make([][]int32, len(g.Nodes))
	s.edgeA, s.edgeB, s.edgeDir = make([]int32, len(g.Edges)), make([]int32, len(g.Edges)), make([][]int8, len(g.Edges))
	for i, e := range g.Edges {
		a, b := nodeIx[e.A], nodeIx[e.B]
		s.edgeA[i], s.edgeB[i] = a, b
		s.adj[a] = append(s.adj[a], int32(i))
		s.adj[b] = append(s.adj[b], int32(i))
		dirs := make([]int8, len(e.Events))
		for k, ev := range e.Events {
			for _, p := range graph.Pairs(&g.Events[ev]) {
				switch {
				case p[2] != "acts-on" && (p[0] == e.A && p[1] == e.B || p[0] == e.B && p[1] == e.A):
					dirs[k] = 0
				case p[0] == e.A && p[1] == e.B:
					dirs[k] = 1
				case p[0] == e.B && p[1] == e.A:
					dirs[k] = -1
				default:
					continue
				}
				break
			}
		}
		s.edgeDir[i] = dirs
	}
	s.cent = make([]graph.Centrality, len(g.Nodes))
	for _, c := range g.Centrality(true) {
		s.cent[nodeIx[c.ID]] = c
	}
	s.orders = map[string][]int32{}
	for _, rank := range []string{"pagerank", "betweenness", "events"} {
		order := make([]int32, len(g.Nodes))
		for i := range order {
			order[i] = int32(i)
		}
		key := func(i int32) float64 {
			c := &s.cent[i]
			switch rank {
			case "betweenness":
				if c.Betweenness != nil {
					return *c.Betweenness
				}
				return 0
			case "events":
				return float64(c.Events)
			}
			return c.PageRank
		}
		slices.SortStableFunc(order, func(a, b int32) int {
			return cmp.Or(cmp.Compare(key(b), key(a)), cmp.Compare(s.cent[b].Strength, s.cent[a].Strength),
				strings.Compare(g.Nodes[a].ID, g.Nodes[b].ID))
		})
		s.orders[rank] = order
	}
	return s, claims, nil
}

// The queries every overview and every first visit of the graph page make.
func defaultGraphQuery() GraphQuery { return GraphQuery{MaxNodes: 150, MaxEdges: 600, MaxEvidence: 10} }
func overviewActorsQuery() GraphQuery {
	return GraphQuery{MaxNodes: overviewSize, MaxEdges: 1, MaxEvidence: 1}
}
func overviewRelationsQuery() GraphQuery {
	return GraphQuery{NewestEdges: true, MaxEdges: overviewSize, MaxEvidence: 1}
}

// overviewSize is how many actors and relations the overview lists.
const overviewSize = 10

// cached returns the answer under key, computing it with fn once per build.
func (s *analysisSnap) cached(key string, fn func() (any, error)) (any, error) {
	s.cacheMu.Lock()
	v, ok := s.cache[key]
	s.cacheMu.Unlock()
	if ok {
		return v, nil
	}
	v, err := fn()
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	if len(s.cache) >= maxCachedAnswers {
		clear(s.cache) // crude but bounded: the common queries come back at once
	}
	s.cache[key] = v
	s.cacheMu.Unlock()
	return v, nil
}

// queryKey names an answer: the query's values (its times by value, not by pointer).
func queryKey(kind string, q GraphQuery, extra ...any) string {
	k := q
	k.Since, k.Until, k.AsOf = nil, nil, nil
	return fmt.Sprintf("%s|%+v|%s|%s|%s|%v", kind, k, fmtTime(q.Since), fmtTime(q.Until), fmtTime(q.AsOf), extra)
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// errGrading answers a credibility filter before the claims are graded.
var errGrading = mizan.Errorf(mizan.EUNAVAILABLE, "the claims are still being graded: credibility filters work in a few minutes")

// check refuses what this snapshot cannot answer yet.
func (s *analysisSnap) check(q GraphQuery) error {
	if q.MaxCredibility > 0 && q.MaxCredibility < admiralty.CannotBeJudge && !s.graded {
		return errGrading
	}
	if q.MaxCredibility < 0 || q.MaxCredibility > admiralty.CannotBeJudge {
		return mizan.Errorf(mizan.EINVALID, "credibility %d: want 1 (confirmed) to 6 (cannot be judged)", q.MaxCredibility)
	}
	return nil
}

// Event columns: types and modes as indexes of mask bits, flags.
const (
	flagHedged    = 1
	flagAnonymous = 2
	flagDated     = 4 // the text gives the event a time (never a filter)
)

// typeBit is a PLOVER type's index among mizan.EventTypes (+1; 0: an unknown type).
func typeBit(t mizan.EventType) uint8 {
	if i := slices.Index(mizan.EventTypes, t); i >= 0 {
		return uint8(i + 1)
	}
	return 0
}

func modeBit(m mizan.Mode) uint8 {
	switch m {
	case mizan.Asserted:
		return 1
	case mizan.Planned:
		return 2
	case mizan.Possible:
		return 3
	case mizan.Negated:
		return 4
	}
	return 0
}

// relRank orders reliabilities, A (0) best; anything else is F.
func relRank(r admiralty.Reliability) uint8 {
	if len(r) == 1 && r[0] >= 'A' && r[0] <= 'F' {
		return r[0] - 'A'
	}
	return 5
}

// eventFilter returns the test of the event-level filters of q, and whether there are any.
// It reads the event columns only.
func (s *analysisSnap) eventFilter(q GraphQuery) (func(i int32) bool, bool) {
	var typeMask, modeMask uint64
	for _, t := range q.Types {
		typeMask |= 1 << typeBit(t)
	}
	for _, m := range q.Modes {
		modeMask |= 1 << modeBit(m)
	}
	var since, until, asOf int64 = 0, 0, 0
	if q.Since != nil {
		since = q.Since.Unix()
	}
	if q.Until != nil {
		until = q.Until.Unix()
	}
	if q.AsOf != nil {
		asOf = q.AsOf.Unix()
	}
	var flags uint8
	if q.NoHedged {
		flags |= flagHedged
	}
	if q.NoAnonymous {
		flags |= flagAnonymous
	}
	maxCred := uint8(admiralty.CannotBeJudge)
	if q.MaxCredibility > 0 && q.MaxCredibility < admiralty.CannotBeJudge && s.evCred != nil {
		maxCred = uint8(q.MaxCredibility)
	}
	maxRel := uint8(5)
	if q.MinReliability != "" {
		maxRel = relRank(q.MinReliability)
	}
	minConf := float32(q.MinConfidence)
	if typeMask == 0 && modeMask == 0 && q.Since == nil && q.Until == nil && q.AsOf == nil && minConf <= 0 && flags == 0 &&
		maxCred == uint8(admiralty.CannotBeJudge) && maxRel == 5 {
		return func(int32) bool { return true }, false
	}
	hasSince, hasUntil, hasAsOf := q.Since != nil, q.Until != nil, q.AsOf != nil
	return func(i int32) bool {
		switch {
		case typeMask != 0 && typeMask&(1<<s.evType[i]) == 0,
			modeMask != 0 && modeMask&(1<<s.evMode[i]) == 0,
			s.evConf[i] < minConf,
			s.evFlags[i]&flags != 0,
			s.evRel[i] > maxRel,
			hasAsOf && s.evReported[i] > asOf,
			hasSince && s.evEnd[i] <= since,
			hasUntil && s.evStart[i] >= until,
			maxCred < uint8(admiralty.CannotBeJudge) && s.evCred[i] > maxCred:
			return false
		}
		return true
	}, true
}

// candidates returns the edges the edge-level filters of q keep (focus entity, entity types),
// nil meaning every edge.
func (s *analysisSnap) candidates(q GraphQuery) ([]int32, bool) {
	keepNode := setOf(q.EntityTypes)
	nodeOK := func(i int32) bool { return len(keepNode) == 0 || keepNode[s.g.Nodes[i].Type] }
	if q.Entity == "" && len(keepNode) == 0 {
		return nil, true
	}
	var from []int32
	if q.Entity != "" {
		if _, ok := s.g.Node(q.Entity); !ok {
			return []int32{}, false
		}
		from = s.adj[s.nodeIndex(q.Entity)]
	} else {
		from = make([]int32, len(s.g.Edges))
		for i := range from {
			from[i] = int32(i)
		}
	}
	out := make([]int32, 0, len(from))
	for _, i := range from {
		if nodeOK(s.edgeA[i]) && nodeOK(s.edgeB[i]) {
			out = append(out, i)
		}
	}
	return out, false
}

func (s *analysisSnap) nodeIndex(id string) int32 {
	i, _ := slices.BinarySearchFunc(s.g.Nodes, id, func(n *graph.Node, id string) int { return strings.Compare(n.ID, id) })
	return int32(i)
}

// edgeAcc is what a query counts for one edge.
type edgeAcc struct {
	count, ab, ba, mutual int
	types                 [maxTypes]int // by typeBit
	other                 map[mizan.EventType]int
	// dated counts the events whose text gives a time; first and last are the earliest and
	// latest of them. Undated events are not given their report's date here: an edge shows
	// "when" only as exactly as its texts say it.
	dated       int
	first, last int32 // events
	docs        int
	best        int32 // best-graded claim, -1 none
	claims      int
	evidence    []int32 // newest first
}

// maxTypes bounds typeBit.
const maxTypes = 64

// scratch is what accumulate marks, reused across the edges of one answer: documents and
// claims already counted for the current edge (stamped with its number).
type scratch struct {
	docMark, claimMark []int32
}

func (s *analysisSnap) scratch() *scratch {
	return &scratch{docMark: make([]int32, len(s.g.Docs)), claimMark: make([]int32, len(s.claimIDs))}
}

// accumulate counts the events of edge i that keep accepts, keeping up to maxEv of them as
// evidence (negative: all). stamp must differ for every edge accumulated with one scratch.
func (s *analysisSnap) accumulate(i int32, keep func(int32) bool, maxEv int, sc *scratch, stamp int32) edgeAcc {
	e := s.g.Edges[i]
	acc := edgeAcc{best: -1}
	for k := len(e.Events) - 1; k >= 0; k-- { // events are in time order: newest last
		ev := e.Events[k]
		if !keep(ev) {
			continue
		}
		acc.count++
		if b := s.evType[ev]; b > 0 && int(b) < maxTypes {
			acc.types[b]++
		} else {
			if acc.other == nil {
				acc.other = map[mizan.EventType]int{}
			}
			acc.other[s.g.Events[ev].Type]++
		}
		switch s.edgeDir[i][k] {
		case 1:
			acc.ab++
		case -1:
			acc.ba++
		default:
			acc.mutual++
		}
		if s.evFlags[ev]&flagDated != 0 {
			acc.dated++
			if at := s.evStart[ev]; acc.dated == 1 {
				acc.first, acc.last = ev, ev
			} else if at < s.evStart[acc.first] {
				acc.first = ev
			} else if at > s.evStart[acc.last] {
				acc.last = ev
			}
		}
		if d := s.evDoc[ev]; sc.docMark[d] != stamp {
			sc.docMark[d] = stamp
			acc.docs++
		}
		if ci := s.evClaim[ev]; ci >= 0 {
			if sc.claimMark[ci] != stamp {
				sc.claimMark[ci] = stamp
				acc.claims++
			}
			if s.graded && (acc.best < 0 || s.claimRank[ci] < s.claimRank[acc.best]) {
				acc.best = ci
			}
		}
		if maxEv < 0 || len(acc.evidence) < maxEv {
			acc.evidence = append(acc.evidence, ev)
		}
	}
	return acc
}

func (s *analysisSnap) grade(ci int32) *Grade {
	if ci < 0 {
		return nil
	}
	if !s.graded {
		return nil
	}
	return &s.grades[ci] // shared by every answer: read only
}

func (s *analysisSnap) node(i int32, events, degree int) Node {
	nd, c := s.g.Nodes[i], &s.cent[i]
	return Node{ID: nd.ID, Name: nd.Name, Type: nd.Type, Events: events, Degree: degree, PageRank: c.PageRank,
		Betweenness: c.Betweenness, BetweennessApprox: c.BetweennessApprox}
}

// evidence describes event i; its sentence is filled in by fillTexts.
func (s *analysisSnap) evidence(i int32) Evidence {
	e := &s.g.Events[i]
	d := s.g.Doc(e)
	ev := Evidence{Event: e.ID, Doc: d.ID, Title: d.Title, Outlet: d.Outlet, Type: e.Type, Sentence: e.Sentence,
		Precision: e.Precision, Reported: d.Reported(), Mode: e.Mode, Hedged: e.Hedged, Attribution: e.AttrKind,
		Confidence: float64(e.Confidence), Reliability: s.docRel[e.Doc]}
	if e.Dated() {
		t := e.Start
		ev.Date = &t
	}
	if ci := s.evClaim[i]; ci >= 0 {
		ev.Claim = s.claimIDs[ci]
		if s.graded {
			ev.Grade, ev.Credibility = s.grades[ci].Grade, s.grades[ci].Credibility
		}
	}
	return ev
}

// Graph implements Network.
func (n *AnalysisNetwork) Graph(ctx context.Context, q GraphQuery) (*Graph, error) {
	s, err := n.snaps.get(ctx)
	if err != nil {
		return nil, err
	}
	return n.answer(ctx, s, q)
}

func (n *AnalysisNetwork) answer(ctx context.Context, s *analysisSnap, q GraphQuery) (*Graph, error) {
	if err := s.check(q); err != nil {
		return nil, err
	}
	v, err := s.cached(queryKey("graph", q), func() (any, error) { return n.graph(ctx, s, q) })
	if err != nil {
		return nil, err
	}
	return v.(*Graph), nil
}

// graph answers q in two passes. The first counts the selected events of every candidate edge
// (without allocating per edge) and ranks the nodes; the second describes only the edges kept
// among the nodes kept, so a query costs one pass over the selected relations' events plus the
// size of its answer.
func (n *AnalysisNetwork) graph(ctx context.Context, s *analysisSnap, q GraphQuery) (*Graph, error) {
	maxEv := q.MaxEvidence
	if maxEv == 0 {
		maxEv = 20
	}
	keep, filtered := s.eventFilter(q)
	cand, all := s.candidates(q)
	g := s.g
	counts := make([]int, len(g.Edges))
	events := make([]int, len(g.Nodes))
	degree := make([]int, len(g.Nodes))
	total := 0
	visit := func(i int32) {
		c := len(g.Edges[i].Events)
		if filtered {
			c = 0
			for _, ev := range g.Edges[i].Events {
				if keep(ev) {
					c++
				}
			}
		}
		if c == 0 {
			return
		}
		counts[i] = c
		total++
		a, b := s.edgeA[i], s.edgeB[i]
		events[a] += c
		events[b] += c
		degree[a]++
		degree[b]++
	}
	if all {
		for i := range g.Edges {
			visit(int32(i))
		}
	} else {
		for _, i := range cand {
			visit(i)
		}
	}
	order := s.orders[cmp.Or(q.Rank, "pagerank")]
	if order == nil {
		return nil, mizan.Errorf(mizan.EINVALID, "unknown rank %q: want pagerank, betweenness or events", q.Rank)
	}
	out := &Graph{Nodes: []Node{}, Edges: []Edge{}, TotalEdges: total, AsOf: q.AsOf, BuiltAt: s.builtAt, Graded: s.graded}
	in := make([]bool, len(g.Nodes))
	var kept []int32
	for _, i := range order {
		if events[i] == 0 {
			continue
		}
		out.TotalNodes++
		if q.MaxNodes <= 0 || len(kept) < q.MaxNodes {
			kept = append(kept, i)
		}
	}
	if q.Entity != "" && q.MaxNodes > 0 && len(kept) == q.MaxNodes {
		// The focus entity always stays in its own ego network.
		if f := s.nodeIndex(q.Entity); events[f] > 0 && !slices.Contains(kept, f) {
			kept[len(kept)-1] = f
		}
	}
	for _, i := range kept {
		in[i] = true
		out.Nodes = append(out.Nodes, s.node(i, events[i], degree[i]))
	}

	// Pass 2: the first edges among the kept nodes, described.
	var idx []int32
	for i, c := range counts {
		if c > 0 && in[s.edgeA[i]] && in[s.edgeB[i]] {
			idx = append(idx, int32(i))
		}
	}
	if q.NewestEdges {
		// An edge's newest selected event: the last of its events that passes.
		last := make(map[int32]time.Time, len(idx))
		for _, i := range idx {
			evs := g.Edges[i].Events
			for k := len(evs) - 1; k >= 0; k-- {
				if keep(evs[k]) {
					last[i] = g.At(&g.Events[evs[k]])
					break
				}
			}
		}
		slices.SortStableFunc(idx, func(a, b int32) int {
			return cmp.Or(last[b].Compare(last[a]), cmp.Compare(counts[b], counts[a]))
		})
	} else {
		slices.SortStableFunc(idx, func(a, b int32) int { return cmp.Compare(counts[b], counts[a]) })
	}
	if q.MaxEdges > 0 && len(idx) > q.MaxEdges {
		idx = idx[:q.MaxEdges]
	}
	sc := s.scratch()
	for k, i := range idx {
		acc := s.accumulate(i, keep, maxEv, sc, int32(k+1))
		out.Edges = append(out.Edges, s.edge(i, &acc))
	}
	if err := n.fillTexts(ctx, out.Edges); err != nil {
		return nil, err
	}
	return out, nil
}

// edge describes edge i from what a query counted.
func (s *analysisSnap) edge(i int32, acc *edgeAcc) Edge {
	e := s.g.Edges[i]
	a, b := e.A, e.B
	ab, ba := acc.ab, acc.ba
	if ba > ab {
		a, b, ab, ba = b, a, ba, ab // the main direction goes from Source to Target
	}
	out := Edge{ID: e.A + "|" + e.B, Source: a, Target: b, SourceName: s.g.Name(a), TargetName: s.g.Name(b),
		Directed: ba == 0 && acc.mutual == 0, Count: acc.count, SourceToTarget: ab, TargetToSource: ba, Mutual: acc.mutual,
		Docs: acc.docs, Grade: s.grade(acc.best), Claims: acc.claims, Evidence: make([]Evidence, 0, len(acc.evidence))}
	for b, c := range acc.types {
		if c > 0 {
			out.Types = append(out.Types, graph.TypeCount{Type: mizan.EventTypes[b-1], Count: c})
		}
	}
	for t, c := range acc.other {
		out.Types = append(out.Types, graph.TypeCount{Type: t, Count: c})
	}
	slices.SortFunc(out.Types, func(x, y graph.TypeCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Type, y.Type))
	})
	if len(out.Types) > 0 {
		out.Type = out.Types[0].Type
	}
	if acc.dated > 0 {
		f, l := &s.g.Events[acc.first], &s.g.Events[acc.last]
		out.Period = Period{Dated: acc.dated, First: &f.Start, Last: &l.Start, FirstPrecision: f.Precision, LastPrecision: l.Precision}
	}
	for _, ev := range acc.evidence {
		out.Evidence = append(out.Evidence, s.evidence(ev))
	}
	return out
}

// fillTexts sets the sentence of every evidence of edges, reading the ones not cached.
func (n *AnalysisNetwork) fillTexts(ctx context.Context, edges []Edge) error {
	var ptrs []*Evidence
	for i := range edges {
		for k := range edges[i].Evidence {
			ptrs = append(ptrs, &edges[i].Evidence[k])
		}
	}
	return n.fillEvidence(ctx, ptrs)
}

// maxCachedTexts bounds the sentences kept in memory.
const maxCachedTexts = 200000

func (n *AnalysisNetwork) fillEvidence(ctx context.Context, evs []*Evidence) error {
	var missing []string
	n.textMu.Lock()
	for _, ev := range evs {
		if t, ok := n.texts[ev.Event]; ok {
			ev.Text = t
		} else {
			missing = append(missing, ev.Event)
		}
	}
	n.textMu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	got, err := n.sentences(ctx, missing)
	if err != nil {
		return err
	}
	n.textMu.Lock()
	if len(n.texts)+len(got) > maxCachedTexts {
		clear(n.texts)
	}
	for id, t := range got {
		n.texts[id] = t
	}
	n.textMu.Unlock()
	for _, ev := range evs {
		if ev.Text == "" {
			ev.Text = got[ev.Event]
		}
	}
	return nil
}

// sentences reads the sentences of events: by id when the store can, else through each of
// their documents' events.
func (n *AnalysisNetwork) sentences(ctx context.Context, ids []string) (map[string]string, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if ss, ok := n.src.(sentenceSource); ok {
		return ss.EventSentences(ctx, ids)
	}
	s, err := n.snaps.get(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var idx []int32
	for i := range s.g.Events {
		if want[s.g.Events[i].ID] {
			idx = append(idx, int32(i))
		}
	}
	full, err := s.g.Details(ctx, n.src, idx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(full))
	for id, e := range full {
		out[id] = e.Text
	}
	return out, nil
}

// Relations implements Network. The partners are ranked on counts alone, and only the first
// limit are described with their evidence: a hub with thousands of partners costs a pass over
// its events plus the page shown.
func (n *AnalysisNetwork) Relations(ctx context.Context, entity string, q GraphQuery, limit, maxEvidence int) ([]Relation, error) {
	s, err := n.snaps.get(ctx)
	if err != nil {
		return nil, err
	}
	q.Entity = entity
	if err := s.check(q); err != nil {
		return nil, err
	}
	v, err := s.cached(queryKey("relations", q, limit, maxEvidence), func() (any, error) {
		if _, ok := s.g.Node(entity); !ok {
			return []Relation{}, nil
		}
		keep, filtered := s.eventFilter(q)
		cand, _ := s.candidates(q)
		type ranked struct {
			edge    int32
			partner int32
			count   int
		}
		var rs []ranked
		for _, i := range cand {
			c := len(s.g.Edges[i].Events)
			if filtered {
				c = 0
				for _, ev := range s.g.Edges[i].Events {
					if keep(ev) {
						c++
					}
				}
			}
			if c == 0 {
				continue
			}
			p := s.edgeA[i]
			if s.g.Nodes[p].ID == entity {
				p = s.edgeB[i]
			}
			rs = append(rs, ranked{i, p, c})
		}
		slices.SortStableFunc(rs, func(a, b ranked) int {
			return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(s.g.Nodes[a.partner].Name, s.g.Nodes[b.partner].Name))
		})
		if limit > 0 && len(rs) > limit {
			rs = rs[:limit]
		}
		sc := s.scratch()
		edges := make([]Edge, len(rs))
		for k, r := range rs {
			acc := s.accumulate(r.edge, keep, maxEvidence, sc, int32(k+1))
			edges[k] = s.edge(r.edge, &acc)
		}
		if err := n.fillTexts(ctx, edges); err != nil {
			return nil, err
		}
		out := make([]Relation, len(edges))
		for k, e := range edges {
			types := make(map[mizan.EventType]int, len(e.Types))
			for _, t := range e.Types {
				types[t.Type] = t.Count
			}
			p := rs[k].partner
			out[k] = Relation{Partner: s.node(p, s.cent[p].Events, s.cent[p].Degree), Count: e.Count, Types: types, Docs: e.Docs,
				Period: e.Period, Grade: e.Grade, Edges: []string{e.ID}, Evidence: e.Evidence}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]Relation), nil
}

// Timeline implements Network: the distinct events of the selected relations by period.
func (n *AnalysisNetwork) Timeline(ctx context.Context, q GraphQuery, bucket string) (*Timeline, error) {
	layout, ok := map[string]string{"day": "2006-01-02", "month": "2006-01", "year": "2006"}[bucket]
	if !ok {
		return nil, mizan.Errorf(mizan.EINVALID, "unknown bucket %q: want day, month or year", bucket)
	}
	s, err := n.snaps.get(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.check(q); err != nil {
		return nil, err
	}
	v, err := s.cached(queryKey("timeline", q, bucket), func() (any, error) {
		keep, _ := s.eventFilter(q)
		cand, all := s.candidates(q)
		if all {
			cand = make([]int32, len(s.g.Edges))
			for i := range cand {
				cand[i] = int32(i)
			}
		}
		tl := &Timeline{Bucket: bucket, Buckets: []Bucket{}}
		seen := make([]bool, len(s.g.Events))
		byPeriod := map[string]*Bucket{}
		for _, i := range cand {
			for _, ev := range s.g.Edges[i].Events {
				if seen[ev] || !keep(ev) {
					continue
				}
				seen[ev] = true
				tl.Total++
				e := &s.g.Events[ev]
				if !e.Dated() {
					tl.Undated++
					continue
				}
				t := e.Start.UTC()
				start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
				switch bucket {
				case "month":
					start = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
				case "year":
					start = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
				}
				key := start.Format(layout)
				b := byPeriod[key]
				if b == nil {
					b = &Bucket{Period: key, Start: start, Types: map[mizan.EventType]int{}}
					byPeriod[key] = b
				}
				b.Count++
				b.Types[e.Type]++
			}
		}
		for _, b := range byPeriod {
			tl.Buckets = append(tl.Buckets, *b)
		}
		slices.SortFunc(tl.Buckets, func(a, b Bucket) int { return a.Start.Compare(b.Start) })
		return tl, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Timeline), nil
}

// Explain implements Network with analysis.Explain, the code of `mizan relations A B`, on the
// built graph, narrowed to the events q selects when it selects some: the same answer as the
// command with the same --as-of and --type, without building another graph from the store.
func (n *AnalysisNetwork) Explain(ctx context.Context, a, b string, q GraphQuery, p graph.Period) (*analysis.Relation, error) {
	s, err := n.snaps.get(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.check(q); err != nil {
		return nil, err
	}
	v, err := s.cached(queryKey("explain", q, a, b, p), func() (any, error) {
		g := s.g
		keep, filtered := s.eventFilter(q)
		if e, ok := g.Edge(a, b); ok && filtered {
			docs := map[int32]bool{}
			for _, ev := range e.Events {
				if keep(ev) {
					docs[g.Events[ev].Doc] = true
				}
			}
			g = g.Sub(func(i int32, e *graph.Event) bool { return docs[e.Doc] && keep(i) })
		}
		rel, err := analysis.Explain(ctx, g, n.src, n.table, a, b, p)
		if err != nil {
			return nil, err
		}
		rel.AsOf = q.AsOf
		rel.A.Name, rel.B.Name = s.g.Name(a), s.g.Name(b)
		return rel, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*analysis.Relation), nil
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
