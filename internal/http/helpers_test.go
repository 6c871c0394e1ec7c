package http_test

import (
	"cmp"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	mizanhttp "github.com/mizan-osint/mizan/internal/http"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/nlp/extract"
	"github.com/mizan-osint/mizan/internal/nlp/lang"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
	"github.com/mizan-osint/mizan/internal/pipeline"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/sqlite"
)

// fixture is testdata/seed.json: the entities, mentions and events of the documents in
// testdata/seed, written by hand so the API tests know exactly what to expect.
type fixture struct {
	Entities []struct {
		ID    string           `json:"id"`
		Name  string           `json:"name"`
		Type  mizan.EntityType `json:"type"`
		Names []string         `json:"names"`
	} `json:"entities"`
	Docs []struct {
		File      string    `json:"file"`
		Title     string    `json:"title"`
		Outlet    string    `json:"outlet"`
		Published string    `json:"published"`
		Events    []fxEvent `json:"events"`
	} `json:"docs"`
}

type fxEvent struct {
	Sentence        string   `json:"sentence"`
	Type            string   `json:"type"`
	SubType         string   `json:"subtype"`
	Source          []string `json:"source"`
	Target          []string `json:"target"`
	Place           string   `json:"place"`
	Mode            string   `json:"mode"`
	Hedged          bool     `json:"hedged"`
	HedgeCues       []string `json:"hedge_cues"`
	Attribution     string   `json:"attribution"`
	AttributionText string   `json:"attribution_text"`
	Date            string   `json:"date"`
	Precision       string   `json:"precision"`
	Confidence      float64  `json:"confidence"`
}

func loadFixture(tb testing.TB) *fixture {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "seed.json"))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	var fx fixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		tb.Fatalf("parse fixture: %v", err)
	}
	return &fx
}

// testEnv is a store seeded with testdata/seed through the real ingest path.
type testEnv struct {
	Store    mizan.Store
	Pipeline nlp.Pipeline
	// IDs maps fixture file names to document ids.
	IDs map[string]string
	fx  *fixture
}

var (
	detectorOnce sync.Once
	detector     *lang.Detector
)

// newEnv opens a SQLite store in a temporary directory and ingests the fixture documents, and
// any extra paths (a corpus), through the real stages plus the fixture's analysis.
func newEnv(tb testing.TB, extra ...string) *testEnv {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "mizan.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	env := &testEnv{Store: db, IDs: map[string]string{}, fx: loadFixture(tb)}
	detectorOnce.Do(func() { detector = lang.New(lang.DefaultOptions()) })
	env.Pipeline = nlp.Pipeline{
		extract.Stage{Options: extract.DefaultOptions()},
		dedup.Stage{},
		lang.Stage{D: detector},
		sentence.Stage{},
		nlp.StageFunc{StageName: "fixture", Fn: env.analyse},
	}
	in := &ingest.Ingester{Store: env.Store, Pipeline: env.Pipeline, Workers: 1,
		OnOutcome: func(o ingest.Outcome) {
			if o.ID != "" {
				env.IDs[filepath.Base(o.Source)] = o.ID
			}
		}}
	args := append([]string{filepath.Join("testdata", "seed")}, extra...)
	sum, err := in.Run(ctx, source.New(source.DefaultOptions()), args)
	if err != nil {
		tb.Fatalf("ingest: %v", err)
	}
	if sum.Failed > 0 {
		tb.Fatalf("ingest: %d failed: %+v", sum.Failed, sum.Failures)
	}
	return env
}

// newRealEnv opens a SQLite store in a temporary directory and ingests paths through the real
// pipeline and resolution hook, wired as cmd/mizan wires them (internal/pipeline).
func newRealEnv(tb testing.TB, paths ...string) *testEnv {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "mizan.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	env := &testEnv{Store: db, IDs: map[string]string{}}
	in := pipeline.Ingester(db, "", nil)
	in.OnOutcome = func(o ingest.Outcome) {
		if o.ID != "" {
			env.IDs[filepath.Base(o.Source)] = o.ID
		}
	}
	env.Pipeline = in.Pipeline
	sum, err := in.Run(ctx, source.New(source.DefaultOptions()), paths)
	if err != nil {
		tb.Fatalf("ingest: %v", err)
	}
	if sum.Failed > 0 {
		tb.Fatalf("ingest: %d failed: %+v", sum.Failed, sum.Failures)
	}
	return env
}

// analyse is the fixture's stand-in for the entity and event stages: it marks every occurrence
// of a fixture entity's names and adds the fixture's events, for the documents it describes.
func (env *testEnv) analyse(ctx context.Context, d *nlp.Doc) error {
	base := strings.TrimPrefix(filepath.Base(d.Source), "upload:")
	for _, fd := range env.fx.Docs {
		if fd.File != base {
			continue
		}
		if fd.Title != "" {
			d.Title = fd.Title
		}
		if fd.Outlet != "" {
			d.Outlet = fd.Outlet
		}
		if fd.Published != "" {
			t, _ := time.Parse("2006-01-02", fd.Published)
			d.Published, d.PublishedPrecision = &t, mizan.PrecisionDay
		}
		ix := d.Index()
		names := map[string]string{}
		for _, e := range env.fx.Entities {
			ent := mizan.Entity{ID: e.ID, Name: e.Name, Type: e.Type, Source: "discovered"}
			used := false
			for _, n := range e.Names {
				names[e.ID] = e.Name
				for off := 0; ; {
					i := strings.Index(d.Text[off:], n)
					if i < 0 {
						break
					}
					sp := ix.Span(off+i, off+i+len(n))
					off += i + len(n)
					if slices.ContainsFunc(d.Mentions, func(m mizan.Mention) bool { return m.Span.Overlaps(sp) }) {
						continue
					}
					d.Mentions = append(d.Mentions, mizan.Mention{Doc: d.ID, Span: sp, Text: n, Type: e.Type, EntityID: e.ID,
						Method: mizan.MethodKB, Confidence: 1, Canonical: e.Name, Rule: "fixture"})
					used = true
				}
				ent.Names = append(ent.Names, mizan.Name{Text: n})
			}
			if used {
				d.Entities = append(d.Entities, ent)
			}
		}
		slices.SortFunc(d.Mentions, func(a, b mizan.Mention) int { return a.Span.Start - b.Span.Start })
		actors := func(ids []string) []mizan.Actor {
			var as []mizan.Actor
			for _, id := range ids {
				as = append(as, mizan.Actor{Entity: id, Name: names[id]})
			}
			return as
		}
		for i, fe := range fd.Events {
			b := strings.Index(d.Text, fe.Sentence)
			if b < 0 {
				continue
			}
			sent, ok := d.SentenceAt(ix.Char(b))
			if !ok {
				continue
			}
			ev := mizan.Event{ID: d.ID + "-" + string(rune('a'+i)), Doc: d.ID, Sentence: sent, Text: d.Slice(sent),
				Type: mizan.EventType(fe.Type), SubType: fe.SubType, Mode: mizan.Mode(fe.Mode),
				Source: actors(fe.Source), Target: actors(fe.Target), Hedged: fe.Hedged, HedgeCues: fe.HedgeCues,
				Attribution: mizan.Attribution{Kind: mizan.AttributionKind(fe.Attribution), Text: fe.AttributionText},
				Confidence:  fe.Confidence, Time: mizan.TimeExpr{Precision: mizan.PrecisionUnknown}}
			if fe.Place != "" {
				ev.Place = &mizan.Actor{Entity: fe.Place, Name: names[fe.Place]}
			}
			if fe.Date != "" {
				t, _ := time.Parse("2006-01-02", fe.Date)
				ev.Time = mizan.TimeExpr{Text: fe.Date, Start: &t, Precision: cmp.Or(mizan.Precision(fe.Precision), mizan.PrecisionDay)}
			}
			d.Events = append(d.Events, ev)
		}
	}
	return nil
}

// server starts the API over env's store with o (Pipeline filled in) and returns its URL.
func (env *testEnv) server(tb testing.TB, o mizanhttp.Options) (*mizanhttp.Server, *httptest.Server) {
	tb.Helper()
	if o.Pipeline == nil {
		o.Pipeline = env.Pipeline
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Logger == nil {
		o.Logger = quietLogger()
	}
	srv, err := mizanhttp.New(env.Store, o)
	if err != nil {
		tb.Fatalf("new server: %v", err)
	}
	ts := httptest.NewServer(srv)
	tb.Cleanup(ts.Close)
	return srv, ts
}

// getJSON fetches url and decodes a JSON body into v, returning the status.
func getJSON(tb testing.TB, url string, v any) int {
	tb.Helper()
	res, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		tb.Fatalf("GET %s: got Content-Type %q, want application/json", url, ct)
	}
	if v != nil {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			tb.Fatalf("GET %s: decode: %v", url, err)
		}
	}
	return res.StatusCode
}

// apiError is the JSON of an error response.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// quietLogger drops the server's log: the tests check responses, not log lines.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
