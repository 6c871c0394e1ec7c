package watch

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/sqlstore"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// Alert kinds.
const (
	// NewRelation: the first event ever stored between two actors, one of them watched.
	NewRelation = "new_relation"
	// NewEventType: a type of event not seen before between two actors who had a relation.
	NewEventType = "new_event_type"
	// NewActor: an actor never seen in any event before, now in one with a watched entity.
	NewActor = "new_actor"
)

// Alert is something new about watched entities, with the evidence for it.
type Alert struct {
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`
	// Actors are the two actors of a relation or event type, or the new actor.
	Actors    []mizan.Actor   `json:"actors"`
	Watched   []string        `json:"watched"` // the watched entities the alert is about
	EventType mizan.EventType `json:"event_type"`
	Mode      mizan.Mode      `json:"mode"`
	Event     string          `json:"event"`
	Doc       string          `json:"doc"`
	Sentence  string          `json:"sentence"`
	Date      mizan.TimeExpr  `json:"date"`
	Message   string          `json:"message"`
}

// EventLog is where the alerting reads stored events: those of documents stored after a cursor
// (a position in the store's order), in that order.
type EventLog interface {
	// EventsAfter returns at most limit events after cursor and the cursor of the last one
	// (cursor itself when there are none).
	EventsAfter(ctx context.Context, cursor int64, limit int) ([]mizan.Event, int64, error)
}

// Memory is what the alerting has seen, kept between runs.
type Memory interface {
	// Remember records keys and reports, for each, whether it was new.
	Remember(ctx context.Context, keys []string) ([]bool, error)
	// Cursor returns a named cursor (ok false when never set).
	Cursor(ctx context.Context, name string) (v int64, ok bool, err error)
	// SetCursor saves a named cursor.
	SetCursor(ctx context.Context, name string, v int64) error
}

// Alerter turns newly stored events into alerts about watched entities.
type Alerter struct {
	Events EventLog
	Memory Memory
	// Watched are entity ids ("gpe/dz") or names ("Algeria", "الجزائر"), matched against an
	// actor's id, or its name by normalised key.
	Watched []string
	// Notify receives every alert; a delivery error is returned by Check after all alerts
	// were offered.
	Notify Notifier
	Now    func() time.Time
	// Batch is how many events one read takes. Default 500.
	Batch int
}

const cursorName = "alerts"

func (a *Alerter) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// Check reads the events stored since the last check and notifies the alerts they raise. The
// first check of a database only learns what is there: alerting on a whole existing corpus
// would bury what is actually new.
func (a *Alerter) Check(ctx context.Context) ([]Alert, error) {
	cursor, ok, err := a.Memory.Cursor(ctx, cursorName)
	if err != nil {
		return nil, err
	}
	prime := !ok
	batch := a.Batch
	if batch <= 0 {
		batch = 500
	}
	var all []Alert
	var notifyErr error
	for {
		events, next, err := a.Events.EventsAfter(ctx, cursor, batch)
		if err != nil {
			return all, fmt.Errorf("read events: %w", err)
		}
		for _, ev := range events {
			alerts, err := a.Observe(ctx, ev)
			if err != nil {
				return all, err
			}
			if prime {
				continue
			}
			for _, al := range alerts {
				if a.Notify != nil {
					if err := a.Notify.Notify(ctx, al); err != nil && notifyErr == nil {
						notifyErr = err
					}
				}
			}
			all = append(all, alerts...)
		}
		if next == cursor {
			break
		}
		if err := a.Memory.SetCursor(ctx, cursorName, next); err != nil {
			return all, err
		}
		cursor = next
		if len(events) < batch {
			break
		}
	}
	if prime {
		if err := a.Memory.SetCursor(ctx, cursorName, cursor); err != nil {
			return nil, err
		}
	}
	return all, notifyErr
}

// Observe remembers what one event shows (its actors, pairs of actors and event types between
// them) and returns the alerts it raises for the watched entities.
func (a *Alerter) Observe(ctx context.Context, ev mizan.Event) ([]Alert, error) {
	actors := eventActors(ev)
	if len(actors) == 0 {
		return nil, nil
	}
	var keys []string
	for _, x := range actors {
		keys = append(keys, "actor:"+x.Entity)
	}
	type pair struct{ x, y mizan.Actor }
	var pairs []pair
	for i := range actors {
		for j := i + 1; j < len(actors); j++ {
			p := pair{actors[i], actors[j]}
			pairs = append(pairs, p)
			k := p.x.Entity + "|" + p.y.Entity
			keys = append(keys, "pair:"+k, "type:"+k+"|"+string(ev.Type))
		}
	}
	fresh, err := a.Memory.Remember(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("remember: %w", err)
	}
	isNew := map[string]bool{}
	for i, k := range keys {
		isNew[k] = fresh[i]
	}
	watched := map[string]bool{}
	var inEvent []string
	for _, x := range actors {
		if a.watches(x) {
			watched[x.Entity] = true
			inEvent = append(inEvent, x.Entity)
		}
	}
	if len(inEvent) == 0 {
		return nil, nil
	}
	base := Alert{At: a.now(), EventType: ev.Type, Mode: ev.Mode, Event: ev.ID, Doc: ev.Doc, Sentence: ev.Text, Date: ev.Time}
	var out []Alert
	for _, x := range actors {
		if isNew["actor:"+x.Entity] && !watched[x.Entity] {
			al := base
			al.Kind, al.Actors, al.Watched = NewActor, []mizan.Actor{x}, inEvent
			al.Message = fmt.Sprintf("new actor %s in a %s event with %s", name(x), ev.Type, strings.Join(inEvent, ", "))
			out = append(out, al)
		}
	}
	for _, p := range pairs {
		if !watched[p.x.Entity] && !watched[p.y.Entity] {
			continue
		}
		k := p.x.Entity + "|" + p.y.Entity
		al := base
		al.Actors = []mizan.Actor{p.x, p.y}
		for _, w := range []string{p.x.Entity, p.y.Entity} {
			if watched[w] {
				al.Watched = append(al.Watched, w)
			}
		}
		switch {
		case isNew["pair:"+k]:
			al.Kind = NewRelation
			al.Message = fmt.Sprintf("first event between %s and %s: %s", name(p.x), name(p.y), ev.Type)
		case isNew["type:"+k+"|"+string(ev.Type)]:
			al.Kind = NewEventType
			al.Message = fmt.Sprintf("first %s event between %s and %s", ev.Type, name(p.x), name(p.y))
		default:
			continue
		}
		out = append(out, al)
	}
	return out, nil
}

func name(x mizan.Actor) string {
	if x.Name != "" {
		return x.Name
	}
	return x.Entity
}

// eventActors are an event's sources, targets and participants that are linked to an entity,
// each once, ordered by id (so a pair has one key whichever side each actor was on).
func eventActors(ev mizan.Event) []mizan.Actor {
	seen := map[string]bool{}
	var out []mizan.Actor
	for _, group := range [][]mizan.Actor{ev.Source, ev.Target, ev.Participants} {
		for _, x := range group {
			if x.Entity == "" || seen[x.Entity] {
				continue
			}
			seen[x.Entity] = true
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Entity < out[j].Entity })
	return out
}

func (a *Alerter) watches(x mizan.Actor) bool {
	for _, w := range a.Watched {
		if w == x.Entity || textnorm.Key(w) != "" && textnorm.Key(w) == textnorm.Key(x.Name) {
			return true
		}
	}
	return false
}

// SQLMemory is the alerting's Memory in the corpus database (tables watch_seen, watch_cursors).
type SQLMemory struct {
	DB  *sqlstore.DB
	Now func() time.Time
}

var _ Memory = SQLMemory{}

// Remember implements Memory in one transaction.
func (m SQLMemory) Remember(ctx context.Context, keys []string) ([]bool, error) {
	now := time.Now()
	if m.Now != nil {
		now = m.Now()
	}
	fresh := make([]bool, len(keys))
	tx, err := m.DB.SQL().BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := m.DB.Dialect().Rebind(`INSERT INTO watch_seen(key, first_at) VALUES (?, ?) ON CONFLICT DO NOTHING`)
	for i, k := range keys {
		res, err := tx.ExecContext(ctx, q, k, formatTime(now))
		if err != nil {
			return nil, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, err
		}
		fresh[i] = n > 0
	}
	return fresh, tx.Commit()
}

// Cursor implements Memory.
func (m SQLMemory) Cursor(ctx context.Context, name string) (int64, bool, error) {
	var v int64
	err := m.DB.SQL().QueryRowContext(ctx, m.DB.Dialect().Rebind(`SELECT value FROM watch_cursors WHERE name = ?`), name).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	return v, err == nil, err
}

// SetCursor implements Memory.
func (m SQLMemory) SetCursor(ctx context.Context, name string, v int64) error {
	_, err := m.DB.SQL().ExecContext(ctx, m.DB.Dialect().Rebind(`INSERT INTO watch_cursors(name, value) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET value = excluded.value`), name, v)
	return err
}
