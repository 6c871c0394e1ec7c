package http

import (
	"net/http"
	"slices"
	"strings"

	"github.com/mizan-osint/mizan"
)

// handlerFunc is a handler that returns its error, answered by writeError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers an API route, keeps its pattern for the OpenAPI check, and makes every other
// method on the same path a JSON 405.
func (s *Server) handle(pattern string, h handlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// routesAPI registers the JSON API. The OpenAPI document (openapi.json) describes each route;
// TestOpenAPICoversRoutes keeps the two in step.
func (s *Server) routesAPI() {
	s.handle("GET /api/v1/meta", s.getMeta)
	s.handle("GET /api/v1/stats", s.getStats)
	s.handle("GET /api/v1/overview", s.getOverview)
	s.handle("GET /api/v1/documents", s.getDocuments)
	s.handle("POST /api/v1/documents", s.postDocuments)
	s.handle("GET /api/v1/documents/{id}", s.getDocument)
	s.handle("GET /api/v1/search", s.getSearch)
	s.handle("GET /api/v1/entities", s.getEntities)
	s.handle("GET /api/v1/entities/{ref...}", s.getEntity)
	s.handle("GET /api/v1/events", s.getEvents)
	s.handle("GET /api/v1/relations", s.getRelations)
	s.handle("GET /api/v1/timeline", s.getTimeline)
	s.handle("GET /api/v1/graph", s.getGraph)
	s.handle("GET /api/v1/openapi.json", s.getOpenAPI)

	// Other methods on known paths, and unknown paths, get JSON errors rather than the mux's
	// plain-text ones.
	paths := map[string][]string{}
	var order []string
	for _, p := range s.routes {
		m, path, _ := strings.Cut(p, " ")
		if _, ok := paths[path]; !ok {
			order = append(order, path)
		}
		paths[path] = append(paths[path], m)
	}
	for _, path := range order {
		allow := strings.Join(append(paths[path], "HEAD"), ", ")
		s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			var body errorBody
			body.Error.Code = "method_not_allowed"
			body.Error.Message = r.Method + " is not allowed here (allowed: " + allow + ")"
			s.writeJSON(w, http.StatusMethodNotAllowed, body)
		})
	}
	s.mux.HandleFunc("/api/", s.notFound)
}

// list is the JSON of every paginated listing.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func newList[T any](items []T, total, limit, offset int) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: total, Limit: limit, Offset: offset}
}

func rowsOf(docs []*mizan.Document) []mizan.DocumentSummary {
	rows := make([]mizan.DocumentSummary, 0, len(docs))
	for _, d := range docs {
		rows = append(rows, d.Summary())
	}
	return rows
}

// meta tells the UI what this server offers, so it never asks for what is not there.
type meta struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	ReadOnly bool   `json:"read_only"`
	// Ingest is true when POST /api/v1/documents is available (writable, with a pipeline).
	Ingest   bool `json:"ingest"`
	Events   bool `json:"events"`
	Graph    bool `json:"graph"`
	MaxLimit int  `json:"max_limit"`
	// MaxUploadBytes is the largest document POST /api/v1/documents accepts.
	MaxUploadBytes int64              `json:"max_upload_bytes"`
	EventTypes     []mizan.EventType  `json:"event_types"`
	EntityTypes    []mizan.EntityType `json:"entity_types"`
}

func (s *Server) getMeta(w http.ResponseWriter, r *http.Request) error {
	s.writeJSON(w, http.StatusOK, meta{
		Name: "mizan", Version: s.opts.Version, ReadOnly: s.opts.ReadOnly,
		Ingest: !s.opts.ReadOnly && s.opts.Pipeline != nil,
		Events: s.events != nil, Graph: s.network != nil, MaxLimit: MaxLimit,
		MaxUploadBytes: s.opts.Source.MaxBytes,
		EventTypes:     mizan.EventTypes, EntityTypes: mizan.EntityTypes,
	})
	return nil
}

func (s *Server) getStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.store.Stats(r.Context())
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, st)
	return nil
}

// overview is the JSON of the overview page.
type overview struct {
	Stats  mizan.Stats             `json:"stats"`
	Latest []mizan.DocumentSummary `json:"latest"`
	// Actors are the most central actors of the network (by PageRank over who acts on whom), or
	// without events the most mentioned entities.
	Actors []actor `json:"actors"`
	// Relations are the newest relations of the network (by their last event).
	Relations []Edge `json:"relations"`
}

type actor struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Type     mizan.EntityType `json:"type"`
	Mentions int              `json:"mentions,omitempty"`
	Docs     int              `json:"docs,omitempty"`
	Events   int              `json:"events,omitempty"`
	Partners int              `json:"partners,omitempty"`
	// PageRank and Betweenness are the actor's centrality in the network.
	PageRank    float64  `json:"pagerank,omitempty"`
	Betweenness *float64 `json:"betweenness,omitempty"`
}

func (s *Server) getOverview(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known()
	if p.err != nil {
		return p.err
	}
	ctx := r.Context()
	st, err := s.store.Stats(ctx)
	if err != nil {
		return err
	}
	ov := overview{Stats: st, Latest: []mizan.DocumentSummary{}, Actors: []actor{}, Relations: []Edge{}}
	const n = overviewSize
	docs, _, err := s.store.Documents(ctx, mizan.DocumentFilter{Offset: max(st.Documents-n, 0), Limit: n})
	if err != nil {
		return err
	}
	slices.Reverse(docs) // newest first
	ov.Latest = rowsOf(docs)
	if s.network != nil {
		g, err := s.network.Graph(ctx, overviewActorsQuery())
		if err != nil {
			return err
		}
		for _, nd := range g.Nodes {
			ov.Actors = append(ov.Actors, actor{ID: nd.ID, Name: nd.Name, Type: nd.Type, Events: nd.Events, Partners: nd.Degree,
				PageRank: nd.PageRank, Betweenness: nd.Betweenness})
		}
		rel, err := s.network.Graph(ctx, overviewRelationsQuery())
		if err != nil {
			return err
		}
		ov.Relations = rel.Edges
	}
	if len(ov.Actors) == 0 {
		ents, _, err := s.store.Entities(ctx, mizan.EntityFilter{Limit: n})
		if err != nil {
			return err
		}
		for _, e := range ents {
			ov.Actors = append(ov.Actors, actor{ID: e.ID, Name: e.Name, Type: e.Type, Mentions: e.Mentions, Docs: e.Docs})
		}
	}
	s.writeJSON(w, http.StatusOK, ov)
	return nil
}

func (s *Server) getDocuments(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known("lang", "outlet", "since", "until", "limit", "offset")
	f := mizan.DocumentFilter{Lang: p.str("lang"), Outlet: p.str("outlet"), Since: p.date("since"), Until: p.date("until")}
	f.Limit, f.Offset = p.page(50)
	if p.err != nil {
		return p.err
	}
	docs, total, err := s.store.Documents(r.Context(), f)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, newList(rowsOf(docs), total, f.Limit, f.Offset))
	return nil
}

// docView is a document as the reader shows it: the fields of `mizan show --json`.
type docView struct {
	*mizan.Document
	Sentences      []sentenceView          `json:"sentences"`
	Paragraphs     []paragraphView         `json:"paragraphs"`
	NearDuplicates []mizan.DocumentSummary `json:"near_duplicates"`
	Mentions       []mizan.Mention         `json:"mentions"`
	Events         []mizan.Event           `json:"events"`
}

type sentenceView struct {
	Span mizan.Span `json:"span"`
	Text string     `json:"text"`
}

// paragraphView is a paragraph with its direction, so the reader sets dir without guessing.
type paragraphView struct {
	mizan.Paragraph
	Dir string `json:"dir"` // rtl, ltr or auto
}

// rtlLangs are the languages written right to left.
var rtlLangs = map[string]bool{"ar": true, "fa": true, "ur": true, "he": true, "ps": true, "ku": true, "sd": true, "yi": true, "dv": true}

// dirOf is the text direction of a language ("auto" when unknown, letting the browser decide
// from the first strong character).
func dirOf(lang string) string {
	switch {
	case lang == "":
		return "auto"
	case rtlLangs[lang]:
		return "rtl"
	}
	return "ltr"
}

func (s *Server) getDocument(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known()
	if p.err != nil {
		return p.err
	}
	ctx := r.Context()
	d, err := s.store.Document(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	dups, err := s.store.NearDuplicates(ctx, d.ID)
	if err != nil {
		return err
	}
	v := docView{Document: d, Sentences: []sentenceView{}, Paragraphs: []paragraphView{}, NearDuplicates: rowsOf(dups),
		Mentions: []mizan.Mention{}, Events: []mizan.Event{}}
	for _, sp := range d.Sentences {
		v.Sentences = append(v.Sentences, sentenceView{Span: sp, Text: d.Slice(sp)})
	}
	for _, pa := range d.Paragraphs {
		lang := pa.Lang
		if lang == "" {
			lang = d.Lang
		}
		v.Paragraphs = append(v.Paragraphs, paragraphView{Paragraph: pa, Dir: dirOf(lang)})
	}
	if len(v.Paragraphs) == 0 && d.Text != "" {
		v.Paragraphs = append(v.Paragraphs, paragraphView{Paragraph: mizan.Paragraph{Span: mizan.Span{End: d.Chars()}, Lang: d.Lang}, Dir: dirOf(d.Lang)})
	}
	if v.Mentions, err = s.store.Mentions(ctx, d.ID); err != nil {
		return err
	}
	if v.Mentions == nil {
		v.Mentions = []mizan.Mention{}
	}
	if s.events != nil {
		evs, _, err := s.events.Events(ctx, mizan.EventFilter{Doc: d.ID, Limit: 10000})
		if err != nil {
			return err
		}
		if evs != nil {
			v.Events = evs
		}
	}
	s.writeJSON(w, http.StatusOK, v)
	return nil
}

// hitRow is one search result.
type hitRow struct {
	mizan.DocumentSummary
	Score   float64 `json:"score"`
	Snippet string  `json:"snippet"`
	// Highlights are character spans of matched words inside Snippet.
	Highlights []mizan.Span `json:"highlights"`
	// Span is where Snippet sits in the document's text (the reader scrolls there).
	Span mizan.Span `json:"span"`
}

func (s *Server) getSearch(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known("q", "lang", "limit", "offset")
	q := mizan.SearchQuery{Query: p.str("q"), Lang: p.str("lang")}
	q.Limit, q.Offset = p.page(20)
	if p.err == nil && q.Query == "" {
		p.fail("q", "a search query is required")
	}
	if p.err == nil && len([]rune(q.Query)) > 500 {
		p.fail("q", "the query is longer than 500 characters")
	}
	if p.err != nil {
		return p.err
	}
	hits, total, err := s.store.Search(r.Context(), q)
	if err != nil {
		return err
	}
	rows := make([]hitRow, 0, len(hits))
	for _, h := range hits {
		hl := h.Highlights
		if hl == nil {
			hl = []mizan.Span{}
		}
		rows = append(rows, hitRow{h.Doc.Summary(), h.Score, h.Snippet, hl, h.Span})
	}
	s.writeJSON(w, http.StatusOK, newList(rows, total, q.Limit, q.Offset))
	return nil
}

func (s *Server) getEntities(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known("type", "q", "limit", "offset")
	f := mizan.EntityFilter{Query: p.str("q")}
	if ts := p.entityTypes("type"); len(ts) > 1 {
		p.fail("type", "give one entity type")
	} else if len(ts) == 1 {
		f.Type = ts[0]
	}
	f.Limit, f.Offset = p.page(50)
	if p.err != nil {
		return p.err
	}
	ents, total, err := s.store.Entities(r.Context(), f)
	if err != nil {
		return err
	}
	for i := range ents {
		if ents[i].Aliases == nil {
			ents[i].Aliases = []string{}
		}
	}
	s.writeJSON(w, http.StatusOK, newList(ents, total, f.Limit, f.Offset))
	return nil
}

// entityView is an entity's profile with its relations and timeline, as the profile page shows it.
type entityView struct {
	*mizan.EntityProfile
	// Relations are the entity's partners in the network, most events first.
	Relations []Relation `json:"relations"`
	// Timeline counts the entity's events by month.
	Timeline []Bucket `json:"timeline"`
}

func (s *Server) getEntity(w http.ResponseWriter, r *http.Request) error {
	p := params{q: r.URL.Query()}
	p.known("documents", "sentences", "relations")
	o := mizan.ProfileOptions{Documents: p.int("documents", 50, MaxLimit), Sentences: p.int("sentences", 50, MaxLimit)}
	nrel := p.int("relations", 50, MaxLimit)
	if p.err != nil {
		return p.err
	}
	ref := r.PathValue("ref")
	if strings.TrimSpace(ref) == "" {
		return mizan.Errorf(mizan.EINVALID, "an entity id or name is required")
	}
	ctx := r.Context()
	prof, err := s.store.Entity(ctx, ref, o)
	if err != nil {
		return err
	}
	if prof.Aliases == nil {
		prof.Aliases = []string{}
	}
	v := entityView{EntityProfile: prof, Relations: []Relation{}, Timeline: []Bucket{}}
	if s.network != nil {
		rels, err := s.network.Relations(ctx, prof.ID, GraphQuery{}, nrel, 3)
		if err != nil {
			return err
		}
		tl, err := s.network.Timeline(ctx, GraphQuery{Entity: prof.ID}, "month")
		if err != nil {
			return err
		}
		v.Relations, v.Timeline = rels, tl.Buckets
	}
	s.writeJSON(w, http.StatusOK, v)
	return nil
}

// entityID resolves an entity reference (id or any name) to its id, as the CLI's --entity does.
// An exact id is an indexed lookup; only a name needs the store's name matching.
func (s *Server) entityID(r *http.Request, ref string) (string, error) {
	e, err := s.entityOf(r, ref)
	return e.ID, err
}

// entityOf resolves an entity reference to the stored entity.
func (s *Server) entityOf(r *http.Request, ref string) (mizan.Entity, error) {
	if ents, err := s.store.StoredEntities(r.Context(), []string{ref}); err == nil && len(ents) == 1 {
		return ents[0], nil
	}
	prof, err := s.store.Entity(r.Context(), ref, mizan.ProfileOptions{Documents: 1, Sentences: 1})
	if err != nil {
		return mizan.Entity{}, err
	}
	return prof.Entity, nil
}
