// Package pgtest gives tests a PostgreSQL database of their own: a fresh schema on the server
// named by $MIZAN_TEST_POSTGRES (which .ci/run starts), dropped when the test ends, so tests are
// independent and can run in parallel on one server. Without the variable, tests skip.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/mizan-osint/mizan/internal/postgres"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

// Env is the variable holding the test server's URL.
const Env = "MIZAN_TEST_POSTGRES"

// URL creates a schema for tb and returns a URL whose connections use it (search_path). The
// test is skipped when $MIZAN_TEST_POSTGRES is unset.
func URL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s to a server URL (.ci/run starts one: eval \"$(.ci/postgres start)\")", Env)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := postgres.OpenSQL(base)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema on %s: %v", postgres.Redact(base), err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a store in a fresh schema (see URL); the test closes it or leaves it to Cleanup.
func Open(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), URL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
