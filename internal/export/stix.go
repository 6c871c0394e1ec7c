package export

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/graph"
)

// stixNamespace is the namespace of mizan's name-based (v5) STIX identifiers: the same entity,
// relation, document or claim always gets the same id.
var stixNamespace = uuid.MustParse("5d1c8c6e-3a57-4b0c-9a37-6d697a616e21")

func stixID(typ, key string) string {
	return typ + "--" + uuid.NewSHA1(stixNamespace, []byte(typ+"\x00"+key)).String()
}

// stixTime formats a STIX timestamp: UTC, millisecond precision, "Z".
func stixTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// stixConfidence maps Admiralty credibility to STIX confidence (STIX 2.1, appendix A, "Admiralty
// Credibility"); 6, "cannot be judged", has no value.
func stixConfidence(c admiralty.Credibility) (int, bool) {
	switch c {
	case admiralty.Confirmed:
		return 90, true
	case admiralty.ProbablyTrue:
		return 70, true
	case admiralty.PossiblyTrue:
		return 50, true
	case admiralty.Doubtful:
		return 30, true
	case admiralty.Improbable:
		return 10, true
	}
	return 0, false
}

// country returns the upper-case ISO 3166-1 alpha-2 code of a state or of the country a place is
// in, "" when unknown.
func country(n *graph.Node) string {
	if c := n.Attrs["country"]; len(c) == 2 {
		return strings.ToUpper(c)
	}
	if code, ok := strings.CutPrefix(n.ID, "gpe/"); ok && len(code) == 2 {
		return strings.ToUpper(code)
	}
	return ""
}

type stixObject map[string]any

// WriteSTIX writes a STIX 2.1 bundle: an identity for mizan (the creator), a location for every
// state and for every place whose country is known, an identity for every person and
// organisation (identity_class individual or organization), a threat-actor for every armed or
// political group, a relationship per relation and event type (relationship_type the PLOVER type
// in lower case, source and target by the direction the events run, confidence from the best
// claim's credibility), a report per document with the relationships it supports, and a note per
// claim with its grade, reasons and reports. Places whose country is unknown have no STIX
// location (one needs a country, a region or coordinates) and relations to them are left out.
func WriteSTIX(w io.Writer, d Data) error {
	g := d.Graph
	created := stixTime(d.Created)
	creator := stixID("identity", "mizan")
	objs := []stixObject{{"type": "identity", "spec_version": "2.1", "id": creator, "created": created, "modified": created,
		"name": "mizan", "identity_class": "system", "description": "Knowledge graph built by mizan from news documents"}}
	common := func(typ, key string) stixObject {
		return stixObject{"type": typ, "spec_version": "2.1", "id": stixID(typ, key), "created_by_ref": creator,
			"created": created, "modified": created}
	}
	ref := map[string]string{} // entity id -> STIX id
	addNode := func(n *graph.Node) {
		if _, done := ref[n.ID]; done {
			return
		}
		var o stixObject
		switch n.Type {
		case mizan.GPE, mizan.LOC, mizan.FAC:
			c := country(n)
			if c == "" {
				return
			}
			o = common("location", n.ID)
			o["country"] = c
		case mizan.PERSON:
			o = common("identity", n.ID)
			o["identity_class"] = "individual"
		case mizan.ORG:
			o = common("identity", n.ID)
			o["identity_class"] = "organization"
		case mizan.GROUP:
			o = common("threat-actor", n.ID)
			o["threat_actor_types"] = []string{"unknown"}
		default:
			o = common("identity", n.ID)
			o["identity_class"] = "unknown"
		}
		o["name"] = n.Name
		o["external_references"] = []stixObject{{"source_name": "mizan", "external_id": n.ID}}
		ref[n.ID] = o["id"].(string)
		objs = append(objs, o)
	}
	for _, n := range linkedNodes(g) {
		addNode(n)
	}
	grades := Grades(g, d.Claims)
	// One relationship per relation and type; remember which documents support each.
	relOf := map[[3]string]string{} // a, b, type -> relationship id
	docRels := map[int32][]string{}
	for _, e := range g.Edges {
		sa, okA := ref[e.A]
		sb, okB := ref[e.B]
		if !okA || !okB {
			continue
		}
		byType := map[mizan.EventType][]int32{}
		for _, i := range e.Events {
			byType[g.Events[i].Type] = append(byType[g.Events[i].Type], i)
		}
		for _, tc := range e.Types {
			evs := byType[tc.Type]
			ab, ba := 0, 0
			// start_time and stop_time come only from events the text dates: an undated
			// event's report date says when it was told, not when the relationship existed.
			var first, last time.Time
			docs := map[int32]bool{}
			for _, i := range evs {
				ev := &g.Events[i]
				docs[ev.Doc] = true
				if ev.Dated() && (first.IsZero() || ev.Start.Before(first)) {
					first = ev.Start
				}
				if ev.Dated() && ev.Start.After(last) {
					last = ev.Start
				}
				if graph.Symmetric(ev.Type) {
					continue
				}
				switch {
				case slices.Contains(ev.Source, e.A):
					ab++
				case slices.Contains(ev.Source, e.B):
					ba++
				}
			}
			src, dst := sa, sb
			if ba > ab {
				src, dst = sb, sa
			}
			key := e.A + "\x00" + e.B + "\x00" + string(tc.Type)
			o := common("relationship", key)
			o["relationship_type"] = strings.ToLower(string(tc.Type))
			o["source_ref"], o["target_ref"] = src, dst
			o["description"] = fmt.Sprintf("%s — %s: %d %s event(s) in %d document(s)", g.Name(e.A), g.Name(e.B), len(evs), tc.Type, len(docs))
			if !first.IsZero() {
				o["start_time"] = stixTime(first)
			}
			if last.After(first) {
				o["stop_time"] = stixTime(last)
			}
			if gr := gradeOf(grades, e); gr.Claims > 0 {
				if c, ok := stixConfidence(gr.Credibility); ok {
					o["confidence"] = c
				}
				o["labels"] = []string{"admiralty-" + strings.ToLower(gr.String())}
			}
			relOf[[3]string{e.A, e.B, string(tc.Type)}] = o["id"].(string)
			for doc := range docs {
				docRels[doc] = append(docRels[doc], o["id"].(string))
			}
			objs = append(objs, o)
		}
	}
	// Reports: one per document that supports a relationship.
	reportOf := map[string]string{}
	for i := range g.Docs {
		rels := docRels[int32(i)]
		if len(rels) == 0 {
			continue
		}
		slices.Sort(rels)
		doc := &g.Docs[i]
		o := common("report", doc.ID)
		name := doc.Title
		if name == "" {
			name = doc.Source
		}
		o["name"] = name
		o["published"] = stixTime(doc.Reported())
		o["report_types"] = []string{"threat-report"}
		o["object_refs"] = slices.Compact(rels)
		if doc.Lang != "" {
			o["lang"] = doc.Lang
		}
		er := stixObject{"source_name": "mizan", "external_id": doc.ID}
		if u, err := url.Parse(doc.Source); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			er["url"] = doc.Source
		}
		if doc.Outlet != "" {
			er["description"] = doc.Outlet
		}
		o["external_references"] = []stixObject{er}
		reportOf[doc.ID] = o["id"].(string)
		objs = append(objs, o)
	}
	// Notes: one per assessed claim that bears on exported relationships.
	for _, c := range d.Claims {
		if c.Credibility == 0 {
			continue
		}
		var refs []string
		for _, ev := range c.Events() {
			for _, p := range graph.Pairs(&g.Events[ev]) {
				a, b := p[0], p[1]
				if b < a {
					a, b = b, a
				}
				if id, ok := relOf[[3]string{a, b, string(c.Type)}]; ok {
					refs = append(refs, id)
				}
			}
		}
		for _, r := range c.Reports {
			if id, ok := reportOf[r.Doc]; ok {
				refs = append(refs, id)
			}
		}
		slices.Sort(refs)
		refs = slices.Compact(refs)
		if len(refs) == 0 {
			continue
		}
		o := common("note", c.ID)
		o["abstract"] = fmt.Sprintf("Claim %s: %s — %s (%s)", c.ID, summary(g, c), c.Grade, c.Credibility.Meaning())
		o["content"] = claimText(g, c)
		o["authors"] = []string{"mizan"}
		o["object_refs"] = refs
		o["labels"] = []string{"admiralty-" + strings.ToLower(c.Grade)}
		if conf, ok := stixConfidence(c.Credibility); ok {
			o["confidence"] = conf
		}
		objs = append(objs, o)
	}
	bundle := stixObject{"type": "bundle", "id": stixID("bundle", fmt.Sprintf("%d:%d:%s", len(g.Docs), len(g.Events), created)),
		"objects": objs}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(bundle)
}

// summary names a claim in a line: "CONSULT Algeria, Iran (2024-10..2024-12, Algiers)".
func summary(g *graph.Graph, c *claim.Claim) string {
	names := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = g.Name(id)
		}
		return strings.Join(out, ", ")
	}
	s := string(c.Type)
	if c.Negated {
		s = "not " + s
	}
	s += " " + names(c.Source)
	if len(c.Target) > 0 {
		s += " -> " + names(c.Target)
	}
	var when []string
	if c.Start != nil {
		when = append(when, c.Start.Format("2006-01-02")+".."+c.End.Format("2006-01-02"))
	}
	if c.Place != "" {
		when = append(when, g.Name(c.Place))
	}
	if len(when) > 0 {
		s += " (" + strings.Join(when, ", ") + ")"
	}
	return s
}

// claimText is a claim's grade, reasons and reports as plain text.
func claimText(g *graph.Graph, c *claim.Claim) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nGrade %s: reliability %s (%s), credibility %d (%s).\n", summary(g, c), c.Grade, c.Reliability,
		c.Reliability.Meaning(), c.Credibility, c.Credibility.Meaning())
	for _, r := range c.Reasons {
		fmt.Fprintf(&b, "- %s\n", r)
	}
	for _, r := range append(append([]claim.Report(nil), c.Reports...), c.Contradicting...) {
		fmt.Fprintf(&b, "%s origin %d, document %s (%s, %s): %s\n", r.Stance, r.Origin, r.Doc, orDash(r.Lang), orDash(r.Outlet), r.Sentence)
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
