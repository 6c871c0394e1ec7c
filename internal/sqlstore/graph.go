package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/mizan-osint/mizan"
)

// The compact reads below are what the knowledge graph (internal/graph) is built from: they
// stream rows to a callback instead of returning slices, and read columns only — never an event's
// JSON body, a sentence or a document's text — so that building the graph of a large corpus
// costs memory in proportion to the graph, not to the text.

// ScanEventLinks calls fn for every event matching f (Offset and Limit are ignored), in document
// order, reduced to what a graph needs: id, document, sentence span, type, subtype, mode, time,
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
	// One row per actor (or one row with NULL actor columns for an event without any): rows of
	// one event are adjacent because of the ORDER BY, which the events_doc index serves.
	rows, err := s.query(ctx, s.db, `SELECT e.id, e.doc_id, e.sent_start, e.sent_end, e.type, e.subtype, e.mode,
		e.time_start, e.time_end, e.precision, e.attr_kind,
		COALESCE((SELECT ma.merged_into FROM entities ma WHERE ma.id = e.attr_entity), e.attr_entity),
		e.hedged, e.confidence,
		COALESCE((SELECT mp.merged_into FROM entities mp WHERE mp.id = e.place_entity), e.place_entity),
		a.role, COALESCE(m.merged_into, a.entity_id)
		FROM events e
		LEFT JOIN event_actors a ON a.event_id = e.id
		LEFT JOIN entities m ON m.id = a.entity_id`+where+`
		ORDER BY e.doc_id, e.ord, a.role, a.entity_id`, args...)
	if err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	defer rows.Close()
	var cur *mizan.Event
	flush := func() error {
		if cur == nil {
			return nil
		}
		e := cur
		cur = nil
		return fn(e)
	}
	for rows.Next() {
		var (
			id, doc, typ, subtype, mode, precision, attrKind string
			start, end                                       int
			tStart, tEnd, attrEntity, place, role, actor     sql.NullString
			hedged                                           int
			confidence                                       float64
		)
		if err := rows.Scan(&id, &doc, &start, &end, &typ, &subtype, &mode, &tStart, &tEnd, &precision, &attrKind,
			&attrEntity, &hedged, &confidence, &place, &role, &actor); err != nil {
			return fmt.Errorf("scan events: %w", err)
		}
		if cur == nil || cur.ID != id {
			if err := flush(); err != nil {
				return err
			}
			e := &mizan.Event{ID: id, Doc: doc, Sentence: mizan.Span{Start: start, End: end}, Type: mizan.EventType(typ),
				SubType: subtype, Mode: mizan.Mode(mode), Hedged: hedged != 0, Confidence: confidence,
				Attribution: mizan.Attribution{Kind: mizan.AttributionKind(attrKind), Entity: attrEntity.String},
				Time:        mizan.TimeExpr{Precision: mizan.Precision(precision)}}
			if e.Time.Start, err = parseTimePtr(tStart); err != nil {
				return err
			}
			if e.Time.End, err = parseTimePtr(tEnd); err != nil {
				return err
			}
			if place.Valid && place.String != "" {
				e.Place = &mizan.Actor{Entity: place.String}
			}
			cur = e
		}
		if !actor.Valid || actor.String == "" {
			continue
		}
		a := mizan.Actor{Entity: actor.String}
		switch role.String {
		case "source":
			cur.Source = append(cur.Source, a)
		case "target":
			cur.Target = append(cur.Target, a)
		default:
			cur.Participants = append(cur.Participants, a)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	return flush()
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
