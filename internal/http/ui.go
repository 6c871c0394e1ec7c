package http

import (
	_ "embed"
	"io/fs"
	"net/http"
	"strings"
)

// openAPI is the API's OpenAPI 3 description, written by hand next to the handlers.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3 document served at /api/v1/openapi.json.
func OpenAPI() []byte { return append([]byte(nil), openAPI...) }

func (s *Server) getOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(openAPI)
	return nil
}

// routesUI serves the web UI's files: index.html at /, its script, stylesheet and icons beside it.
// The UI routes with the URL fragment (#/doc/ID), so the server knows only these paths.
func (s *Server) routesUI() {
	if s.opts.UI == nil {
		s.mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write([]byte("mizan API: see /api/v1/openapi.json (this server has no web UI)\n"))
		})
		return
	}
	files := http.FileServerFS(s.opts.UI)
	// "/" without a method: a method-specific pattern would conflict with the API's catch-alls.
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" {
			name = "index.html"
		}
		if fi, err := fs.Stat(s.opts.UI, name); err != nil || fi.IsDir() {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		// The files are embedded in the binary: a new binary may bring new ones under the same
		// names, so the browser revalidates rather than caching blindly.
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
