// Package kb is mizan's knowledge base of canonical entities, their names in every language, and
// the offices people hold: what mention detection compiles into its matcher and what entity
// resolution links mentions to.
//
// The default KB (Default) is embedded: every ISO 3166-1 country and territory with its names in
// English, Arabic, French, Russian and Persian from CLDR (golang.org/x/text/language/display),
// merged with hand-written YAML files under data/ that add aliases, demonyms, capitals, cities
// and regions, organisations, security services, armed groups, people and their offices. Users
// extend it with Import (CSV, YAML, FollowTheMoney JSON lines) and Merge.
//
// A KB is safe for concurrent use: reads take a shared lock, Import and Merge an exclusive one.
// Stored entities are never changed in place (a merge replaces the entity with an updated copy),
// so an entity returned by a method stays valid and consistent; it is shared with the KB and
// must not be modified.
package kb

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mizan-osint/mizan"
)

// NameRef is one name of one entity, as a name matcher compiles it.
type NameRef struct {
	Key    string           // Key(Text): what the matcher compares
	Text   string           // the name as written in the KB
	Lang   string           // BCP 47 language ("" when unknown)
	Kind   mizan.NameKind   // canonical, alias, abbrev, demonym or capital
	Entity string           // entity id
	Type   mizan.EntityType // the entity's type, so a matcher need not look it up
}

// RoleRef is one way of naming an office without naming its holder ("the Algerian Foreign
// Minister", "وزير الخارجية الجزائري"). Resolve it to a person with Holder(Office, date).
type RoleRef struct {
	Key    string // Key(Text)
	Text   string
	Lang   string
	Office string // office id, e.g. "dz/foreign-minister"
	Entity string // the state or organisation the office belongs to
}

// KB is a knowledge base. The zero value is not usable; use New, Default or Load.
type KB struct {
	mu       sync.RWMutex
	entities map[string]*mizan.Entity
	byKey    map[string][]string // name key → entity ids, in insertion order
	byQID    map[string]string   // wikidata QID → entity id
	offices  map[string][]mizan.Office
	infos    map[string]*officeInfo // title, role and written aliases by office id
	roles    map[string]roleDef     // role templates by role name
}

// roleDef is a role template: alias patterns per language with {adj}, {adjf} and {name}
// placeholders that an office of that role fills from its state's names.
type roleDef map[string][]string

// New returns an empty KB.
func New() *KB {
	return &KB{
		entities: map[string]*mizan.Entity{},
		byKey:    map[string][]string{},
		byQID:    map[string]string{},
		offices:  map[string][]mizan.Office{},
		infos:    map[string]*officeInfo{},
		roles:    map[string]roleDef{},
	}
}

// Len returns the number of entities.
func (k *KB) Len() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.entities)
}

// Entity returns the entity with the given id.
func (k *KB) Entity(id string) (*mizan.Entity, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	e, ok := k.entities[id]
	return e, ok
}

// Entities returns the entities of one type ("" for all), ordered by id.
func (k *KB) Entities(t mizan.EntityType) []*mizan.Entity {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]*mizan.Entity, 0, len(k.entities))
	for _, e := range k.entities {
		if t == "" || e.Type == t {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *mizan.Entity) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Names returns every name of every entity, ordered by entity id and then as the entity lists
// its names. Names whose key is empty (pure punctuation) are left out.
func (k *KB) Names() []NameRef {
	var out []NameRef
	for _, e := range k.Entities("") {
		for _, n := range e.Names {
			key := Key(n.Text)
			if key == "" {
				continue
			}
			out = append(out, NameRef{Key: key, Text: n.Text, Lang: n.Lang, Kind: n.Kind, Entity: e.ID, Type: e.Type})
		}
	}
	return out
}

// Roles returns every role alias of every office, ordered by office id.
func (k *KB) Roles() []RoleRef {
	k.mu.RLock()
	defer k.mu.RUnlock()
	var out []RoleRef
	for _, id := range slices.Sorted(maps.Keys(k.offices)) {
		tenures := k.offices[id]
		seen := map[string]bool{}
		for _, o := range tenures {
			for _, n := range o.Aliases {
				key := Key(n.Text)
				if key == "" || seen[n.Lang+"\x00"+key] {
					continue
				}
				seen[n.Lang+"\x00"+key] = true
				out = append(out, RoleRef{Key: key, Text: n.Text, Lang: n.Lang, Office: id, Entity: o.Entity})
			}
		}
	}
	return out
}

// kindRank orders the kinds of name by how directly they denote an entity, for Lookup.
func kindRank(k mizan.NameKind) int {
	switch k {
	case mizan.NameCanonical:
		return 0
	case mizan.NameAlias, mizan.NameAbbrev:
		return 1
	case mizan.NameDemonym:
		return 2
	case mizan.NameCapital:
		return 3
	}
	return 4
}

// Lookup returns the entities that have a name with the same key as name, the most direct
// first: an entity named so (canonical, alias, abbreviation) before one it is a demonym of,
// before one whose capital it is ("Algiers" → the city, then Algeria); ties by id. Names are
// compared by Key, so spelling variants that Key folds ("Algérie"/"Algerie",
// "الجزائر"/"والجزائر"/"للجزائر", "Saïd"/"Said") find the same entities.
func (k *KB) Lookup(name string) []*mizan.Entity {
	key := Key(name)
	if key == "" {
		return nil
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.lookupKey(key)
}

func (k *KB) lookupKey(key string) []*mizan.Entity {
	ids := k.byKey[key]
	if len(ids) == 0 {
		return nil
	}
	type hit struct {
		e    *mizan.Entity
		rank int
	}
	hits := make([]hit, 0, len(ids))
	for _, id := range ids {
		e := k.entities[id]
		if e == nil {
			continue
		}
		best := 99
		for _, n := range e.Names {
			if r := kindRank(n.Kind); r < best && Key(n.Text) == key {
				best = r
			}
		}
		hits = append(hits, hit{e, best})
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.e.ID, b.e.ID))
	})
	out := make([]*mizan.Entity, len(hits))
	for i, h := range hits {
		out[i] = h.e
	}
	return out
}

// Offices returns the tenures of the offices that belong to a state or organisation, ordered by
// office id and start date.
func (k *KB) Offices(entityID string) []mizan.Office {
	return k.officesWhere(func(o *mizan.Office) bool { return o.Entity == entityID })
}

// OfficesOf returns the tenures a person held, ordered by office id and start date.
func (k *KB) OfficesOf(personID string) []mizan.Office {
	return k.officesWhere(func(o *mizan.Office) bool { return o.Holder == personID })
}

// Office returns every recorded tenure of one office, ordered by start date.
func (k *KB) Office(officeID string) []mizan.Office {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return slices.Clone(k.offices[officeID])
}

func (k *KB) officesWhere(keep func(*mizan.Office) bool) []mizan.Office {
	k.mu.RLock()
	defer k.mu.RUnlock()
	var out []mizan.Office
	for _, id := range slices.Sorted(maps.Keys(k.offices)) {
		for i := range k.offices[id] {
			if o := &k.offices[id][i]; keep(o) {
				out = append(out, *o)
			}
		}
	}
	return out
}

// Holder returns the tenure of an office that covers the instant at: Start <= at < End, where a
// missing Start means "since before anything the KB knows" and a missing End "still in office".
// Dates given to the month or year start at the first day of that month or year.
func (k *KB) Holder(officeID string, at time.Time) (*mizan.Office, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	for i := range k.offices[officeID] {
		o := k.offices[officeID][i]
		if (o.Start == nil || !at.Before(*o.Start)) && (o.End == nil || at.Before(*o.End)) {
			return &o, true
		}
	}
	return nil, false
}

// Clone returns a deep copy of k that can be changed without affecting k.
func (k *KB) Clone() *KB {
	k.mu.RLock()
	defer k.mu.RUnlock()
	c := New()
	// Entities are never changed in place once stored (merges copy on write), so the copy can
	// share them.
	maps.Copy(c.entities, k.entities)
	for key, ids := range k.byKey {
		c.byKey[key] = slices.Clone(ids)
	}
	maps.Copy(c.byQID, k.byQID)
	for id, os := range k.offices {
		c.offices[id] = slices.Clone(os)
	}
	maps.Copy(c.infos, k.infos) // never changed in place either
	maps.Copy(c.roles, k.roles)
	return c
}

func cloneEntity(e *mizan.Entity) *mizan.Entity {
	c := *e
	c.Names = slices.Clone(e.Names)
	c.Attrs = maps.Clone(e.Attrs)
	return &c
}

// put adds or replaces an entity and indexes its names. Callers hold the write lock.
func (k *KB) put(e *mizan.Entity) {
	if old, ok := k.entities[e.ID]; ok {
		k.unindex(old)
	}
	k.entities[e.ID] = e
	k.index(e)
}

func (k *KB) index(e *mizan.Entity) {
	for _, n := range e.Names {
		key := Key(n.Text)
		if key == "" || slices.Contains(k.byKey[key], e.ID) {
			continue
		}
		k.byKey[key] = append(k.byKey[key], e.ID)
	}
	if q := e.Attrs["wikidata"]; q != "" {
		if _, taken := k.byQID[q]; !taken {
			k.byQID[q] = e.ID
		}
	}
}

func (k *KB) unindex(e *mizan.Entity) {
	for _, n := range e.Names {
		key := Key(n.Text)
		ids := slices.DeleteFunc(k.byKey[key], func(id string) bool { return id == e.ID })
		if len(ids) == 0 {
			delete(k.byKey, key)
		} else {
			k.byKey[key] = ids
		}
	}
	if q := e.Attrs["wikidata"]; q != "" && k.byQID[q] == e.ID {
		delete(k.byQID, q)
	}
}

// addNames merges names into e (skipping any already there with the same language, kind and
// key) and reports how many were added. Callers reindex e.
func addNames(e *mizan.Entity, names ...mizan.Name) int {
	added := 0
	for _, n := range names {
		n.Text = strings.TrimSpace(n.Text)
		if n.Text == "" || Key(n.Text) == "" {
			continue
		}
		if n.Kind == "" {
			n.Kind = mizan.NameAlias
		}
		key := Key(n.Text)
		dup := slices.ContainsFunc(e.Names, func(o mizan.Name) bool {
			return o.Lang == n.Lang && o.Kind == n.Kind && Key(o.Text) == key
		})
		if !dup {
			e.Names = append(e.Names, n)
			added++
		}
	}
	return added
}

// mergeEntity folds src into dst: names it lacks, attributes it does not have. dst keeps its
// id, type and source, and (unless override) its canonical names and attributes; with override,
// src's canonical names, display name and attributes win and dst's old canonical names stay as
// aliases. Either way each language keeps one canonical name.
func mergeEntity(dst, src *mizan.Entity, override bool) {
	for _, n := range src.Names {
		if n.Kind == mizan.NameCanonical {
			key := Key(n.Text)
			for i, o := range dst.Names {
				if o.Kind != mizan.NameCanonical || o.Lang != n.Lang || Key(o.Text) == key {
					continue
				}
				if override {
					dst.Names[i].Kind = mizan.NameAlias
				} else {
					n.Kind = mizan.NameAlias
				}
			}
			if override {
				// The new canonical name may already be there as an alias: promote it.
				dst.Names = slices.DeleteFunc(dst.Names, func(o mizan.Name) bool {
					return o.Kind == mizan.NameAlias && o.Lang == n.Lang && Key(o.Text) == key
				})
			}
		}
		addNames(dst, n)
	}
	for a, v := range src.Attrs {
		if _, ok := dst.Attrs[a]; (override || !ok) && v != "" {
			if dst.Attrs == nil {
				dst.Attrs = map[string]string{}
			}
			dst.Attrs[a] = v
		}
	}
	if dst.Name == "" || override && src.Name != "" {
		dst.Name = src.Name
	}
}

// Merge adds everything in other to k: entities k lacks, names and attributes of entities both
// have (matched by id, then by Wikidata QID, then by the same type and normalised canonical
// name when that match is unique), tenures k lacks, and role templates.
func (k *KB) Merge(other *KB) {
	if other == k {
		return
	}
	o := other.Clone()
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(o.entities)) {
		k.mergeOne(o.entities[id], mergeByName)
	}
	for id, info := range o.infos {
		if _, ok := k.infos[id]; !ok {
			k.infos[id] = info
		}
	}
	for _, tenures := range o.offices {
		for _, t := range tenures {
			k.addTenure(t)
		}
	}
	for name, r := range o.roles {
		if _, ok := k.roles[name]; !ok {
			k.roles[name] = r
		}
	}
	k.finish()
}

// mergeMode says how an incoming entity meets the KB.
type mergeMode int

const (
	mergeByName mergeMode = iota // match by id, QID or unique name+type; keep existing names first
	mergeByID                    // match by id only; keep existing canonical names
	overlayByID                  // match by id only; incoming canonical names and attrs win (hand-written data over CLDR)
)

// mergeOne adds e or merges it into the entity it matches, reporting which and the id it ended
// under. Callers hold the write lock.
func (k *KB) mergeOne(e *mizan.Entity, mode mergeMode) (merged bool, id string) {
	if dst := k.match(e, mode); dst != nil {
		// Copy on write: entities already handed out stay as they were.
		c := cloneEntity(dst)
		mergeEntity(c, e, mode == overlayByID)
		sortNames(c.Names)
		k.put(c)
		return true, c.ID
	}
	k.put(e)
	return false, e.ID
}

// match finds the entity e should merge into: same id; else (mergeByName) same Wikidata QID;
// else the only entity of the same type, and not of another country, that has one of e's
// canonical names as a canonical name or alias.
func (k *KB) match(e *mizan.Entity, mode mergeMode) *mizan.Entity {
	if dst, ok := k.entities[e.ID]; ok {
		return dst
	}
	if mode != mergeByName {
		return nil
	}
	if q := e.Attrs["wikidata"]; q != "" {
		if id, ok := k.byQID[q]; ok {
			return k.entities[id]
		}
	}
	var cands []*mizan.Entity
	for _, n := range e.Names {
		if n.Kind != mizan.NameCanonical {
			continue
		}
		key := Key(n.Text)
		for _, id := range k.byKey[key] {
			c := k.entities[id]
			if c.Type != e.Type || slices.Contains(cands, c) {
				continue
			}
			if a, b := c.Attrs["country"], e.Attrs["country"]; a != "" && b != "" && a != b {
				continue // Tripoli, Libya is not Tripoli, Lebanon
			}
			if a, b := c.Attrs["wikidata"], e.Attrs["wikidata"]; a != "" && b != "" && a != b {
				continue
			}
			if slices.ContainsFunc(c.Names, func(cn mizan.Name) bool {
				return (cn.Kind == mizan.NameCanonical || cn.Kind == mizan.NameAlias) && Key(cn.Text) == key
			}) {
				cands = append(cands, c)
			}
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return nil
}

// addTenure records one tenure unless the same office already has the same holder starting at
// the same date. Callers hold the write lock.
func (k *KB) addTenure(t mizan.Office) bool {
	ts := k.offices[t.ID]
	for _, o := range ts {
		if o.Holder == t.Holder && sameTime(o.Start, t.Start) {
			return false
		}
	}
	ts = append(ts, t)
	slices.SortStableFunc(ts, func(a, b mizan.Office) int { return compareStart(a.Start, b.Start) })
	k.offices[t.ID] = ts
	return true
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// compareStart orders nil (unknown start) first.
func compareStart(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}
