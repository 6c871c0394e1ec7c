package http

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/mizan-osint/mizan"
)

// statusOf is the one table that maps mizan error codes to HTTP statuses.
var statusOf = map[string]int{
	mizan.EINVALID:     http.StatusBadRequest,
	mizan.ENOTFOUND:    http.StatusNotFound,
	mizan.ECONFLICT:    http.StatusConflict,
	mizan.EUNSUPPORTED: http.StatusNotImplemented,
	mizan.ETOOLARGE:    http.StatusRequestEntityTooLarge,
	mizan.EUNAVAILABLE: http.StatusBadGateway,
	mizan.EFORBIDDEN:   http.StatusForbidden,
	mizan.EINTERNAL:    http.StatusInternalServerError,
}

// Status returns the HTTP status for an error code (500 for an unknown one).
func Status(code string) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// writeError answers with err as JSON. A *mizan.Error is shown as is; anything else is logged
// with the request and shown as "internal error", so no internal detail (SQL, paths) leaks.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var body errorBody
	body.Error.Code = mizan.ErrorCode(err)
	body.Error.Message = mizan.ErrorMessage(err)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		body.Error.Code = mizan.ETOOLARGE
		body.Error.Message = "request body is larger than the server accepts"
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		return // the client went away: nobody to answer
	case errors.Is(err, context.DeadlineExceeded):
		body.Error.Code = mizan.EUNAVAILABLE
		body.Error.Message = "the request took too long"
	}
	if body.Error.Code == mizan.EINTERNAL {
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	st := Status(body.Error.Code)
	if st == http.StatusForbidden && body.Error.Code == mizan.EFORBIDDEN && r.Header.Get("Authorization") == "" && !s.opts.ReadOnly {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mizan"`)
		st = http.StatusUnauthorized
	}
	s.writeJSON(w, st, body)
}

// writeJSON answers with v as JSON. HTML-sensitive characters are escaped (\u003c...) so that
// even a client that sniffed the body as HTML would see no markup.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	if err := enc.Encode(v); err != nil {
		s.log.Debug("write response", slog.Any("err", err))
	}
}

// notFound is the JSON 404 of unknown API paths.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, mizan.Errorf(mizan.ENOTFOUND, "no such API endpoint: %s %s (see /api/v1/openapi.json)", r.Method, r.URL.Path))
}
