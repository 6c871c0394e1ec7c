// Package queue is mizan's work queue, kept in the corpus database itself so that the database
// is the only component worker machines share: `mizan ingest --enqueue` records inputs,
// `mizan worker` processes claim them, `mizan queue` reports.
//
// An item moves pending → leased → done, or back to pending to be retried after a back-off,
// or to dead (with its last error) once it has failed MaxAttempts times or failed in a way no
// retry can fix. A claim takes due items under a lease: on PostgreSQL with SELECT ... FOR
// UPDATE SKIP LOCKED, so concurrent claimers never wait for each other nor take the same item;
// on SQLite in an IMMEDIATE transaction, which serialises claimers. A leased item whose lease
// ends (its worker was killed, lost the network, or is stuck) is due again and is claimed by
// another worker. Workers extend their leases with heartbeats.
//
// Effects are exactly once: a document's write is idempotent by content id (PutDocument stores
// the same bytes once), and the item is marked done in the same transaction as its document, so
// an item is never done without its document nor its document stored twice, however often the
// item is processed.
//
// Times are the workers' clocks, stored as fixed-width UTC text like every time in the store;
// leases of minutes tolerate the skew of NTP-synchronised machines.
package queue

import (
	"context"
	cryptorand "crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

// State is where an item is in its life.
type State string

// States.
const (
	Pending State = "pending" // waiting to be claimed (at once, or after a back-off)
	Leased  State = "leased"  // claimed by a worker until its lease ends
	Done    State = "done"    // processed: its document is stored (or it was one already)
	Dead    State = "dead"    // given up: LastError says why; `mizan queue retry --dead` revives it
)

// Kind is what an item holds.
type Kind string

// Kinds.
const (
	KindURL   Kind = "url"   // a URL that the worker fetches (a feed expands into more items)
	KindBytes Kind = "bytes" // the bytes of a local file or stdin, read at enqueue time
)

// Results of done items besides mizan.PutResult's.
const (
	// ResultExpanded is the result of a feed URL: its items were enqueued.
	ResultExpanded = "expanded"
)

// Item is one input in the queue.
type Item struct {
	ID          int64            `json:"id"`
	Kind        Kind             `json:"kind"`
	Source      string           `json:"source"`
	SourceKind  mizan.SourceKind `json:"source_kind"`
	Raw         []byte           `json:"-"`
	ContentType string           `json:"content_type,omitempty"`
	Feed        *mizan.FeedInfo  `json:"feed,omitempty"`
	// Fallback is a feed item's own content (an HTML page), stored when the feed carried enough
	// of the article to stand for it if its link cannot be fetched.
	Fallback  []byte    `json:"-"`
	State     State     `json:"state"`
	Attempts  int       `json:"attempts"`
	DueAt     time.Time `json:"due_at"`
	Worker    string    `json:"worker,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	DocID     string    `json:"doc,omitempty"`
	Result    string    `json:"result,omitempty"`
	Enqueued  time.Time `json:"enqueued_at"`
	Updated   time.Time `json:"updated_at"`
}

// key is what makes two enqueued items the same input.
func (it *Item) key() string {
	if it.Kind == KindURL {
		return "url:" + it.Source
	}
	return "doc:" + mizan.DocumentID(it.Raw)
}

// Queue is the work queue of one mizan database. It is safe for concurrent use.
type Queue struct {
	db *sqlstore.DB
	// Now is the clock (tests move it to expire leases).
	Now func() time.Time
}

// New returns the queue kept in db, whose migrations created its table.
func New(db *sqlstore.DB) *Queue { return &Queue{db: db, Now: time.Now} }

// DB is the store the queue lives in.
func (q *Queue) DB() *sqlstore.DB { return q.db }

func (q *Queue) now() time.Time { return q.Now().UTC() }

func (q *Queue) postgres() bool { return q.db.Dialect().Name() == "postgres" }

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (q *Queue) exec(ctx context.Context, e execer, query string, args ...any) (int64, error) {
	res, err := e.ExecContext(ctx, q.db.Dialect().Rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q *Queue) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := q.db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Enqueue adds items in one transaction and returns how many are new. An item already queued
// (the same URL, or the same bytes) is not added again; a dead one is revived as pending.
func (q *Queue) Enqueue(ctx context.Context, items ...Item) (int, error) {
	added := 0
	err := q.tx(ctx, func(tx *sql.Tx) error {
		n, err := q.enqueueTx(ctx, tx, items)
		added = n
		return err
	})
	return added, err
}

// EnqueueTx is Enqueue inside the caller's transaction: the feed watcher records items as seen
// and enqueues them together.
func (q *Queue) EnqueueTx(ctx context.Context, tx *sql.Tx, items ...Item) (int, error) {
	return q.enqueueTx(ctx, tx, items)
}

func (q *Queue) enqueueTx(ctx context.Context, tx *sql.Tx, items []Item) (int, error) {
	now := formatTime(q.now())
	added := 0
	for i := range items {
		it := &items[i]
		if it.Kind != KindURL && it.Kind != KindBytes {
			return added, mizan.Errorf(mizan.EINVALID, "queue item %s: unknown kind %q", it.Source, it.Kind)
		}
		if it.Kind == KindBytes && len(it.Raw) == 0 {
			return added, mizan.Errorf(mizan.EINVALID, "queue item %s: no bytes", it.Source)
		}
		var feed any
		if it.Feed != nil {
			b, err := json.Marshal(it.Feed)
			if err != nil {
				return added, err
			}
			feed = string(b)
		}
		var payload, fallback any
		if it.Raw != nil {
			payload = it.Raw
		}
		if it.Fallback != nil {
			fallback = it.Fallback
		}
		// A new row, or a dead one revived (attempts start again); a live or done row stays.
		n, err := q.exec(ctx, tx, `INSERT INTO queue(key, kind, source, source_kind, payload, content_type, feed, fallback,
			state, attempts, due_at, enqueued_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET state = 'pending', attempts = 0, due_at = excluded.due_at,
				updated_at = excluded.updated_at, last_error = ''
			WHERE queue.state = 'dead'`,
			it.key(), string(it.Kind), it.Source, string(it.SourceKind), payload, it.ContentType, feed, fallback, now, now, now)
		if err != nil {
			return added, fmt.Errorf("enqueue %s: %w", it.Source, err)
		}
		added += int(n)
	}
	return added, nil
}

// Lease is a claimed item: its holder processes it and settles it with Complete or Fail.
type Lease struct {
	Item
	Token string
}

// ClaimOptions say how a worker claims.
type ClaimOptions struct {
	// Worker names the claimer (host and process), for heartbeats and `mizan queue`.
	Worker string
	// Lease is how long an item stays the worker's without a heartbeat.
	Lease time.Duration
	// MaxAttempts is how many claims an item gets: one whose lease ended that many times (its
	// workers died or hung on it) is dead rather than claimed again.
	MaxAttempts int
}

const columns = `id, kind, source, source_kind, payload, content_type, feed, fallback, state, attempts, due_at,
	worker, last_error, doc_id, result, enqueued_at, updated_at`

// Claim leases up to n due items to o.Worker: pending items whose back-off is over, and leased
// items whose lease has ended, oldest due first.
func (q *Queue) Claim(ctx context.Context, n int, o ClaimOptions) ([]*Lease, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []*Lease
	err := q.tx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		now := q.now()
		lock := ""
		if q.postgres() {
			// Rows another claimer holds are skipped, not waited for: claims never queue behind
			// each other, which is what lets many workers share one table.
			lock = " FOR UPDATE SKIP LOCKED"
		}
		rows, err := tx.QueryContext(ctx, q.db.Dialect().Rebind(`SELECT `+columns+` FROM queue
			WHERE state IN ('pending', 'leased') AND due_at <= ? ORDER BY due_at, id LIMIT ?`+lock),
			formatTime(now), n)
		if err != nil {
			return err
		}
		items, err := scanItems(rows)
		if err != nil {
			return err
		}
		for _, it := range items {
			if it.State == Leased && it.Attempts >= o.MaxAttempts {
				msg := fmt.Sprintf("lease ended %d times without the item being settled (its workers were killed or hung on it)", it.Attempts)
				if it.LastError != "" {
					msg += "; last error: " + it.LastError
				}
				if _, err := q.exec(ctx, tx, `UPDATE queue SET state = 'dead', last_error = ?, worker = NULL, token = NULL, updated_at = ? WHERE id = ?`,
					msg, formatTime(now), it.ID); err != nil {
					return err
				}
				continue
			}
			l := &Lease{Item: *it, Token: newToken()}
			l.State, l.Attempts, l.Worker, l.DueAt = Leased, it.Attempts+1, o.Worker, now.Add(o.Lease)
			if _, err := q.exec(ctx, tx, `UPDATE queue SET state = 'leased', attempts = attempts + 1, worker = ?, token = ?,
				due_at = ?, claimed_at = ?, updated_at = ? WHERE id = ?`,
				o.Worker, l.Token, formatTime(l.DueAt), formatTime(now), formatTime(now), it.ID); err != nil {
				return err
			}
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	return out, nil
}

// Heartbeat extends the leases o.Worker holds, except those claimed more than maxHold ago: a
// worker stuck on one item lets it go to another worker (and, after MaxAttempts, to the dead
// letters) instead of holding it for ever. It returns how many leases were extended.
func (q *Queue) Heartbeat(ctx context.Context, o ClaimOptions, maxHold time.Duration) (int, error) {
	now := q.now()
	n, err := q.exec(ctx, q.db.SQL(), `UPDATE queue SET due_at = ? WHERE worker = ? AND state = 'leased' AND claimed_at > ?`,
		formatTime(now.Add(o.Lease)), o.Worker, formatTime(now.Add(-maxHold)))
	if err != nil {
		return 0, fmt.Errorf("heartbeat: %w", err)
	}
	return int(n), nil
}

// CompleteTx marks a leased item done inside tx: the transaction that stored its document. It
// does not check the lease: done is final and the document is stored, so even a worker whose
// lease was taken over may say so (the other worker will find the document already stored).
func (q *Queue) CompleteTx(ctx context.Context, tx *sql.Tx, id int64, docID, result string) error {
	_, err := q.exec(ctx, tx, `UPDATE queue SET state = 'done', doc_id = ?, result = ?, worker = NULL, token = NULL,
		last_error = '', updated_at = ? WHERE id = ? AND state <> 'done'`, nullIfEmpty(docID), result, formatTime(q.now()), id)
	return err
}

// Complete marks a leased item done on its own (its document was already stored).
func (q *Queue) Complete(ctx context.Context, id int64, docID, result string) error {
	return q.tx(ctx, func(tx *sql.Tx) error { return q.CompleteTx(ctx, tx, id, docID, result) })
}

// Expand marks a feed item done and enqueues the feed's items, in one transaction.
func (q *Queue) Expand(ctx context.Context, id int64, items []Item) (int, error) {
	added := 0
	err := q.tx(ctx, func(tx *sql.Tx) error {
		n, err := q.enqueueTx(ctx, tx, items)
		if err != nil {
			return err
		}
		added = n
		return q.CompleteTx(ctx, tx, id, "", ResultExpanded)
	})
	return added, err
}

// Backoff is the retry schedule: the n-th retry waits Base·2^(n-1), at most Max, scaled by a
// random factor in [1-Jitter, 1+Jitter] so that items failing together (a site down) do not
// come back together.
type Backoff struct {
	Base, Max time.Duration
	Jitter    float64
}

// DefaultBackoff waits 10s, 20s, 40s... up to 10 minutes, ±50%.
var DefaultBackoff = Backoff{Base: 10 * time.Second, Max: 10 * time.Minute, Jitter: 0.5}

// Delay is the wait before retry number attempt (1 for the first).
func (b Backoff) Delay(attempt int) time.Duration {
	d := b.Base
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	if b.Jitter > 0 {
		d = time.Duration(float64(d) * (1 - b.Jitter + 2*b.Jitter*rand.Float64()))
	}
	return d
}

// Permanent reports whether an error will come back however often the item is retried: the
// input itself is invalid, unsupported or too large. Those items go to the dead letters at once.
func Permanent(err error) bool {
	switch mizan.ErrorCode(err) {
	case mizan.EINVALID, mizan.EUNSUPPORTED, mizan.ETOOLARGE:
		return true
	}
	return false
}

// Fail settles a lease that failed: the item is retried after b's delay, or is dead when the
// error is Permanent or the item has had maxAttempts claims. It reports the new state. A lease
// that is no longer l's (it ended and another worker claimed the item) is left alone.
func (q *Queue) Fail(ctx context.Context, l *Lease, cause error, maxAttempts int, b Backoff) (State, error) {
	now := q.now()
	state, due := Pending, now.Add(b.Delay(l.Attempts))
	if Permanent(cause) || l.Attempts >= maxAttempts {
		state, due = Dead, now
	}
	msg := mizan.ErrorMessage(cause)
	if mizan.ErrorCode(cause) == mizan.EINTERNAL {
		msg = cause.Error() // an operator reads the queue: the details are what they need
	}
	_, err := q.exec(ctx, q.db.SQL(), `UPDATE queue SET state = ?, due_at = ?, last_error = ?, worker = NULL, token = NULL, updated_at = ?
		WHERE id = ? AND token = ? AND state = 'leased'`, string(state), formatTime(due), msg, formatTime(now), l.ID, l.Token)
	if err != nil {
		return "", fmt.Errorf("fail item %d: %w", l.ID, err)
	}
	return state, nil
}

// Release gives back the leases a worker still holds (it is shutting down): they are pending at
// once, and the claim they had does not count as an attempt.
func (q *Queue) Release(ctx context.Context, worker string) (int, error) {
	now := formatTime(q.now())
	n, err := q.exec(ctx, q.db.SQL(), `UPDATE queue SET state = 'pending', attempts = attempts - 1, due_at = ?, worker = NULL,
		token = NULL, updated_at = ? WHERE worker = ? AND state = 'leased'`, now, now, worker)
	return int(n), err
}

// Retry makes items due now: those waiting for a retry, and with dead also the dead ones (whose
// attempts start again). It returns how many.
func (q *Queue) Retry(ctx context.Context, dead bool) (int, error) {
	now := formatTime(q.now())
	n, err := q.exec(ctx, q.db.SQL(), `UPDATE queue SET due_at = ?, updated_at = ? WHERE state = 'pending' AND attempts > 0 AND due_at > ?`, now, now, now)
	if err != nil || !dead {
		return int(n), err
	}
	m, err := q.exec(ctx, q.db.SQL(), `UPDATE queue SET state = 'pending', attempts = 0, due_at = ?, updated_at = ? WHERE state = 'dead'`, now, now)
	return int(n + m), err
}

// Stats describe the queue.
type Stats struct {
	// Pending items are waiting: Due now, or Waiting for a retry after a failure.
	Pending int `json:"pending"`
	Due     int `json:"due"`
	Waiting int `json:"retry_waiting"`
	// InFlight items are leased; Expired ones have outlived their lease (their worker died) and
	// will be claimed again.
	InFlight int `json:"in_flight"`
	Expired  int `json:"expired_leases"`
	Done     int `json:"done"`
	Dead     int `json:"dead"`
	// Workers counts in-flight items by worker.
	Workers map[string]int `json:"workers"`
	// OldestDue is when the longest-waiting due item became due.
	OldestDue *time.Time `json:"oldest_due,omitempty"`
}

// Stats counts the items by state.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Workers: map[string]int{}}
	now := formatTime(q.now())
	rows, err := q.db.SQL().QueryContext(ctx, q.db.Dialect().Rebind(`SELECT state, due, worker, count(*), min(due_at)
		FROM (SELECT state, CASE WHEN due_at <= ? THEN 1 ELSE 0 END AS due, COALESCE(worker, '') AS worker, due_at FROM queue) s
		GROUP BY state, due, worker`), now)
	if err != nil {
		return st, fmt.Errorf("queue stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			state, worker, oldest string
			due, n                int
		)
		if err := rows.Scan(&state, &due, &worker, &n, &oldest); err != nil {
			return st, err
		}
		switch State(state) {
		case Pending:
			st.Pending += n
			if due == 1 {
				st.Due += n
				if t, err := parseTime(oldest); err == nil && (st.OldestDue == nil || t.Before(*st.OldestDue)) {
					st.OldestDue = &t
				}
			} else {
				st.Waiting += n
			}
		case Leased:
			st.InFlight += n
			st.Workers[worker] += n
			if due == 1 {
				st.Expired += n
			}
		case Done:
			st.Done += n
		case Dead:
			st.Dead += n
		}
	}
	return st, rows.Err()
}

// Filter selects items in a listing.
type Filter struct {
	States []State
	// Failed selects items that failed at least once (a last error is kept).
	Failed bool
	Limit  int
}

// List returns items without their bytes, most recently updated first.
func (q *Queue) List(ctx context.Context, f Filter) ([]*Item, error) {
	var where []string
	var args []any
	if len(f.States) > 0 {
		marks := make([]string, len(f.States))
		for i, s := range f.States {
			marks[i] = "?"
			args = append(args, string(s))
		}
		where = append(where, "state IN ("+strings.Join(marks, ",")+")")
	}
	if f.Failed {
		where = append(where, "last_error <> ''")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	lim := ""
	if f.Limit > 0 {
		lim = fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	cols := strings.NewReplacer("payload", "NULL", "fallback", "NULL").Replace(columns)
	rows, err := q.db.SQL().QueryContext(ctx, q.db.Dialect().Rebind(`SELECT `+cols+` FROM queue`+cond+` ORDER BY updated_at DESC, id DESC`+lim), args...)
	if err != nil {
		return nil, fmt.Errorf("list queue: %w", err)
	}
	return scanItems(rows)
}

func scanItems(rows *sql.Rows) ([]*Item, error) {
	defer rows.Close()
	var out []*Item
	for rows.Next() {
		var (
			it                      Item
			kind, skind, state, due string
			enq, upd                string
			feed, worker, doc       sql.NullString
			payload, fallback       []byte
		)
		if err := rows.Scan(&it.ID, &kind, &it.Source, &skind, &payload, &it.ContentType, &feed, &fallback, &state,
			&it.Attempts, &due, &worker, &it.LastError, &doc, &it.Result, &enq, &upd); err != nil {
			return nil, err
		}
		it.Kind, it.SourceKind, it.State = Kind(kind), mizan.SourceKind(skind), State(state)
		it.Raw, it.Fallback, it.Worker, it.DocID = payload, fallback, worker.String, doc.String
		if feed.Valid {
			it.Feed = new(mizan.FeedInfo)
			if err := json.Unmarshal([]byte(feed.String), it.Feed); err != nil {
				return nil, fmt.Errorf("queue item %d feed: %w", it.ID, err)
			}
		}
		var err error
		if it.DueAt, err = parseTime(due); err != nil {
			return nil, err
		}
		if it.Enqueued, err = parseTime(enq); err != nil {
			return nil, err
		}
		if it.Updated, err = parseTime(upd); err != nil {
			return nil, err
		}
		out = append(out, &it)
	}
	return out, rows.Err()
}

// timeLayout is the store's fixed-width UTC layout (internal/sqlstore), so times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func newToken() string {
	var b [12]byte
	cryptorand.Read(b[:]) // never fails on supported platforms
	return hex.EncodeToString(b[:])
}
