// Package resolve links the entities a document introduces to the entities already known, across
// documents and languages: "Chanegriha" in one article and "شنقريحة" in another are the knowledge
// base's Saïd Chengriha; "Leila Zaruki", unknown to the knowledge base, is the same discovered
// person in every document that names her, however it spells her.
//
// It runs as ingest.Ingester.Resolve, in the single writer goroutine, just before a document is
// stored, so it sees every document committed before and none half-written. For each discovered
// entity of the document it:
//
//  1. applies users' corrections (mizan.Apply): a merged entity goes where the user sent it, a
//     split name never goes back to the entity it was split from;
//  2. keeps an id already stored (discovered ids are derived from type and normalised name, so the
//     same spelling gives the same id everywhere);
//  3. otherwise looks up candidates by blocking key (namesim.Keys): stored entities through the
//     store's index, knowledge-base entities through an index built once, of a compatible type;
//  4. scores each with namesim.Compare over every pair of names and links to the best when it
//     reaches Options.Accept, or Options.WithContext when the document and the candidate share
//     context (an entity mentioned with both, or the candidate's country mentioned in the
//     document), and only when no other entity comes within Options.Margin of it.
//
// Every link is recorded in the document's Analysis.Resolutions (the store's resolution log) with
// its rule and score, the linked mentions are rewritten, and the new spellings are passed on as
// names of the entity linked to, so the next document that uses them finds it by exact name.
package resolve

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/resolve/namesim"
)

// Store is what the resolver reads from a store.
type Store interface {
	mizan.CandidateSource
	Corrections(ctx context.Context) ([]mizan.Correction, error)
}

// Options tunes the resolver. The defaults were set on the evaluation set in testdata.
type Options struct {
	// Accept is the name similarity at which a discovered entity is linked on its name alone.
	Accept float64
	// WithContext is the lower similarity at which it is linked when the context agrees.
	WithContext float64
	// Margin is how far the best candidate must be ahead of any other entity: two candidates as
	// good as each other mean the name is ambiguous, and nothing is linked.
	Margin float64
	// PerKey bounds the stored candidates read per blocking key, so that a very common name part
	// cannot make one lookup read thousands of entities.
	PerKey int
}

// DefaultOptions returns the options the evaluation set was tuned with.
func DefaultOptions() Options {
	return Options{Accept: 0.9, WithContext: 0.8, Margin: 0.03, PerKey: 100}
}

// Resolver links discovered entities across documents. It is safe for concurrent use, though
// ingest calls it from one goroutine.
type Resolver struct {
	store Store
	kb    *kb.KB
	o     Options
	// kbKeys indexes the knowledge base's names by blocking key.
	kbKeys map[string][]string

	mu     sync.Mutex
	parsed map[string]namesim.Name // cache of parsed names, reset when it grows too large
}

// maxParsed bounds the cache of parsed names.
const maxParsed = 200_000

// New returns a resolver over a store and the knowledge base the pipeline uses.
func New(st Store, k *kb.KB, o Options) *Resolver {
	r := &Resolver{store: st, kb: k, o: o, kbKeys: map[string][]string{}, parsed: map[string]namesim.Name{}}
	for _, n := range k.Names() {
		if n.Kind == mizan.NameDemonym || n.Kind == mizan.NameCapital {
			continue
		}
		for _, key := range r.parse(n.Text).Keys(n.Type) {
			ids := r.kbKeys[key]
			if len(ids) == 0 || ids[len(ids)-1] != n.Entity {
				r.kbKeys[key] = append(ids, n.Entity)
			}
		}
	}
	return r
}

func (r *Resolver) parse(text string) namesim.Name {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n, ok := r.parsed[text]; ok {
		return n
	}
	if len(r.parsed) >= maxParsed {
		clear(r.parsed)
	}
	n := namesim.Parse(text)
	r.parsed[text] = n
	return n
}

// Link is a decision to link a discovered entity to a known one.
type Link struct {
	Into  *mizan.Entity
	Rule  string
	Score float64
}

// Resolve links the discovered entities of d to known ones, rewriting d's mentions and recording
// the links in d.Analysis.Resolutions. It is ingest.Ingester.Resolve.
func (r *Resolver) Resolve(ctx context.Context, d *nlp.Doc) error {
	corr, err := r.store.Corrections(ctx)
	if err != nil {
		return fmt.Errorf("corrections: %w", err)
	}
	a := &d.Analysis
	disc := r.discovered(a)
	ids := make([]string, 0, len(disc))
	for id := range disc {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	stored, err := r.store.StoredEntities(ctx, ids)
	if err != nil {
		return fmt.Errorf("stored entities: %w", err)
	}
	known := map[string]bool{}
	for _, e := range stored {
		known[e.ID] = true
	}
	dc := r.docContext(a)
	links := map[string]Link{}
	for _, id := range ids {
		e := disc[id]
		if known[id] || mizan.Apply(corr, id, "", "") != id {
			continue
		}
		l, ok, err := r.Match(ctx, e, corr, dc)
		if err != nil {
			return err
		}
		if ok {
			links[id] = l
		}
	}
	if len(links) == 0 {
		return nil
	}
	for i := range a.Mentions {
		m := &a.Mentions[i]
		if l, ok := links[m.EntityID]; ok {
			m.EntityID = l.Into.ID
			if m.Rule != "" {
				m.Rule += "+"
			}
			m.Rule += "resolve:" + l.Rule
		}
	}
	kept := a.Entities[:0]
	for _, e := range a.Entities {
		if _, ok := links[e.ID]; !ok {
			kept = append(kept, e)
		}
	}
	a.Entities = kept
	for _, id := range ids {
		l, ok := links[id]
		if !ok {
			continue
		}
		e := disc[id]
		// The new spellings become names of the entity linked to.
		names := make([]mizan.Name, 0, len(e.Names)+1)
		for _, n := range allNames(e) {
			n.Kind = mizan.NameAlias
			names = append(names, n)
		}
		a.Entities = append(a.Entities, mizan.Entity{ID: l.Into.ID, Name: l.Into.Name, Type: l.Into.Type, Names: names, Source: l.Into.Source})
		a.Resolutions = append(a.Resolutions, mizan.Resolution{Doc: d.ID, Name: e.Name, From: id, Into: l.Into.ID, Rule: l.Rule, Score: l.Score})
	}
	return nil
}

// discovered returns the entities of a document that the knowledge base does not know: its
// discovered entities, and an entity made from the mentions for any other unknown id.
func (r *Resolver) discovered(a *mizan.Analysis) map[string]*mizan.Entity {
	out := map[string]*mizan.Entity{}
	for i := range a.Entities {
		e := &a.Entities[i]
		if _, ok := r.kb.Entity(e.ID); !ok && e.ID != "" {
			out[e.ID] = e
		}
	}
	for _, m := range a.Mentions {
		if m.EntityID == "" || out[m.EntityID] != nil {
			continue
		}
		if _, ok := r.kb.Entity(m.EntityID); ok {
			continue
		}
		name := m.Canonical
		if name == "" {
			name = m.Text
		}
		out[m.EntityID] = &mizan.Entity{ID: m.EntityID, Name: name, Type: m.Type, Source: "discovered"}
	}
	return out
}

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

// DocContext is what a document says around its entities: the knowledge-base entities it
// mentions and the countries they belong to.
type DocContext struct {
	Entities  map[string]bool
	Countries map[string]bool
}

func (r *Resolver) docContext(a *mizan.Analysis) DocContext {
	dc := DocContext{Entities: map[string]bool{}, Countries: map[string]bool{}}
	for _, m := range a.Mentions {
		if m.EntityID == "" || m.Role == mizan.RoleBoiler {
			continue
		}
		e, ok := r.kb.Entity(m.EntityID)
		if !ok {
			continue
		}
		dc.Entities[e.ID] = true
		if c := e.Attrs["country"]; c != "" {
			dc.Countries[c] = true
		}
	}
	return dc
}

type candidate struct {
	e     *mizan.Entity
	score float64
	rule  string
}

// Match finds the known entity a discovered entity is, if any.
func (r *Resolver) Match(ctx context.Context, e *mizan.Entity, corr []mizan.Correction, dc DocContext) (Link, bool, error) {
	cands, err := r.candidates(ctx, e, corr)
	if err != nil || len(cands) == 0 {
		return Link{}, false, err
	}
	best := cands[0]
	if best.score < r.o.WithContext || len(cands) > 1 && cands[1].score >= best.score-r.o.Margin {
		return Link{}, false, nil
	}
	if best.score >= r.o.Accept {
		return Link{Into: best.e, Rule: best.rule, Score: best.score}, true, nil
	}
	ok, why, err := r.contextAgrees(ctx, best.e, dc)
	if err != nil || !ok {
		return Link{}, false, err
	}
	return Link{Into: best.e, Rule: best.rule + "+context:" + why, Score: best.score}, true, nil
}

// candidates returns the known entities (stored and in the knowledge base) that e may be, best
// first: of a compatible type, not merged away, not blocked by a split of one of e's names, with
// a name similarity above zero.
func (r *Resolver) candidates(ctx context.Context, e *mizan.Entity, corr []mizan.Correction) ([]candidate, error) {
	var names []namesim.Name
	blocked := map[string]bool{}
	seenKey := map[string]bool{}
	var keys []string
	for _, n := range allNames(e) {
		p := r.parse(n.Text)
		if p.Key == "" || seenKey[p.Key] {
			continue
		}
		seenKey[p.Key] = true
		names = append(names, p)
		keys = append(keys, p.Keys(e.Type)...)
		for _, c := range corr {
			if c.Kind == mizan.CorrectSplit && c.NameKey == p.Key {
				blocked[c.Entity] = true
			}
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	stored, err := r.store.Candidates(ctx, keys, r.o.PerKey)
	if err != nil {
		return nil, fmt.Errorf("candidates of %s: %w", e.ID, err)
	}
	byID := map[string]*mizan.Entity{}
	for i := range stored {
		byID[stored[i].ID] = &stored[i]
	}
	for _, k := range keys {
		for _, id := range r.kbKeys[k] {
			if byID[id] == nil {
				if ke, ok := r.kb.Entity(id); ok {
					byID[id] = ke
				}
			}
		}
	}
	var cands []candidate
	for id, c := range byID {
		if id == e.ID || blocked[id] || !namesim.Compatible(e.Type, c.Type) || mizan.Apply(corr, id, "", "") != id {
			continue
		}
		if m := r.score(names, c); m.Score > 0 {
			cands = append(cands, candidate{c, m.Score, m.Rule})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].e.ID < cands[j].e.ID
	})
	return cands, nil
}

// score is the best similarity between the discovered entity's names and the candidate's. A full
// name is compared with full names only: a candidate's bare surname ("Chengriha") must not make
// "Mohamed Chengriha" the same person as "Saïd Chengriha".
func (r *Resolver) score(names []namesim.Name, c *mizan.Entity) namesim.Match {
	cnames := make([]namesim.Name, 0, len(c.Names)+1)
	multi := false
	add := func(text string) {
		p := r.parse(text)
		if len(p.Tokens) > 1 {
			multi = true
		}
		cnames = append(cnames, p)
	}
	add(c.Name)
	for _, n := range c.Names {
		if n.Kind != mizan.NameDemonym && n.Kind != mizan.NameCapital && n.Text != c.Name {
			add(n.Text)
		}
	}
	var best namesim.Match
	for _, q := range names {
		for _, cn := range cnames {
			if len(q.Tokens) > 1 && len(cn.Tokens) == 1 && multi {
				continue
			}
			if m := namesim.Compare(q, cn); m.Score > best.Score {
				best = m
			}
		}
	}
	return best
}

// contextAgrees says whether the document supports a borderline link: the candidate belongs to a
// country the document mentions, or shares a co-mentioned entity with it.
func (r *Resolver) contextAgrees(ctx context.Context, c *mizan.Entity, dc DocContext) (bool, string, error) {
	if country := c.Attrs["country"]; country != "" && dc.Countries[country] {
		return true, "country", nil
	}
	co, err := r.store.CoMentioned(ctx, c.ID, 30)
	if err != nil {
		return false, "", fmt.Errorf("context of %s: %w", c.ID, err)
	}
	for _, id := range co {
		if dc.Entities[id] {
			return true, "co-mention", nil
		}
	}
	return false, "", nil
}
