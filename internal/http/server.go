// Package http is mizan's web server: the JSON API under /api/v1/ and the embedded web UI
// (internal/ui). Import it as mizanhttp next to net/http.
//
// Every route is registered in New with a net/http ServeMux pattern. Responses are JSON; errors
// are {"error": {"code", "message"}} with the status from one table (see errors.go), and internal
// errors are logged, never shown. Documents are untrusted input: the API returns their text as
// JSON strings and the UI inserts it as text only, under a strict Content-Security-Policy.
//
// Security model (see security.go): the server is read-only unless Options.ReadOnly is false,
// and then every write needs the bearer token (Options.Token) in an Authorization header, which
// a browser never attaches on its own, so a cross-site page cannot forge a write (CSRF). Writes
// are further refused when their Origin or Sec-Fetch-Site says they come from another site, and
// every request must name this server in its Host header when it listens on loopback (DNS
// rebinding).
package http

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/source"
)

// Defaults.
const (
	DefaultAddr         = "127.0.0.1:8080"
	DefaultMaxBodyBytes = source.DefaultMaxBytes + 1<<20 // an upload of the largest input ingest accepts, plus multipart framing
	// MaxLimit caps the page size of every listing.
	MaxLimit = 500
)

// Options configures a Server. Start from DefaultOptions.
type Options struct {
	// Addr is the address ListenAndServe listens on (default 127.0.0.1:8080).
	Addr string
	// ReadOnly refuses every write (EFORBIDDEN). Default true.
	ReadOnly bool
	// Token is the bearer token writes must carry. A writable server needs one.
	Token string
	// MaxBodyBytes caps a request body; a larger one is ETOOLARGE.
	MaxBodyBytes int64
	// Version is shown in /api/v1/meta.
	Version string
	// Pipeline processes uploaded and fetched documents (POST /api/v1/documents); the same one
	// `mizan ingest` runs. Without it the server cannot ingest.
	Pipeline nlp.Pipeline
	// Resolve is the ingest hook that links a document's entities across documents (see
	// ingest.Ingester.Resolve); optional.
	Resolve func(ctx context.Context, d *nlp.Doc) error
	// Source configures fetching of URLs posted for ingest (size limit, timeout, user agent).
	Source source.Options
	// Network answers the graph, relations and timeline endpoints. Default: the analysis
	// network of the store (NewAnalysisNetwork, every outlet graded F) when the store can build
	// one, else none.
	Network Network
	// UI is the web UI's file tree (internal/ui.FS()); nil serves no UI.
	UI fs.FS
	// Logger receives internal errors and the access log; default slog.Default().
	Logger *slog.Logger
	// Now is the clock (tests inject one).
	Now func() time.Time
}

// DefaultOptions returns the options `mizan serve` starts from: loopback, read-only.
func DefaultOptions() Options {
	return Options{
		Addr:         DefaultAddr,
		ReadOnly:     true,
		MaxBodyBytes: DefaultMaxBodyBytes,
		Source:       source.DefaultOptions(),
	}
}

// Server serves the API and the UI over one store. It is safe for concurrent use.
type Server struct {
	opts    Options
	store   mizan.Store
	events  EventReader // nil when the store keeps no events
	network Network     // nil when there is no network to show
	mux     *http.ServeMux
	handler http.Handler
	log     *slog.Logger
	routes  []string // the API patterns registered, for the OpenAPI check

	ingestMu sync.Mutex // one upload is processed at a time: SQLite has one writer anyway

	httpMu sync.Mutex
	srv    *http.Server
}

// EventReader is what the server asks a store about events (mizan.EventStore has it). The
// events, relations, timeline and graph endpoints are unavailable with a store without it.
type EventReader interface {
	// Events lists the events matching f, in f.Order, and how many match in all. The events
	// endpoint asks for mizan.OrderNewest unless told otherwise (order=stored).
	Events(ctx context.Context, f mizan.EventFilter) ([]mizan.Event, int, error)
}

// New returns a server over st with every route registered. An invalid configuration (a
// writable server without a token) is EINVALID.
func New(st mizan.Store, o Options) (*Server, error) {
	d := DefaultOptions()
	if o.Addr == "" {
		o.Addr = d.Addr
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = d.MaxBodyBytes
	}
	if o.Source.MaxBytes == 0 {
		o.Source = d.Source
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if !o.ReadOnly && o.Token == "" {
		return nil, mizan.Errorf(mizan.EINVALID, "a writable server needs a token (--token or $MIZAN_TOKEN)")
	}
	s := &Server{opts: o, store: st, mux: http.NewServeMux(), log: o.Logger}
	if er, ok := st.(EventReader); ok {
		s.events = er
	}
	s.network = o.Network
	if src, ok := st.(AnalysisSource); ok && s.network == nil && s.events != nil {
		s.network = NewAnalysisNetwork(src, nil, o.Now)
	}
	s.routesAPI()
	s.routesUI()
	s.handler = s.secure(s.mux)
	return s, nil
}

// ServeHTTP serves one request through the security middleware and the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns the API route patterns registered (e.g. "GET /api/v1/documents/{id}").
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// Loopback reports whether addr's host is a loopback address or name.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ListenAndServe listens on Options.Addr and serves until ctx is done, then shuts down
// gracefully (in-flight requests get 10 seconds). ready, when not nil, is called with the
// address actually bound (useful with port 0).
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return mizan.Errorf(mizan.EUNAVAILABLE, "listen on %s: %v", s.opts.Addr, err)
	}
	return s.Serve(ctx, ln, ready)
}

// Serve serves on ln until ctx is done.
func (s *Server) Serve(ctx context.Context, ln net.Listener, ready func(addr string)) error {
	srv := &http.Server{
		Handler: s,
		// Timeouts bound what a slow or malicious client can hold: headers must arrive quickly,
		// and an upload of the largest accepted size still fits in ReadTimeout on a slow link.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      3 * time.Minute, // an ingest of a URL fetches it (30 s) and processes it
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	s.httpMu.Lock()
	s.srv = srv
	s.httpMu.Unlock()
	if n, ok := s.network.(interface{ Start(context.Context) }); ok {
		n.Start(ctx)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
		return nil
	}
}
