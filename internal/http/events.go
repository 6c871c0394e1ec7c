package http

import (
	"encoding/csv"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/graph"
)

// MaxCSVRows bounds one CSV download.
const MaxCSVRows = 100000

// errNoEvents answers event endpoints on a store that keeps no events.
var errNoEvents = mizan.Errorf(mizan.EUNSUPPORTED, "this store keeps no events yet")

// wantsCSV reports whether the client asked for CSV: ?format=csv, or an Accept header that
// prefers text/csv.
func wantsCSV(p *params, r *http.Request) bool {
	if f := p.oneOf("format", "", "json", "csv"); f != "" {
		return f == "csv"
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true
		case "application/json", "*/*":
			return false
		}
	}
	return false
}

// eventFilter reads the filters `mizan events` takes: entity, between=A,B, type, since, until,
// doc, as_of.
func (s *Server) eventFilter(r *http.Request, p *params) (mizan.EventFilter, error) {
	f := mizan.EventFilter{Types: p.eventTypes("type"), Since: p.date("since"), Until: p.date("until"),
		Doc: p.str("doc"), AsOf: p.asOf("as_of")}
	between := p.list("between")
	if len(between) != 0 && len(between) != 2 {
		p.fail("between", "give two entities: between=A,B")
	}
	if p.err != nil {
		return f, p.err
	}
	var err error
	if ref := p.str("entity"); ref != "" {
		if f.Entity, err = s.entityID(r, ref); err != nil {
			return f, err
		}
	}
	for i, ref := range between {
		if f.Between[i], err = s.entityID(r, ref); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (s *Server) getEvents(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known("entity", "between", "type", "since", "until", "doc", "as_of", "order", "limit", "offset", "format")
	csvOut := wantsCSV(&p, r)
	// Newest first is what an analyst expects of a table of events; "stored" lists them as the
	// documents were ingested, each in text order. The store orders (and pages) them.
	order := mizan.OrderNewest
	if p.oneOf("order", "newest", "newest", "stored") == "stored" {
		order = mizan.OrderStored
	}
	limit, offset := p.page(50)
	if p.err != nil {
		return p.err
	}
	if s.events == nil {
		return errNoEvents
	}
	f, err := s.eventFilter(r, &p)
	if err != nil {
		return err
	}
	f.Order = order
	if csvOut {
		return s.writeEventsCSV(w, r, f, p.str("limit") != "", limit, offset)
	}
	f.Limit, f.Offset = limit, offset
	evs, total, err := s.events.Events(r.Context(), f)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, newList(evs, total, limit, offset))
	return nil
}

// csvHeader is the header row of the events CSV.
var csvHeader = []string{"id", "doc", "date", "date_end", "precision", "date_text", "type", "subtype", "mode",
	"source", "source_ids", "target", "target_ids", "place", "attribution_kind", "attribution", "hedged",
	"confidence", "start", "end", "sentence"}

// writeEventsCSV streams every event matching f (or one page when limited) as CSV, in pages so
// memory stays flat.
func (s *Server) writeEventsCSV(w http.ResponseWriter, r *http.Request, f mizan.EventFilter, limited bool, limit, offset int) error {
	ctx := r.Context()
	want := MaxCSVRows
	if limited {
		want = limit
	}
	f.Offset, f.Limit = offset, min(want, MaxLimit)
	evs, total, err := s.events.Events(ctx, f)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="mizan-events.csv"`)
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return nil // the client went away; headers are sent, nothing to answer
	}
	written := 0
	for len(evs) > 0 {
		for _, ev := range evs {
			if written == want {
				break
			}
			if err := cw.Write(csvRow(&ev)); err != nil {
				return nil
			}
			written++
		}
		if written == want || len(evs) < f.Limit {
			break
		}
		f.Offset += len(evs)
		if evs, _, err = s.events.Events(ctx, f); err != nil {
			s.log.Error("events csv", "err", err)
			break // mid-stream: the status is sent; a truncated file is all we can do
		}
	}
	cw.Flush()
	return nil
}

func csvRow(ev *mizan.Event) []string {
	names := func(as []mizan.Actor) (string, string) {
		n, ids := make([]string, len(as)), make([]string, len(as))
		for i, a := range as {
			n[i], ids[i] = a.Name, a.Entity
		}
		return strings.Join(n, "; "), strings.Join(ids, "; ")
	}
	src, srcIDs := names(ev.Source)
	tgt, tgtIDs := names(ev.Target)
	place := ""
	if ev.Place != nil {
		place = ev.Place.Name
	}
	date := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	}
	row := []string{ev.ID, ev.Doc, date(ev.Time.Start), date(ev.Time.End), string(ev.Time.Precision), ev.Time.Text,
		string(ev.Type), ev.SubType, string(ev.Mode), src, srcIDs, tgt, tgtIDs, place,
		string(ev.Attribution.Kind), ev.Attribution.Text, strconv.FormatBool(ev.Hedged),
		strconv.FormatFloat(ev.Confidence, 'f', 3, 64), strconv.Itoa(ev.Sentence.Start), strconv.Itoa(ev.Sentence.End), ev.Text}
	for i, c := range row {
		row[i] = csvSafe(c)
	}
	return row
}

// csvSafe defuses spreadsheet formulas: document text is untrusted, and a cell starting with
// = + - @ (or a tab or carriage return) would be evaluated by Excel or LibreOffice when the analyst
// opens the file. A leading apostrophe makes it text (OWASP's advice for CSV injection).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s // a plain negative number is data, not a formula
		}
		return "'" + s
	}
	return s
}

// graphQuery reads the network filters shared by graph, relations and timeline.
func graphQuery(p *params) GraphQuery {
	return GraphQuery{
		Types: p.eventTypes("type"), EntityTypes: p.entityTypes("entity_type"),
		Since: p.date("since"), Until: p.date("until"), AsOf: p.asOf("as_of"),
		MinConfidence: p.float("min_confidence", 0, 0, 1), Modes: p.modes("mode"),
		NoHedged: p.bool("no_hedged"), NoAnonymous: p.bool("no_anonymous"),
		MaxCredibility: admiralty.Credibility(p.int("max_credibility", 0, 6)),
		MinReliability: admiralty.Reliability(strings.ToUpper(p.oneOf("min_reliability", "", "a", "b", "c", "d", "e", "f"))),
	}
}

var graphParams = []string{"type", "entity_type", "since", "until", "as_of", "min_confidence", "mode", "no_hedged", "no_anonymous",
	"max_credibility", "min_reliability"}

func (s *Server) getGraph(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known(append(graphParams, "entity", "max_nodes", "max_edges", "max_evidence", "rank")...)
	q := graphQuery(&p)
	q.Rank = p.oneOf("rank", "pagerank", "pagerank", "betweenness", "events")
	q.MaxNodes = p.int("max_nodes", 150, 5000)
	// The heaviest edges only by default: among the most central nodes of a large corpus nearly
	// every pair is linked, and tens of thousands of edges help nobody (nor the browser).
	q.MaxEdges = p.int("max_edges", 600, 20000)
	if q.MaxEdges == 0 {
		p.fail("max_edges", "must be at least 1")
	}
	q.MaxEvidence = p.int("max_evidence", 5, MaxLimit)
	if q.MaxEvidence == 0 {
		p.fail("max_evidence", "must be at least 1")
	}
	if p.err != nil {
		return p.err
	}
	if s.network == nil {
		return errNoEvents
	}
	if ref := p.str("entity"); ref != "" {
		id, err := s.entityID(r, ref)
		if err != nil {
			return err
		}
		q.Entity = id
	}
	g, err := s.network.Graph(r.Context(), q)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, g)
	return nil
}

// getRelations answers what `mizan relations A B` prints with --json (the same code:
// analysis.Explain): the relation between two entities, its claims graded and its evidence.
func (s *Server) getRelations(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known(append(graphParams, "a", "b", "period")...)
	q := graphQuery(&p)
	period, err := graph.ParsePeriod(p.oneOf("period", "quarter", "month", "quarter", "year"))
	if err != nil {
		p.fail("period", "%v", err)
	}
	a, b := p.str("a"), p.str("b")
	if p.err == nil && (a == "" || b == "") {
		p.fail(map[bool]string{true: "a", false: "b"}[a == ""], "two entities (id or name) are required: a=A&b=B")
	}
	if p.err != nil {
		return p.err
	}
	if s.network == nil {
		return errNoEvents
	}
	x, err := s.entityID(r, a)
	if err != nil {
		return err
	}
	y, err := s.entityID(r, b)
	if err != nil {
		return err
	}
	if x == y {
		return mizan.Errorf(mizan.EINVALID, "%q and %q are the same entity", a, b)
	}
	v, err := s.network.Explain(r.Context(), x, y, q, period)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) getTimeline(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known(append(graphParams, "entity", "bucket")...)
	q := graphQuery(&p)
	bucket := p.oneOf("bucket", "month", "day", "month", "year")
	if p.err != nil {
		return p.err
	}
	if s.network == nil {
		return errNoEvents
	}
	if ref := p.str("entity"); ref != "" {
		id, err := s.entityID(r, ref)
		if err != nil {
			return err
		}
		q.Entity = id
	}
	tl, err := s.network.Timeline(r.Context(), q, bucket)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, tl)
	return nil
}
