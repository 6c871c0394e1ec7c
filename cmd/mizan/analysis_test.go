package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph/formats/dot"
)

// corpusStore ingests ../shared/corpus into a new database (or skips when it is absent).
func corpusStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "corpus.db")
	mustRun(t, db, "ingest", "-q", sharedCorpus(t))
	return db
}

type claimJSON struct {
	ID          string   `json:"id"`
	Type        string   `json:"type"`
	Source      []string `json:"source"`
	Target      []string `json:"target"`
	Independent int      `json:"independent"`
	Credibility int      `json:"credibility"`
	Grade       string   `json:"grade"`
	Reasons     []string `json:"reasons"`
	Reports     []struct {
		Doc, Lang, Sentence string
		Origin              int
	} `json:"reports"`
	Origins []struct {
		Reports []string
		Why     []string
	} `json:"origins"`
}

// TestAcceptance is the acceptance on the sample corpus: Algeria's strongest ties are to
// Russia and Iran, with evidence; the end-2024 advisers claim has two reports in two languages
// flagged as one origin, and its credibility says so; Algeria–Spain shows the downgrade and the
// threat.
func TestAcceptance(t *testing.T) {
	db := corpusStore(t)

	var profile struct {
		Relations []struct {
			ID     string  `json:"id"`
			Weight float64 `json:"weight"`
		} `json:"relations"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "entity", "Algeria", "--json")), &profile); err != nil {
		t.Fatal(err)
	}
	if len(profile.Relations) < 3 {
		t.Fatalf("got %d relations of Algeria, want at least 3", len(profile.Relations))
	}
	top := map[string]bool{profile.Relations[0].ID: true, profile.Relations[1].ID: true}
	if !top["gpe/ru"] || !top["gpe/ir"] {
		t.Errorf("got Algeria's strongest ties %v, want Russia and Iran", profile.Relations[:2])
	}
	for _, other := range []string{"Russia", "Iran"} {
		var rel relationView
		if err := json.Unmarshal([]byte(mustRun(t, db, "relations", "Algeria", other, "--json")), &rel); err != nil {
			t.Fatal(err)
		}
		if len(rel.Evidence) < 5 || rel.Evidence[0].Sentence == "" || rel.Evidence[0].Doc == "" {
			t.Errorf("Algeria–%s: got %d pieces of evidence, want at least 5 with sentences and documents", other, len(rel.Evidence))
		}
		// Some of these events are dated by their text and some are not; the dated range
		// covers only the former, at their precision.
		if rel.Dated == 0 || rel.Dated >= rel.Events || rel.DatedFirst == nil || rel.DatedFirst.Precision == "" ||
			rel.DatedLast.Start.Before(*rel.DatedFirst.Start) {
			t.Errorf("Algeria–%s: got %d of %d events dated, %+v to %+v; want some dated, some not", other, rel.Dated, rel.Events, rel.DatedFirst, rel.DatedLast)
		}
	}

	// The advisers claim: Iran–Algeria, CONSULT, end of 2024.
	var claims []claimJSON
	if err := json.Unmarshal([]byte(mustRun(t, db, "claims", "--entity", "Iran", "--type", "consult", "--json")), &claims); err != nil {
		t.Fatal(err)
	}
	var advisers *claimJSON
	for i, c := range claims {
		if len(c.Reports) == 2 && strings.Join(c.Source, ",") == "gpe/dz,gpe/ir" {
			advisers = &claims[i]
		}
	}
	if advisers == nil {
		t.Fatalf("got no CONSULT Algeria–Iran claim with two reports among %d claims", len(claims))
	}
	langs := map[string]bool{}
	for _, r := range advisers.Reports {
		langs[r.Lang] = true
	}
	if !langs["en"] || !langs["ar"] {
		t.Errorf("got report languages %v, want en and ar", langs)
	}
	if advisers.Independent != 1 || len(advisers.Origins) != 1 || len(advisers.Origins[0].Why) == 0 {
		t.Errorf("got %d independent origins (%+v), want the two reports flagged as one origin, with why", advisers.Independent, advisers.Origins)
	}
	reasons := strings.Join(advisers.Reasons, "; ")
	if advisers.Credibility < 3 || !strings.Contains(reasons, "share one origin") || !strings.Contains(reasons, "not corroborated") {
		t.Errorf("got credibility %d, reasons %q; want 3 or worse, saying the reports share one origin and it is not corroborated",
			advisers.Credibility, reasons)
	}

	// Algeria–Spain: the downgrade (SANCTION) and the threat (THREATEN).
	out := mustRun(t, db, "relations", "Algeria", "Spain")
	for _, want := range []string{"SANCTION", "THREATEN", "downgraded", "threatening", "credibility",
		"no event is dated by its text", "without a publication date"} {
		if !strings.Contains(out, want) {
			t.Errorf("mizan relations Algeria Spain: got no %q in\n%s", want, out)
		}
	}
}

func TestAnalysisCommands(t *testing.T) {
	db := corpusStore(t)
	// Graph formats parse.
	if _, err := dot.ParseString(mustRun(t, db, "graph", "--format", "dot")); err != nil {
		t.Errorf("mizan graph --format dot: %v", err)
	}
	var g struct {
		Nodes []json.RawMessage `json:"nodes"`
		Edges []struct {
			Source, Target string
			Weight         float64
		} `json:"edges"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "graph", "--min-weight", "2")), &g); err != nil {
		t.Fatal(err)
	}
	for _, e := range g.Edges {
		if e.Weight < 2 {
			t.Errorf("--min-weight 2: got an edge of weight %g", e.Weight)
		}
	}
	out := filepath.Join(t.TempDir(), "g.gexf")
	mustRun(t, db, "graph", "--format", "gexf", "-o", out)
	if data, err := os.ReadFile(out); err != nil || !bytes.Contains(data, []byte(`version="1.2"`)) {
		t.Errorf("graph -o: got %v, want a GEXF file", err)
	}
	// Analytics.
	var cs []struct{ ID string }
	if err := json.Unmarshal([]byte(mustRun(t, db, "graph", "centrality", "--json")), &cs); err != nil || len(cs) == 0 || cs[0].ID != "gpe/dz" {
		t.Errorf("graph centrality: got %v (%v), want Algeria first", cs, err)
	}
	var hops []hopView
	if err := json.Unmarshal([]byte(mustRun(t, db, "graph", "path", "Nikolai Patrushev", "Iran", "--json")), &hops); err != nil {
		t.Fatal(err)
	}
	if len(hops) != 2 || hops[0].To.ID != "gpe/dz" || len(hops[0].Evidence) == 0 {
		t.Errorf("graph path Patrushev Iran: got %+v, want Patrushev–Algeria–Iran with evidence", hops)
	}
	if s := mustRun(t, db, "graph", "ego", "إيران"); !strings.Contains(s, "Algeria") {
		t.Errorf("graph ego إيران: got %q, want Algeria in Iran's network", s)
	}
	if s := mustRun(t, db, "graph", "communities"); !strings.Contains(s, "modularity") {
		t.Errorf("graph communities: got %q", s)
	}
	// As of a date before any document: nothing known.
	var empty struct{ Edges []json.RawMessage }
	json.Unmarshal([]byte(mustRun(t, db, "graph", "--as-of", "2000")), &empty)
	if len(empty.Edges) != 0 {
		t.Errorf("graph --as-of 2000: got %d edges, want none", len(empty.Edges))
	}
	// The diff from before the corpus to now shows every relation as new.
	var d diffView
	if err := json.Unmarshal([]byte(mustRun(t, db, "diff", "--from", "2000", "--to", "2100", "--json")), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Graph.New) == 0 || len(d.NewClaims) == 0 || len(d.Graph.Lost) != 0 {
		t.Errorf("diff 2000..2100: got %d new relations, %d new claims, %d lost; want new ones and none lost", len(d.Graph.New), len(d.NewClaims), len(d.Graph.Lost))
	}
	// Exports.
	var bundle struct {
		Type    string
		Objects []struct{ Type string }
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "export", "--format", "stix")), &bundle); err != nil || bundle.Type != "bundle" || len(bundle.Objects) < 10 {
		t.Errorf("export stix: got %s with %d objects (%v)", bundle.Type, len(bundle.Objects), err)
	}
	recs, err := csv.NewReader(strings.NewReader(mustRun(t, db, "export", "--format", "csv", "--table", "claims"))).ReadAll()
	if err != nil || len(recs) < 2 || recs[0][0] != "claim" {
		t.Errorf("export csv --table claims: got %d records (%v)", len(recs), err)
	}
	for _, l := range strings.Split(strings.TrimSpace(mustRun(t, db, "export", "--format", "ftm")), "\n") {
		if !json.Valid([]byte(l)) {
			t.Fatalf("export ftm: got a line that is not JSON: %s", l)
		}
	}
	// Reliability: a table next to the database grades the outlet it names.
	table := filepath.Join(filepath.Dir(db), reliabilityFile)
	mustRun(t, db, "reliability", "--init")
	data, err := os.ReadFile(table)
	if err != nil || !bytes.Contains(data, []byte("Al Mayadeen English")) {
		t.Fatalf("reliability --init: got %v, want the corpus's outlets in %s", err, table)
	}
	defer os.Remove(table)
	os.WriteFile(table, bytes.Replace(data, []byte("grade: F"), []byte("grade: C"), 1), 0o644)
	if s := mustRun(t, db, "reliability"); !strings.Contains(s, "C") {
		t.Errorf("reliability after editing: got %q, want grade C", s)
	}
	if s := mustRun(t, db, "relations", "Algeria", "Russia"); !strings.Contains(s, "[C") {
		t.Errorf("relations after grading the outlet C: got no C grade in\n%s", s)
	}
	// Usage errors.
	for _, args := range [][]string{
		{"graph", "--format", "svg"}, {"export", "--format", "xml"}, {"diff", "--from", "2024"},
		{"relations", "Algeria"}, {"export", "--format", "stix", "--table", "claims"}, {"graph", "--as-of", "yesterday"},
	} {
		if _, _, code := run(t, db, args...); code != 2 {
			t.Errorf("mizan %s: got exit %d, want 2", strings.Join(args, " "), code)
		}
	}
	if _, errs, code := run(t, db, "graph", "path", "Algeria", "Narnia"); code != 1 || !strings.Contains(errs, "Narnia") {
		t.Errorf("graph path to an unknown entity: got exit %d, %q", code, errs)
	}
	if _, errs, code := run(t, db, "claims", "--reliability", filepath.Join(t.TempDir(), "none.yaml")); code != 1 || !strings.Contains(errs, "no reliability file") {
		t.Errorf("claims with a missing reliability file: got exit %d, %q", code, errs)
	}
}
