package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/resolve/namesim"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

var _ mizan.EntityStore = (*DB)(nil)

// kbCache holds the knowledge base a store implies: the embedded default with the store's
// imports replayed in order. It is built on first use and dropped when an import is added.
type kbCache struct {
	mu sync.Mutex
	kb *kb.KB
}

// KB returns the knowledge base of this store: kb.Default() with every import stored by
// AddKBImport replayed on top, in order. It is shared: Clone it before changing it.
func (s *DB) KB(ctx context.Context) (*kb.KB, error) { return s.knowledge(ctx, s.db) }

// knowledge is KB reading the imports through q, so that it works inside a transaction (an
// in-memory SQLite store has a single connection).
func (s *DB) knowledge(ctx context.Context, q querier) (*kb.KB, error) {
	s.kb.mu.Lock()
	defer s.kb.mu.Unlock()
	if s.kb.kb != nil {
		return s.kb.kb, nil
	}
	k, err := kb.Default()
	if err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	imps, err := s.kbImports(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, imp := range imps {
		if _, err := k.Import(bytes.NewReader(imp.Data), imp.Format, imp.Name); err != nil {
			return nil, fmt.Errorf("replay knowledge-base import %s: %w", imp.Name, err)
		}
	}
	s.kb.kb = k
	return k, nil
}

// AddKBImport implements mizan.KBImportStore. The entities already stored gain the names the
// import gives them, so lookups by name see the import at once.
func (s *DB) AddKBImport(ctx context.Context, imp mizan.KBImport) (mizan.KBImport, error) {
	if len(imp.Data) == 0 {
		return imp, mizan.Errorf(mizan.EINVALID, "knowledge-base import %s is empty", imp.Name)
	}
	imp.At = s.Now().UTC()
	if err := s.queryRow(ctx, s.db, `INSERT INTO kb_imports(name, format, data, at) VALUES (?, ?, ?, ?) RETURNING id`,
		imp.Name, imp.Format, imp.Data, formatTime(imp.At)).Scan(&imp.ID); err != nil {
		return imp, fmt.Errorf("store knowledge-base import: %w", err)
	}
	s.kb.mu.Lock()
	s.kb.kb = nil
	s.kb.mu.Unlock()
	k, err := s.KB(ctx)
	if err != nil {
		return imp, err
	}
	ids, err := s.storedIDs(ctx)
	if err != nil {
		return imp, err
	}
	return imp, s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if e, ok := k.Entity(id); ok {
				if err := s.addNames(ctx, tx, e.ID, e.Type, e.Names); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// KBImports implements mizan.KBImportStore.
func (s *DB) KBImports(ctx context.Context) ([]mizan.KBImport, error) { return s.kbImports(ctx, s.db) }

func (s *DB) kbImports(ctx context.Context, q querier) ([]mizan.KBImport, error) {
	rows, err := s.query(ctx, q, `SELECT id, name, format, data, at FROM kb_imports ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("knowledge-base imports: %w", err)
	}
	defer rows.Close()
	var out []mizan.KBImport
	for rows.Next() {
		var imp mizan.KBImport
		var at string
		if err := rows.Scan(&imp.ID, &imp.Name, &imp.Format, &imp.Data, &at); err != nil {
			return nil, err
		}
		if imp.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, imp)
	}
	return out, rows.Err()
}

func (s *DB) storedIDs(ctx context.Context) ([]string, error) {
	return s.strings(ctx, s.db, `SELECT id FROM entities`)
}

// writeEntities stores a document's mentions, the entities they refer to and the resolution log,
// inside the document's transaction, replacing what an earlier run stored for the document, and
// keeps the entities' counters exact.
//
// Users' corrections are applied here as well as in the resolver, so that a document written by a
// process that does not resolve (another worker, a test) still obeys them.
func (s *DB) writeEntities(ctx context.Context, tx *sql.Tx, d *mizan.Document, a *mizan.Analysis, replaced bool) error {
	old := map[string]int{}
	if replaced {
		rows, err := s.query(ctx, tx, `SELECT entity_id, mentions FROM entity_docs WHERE doc_id = ?`, d.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			old[id] = n
		}
		rows.Close()
		for _, t := range []string{"mentions", "entity_docs", "resolutions"} {
			if _, err := s.exec(ctx, tx, `DELETE FROM `+t+` WHERE doc_id = ?`, d.ID); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
	}
	if a == nil {
		a = &mizan.Analysis{}
	}
	corr, err := s.corrections(ctx, tx)
	if err != nil {
		return err
	}
	k, err := s.knowledge(ctx, tx)
	if err != nil {
		return err
	}
	now := formatTime(s.Now())

	// The entities the document introduces (and those the resolver linked them to).
	for _, e := range a.Entities {
		if e.ID == "" {
			continue
		}
		if e.Type == "" {
			return mizan.Errorf(mizan.EINVALID, "entity %s has no type", e.ID)
		}
		if mizan.Apply(corr, e.ID, "", "") == e.ID {
			// A knowledge-base entity (one the resolver linked a new spelling to) is stored with
			// all the knowledge base's names; a discovered one as the document gives it.
			if _, ok := k.Entity(e.ID); ok {
				if err := s.ensureEntity(ctx, tx, k, e.ID, e.Type, e.Name, now); err != nil {
					return err
				}
			} else if err := s.insertEntity(ctx, tx, &e, now); err != nil {
				return err
			}
		}
		// Each name goes to the entity corrections send it to: a merged entity's names to the
		// entity it was merged into, a split name where the split sent it.
		byTarget := map[string][]mizan.Name{}
		for _, n := range allNames(&e) {
			key := textnorm.Key(n.Text)
			t := mizan.Apply(corr, e.ID, key, key)
			byTarget[t] = append(byTarget[t], n)
		}
		for t, ns := range byTarget {
			if t != e.ID {
				for i := range ns {
					if ns[i].Kind == mizan.NameCanonical {
						ns[i].Kind = mizan.NameAlias
					}
				}
			}
			if err := s.ensureEntity(ctx, tx, k, t, e.Type, ns[0].Text, now); err != nil {
				return err
			}
			if err := s.addNames(ctx, tx, t, e.Type, ns); err != nil {
				return err
			}
		}
	}

	// Mentions, with corrections applied and their entities made sure to exist.
	seen := formatTime(d.IngestedAt)
	if d.Published != nil {
		seen = formatTime(*d.Published)
	}
	counts := map[string]int{}
	ensured := map[string]string{} // entity id → the id it ends at
	const cols = 16
	batch := make([]any, 0, 64*cols)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n := len(batch) / cols
		q := `INSERT INTO mentions(doc_id, start_char, end_char, sent_start, sent_end, text, type, entity_id, method,
			form, role, confidence, rule, canonical, text_key, canonical_key) VALUES ` +
			strings.TrimSuffix(strings.Repeat("("+marks(cols)+"),", n), ",")
		if _, err := s.exec(ctx, tx, q, batch...); err != nil {
			return fmt.Errorf("insert mentions: %w", err)
		}
		batch = batch[:0]
		return nil
	}
	n := d.Chars()
	for i := range a.Mentions {
		m := a.Mentions[i] // a copy: the caller's analysis stays as it was given
		if m.Span.Start < 0 || m.Span.End > n || m.Span.Start >= m.Span.End {
			return mizan.Errorf(mizan.EINVALID, "document %s: mention span %d-%d outside text of %d characters", d.ID, m.Span.Start, m.Span.End, n)
		}
		m.Doc = d.ID
		if m.Text == "" {
			m.Text = d.Slice(m.Span)
		}
		tk, ck := textnorm.Key(m.Text), textnorm.Key(m.Canonical)
		if m.EntityID != "" {
			m.EntityID = mizan.Apply(corr, m.EntityID, tk, ck)
			final, ok := ensured[m.EntityID]
			if !ok {
				name := m.Canonical
				if name == "" {
					name = m.Text
				}
				if err := s.ensureEntity(ctx, tx, k, m.EntityID, m.Type, name, now); err != nil {
					return err
				}
				// An entity the resolver linked away (mizan resolve) stands for the one it joined.
				if final, err = s.followMergesQ(ctx, tx, m.EntityID); err != nil {
					return err
				}
				ensured[m.EntityID] = final
			}
			m.EntityID = final
			if m.Role != mizan.RoleBoiler {
				counts[m.EntityID]++
			}
		}
		var ss, se any
		if sp, ok := d.SentenceAt(m.Span.Start); ok {
			ss, se = sp.Start, sp.End
		}
		batch = append(batch, d.ID, m.Span.Start, m.Span.End, ss, se, m.Text, string(m.Type), nullable(m.EntityID),
			string(m.Method), string(m.Form), string(m.Role), m.Confidence, m.Rule, m.Canonical, tk, ck)
		if len(batch) >= cap(batch) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}

	// Per-entity counts of this document, and the entities' counters.
	ids := make([]string, 0, len(counts)+len(old))
	for id, c := range counts {
		if _, err := s.exec(ctx, tx, `INSERT INTO entity_docs(entity_id, doc_id, mentions, seen) VALUES (?, ?, ?, ?)`, id, d.ID, c, seen); err != nil {
			return fmt.Errorf("entity documents: %w", err)
		}
		ids = append(ids, id)
	}
	for id := range old {
		if _, ok := counts[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids) // one lock order for every writer (PostgreSQL row locks)
	for _, id := range ids {
		dm, dd := counts[id]-old[id], 0
		if counts[id] > 0 && old[id] == 0 {
			dd = 1
		} else if counts[id] == 0 && old[id] > 0 {
			dd = -1
		}
		q, args := `UPDATE entities SET mentions = mentions + ?, docs = docs + ?,
			first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? ELSE first_seen END,
			last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END WHERE id = ?`,
			[]any{dm, dd, seen, seen, seen, seen, id}
		if old[id] > 0 {
			// The document was there before: its date may have changed or it may have left,
			// so the dates are read again (an indexed min and max).
			q, args = `UPDATE entities SET mentions = mentions + ?, docs = docs + ?,
				first_seen = (SELECT min(seen) FROM entity_docs WHERE entity_id = ?),
				last_seen = (SELECT max(seen) FROM entity_docs WHERE entity_id = ?) WHERE id = ?`, []any{dm, dd, id, id, id}
		}
		// A new document only widens the dates, which concurrent writers can do in any order
		// (a subquery would not see another transaction's rows under READ COMMITTED).
		if _, err := s.exec(ctx, tx, q, args...); err != nil {
			return fmt.Errorf("entity counters: %w", err)
		}
	}

	for _, r := range a.Resolutions {
		if _, err := s.exec(ctx, tx, `INSERT INTO resolutions(doc_id, name, from_id, into_id, rule, score, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.ID, r.Name, r.From, r.Into, r.Rule, r.Score, now); err != nil {
			return fmt.Errorf("resolution log: %w", err)
		}
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// putEntity upserts an entity with its names. An entity already stored keeps its name, type and
// attributes (the first writer's, so concurrent workers agree) and gains the names.
func (s *DB) putEntity(ctx context.Context, tx *sql.Tx, e *mizan.Entity, now string) error {
	if err := s.insertEntity(ctx, tx, e, now); err != nil {
		return err
	}
	return s.addNames(ctx, tx, e.ID, e.Type, allNames(e))
}

// allNames returns an entity's names with its canonical name first, unless a name of the list
// already spells it.
func allNames(e *mizan.Entity) []mizan.Name {
	for _, n := range e.Names {
		if n.Text == e.Name {
			return e.Names
		}
	}
	if e.Name == "" {
		return e.Names
	}
	return append([]mizan.Name{{Text: e.Name, Kind: mizan.NameCanonical}}, e.Names...)
}

// insertEntity inserts an entity's row unless its id is stored.
func (s *DB) insertEntity(ctx context.Context, tx *sql.Tx, e *mizan.Entity, now string) error {
	if e.Type == "" {
		return mizan.Errorf(mizan.EINVALID, "entity %s has no type", e.ID)
	}
	name := e.Name
	if name == "" && len(e.Names) > 0 {
		name = e.Names[0].Text
	}
	attrs, err := json.Marshal(nonNilMap(e.Attrs))
	if err != nil {
		return err
	}
	src := e.Source
	if src == "" {
		src = "discovered"
	}
	if _, err := s.exec(ctx, tx, `INSERT INTO entities(id, name, type, attrs, source, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO NOTHING`, e.ID, name, string(e.Type), string(attrs), src, now); err != nil {
		return fmt.Errorf("store entity %s: %w", e.ID, err)
	}
	return nil
}

// ensureEntity makes sure an entity row exists for id: from the knowledge base when it knows
// the id (with all its names), else a row named after the mention.
func (s *DB) ensureEntity(ctx context.Context, tx *sql.Tx, k *kb.KB, id string, t mizan.EntityType, name, now string) error {
	var one int
	err := s.queryRow(ctx, tx, `SELECT 1 FROM entities WHERE id = ?`, id).Scan(&one)
	if err == nil {
		return nil
	}
	if !isNoRows(err) {
		return err
	}
	if e, ok := k.Entity(id); ok {
		return s.putEntity(ctx, tx, e, now)
	}
	if t == "" {
		t = mizan.MISC
	}
	return s.putEntity(ctx, tx, &mizan.Entity{ID: id, Name: name, Type: t, Source: "mention"}, now)
}

// addNames adds names to an entity, with their blocking keys (demonyms and capitals get none:
// they name a state by way of something else, and no discovered name should be matched to them).
func (s *DB) addNames(ctx context.Context, tx *sql.Tx, id string, t mizan.EntityType, names []mizan.Name) error {
	for _, n := range names {
		key := textnorm.Key(n.Text)
		if key == "" {
			continue
		}
		res, err := s.exec(ctx, tx, `INSERT INTO entity_names(entity_id, name, lang, kind, key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			id, n.Text, n.Lang, string(n.Kind), key)
		if err != nil {
			return fmt.Errorf("store names of %s: %w", id, err)
		}
		if added, _ := res.RowsAffected(); added == 0 || n.Kind == mizan.NameDemonym || n.Kind == mizan.NameCapital {
			continue
		}
		for _, bk := range namesim.Keys(n.Text, t) {
			if _, err := s.exec(ctx, tx, `INSERT INTO entity_keys(key, entity_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, bk, id); err != nil {
				return fmt.Errorf("store blocking keys of %s: %w", id, err)
			}
		}
	}
	return nil
}

// rekey rebuilds an entity's blocking keys from its names (after a name left it).
func (s *DB) rekey(ctx context.Context, tx *sql.Tx, id string) error {
	var t string
	if err := s.queryRow(ctx, tx, `SELECT type FROM entities WHERE id = ?`, id).Scan(&t); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, `DELETE FROM entity_keys WHERE entity_id = ?`, id); err != nil {
		return err
	}
	names, err := s.namesOf(ctx, tx, []string{id})
	if err != nil {
		return err
	}
	for _, n := range names[id] {
		if n.Kind == mizan.NameDemonym || n.Kind == mizan.NameCapital {
			continue
		}
		for _, bk := range namesim.Keys(n.Text, mizan.EntityType(t)) {
			if _, err := s.exec(ctx, tx, `INSERT INTO entity_keys(key, entity_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, bk, id); err != nil {
				return err
			}
		}
	}
	return nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// Mentions implements mizan.EntityReader.
func (s *DB) Mentions(ctx context.Context, docID string) ([]mizan.Mention, error) {
	id, err := s.ResolveID(ctx, docID)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, s.db, `SELECT id, doc_id, start_char, end_char, text, type, entity_id, method, form, role,
		confidence, rule, canonical FROM mentions WHERE doc_id = ? ORDER BY start_char, end_char`, id)
	if err != nil {
		return nil, fmt.Errorf("mentions of %s: %w", id, err)
	}
	defer rows.Close()
	out := []mizan.Mention{}
	for rows.Next() {
		var m mizan.Mention
		var typ, method, form, role string
		var ent sql.NullString
		if err := rows.Scan(&m.ID, &m.Doc, &m.Span.Start, &m.Span.End, &m.Text, &typ, &ent, &method, &form, &role,
			&m.Confidence, &m.Rule, &m.Canonical); err != nil {
			return nil, err
		}
		m.Type, m.EntityID, m.Method, m.Form, m.Role = mizan.EntityType(typ), ent.String, mizan.MentionMethod(method), mizan.MentionForm(form), mizan.MentionRole(role)
		out = append(out, m)
	}
	return out, rows.Err()
}

const entityColumns = `id, name, type, attrs, source, mentions, docs, first_seen, last_seen`

func scanSummary(sc scanner) (mizan.EntitySummary, error) {
	var e mizan.EntitySummary
	var typ, attrs string
	var first, last sql.NullString
	if err := sc.Scan(&e.ID, &e.Name, &typ, &attrs, &e.Source, &e.Mentions, &e.Docs, &first, &last); err != nil {
		return e, err
	}
	e.Type = mizan.EntityType(typ)
	if err := json.Unmarshal([]byte(attrs), &e.Attrs); err != nil {
		return e, fmt.Errorf("entity %s attributes: %w", e.ID, err)
	}
	if len(e.Attrs) == 0 {
		e.Attrs = nil
	}
	var err error
	if e.FirstSeen, err = parseTimePtr(first); err != nil {
		return e, err
	}
	e.LastSeen, err = parseTimePtr(last)
	return e, err
}

// Entities implements mizan.EntityReader.
func (s *DB) Entities(ctx context.Context, f mizan.EntityFilter) ([]mizan.EntitySummary, int, error) {
	where := []string{"merged_into IS NULL", "mentions > 0"}
	var args []any
	if f.Type != "" {
		where, args = append(where, "type = ?"), append(args, strings.ToUpper(string(f.Type)))
	}
	if q := textnorm.Key(f.Query); q != "" {
		// Keys hold letters, digits and spaces only, so the query needs no LIKE escaping.
		where = append(where, "id IN (SELECT entity_id FROM entity_names WHERE key LIKE ?)")
		args = append(args, "%"+q+"%")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, s.db, `SELECT count(*) FROM entities`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count entities: %w", err)
	}
	rows, err := s.query(ctx, s.db, `SELECT `+entityColumns+` FROM entities`+cond+` ORDER BY mentions DESC, id`+s.d.Limit(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list entities: %w", err)
	}
	defer rows.Close()
	out := []mizan.EntitySummary{}
	var ids []string
	for rows.Next() {
		e, err := scanSummary(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
		ids = append(ids, e.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	names, err := s.namesOf(ctx, s.db, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		setNames(&out[i], names[out[i].ID])
	}
	return out, total, nil
}

// setNames fills an entity's names (canonical first) and its aliases (the distinct other texts).
func setNames(e *mizan.EntitySummary, names []mizan.Name) {
	e.Names = names
	e.Aliases = []string{}
	seen := map[string]bool{e.Name: true}
	for _, n := range names {
		if !seen[n.Text] {
			seen[n.Text] = true
			e.Aliases = append(e.Aliases, n.Text)
		}
	}
}

// namesOf loads the names of entities, canonical names first, then by language and text.
func (s *DB) namesOf(ctx context.Context, q querier, ids []string) (map[string][]mizan.Name, error) {
	out := map[string][]mizan.Name{}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		rows, err := s.query(ctx, q, `SELECT entity_id, name, lang, kind FROM entity_names WHERE entity_id IN (`+marks(len(chunk))+`)
			ORDER BY entity_id, CASE kind WHEN 'canonical' THEN 0 WHEN 'alias' THEN 1 WHEN 'abbrev' THEN 2 ELSE 3 END, lang, name`, anys(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("entity names: %w", err)
		}
		for rows.Next() {
			var id string
			var n mizan.Name
			var kind string
			if err := rows.Scan(&id, &n.Text, &n.Lang, &kind); err != nil {
				rows.Close()
				return nil, err
			}
			n.Kind = mizan.NameKind(kind)
			out[id] = append(out[id], n)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, err
		}
		rows.Close()
	}
	return out, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// StoredEntities implements mizan.CandidateSource.
func (s *DB) StoredEntities(ctx context.Context, ids []string) ([]mizan.Entity, error) {
	return s.loadEntities(ctx, s.db, ids)
}

// loadEntities returns the stored, not merged entities among ids, with their names, ordered by id.
func (s *DB) loadEntities(ctx context.Context, q querier, ids []string) ([]mizan.Entity, error) {
	var out []mizan.Entity
	var found []string
	for rest := ids; len(rest) > 0; {
		chunk := rest[:min(len(rest), 500)]
		rest = rest[len(chunk):]
		rows, err := s.query(ctx, q, `SELECT `+entityColumns+` FROM entities WHERE merged_into IS NULL AND id IN (`+marks(len(chunk))+`)`, anys(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("load entities: %w", err)
		}
		for rows.Next() {
			e, err := scanSummary(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, e.Entity)
			found = append(found, e.ID)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, err
		}
		rows.Close()
	}
	names, err := s.namesOf(ctx, q, found)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Names = names[out[i].ID]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Candidates implements mizan.CandidateSource.
func (s *DB) Candidates(ctx context.Context, keys []string, limit int) ([]mizan.Entity, error) {
	if limit <= 0 {
		limit = 100
	}
	seen := map[string]bool{}
	var ids []string
	for _, k := range keys {
		hits, err := s.strings(ctx, s.db, `SELECT entity_id FROM entity_keys WHERE key = ?`+s.d.Limit(0, limit+1), k)
		if err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		if len(hits) > limit {
			continue // a key this common (a frequent given name) does not discriminate: skip it
		}
		for _, id := range hits {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return s.loadEntities(ctx, s.db, ids)
}

// CoMentioned implements mizan.CandidateSource.
func (s *DB) CoMentioned(ctx context.Context, id string, limit int) ([]string, error) {
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.query(ctx, s.db, `SELECT entity_id, count(*) FROM entity_docs
		WHERE doc_id IN (SELECT doc_id FROM entity_docs WHERE entity_id = ? ORDER BY seen DESC`+s.d.Limit(0, 50)+`)
		AND entity_id != ? GROUP BY entity_id ORDER BY count(*) DESC, entity_id`+s.d.Limit(0, limit), id, id)
	if err != nil {
		return nil, fmt.Errorf("co-mentioned entities: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		var n int
		if err := rows.Scan(&e, &n); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Corrections implements mizan.Corrector.
func (s *DB) Corrections(ctx context.Context) ([]mizan.Correction, error) {
	return s.corrections(ctx, s.db)
}

func (s *DB) corrections(ctx context.Context, q querier) ([]mizan.Correction, error) {
	rows, err := s.query(ctx, q, `SELECT id, kind, entity_id, into_id, name, name_key, at FROM corrections ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	defer rows.Close()
	var out []mizan.Correction
	for rows.Next() {
		var c mizan.Correction
		var kind, at string
		if err := rows.Scan(&c.ID, &kind, &c.Entity, &c.Into, &c.Name, &c.NameKey, &at); err != nil {
			return nil, err
		}
		c.Kind = mizan.CorrectionKind(kind)
		if c.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
