// Package storecopy copies a whole mizan corpus between two stores, SQLite or PostgreSQL in
// either direction (`mizan copy`): the documents with their raw bytes, and every other table of
// the corpus that both databases have (sources, failures, near-duplicate bands, entities,
// mentions, events... as the schema grows), rows as they are, so nothing is recomputed and
// nothing is lost.
//
// A copy is idempotent: rows already in the destination are left alone (ON CONFLICT DO
// NOTHING), so an interrupted copy is finished by running it again. Documents get the
// destination's ingest order numbers (documents.seq, in the source's order) and their full-text
// entries are rebuilt with the destination's own index. Work state — the queue, the alerting's
// cursors — is not copied: it describes one database's processing, not the corpus.
//
// Tables other than documents are copied with their keys as they are, so the destination must
// not hold rows of another corpus: Copy refuses a destination with documents the source does
// not have.
package storecopy

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/sqlstore"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// Skipped tables: migrations bookkeeping, full-text indexes (rebuilt), work state.
var skipped = map[string]bool{
	"schema_migrations": true, "sqlite_sequence": true, "docs_fts": true,
	"queue": true, "watch_cursors": true,
}

// Progress hears how the copy goes.
type Progress interface {
	// Table is called when a table starts, with its number of rows in the source.
	Table(name string, rows int)
	// Rows is called as rows of the current table are read.
	Rows(n int)
}

// TableReport is what was copied of one table.
type TableReport struct {
	Table  string `json:"table"`
	Source int    `json:"source_rows"`
	Copied int    `json:"copied"` // rows new in the destination
}

// Report is what a copy did.
type Report struct {
	Tables []TableReport `json:"tables"`
}

// Batch is how many rows go into one destination transaction.
const Batch = 500

// Copy copies src's corpus into dst. Both are migrated to the same schema by opening them.
func Copy(ctx context.Context, src, dst *sqlstore.DB, p Progress) (Report, error) {
	var rep Report
	if err := checkDestination(ctx, src, dst); err != nil {
		return rep, err
	}
	srcTables, err := tables(ctx, src)
	if err != nil {
		return rep, err
	}
	dstTables, err := tables(ctx, dst)
	if err != nil {
		return rep, err
	}
	tr, err := copyDocuments(ctx, src, dst, p)
	if err != nil {
		return rep, err
	}
	rep.Tables = append(rep.Tables, tr)
	// Referenced tables sort before the tables referring to them in every schema mizan has so
	// far (documents, then raw/sources...; entities before entity_*); a foreign-key failure
	// puts a table at the back for another pass.
	var todo []string
	for _, t := range srcTables {
		if t != "documents" && !skipped[t] && !strings.HasPrefix(t, "docs_fts") && slices.Contains(dstTables, t) {
			todo = append(todo, t)
		}
	}
	for pass := 0; len(todo) > 0; pass++ {
		var again []string
		var lastErr error
		for _, t := range todo {
			tr, err := copyTable(ctx, src, dst, t, p)
			if err != nil {
				if ctx.Err() != nil {
					return rep, ctx.Err()
				}
				again, lastErr = append(again, t), err
				continue
			}
			rep.Tables = append(rep.Tables, tr)
		}
		if len(again) == len(todo) || pass > len(todo) {
			return rep, fmt.Errorf("copy %s: %w", strings.Join(again, ", "), lastErr)
		}
		todo = again
	}
	return rep, nil
}

// checkDestination refuses a destination holding documents the source does not have: its
// integer-keyed rows could collide with the source's.
func checkDestination(ctx context.Context, src, dst *sqlstore.DB) error {
	ids, err := dst.DocumentIDs(ctx, 0)
	if err != nil {
		return err
	}
	for _, id := range ids {
		ok, err := src.HasDocument(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			return mizan.Errorf(mizan.ECONFLICT, "the destination holds documents the source does not have (e.g. %s): copy into an empty database, or into an earlier copy of the same source", id)
		}
	}
	return nil
}

// tables lists a database's tables in name order.
func tables(ctx context.Context, db *sqlstore.DB) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if db.Dialect().Name() == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := db.SQL().QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// columns lists a table's columns as the database returns them.
func columns(ctx context.Context, db *sqlstore.DB, table string) ([]string, error) {
	rows, err := db.SQL().QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// common lists the columns both sides have, in the source's order, less skip.
func common(ctx context.Context, src, dst *sqlstore.DB, table string, skip ...string) ([]string, error) {
	sc, err := columns(ctx, src, table)
	if err != nil {
		return nil, err
	}
	dc, err := columns(ctx, dst, table)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range sc {
		if slices.Contains(dc, c) && !slices.Contains(skip, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

func count(ctx context.Context, db *sqlstore.DB, table string) (int, error) {
	var n int
	err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
	return n, err
}

// copyDocuments copies documents in ingest order; each new one gets the destination's next seq
// and a full-text entry built by the destination's dialect.
func copyDocuments(ctx context.Context, src, dst *sqlstore.DB, p Progress) (TableReport, error) {
	tr := TableReport{Table: "documents"}
	var err error
	if tr.Source, err = count(ctx, src, "documents"); err != nil {
		return tr, err
	}
	if p != nil {
		p.Table("documents", tr.Source)
	}
	cols, err := common(ctx, src, dst, "documents", "seq")
	if err != nil {
		return tr, err
	}
	ti, xi := slices.Index(cols, "title"), slices.Index(cols, "text")
	if ti < 0 || xi < 0 {
		return tr, fmt.Errorf("documents: no title or text column")
	}
	insert := dst.Dialect().Rebind(`INSERT INTO documents(` + strings.Join(cols, ", ") + `) VALUES (` + marks(len(cols)) +
		`) ON CONFLICT(id) DO NOTHING RETURNING seq`)
	last := int64(-1)
	for {
		rows, err := src.SQL().QueryContext(ctx, src.Dialect().Rebind(`SELECT seq, `+strings.Join(cols, ", ")+
			` FROM documents WHERE seq > ? ORDER BY seq LIMIT ?`), last, Batch)
		if err != nil {
			return tr, fmt.Errorf("read documents: %w", err)
		}
		batch, err := scanAll(rows, len(cols)+1)
		if err != nil {
			return tr, fmt.Errorf("read documents: %w", err)
		}
		if len(batch) == 0 {
			return tr, nil
		}
		err = inTx(ctx, dst, func(tx *sql.Tx) error {
			for _, r := range batch {
				var seq int64
				err := tx.QueryRowContext(ctx, insert, r[1:]...).Scan(&seq)
				if err == sql.ErrNoRows {
					continue // already copied
				}
				if err != nil {
					return fmt.Errorf("insert document: %w", err)
				}
				tr.Copied++
				title, text := asString(r[1+ti]), asString(r[1+xi])
				if err := dst.Dialect().Index(ctx, tx, seq, textnorm.SearchText(title), textnorm.SearchText(text)); err != nil {
					return fmt.Errorf("index: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return tr, err
		}
		last = asInt(batch[len(batch)-1][0])
		if p != nil {
			p.Rows(len(batch))
		}
	}
}

// copyTable copies a table's rows as they are, in batches, skipping those the destination has.
func copyTable(ctx context.Context, src, dst *sqlstore.DB, table string, p Progress) (TableReport, error) {
	tr := TableReport{Table: table}
	var err error
	if tr.Source, err = count(ctx, src, table); err != nil {
		return tr, err
	}
	if p != nil {
		p.Table(table, tr.Source)
	}
	cols, err := common(ctx, src, dst, table)
	if err != nil {
		return tr, err
	}
	// Rows are read in one pass (database/sql streams them) and written in batches; the
	// destination's transaction per batch keeps memory flat.
	rows, err := src.SQL().QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return tr, err
	}
	defer rows.Close()
	insert := dst.Dialect().Rebind(`INSERT INTO ` + table + `(` + strings.Join(cols, ", ") + `) VALUES (` + marks(len(cols)) + `) ON CONFLICT DO NOTHING`)
	var batch [][]any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := inTx(ctx, dst, func(tx *sql.Tx) error {
			for _, r := range batch {
				res, err := tx.ExecContext(ctx, insert, r...)
				if err != nil {
					return err
				}
				n, _ := res.RowsAffected()
				tr.Copied += int(n)
			}
			return nil
		})
		if p != nil {
			p.Rows(len(batch))
		}
		batch = batch[:0]
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return tr, err
		}
		batch = append(batch, vals)
		if len(batch) == Batch {
			if err := flush(); err != nil {
				return tr, fmt.Errorf("copy %s: %w", table, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return tr, err
	}
	if err := flush(); err != nil {
		return tr, fmt.Errorf("copy %s: %w", table, err)
	}
	return tr, nil
}

func scanAll(rows *sql.Rows, n int) ([][]any, error) {
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

func inTx(ctx context.Context, db *sqlstore.DB, fn func(*sql.Tx) error) error {
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}
