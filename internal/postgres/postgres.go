// Package postgres is mizan's store on PostgreSQL, for corpora and teams that outgrow one SQLite
// file: many worker machines write to one server. The queries are internal/sqlstore's, run
// unchanged through pgx's database/sql driver; this package holds what is PostgreSQL's own: the
// connection, the DDL (migrations mirroring internal/sqlite's one for one), the full-text index
// (tsvector + GIN) and the locks that make concurrent writers behave like SQLite's single one.
//
// A database is named by a URL, postgres://user:pass@host:5432/db?sslmode=disable; every
// libpq-style parameter pgx understands works, and search_path=SCHEMA keeps a corpus in its own
// schema (the tests give each test one).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/fulltext"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// IsURL reports whether loc names a PostgreSQL database (postgres:// or postgresql://).
func IsURL(loc string) bool {
	return strings.HasPrefix(loc, "postgres://") || strings.HasPrefix(loc, "postgresql://")
}

// MaxConns bounds the connections one process opens. A worker needs a few (its writer, its
// claimer, its heartbeat, readers); a server's max_connections (100 by default) is shared by
// every worker machine, so each process stays frugal.
const MaxConns = 16

// migrateLock is the advisory-lock key under which migrations run, so that workers starting
// together on an empty database do not race to create the same tables.
const migrateLock = 0x6d697a616e // "mizan"

// Open connects to the database at url (postgres://...) and brings its schema up to date.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	sdb, err := OpenSQL(url)
	if err != nil {
		return nil, err
	}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, mizan.Errorf(mizan.EUNAVAILABLE, "cannot connect to PostgreSQL at %s: %s", Redact(url), pgMessage(err))
	}
	db, err := migrate(ctx, sdb)
	if err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open %s: %w", Redact(url), err)
	}
	return db, nil
}

// OpenSQL opens a database/sql pool on url through pgx without touching the schema (tools and
// tests that manage schemas themselves use it).
func OpenSQL(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "invalid PostgreSQL URL %s: %s", Redact(url), pgMessage(err))
	}
	sdb := stdlib.OpenDB(*cfg)
	sdb.SetMaxOpenConns(MaxConns)
	sdb.SetMaxIdleConns(MaxConns / 2)
	return sdb, nil
}

// migrate runs sqlstore's migrations holding a session advisory lock on a connection of its own.
func migrate(ctx context.Context, sdb *sql.DB) (*sqlstore.DB, error) {
	conn, err := sdb.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
	return sqlstore.New(ctx, sdb, Dialect{})
}

// Redact hides the password of a URL for messages.
func Redact(url string) string {
	return userinfo.ReplaceAllString(url, "${1}xxxxx@")
}

// userinfo matches the password part of scheme://user:password@ (the password may hold any
// character but @ and /).
var userinfo = regexp.MustCompile(`^([a-z]+://[^:/@]*:)[^@/]*@`)

// pgMessage words a connection error without the driver's internals.
func pgMessage(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return ce.Unwrap().Error()
	}
	return err.Error()
}

// Dialect is PostgreSQL's sqlstore.Dialect.
type Dialect struct{}

var (
	_ sqlstore.Dialect = Dialect{}
	_ sqlstore.Locker  = Dialect{}
)

// Name implements sqlstore.Dialect.
func (Dialect) Name() string { return "postgres" }

// Rebind implements sqlstore.Dialect: ? placeholders become $1, $2...
func (Dialect) Rebind(q string) string { return Rebind(q) }

// Migrations implements sqlstore.Dialect.
func (Dialect) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded directory exists by construction
	}
	return sub
}

// Index implements sqlstore.Dialect with the 'simple' text-search configuration over the keys
// of textnorm.SearchText, title at weight A and body at weight D.
//
// Why 'simple' over normalised keys rather than PostgreSQL's 'arabic' or 'english': the keys
// are already folded the way mizan folds text everywhere (case, Latin diacritics, Arabic
// hamza/alef/taa-marbuta/yaa variants, tatweel and harakat, clitics such as و/ب/ال peeled off),
// so a query matches across the same spellings on SQLite and PostgreSQL, and the snippet code
// (internal/fulltext) can map matches back to words. The language configurations would stem a
// second time, differently per language, and per document rather than per paragraph (a mixed
// Arabic/French page gets one configuration), and PostgreSQL's Snowball Arabic stemmer does not
// even conflate what users expect: measured on PostgreSQL 15, 'arabic' does not match اجتماعات
// with اجتماع. 'simple' only lower-cases, which the keys already are.
func (Dialect) Index(ctx context.Context, tx *sql.Tx, seq int64, title, body string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO docs_fts(seq, tsv)
		VALUES ($1, setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'D'))
		ON CONFLICT (seq) DO UPDATE SET tsv = excluded.tsv`, seq, title, body)
	return err
}

// Unindex implements sqlstore.Dialect.
func (Dialect) Unindex(ctx context.Context, tx *sql.Tx, seq int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM docs_fts WHERE seq = $1`, seq)
	return err
}

// rankWeights are ts_rank_cd's weights for D, C, B and A: a title (A) match counts three times a
// body (D) match, as SQLite's bm25 column weights do.
const rankWeights = "{0.333333, 0.333333, 0.333333, 1.0}"

// rankNormalization 1 divides the rank by 1 + log(document length), so long documents do not
// win by size alone (what bm25 does on SQLite).
const rankNormalization = 1

// Match implements sqlstore.Dialect. ts_rank_cd is larger for better matches; sqlstore sorts
// ranks ascending, so the rank is negated.
func (Dialect) Match(q fulltext.Query) (join, cond string, condArgs []any, rank string, rankArgs []any) {
	tsq := q.TSQuery()
	return `JOIN docs_fts ON docs_fts.seq = d.seq`, `docs_fts.tsv @@ to_tsquery('simple', ?)`, []any{tsq},
		fmt.Sprintf(`-ts_rank_cd(?::float4[], docs_fts.tsv, to_tsquery('simple', ?), %d)`, rankNormalization),
		[]any{rankWeights, tsq}
}

// Limit implements sqlstore.Dialect.
func (Dialect) Limit(offset, n int) string {
	switch {
	case n > 0 && offset > 0:
		return fmt.Sprintf(" LIMIT %d OFFSET %d", n, offset)
	case n > 0:
		return fmt.Sprintf(" LIMIT %d", n)
	case offset > 0:
		return fmt.Sprintf(" OFFSET %d", offset)
	}
	return ""
}

// Lock implements sqlstore.Locker with transaction-scoped advisory locks, one per key, taken in
// a fixed order so that two transactions locking overlapping keys cannot deadlock. At READ
// COMMITTED two writers of the same document would otherwise both find it absent and the second
// would fail on the unique id; holding the lock, the second waits and then sees the first's row.
func (Dialect) Lock(ctx context.Context, tx *sql.Tx, keys ...string) error {
	ids := make([]int64, 0, len(keys))
	for _, k := range keys {
		h := fnv.New64a()
		h.Write([]byte(k))
		ids = append(ids, int64(h.Sum64()))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, id); err != nil {
			return err
		}
	}
	return nil
}
