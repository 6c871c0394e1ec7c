package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
)

// The compact reads below are what the knowledge graph (internal/graph) is built from: they
// stream rows to a callback instead of returning slices, and read columns only — never an event's
// JSON body, a sentence or a document's text — so that building the graph of a large corpus
// costs memory in proportion to the graph, not to the text.

// ScanEventLinks calls fn for every event matching f (Offset and Limit are ignored), in document
// order (ingest order is not kept: documents come by id), reduced to what a graph needs: id, document, sentence span, type, subtype, mode, time,
// attribution kind and entity, hedged, confidence, place, and its actors as entity ids (an
// entity merged into another is reported as the other). Text, names, the trigger, the
// attribution text and hedge cues are left empty; Events has them. The Event passed to fn is
// fn's to keep. An error from fn stops the scan and is returned.
func (s *DB) ScanEventLinks(ctx context.Context, f mizan.EventFilter, fn func(*mizan.Event) error) error {
	f.Offset, f.Limit = 0, 0
	where, args, err := s.eventWhere(ctx, f)
	if err != nil {
		return err
	}
	// Entities merged into others are few: map them here rather than join per row.
	merged := map[string]string{}
	mrows, err := s.query(ctx, s.db, `SELECT id, merged_into FROM entities WHERE merged_into IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	for mrows.Next() {
		var id, into string
		if err := mrows.Scan(&id, &into); err != nil {
			mrows.Close()
			return fmt.Errorf("scan events: %w", err)
		}
		merged[id] = into
	}
	if err := mrows.Close(); err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	canon := func(id string) string {
		if into, ok := merged[id]; ok {
			return into
		}
		return id
	}
	// One row per event, its actors aggregated into "role:entity,role:entity" (entity ids are
	// slugs: no commas or colons), in document order — which the events_graph covering index
	// serves without sorting and without reading the events' JSON bodies.
	agg := `group_concat(a.role || ':' || a.entity_id, ',')`
	if s.d.Name() == "postgres" {
		agg = `string_agg(a.role || ':' || a.entity_id, ',')`
	}
	rows, err := s.query(ctx, s.db, `SELECT e.id, e.doc_id, e.sent_start, e.sent_end, e.type, e.subtype, e.mode,
		e.time_start, e.time_end, e.precision, e.attr_kind, e.attr_entity, e.hedged, e.confidence, e.place_entity,
		(SELECT `+agg+` FROM event_actors a WHERE a.event_id = e.id)
		FROM events e`+where+`
		ORDER BY e.doc_id, e.ord`, args...)
	if err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	defer rows.Close()
	// Type, mode and the like repeat: share one string per distinct value.
	intern := map[string]string{}
	str := func(b sql.RawBytes) string {
		if v, ok := intern[string(b)]; ok {
			return v
		}
		v := string(b)
		if len(intern) < 1<<16 {
			intern[v] = v
		}
		return v
	}
	var (
		id, doc, typ, subtype, mode, tStart, tEnd, precision, attrKind, attrEntity, place, actors sql.RawBytes
		start, end, hedged                                                                        int
		confidence                                                                                float64
	)
	for rows.Next() {
		if err := rows.Scan(&id, &doc, &start, &end, &typ, &subtype, &mode, &tStart, &tEnd, &precision, &attrKind,
			&attrEntity, &hedged, &confidence, &place, &actors); err != nil {
			return fmt.Errorf("scan events: %w", err)
		}
		e := &mizan.Event{ID: string(id), Doc: str(doc), Sentence: mizan.Span{Start: start, End: end}, Type: mizan.EventType(str(typ)),
			SubType: str(subtype), Mode: mizan.Mode(str(mode)), Hedged: hedged != 0, Confidence: confidence,
			Attribution: mizan.Attribution{Kind: mizan.AttributionKind(str(attrKind)), Entity: canon(str(attrEntity))},
			Time:        mizan.TimeExpr{Precision: mizan.Precision(str(precision))}}
		for _, t := range []struct {
			raw sql.RawBytes
			to  **time.Time
		}{{tStart, &e.Time.Start}, {tEnd, &e.Time.End}} {
			if len(t.raw) == 0 {
				continue
			}
			v, err := parseTime(string(t.raw))
			if err != nil {
				return err
			}
			*t.to = &v
		}
		if len(place) > 0 {
			e.Place = &mizan.Actor{Entity: canon(str(place))}
		}
		for _, ra := range strings.Split(string(actors), ",") {
			role, ent, ok := strings.Cut(ra, ":")
			if !ok || ent == "" {
				continue
			}
			a := mizan.Actor{Entity: canon(str(sql.RawBytes(ent)))}
			switch role {
			case "source":
				e.Source = append(e.Source, a)
			case "target":
				e.Target = append(e.Target, a)
			default:
				e.Participants = append(e.Participants, a)
			}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	return nil
}

// ScanDocumentMeta calls fn for every document in ingest order with its metadata only: id,
// source, source kind, outlet, title, published date and precision, language, near-duplicate
// group and ingest time (no text, raw bytes, sentences or authors). Only the filter's
// IngestedBefore, Since and Until apply. The Document passed to fn is fn's to keep.
func (s *DB) ScanDocumentMeta(ctx context.Context, f mizan.DocumentFilter, fn func(*mizan.Document) error) error {
	q := `SELECT id, source, source_kind, outlet, title, published, published_precision, lang, dup_group, ingested_at FROM documents`
	var conds []string
	var args []any
	if f.IngestedBefore != nil {
		conds = append(conds, `ingested_at < ?`)
		args = append(args, formatTime(*f.IngestedBefore))
	}
	if f.Since != nil {
		conds = append(conds, `published >= ?`)
		args = append(args, formatTime(*f.Since))
	}
	if f.Until != nil {
		conds = append(conds, `published < ?`)
		args = append(args, formatTime(*f.Until))
	}
	for i, c := range conds {
		if i == 0 {
			q += ` WHERE ` + c
		} else {
			q += ` AND ` + c
		}
	}
	rows, err := s.query(ctx, s.db, q+` ORDER BY seq`, args...)
	if err != nil {
		return fmt.Errorf("scan documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			d              mizan.Document
			kind, prec     string
			published, dup sql.NullString
			ingested       string
		)
		if err := rows.Scan(&d.ID, &d.Source, &kind, &d.Outlet, &d.Title, &published, &prec, &d.Lang, &dup, &ingested); err != nil {
			return fmt.Errorf("scan documents: %w", err)
		}
		d.SourceKind, d.PublishedPrecision, d.DupGroup = mizan.SourceKind(kind), mizan.Precision(prec), dup.String
		if d.Published, err = parseTimePtr(published); err != nil {
			return err
		}
		if d.IngestedAt, err = parseTime(ingested); err != nil {
			return err
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	return rows.Err()
}
