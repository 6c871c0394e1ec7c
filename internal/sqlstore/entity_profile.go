package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/resolve/namesim"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// fuzzyLookup is the similarity a name typed by a user needs to find an entity it does not spell
// exactly ("Chanegriha" for a stored "Chengriha").
const fuzzyLookup = 0.85

// findEntity turns a reference (an id or a name) into the id of a stored or knowledge-base
// entity, following merges. See mizan.EntityReader.Entity for the order of the rules.
func (s *DB) findEntity(ctx context.Context, k *kb.KB, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", mizan.Errorf(mizan.EINVALID, "no entity given")
	}
	if id, ok, err := s.followMerges(ctx, ref); err != nil || ok {
		return id, err
	}
	if _, ok := k.Entity(ref); ok {
		return ref, nil
	}
	key := textnorm.Key(ref)
	if key == "" {
		return "", mizan.Errorf(mizan.ENOTFOUND, "no entity %q", ref)
	}
	// Stored names: the most direct kind of name wins (a city named "Algiers" before the state
	// whose capital it is), then the entity with most mentions when only one has any.
	rows, err := s.query(ctx, s.db, `SELECT n.entity_id, n.kind, e.mentions FROM entity_names n JOIN entities e ON e.id = n.entity_id
		WHERE n.key = ? AND e.merged_into IS NULL`, key)
	if err != nil {
		return "", fmt.Errorf("find entity: %w", err)
	}
	type hit struct {
		id       string
		rank     int
		mentions int
	}
	best := map[string]hit{}
	for rows.Next() {
		var h hit
		var kind string
		if err := rows.Scan(&h.id, &kind, &h.mentions); err != nil {
			rows.Close()
			return "", err
		}
		h.rank = kindRank(mizan.NameKind(kind))
		if o, ok := best[h.id]; !ok || h.rank < o.rank {
			best[h.id] = h
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(best) > 0 {
		hits := make([]hit, 0, len(best))
		for _, h := range best {
			hits = append(hits, h)
		}
		sort.Slice(hits, func(i, j int) bool {
			a, b := hits[i], hits[j]
			if a.rank != b.rank {
				return a.rank < b.rank
			}
			if a.mentions != b.mentions {
				return a.mentions > b.mentions
			}
			return a.id < b.id
		})
		var tied []string
		for _, h := range hits {
			if h.rank == hits[0].rank {
				tied = append(tied, h.id)
			}
		}
		if len(tied) == 1 || hits[1].rank == hits[0].rank && hits[1].mentions == 0 && hits[0].mentions > 0 {
			return hits[0].id, nil
		}
		return "", mizan.Errorf(mizan.ECONFLICT, "%q names several entities (%s): give an id", ref, strings.Join(tied, ", "))
	}
	if es := k.Lookup(ref); len(es) > 0 {
		return s.final(ctx, es[0].ID)
	}
	return s.fuzzyFind(ctx, k, ref)
}

// followMergesQ returns the entity id ends at once merges are followed (id itself when it is
// not stored), reading through q.
func (s *DB) followMergesQ(ctx context.Context, q querier, id string) (string, error) {
	for range 32 {
		var into sql.NullString
		err := s.queryRow(ctx, q, `SELECT merged_into FROM entities WHERE id = ?`, id).Scan(&into)
		if isNoRows(err) || err == nil && !into.Valid {
			return id, nil
		}
		if err != nil {
			return "", err
		}
		id = into.String
	}
	return "", fmt.Errorf("entity %s: merge chain too long", id)
}

// followMerges returns the entity a stored id ends at once merges are followed.
func (s *DB) followMerges(ctx context.Context, id string) (string, bool, error) {
	for range 32 {
		var into sql.NullString
		err := s.queryRow(ctx, s.db, `SELECT merged_into FROM entities WHERE id = ?`, id).Scan(&into)
		if isNoRows(err) {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		if !into.Valid {
			return id, true, nil
		}
		id = into.String
	}
	return "", false, fmt.Errorf("entity %s: merge chain too long", id)
}

// final follows merges from a knowledge-base id that may be stored.
func (s *DB) final(ctx context.Context, id string) (string, error) {
	if f, ok, err := s.followMerges(ctx, id); err != nil || ok {
		return f, err
	}
	return id, nil
}

func kindRank(k mizan.NameKind) int {
	switch k {
	case mizan.NameCanonical, mizan.NameAlias, mizan.NameAbbrev, "":
		return 0
	case mizan.NameDemonym:
		return 1
	}
	return 2
}

// fuzzyFind compares a name with the stored names that share a blocking key with it and with the
// knowledge base's, and returns the clear winner.
func (s *DB) fuzzyFind(ctx context.Context, k *kb.KB, ref string) (string, error) {
	q := namesim.Parse(ref)
	var keys []string
	for _, t := range []mizan.EntityType{mizan.PERSON, mizan.ORG, mizan.GPE, mizan.MISC} {
		keys = append(keys, q.Keys(t)...)
	}
	cands, err := s.Candidates(ctx, keys, 200)
	if err != nil {
		return "", err
	}
	scores := map[string]float64{}
	for _, e := range cands {
		for _, n := range e.Names {
			if n.Kind == mizan.NameDemonym || n.Kind == mizan.NameCapital {
				continue
			}
			if m := namesim.Compare(q, namesim.Parse(n.Text)); m.Score > scores[e.ID] {
				scores[e.ID] = m.Score
			}
		}
	}
	best, second := "", 0.0
	for id, sc := range scores {
		if best == "" || sc > scores[best] || sc == scores[best] && id < best {
			if best != "" {
				second = max(second, scores[best])
			}
			best = id
		} else {
			second = max(second, sc)
		}
	}
	switch {
	case best == "" || scores[best] < fuzzyLookup:
		return "", mizan.Errorf(mizan.ENOTFOUND, "no entity %q", ref)
	case second >= scores[best]-0.02:
		return "", mizan.Errorf(mizan.ECONFLICT, "%q is close to several entities: give an id", ref)
	}
	return best, nil
}

// Entity implements mizan.EntityReader.
func (s *DB) Entity(ctx context.Context, ref string, o mizan.ProfileOptions) (*mizan.EntityProfile, error) {
	k, err := s.KB(ctx)
	if err != nil {
		return nil, err
	}
	id, err := s.findEntity(ctx, k, ref)
	if err != nil {
		return nil, err
	}
	if o.Documents <= 0 {
		o.Documents = 50
	}
	if o.Sentences <= 0 {
		o.Sentences = 50
	}
	p := &mizan.EntityProfile{Documents: []mizan.EntityDocument{}, Sentences: []mizan.EntitySentence{}}
	sum, err := scanSummary(s.queryRow(ctx, s.db, `SELECT `+entityColumns+` FROM entities WHERE id = ?`, id))
	switch {
	case isNoRows(err):
		e, ok := k.Entity(id)
		if !ok {
			return nil, mizan.Errorf(mizan.ENOTFOUND, "no entity %q", ref)
		}
		p.Entity = *e
		p.Entity.Names = append([]mizan.Name(nil), e.Names...)
		setNames(&p.EntitySummary, p.Entity.Names)
	case err != nil:
		return nil, fmt.Errorf("entity %s: %w", id, err)
	default:
		p.EntitySummary = sum
		names, err := s.namesOf(ctx, s.db, []string{id})
		if err != nil {
			return nil, err
		}
		setNames(&p.EntitySummary, names[id])
	}
	if p.Type == mizan.PERSON {
		p.Offices = k.OfficesOf(id)
	} else {
		p.Offices = k.Offices(id)
	}
	if err := s.profileDocuments(ctx, p, o); err != nil {
		return nil, err
	}
	if err := s.profileSentences(ctx, p, o); err != nil {
		return nil, err
	}
	if err := s.profileHistory(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *DB) profileDocuments(ctx context.Context, p *mizan.EntityProfile, o mizan.ProfileOptions) error {
	rows, err := s.query(ctx, s.db, `SELECT ed.doc_id, d.title, d.published, ed.mentions FROM entity_docs ed
		JOIN documents d ON d.id = ed.doc_id WHERE ed.entity_id = ? ORDER BY ed.seen DESC, ed.doc_id`+s.d.Limit(0, o.Documents), p.ID)
	if err != nil {
		return fmt.Errorf("documents of %s: %w", p.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d mizan.EntityDocument
		var pub sql.NullString
		if err := rows.Scan(&d.ID, &d.Title, &pub, &d.Mentions); err != nil {
			return err
		}
		if d.Published, err = parseTimePtr(pub); err != nil {
			return err
		}
		p.Documents = append(p.Documents, d)
	}
	return rows.Err()
}

// profileSentences reads the sentences around the entity's mentions, newest documents first, cut
// from the stored text by the database (substr counts characters in SQLite and PostgreSQL alike,
// as spans do). The newest documents are picked first from entity_docs (an index range in date
// order) and only their mentions are read, so a profile costs the size of the page, not the
// number of the entity's mentions: a hub mentioned in most of a large corpus is as fast as any.
// 4×Sentences documents always hold at least Sentences sentences with a mention, unless the
// entity has fewer.
func (s *DB) profileSentences(ctx context.Context, p *mizan.EntityProfile, o mizan.ProfileOptions) error {
	n := 4 * o.Sentences
	rows, err := s.query(ctx, s.db, `WITH recent AS (
			SELECT doc_id, seen FROM entity_docs WHERE entity_id = ? ORDER BY seen DESC, doc_id`+s.d.Limit(0, n)+`)
		SELECT m.doc_id, d.title, d.published, m.sent_start, m.sent_end, m.start_char, m.end_char,
			substr(d.text, m.sent_start + 1, m.sent_end - m.sent_start)
		FROM recent r JOIN mentions m ON m.entity_id = ? AND m.doc_id = r.doc_id
		JOIN documents d ON d.id = r.doc_id
		WHERE m.sent_start IS NOT NULL
		ORDER BY r.seen DESC, r.doc_id, m.start_char`+s.d.Limit(0, n), p.ID, p.ID)
	if err != nil {
		return fmt.Errorf("sentences of %s: %w", p.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st mizan.EntitySentence
		var pub sql.NullString
		var m mizan.Span
		if err := rows.Scan(&st.Doc, &st.Title, &pub, &st.Span.Start, &st.Span.End, &m.Start, &m.End, &st.Text); err != nil {
			return err
		}
		if n := len(p.Sentences); n > 0 && p.Sentences[n-1].Doc == st.Doc && p.Sentences[n-1].Span == st.Span {
			p.Sentences[n-1].Mentions = append(p.Sentences[n-1].Mentions, m)
			continue
		}
		if len(p.Sentences) == o.Sentences {
			break
		}
		if st.Published, err = parseTimePtr(pub); err != nil {
			return err
		}
		st.Mentions = []mizan.Span{m}
		p.Sentences = append(p.Sentences, st)
	}
	return rows.Err()
}

func (s *DB) profileHistory(ctx context.Context, p *mizan.EntityProfile) error {
	merged := map[string]bool{}
	rows, err := s.query(ctx, s.db, `SELECT id FROM entities WHERE merged_into = ?`, p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		merged[id] = true
	}
	rows.Close()
	rows, err = s.query(ctx, s.db, `SELECT doc_id, name, from_id, into_id, rule, score FROM resolutions WHERE into_id = ? ORDER BY id DESC`+s.d.Limit(0, 100), p.ID)
	if err != nil {
		return fmt.Errorf("resolution log of %s: %w", p.ID, err)
	}
	for rows.Next() {
		var r mizan.Resolution
		var doc sql.NullString
		if err := rows.Scan(&doc, &r.Name, &r.From, &r.Into, &r.Rule, &r.Score); err != nil {
			rows.Close()
			return err
		}
		r.Doc = doc.String
		p.Resolutions = append(p.Resolutions, r)
		if r.From != p.ID {
			merged[r.From] = true
		}
	}
	rows.Close()
	for id := range merged {
		p.MergedFrom = append(p.MergedFrom, id)
	}
	sort.Strings(p.MergedFrom)
	all, err := s.Corrections(ctx)
	if err != nil {
		return err
	}
	for _, c := range all {
		if c.Entity == p.ID || c.Into == p.ID {
			p.Corrections = append(p.Corrections, c)
		}
	}
	return nil
}

// MergeEntities implements mizan.Corrector.
func (s *DB) MergeEntities(ctx context.Context, fromRef, intoRef string) (mizan.Correction, error) {
	k, err := s.KB(ctx)
	if err != nil {
		return mizan.Correction{}, err
	}
	from, err := s.findEntity(ctx, k, fromRef)
	if err != nil {
		return mizan.Correction{}, err
	}
	into, err := s.findEntity(ctx, k, intoRef)
	if err != nil {
		return mizan.Correction{}, err
	}
	if from == into {
		return mizan.Correction{}, mizan.Errorf(mizan.EINVALID, "%q and %q are already one entity (%s)", fromRef, intoRef, into)
	}
	c := mizan.Correction{Kind: mizan.CorrectMerge, Entity: from, Into: into, At: s.Now().UTC()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := formatTime(c.At)
		for _, id := range []string{from, into} {
			if err := s.ensureEntity(ctx, tx, k, id, "", id, now); err != nil {
				return err
			}
		}
		if err := s.queryRow(ctx, tx, `INSERT INTO corrections(kind, entity_id, into_id, name, name_key, at) VALUES (?, ?, ?, '', '', ?) RETURNING id`,
			string(c.Kind), from, into, now).Scan(&c.ID); err != nil {
			return err
		}
		return s.move(ctx, tx, from, into)
	})
	if err != nil {
		return mizan.Correction{}, fmt.Errorf("merge %s into %s: %w", from, into, err)
	}
	return c, nil
}

// move makes from an alias of into: merged_into set, names copied, mentions and counts moved.
func (s *DB) move(ctx context.Context, tx *sql.Tx, from, into string) error {
	stmts := []struct {
		q    string
		args []any
	}{
		{`UPDATE entities SET merged_into = ? WHERE id = ? OR merged_into = ?`, []any{into, from, from}},
		{`INSERT INTO entity_names(entity_id, name, lang, kind, key) SELECT ?, name, lang,
			CASE WHEN kind = 'canonical' THEN 'alias' ELSE kind END, key FROM entity_names WHERE entity_id = ? ON CONFLICT DO NOTHING`, []any{into, from}},
		{`UPDATE mentions SET entity_id = ? WHERE entity_id = ?`, []any{into, from}},
		{`INSERT INTO entity_docs(entity_id, doc_id, mentions, seen) SELECT ?, doc_id, mentions, seen FROM entity_docs WHERE entity_id = ?
			ON CONFLICT(entity_id, doc_id) DO UPDATE SET mentions = entity_docs.mentions + excluded.mentions`, []any{into, from}},
		{`DELETE FROM entity_docs WHERE entity_id = ?`, []any{from}},
	}
	for _, st := range stmts {
		if _, err := s.exec(ctx, tx, st.q, st.args...); err != nil {
			return err
		}
	}
	if err := s.rekey(ctx, tx, into); err != nil {
		return err
	}
	return s.recount(ctx, tx, from, into)
}

// LinkEntities applies a decision of order-independent resolution (mizan resolve): entity from
// is the stored entity into, as a merge does, but recorded in the resolution log (with no
// document) rather than as a user's correction.
func (s *DB) LinkEntities(ctx context.Context, r mizan.Resolution) error {
	if r.From == r.Into {
		return mizan.Errorf(mizan.EINVALID, "cannot link %s to itself", r.From)
	}
	k, err := s.KB(ctx)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.Now())
		for _, id := range []string{r.From, r.Into} {
			if err := s.ensureEntity(ctx, tx, k, id, "", id, now); err != nil {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO resolutions(doc_id, name, from_id, into_id, rule, score, at) VALUES (NULL, ?, ?, ?, ?, ?, ?)`,
			r.Name, r.From, r.Into, r.Rule, r.Score, now); err != nil {
			return err
		}
		return s.move(ctx, tx, r.From, r.Into)
	})
	if err != nil {
		return fmt.Errorf("link %s to %s: %w", r.From, r.Into, err)
	}
	return nil
}

// DiscoveredEntities returns every stored entity that is not the knowledge base's and not merged
// away, with its names and counts: what order-independent resolution clusters.
func (s *DB) DiscoveredEntities(ctx context.Context) ([]mizan.EntitySummary, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+entityColumns+` FROM entities WHERE merged_into IS NULL AND source != 'kb' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("discovered entities: %w", err)
	}
	var out []mizan.EntitySummary
	var ids []string
	for rows.Next() {
		e, err := scanSummary(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
		ids = append(ids, e.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names, err := s.namesOf(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		setNames(&out[i], names[out[i].ID])
	}
	return out, nil
}

// recount sets entities' counters from entity_docs.
func (s *DB) recount(ctx context.Context, tx *sql.Tx, ids ...string) error {
	sort.Strings(ids)
	for _, id := range ids {
		if _, err := s.exec(ctx, tx, `UPDATE entities SET
			mentions = COALESCE((SELECT sum(mentions) FROM entity_docs WHERE entity_id = ?), 0),
			docs = (SELECT count(*) FROM entity_docs WHERE entity_id = ?),
			first_seen = (SELECT min(seen) FROM entity_docs WHERE entity_id = ?),
			last_seen = (SELECT max(seen) FROM entity_docs WHERE entity_id = ?) WHERE id = ?`, id, id, id, id, id); err != nil {
			return fmt.Errorf("recount %s: %w", id, err)
		}
	}
	return nil
}

// SplitEntity implements mizan.Corrector.
func (s *DB) SplitEntity(ctx context.Context, ref, name, intoRef string) (mizan.Correction, error) {
	k, err := s.KB(ctx)
	if err != nil {
		return mizan.Correction{}, err
	}
	id, err := s.findEntity(ctx, k, ref)
	if err != nil {
		return mizan.Correction{}, err
	}
	key := textnorm.Key(name)
	if key == "" {
		return mizan.Correction{}, mizan.Errorf(mizan.EINVALID, "no name to split from %s", id)
	}
	var typ, canonical string
	err = s.queryRow(ctx, s.db, `SELECT type, name FROM entities WHERE id = ?`, id).Scan(&typ, &canonical)
	if isNoRows(err) {
		if e, ok := k.Entity(id); ok {
			typ, canonical, err = string(e.Type), e.Name, nil
		}
	}
	if err != nil {
		return mizan.Correction{}, fmt.Errorf("split %s: %w", id, err)
	}
	if textnorm.Key(canonical) == key {
		return mizan.Correction{}, mizan.Errorf(mizan.EINVALID, "%q is the canonical name of %s: merge or rename rather than split it", name, id)
	}
	var n int
	if err := s.queryRow(ctx, s.db, `SELECT (SELECT count(*) FROM entity_names WHERE entity_id = ? AND key = ?) +
		(SELECT count(*) FROM mentions WHERE entity_id = ? AND (text_key = ? OR canonical_key = ?))`, id, key, id, key, key).Scan(&n); err != nil {
		return mizan.Correction{}, err
	}
	if n == 0 {
		return mizan.Correction{}, mizan.Errorf(mizan.EINVALID, "%s has no name %q and no mention written so", id, name)
	}
	into, fresh := "", false
	if intoRef != "" {
		if into, err = s.findEntity(ctx, k, intoRef); err != nil {
			return mizan.Correction{}, err
		}
		if into == id {
			return mizan.Correction{}, mizan.Errorf(mizan.EINVALID, "cannot split %q from %s into itself", name, id)
		}
	} else {
		fresh = true
		base := namesim.Slug(mizan.EntityType(typ), name)
		for i := 1; ; i++ {
			into = base
			if i > 1 {
				into = fmt.Sprintf("%s-%d", base, i)
			}
			if _, known := k.Entity(into); known || into == id {
				continue
			}
			var merged sql.NullString
			err := s.queryRow(ctx, s.db, `SELECT merged_into FROM entities WHERE id = ?`, into).Scan(&merged)
			if isNoRows(err) {
				break
			} else if err != nil {
				return mizan.Correction{}, err
			}
			if merged.String == id {
				fresh = false // the entity merged into this one earlier, split back out
				break
			}
		}
	}
	c := mizan.Correction{Kind: mizan.CorrectSplit, Entity: id, Into: into, Name: name, NameKey: key, At: s.Now().UTC()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := formatTime(c.At)
		if err := s.ensureEntity(ctx, tx, k, id, mizan.EntityType(typ), canonical, now); err != nil {
			return err
		}
		if fresh {
			if err := s.insertEntity(ctx, tx, &mizan.Entity{ID: into, Name: name, Type: mizan.EntityType(typ), Source: "split"}, now); err != nil {
				return err
			}
		} else if err := s.ensureEntity(ctx, tx, k, into, mizan.EntityType(typ), name, now); err != nil {
			return err
		}
		// A later correction wins: an entity split back out of the one it was merged into
		// stands on its own again.
		if _, err := s.exec(ctx, tx, `UPDATE entities SET merged_into = NULL WHERE id = ?`, into); err != nil {
			return err
		}
		if err := s.queryRow(ctx, tx, `INSERT INTO corrections(kind, entity_id, into_id, name, name_key, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			string(c.Kind), id, into, name, key, now).Scan(&c.ID); err != nil {
			return err
		}
		// The name moves (all its spellings with the same key), and its mentions with it.
		names, err := s.namesOf(ctx, tx, []string{id})
		if err != nil {
			return err
		}
		var moved []mizan.Name
		for _, nm := range names[id] {
			if textnorm.Key(nm.Text) == key {
				if fresh && len(moved) == 0 {
					nm.Kind = mizan.NameCanonical
				} else if nm.Kind == mizan.NameCanonical {
					nm.Kind = mizan.NameAlias
				}
				moved = append(moved, nm)
			}
		}
		if len(moved) == 0 {
			moved = []mizan.Name{{Text: name, Kind: mizan.NameAlias}}
			if fresh {
				moved[0].Kind = mizan.NameCanonical
			}
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM entity_names WHERE entity_id = ? AND key = ?`, id, key); err != nil {
			return err
		}
		if err := s.addNames(ctx, tx, into, mizan.EntityType(typ), moved); err != nil {
			return err
		}
		if err := s.rekey(ctx, tx, id); err != nil {
			return err
		}
		rows, err := s.query(ctx, tx, `SELECT DISTINCT doc_id FROM mentions WHERE entity_id = ? AND (text_key = ? OR canonical_key = ?)`, id, key, key)
		if err != nil {
			return err
		}
		var docs []string
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				rows.Close()
				return err
			}
			docs = append(docs, d)
		}
		rows.Close()
		if _, err := s.exec(ctx, tx, `UPDATE mentions SET entity_id = ? WHERE entity_id = ? AND (text_key = ? OR canonical_key = ?)`, into, id, key, key); err != nil {
			return err
		}
		for _, d := range docs {
			if err := s.redoEntityDocs(ctx, tx, d, id, into); err != nil {
				return err
			}
		}
		return s.recount(ctx, tx, id, into)
	})
	if err != nil {
		return mizan.Correction{}, fmt.Errorf("split %q from %s: %w", name, id, err)
	}
	return c, nil
}

// redoEntityDocs recomputes the entity_docs rows of some entities in one document from its
// mentions.
func (s *DB) redoEntityDocs(ctx context.Context, tx *sql.Tx, doc string, ids ...string) error {
	args := append([]any{doc}, anys(ids)...)
	if _, err := s.exec(ctx, tx, `DELETE FROM entity_docs WHERE doc_id = ? AND entity_id IN (`+marks(len(ids))+`)`, args...); err != nil {
		return err
	}
	args = append([]any{doc, doc}, anys(ids)...)
	_, err := s.exec(ctx, tx, `INSERT INTO entity_docs(entity_id, doc_id, mentions, seen)
		SELECT entity_id, doc_id, count(*), (SELECT COALESCE(published, ingested_at) FROM documents WHERE id = ?)
		FROM mentions WHERE doc_id = ? AND role != 'boiler' AND entity_id IN (`+marks(len(ids))+`) GROUP BY entity_id, doc_id`, args...)
	return err
}
