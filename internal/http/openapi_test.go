package http_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	mizanhttp "github.com/mizan-osint/mizan/internal/http"
)

// TestOpenAPI validates the served document with a real OpenAPI parser and checks that it and
// the router describe the same routes, both ways.
func TestOpenAPI(t *testing.T) {
	env := newEnv(t)
	srv, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	res, err := http.Get(ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("got status %d, want 200", res.StatusCode)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(mizanhttp.OpenAPI())
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	var registered []string
	for _, r := range srv.Routes() {
		method, path, _ := strings.Cut(r, " ")
		path = strings.ReplaceAll(path, "...}", "}") // {ref...} is {ref} in OpenAPI
		registered = append(registered, method+" "+path)
		if !documented[method+" "+path] {
			t.Errorf("route %s is not documented in openapi.json", r)
		}
	}
	for op := range documented {
		if !slices.Contains(registered, op) {
			t.Errorf("openapi.json documents %s, which is not a route", op)
		}
	}
}
