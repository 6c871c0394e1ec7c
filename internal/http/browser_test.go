package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	mizanhttp "github.com/mizan-osint/mizan/internal/http"
	"github.com/mizan-osint/mizan/internal/ui"
)

// The browser tests run the real UI in real headless Chromium. TestBrowserPages serves a store
// filled by the real pipeline (internal/pipeline, as `mizan ingest` runs it) from the sample
// corpus (../shared/corpus, else examples/corpus) and the documents of testdata/seed, so the
// graph, its grades and its evidence are what the stages found; TestBrowserNoXSS serves the
// fixture analysis of testdata/seed, whose payloads sit in exactly the fields it attacks.
// They fail on any console error, uncaught exception, failed request or CSP violation, and save a
// screenshot of every page in $MIZAN_TEST_ARTIFACTS (default: a new temporary directory).

// browser is one headless Chromium tab with everything it reported.
type browser struct {
	ctx  context.Context
	base string
	dir  string // screenshots

	mu       sync.Mutex
	problems []string
}

// guard runs in every page before its own script: it turns CSP violations into console errors
// (so the listener sees them) and records any dialog an injected payload might open.
const guard = `
document.addEventListener("securitypolicyviolation", (e) => console.error("CSP violation:", e.violatedDirective, e.blockedURI));
for (const f of ["alert", "confirm", "prompt"]) window[f] = () => { window.__xss = "dialog:" + f; };
`

func chromiumPath(tb testing.TB) string {
	tb.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	tb.Skip("browser tests skipped: no chromium on PATH (install Debian's chromium: apt-get install -y chromium; .ci/run does)")
	return ""
}

func artifactsDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("MIZAN_TEST_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "mizan-ui-artifacts-*"); err != nil {
			tb.Fatal(err)
		}
	}
	dir = filepath.Join(dir, "ui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("screenshots in %s", dir)
	return dir
}

// corpusDir is the sample corpus the pages are loaded against.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	for _, d := range []string{"../../../shared/corpus", "../../examples/corpus"} {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	tb.Fatal("no corpus: neither ../shared/corpus nor examples/corpus")
	return ""
}

func newBrowser(tb testing.TB, base string) *browser {
	tb.Helper()
	if !ui.Built {
		tb.Skip("browser tests skipped: the UI is not embedded (run `make ui` and test with -tags ui, as `make test` does)")
	}
	exe := chromiumPath(tb)
	b := &browser{base: base, dir: artifactsDir(tb)}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		// Without these Chromium phones home, and on a closed network its refused connections
		// pile up and slow everything down.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	tb.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, b.setup()); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	b.ctx = ctx
	return b
}

// ignore drops an action's value.
func ignore[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// setup installs the guard in every page (chromedp enables the Runtime and Log domains, whose
// events listen reads).
func (b *browser) setup() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: guard})
		return chromedp.Void{}, err
	}
}

func (b *browser) listen(ev any) {
	var p string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			p = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
		}
	case *runtime.EventExceptionThrown:
		p = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			p += " " + ev.ExceptionDetails.Exception.Description
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError {
			p = "log: " + ev.Entry.Text + " " + ev.Entry.URL
		}
	case *page.EventJavascriptDialogOpening:
		p = "dialog opened: " + ev.Message
	}
	if p != "" {
		b.mu.Lock()
		b.problems = append(b.problems, p)
		b.mu.Unlock()
	}
}

// check fails the test on anything the browser reported since the last check.
func (b *browser) check(tb testing.TB, where string) {
	tb.Helper()
	b.mu.Lock()
	ps := b.problems
	b.problems = nil
	b.mu.Unlock()
	for _, p := range ps {
		tb.Errorf("%s: %s", where, p)
	}
}

// open navigates to a route (#/...) and waits until the view has rendered.
func (b *browser) open(tb testing.TB, route string) {
	tb.Helper()
	b.run(tb, "open "+route, chromedp.Navigate(b.base+"/"+route))
	b.waitReady(tb, route)
}

// waitReady waits for the router to finish rendering (the view's data-state).
func (b *browser) waitReady(tb testing.TB, where string) {
	tb.Helper()
	b.run(tb, where, chromedp.WaitVisible(chromedp.CSS(`main#view[data-state="ready"]`)))
	if errs := b.eval(tb, `document.querySelector("main#view .error-view") ? document.querySelector("main#view").innerText : ""`); errs != "" {
		tb.Errorf("%s: the page shows an error: %v", where, errs)
	}
}

func (b *browser) run(tb testing.TB, what string, a chromedp.Action[chromedp.Void]) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, a); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

func (b *browser) eval(tb testing.TB, js string) any {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
	if err != nil {
		tb.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *browser) screenshot(tb testing.TB, name string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG (below that Chromium encodes JPEG)
	if err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// uiServer serves the real UI over env's store, writable with a token.
func uiServer(tb testing.TB, env *testEnv) *httptest.Server {
	tb.Helper()
	_, ts := env.server(tb, mizanhttp.Options{ReadOnly: false, Token: "browser-token", UI: ui.FS()})
	return ts
}

// TestBrowserPages loads every page, follows the evidence links, checks the Arabic reader is
// right-to-left, and saves a screenshot of each.
func TestBrowserPages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	env := newRealEnv(t, corpusDir(t), filepath.Join("testdata", "seed"))
	ts := uiServer(t, env)
	waitGraded(t, ts.URL)
	b := newBrowser(t, ts.URL)

	ar, en := env.IDs["ar-talks.txt"], env.IDs["en-talks.txt"]
	// The entities are whatever the pipeline found: the most central actor and a person.
	var ov struct{ Actors []struct{ ID string } }
	getJSON(t, ts.URL+"/api/v1/overview", &ov)
	var people struct{ Items []struct{ ID string } }
	getJSON(t, ts.URL+"/api/v1/entities?type=PERSON&limit=1", &people)
	if len(ov.Actors) == 0 || len(people.Items) == 0 {
		t.Fatalf("got actors %v and people %v from the real pipeline, want some", ov.Actors, people.Items)
	}
	pages := []struct{ name, route string }{
		{"overview", "#/"},
		{"documents", "#/documents"},
		{"documents-ar", "#/documents?lang=ar"},
		{"reader-en", "#/doc/" + en},
		{"reader-ar", "#/doc/" + ar},
		{"entities", "#/entities"},
		{"entity", "#/entity/" + ov.Actors[0].ID},
		{"entity-person", "#/entity/" + people.Items[0].ID},
		{"events", "#/events"},
		{"events-filtered", "#/events?type=AID&since=2024-01-01"},
		{"graph", "#/graph"},
		{"graph-graded", "#/graph?max_credibility=4&min_reliability=F&rank=betweenness"},
		{"graph-as-of", "#/graph?as_of=2024-01-01"},
		{"timeline", "#/timeline"},
		{"search", "#/search?q=Algeria"},
		{"search-ar", "#/search?q=" + "%D8%A7%D9%84%D8%AC%D8%B2%D8%A7%D8%A6%D8%B1"},
		{"ingest", "#/ingest"},
		{"not-found", "#/nowhere"},
	}
	for _, p := range pages {
		b.open(t, p.route)
		if p.name == "graph" || p.name == "graph-graded" {
			b.run(t, "graph drawn", ignore(chromedp.Poll[any](`window.__mizanGraph && window.__mizanGraph.nodes().length > 0`)))
		}
		b.screenshot(t, p.name)
		b.check(t, p.name)
	}
	// Every document of the corpus opens in the reader.
	var docs struct {
		Items []struct{ ID, Lang string }
	}
	getJSON(t, ts.URL+"/api/v1/documents?limit=500", &docs)
	for i, d := range docs.Items {
		b.open(t, "#/doc/"+d.ID)
		if n := b.eval(t, `document.querySelectorAll(".doc-text p").length`); n == float64(0) {
			t.Errorf("reader %s: got no paragraphs", d.ID)
		}
		b.screenshot(t, fmt.Sprintf("corpus-%02d-%s-%s", i, d.Lang, d.ID))
		b.check(t, "reader "+d.ID)
	}

	t.Run("arabic reader is right-to-left", func(t *testing.T) {
		b.open(t, "#/doc/"+ar)
		got := b.eval(t, `[...document.querySelectorAll(".doc-text p")].map(p => getComputedStyle(p).direction + ":" + p.getAttribute("dir")).join(",")`)
		for _, d := range strings.Split(got.(string), ",") {
			if d != "rtl:rtl" {
				t.Errorf("got paragraph direction %s, want rtl:rtl (all: %s)", d, got)
			}
		}
		if got := b.eval(t, `getComputedStyle(document.querySelector("main h1")).direction`); got != "rtl" {
			t.Errorf("got title direction %v, want rtl (dir=auto on an Arabic title)", got)
		}
		if got := b.eval(t, `getComputedStyle(document.querySelector(".doc-text p")).fontFamily`); !strings.Contains(got.(string), "Arabic") {
			t.Errorf("got font family %v, want the Arabic stack", got)
		}
		b.check(t, "arabic reader")
	})

	t.Run("graph edge to evidence sentence", func(t *testing.T) {
		b.open(t, "#/graph")
		b.run(t, "graph drawn", ignore(chromedp.Poll[any](`window.__mizanGraph && window.__mizanGraph.edges().length > 0`)))
		// Click the middle of a relation with the mouse, as a user would: the heaviest ones whose
		// middle no node covers and no other relation passes near first. The layout is not the
		// same on every run, and in a crowded one a midpoint may still sit under a node's label,
		// so up to five relations are tried: the test fails only if none of their clicks opens
		// the relation's panel.
		cands := b.eval(t, `(() => { const cy = window.__mizanGraph; const r = cy.container().getBoundingClientRect();
			const near = (p, a, b) => { const dx = b.x - a.x, dy = b.y - a.y, l = dx * dx + dy * dy || 1;
				const k = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l)); return Math.hypot(p.x - a.x - k * dx, p.y - a.y - k * dy) < 10; };
			const free = (e, p) => !cy.nodes().some((n) => { const bb = n.renderedBoundingBox(); return p.x >= bb.x1 - 6 && p.x <= bb.x2 + 6 && p.y >= bb.y1 - 6 && p.y <= bb.y2 + 6; }) &&
				!cy.edges().some((o) => o.id() !== e.id() && near(p, o.source().renderedPosition(), o.target().renderedPosition()));
			const es = cy.edges().toArray(), ok = es.filter((e) => free(e, e.renderedMidpoint()));
			return [...ok, ...es.filter((e) => !ok.includes(e))].slice(0, 5).map((e) => { const p = e.renderedMidpoint();
				return [r.left + p.x, r.top + p.y, e.id(), e.source().data("label"), e.target().data("label")]; }); })()`).([]any)
		var xy []any
		for _, c := range cands {
			c := c.([]any)
			b.run(t, "click edge", chromedp.MouseClickXY(c[0].(float64), c[1].(float64)))
			ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
			_, err := chromedp.Run(ctx, chromedp.WaitVisible(chromedp.CSS(`.graph-panel .evidence-link`)))
			cancel()
			head := b.eval(t, `(document.querySelector(".graph-panel h2") || {}).textContent || ""`).(string)
			if err == nil && strings.Contains(head, c[3].(string)) && strings.Contains(head, c[4].(string)) {
				xy = c
				break
			}
			t.Logf("clicking the middle of %v did not open it (panel %q); trying another", c[2], head)
		}
		if xy == nil {
			b.screenshot(t, "graph-edge-missed")
			t.Fatalf("clicking the middle of %d relations opened none of them", len(cands))
		}
		b.screenshot(t, "graph-edge-selected")
		if got := b.eval(t, `document.querySelectorAll(".graph-panel .type-counts .badge, .graph-panel .grade").length > 0`); got != true {
			t.Errorf("got no PLOVER types or grade in the edge panel")
		}
		want := b.eval(t, `document.querySelector(".graph-panel .evidence-link").textContent`).(string)
		b.run(t, "click evidence", chromedp.Click(chromedp.CSS(`.graph-panel .evidence-link`)))
		b.waitReady(t, "reader from edge")
		b.run(t, "target sentence", chromedp.WaitVisible(chromedp.CSS(`.doc-text .sent.target`)))
		if got := b.eval(t, `document.querySelector(".doc-text .sent.target").textContent`).(string); got != want {
			t.Errorf("got target sentence %q, want the edge's evidence %q", got, want)
		}
		if got := b.eval(t, `document.activeElement && document.activeElement.classList.contains("target")`); got != true {
			t.Errorf("got focus elsewhere, want it on the target sentence")
		}
		b.screenshot(t, "reader-at-evidence")
		b.check(t, "graph edge")
	})

	t.Run("event row to sentence", func(t *testing.T) {
		b.open(t, "#/events")
		want := b.eval(t, `document.querySelector(".event-row-link").textContent`).(string)
		b.run(t, "click event", chromedp.Click(chromedp.CSS(`.event-row-link`)))
		b.waitReady(t, "reader from event")
		b.run(t, "target sentence", chromedp.WaitVisible(chromedp.CSS(`.doc-text .sent.target`)))
		if got := b.eval(t, `document.querySelector(".doc-text .sent.target").textContent`).(string); got != want {
			t.Errorf("got target sentence %q, want %q", got, want)
		}
		b.check(t, "event row")
	})

	t.Run("keyboard", func(t *testing.T) {
		b.open(t, "#/documents")
		if got := b.eval(t, `document.activeElement.tagName`); got != "H1" {
			t.Errorf("got focus on %v after navigation, want the page's h1", got)
		}
		// Tab to the first document link and follow it with Enter.
		for i := 0; i < 40; i++ {
			if b.eval(t, `(document.activeElement.getAttribute("href") || "").startsWith("#/doc/")`) == true {
				break
			}
			b.run(t, "tab", chromedp.KeyEvent("\t"))
		}
		href := b.eval(t, `document.activeElement.getAttribute("href")`)
		b.run(t, "enter", chromedp.KeyEvent("\r"))
		b.waitReady(t, "reader by keyboard")
		if got := b.eval(t, `location.hash`); got != href {
			t.Errorf("got %v after Enter, want %v", got, href)
		}
		b.check(t, "keyboard")
	})
}

// TestBrowserNoXSS ingests documents full of script payloads — as a text file through the
// fixture, and as an HTML page uploaded through the API — and proves that no payload runs in any
// page that shows them.
func TestBrowserNoXSS(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	env := newEnv(t)
	ts := uiServer(t, env)
	b := newBrowser(t, ts.URL)

	raw, err := os.ReadFile(filepath.Join("testdata", "xss-page.html"))
	if err != nil {
		t.Fatal(err)
	}
	body, ct := multipartBody(t, map[string]string{"<img src=x onerror=alert(1)>.html": string(raw)})
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/documents", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer browser-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: got status %d, want 201", res.StatusCode)
	}
	var docs struct {
		Items []struct{ ID, Title, Source string }
	}
	getJSON(t, ts.URL+"/api/v1/documents", &docs)
	var ids []string
	for _, d := range docs.Items {
		if strings.Contains(d.Title, "<script>") || strings.Contains(d.Source, "onerror") {
			ids = append(ids, d.ID)
		}
	}
	if len(ids) != 2 {
		t.Fatalf("got %d documents with payloads in their title or source, want 2 (%+v)", len(ids), docs.Items)
	}
	routes := []string{"#/", "#/documents", "#/search?q=script", "#/search?q=Summit", "#/events", "#/graph", "#/entity/gpe/dz", "#/timeline"}
	for _, id := range ids {
		routes = append(routes, "#/doc/"+id)
	}
	for i, route := range routes {
		b.open(t, route)
		if route == "#/graph" {
			// Show an edge whose evidence carries a payload in its attribution.
			b.eval(t, `(() => { const l = document.querySelector(".edge-link"); if (l) l.click(); })()`)
		}
		if got := b.eval(t, `window.__xss === undefined ? "" : String(window.__xss)`); got != "" {
			t.Errorf("%s: payload ran: window.__xss = %v", route, got)
		}
		// Only the app's own script is in the page, and no markup from a document became an element.
		if got := b.eval(t, `[...document.scripts].map(s => s.src.replace(location.origin, "")).join(",")`); got != "/app.js" {
			t.Errorf("%s: got scripts %v, want only /app.js", route, got)
		}
		if got := b.eval(t, `document.querySelectorAll("main img, main [onerror], main [onclick], main [onmouseover], main textarea, main base, base, main a[href^='javascript']").length`); got != float64(0) {
			t.Errorf("%s: got %v elements made from document markup, want 0", route, got)
		}
		b.screenshot(t, fmt.Sprintf("xss-%02d", i))
		b.check(t, route)
	}
	// The payloads are shown as text, so the analyst sees what the document says.
	b.open(t, "#/doc/"+ids[0])
	if got := b.eval(t, `document.querySelector("main h1").textContent + document.querySelector(".doc-text").textContent`).(string); !strings.Contains(got, "<script>") {
		t.Errorf("got %q, want the payload shown as text", got)
	}
}
