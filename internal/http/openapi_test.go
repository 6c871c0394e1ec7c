package http_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

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

// TestOpenAPIResponses checks real answers of every read endpoint against the schemas the
// document gives for them, so that the document says what the server sends.
func TestOpenAPIResponses(t *testing.T) {
	env := newEnv(t)
	_, ts := env.server(t, mizanhttp.Options{ReadOnly: true})
	waitGraded(t, ts.URL)
	ctx := context.Background()
	doc, err := openapi3.NewLoader().LoadFromData(mizanhttp.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: ts.URL}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/api/v1/meta", "/api/v1/stats", "/api/v1/overview", "/api/v1/documents", "/api/v1/documents/" + env.IDs["ar-talks.txt"],
		"/api/v1/search?q=Algeria", "/api/v1/entities", "/api/v1/entities/Algeria", "/api/v1/events?type=AID",
		"/api/v1/relations?a=gpe/dz&b=gpe/ru", "/api/v1/relations?a=gpe/dz&b=gpe/ir&as_of=2024", "/api/v1/timeline?bucket=month",
		"/api/v1/graph", "/api/v1/graph?max_credibility=3&rank=betweenness", "/api/v1/graph?nonsense=1",
	} {
		t.Run(path, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+path, nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("find route: %v", err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{ExcludeRequestQueryParams: true}}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
				Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
			out.SetBodyBytes(body)
			if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
				t.Errorf("status %d: the answer does not match openapi.json: %v", res.StatusCode, err)
			}
		})
	}
}
