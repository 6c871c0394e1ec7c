package sqlite

import (
	"context"
	"fmt"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/fulltext"
)

// titleWeight makes a match in the title count three times a match in the body (bm25 column
// weights), because a headline names what a document is about.
const titleWeight = 3.0

// Search implements mizan.DocumentStore: FTS5 over normalised keys, ranked by bm25, with a
// snippet cut from the original text.
func (db *DB) Search(ctx context.Context, q mizan.SearchQuery) ([]mizan.SearchHit, int, error) {
	query, err := fulltext.Parse(q.Query)
	if err != nil {
		return nil, 0, err
	}
	match := query.FTS5()
	cond, args := `docs_fts MATCH ?`, []any{match}
	if q.Lang != "" {
		cond, args = cond+` AND d.lang = ?`, append(args, q.Lang)
	}
	var total int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM docs_fts JOIN documents d ON d.seq = docs_fts.rowid WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", q.Query, err)
	}
	lim := q.Limit
	if lim <= 0 {
		lim = 20
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+prefixed("d.", listColumns)+`, d.text, bm25(docs_fts, ?, 1.0) AS rank
		FROM docs_fts JOIN documents d ON d.seq = docs_fts.rowid WHERE `+cond+` ORDER BY rank, d.seq`+limit(q.Offset, lim),
		append([]any{titleWeight}, args...)...)
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
