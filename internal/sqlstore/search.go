package sqlstore

import (
	"context"
	"fmt"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/fulltext"
)

// Search implements mizan.DocumentStore: the dialect's full-text index over normalised keys,
// ranked by it, with a snippet cut from the original text.
func (s *DB) Search(ctx context.Context, q mizan.SearchQuery) ([]mizan.SearchHit, int, error) {
	query, err := fulltext.Parse(q.Query)
	if err != nil {
		return nil, 0, err
	}
	join, cond, args, rank, rankArgs := s.d.Match(query)
	if q.Lang != "" {
		cond, args = cond+` AND d.lang = ?`, append(args, q.Lang)
	}
	var total int
	if err := s.queryRow(ctx, s.db, `SELECT count(*) FROM documents d `+join+` WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", q.Query, err)
	}
	lim := q.Limit
	if lim <= 0 {
		lim = 20
	}
	rows, err := s.query(ctx, s.db, `SELECT `+prefixed("d.", listColumns)+`, d.text, `+rank+` AS rank
		FROM documents d `+join+` WHERE `+cond+` ORDER BY rank, d.seq`+s.d.Limit(q.Offset, lim),
		append(rankArgs, args...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", q.Query, err)
	}
	defer rows.Close()
	var hits []mizan.SearchHit
	for rows.Next() {
		var text string
		var rank float64
		d, chars, err := scanListed(withExtra{rows, []any{&text, &rank}})
		if err != nil {
			return nil, 0, err
		}
		d.Length = chars
		sn := query.Cut(text, 0)
		hits = append(hits, mizan.SearchHit{Doc: d, Score: -rank, Snippet: sn.Text, Highlights: sn.Highlights, Span: sn.Span})
	}
	return hits, total, rows.Err()
}
