package claim

import (
	"fmt"
	"io"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/graph"
)

// EvalSet is an evaluation set of labelled pairs: pairs of events (the same claim, different
// claims, contradicting) and pairs of documents (one origin, or independent). The project's set
// is testdata/pairs.yaml, written for the project.
type EvalSet struct {
	// Entities are the places and actors the set names, with the country a place is in.
	Entities []EvalEntity `yaml:"entities"`
	Claims   []ClaimPair  `yaml:"claims"`
	Origins  []OriginPair `yaml:"origins"`
}

// EvalEntity is an entity of an evaluation set.
type EvalEntity struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Country string `yaml:"country,omitempty"`
}

// ClaimPair is two events and how they relate: same, different or contradicting.
type ClaimPair struct {
	Name  string `yaml:"name"`
	Label string `yaml:"label"`
	A     string `yaml:"a"`
	B     string `yaml:"b"`
}

// OriginPair is two documents and whether they share an origin: same-origin or independent.
type OriginPair struct {
	Name  string  `yaml:"name"`
	Label string  `yaml:"label"`
	A     EvalDoc `yaml:"a"`
	B     EvalDoc `yaml:"b"`
}

// EvalDoc is a document of an evaluation set.
type EvalDoc struct {
	Lang      string      `yaml:"lang"`
	Outlet    string      `yaml:"outlet,omitempty"`
	Published string      `yaml:"published,omitempty"` // YYYY-MM-DD
	Dup       string      `yaml:"dup,omitempty"`       // near-duplicate group
	Mentions  []string    `yaml:"mentions,omitempty"`  // entity ids it mentions
	Events    []EvalEvent `yaml:"events"`
}

// EvalEvent is an event in the set's short notation (ParseEvent) with its sentence and
// attribution ("kind:entity:text", e.g. "anonymous::a security source").
type EvalEvent struct {
	E    string `yaml:"e"`
	Text string `yaml:"text"`
	Attr string `yaml:"attr,omitempty"`
}

// ReadEvalSet reads an evaluation set (EINVALID when malformed).
func ReadEvalSet(r io.Reader) (*EvalSet, error) {
	var s EvalSet
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "evaluation set: %v", err)
	}
	for _, p := range s.Claims {
		if _, err := ParseEvent(p.A); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		if _, err := ParseEvent(p.B); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	return &s, nil
}

// ParseEvent reads an event in the short notation of the evaluation sets:
//
//	TYPE SOURCE>TARGET [@PLACE] [TIME] [MODE] [hedged]
//
// SOURCE and TARGET are entity ids joined by "+" (either may be empty; SOURCE>@PLACE is an
// actor alone acting at a place); TIME is a day
// (2024-11-05), a month (2024-11), a year (2024) or an inclusive range of those
// (2024-10..2024-12); MODE is asserted (default), planned, possible or negated. EINVALID for
// anything else.
func ParseEvent(s string) (mizan.Event, error) {
	bad := func(format string, args ...any) (mizan.Event, error) {
		return mizan.Event{}, mizan.Errorf(mizan.EINVALID, "event %q: "+format, append([]any{s}, args...)...)
	}
	f := strings.Fields(s)
	if len(f) < 2 {
		return bad("want TYPE SOURCE>TARGET")
	}
	e := mizan.Event{Type: mizan.EventType(f[0]), Mode: mizan.Asserted, Attribution: mizan.Attribution{Kind: mizan.AttrAuthor},
		Time: mizan.TimeExpr{Precision: mizan.PrecisionUnknown}}
	known := false
	for _, t := range mizan.EventTypes {
		known = known || t == e.Type
	}
	if !known {
		return bad("unknown type %s", f[0])
	}
	src, tgt, ok := strings.Cut(f[1], ">")
	if !ok {
		return bad("actors %q: want SOURCE>TARGET", f[1])
	}
	if place, ok := strings.CutPrefix(tgt, "@"); ok && place != "" {
		// SOURCE>@PLACE: an actor alone, acting somewhere.
		e.Place = &mizan.Actor{Entity: place, Name: place}
		tgt = ""
	}
	for _, side := range []struct {
		s  string
		to *[]mizan.Actor
	}{{src, &e.Source}, {tgt, &e.Target}} {
		for _, id := range strings.Split(side.s, "+") {
			if id != "" {
				*side.to = append(*side.to, mizan.Actor{Entity: id, Name: id})
			}
		}
	}
	for _, w := range f[2:] {
		switch {
		case strings.HasPrefix(w, "@") && len(w) > 1:
			e.Place = &mizan.Actor{Entity: w[1:], Name: w[1:]}
		case w == "hedged":
			e.Hedged = true
		case w == string(mizan.Asserted) || w == string(mizan.Planned) || w == string(mizan.Possible) || w == string(mizan.Negated):
			e.Mode = mizan.Mode(w)
		default:
			t, err := parsePeriod(w)
			if err != nil {
				return bad("%v", err)
			}
			e.Time = t
		}
	}
	return e, nil
}

// parsePeriod reads TIME of ParseEvent.
func parsePeriod(s string) (mizan.TimeExpr, error) {
	one := func(p string) (time.Time, time.Time, mizan.Precision, error) {
		for _, l := range []struct {
			layout string
			prec   mizan.Precision
			next   func(time.Time) time.Time
		}{
			{"2006-01-02", mizan.PrecisionDay, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
			{"2006-01", mizan.PrecisionMonth, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
			{"2006", mizan.PrecisionYear, func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		} {
			if t, err := time.Parse(l.layout, p); err == nil && len(p) == len(l.layout) {
				return t, l.next(t), l.prec, nil
			}
		}
		return time.Time{}, time.Time{}, "", fmt.Errorf("%q is not a date, a word of the notation or a range", p)
	}
	from, to, isRange := strings.Cut(s, "..")
	start, end, prec, err := one(from)
	if err != nil {
		return mizan.TimeExpr{}, err
	}
	if isRange {
		s2, e2, _, err := one(to)
		if err != nil {
			return mizan.TimeExpr{}, err
		}
		if !e2.After(start) || s2.Before(start) {
			return mizan.TimeExpr{}, fmt.Errorf("range %q ends before it starts", s)
		}
		end, prec = e2, mizan.PrecisionRange
	}
	return mizan.TimeExpr{Text: s, Start: &start, End: &end, Precision: prec}, nil
}

func (s *EvalSet) entities() []mizan.Entity {
	out := make([]mizan.Entity, len(s.Entities))
	for i, e := range s.Entities {
		out[i] = mizan.Entity{ID: e.ID, Name: e.Name}
		if e.Country != "" {
			out[i].Attrs = map[string]string{"country": e.Country}
		}
	}
	return out
}

// EvaluateClaims scores Relate on the set's event pairs: one row per label (precision and recall
// of predicting it) and an "all" row counting a pair right when the label is.
func EvaluateClaims(s *EvalSet) (*evalkit.Report, error) {
	r := &evalkit.Report{Title: "Claim matching: event pairs, same / different / contradicting (project set)"}
	ents := s.entities()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range s.Claims {
		a, err := ParseEvent(p.A)
		if err != nil {
			return nil, err
		}
		b, err := ParseEvent(p.B)
		if err != nil {
			return nil, err
		}
		a.ID, a.Doc, b.ID, b.Doc = "a", "da", "b", "db"
		g := graph.New([]mizan.Document{{ID: "da", IngestedAt: at}, {ID: "db", IngestedAt: at}}, []mizan.Event{a, b}, ents, graph.Options{})
		ia, ib := indexOf(g, "a"), indexOf(g, "b")
		rel, _ := Relate(g, ia, ib)
		got := string(rel)
		for _, label := range []string{string(SameClaim), string(OtherClaim), string(Contradiction)} {
			r.Add(label, evalkit.Decision(p.Label == label, got == label))
		}
		if got == p.Label {
			r.Add("all", evalkit.Counts{TP: 1})
		} else {
			r.Add("all", evalkit.Counts{FP: 1, FN: 1})
			r.Notes = append(r.Notes, fmt.Sprintf("miss: %s: got %s, want %s", p.Name, got, p.Label))
		}
	}
	r.Sort()
	return r, nil
}

func indexOf(g *graph.Graph, id string) int32 {
	for i := range g.Events {
		if g.Events[i].ID == id {
			return int32(i)
		}
	}
	return -1
}

// EvaluateOrigins scores Compare on the set's document pairs: the positive class is
// "same-origin" (repetition that must not count as corroboration).
func EvaluateOrigins(s *EvalSet) (*evalkit.Report, error) {
	r := &evalkit.Report{Title: "Source independence: document pairs, same origin / independent (project set)"}
	ents := s.entities()
	for _, p := range s.Origins {
		g, pa, pb, err := p.profiles(ents)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		v := Compare(g, pa, pb)
		want := p.Label == "same-origin"
		r.Add("same-origin", evalkit.Decision(want, v.Same))
		r.Add("independent", evalkit.Decision(!want, !v.Same))
		if v.Same != want {
			r.Notes = append(r.Notes, fmt.Sprintf("miss: %s: got same=%v (score %.2f), want %s", p.Name, v.Same, v.Score, p.Label))
		}
	}
	return r, nil
}

// profiles builds the two documents of a pair into a graph and their profiles.
func (p OriginPair) profiles(ents []mizan.Entity) (*graph.Graph, *Profile, *Profile, error) {
	var docs []mizan.Document
	var events []mizan.Event
	full := map[string]*mizan.Event{}
	var mentions [2][]mizan.Mention
	for i, d := range []EvalDoc{p.A, p.B} {
		id := fmt.Sprintf("doc%d", i)
		doc := mizan.Document{ID: id, Lang: d.Lang, Outlet: d.Outlet, DupGroup: d.Dup, IngestedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
		if d.Published != "" {
			t, err := time.Parse("2006-01-02", d.Published)
			if err != nil {
				return nil, nil, nil, mizan.Errorf(mizan.EINVALID, "published %q: want YYYY-MM-DD", d.Published)
			}
			doc.Published = &t
		}
		docs = append(docs, doc)
		for _, m := range d.Mentions {
			mentions[i] = append(mentions[i], mizan.Mention{Doc: id, EntityID: m})
		}
		for j, ee := range d.Events {
			e, err := ParseEvent(ee.E)
			if err != nil {
				return nil, nil, nil, err
			}
			e.ID, e.Doc, e.Text = fmt.Sprintf("%s-e%d", id, j), id, ee.Text
			e.Sentence = mizan.Span{Start: j * 1000, End: j*1000 + len([]rune(ee.Text))}
			if ee.Attr != "" {
				parts := strings.SplitN(ee.Attr, ":", 3)
				for len(parts) < 3 {
					parts = append(parts, "")
				}
				e.Attribution = mizan.Attribution{Kind: mizan.AttributionKind(parts[0]), Entity: parts[1], Text: parts[2]}
			}
			events = append(events, e)
			ev := e
			full[e.ID] = &ev
		}
	}
	g := graph.New(docs, events, ents, graph.Options{})
	var idx [2][]int32
	for i := range g.Events {
		idx[g.Events[i].Doc] = append(idx[g.Events[i].Doc], int32(i))
	}
	return g, NewProfile(g, 0, idx[0], full, mentions[0]), NewProfile(g, 1, idx[1], full, mentions[1]), nil
}
