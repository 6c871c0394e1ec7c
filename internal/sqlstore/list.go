package sqlstore

import (
	"context"
	"strings"

	"github.com/mizan-osint/mizan"
)

// Documents implements mizan.DocumentStore.
func (s *DB) Documents(ctx context.Context, f mizan.DocumentFilter) ([]*mizan.Document, int, error) {
	var where []string
	var args []any
	if len(f.IDs) > 0 {
		ids := make([]string, 0, len(f.IDs))
		for _, id := range f.IDs {
			full, err := s.ResolveID(ctx, id)
			if err != nil {
				return nil, 0, err
			}
			ids = append(ids, full)
		}
		where = append(where, "id IN ("+marks(len(ids))+")")
		for _, id := range ids {
			args = append(args, id)
		}
	}
	if f.Lang != "" {
		where, args = append(where, "lang = ?"), append(args, f.Lang)
	}
	if f.Outlet != "" {
		where, args = append(where, "lower(outlet) = lower(?)"), append(args, f.Outlet)
	}
	if f.Since != nil {
		where, args = append(where, "published >= ?"), append(args, formatTime(*f.Since))
	}
	if f.Until != nil {
		where, args = append(where, "published < ?"), append(args, formatTime(*f.Until))
	}
	if f.IngestedBefore != nil {
		where, args = append(where, "ingested_at < ?"), append(args, formatTime(*f.IngestedBefore))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.queryRow(ctx, s.db, `SELECT count(*) FROM documents`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	docs, err := s.listDocuments(ctx, `SELECT `+listColumns+` FROM documents`+cond+` ORDER BY seq`+s.d.Limit(f.Offset, f.Limit), args...)
	return docs, total, err
}

func (s *DB) listDocuments(ctx context.Context, query string, args ...any) ([]*mizan.Document, error) {
	rows, err := s.query(ctx, s.db, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*mizan.Document
	for rows.Next() {
		d, chars, err := scanListed(rows)
		if err != nil {
			return nil, err
		}
		d.Length = chars
		out = append(out, d)
	}
	return out, rows.Err()
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// prefixed qualifies every column of a comma-separated list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
