package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/graph"
)

// CSVTables are the tables WriteCSV writes.
var CSVTables = []string{"relations", "events", "claims", "entities"}

// WriteCSV writes one table as CSV with a header row: relations (one row per pair of
// entities), events (one row per event, without its sentence), claims (one row per claim, with
// its grade and reasons) or entities. An unknown table is EINVALID.
func WriteCSV(w io.Writer, d Data) error {
	g := d.Graph
	cw := csv.NewWriter(w)
	write := func(rows ...[]string) error {
		for _, r := range rows {
			if err := cw.Write(r); err != nil {
				return err
			}
		}
		return nil
	}
	switch d.Table {
	case "", "relations":
		head := []string{"source", "source_name", "target", "target_name"}
		for _, a := range edgeAttrs {
			head = append(head, a.name)
		}
		if err := write(head); err != nil {
			return err
		}
		grades := Grades(g, d.Claims)
		for _, e := range g.Edges {
			row := append([]string{e.A, g.Name(e.A), e.B, g.Name(e.B)}, edgeValues(g, e, gradeOf(grades, e))...)
			if err := write(row); err != nil {
				return err
			}
		}
	case "events":
		if err := write([]string{"event", "doc", "type", "subtype", "mode", "source", "target", "participants", "place",
			"start", "end", "precision", "at", "reported", "attribution", "attribution_entity", "hedged", "confidence",
			"sentence_start", "sentence_end"}); err != nil {
			return err
		}
		for i := range g.Events {
			e := &g.Events[i]
			start, end := "", ""
			if e.Dated() {
				start, end = e.Start.UTC().Format("2006-01-02"), day(e.End)
			}
			if err := write([]string{e.ID, g.Doc(e).ID, string(e.Type), e.SubType, string(e.Mode), strings.Join(e.Source, ";"),
				strings.Join(e.Target, ";"), strings.Join(e.Participants, ";"), e.Place, start, end, string(e.Precision),
				day(g.At(e)), day(g.Doc(e).Reported()), string(e.AttrKind), e.AttrEntity, strconv.FormatBool(e.Hedged),
				strconv.FormatFloat(float64(e.Confidence), 'f', 2, 32), strconv.Itoa(e.Sentence.Start),
				strconv.Itoa(e.Sentence.End)}); err != nil {
				return err
			}
		}
	case "claims":
		if err := write([]string{"claim", "summary", "type", "source", "target", "negated", "start", "end", "place", "reports",
			"contradicting", "independent", "reliability", "credibility", "grade", "reasons", "docs"}); err != nil {
			return err
		}
		for _, c := range d.Claims {
			start, end := "", ""
			if c.Start != nil {
				start, end = day(*c.Start), day(*c.End)
			}
			cred := ""
			if c.Credibility != 0 {
				cred = strconv.Itoa(int(c.Credibility))
			}
			if err := write([]string{c.ID, summary(g, c), string(c.Type), strings.Join(c.Source, ";"), strings.Join(c.Target, ";"),
				strconv.FormatBool(c.Negated), start, end, c.Place, strconv.Itoa(len(c.Reports)), strconv.Itoa(len(c.Contradicting)),
				strconv.Itoa(c.Independent), string(c.Reliability), cred, c.Grade, strings.Join(c.Reasons, "; "),
				strings.Join(c.Docs(), ";")}); err != nil {
				return err
			}
		}
	case "entities":
		head := make([]string, len(nodeAttrs))
		for i, a := range nodeAttrs {
			head[i] = a.name
		}
		head[0] = "id"
		if err := write(head); err != nil {
			return err
		}
		for _, n := range g.Nodes {
			if err := write(nodeValues(n)); err != nil {
				return err
			}
		}
	default:
		return mizan.Errorf(mizan.EINVALID, "CSV table %q: want one of %s", d.Table, strings.Join(CSVTables, ", "))
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSONL writes one JSON object per line, each with a "kind": every entity ("entity"), every
// document ("document", metadata only), every relation ("relation") and every claim ("claim",
// with its reports and grade).
func WriteJSONL(w io.Writer, d Data) error {
	g := d.Graph
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, n := range g.Nodes {
		if err := enc.Encode(struct {
			Kind string `json:"kind"`
			jsonNode
		}{"entity", nodeRecord(n)}); err != nil {
			return err
		}
	}
	for i := range g.Docs {
		if err := enc.Encode(struct {
			Kind string `json:"kind"`
			*graph.Doc
		}{"document", &g.Docs[i]}); err != nil {
			return err
		}
	}
	grades := Grades(g, d.Claims)
	for i, e := range g.Edges {
		if err := enc.Encode(struct {
			Kind string `json:"kind"`
			jsonEdge
		}{"relation", edgeRecord(g, i, e, grades)}); err != nil {
			return err
		}
	}
	for _, c := range d.Claims {
		if err := enc.Encode(struct {
			Kind string `json:"kind"`
			*claim.Claim
		}{"claim", c}); err != nil {
			return err
		}
	}
	return bw.Flush()
}
