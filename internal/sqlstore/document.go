package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// PutDocument implements mizan.DocumentStore.
func (s *DB) PutDocument(ctx context.Context, d *mizan.Document, a *mizan.Analysis, replace bool) (mizan.PutOutcome, error) {
	return s.PutDocumentThen(ctx, d, a, replace, nil)
}

// PutDocumentThen is PutDocument with more work in the same transaction: then, when not nil,
// runs after the document (or, for a duplicate, its source) is written and before the commit,
// with the outcome; its error rolls everything back. The work queue marks its item done this
// way, so a document is never stored without its item being done, nor the other way round.
func (s *DB) PutDocumentThen(ctx context.Context, d *mizan.Document, a *mizan.Analysis, replace bool,
	then func(ctx context.Context, tx *sql.Tx, o mizan.PutOutcome) error) (mizan.PutOutcome, error) {
	if err := d.Validate(); err != nil {
		return mizan.PutOutcome{}, err
	}
	if d.TextHash == "" {
		d.TextHash = mizan.TextHash(d.Text)
	}
	var out mizan.PutOutcome
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if l, ok := s.d.(Locker); ok {
			if err := l.Lock(ctx, tx, "doc:"+d.ID, "text:"+d.TextHash); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		now := formatTime(s.Now())
		var seq int64
		var ingested string
		err := s.queryRow(ctx, tx, `SELECT seq, ingested_at FROM documents WHERE id = ?`, d.ID).Scan(&seq, &ingested)
		exists := err == nil
		if err != nil && !isNoRows(err) {
			return err
		}
		if !replace {
			dupOf := ""
			if exists {
				dupOf = d.ID
			} else if err := s.queryRow(ctx, tx, `SELECT id FROM documents WHERE text_hash = ? LIMIT 1`, d.TextHash).Scan(&dupOf); err != nil && !isNoRows(err) {
				return err
			}
			if dupOf != "" {
				out = mizan.PutOutcome{Result: mizan.PutDuplicate, ID: dupOf}
				if err := s.addSource(ctx, tx, d.Source, dupOf, now); err != nil {
					return err
				}
				if then != nil {
					return then(ctx, tx, out)
				}
				return nil
			}
		}
		group, err := s.nearGroup(ctx, tx, d)
		if err != nil {
			return err
		}
		d.DupGroup = group
		if exists {
			// Reprocessing: the id, ingest order and ingest time stay.
			t, err := parseTime(ingested)
			if err != nil {
				return err
			}
			d.IngestedAt = t
		} else {
			d.IngestedAt = s.Now().UTC()
		}
		d.Length = d.Chars()
		cols, err := documentColumns(d)
		if err != nil {
			return err
		}
		if exists {
			set := make([]string, 0, len(cols))
			args := make([]any, 0, len(cols)+1)
			for _, c := range cols {
				set = append(set, c.name+" = ?")
				args = append(args, c.value)
			}
			args = append(args, d.ID)
			if _, err := s.exec(ctx, tx, `UPDATE documents SET `+strings.Join(set, ", ")+` WHERE id = ?`, args...); err != nil {
				return fmt.Errorf("update document: %w", err)
			}
			if _, err := s.exec(ctx, tx, `UPDATE raw SET bytes = ? WHERE doc_id = ?`, d.Raw, d.ID); err != nil {
				return fmt.Errorf("update raw: %w", err)
			}
			if err := s.d.Unindex(ctx, tx, seq); err != nil {
				return fmt.Errorf("unindex: %w", err)
			}
			out.Result = mizan.PutUpdated
		} else {
			names := make([]string, 0, len(cols)+1)
			marks := make([]string, 0, len(cols)+1)
			args := make([]any, 0, len(cols)+1)
			names, marks, args = append(names, "id"), append(marks, "?"), append(args, d.ID)
			for _, c := range cols {
				names, marks, args = append(names, c.name), append(marks, "?"), append(args, c.value)
			}
			if err := s.queryRow(ctx, tx, `INSERT INTO documents(`+strings.Join(names, ", ")+`) VALUES (`+strings.Join(marks, ", ")+`) RETURNING seq`, args...).Scan(&seq); err != nil {
				return fmt.Errorf("insert document: %w", err)
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO raw(doc_id, bytes) VALUES (?, ?)`, d.ID, d.Raw); err != nil {
				return fmt.Errorf("insert raw: %w", err)
			}
			out.Result = mizan.PutAdded
		}
		if err := s.d.Index(ctx, tx, seq, textnorm.SearchText(d.Title), textnorm.SearchText(d.Text)); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		if err := s.putBands(ctx, tx, d, exists); err != nil {
			return fmt.Errorf("near-duplicate index: %w", err)
		}
		if err := s.writeAnalysis(ctx, tx, d, a, exists); err != nil {
			return fmt.Errorf("store analysis: %w", err)
		}
		out.ID, out.DupGroup = d.ID, d.DupGroup
		if err := s.addSource(ctx, tx, d.Source, d.ID, now); err != nil {
			return err
		}
		if _, err = s.exec(ctx, tx, `DELETE FROM failures WHERE source = ?`, d.Source); err != nil {
			return err
		}
		if then != nil {
			return then(ctx, tx, out)
		}
		return nil
	})
	if err != nil {
		return mizan.PutOutcome{}, fmt.Errorf("store %s: %w", d.ID, err)
	}
	return out, nil
}

func (s *DB) addSource(ctx context.Context, tx *sql.Tx, source, id, now string) error {
	if source == "" || source == "-" {
		return nil
	}
	_, err := s.exec(ctx, tx, `INSERT INTO sources(source, doc_id, seen_at) VALUES (?, ?, ?)
		ON CONFLICT(source) DO UPDATE SET doc_id = excluded.doc_id, seen_at = excluded.seen_at`, source, id, now)
	return err
}

// nearGroup finds the near-duplicate group d belongs to: the group of the most similar stored
// document at or above dedup.Threshold, which becomes a group (named after its own id) if it was
// alone. Candidates come from the LSH band index.
func (s *DB) nearGroup(ctx context.Context, tx *sql.Tx, d *mizan.Document) (string, error) {
	keys := dedup.BandKeys(d.MinHash)
	if len(keys) == 0 {
		return "", nil
	}
	args := make([]any, 0, len(keys)+1)
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, d.ID)
	rows, err := s.query(ctx, tx, `SELECT DISTINCT d.id, d.minhash, d.dup_group FROM doc_bands b JOIN documents d ON d.id = b.doc_id
		WHERE b.key IN (`+marks(len(keys))+`) AND b.doc_id != ?`, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	best, bestSim, bestGroup := "", 0.0, ""
	for rows.Next() {
		var id string
		var sig []byte
		var group sql.NullString
		if err := rows.Scan(&id, &sig, &group); err != nil {
			return "", err
		}
		sim := dedup.Similarity(dedup.Decode(sig), d.MinHash)
		if sim >= dedup.Threshold && (sim > bestSim || sim == bestSim && id < best) {
			best, bestSim, bestGroup = id, sim, group.String
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	rows.Close()
	if best == "" {
		return "", nil
	}
	if bestGroup == "" {
		bestGroup = best
		if _, err := s.exec(ctx, tx, `UPDATE documents SET dup_group = ? WHERE id = ?`, best, best); err != nil {
			return "", err
		}
	}
	return bestGroup, nil
}

// putBands writes a document's LSH band keys in one statement, first removing old ones when the
// document is being replaced.
func (s *DB) putBands(ctx context.Context, tx *sql.Tx, d *mizan.Document, replaced bool) error {
	if replaced {
		if _, err := s.exec(ctx, tx, `DELETE FROM doc_bands WHERE doc_id = ?`, d.ID); err != nil {
			return err
		}
	}
	keys := dedup.BandKeys(d.MinHash)
	if len(keys) == 0 {
		return nil
	}
	rows := make([]string, len(keys))
	args := make([]any, 0, 2*len(keys))
	for i, k := range keys {
		rows[i] = "(?, ?)"
		args = append(args, k, d.ID)
	}
	_, err := s.exec(ctx, tx, `INSERT INTO doc_bands(key, doc_id) VALUES `+strings.Join(rows, ", ")+` ON CONFLICT DO NOTHING`, args...)
	return err
}

type column struct {
	name  string
	value any
}

// documentColumns lists the stored columns of a document other than id.
func documentColumns(d *mizan.Document) ([]column, error) {
	authors, err := json.Marshal(nonNil(d.Authors))
	if err != nil {
		return nil, err
	}
	paras, err := json.Marshal(nonNilParas(d.Paragraphs))
	if err != nil {
		return nil, err
	}
	sents := make([][2]int, len(d.Sentences))
	for i, s := range d.Sentences {
		sents[i] = [2]int{s.Start, s.End}
	}
	sentJSON, err := json.Marshal(sents)
	if err != nil {
		return nil, err
	}
	var feed any
	if d.Feed != nil {
		b, err := json.Marshal(d.Feed)
		if err != nil {
			return nil, err
		}
		feed = string(b)
	}
	var group any
	if d.DupGroup != "" {
		group = d.DupGroup
	}
	var sig any
	if d.MinHash != nil {
		sig = dedup.Encode(d.MinHash)
	}
	return []column{
		{"source", d.Source}, {"source_kind", string(d.SourceKind)}, {"outlet", d.Outlet}, {"title", d.Title},
		{"authors", string(authors)}, {"published", formatTimePtr(d.Published)},
		{"published_precision", string(d.PublishedPrecision)}, {"published_text", d.PublishedText},
		{"lang", d.Lang}, {"content_type", d.ContentType}, {"charset", d.Charset}, {"format", string(d.Format)},
		{"text", d.Text}, {"text_hash", d.TextHash}, {"chars", d.Length}, {"paragraphs", string(paras)},
		{"sentences", string(sentJSON)}, {"minhash", sig},
		{"dup_group", group}, {"feed", feed}, {"ingested_at", formatTime(d.IngestedAt)}, {"pipeline", d.Pipeline},
	}, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilParas(p []mizan.Paragraph) []mizan.Paragraph {
	if p == nil {
		return []mizan.Paragraph{}
	}
	return p
}

// listColumns are read for listings: no text, no raw bytes.
const listColumns = `id, source, source_kind, outlet, title, authors, published, published_precision,
	published_text, lang, content_type, charset, format, chars, dup_group, feed, ingested_at, pipeline`

type scanner interface{ Scan(dest ...any) error }

// withExtra scans the listColumns followed by more columns of the same row.
type withExtra struct {
	s     scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.s.Scan(append(dest, w.extra...)...) }

// scanListed reads the listColumns of one row. It returns the character count separately, since a
// listed document carries no text to count.
func scanListed(s scanner) (*mizan.Document, int, error) {
	var (
		d                          mizan.Document
		kind, format, prec         string
		authors, ingested          string
		published, group, feedJSON sql.NullString
		chars                      int
	)
	if err := s.Scan(&d.ID, &d.Source, &kind, &d.Outlet, &d.Title, &authors, &published, &prec,
		&d.PublishedText, &d.Lang, &d.ContentType, &d.Charset, &format, &chars, &group, &feedJSON,
		&ingested, &d.Pipeline); err != nil {
		return nil, 0, err
	}
	d.SourceKind, d.Format, d.PublishedPrecision, d.DupGroup = mizan.SourceKind(kind), mizan.Format(format), mizan.Precision(prec), group.String
	if err := json.Unmarshal([]byte(authors), &d.Authors); err != nil {
		return nil, 0, fmt.Errorf("document %s authors: %w", d.ID, err)
	}
	if len(d.Authors) == 0 {
		d.Authors = nil
	}
	var err error
	if d.Published, err = parseTimePtr(published); err != nil {
		return nil, 0, err
	}
	if d.IngestedAt, err = parseTime(ingested); err != nil {
		return nil, 0, err
	}
	if feedJSON.Valid {
		d.Feed = new(mizan.FeedInfo)
		if err := json.Unmarshal([]byte(feedJSON.String), d.Feed); err != nil {
			return nil, 0, fmt.Errorf("document %s feed: %w", d.ID, err)
		}
	}
	return &d, chars, nil
}

// ResolveID turns a unique id prefix (at least 4 characters) into a document id.
func (s *DB) ResolveID(ctx context.Context, prefix string) (string, error) {
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	if len(prefix) < 4 {
		return "", mizan.Errorf(mizan.EINVALID, "document id %q is too short: give at least 4 characters", prefix)
	}
	// Ids are lower-case hex, so every id starting with prefix sorts in [prefix, prefix+"g").
	ids, err := s.strings(ctx, s.db, `SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`, prefix, prefix+"g")
	switch {
	case err != nil:
		return "", err
	case len(ids) == 0:
		return "", mizan.Errorf(mizan.ENOTFOUND, "no document %q", prefix)
	case len(ids) > 1 && ids[0] != prefix:
		return "", mizan.Errorf(mizan.ECONFLICT, "document id %q is ambiguous: give more characters", prefix)
	}
	return ids[0], nil
}

// Document implements mizan.DocumentStore.
func (s *DB) Document(ctx context.Context, id string) (*mizan.Document, error) {
	id, err := s.ResolveID(ctx, id)
	if err != nil {
		return nil, err
	}
	row := s.queryRow(ctx, s.db, `SELECT `+listColumns+`, text, text_hash, paragraphs, sentences, minhash,
		(SELECT bytes FROM raw WHERE doc_id = documents.id) FROM documents WHERE id = ?`, id)
	var (
		text, hash, paras, sents string
		sig, raw                 []byte
	)
	d, _, err := scanListed(withExtra{row, []any{&text, &hash, &paras, &sents, &sig, &raw}})
	if isNoRows(err) {
		return nil, mizan.Errorf(mizan.ENOTFOUND, "no document %q", id)
	} else if err != nil {
		return nil, fmt.Errorf("document %s: %w", id, err)
	}
	d.Text, d.TextHash, d.Raw = text, hash, raw
	if sig != nil {
		d.MinHash = dedup.Decode(sig)
	}
	d.Length = d.Chars()
	if err := json.Unmarshal([]byte(paras), &d.Paragraphs); err != nil {
		return nil, fmt.Errorf("document %s paragraphs: %w", id, err)
	}
	var spans [][2]int
	if err := json.Unmarshal([]byte(sents), &spans); err != nil {
		return nil, fmt.Errorf("document %s sentences: %w", id, err)
	}
	d.Sentences = make([]mizan.Span, len(spans))
	for i, s := range spans {
		d.Sentences[i] = mizan.Span{Start: s[0], End: s[1]}
	}
	return d, nil
}
