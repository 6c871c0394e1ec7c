// Package claim recognises when events read from different documents — in different languages —
// state the same claim, tells which reports share an origin, and grades each claim with the NATO
// Admiralty code.
//
// Same claim. Two events state the same claim when they have the same PLOVER type, the same
// actors by entity id (source and target in order; for symmetric types — CONSULT, COOPERATE —
// the set of both sides, in any order; other participants are detail), compatible times (both dated, their ranges overlapping
// at the precision the texts give, or both undated: an undated report may be about another
// occasion, so it does not confirm a dated one) and compatible places (the same entity, one
// inside the other — a city in its country —, or one of them unknown; for a claim about one actor
// alone, "Algeria mobilises", the place is the point, and an unknown one fits no known one).
// Mode does not split a claim: a negated event of the same claim contradicts it.
//
// Contradiction. A report contradicts a claim when
//   - it negates what the claim asserts (or asserts what it negates): "did not meet", "denied";
//   - it reverses who did what to whom, for acts whose author is the point — ASSAULT and
//     COERCE — at the same time (both dated to the day or month, overlapping) and place;
//   - it dates the same act differently: both dated to the day, on different days less than 15
//     days apart, in the same place.
//
// Everything else that differs is another claim, not a contradiction: two meetings in different
// months are two meetings.
//
// Independence (origin.go) and grading (Assess) need the reports' sentences and the documents'
// mentions, which a store gives through Texts.
package claim

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/graph"
)

// Stance says whether a report supports or contradicts its claim.
type Stance string

// Stances.
const (
	Supports    Stance = "supports"
	Contradicts Stance = "contradicts"
)

// Report is one document's statement of a claim.
type Report struct {
	// Event indexes the graph's events; EventID is its id.
	Event   int32  `json:"-"`
	EventID string `json:"event"`
	Doc     string `json:"doc"`
	Lang    string `json:"lang,omitempty"`
	Outlet  string `json:"outlet,omitempty"`
	Title   string `json:"title,omitempty"`
	// Published is the document's publication date; Reported its report time (publication, else
	// ingest).
	Published *time.Time `json:"published,omitempty"`
	Reported  time.Time  `json:"reported"`
	Mode      mizan.Mode `json:"mode"`
	Hedged    bool       `json:"hedged"`
	// Attribution is who the document says asserts it.
	Attribution mizan.Attribution `json:"attribution"`
	// Sentence is the sentence that states it (loaded by Assess) and Span where it sits.
	Sentence string     `json:"sentence,omitempty"`
	Span     mizan.Span `json:"span"`
	// Reliability is the outlet's grade and ReliabilityBy the table entry that gave it.
	Reliability   admiralty.Reliability `json:"reliability,omitempty"`
	ReliabilityBy string                `json:"reliability_by,omitempty"`
	Stance        Stance                `json:"stance"`
	// Why says how a contradicting report contradicts.
	Why string `json:"why,omitempty"`
	// Origin numbers the report's origin within its claim (reports with the same number share
	// one origin; supporting and contradicting origins are numbered apart).
	Origin int `json:"origin"`
}

// Origin is a group of reports of a claim that share one origin.
type Origin struct {
	ID      int      `json:"id"`
	Stance  Stance   `json:"stance"`
	Reports []string `json:"reports"` // document ids
	Langs   []string `json:"langs"`
	// Why says why the reports were taken as one origin (empty for a single report).
	Why []string `json:"why,omitempty"`
}

// Claim is a statement that something happened, with every report that states or contradicts
// it.
type Claim struct {
	ID        string          `json:"id"`
	Type      mizan.EventType `json:"type"`
	SubType   string          `json:"subtype,omitempty"`
	Symmetric bool            `json:"symmetric"`
	// Source and Target are entity ids; for a symmetric claim Source holds every party and
	// Target is empty.
	Source []string `json:"source"`
	Target []string `json:"target"`
	// Negated says the claim is that it did not happen (every report negates it).
	Negated bool `json:"negated"`
	// Start and End bound the time every dated report allows (nil: no report dates it), at
	// Precision, the most precise of theirs.
	Start     *time.Time      `json:"start,omitempty"`
	End       *time.Time      `json:"end,omitempty"`
	Precision mizan.Precision `json:"precision"`
	Place     string          `json:"place,omitempty"`
	// Reports support the claim; Contradicting contradict it. One report per document and
	// stance: the plainest when a document states it several times.
	Reports       []Report `json:"reports"`
	Contradicting []Report `json:"contradicting"`
	// Origins group the reports by origin; Independent counts the supporting ones.
	Origins     []Origin `json:"origins"`
	Independent int      `json:"independent"`
	// Reliability is the best reliability among the supporting outlets, Credibility the claim's
	// credibility, Grade both ("C3"), and Reasons why.
	Reliability admiralty.Reliability `json:"reliability"`
	Credibility admiralty.Credibility `json:"credibility"`
	Grade       string                `json:"grade"`
	Reasons     []string              `json:"reasons"`

	events []int32 // supporting events, all of them (a document may state it several times)
	window [2]time.Time
	dated  bool
}

// Actors returns every entity the claim names.
func (c *Claim) Actors() []string {
	out := append([]string(nil), c.Source...)
	return append(out, c.Target...)
}

// Events returns every supporting event of the claim as graph indexes, a document's repeats
// included (Reports keeps one per document).
func (c *Claim) Events() []int32 { return c.events }

// Docs returns the documents that report the claim, either way.
func (c *Claim) Docs() []string {
	var out []string
	for _, rs := range [][]Report{c.Reports, c.Contradicting} {
		for _, r := range rs {
			if !slices.Contains(out, r.Doc) {
				out = append(out, r.Doc)
			}
		}
	}
	return out
}

// key is what a claim is about: its type and actors.
type key struct {
	typ            mizan.EventType
	source, target string // sorted ids joined by '|'; a symmetric type has every party in source
}

// keyOf returns an event's claim key, false when it names no actor.
func keyOf(e *graph.Event) (key, bool) {
	k := key{typ: e.Type}
	if graph.Symmetric(e.Type) {
		// Participants ("with advisers of the IRGC") are detail, not who the claim is about.
		all := append(append([]string(nil), e.Source...), e.Target...)
		if len(all) < 1 {
			return k, false
		}
		k.source = joinSorted(all)
		return k, true
	}
	if len(e.Source)+len(e.Target) == 0 {
		return k, false
	}
	k.source, k.target = joinSorted(e.Source), joinSorted(e.Target)
	return k, true
}

func joinSorted(ids []string) string {
	s := slices.Clone(ids)
	slices.Sort(s)
	s = slices.Compact(s)
	return strings.Join(s, "|")
}

func split(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "|")
}

// span returns an event's time range, false when the text gives none.
func span(e *graph.Event) ([2]time.Time, bool) {
	if !e.Dated() {
		return [2]time.Time{}, false
	}
	end := e.End
	if !end.After(e.Start) {
		end = e.Start.Add(24 * time.Hour) // a point in time: its day
	}
	return [2]time.Time{e.Start, end}, true
}

func overlap(a, b [2]time.Time) bool { return a[0].Before(b[1]) && b[0].Before(a[1]) }

func intersect(a, b [2]time.Time) [2]time.Time {
	out := a
	if b[0].After(out[0]) {
		out[0] = b[0]
	}
	if b[1].Before(out[1]) {
		out[1] = b[1]
	}
	return out
}

// PlaceCompatible reports whether two places can be the same: equal, one unknown, or one inside
// the other (a place whose country attribute is the other's ISO code: loc/algiers in gpe/dz).
func PlaceCompatible(g *graph.Graph, a, b string) bool {
	if a == "" || b == "" || a == b {
		return true
	}
	in := func(x, y string) bool {
		n, ok := g.Node(x)
		return ok && n.Attrs["country"] != "" && y == "gpe/"+n.Attrs["country"]
	}
	return in(a, b) || in(b, a)
}

// narrower returns the more specific of two compatible places.
func narrower(g *graph.Graph, a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || a == b:
		return a
	}
	if n, ok := g.Node(a); ok && n.Attrs["country"] != "" && "gpe/"+n.Attrs["country"] == b {
		return a
	}
	return b
}

// Relation is how two events relate as claims.
type Relation string

// Relations between two events.
const (
	SameClaim     Relation = "same"
	OtherClaim    Relation = "different"
	Contradiction Relation = "contradicting"
)

// Relate says whether two events of a graph state the same claim, contradict each other or state
// different claims, by the rules in the package documentation.
func Relate(g *graph.Graph, i, j int32) (Relation, string) {
	a, b := &g.Events[i], &g.Events[j]
	if why, ok := contradiction(g, a, b); ok {
		return Contradiction, why
	}
	ka, okA := keyOf(a)
	kb, okB := keyOf(b)
	if !okA || !okB || ka != kb || !placeFits(g, ka, a.Place, b.Place) || !timeFits(a, b) {
		return OtherClaim, ""
	}
	return SameClaim, ""
}

// timeFits reports whether two events' times are compatible: both dated with overlapping
// ranges, or both undated. An undated report is not taken to confirm a dated one: it may be
// about another occasion.
func timeFits(a, b *graph.Event) bool {
	sa, da := span(a)
	sb, db := span(b)
	if da != db {
		return false
	}
	return !da || overlap(sa, sb)
}

// placeFits reports whether two places are compatible for a claim of key k. For a claim with no
// counterpart (one actor alone: "Algeria mobilises") the place is what the claim is about, so an
// unknown place does not fit a known one.
func placeFits(g *graph.Graph, k key, a, b string) bool {
	if k.target == "" && !strings.Contains(k.source, "|") && (a == "") != (b == "") {
		return false
	}
	return PlaceCompatible(g, a, b)
}

// negatedPair reports whether one event negates the other (same key, compatible time and place).
func negatedPair(a, b *graph.Event) bool {
	return (a.Mode == mizan.Negated) != (b.Mode == mizan.Negated)
}

// contradiction applies the contradiction rules to two events.
func contradiction(g *graph.Graph, a, b *graph.Event) (string, bool) {
	ka, okA := keyOf(a)
	kb, okB := keyOf(b)
	if !okA || !okB || !placeFits(g, ka, a.Place, b.Place) {
		return "", false
	}
	sa, da := span(a)
	sb, db := span(b)
	if ka == kb {
		if timeFits(a, b) && negatedPair(a, b) {
			return "one report says it did not happen", true
		}
		if da && db && a.Precision == mizan.PrecisionDay && b.Precision == mizan.PrecisionDay && !overlap(sa, sb) &&
			a.Place != "" && a.Place == b.Place && a.Mode == b.Mode {
			gap := sa[0].Sub(sb[0])
			if gap < 0 {
				gap = -gap
			}
			if gap < 15*24*time.Hour {
				return "gives another date: " + sa[0].Format("2006-01-02") + " against " + sb[0].Format("2006-01-02"), true
			}
		}
		return "", false
	}
	if ka.typ == kb.typ && (ka.typ == mizan.ASSAULT || ka.typ == mizan.COERCE) && ka.target != "" && kb.target != "" &&
		ka.source == kb.target && ka.target == kb.source && da && db && overlap(sa, sb) &&
		precise(a.Precision) && precise(b.Precision) && a.Mode != mizan.Negated && b.Mode != mizan.Negated {
		return "reverses who did it to whom", true
	}
	return "", false
}

func precise(p mizan.Precision) bool {
	return p == mizan.PrecisionDay || p == mizan.PrecisionMonth || p == mizan.PrecisionMinute || p == mizan.PrecisionSecond
}

// Match groups a graph's events into claims and attaches contradicting reports. Claims come in a
// stable order: most reports first, then by type and id. The reports carry what the graph knows;
// Assess adds sentences, origins and grades.
func Match(g *graph.Graph) []*Claim {
	groups := map[key][]int32{}
	var keys []key
	for i := range g.Events {
		k, ok := keyOf(&g.Events[i])
		if !ok {
			continue
		}
		if _, seen := groups[k]; !seen {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], int32(i))
	}
	var claims []*Claim
	for _, k := range keys {
		claims = append(claims, cluster(g, k, groups[k])...)
	}
	// Contradictions across claims: reversed roles and other dates, only ever between claims of
	// one type over the same parties, so those are compared and no others.
	buckets := map[string][]*Claim{}
	for _, c := range claims {
		k := string(c.Type) + "\x00" + joinSorted(c.Actors())
		buckets[k] = append(buckets[k], c)
	}
	for _, c := range claims {
		bucket := buckets[string(c.Type)+"\x00"+joinSorted(c.Actors())]
		i := slices.Index(bucket, c)
		a := c
		for _, b := range bucket[i+1:] {
			ea, eb := &g.Events[a.events[0]], &g.Events[b.events[0]]
			why, ok := contradiction(g, ea, eb)
			if !ok {
				continue
			}
			for _, ev := range b.events {
				a.Contradicting = append(a.Contradicting, report(g, ev, Contradicts, why))
			}
			for _, ev := range a.events {
				b.Contradicting = append(b.Contradicting, report(g, ev, Contradicts, why))
			}
		}
	}
	for _, c := range claims {
		c.Reports = onePerDoc(c.Reports)
		c.Contradicting = onePerDoc(c.Contradicting)
		c.ID = claimID(g, c)
	}
	slices.SortStableFunc(claims, func(a, b *Claim) int {
		if x := cmp.Compare(len(b.Docs()), len(a.Docs())); x != 0 {
			return x
		}
		if x := cmp.Compare(a.Type, b.Type); x != 0 {
			return x
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return claims
}

// cluster splits the events of one key into claims by time and place, and sorts out polarity.
func cluster(g *graph.Graph, k key, evs []int32) []*Claim {
	// The most precise dated events first, so that they define the claims the vaguer ones join;
	// undated ones last.
	slices.SortStableFunc(evs, func(i, j int32) int {
		si, di := span(&g.Events[i])
		sj, dj := span(&g.Events[j])
		switch {
		case di && !dj:
			return -1
		case !di && dj:
			return 1
		case di && dj:
			return cmp.Compare(si[1].Sub(si[0]), sj[1].Sub(sj[0]))
		}
		return 0
	})
	type acc struct {
		c   *Claim
		all []int32
	}
	var out []*acc
	for _, ev := range evs {
		e := &g.Events[ev]
		s, dated := span(e)
		var into *acc
		for _, a := range out {
			if a.c.dated != dated || (dated && !overlap(a.c.window, s)) || !placeFits(g, k, a.c.Place, e.Place) {
				continue
			}
			into = a
			break
		}
		if into == nil {
			c := &Claim{Type: k.typ, Symmetric: graph.Symmetric(k.typ), Source: split(k.source), Target: split(k.target)}
			into = &acc{c: c}
			out = append(out, into)
		}
		c := into.c
		if dated {
			if c.dated {
				c.window = intersect(c.window, s)
			} else {
				c.window, c.dated = s, true
			}
			if c.Precision == "" || rank(e.Precision) < rank(c.Precision) {
				c.Precision = e.Precision
			}
		}
		c.Place = narrower(g, c.Place, e.Place)
		if c.SubType == "" {
			c.SubType = e.SubType
		}
		into.all = append(into.all, ev)
	}
	claims := make([]*Claim, 0, len(out))
	for _, a := range out {
		c := a.c
		positive := slices.ContainsFunc(a.all, func(ev int32) bool { return g.Events[ev].Mode != mizan.Negated })
		c.Negated = !positive
		for _, ev := range a.all {
			if (g.Events[ev].Mode == mizan.Negated) == c.Negated {
				c.events = append(c.events, ev)
				c.Reports = append(c.Reports, report(g, ev, Supports, ""))
			} else {
				c.Contradicting = append(c.Contradicting, report(g, ev, Contradicts, "negates it"))
			}
		}
		if c.dated {
			s, e := c.window[0], c.window[1]
			c.Start, c.End = &s, &e
		} else {
			c.Precision = mizan.PrecisionUnknown
		}
		claims = append(claims, c)
	}
	return claims
}

// rank orders precisions from the most precise.
func rank(p mizan.Precision) int {
	for i, x := range []mizan.Precision{mizan.PrecisionSecond, mizan.PrecisionMinute, mizan.PrecisionDay, mizan.PrecisionMonth,
		mizan.PrecisionSeason, mizan.PrecisionRange, mizan.PrecisionYear} {
		if p == x {
			return i
		}
	}
	return 99
}

func report(g *graph.Graph, ev int32, st Stance, why string) Report {
	e := &g.Events[ev]
	d := g.Doc(e)
	return Report{Event: ev, EventID: e.ID, Doc: d.ID, Lang: d.Lang, Outlet: d.Outlet, Title: d.Title, Published: d.Published,
		Reported: d.Reported(), Mode: e.Mode, Hedged: e.Hedged, Span: e.Sentence, Stance: st, Why: why,
		Attribution: mizan.Attribution{Kind: e.AttrKind, Entity: e.AttrEntity}}
}

// plainness orders a document's reports of one claim: unhedged before hedged, asserted before
// planned before possible, on the record before anonymous.
func plainness(r Report) int {
	n := 0
	if r.Hedged {
		n += 4
	}
	switch r.Mode {
	case mizan.Planned:
		n++
	case mizan.Possible:
		n += 2
	}
	if r.Attribution.Kind == mizan.AttrAnonymous {
		n += 8
	}
	return n
}

// onePerDoc keeps each document's plainest report, in report-time order.
func onePerDoc(rs []Report) []Report {
	best := map[string]int{}
	var out []Report
	for _, r := range rs {
		i, ok := best[r.Doc]
		switch {
		case !ok:
			best[r.Doc] = len(out)
			out = append(out, r)
		case plainness(r) < plainness(out[i]):
			out[i] = r
		}
	}
	slices.SortStableFunc(out, func(a, b Report) int {
		if c := a.Reported.Compare(b.Reported); c != 0 {
			return c
		}
		return cmp.Compare(a.Doc, b.Doc)
	})
	if out == nil {
		out = []Report{}
	}
	return out
}

// claimID is stable for a claim as long as its first report stays first: its key and the event
// reported earliest.
func claimID(g *graph.Graph, c *Claim) string {
	first := ""
	var at time.Time
	for _, ev := range c.events {
		e := &g.Events[ev]
		r := g.Doc(e).Reported()
		if first == "" || r.Before(at) || (r.Equal(at) && e.ID < first) {
			first, at = e.ID, r
		}
	}
	h := sha256.Sum256([]byte(string(c.Type) + "\x00" + strings.Join(c.Source, "|") + "\x00" + strings.Join(c.Target, "|") + "\x00" + first))
	return hex.EncodeToString(h[:6])
}
