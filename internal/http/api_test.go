package http_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/analysis"
	"github.com/mizan-osint/mizan/internal/graph"
	mizanhttp "github.com/mizan-osint/mizan/internal/http"
)

// TestAPIErrors checks that every endpoint answers bad parameters with a clear 4xx JSON error.
func TestAPIErrors(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	tests := []struct {
		path       string
		wantStatus int
		wantCode   string
		wantInMsg  string
	}{
		{"/api/v1/documents?limit=abc", 400, mizan.EINVALID, "limit"},
		{"/api/v1/documents?limit=0", 400, mizan.EINVALID, "limit"},
		{"/api/v1/documents?limit=100000", 400, mizan.EINVALID, "maximum"},
		{"/api/v1/documents?offset=-1", 400, mizan.EINVALID, "offset"},
		{"/api/v1/documents?since=yesterday", 400, mizan.EINVALID, "since"},
		{"/api/v1/documents?lnag=ar", 400, mizan.EINVALID, "unknown parameter"},
		{"/api/v1/documents/nosuchdoc", 404, mizan.ENOTFOUND, ""},
		{"/api/v1/documents/" + env.IDs["en-talks.txt"] + "?x=1", 400, mizan.EINVALID, "unknown parameter"},
		{"/api/v1/search", 400, mizan.EINVALID, "query is required"},
		{"/api/v1/search?q=" + strings.Repeat("a", 501), 400, mizan.EINVALID, "longer"},
		{"/api/v1/entities?type=PLANET", 400, mizan.EINVALID, "entity type"},
		{"/api/v1/entities/no-such-entity-zzz", 404, mizan.ENOTFOUND, ""},
		{"/api/v1/entities/gpe/dz?documents=x", 400, mizan.EINVALID, "documents"},
		{"/api/v1/events?type=HUG", 400, mizan.EINVALID, "PLOVER"},
		{"/api/v1/events?between=gpe/dz", 400, mizan.EINVALID, "two entities"},
		{"/api/v1/events?entity=no-such-entity-zzz", 404, mizan.ENOTFOUND, ""},
		{"/api/v1/events?format=xml", 400, mizan.EINVALID, "format"},
		{"/api/v1/relations", 400, mizan.EINVALID, "required"},
		{"/api/v1/relations?a=gpe/dz&min_confidence=2", 400, mizan.EINVALID, "min_confidence"},
		{"/api/v1/relations?a=gpe/dz&b=gpe/dz", 400, mizan.EINVALID, "same entity"},
		{"/api/v1/relations?a=gpe/dz&b=gpe/ru&period=week", 400, mizan.EINVALID, "period"},
		{"/api/v1/timeline?bucket=week", 400, mizan.EINVALID, "bucket"},
		{"/api/v1/graph?rank=fame", 400, mizan.EINVALID, "rank"},
		{"/api/v1/graph?min_reliability=G", 400, mizan.EINVALID, "min_reliability"},
		{"/api/v1/graph?max_credibility=9", 400, mizan.EINVALID, "max_credibility"},
		{"/api/v1/graph?as_of=soon", 400, mizan.EINVALID, "as_of"},
		{"/api/v1/events?order=random", 400, mizan.EINVALID, "order"},
		{"/api/v1/graph?mode=maybe", 400, mizan.EINVALID, "mode"},
		{"/api/v1/graph?no_hedged=perhaps", 400, mizan.EINVALID, "no_hedged"},
		{"/api/v1/graph?max_evidence=0", 400, mizan.EINVALID, "max_evidence"},
		{"/api/v1/overview?x=1", 400, mizan.EINVALID, "unknown parameter"},
		{"/api/v1/nothing", 404, mizan.ENOTFOUND, "no such API endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var e apiError
			st := getJSON(t, ts.URL+tt.path, &e)
			if st != tt.wantStatus {
				t.Errorf("got status %d, want %d (%+v)", st, tt.wantStatus, e)
			}
			if e.Error.Code != tt.wantCode {
				t.Errorf("got code %q, want %q", e.Error.Code, tt.wantCode)
			}
			if !strings.Contains(e.Error.Message, tt.wantInMsg) {
				t.Errorf("got message %q, want it to mention %q", e.Error.Message, tt.wantInMsg)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: false, Token: "t0k"})
	req, _ := http.NewRequest(http.MethodPut, ts.URL+"/api/v1/documents/abcd", nil)
	req.Header.Set("Authorization", "Bearer t0k")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e apiError
	_ = json.NewDecoder(res.Body).Decode(&e)
	if res.StatusCode != 405 || e.Error.Code != "method_not_allowed" || res.Header.Get("Allow") == "" {
		t.Errorf("got %d %q Allow %q, want 405 method_not_allowed with an Allow header", res.StatusCode, e.Error.Code, res.Header.Get("Allow"))
	}
}

func TestDocuments(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	type row struct {
		ID, Title, Lang string
	}
	var all struct {
		Items                []row
		Total, Limit, Offset int
	}
	if st := getJSON(t, ts.URL+"/api/v1/documents", &all); st != 200 {
		t.Fatalf("got status %d, want 200", st)
	}
	if all.Total != len(env.fx.Docs) || len(all.Items) != all.Total {
		t.Errorf("got %d items of %d, want %d", len(all.Items), all.Total, len(env.fx.Docs))
	}
	tests := []struct {
		query     string
		wantTotal int
		wantItems int
	}{
		{"lang=ar", 1, 1},
		{"lang=fr", 1, 1},
		{"limit=2", len(env.fx.Docs), 2},
		{"limit=2&offset=3", len(env.fx.Docs), 1},
		{"since=2024-03-01", 1, 1},
		{"since=2024&until=2024-03", 1, 1},
		{"outlet=Le+Quotidien", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got struct {
				Items []row
				Total int
			}
			getJSON(t, ts.URL+"/api/v1/documents?"+tt.query, &got)
			if got.Total != tt.wantTotal || len(got.Items) != tt.wantItems {
				t.Errorf("got %d items of %d, want %d of %d", len(got.Items), got.Total, tt.wantItems, tt.wantTotal)
			}
		})
	}
}

func TestDocument(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	var d struct {
		ID         string
		Title      string
		Text       string
		Lang       string
		Paragraphs []struct {
			Span mizan.Span
			Lang string
			Dir  string
		}
		Sentences []struct {
			Span mizan.Span
			Text string
		}
		Mentions       []mizan.Mention
		Events         []mizan.Event
		NearDuplicates []any `json:"near_duplicates"`
	}
	id := env.IDs["ar-talks.txt"]
	if st := getJSON(t, ts.URL+"/api/v1/documents/"+id[:6], &d); st != 200 {
		t.Fatalf("got status %d, want 200", st)
	}
	if d.ID != id || d.Lang != "ar" || d.Text == "" {
		t.Errorf("got id %q lang %q, want %q ar with text", d.ID, d.Lang, id)
	}
	if len(d.Paragraphs) == 0 {
		t.Fatal("got no paragraphs")
	}
	for _, p := range d.Paragraphs {
		if p.Dir != "rtl" {
			t.Errorf("got paragraph %v dir %q (lang %q), want rtl", p.Span, p.Dir, p.Lang)
		}
	}
	runes := []rune(d.Text)
	for _, s := range d.Sentences {
		if got := string(runes[s.Span.Start:s.Span.End]); got != s.Text {
			t.Errorf("got sentence text %q, want the span's %q", s.Text, got)
		}
	}
	for _, m := range d.Mentions {
		if got := string(runes[m.Span.Start:m.Span.End]); got != m.Text {
			t.Errorf("got mention %q at %v, want the span's %q", m.Text, m.Span, got)
		}
	}
	if len(d.Mentions) == 0 || len(d.Events) != 2 {
		t.Errorf("got %d mentions and %d events, want some and 2", len(d.Mentions), len(d.Events))
	}
	if d.NearDuplicates == nil {
		t.Error("got null near_duplicates, want an array")
	}
}

func TestSearch(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	tests := []struct {
		q         string
		wantDoc   string
		wantTotal int
	}{
		{"Lavrov", "en-talks.txt", 1},
		{"الجزائر", "ar-talks.txt", 1},
		{"consultations", "fr-iran.txt", 1},
		{"zzzqqq", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			var got struct {
				Items []struct {
					ID         string
					Snippet    string
					Highlights []mizan.Span
				}
				Total int
			}
			getJSON(t, ts.URL+"/api/v1/search?q="+url.QueryEscape(tt.q), &got)
			if got.Total != tt.wantTotal {
				t.Fatalf("got %d hits, want %d", got.Total, tt.wantTotal)
			}
			if tt.wantDoc == "" {
				return
			}
			if got.Items[0].ID != env.IDs[tt.wantDoc] {
				t.Errorf("got first hit %s, want %s", got.Items[0].ID, env.IDs[tt.wantDoc])
			}
			if len(got.Items[0].Highlights) == 0 {
				t.Errorf("got no highlights in %q", got.Items[0].Snippet)
			}
			runes := []rune(got.Items[0].Snippet)
			for _, h := range got.Items[0].Highlights {
				if h.Start < 0 || h.End > len(runes) || h.Start >= h.End {
					t.Errorf("got highlight %v outside snippet of %d characters", h, len(runes))
				}
			}
		})
	}
}

func TestEntities(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	var list struct {
		Items []mizan.EntitySummary
		Total int
	}
	getJSON(t, ts.URL+"/api/v1/entities?type=PERSON", &list)
	var ids []string
	for _, e := range list.Items {
		ids = append(ids, e.ID)
		if e.Type != mizan.PERSON {
			t.Errorf("got %s of type %s, want PERSON only", e.ID, e.Type)
		}
	}
	for _, want := range []string{"person/said-chanegriha", "person/sergei-lavrov"} {
		if !slices.Contains(ids, want) {
			t.Errorf("got %v, want %s among them", ids, want)
		}
	}

	// A profile by id (with a slash) and by a name in another script.
	for _, ref := range []string{"person/said-chanegriha", url.PathEscape("سعيد شنقريحة")} {
		var p struct {
			ID        string
			Name      string
			Documents []mizan.EntityDocument
			Sentences []mizan.EntitySentence
			Relations []struct {
				Partner struct{ ID string }
				Count   int
				Types   map[string]int
			}
			Timeline []struct {
				Period string
				Count  int
			}
		}
		if st := getJSON(t, ts.URL+"/api/v1/entities/"+ref, &p); st != 200 {
			t.Fatalf("%s: got status %d, want 200", ref, st)
		}
		if p.ID != "person/said-chanegriha" || len(p.Documents) != 2 || len(p.Sentences) == 0 {
			t.Errorf("%s: got %s with %d documents and %d sentences, want person/said-chanegriha with 2 and some", ref, p.ID, len(p.Documents), len(p.Sentences))
		}
		if len(p.Relations) != 1 || p.Relations[0].Partner.ID != "person/sergei-lavrov" || p.Relations[0].Types["CONSULT"] != 2 {
			t.Errorf("%s: got relations %+v, want 2 CONSULT with person/sergei-lavrov", ref, p.Relations)
		}
		if len(p.Timeline) != 2 {
			t.Errorf("%s: got timeline %+v, want two months", ref, p.Timeline)
		}
	}
}

func TestEvents(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	tests := []struct {
		query     string
		wantTotal int
	}{
		{"", 8},
		{"type=CONSULT", 4},
		{"type=consult,aid", 6},
		{"entity=gpe/ru", 3},
		{"entity=Russia", 3},
		{"between=gpe/dz,gpe/ma", 2},
		{"since=2024-03", 5},
		{"since=2024-03-11&until=2024-03-12", 2},
		{"doc=" + env.IDs["fr-iran.txt"], 1},
		{"limit=1", 8},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got struct {
				Items []mizan.Event
				Total int
				Limit int
			}
			getJSON(t, ts.URL+"/api/v1/events?"+tt.query, &got)
			if got.Total != tt.wantTotal {
				t.Errorf("got total %d, want %d", got.Total, tt.wantTotal)
			}
			if len(got.Items) != min(got.Total, got.Limit) {
				t.Errorf("got %d items, want %d", len(got.Items), min(got.Total, got.Limit))
			}
		})
	}
}

// TestEventsOrder checks that events come newest first, as the table shows them, and in store
// order with order=stored.
func TestEventsOrder(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	at := func(ev mizan.Event) time.Time {
		if ev.Time.Start != nil {
			return *ev.Time.Start
		}
		return time.Now() // an undated event counts at its document's date: here the ingest, now
	}
	for _, tt := range []struct {
		query  string
		newest bool
	}{{"", true}, {"order=newest", true}, {"order=stored&doc=" + env.IDs["en-talks.txt"], false}, {"limit=3&offset=2", true}} {
		var got struct{ Items []mizan.Event }
		if st := getJSON(t, ts.URL+"/api/v1/events?"+tt.query, &got); st != 200 || len(got.Items) < 2 {
			t.Fatalf("%s: got status %d, %d events", tt.query, st, len(got.Items))
		}
		for i := 1; i < len(got.Items); i++ {
			a, b := got.Items[i-1], got.Items[i]
			if tt.newest && at(b).After(at(a)) && b.Time.Start != nil && a.Time.Start != nil {
				t.Errorf("%s: got %s (%s) before %s (%s), want newest first", tt.query, a.ID, at(a), b.ID, at(b))
			}
			if !tt.newest && b.Sentence.Start < a.Sentence.Start {
				t.Errorf("%s: got %s before %s, want text order", tt.query, a.ID, b.ID)
			}
		}
	}
}

func TestEventsCSV(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	for _, tt := range []struct {
		name   string
		url    string
		accept string
	}{
		{"format", "/api/v1/events?format=csv", ""},
		{"accept", "/api/v1/events", "text/csv"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+tt.url, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Fatalf("got Content-Type %q, want text/csv", ct)
			}
			rows, err := csv.NewReader(res.Body).ReadAll()
			if err != nil {
				t.Fatalf("read csv: %v", err)
			}
			if len(rows) != 9 || rows[0][0] != "id" {
				t.Fatalf("got %d rows (header %v), want a header and 8 events", len(rows), rows[0])
			}
			for _, r := range rows[1:] {
				for _, c := range r {
					if c != "" && strings.ContainsRune("=+@", rune(c[0])) {
						t.Errorf("got cell %q, want formulas defused", c)
					}
				}
			}
		})
	}
}

// waitGraded waits until the network at base has graded its claims (a build publishes its
// graph first and its grades after), failing after a minute.
func waitGraded(tb testing.TB, base string) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var g mizanhttp.Graph
		if st := getJSON(tb, base+"/api/v1/graph?max_nodes=1", &g); st == 200 && g.Graded {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatal("the network's claims were not graded within a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestGraphRelationsTimeline(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	waitGraded(t, ts.URL)
	var g mizanhttp.Graph
	getJSON(t, ts.URL+"/api/v1/graph", &g)
	// One edge per pair of entities: Algeria–Russia (COOPERATE, AID ×2), Chanegriha–Lavrov
	// (CONSULT ×2), Morocco–Algeria (ACCUSE, a negated CONSULT), Algeria–Iran (CONSULT).
	if g.TotalEdges != 4 || len(g.Edges) != 4 || g.TotalNodes != 6 || !g.Graded {
		t.Errorf("got %d edges (total %d), %d nodes, graded %v; want 4, 6, graded", len(g.Edges), g.TotalEdges, g.TotalNodes, g.Graded)
	}
	for _, e := range g.Edges {
		if len(e.Evidence) == 0 || e.Evidence[0].Text == "" || e.SourceName == "" || len(e.Types) == 0 || e.Grade == nil || e.Grade.Grade == "" {
			t.Errorf("got edge %s without evidence, names, types or grade: %+v", e.ID, e)
		}
		// "When" only as exactly as the texts say: no date for an edge none of whose events
		// the text dates, the dated events' range otherwise.
		switch {
		case e.Dated < 0 || e.Dated > e.Count:
			t.Errorf("edge %s: got %d dated of %d events", e.ID, e.Dated, e.Count)
		case e.Dated == 0 && (e.First != nil || e.Last != nil):
			t.Errorf("edge %s: got first %v, last %v for undated events; want none", e.ID, e.First, e.Last)
		case e.Dated > 0 && (e.First == nil || e.Last == nil || e.Last.Before(*e.First) || e.FirstPrecision == "" || e.LastPrecision == ""):
			t.Errorf("edge %s: got first %v (%s), last %v (%s) for %d dated events", e.ID, e.First, e.FirstPrecision, e.Last, e.LastPrecision, e.Dated)
		}
		for _, ev := range e.Evidence {
			if ev.Grade == "" || ev.Reliability != "F" || ev.Claim == "" {
				t.Errorf("edge %s: got evidence %+v, want its claim, grade and the outlet's reliability F", e.ID, ev)
			}
		}
	}
	dzru := edgeOf(g, "gpe/dz", "gpe/ru")
	if dzru == nil || dzru.Count != 3 || dzru.Docs != 2 || dzru.Type != mizan.AID || len(dzru.Types) != 2 ||
		dzru.SourceToTarget+dzru.TargetToSource+dzru.Mutual != 3 || dzru.Directed {
		t.Errorf("got Algeria–Russia %+v, want 3 events (AID ×2, COOPERATE) in 2 documents, both ways", dzru)
	} else if dzru.Dated != 2 || dzru.First.Year() != 2024 || dzru.Last.Year() != 2025 {
		t.Errorf("got Algeria–Russia dated %d, %v–%v; want the two dated events only (2024, 2025), the third undated", dzru.Dated, dzru.First, dzru.Last)
	} else if dzru.Evidence[0].Date == nil || dzru.Evidence[0].Date.Year() != 2025 {
		t.Errorf("got first evidence %+v, want the newest (2025)", dzru.Evidence[0])
	}
	tests := []struct {
		query     string
		wantEdges int
		wantNodes int
	}{
		{"type=AID", 1, 2},
		{"no_hedged=true", 4, 6},
		{"no_anonymous=true&type=AID", 0, 0},
		{"min_confidence=0.8", 3, 5},
		{"mode=negated", 1, 2},
		{"since=2024-03-01&until=2024-04", 3, 5},
		{"entity_type=PERSON", 1, 2},
		{"entity=Russia", 1, 2},
		{"max_nodes=2", -1, 2},
		{"as_of=2024-01", 1, 2},
		{"as_of=2024-02-20", 3, 5},
		{"min_reliability=F", 4, 6},
		{"min_reliability=e", 0, 0},
		{"max_credibility=6", 4, 6},
		{"rank=betweenness&max_nodes=1", 0, 1},
		{"rank=events", 4, 6},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var g mizanhttp.Graph
			if st := getJSON(t, ts.URL+"/api/v1/graph?"+tt.query, &g); st != 200 {
				t.Fatalf("got status %d, want 200", st)
			}
			if (tt.wantEdges >= 0 && len(g.Edges) != tt.wantEdges) || len(g.Nodes) != tt.wantNodes {
				t.Errorf("got %d edges and %d nodes, want %d and %d", len(g.Edges), len(g.Nodes), tt.wantEdges, tt.wantNodes)
			}
			in := map[string]bool{}
			for _, n := range g.Nodes {
				in[n.ID] = true
			}
			for _, e := range g.Edges {
				if !in[e.Source] || !in[e.Target] {
					t.Errorf("got edge %s between nodes not kept", e.ID)
				}
			}
		})
	}
	// The credibility filter keeps the events whose claim is graded at most that.
	var all, cred mizanhttp.Graph
	getJSON(t, ts.URL+"/api/v1/graph", &all)
	getJSON(t, ts.URL+"/api/v1/graph?max_credibility=3", &cred)
	n := 0
	for _, e := range cred.Edges {
		for _, ev := range e.Evidence {
			n++
			if ev.Credibility < 1 || ev.Credibility > 3 {
				t.Errorf("max_credibility=3: got evidence graded %s (credibility %d)", ev.Grade, ev.Credibility)
			}
		}
	}
	hedgedAID := edgeOf(cred, "gpe/dz", "gpe/ru")
	if n == 0 || (hedgedAID != nil && slices.ContainsFunc(hedgedAID.Types, func(tc graph.TypeCount) bool { return tc.Type == mizan.AID })) {
		t.Errorf("max_credibility=3: got %d evidence, Algeria–Russia %+v; want some, and not the hedged anonymous AID (credibility 4)", n, hedgedAID)
	}
	if st := getJSON(t, ts.URL+"/api/v1/graph?max_credibility=7", &cred); st != 400 {
		t.Errorf("max_credibility=7: got status %d, want 400", st)
	}

	// The relations endpoint answers what `mizan relations A B --json` prints.
	var rel analysis.Relation
	if st := getJSON(t, ts.URL+"/api/v1/relations?a=gpe/dz&b=Russia", &rel); st != 200 {
		t.Fatalf("relations: got status %d, want 200", st)
	}
	if rel.A.ID != "gpe/dz" || rel.B.ID != "gpe/ru" || rel.Events != 3 || rel.Docs != 2 || len(rel.Evidence) != 3 || len(rel.Claims) == 0 {
		t.Errorf("got %+v, want Algeria–Russia: 3 events in 2 documents with their claims and evidence", rel)
	}
	for _, ev := range rel.Evidence {
		if ev.Sentence == "" || ev.Grade == "" {
			t.Errorf("got evidence %+v, want its sentence and grade", ev)
		}
	}
	if st := getJSON(t, ts.URL+"/api/v1/relations?a=gpe/dz&b=Russia&as_of=2024-02-20", &rel); st != 200 || rel.Events != 1 || rel.AsOf == nil {
		t.Errorf("relations as of 2024-02-20: got status %d, %d events, as_of %v; want 1 event (the Arabic report)", st, rel.Events, rel.AsOf)
	}
	var e struct{ Error struct{ Code string } }
	if st := getJSON(t, ts.URL+"/api/v1/relations?a=gpe/dz", &e); st != 400 {
		t.Errorf("relations with one entity: got status %d, want 400", st)
	}

	var tl mizanhttp.Timeline
	getJSON(t, ts.URL+"/api/v1/timeline?bucket=year", &tl)
	if tl.Total != 8 || tl.Undated != 1 || len(tl.Buckets) != 3 {
		t.Errorf("got %d events, %d undated, buckets %+v; want 8, 1 and 2023, 2024, 2025", tl.Total, tl.Undated, tl.Buckets)
	}
	getJSON(t, ts.URL+"/api/v1/timeline?bucket=year&entity=Russia", &tl)
	if tl.Total != 3 {
		t.Errorf("timeline of Russia: got %d events, want 3", tl.Total)
	}
}

// edgeOf returns the edge between two entities, nil when there is none.
func edgeOf(g mizanhttp.Graph, a, b string) *mizanhttp.Edge {
	for i, e := range g.Edges {
		if (e.Source == a && e.Target == b) || (e.Source == b && e.Target == a) {
			return &g.Edges[i]
		}
	}
	return nil
}

func TestOverviewAndMeta(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	var ov struct {
		Stats     mizan.Stats
		Latest    []struct{ ID string }
		Actors    []struct{ ID string }
		Relations []mizanhttp.Edge
	}
	getJSON(t, ts.URL+"/api/v1/overview", &ov)
	if ov.Stats.Documents != 4 || len(ov.Latest) != 4 || len(ov.Actors) == 0 || len(ov.Relations) == 0 {
		t.Errorf("got %+v, want 4 documents, actors and relations", ov)
	}
	if ov.Actors[0].ID != "gpe/dz" {
		t.Errorf("got most central %s, want gpe/dz", ov.Actors[0].ID)
	}
	var m struct {
		ReadOnly bool `json:"read_only"`
		Ingest   bool
		Events   bool
		Graph    bool
	}
	getJSON(t, ts.URL+"/api/v1/meta", &m)
	if !m.ReadOnly || m.Ingest || !m.Events || !m.Graph {
		t.Errorf("got %+v, want read-only, no ingest, events and graph", m)
	}
}

// multipartBody builds an upload of files (name → content).
func multipartBody(tb testing.TB, files map[string]string) (*bytes.Buffer, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, content := range files {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = io.WriteString(fw, content)
	}
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestIngest(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: false, Token: "s3cret", MaxBodyBytes: 64 << 10})
	article := "A new report on the Sahel\n\nMali and Niger held talks on border security in Niamey on Tuesday, officials said.\n"
	body := func() (io.Reader, string) { return multipartBody(t, map[string]string{"report.txt": article}) }
	tests := []struct {
		name       string
		header     map[string]string
		body       func() (io.Reader, string)
		wantStatus int
		wantCode   string
	}{
		{"no token", nil, body, 401, mizan.EFORBIDDEN},
		{"wrong token", map[string]string{"Authorization": "Bearer nope"}, body, 403, mizan.EFORBIDDEN},
		{"cross-site", map[string]string{"Authorization": "Bearer s3cret", "Sec-Fetch-Site": "cross-site"}, body, 403, mizan.EFORBIDDEN},
		{"other origin", map[string]string{"Authorization": "Bearer s3cret", "Origin": "https://evil.example"}, body, 403, mizan.EFORBIDDEN},
		{"upload", map[string]string{"Authorization": "Bearer s3cret", "Sec-Fetch-Site": "same-origin"}, body, 201, ""},
		{"again", map[string]string{"Authorization": "Bearer s3cret"}, body, 200, ""},
		{"empty file", map[string]string{"Authorization": "Bearer s3cret"}, func() (io.Reader, string) {
			return multipartBody(t, map[string]string{"empty.txt": "   "})
		}, 400, mizan.EINVALID},
		{"no file field", map[string]string{"Authorization": "Bearer s3cret"}, func() (io.Reader, string) {
			return multipartBody(t, map[string]string{})
		}, 400, mizan.EINVALID},
		{"too large", map[string]string{"Authorization": "Bearer s3cret"}, func() (io.Reader, string) {
			return multipartBody(t, map[string]string{"big.txt": strings.Repeat("word ", 20000)})
		}, 413, mizan.ETOOLARGE},
		{"local path as url", map[string]string{"Authorization": "Bearer s3cret"}, func() (io.Reader, string) {
			return strings.NewReader(`{"url": "/etc/passwd"}`), "application/json"
		}, 400, mizan.EINVALID},
		{"file url", map[string]string{"Authorization": "Bearer s3cret"}, func() (io.Reader, string) {
			return strings.NewReader(`{"url": "file:///etc/passwd"}`), "application/json"
		}, 400, mizan.EINVALID},
		{"bad json", map[string]string{"Authorization": "Bearer s3cret"}, func() (io.Reader, string) {
			return strings.NewReader(`{"link": 1}`), "application/json"
		}, 400, mizan.EINVALID},
		{"form post", map[string]string{"Authorization": "Bearer s3cret"}, func() (io.Reader, string) {
			return strings.NewReader(`url=http://x`), "application/x-www-form-urlencoded"
		}, 400, mizan.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, ct := tt.body()
			req, _ := http.NewRequest("POST", ts.URL+"/api/v1/documents", b)
			req.Header.Set("Content-Type", ct)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("got status %d (%s), want %d", res.StatusCode, raw, tt.wantStatus)
			}
			if tt.wantCode != "" {
				var e apiError
				_ = json.Unmarshal(raw, &e)
				if e.Error.Code != tt.wantCode {
					t.Errorf("got code %q, want %q", e.Error.Code, tt.wantCode)
				}
			}
		})
	}
	var got struct{ Total int }
	getJSON(t, ts.URL+"/api/v1/documents?limit=1", &got)
	if got.Total != len(env.fx.Docs)+1 {
		t.Errorf("got %d documents after the upload, want %d", got.Total, len(env.fx.Docs)+1)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true, Token: "s3cret"})
	b, ct := multipartBody(t, map[string]string{"a.txt": "Title\n\nSome text about Algeria and Russia."})
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/documents", b)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer s3cret")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Errorf("got status %d, want 403 from a read-only server", res.StatusCode)
	}
}

func TestNewNeedsTokenToWrite(t *testing.T) {
	env := newEnv(t)
	if _, err := mizanhttp.New(env.Store, mizanhttp.Options{ReadOnly: false}); mizan.ErrorCode(err) != mizan.EINVALID {
		t.Errorf("got %v, want EINVALID for a writable server without a token", err)
	}
}

func TestSecurityHeaders(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	for _, path := range []string{"/", "/api/v1/meta", "/api/v1/nothing"} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		for k, want := range map[string]string{
			"Content-Security-Policy": mizanhttp.ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"X-Frame-Options":         "DENY",
		} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("%s: got %s %q, want %q", path, k, got, want)
			}
		}
	}
	csp := mizanhttp.ContentSecurityPolicy
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "script-src 'self';", "style-src 'self';"} {
		if !strings.Contains(csp, want) {
			t.Errorf("got CSP %q, want it to contain %q", csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("got CSP %q, want no %q", csp, bad)
		}
	}
}

func TestHostCheck(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true, Addr: "127.0.0.1:8080"})
	for _, tt := range []struct {
		host string
		want int
	}{
		{"localhost:8080", 200},
		{"127.0.0.1:8080", 200},
		{"[::1]:8080", 200},
		{"evil.example:8080", 403},
		{"attacker.com", 403},
	} {
		req, _ := http.NewRequest("GET", ts.URL+"/api/v1/meta", nil)
		req.Host = tt.host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("Host %s: got %d, want %d", tt.host, res.StatusCode, tt.want)
		}
	}
}

func TestStatusTable(t *testing.T) {
	for code, want := range map[string]int{
		mizan.EINVALID: 400, mizan.ENOTFOUND: 404, mizan.ECONFLICT: 409, mizan.ETOOLARGE: 413,
		mizan.EFORBIDDEN: 403, mizan.EUNSUPPORTED: 501, mizan.EUNAVAILABLE: 502, mizan.EINTERNAL: 500, "weird": 500,
	} {
		if got := mizanhttp.Status(code); got != want {
			t.Errorf("Status(%q): got %d, want %d", code, got, want)
		}
	}
}
