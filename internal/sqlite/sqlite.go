// Package sqlite is mizan's embedded default store: one SQLite file through the pure-Go
// modernc.org/sqlite driver (no cgo), in WAL mode, with versioned migrations and an FTS5 index.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/mizan-osint/mizan"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a mizan store in one SQLite file. It is safe for concurrent use: SQLite serialises
// writers (transactions start IMMEDIATE so they queue on busy_timeout instead of failing at
// commit) and WAL lets readers run beside them.
type DB struct {
	db   *sql.DB
	path string
	// Now is the clock, injected so tests can fix ingest times.
	Now func() time.Time
	// analysis writes a document's mentions, events and discovered entities inside PutDocument's
	// transaction (replacing the old ones when replaced is true). Set by the entity and event
	// storage code of this package; nil writes nothing.
	analysis func(ctx context.Context, tx *sql.Tx, d *mizan.Document, a *mizan.Analysis, replaced bool) error
}

var _ mizan.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and brings its schema up to date.
// ":memory:" opens a private in-memory database (for tests).
func Open(ctx context.Context, path string) (*DB, error) {
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
	db := &DB{db: sdb, path: path, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// SQL exposes the connection pool to packages that extend the schema (entities, events).
func (db *DB) SQL() *sql.DB { return db.db }

// migrate applies the embedded migrations not yet recorded in schema_migrations, each in its own
// transaction, in file-name order. A database newer than this binary is refused rather than
// silently misread.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	applied := map[int]bool{}
	rows, err := db.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
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
	files, err := fs.Glob(migrations, "migrations/*.sql")
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
		body, err := migrations.ReadFile(f)
		if err != nil {
			return err
		}
		if err := db.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
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
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

const timeLayout = time.RFC3339Nano

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func formatTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

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

// isNoRows reports whether err means an empty result.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
