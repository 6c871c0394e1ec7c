package http_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mizanhttp "github.com/mizan-osint/mizan/internal/http"
)

// seedLines reads one seed per line of a testdata file.
func seedLines(tb testing.TB, name string) []string {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// FuzzAPIQuery sends arbitrary paths and query strings (untrusted input) to the API: the server
// must never fail with a 5xx, and every error must be the JSON error shape.
func FuzzAPIQuery(f *testing.F) {
	for _, s := range seedLines(f, "queries.txt") {
		f.Add(s)
	}
	env := newEnv(f)
	srv, err := mizanhttp.New(env.Store, mizanhttp.Options{ReadOnly: true, Addr: "127.0.0.1:0", Logger: quietLogger()})
	if err != nil {
		f.Fatal(err)
	}
	// Credibility filters are unavailable (502) until the claims are graded: wait for that.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/api/v1/graph?max_nodes=1", nil))
		var g mizanhttp.Graph
		if rec.Code == 200 && json.Unmarshal(rec.Body.Bytes(), &g) == nil && g.Graded {
			break
		}
		if time.Now().After(deadline) {
			f.Fatal("the claims were not graded within a minute")
		}
	}
	f.Fuzz(func(t *testing.T, target string) {
		if !strings.HasPrefix(target, "/api/v1/") || strings.ContainsAny(target, " \r\n\t#") {
			t.Skip()
		}
		req, err := http.NewRequest("GET", "http://127.0.0.1"+target, nil)
		if err != nil {
			t.Skip()
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %s: got status %d (%s), want no server error", target, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var e apiError
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("GET %s: got error body %q, want {\"error\": {\"code\", \"message\"}}", target, rec.Body)
			}
		}
	})
}

// FuzzIngestJSON posts arbitrary JSON bodies to the ingest endpoint: anything but an absolute
// http(s) URL is refused with a 4xx before any fetch.
func FuzzIngestJSON(f *testing.F) {
	for _, s := range []string{`{"url": "/etc/passwd"}`, `{"url": "file:///etc/passwd"}`, `{"url": "http://"}`, `{"url": 3}`,
		`{"url": "ftp://x/y"}`, `{"url": "http://user:pw@host/"}`, `[]`, `{"url": "javascript:alert(1)"}`, `{"refetch": true}`} {
		f.Add(s)
	}
	env := newEnv(f)
	srv, err := mizanhttp.New(env.Store, mizanhttp.Options{ReadOnly: false, Token: "t", Pipeline: env.Pipeline, Addr: "127.0.0.1:0", Logger: quietLogger()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var probe struct{ URL any }
		if json.Unmarshal([]byte(body), &probe) == nil {
			if u, ok := probe.URL.(string); ok && (strings.HasPrefix(strings.TrimSpace(u), "http://") || strings.HasPrefix(strings.TrimSpace(u), "https://")) {
				t.Skip() // a real URL would be fetched: not this test's business
			}
		}
		req := httptest.NewRequest("POST", "http://127.0.0.1/api/v1/documents", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code < 400 || rec.Code >= 500 {
			t.Fatalf("POST %q: got status %d (%s), want a 4xx", body, rec.Code, rec.Body)
		}
	})
}
