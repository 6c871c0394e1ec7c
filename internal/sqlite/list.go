package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/mizan-osint/mizan"
)

// Documents implements mizan.DocumentStore.
func (db *DB) Documents(ctx context.Context, f mizan.DocumentFilter) ([]*mizan.Document, int, error) {
	var where []string
	var args []any
	if len(f.IDs) > 0 {
		ids := make([]string, 0, len(f.IDs))
		for _, id := range f.IDs {
			full, err := db.ResolveID(ctx, id)
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
		where, args = append(where, "outlet = ? COLLATE NOCASE"), append(args, f.Outlet)
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
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM documents`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	docs, err := db.listDocuments(ctx, `SELECT `+listColumns+` FROM documents`+cond+` ORDER BY seq`+limit(f.Offset, f.Limit), args...)
	return docs, total, err
}

func (db *DB) listDocuments(ctx context.Context, query string, args ...any) ([]*mizan.Document, error) {
	rows, err := db.db.QueryContext(ctx, query, args...)
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

func limit(offset, n int) string {
	switch {
	case n > 0 && offset > 0:
		return fmt.Sprintf(" LIMIT %d OFFSET %d", n, offset)
	case n > 0:
		return fmt.Sprintf(" LIMIT %d", n)
	case offset > 0:
		return fmt.Sprintf(" LIMIT -1 OFFSET %d", offset)
	}
	return ""
}

// prefixed qualifies every column of a comma-separated list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
