package sqlstore

import (
	"context"
	"database/sql"

	"github.com/mizan-osint/mizan"
)

// DocumentIDs implements mizan.DocumentStore.
func (s *DB) DocumentIDs(ctx context.Context, belowPipeline int) ([]string, error) {
	q, args := `SELECT id FROM documents ORDER BY seq`, []any{}
	if belowPipeline > 0 {
		q, args = `SELECT id FROM documents WHERE pipeline < ? ORDER BY seq`, []any{belowPipeline}
	}
	return s.strings(ctx, s.db, q, args...)
}

// HasSource implements mizan.DocumentStore.
func (s *DB) HasSource(ctx context.Context, source string) (string, bool, error) {
	var id string
	err := s.queryRow(ctx, s.db, `SELECT doc_id FROM sources WHERE source = ?`, source).Scan(&id)
	if isNoRows(err) {
		return "", false, nil
	}
	return id, err == nil, err
}

// NearDuplicates implements mizan.DocumentStore.
func (s *DB) NearDuplicates(ctx context.Context, id string) ([]*mizan.Document, error) {
	id, err := s.ResolveID(ctx, id)
	if err != nil {
		return nil, err
	}
	var group sql.NullString
	if err := s.queryRow(ctx, s.db, `SELECT dup_group FROM documents WHERE id = ?`, id).Scan(&group); err != nil {
		return nil, err
	}
	if !group.Valid {
		return nil, nil
	}
	return s.listDocuments(ctx, `SELECT `+listColumns+` FROM documents WHERE dup_group = ? AND id != ? ORDER BY seq`, group.String, id)
}

// RecordFailure implements mizan.DocumentStore.
func (s *DB) RecordFailure(ctx context.Context, f mizan.Failure) error {
	if f.At.IsZero() {
		f.At = s.Now()
	}
	_, err := s.exec(ctx, s.db, `INSERT INTO failures(source, reason, at) VALUES (?, ?, ?)
		ON CONFLICT(source) DO UPDATE SET reason = excluded.reason, at = excluded.at`, f.Source, f.Reason, formatTime(f.At))
	return err
}

// ClearFailure implements mizan.DocumentStore.
func (s *DB) ClearFailure(ctx context.Context, source string) error {
	_, err := s.exec(ctx, s.db, `DELETE FROM failures WHERE source = ?`, source)
	return err
}

// Failures implements mizan.DocumentStore.
func (s *DB) Failures(ctx context.Context) ([]mizan.Failure, error) {
	rows, err := s.query(ctx, s.db, `SELECT source, reason, at FROM failures ORDER BY at DESC, source`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []mizan.Failure
	for rows.Next() {
		var f mizan.Failure
		var at string
		if err := rows.Scan(&f.Source, &f.Reason, &at); err != nil {
			return nil, err
		}
		if f.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Stats implements mizan.Store.
func (s *DB) Stats(ctx context.Context) (mizan.Stats, error) {
	st := mizan.Stats{ByLang: map[string]int{}}
	var oldest, newest sql.NullString
	if err := s.queryRow(ctx, s.db, `SELECT count(*), count(DISTINCT dup_group), min(published), max(published) FROM documents`).
		Scan(&st.Documents, &st.DupGroups, &oldest, &newest); err != nil {
		return st, err
	}
	var err error
	if st.Oldest, err = parseTimePtr(oldest); err != nil {
		return st, err
	}
	if st.Newest, err = parseTimePtr(newest); err != nil {
		return st, err
	}
	if err := s.queryRow(ctx, s.db, `SELECT count(*) FROM failures`).Scan(&st.Failures); err != nil {
		return st, err
	}
	if err := s.queryRow(ctx, s.db, `SELECT count(*), COALESCE(sum(mentions), 0) FROM entities WHERE mentions > 0 AND merged_into IS NULL`).
		Scan(&st.Entities, &st.Mentions); err != nil {
		return st, err
	}
	if err := s.queryRow(ctx, s.db, `SELECT count(*) FROM events`).Scan(&st.Events); err != nil {
		return st, err
	}
	rows, err := s.query(ctx, s.db, `SELECT lang, count(*) FROM documents GROUP BY lang`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var lang string
		var n int
		if err := rows.Scan(&lang, &n); err != nil {
			return st, err
		}
		st.ByLang[lang] = n
	}
	return st, rows.Err()
}

// HasDocument implements mizan.DocumentStore.
func (s *DB) HasDocument(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.queryRow(ctx, s.db, `SELECT count(*) FROM documents WHERE id = ?`, id).Scan(&n)
	return n > 0, err
}
