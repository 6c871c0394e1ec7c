package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/source"
)

// ingestRequest is the JSON body of POST /api/v1/documents for a URL.
type ingestRequest struct {
	URL string `json:"url"`
	// Refetch fetches the URL again even when a document from it is stored.
	Refetch bool `json:"refetch,omitempty"`
}

// ingestResponse is what POST /api/v1/documents answers.
type ingestResponse struct {
	Summary  ingest.Summary   `json:"summary"`
	Outcomes []ingest.Outcome `json:"outcomes"`
}

// upload is one document a client sent.
type upload struct {
	name string
	raw  []byte
}

// postDocuments ingests uploaded files (multipart/form-data, field "file", repeatable) or a URL
// ({"url": "https://..."}) through the same source reader, pipeline, validation and store as
// `mizan ingest`.
func (s *Server) postDocuments(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Pipeline == nil {
		return mizan.Errorf(mizan.EUNSUPPORTED, "this server cannot ingest: it was started without a pipeline")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	opts := s.opts.Source
	switch mt {
	case "application/json":
		var req ingestRequest
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return err
			}
			return mizan.Errorf(mizan.EINVALID, "body: want {\"url\": \"https://...\"}: %v", err)
		}
		u, err := checkURL(req.URL)
		if err != nil {
			return err
		}
		return s.runIngest(w, r, opts, []string{u}, nil, !req.Refetch)
	case "multipart/form-data":
		uploads, err := readUploads(r, opts.MaxBytes)
		if err != nil {
			return err
		}
		return s.runIngest(w, r, opts, nil, uploads, false)
	default:
		return mizan.Errorf(mizan.EINVALID, "send multipart/form-data with a \"file\" field, or application/json {\"url\": \"https://...\"} (got Content-Type %q)", r.Header.Get("Content-Type"))
	}
}

// checkURL accepts only absolute http(s) URLs: anything else would be read by the source package
// as a local path, which must never be reachable from the network.
func checkURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", mizan.Errorf(mizan.EINVALID, "url %q: want an absolute http or https URL without credentials", raw)
	}
	return u.String(), nil
}

// readUploads reads the "file" parts of a multipart body, each at most maxBytes.
func readUploads(r *http.Request, maxBytes int64) ([]upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "multipart body: %v", err)
	}
	var ups []upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, mizan.Errorf(mizan.EINVALID, "multipart body: %v", err)
		}
		if part.FormName() != "file" {
			_ = part.Close()
			continue
		}
		raw, err := io.ReadAll(io.LimitReader(part, maxBytes+1))
		_ = part.Close()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, mizan.Errorf(mizan.EINVALID, "read upload: %v", err)
		}
		name := uploadName(part.FileName())
		if int64(len(raw)) > maxBytes {
			return nil, mizan.Errorf(mizan.ETOOLARGE, "%s is larger than %d MB", name, maxBytes>>20)
		}
		ups = append(ups, upload{name: name, raw: raw})
	}
	if len(ups) == 0 {
		return nil, mizan.Errorf(mizan.EINVALID, "no file: send the document in a multipart field named \"file\"")
	}
	return ups, nil
}

// uploadName is the source name an upload is stored under: "upload:" and the file's base name
// (a label only: it is never used as a path).
func uploadName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if !utf8.ValidString(name) || name == "." || name == "/" || name == "" {
		name = "document"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return "upload:" + name
}

// runIngest runs the ingest batch of `mizan ingest` over a URL or over uploads, one at a time
// (uploads are read by the source package as standard input would be: sniffed, feeds expanded).
func (s *Server) runIngest(w http.ResponseWriter, r *http.Request, opts source.Options, args []string, uploads []upload, skipStored bool) error {
	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	ctx := r.Context()
	var (
		resp    = ingestResponse{Outcomes: []ingest.Outcome{}}
		codes   []string // codes of failures the source reported
		batches = max(len(uploads), 1)
	)
	for i := range batches {
		in := &ingest.Ingester{Store: s.store, Pipeline: s.opts.Pipeline, Resolve: s.opts.Resolve, Workers: 1, Now: s.opts.Now,
			OnOutcome: func(o ingest.Outcome) { resp.Outcomes = append(resp.Outcomes, o) }}
		o := opts
		walkArgs := args
		label := ""
		if uploads != nil {
			o.Stdin = bytes.NewReader(uploads[i].raw)
			walkArgs, label = []string{"-"}, uploads[i].name
		}
		if skipStored {
			o.Skip = in.SkipStoredURLs(ctx)
		}
		wk := &labelWalker{w: source.New(o), label: label, codes: &codes}
		sum, err := in.Run(ctx, wk, walkArgs)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		resp.Summary = addSummary(resp.Summary, sum)
	}
	if inv, ok := s.network.(interface{ Invalidate() }); ok {
		inv.Invalidate()
	}
	sum := resp.Summary
	switch {
	case sum.Added+sum.Updated > 0:
		s.writeJSON(w, http.StatusCreated, resp)
	case sum.Failed > 0 && sum.Duplicate+sum.Skipped == 0:
		code := mizan.EINVALID // the pipeline rejected it (no article text, ...)
		if len(codes) > 0 {
			code = codes[0]
		}
		msg := "the document could not be ingested"
		if len(resp.Outcomes) > 0 && resp.Outcomes[0].Error != "" {
			msg = resp.Outcomes[0].Error
		}
		return mizan.Errorf(code, "%s", msg)
	default:
		s.writeJSON(w, http.StatusOK, resp) // already stored
	}
	return nil
}

func addSummary(a, b ingest.Summary) ingest.Summary {
	a.Added += b.Added
	a.Updated += b.Updated
	a.Duplicate += b.Duplicate
	a.NearDup += b.NearDup
	a.Failed += b.Failed
	a.Skipped += b.Skipped
	a.Bytes += b.Bytes
	a.Elapsed += b.Elapsed
	a.Failures = append(a.Failures, b.Failures...)
	a.Interrupted = a.Interrupted || b.Interrupted
	return a
}

// labelWalker names an upload's items after the upload instead of "-", and keeps the codes of
// the failures the source reports (too large, unreachable...) so the response can use them.
type labelWalker struct {
	w     *source.Walker
	label string
	codes *[]string
}

func (lw *labelWalker) Walk(ctx context.Context, args []string, fn func(source.Item) error) error {
	return lw.w.Walk(ctx, args, func(it source.Item) error {
		if lw.label != "" && it.Source == "-" {
			it.Source, it.Kind = lw.label, mizan.SourceFile
		}
		if it.Err != nil {
			*lw.codes = append(*lw.codes, mizan.ErrorCode(it.Err))
		}
		return fn(it)
	})
}

func (lw *labelWalker) Count(args []string) int { return lw.w.Count(args) }
