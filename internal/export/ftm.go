package export

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/graph"
)

// ftmEntity is a FollowTheMoney entity as its JSON lines carry it.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

func ftmID(kind, key string) string {
	h := sha1.Sum([]byte(kind + "\x00" + key))
	return "mizan-" + kind + "-" + hex.EncodeToString(h[:10])
}

// ftmLang maps ISO 639-1 codes to the ISO 639-3 ones FollowTheMoney's language type uses.
var ftmLang = map[string]string{"en": "eng", "ar": "ara", "fr": "fra", "fa": "fas", "ru": "rus", "es": "spa", "de": "deu",
	"it": "ita", "tr": "tur", "he": "heb", "zh": "zho", "pt": "por"}

// ftmSchema is the FollowTheMoney schema of an entity type: people are Person, organisations and
// armed groups Organization, states PublicBody (a state as an actor is its government), places
// and facilities Address, anything else LegalEntity.
func ftmSchema(t mizan.EntityType) string {
	switch t {
	case mizan.PERSON:
		return "Person"
	case mizan.ORG, mizan.GROUP:
		return "Organization"
	case mizan.GPE:
		return "PublicBody"
	case mizan.LOC, mizan.FAC:
		return "Address"
	}
	return "LegalEntity"
}

// WriteFtM writes FollowTheMoney entities as JSON lines, which Aleph's `ftm` tools and Aleph
// itself import: an entity per node (schema by type, see ftmSchema), an Article per document, an
// UnknownLink per relation (subject and object the two entities, role its event types, start and
// end dates its first and last events that the text dates, at their precision) and an Event per assessed claim (organizer the source
// actors, involved the others, the place as addressEntity, its dates, its grade and reasons as
// summary, its reports' articles as proof).
func WriteFtM(w io.Writer, d Data) error {
	g := d.Graph
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	emit := func(e ftmEntity) error {
		for k, v := range e.Properties {
			if len(v) == 0 {
				delete(e.Properties, k)
			}
		}
		return enc.Encode(e)
	}
	ids := map[string]string{}
	schemaOf := map[string]string{}
	node := func(n *graph.Node) error {
		if _, done := ids[n.ID]; done {
			return nil
		}
		s := ftmSchema(n.Type)
		e := ftmEntity{ID: ftmID("entity", n.ID), Schema: s, Properties: map[string][]string{"name": {n.Name}}}
		if c := country(n); c != "" {
			e.Properties["country"] = []string{strings.ToLower(c)}
		}
		if s == "Address" {
			e.Properties["full"] = []string{n.Name}
		}
		ids[n.ID], schemaOf[n.ID] = e.ID, s
		return emit(e)
	}
	for _, n := range linkedNodes(g) {
		if err := node(n); err != nil {
			return err
		}
	}
	for _, c := range d.Claims {
		for _, id := range append(c.Actors(), c.Place) {
			if n, ok := g.Node(id); ok && id != "" {
				if err := node(n); err != nil {
					return err
				}
			}
		}
	}
	articles := map[string]string{}
	for i := range g.Docs {
		doc := &g.Docs[i]
		title := doc.Title
		if title == "" {
			title = doc.Source
		}
		e := ftmEntity{ID: ftmID("article", doc.ID), Schema: "Article", Properties: map[string][]string{
			"name": {title}, "title": {title}, "fileName": {doc.Source}, "publisher": {doc.Outlet}}}
		if doc.Published != nil {
			e.Properties["publishedAt"] = []string{doc.Published.UTC().Format("2006-01-02")}
		}
		if l := ftmLang[doc.Lang]; l != "" {
			e.Properties["language"] = []string{l}
		}
		if u, err := url.Parse(doc.Source); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			e.Properties["sourceUrl"] = []string{doc.Source}
		}
		articles[doc.ID] = e.ID
		if err := emit(e); err != nil {
			return err
		}
	}
	grades := Grades(g, d.Claims)
	for _, ed := range g.Edges {
		var roles []string
		for _, t := range ed.Types {
			roles = append(roles, fmt.Sprintf("%s (%d)", t.Type, t.Count))
		}
		sum := fmt.Sprintf("%d event(s) in %d document(s)", len(ed.Events), ed.Docs)
		if gr := gradeOf(grades, ed); gr.Claims > 0 {
			sum += "; best grade " + gr.String()
		}
		e := ftmEntity{ID: ftmID("link", ed.A+"\x00"+ed.B), Schema: "UnknownLink", Properties: map[string][]string{
			"subject": {ids[ed.A]}, "object": {ids[ed.B]}, "role": {strings.Join(roles, ", ")},
			"summary": {sum}}}
		// Only the dates the texts give, at their precision: a link none of whose events is
		// dated has none (not the date mizan read the report).
		if first, last := datedRange(g, ed); first != "" {
			e.Properties["startDate"], e.Properties["endDate"] = []string{first}, []string{last}
		}
		if err := emit(e); err != nil {
			return err
		}
	}
	for _, c := range d.Claims {
		if c.Credibility == 0 {
			continue
		}
		e := ftmEntity{ID: ftmID("claim", c.ID), Schema: "Event", Properties: map[string][]string{
			"name": {summary(g, c)}, "summary": {claimText(g, c)}, "recordId": {c.ID}}}
		legal := func(id string) bool { return schemaOf[id] != "Address" && ids[id] != "" }
		for _, id := range c.Source {
			if legal(id) {
				e.Properties["organizer"] = append(e.Properties["organizer"], ids[id])
			}
		}
		for _, id := range c.Actors() {
			if legal(id) {
				e.Properties["involved"] = append(e.Properties["involved"], ids[id])
			} else if ids[id] != "" {
				e.Properties["addressEntity"] = append(e.Properties["addressEntity"], ids[id])
			}
		}
		if c.Place != "" && ids[c.Place] != "" {
			if schemaOf[c.Place] == "Address" {
				e.Properties["addressEntity"] = append(e.Properties["addressEntity"], ids[c.Place])
			}
			e.Properties["location"] = []string{g.Name(c.Place)}
		}
		if c.Start != nil {
			e.Properties["startDate"] = []string{c.Start.UTC().Format("2006-01-02")}
			e.Properties["endDate"] = []string{c.End.Add(-1).UTC().Format("2006-01-02")}
		}
		for _, r := range c.Reports {
			if a := articles[r.Doc]; a != "" {
				e.Properties["proof"] = append(e.Properties["proof"], a)
			}
			if r.Outlet != "" {
				e.Properties["publisher"] = append(e.Properties["publisher"], r.Outlet)
			}
		}
		if err := emit(e); err != nil {
			return err
		}
	}
	return bw.Flush()
}
