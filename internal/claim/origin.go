package claim

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/graph"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// Texts gives what independence needs beyond the graph: documents' events with their
// sentences and attribution texts, and their mentions (a mizan.Store implements it).
type Texts interface {
	graph.TextSource
	Mentions(ctx context.Context, docID string) ([]mizan.Mention, error)
}

// Profile is what independence compares between two documents.
type Profile struct {
	Doc      string
	Lang     string
	Outlet   string
	DupGroup string
	// Published is the publication date, nil when the document gives none (then how close two
	// reports were published says nothing).
	Published *time.Time
	// Events are the document's events (graph indexes).
	Events []int32
	// Entities are the entities it mentions as participants (bylines, credits and page
	// furniture left out) or that its events name.
	Entities map[string]bool
	// Details are distinctive numbers its event sentences give (years, counts, dates), with
	// digits of any script folded to ASCII.
	Details map[string]bool
	// Shingles are hashes of the 8-word runs of its event sentences (normalised words), with
	// one sample text each, to find shared phrasing.
	Shingles map[uint64]string
	// Attributions are the sources its events are attributed to: entity ids and normalised
	// texts of named and anonymous sources.
	Attributions map[string]string
	// Cites are the outlets it cites as a source ("al-Sharq al-Awsat reported"): their entity
	// ids and normalised names.
	Cites map[string]bool
}

// Verdict says whether two documents share an origin, how strongly, and why.
type Verdict struct {
	Same  bool     `json:"same_origin"`
	Score float64  `json:"score"`
	Why   []string `json:"why"`
}

// Thresholds of the origin rules (tuned on the evaluation set in testdata/pairs.yaml).
const (
	shingleWords   = 8
	sameThreshold  = 0.55
	closeDays      = 3
	apartDays      = 30
	minSharedClaim = 1
	// minClaimOverlap is the share of the shorter document's claims the other must state too
	// for a retelling: a long analysis that touches one claim of a short report is not a copy.
	minClaimOverlap = 0.5
)

var detailRE = regexp.MustCompile(`\p{Nd}+(?:[.,]\p{Nd}+)?`)

// foldDigits turns digits of any script (Arabic-Indic, Persian) into ASCII ones.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) && r > 0x7f {
			switch {
			case r >= 0x660 && r <= 0x669:
				return '0' + (r - 0x660)
			case r >= 0x6f0 && r <= 0x6f9:
				return '0' + (r - 0x6f0)
			}
		}
		return r
	}, s)
}

// NewProfile builds a document's profile from its graph events, their full versions (with
// sentences) and its mentions.
func NewProfile(g *graph.Graph, doc int32, events []int32, full map[string]*mizan.Event, mentions []mizan.Mention) *Profile {
	d := &g.Docs[doc]
	p := &Profile{Doc: d.ID, Lang: d.Lang, Outlet: d.Outlet, DupGroup: d.DupGroup, Published: d.Published, Events: events,
		Entities: map[string]bool{}, Details: map[string]bool{}, Shingles: map[uint64]string{}, Attributions: map[string]string{},
		Cites: map[string]bool{}}
	for _, m := range mentions {
		if m.EntityID != "" && (m.Role == mizan.RoleParticipant || m.Role == mizan.RoleSource) {
			p.Entities[m.EntityID] = true
		}
	}
	sentences := map[mizan.Span]bool{}
	for _, i := range events {
		e := &g.Events[i]
		for _, ids := range [][]string{e.Source, e.Target, e.Participants, {e.Place}} {
			for _, id := range ids {
				if id != "" {
					p.Entities[id] = true
				}
			}
		}
		f := full[e.ID]
		if f == nil {
			continue
		}
		if f.Attribution.Entity != "" {
			p.Attributions["entity:"+f.Attribution.Entity] = f.Attribution.Text
		}
		if k := textnorm.Key(f.Attribution.Text); k != "" {
			p.Attributions["text:"+k] = f.Attribution.Text
		}
		if f.Attribution.Kind == mizan.AttrMedia {
			if f.Attribution.Entity != "" {
				p.Cites[f.Attribution.Entity] = true
				p.Cites[textnorm.Key(g.Name(f.Attribution.Entity))] = true
			}
			if k := textnorm.Key(f.Attribution.Text); k != "" {
				p.Cites[k] = true
			}
		}
		if sentences[f.Sentence] {
			continue
		}
		sentences[f.Sentence] = true
		for _, n := range detailRE.FindAllString(foldDigits(f.Text), -1) {
			if len(n) >= 2 { // single digits are everywhere ("2 countries")
				p.Details[n] = true
			}
		}
		toks := textnorm.Tokens(f.Text)
		for j := 0; j+shingleWords <= len(toks); j++ {
			h := fnv.New64a()
			for _, t := range toks[j : j+shingleWords] {
				h.Write([]byte(t.Key))
				h.Write([]byte{0})
			}
			if _, ok := p.Shingles[h.Sum64()]; !ok {
				p.Shingles[h.Sum64()] = f.Text[toks[j].Start:toks[j+shingleWords-1].End]
			}
		}
	}
	return p
}

// Compare judges whether two documents share an origin. The signals, strongest first:
//
//   - near-duplicate text (the same near-duplicate group): one origin;
//   - one cites the other's outlet as its source: one origin;
//   - shared phrasing (a run of 8 words in common in the sentences that state their claims):
//     one copied the other, or both copied a third;
//   - the same story retold — translated into another language or rewritten —: they share
//     claims (the same events between the same actors), the same entities and the same
//     distinctive details (numbers, dates, places of the shared claims), and were published close
//     together (or one of them gives no date). These weigh together into a score, once the
//     other states at least half of the shorter document's claims; reports published more than
//     a month apart, or that attribute a shared claim to different sources one of them named,
//     weigh against one origin.
//
// Two documents quoting the same named source share that source: Assess treats it per claim.
func Compare(g *graph.Graph, a, b *Profile) Verdict {
	var v Verdict
	if a.DupGroup != "" && a.DupGroup == b.DupGroup {
		v.Same, v.Score = true, 1
		v.Why = append(v.Why, "near-duplicate text")
		return v
	}
	for _, pair := range [][2]*Profile{{a, b}, {b, a}} {
		x, y := pair[0], pair[1]
		if y.Outlet != "" && x.Cites[textnorm.Key(y.Outlet)] {
			v.Same, v.Score = true, 1
			v.Why = append(v.Why, fmt.Sprintf("%s cites %s", short(x.Doc), y.Outlet))
			return v
		}
	}
	var phrase string
	shared := 0
	for h, s := range a.Shingles {
		if _, ok := b.Shingles[h]; ok {
			shared++
			if phrase == "" || len(s) > len(phrase) {
				phrase = s
			}
		}
	}
	if shared > 0 {
		v.Same, v.Score = true, 1
		v.Why = append(v.Why, fmt.Sprintf("shared phrasing: %q", clip(phrase, 80)))
		return v
	}
	// The same story retold.
	claims, distinctive, details, named := sharedClaims(g, a, b)
	ka, kb := keysOf(g, a.Events), keysOf(g, b.Events)
	claimOverlap := 0.0
	if m := min(len(ka), len(kb)); m > 0 {
		claimOverlap = float64(claims) / float64(m)
	}
	ents := jaccard(a.Entities, b.Entities)
	var numbers []string
	for d := range a.Details {
		if b.Details[d] {
			numbers = append(numbers, d)
		}
	}
	slices.Sort(numbers)
	details = append(details, numbers...)
	score := 0.35*claimOverlap + 0.25*math.Min(1, ents/0.4) + 0.25*math.Min(1, float64(distinctive)) +
		0.15*math.Min(1, float64(len(details))/2)
	if a.Published != nil && b.Published != nil {
		gap := a.Published.Sub(*b.Published).Abs()
		switch {
		case gap > apartDays*24*time.Hour:
			score -= 0.5
		case gap <= closeDays*24*time.Hour:
			score += 0.1
		}
	}
	if named {
		score -= 0.2
	}
	v.Score = math.Round(math.Max(0, math.Min(1, score))*100) / 100
	if claims < minSharedClaim || claimOverlap < minClaimOverlap || v.Score < sameThreshold {
		return v
	}
	v.Same = true
	how := "the same story retold"
	if a.Lang != "" && b.Lang != "" && a.Lang != b.Lang {
		how = fmt.Sprintf("the same story in %s and %s (likely translated)", a.Lang, b.Lang)
	}
	why := fmt.Sprintf("%s: %d shared claim(s), %.0f%% shared entities", how, claims, ents*100)
	if len(details) > 0 {
		why += ", same details: " + strings.Join(uniq(details), ", ")
	}
	if a.Published == nil || b.Published == nil {
		why += "; publication dates unknown"
	}
	v.Why = append(v.Why, why)
	return v
}

// sharedClaims counts the claims two documents both state, how many of them are distinctive
// (dated, or placed), describes their distinctive details, and tells whether they attribute a
// shared claim to different sources one of which is named (each has its own informant).
func sharedClaims(g *graph.Graph, a, b *Profile) (claims, distinctive int, details []string, named bool) {
	seen := map[key]bool{}
	for _, i := range a.Events {
		ka, ok := keyOf(&g.Events[i])
		if !ok || seen[ka] {
			continue
		}
		for _, j := range b.Events {
			if r, _ := Relate(g, i, j); r != SameClaim {
				continue
			}
			seen[ka] = true
			claims++
			ea, eb := &g.Events[i], &g.Events[j]
			dist := false
			if ea.Dated() && eb.Dated() {
				dist = true
				details = append(details, ea.Time().Period())
			}
			if ea.Place != "" && eb.Place != "" {
				dist = true
				details = append(details, g.Name(narrower(g, ea.Place, eb.Place)))
			}
			if dist {
				distinctive++
			}
			if (ea.AttrEntity != "" || eb.AttrEntity != "") && ea.AttrEntity != eb.AttrEntity {
				named = true
			}
			break
		}
	}
	return claims, distinctive, details, named
}

func keysOf(g *graph.Graph, evs []int32) map[key]bool {
	out := map[key]bool{}
	for _, i := range evs {
		if k, ok := keyOf(&g.Events[i]); ok {
			out[k] = true
		}
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func uniq(s []string) []string {
	var out []string
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func short(id string) string { return id[:min(8, len(id))] }

func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// Assess loads the reports' sentences and attribution texts, groups each claim's reports by
// origin and grades the claim: outlet reliability from table (nil: everything F) and
// credibility from its independent origins (admiralty.Assess). Documents are read once each, for
// the claims given only.
func Assess(ctx context.Context, g *graph.Graph, claims []*Claim, texts Texts, table *admiralty.Table) error {
	byDoc := map[int32][]int32{}
	for i := range g.Events {
		byDoc[g.Events[i].Doc] = append(byDoc[g.Events[i].Doc], int32(i))
	}
	docIx := make(map[string]int32, len(g.Docs))
	for i := range g.Docs {
		docIx[g.Docs[i].ID] = int32(i)
	}
	need := map[int32]bool{}
	for _, c := range claims {
		for _, rs := range [][]Report{c.Reports, c.Contradicting} {
			for _, r := range rs {
				need[g.Events[r.Event].Doc] = true
			}
		}
	}
	full := map[string]*mizan.Event{}
	profiles := map[int32]*Profile{}
	docs := make([]int32, 0, len(need))
	for d := range need {
		docs = append(docs, d)
	}
	slices.Sort(docs)
	for _, d := range docs {
		det, err := g.Details(ctx, texts, byDoc[d])
		if err != nil {
			return err
		}
		for id, e := range det {
			full[id] = e
		}
		ms, err := texts.Mentions(ctx, g.Docs[d].ID)
		if err != nil {
			return fmt.Errorf("mentions of %s: %w", g.Docs[d].ID, err)
		}
		profiles[d] = NewProfile(g, d, byDoc[d], det, ms)
	}
	verdicts := map[[2]int32]Verdict{}
	compare := func(a, b int32) Verdict {
		if b < a {
			a, b = b, a
		}
		k := [2]int32{a, b}
		v, ok := verdicts[k]
		if !ok {
			v = Compare(g, profiles[a], profiles[b])
			verdicts[k] = v
		}
		return v
	}
	for _, c := range claims {
		for _, rs := range [][]Report{c.Reports, c.Contradicting} {
			for i := range rs {
				r := &rs[i]
				if f := full[r.EventID]; f != nil {
					r.Sentence, r.Attribution = f.Text, f.Attribution
				}
				r.Reliability, r.ReliabilityBy = table.Grade(r.Outlet, g.Docs[docIx[r.Doc]].Source)
			}
		}
		grade(g, c, docIx, compare)
	}
	return nil
}

// grade groups a claim's reports by origin and computes its grade.
func grade(g *graph.Graph, c *Claim, docIx map[string]int32, compare func(a, b int32) Verdict) {
	c.Origins = []Origin{}
	var in admiralty.Input
	next := 1
	for _, st := range []Stance{Supports, Contradicts} {
		rs := c.Reports
		if st == Contradicts {
			rs = c.Contradicting
		}
		parent := make([]int, len(rs))
		for i := range parent {
			parent[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		why := map[int][]string{}
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				var reasons []string
				a, b := rs[i].Attribution, rs[j].Attribution
				if a.Entity != "" && a.Entity == b.Entity && a.Kind != mizan.AttrAuthor {
					reasons = append(reasons, "both attribute it to "+g.Name(a.Entity))
				} else if ka := textnorm.Key(a.Text); ka != "" && ka == textnorm.Key(b.Text) && a.Kind != mizan.AttrAuthor {
					reasons = append(reasons, fmt.Sprintf("the same source: %q", a.Text))
				}
				if v := compare(docIx[rs[i].Doc], docIx[rs[j].Doc]); v.Same {
					reasons = append(reasons, v.Why...)
				}
				if len(reasons) == 0 {
					continue
				}
				ri, rj := find(i), find(j)
				if ri != rj {
					parent[rj] = ri
				}
				why[ri] = append(why[ri], reasons...)
			}
		}
		groups := map[int][]int{}
		var roots []int
		for i := range rs {
			r := find(i)
			if _, ok := groups[r]; !ok {
				roots = append(roots, r)
			}
			groups[r] = append(groups[r], i)
		}
		for _, root := range roots {
			o := Origin{ID: next, Stance: st, Reports: []string{}, Langs: []string{}}
			ao := admiralty.Origin{Reports: len(groups[root]), Reliability: admiralty.F}
			var labels []string
			first := true
			for _, i := range groups[root] {
				r := &rs[i]
				r.Origin = next
				o.Reports = append(o.Reports, r.Doc)
				if r.Lang != "" && !slices.Contains(o.Langs, r.Lang) {
					o.Langs = append(o.Langs, r.Lang)
				}
				labels = append(labels, fmt.Sprintf("%s (%s)", short(r.Doc), orDash(r.Lang)))
				if first || r.Reliability.Better(ao.Reliability) {
					ao.Reliability = r.Reliability
				}
				first = false
				ao.Hedged = ao.Hedged || r.Hedged
				ao.Speculative = ao.Speculative || r.Mode == mizan.Possible
				if anonymous(r.Attribution) {
					ao.Anonymous = true
					if ao.Source == "" {
						ao.Source = r.Attribution.Text
					}
				} else if r.Attribution.Kind != mizan.AttrAuthor && r.Attribution.Text != "" && ao.Source == "" && !ao.Anonymous {
					ao.Source = r.Attribution.Text
				}
			}
			o.Why = uniq(why[root])
			ao.Label, ao.Why = strings.Join(labels, " + "), o.Why
			c.Origins = append(c.Origins, o)
			if st == Supports {
				in.Support = append(in.Support, ao)
			} else {
				in.Contradict = append(in.Contradict, ao)
			}
			next++
		}
		if st == Contradicts {
			for _, r := range rs {
				if r.Why != "" && !slices.Contains(in.Contradictions, r.Why) {
					in.Contradictions = append(in.Contradictions, r.Why)
				}
			}
		}
	}
	c.Independent = len(in.Support)
	c.Reliability = admiralty.F
	for i, o := range in.Support {
		if i == 0 || o.Reliability.Better(c.Reliability) {
			c.Reliability = o.Reliability
		}
	}
	c.Credibility, c.Reasons = admiralty.Assess(in)
	c.Grade = admiralty.Grade(c.Reliability, c.Credibility)
}

// anonymous reports whether an attribution names no one: an anonymous source, or a document
// that is not named ("a confidential report").
func anonymous(a mizan.Attribution) bool {
	return a.Kind == mizan.AttrAnonymous || (a.Kind == mizan.AttrDocument && a.Entity == "")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
