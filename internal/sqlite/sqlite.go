// Package sqlite is mizan's embedded default store: one SQLite file through the pure-Go
// modernc.org/sqlite driver (no cgo), in WAL mode, with versioned migrations and an FTS5 index.
// The queries are internal/sqlstore's; this package holds what is SQLite's own: the connection
// settings, the DDL and the full-text index.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/mizan-osint/mizan/internal/fulltext"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open opens (creating if needed) the database at path and brings its schema up to date.
// ":memory:" opens a private in-memory database (for tests).
//
// Transactions start IMMEDIATE so that concurrent writers queue on busy_timeout instead of
// failing at commit, and WAL lets readers run beside the writer.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)", "temp_store(MEMORY)", "cache_size(-32000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	if path == ":memory:" {
		// One shared in-memory database for all connections of this pool.
		dsn = "file:mizan-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "?mode=memory&cache=shared&" + q.Encode()
	}
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path == ":memory:" {
		sdb.SetMaxOpenConns(1)
	}
	db, err := sqlstore.New(ctx, sdb, Dialect{})
	if err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path != ":memory:" {
		db.CacheStatements() // modernc.org/sqlite compiles every unprepared statement anew
	}
	return db, nil
}

// Dialect is SQLite's sqlstore.Dialect.
type Dialect struct{}

var _ sqlstore.Dialect = Dialect{}

func (Dialect) Name() string { return "sqlite" }

// Rebind leaves ? placeholders as they are: SQLite takes them.
func (Dialect) Rebind(q string) string { return q }

func (Dialect) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded directory exists by construction
	}
	return sub
}

// Index writes into the contentless FTS5 table docs_fts (rowid = documents.seq).
func (Dialect) Index(ctx context.Context, tx *sql.Tx, seq int64, title, body string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO docs_fts(rowid, title, body) VALUES (?, ?, ?)`, seq, title, body)
	return err
}

func (Dialect) Unindex(ctx context.Context, tx *sql.Tx, seq int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM docs_fts WHERE rowid = ?`, seq)
	return err
}

// titleWeight makes a match in the title count three times a match in the body (bm25 column
// weights), because a headline names what a document is about.
const titleWeight = 3.0

// Match ranks with bm25, which is negative: smaller is better.
func (Dialect) Match(q fulltext.Query) (join, cond string, condArgs []any, rank string, rankArgs []any) {
	return `JOIN docs_fts ON docs_fts.rowid = d.seq`, `docs_fts MATCH ?`, []any{q.FTS5()},
		`bm25(docs_fts, ?, 1.0)`, []any{titleWeight}
}

func (Dialect) Limit(offset, n int) string {
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
