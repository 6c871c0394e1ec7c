// Package sqlstore implements mizan.Store once, in SQL that SQLite and PostgreSQL both run, over
// database/sql. What differs between the two — placeholder syntax, DDL types, the full-text
// index, LIMIT without a bound — sits behind the small Dialect interface, implemented by
// internal/sqlite and internal/postgres, which also own their migration files.
//
// Conventions of the portable SQL: ? placeholders (rebound by the dialect); upserts with
// INSERT ... ON CONFLICT; RETURNING instead of LastInsertId; times stored as fixed-width UTC
// text (timeLayout) so that they sort as text; JSON stored as text.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/fulltext"
)

// Dialect is what a database must say for itself.
type Dialect interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Rebind rewrites ? placeholders into the driver's syntax.
	Rebind(query string) string
	// Migrations holds the dialect's migration files, NNNN_name.sql, applied in order.
	Migrations() fs.FS
	// Index puts a document's normalised title and body (textnorm.SearchText) into the
	// full-text index under seq, replacing an earlier entry.
	Index(ctx context.Context, tx *sql.Tx, seq int64, title, body string) error
	// Unindex removes a document from the full-text index.
	Unindex(ctx context.Context, tx *sql.Tx, seq int64) error
	// Match renders a full-text query over documents aliased d: a join to add after
	// "FROM documents d", a WHERE condition, a rank expression (smaller ranks first) and the
	// arguments of the condition and of the rank.
	Match(q fulltext.Query) (join, cond string, condArgs []any, rank string, rankArgs []any)
	// Limit renders LIMIT/OFFSET (n <= 0: no limit).
	Limit(offset, n int) string
}

// Locker is implemented by dialects whose transactions do not serialise writers (PostgreSQL at
// READ COMMITTED). PutDocument calls Lock first in its transaction with the document's id and
// text hash, so that two writers of the same document (or the same text) take turns and the
// second finds the first's row, as SQLite's one writer at a time guarantees.
type Locker interface {
	Lock(ctx context.Context, tx *sql.Tx, keys ...string) error
}

// DB is a mizan store over a SQL database. It is safe for concurrent use.
type DB struct {
	db *sql.DB
	d  Dialect
	// Now is the clock, injected so tests can fix ingest times.
	Now func() time.Time

	kb kbCache // the knowledge base with the store's imports replayed (entity.go)

	stmts stmtCache
}

// stmtCache keeps prepared statements by query text. database/sql prepares a cached statement
// once per connection and reuses it inside transactions (Tx.StmtContext), which saves the SQL
// compilation that otherwise costs about a tenth of a millisecond per statement in SQLite —
// a third of the time of storing a document. Queries built with a variable number of
// placeholders make the cache grow, so it stops adding at maxStmts.
type stmtCache struct {
	on bool
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxStmts = 256

// CacheStatements turns the prepared-statement cache on. Drivers that cache statements
// themselves (pgx) do not need it; a pool of one connection must not use it, since preparing
// outside a running transaction would wait for that connection forever.
func (s *DB) CacheStatements() {
	s.stmts.mu.Lock()
	s.stmts.on, s.stmts.m = true, map[string]*sql.Stmt{}
	s.stmts.mu.Unlock()
}

// prepared returns the cached statement for a (rebound) query, preparing it on first use, or
// nil when the cache is off or full or the query does not prepare (the caller then runs the
// query directly, which reports the error).
func (s *DB) prepared(ctx context.Context, query string) *sql.Stmt {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if !s.stmts.on {
		return nil
	}
	if st, ok := s.stmts.m[query]; ok {
		return st
	}
	if len(s.stmts.m) >= maxStmts {
		return nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	s.stmts.m[query] = st
	return st
}

// stmtFor returns the cached statement bound to q (a transaction or the pool), or nil.
func (s *DB) stmtFor(ctx context.Context, q querier, query string) *sql.Stmt {
	st := s.prepared(ctx, query)
	if st == nil {
		return nil
	}
	switch q := q.(type) {
	case *sql.Tx:
		return q.StmtContext(ctx, st)
	case *sql.DB:
		return st
	}
	return nil
}

var _ mizan.Store = (*DB)(nil)

// New wraps an open database and brings its schema up to date.
func New(ctx context.Context, db *sql.DB, d Dialect) (*DB, error) {
	s := &DB{db: db, d: d, Now: time.Now}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Close closes the cached statements and the database.
func (s *DB) Close() error {
	s.stmts.mu.Lock()
	for _, st := range s.stmts.m {
		st.Close()
	}
	s.stmts.m, s.stmts.on = nil, false
	s.stmts.mu.Unlock()
	return s.db.Close()
}

// SQL exposes the connection pool (for tests and tools).
func (s *DB) SQL() *sql.DB { return s.db }

// Dialect returns the store's dialect.
func (s *DB) Dialect() Dialect { return s.d }

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *DB) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	query = s.d.Rebind(query)
	if st := s.stmtFor(ctx, q, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.ExecContext(ctx, query, args...)
}

func (s *DB) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	query = s.d.Rebind(query)
	if st := s.stmtFor(ctx, q, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.QueryContext(ctx, query, args...)
}

func (s *DB) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	query = s.d.Rebind(query)
	if st := s.stmtFor(ctx, q, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.QueryRowContext(ctx, query, args...)
}

// migrate applies the dialect's migrations not yet recorded in schema_migrations, each in its
// own transaction, in file-name order. A database newer than this binary is refused rather than
// silently misread.
func (s *DB) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	applied := map[int]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	latest := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
		latest = max(latest, v)
	}
	rows.Close()
	files, err := fs.Glob(s.d.Migrations(), "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	known := 0
	for _, f := range files {
		name := path.Base(f)
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", name)
		}
		known = max(known, v)
		if applied[v] {
			continue
		}
		body, err := fs.ReadFile(s.d.Migrations(), f)
		if err != nil {
			return err
		}
		if err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := s.exec(ctx, tx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
				v, name, formatTime(time.Now()))
			return err
		}); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if latest > known {
		return mizan.Errorf(mizan.EUNSUPPORTED, "database schema version %d is newer than this mizan (%d): upgrade mizan", latest, known)
	}
	return nil
}

// tx runs fn in a transaction, committing when it returns nil and rolling back otherwise.
func (s *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// timeLayout is fixed-width (RFC3339Nano trims trailing zeros, and "…00Z" would then sort
// after "…00.5Z" as text).
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func formatTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		// Accept any RFC 3339 form too (rows written by hand or by older builds).
		return time.Parse(time.RFC3339Nano, s)
	}
	return t, nil
}

func parseTimePtr(s sql.NullString) (*time.Time, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// strings runs a query whose first column is text and returns that column.
func (s *DB) strings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// isNoRows reports whether err means an empty result.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
