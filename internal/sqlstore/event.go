package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
)

var _ mizan.EventStore = (*DB)(nil)

// writeEvents stores a document's events and tone inside its transaction, replacing what a
// previous processing stored.
func (s *DB) writeEvents(ctx context.Context, tx *sql.Tx, d *mizan.Document, a *mizan.Analysis, replaced bool) error {
	if replaced {
		// event_actors rows go with their events (ON DELETE CASCADE).
		if _, err := s.exec(ctx, tx, `DELETE FROM events WHERE doc_id = ?`, d.ID); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM document_tone WHERE doc_id = ?`, d.ID); err != nil {
			return err
		}
	}
	if a == nil {
		return nil
	}
	if t := a.Tone; t != nil {
		cues, err := json.Marshal(nonNil(t.Cues))
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO document_tone(doc_id, score, words, cues) VALUES (?, ?, ?, ?)`,
			d.ID, t.Score, t.Words, string(cues)); err != nil {
			return fmt.Errorf("tone: %w", err)
		}
	}
	// The document's date places undated events on a timeline.
	docDate := d.IngestedAt
	if d.Published != nil {
		docDate = *d.Published
	}
	for i := range a.Events {
		e := a.Events[i]
		e.Doc = d.ID
		if e.ID == "" {
			return mizan.Errorf(mizan.EINVALID, "document %s: event %d has no id", d.ID, i)
		}
		body, err := json.Marshal(e)
		if err != nil {
			return err
		}
		at, atEnd, dated := docDate, docDate.Add(time.Second), false
		if e.Time.Start != nil {
			at, atEnd, dated = *e.Time.Start, e.Time.Start.Add(time.Second), true
			if e.Time.End != nil && e.Time.End.After(at) {
				atEnd = *e.Time.End
			}
		}
		var place, attrEntity any
		if e.Place != nil && e.Place.Entity != "" {
			place = e.Place.Entity
		}
		if e.Attribution.Entity != "" {
			attrEntity = e.Attribution.Entity
		}
		res, err := s.exec(ctx, tx, `INSERT INTO events(id, doc_id, ord, sent_start, sent_end, type, subtype, mode,
			time_start, time_end, precision, at, at_end, dated, attr_kind, attr_entity, hedged, confidence, place_entity, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
			e.ID, d.ID, i, e.Sentence.Start, e.Sentence.End, string(e.Type), e.SubType, string(e.Mode),
			formatTimePtr(e.Time.Start), formatTimePtr(e.Time.End), string(e.Time.Precision), formatTime(at), formatTime(atEnd),
			boolInt(dated), string(e.Attribution.Kind), attrEntity, boolInt(e.Hedged), e.Confidence, place, string(body))
		if err != nil {
			return fmt.Errorf("event %s: %w", e.ID, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			continue // the same claim twice in the document: stored once
		}
		for _, g := range []struct {
			role   string
			actors []mizan.Actor
		}{{"source", e.Source}, {"target", e.Target}, {"participant", e.Participants}} {
			for _, x := range g.actors {
				if x.Entity == "" {
					continue
				}
				if _, err := s.exec(ctx, tx, `INSERT INTO event_actors(entity_id, event_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
					x.Entity, e.ID, g.role); err != nil {
					return fmt.Errorf("event %s actor: %w", e.ID, err)
				}
			}
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// eventWhere renders the WHERE clause of an event filter over events aliased e.
func (s *DB) eventWhere(ctx context.Context, f mizan.EventFilter) (string, []any, error) {
	var conds []string
	var args []any
	// An entity matches its own id and the ids of entities merged into it.
	involves := func(id string) {
		conds = append(conds, `EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND (a.entity_id = ?
			OR a.entity_id IN (SELECT m.id FROM entities m WHERE m.merged_into = ?)))`)
		args = append(args, id, id)
	}
	if f.Entity != "" {
		involves(f.Entity)
	}
	if f.Between[0] != "" || f.Between[1] != "" {
		if f.Between[0] == "" || f.Between[1] == "" || f.Between[0] == f.Between[1] {
			return "", nil, mizan.Errorf(mizan.EINVALID, "between needs two different entities")
		}
		involves(f.Between[0])
		involves(f.Between[1])
	}
	if len(f.Types) > 0 {
		marks := make([]string, len(f.Types))
		for i, t := range f.Types {
			marks[i] = "?"
			args = append(args, string(t))
		}
		conds = append(conds, `e.type IN (`+strings.Join(marks, ", ")+`)`)
	}
	if len(f.Modes) > 0 {
		marks := make([]string, len(f.Modes))
		for i, m := range f.Modes {
			marks[i] = "?"
			args = append(args, string(m))
		}
		conds = append(conds, `e.mode IN (`+strings.Join(marks, ", ")+`)`)
	}
	if f.Since != nil {
		conds = append(conds, `e.at_end > ?`)
		args = append(args, formatTime(*f.Since))
	}
	if f.Until != nil {
		conds = append(conds, `e.at < ?`)
		args = append(args, formatTime(*f.Until))
	}
	if f.Doc != "" {
		id, err := s.ResolveID(ctx, f.Doc)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, `e.doc_id = ?`)
		args = append(args, id)
	}
	if f.AsOf != nil {
		conds = append(conds, `EXISTS (SELECT 1 FROM documents d WHERE d.id = e.doc_id AND COALESCE(d.published, d.ingested_at) <= ?)`)
		args = append(args, formatTime(*f.AsOf))
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args, nil
}

// Events implements mizan.EventStore.
func (s *DB) Events(ctx context.Context, f mizan.EventFilter) ([]mizan.Event, int, error) {
	where, args, err := s.eventWhere(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.queryRow(ctx, s.db, `SELECT count(*) FROM events e`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count events: %w", err)
	}
	order := ` ORDER BY d.seq, e.ord`
	switch f.Order {
	case mizan.OrderStored:
	case mizan.OrderNewest:
		// events_at read backwards: a page costs its size, not a sort of every match.
		order = ` ORDER BY e.at DESC, d.seq, e.ord`
	default:
		return nil, 0, mizan.Errorf(mizan.EINVALID, "unknown event order %q", f.Order)
	}
	rows, err := s.query(ctx, s.db, `SELECT e.body FROM events e JOIN documents d ON d.id = e.doc_id`+where+
		order+s.d.Limit(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	out := []mizan.Event{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, 0, err
		}
		var e mizan.Event
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			return nil, 0, fmt.Errorf("event body: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// Timeline implements mizan.EventStore.
func (s *DB) Timeline(ctx context.Context, f mizan.EventFilter) ([]mizan.TimelineEntry, error) {
	where, args, err := s.eventWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, s.db, `SELECT e.body, e.at, e.dated FROM events e JOIN documents d ON d.id = e.doc_id`+where+
		` ORDER BY e.at, d.seq, e.ord`+s.d.Limit(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	defer rows.Close()
	out := []mizan.TimelineEntry{}
	for rows.Next() {
		var body, at string
		var dated int
		if err := rows.Scan(&body, &at, &dated); err != nil {
			return nil, err
		}
		var t mizan.TimelineEntry
		if err := json.Unmarshal([]byte(body), &t.Event); err != nil {
			return nil, fmt.Errorf("event body: %w", err)
		}
		if t.At, err = parseTime(at); err != nil {
			return nil, err
		}
		t.Undated = dated == 0
		out = append(out, t)
	}
	return out, rows.Err()
}

// Tone implements mizan.EventStore.
func (s *DB) Tone(ctx context.Context, doc string) (*mizan.Tone, error) {
	id, err := s.ResolveID(ctx, doc)
	if err != nil {
		return nil, err
	}
	var t mizan.Tone
	var cues string
	err = s.queryRow(ctx, s.db, `SELECT score, words, cues FROM document_tone WHERE doc_id = ?`, id).Scan(&t.Score, &t.Words, &cues)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(cues), &t.Cues); err != nil {
		return nil, fmt.Errorf("tone cues: %w", err)
	}
	if len(t.Cues) == 0 {
		t.Cues = nil
	}
	return &t, nil
}

// EventsAfter returns the events of the documents stored after cursor, in store order, and the
// cursor of the last document read (cursor itself when there is none). The cursor is a
// document's ingest position (documents.seq); documents are read whole until at least limit
// events are returned, so a cursor never falls inside a document. It is what feed watching
// reads new events from (internal/watch.EventLog).
func (s *DB) EventsAfter(ctx context.Context, cursor int64, limit int) ([]mizan.Event, int64, error) {
	rows, err := s.query(ctx, s.db, `SELECT d.seq, e.body FROM events e JOIN documents d ON d.id = e.doc_id
		WHERE d.seq > ? ORDER BY d.seq, e.ord`, cursor)
	if err != nil {
		return nil, cursor, fmt.Errorf("events after %d: %w", cursor, err)
	}
	defer rows.Close()
	out := []mizan.Event{}
	last := cursor
	for rows.Next() {
		var seq int64
		var body string
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, cursor, err
		}
		if seq != last && limit > 0 && len(out) >= limit {
			break
		}
		var e mizan.Event
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			return nil, cursor, fmt.Errorf("event body: %w", err)
		}
		out = append(out, e)
		last = seq
	}
	return out, last, rows.Err()
}

// EventSentences returns the sentence text of the events among ids that are stored, by event
// id: what an answer showing a few events of a large graph needs, without reading every event
// of their documents. Unknown ids are left out.
func (s *DB) EventSentences(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	const chunk = 500 // well under every engine's limit on bound parameters
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := s.query(ctx, s.db, `SELECT id, body FROM events WHERE id IN (?`+strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("event sentences: %w", err)
		}
		for rows.Next() {
			var id, body string
			if err := rows.Scan(&id, &body); err != nil {
				rows.Close()
				return nil, fmt.Errorf("event sentences: %w", err)
			}
			var e struct {
				Text string `json:"sentence"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				rows.Close()
				return nil, fmt.Errorf("event body %s: %w", id, err)
			}
			out[id] = e.Text
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("event sentences: %w", err)
		}
	}
	return out, nil
}
