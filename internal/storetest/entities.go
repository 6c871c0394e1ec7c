package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/resolve/namesim"
)

// entityTests are the conformance tests of mizan.EntityStore; Run runs them with the others.
var entityTests = []struct {
	name string
	fn   func(*testing.T, mizan.Store)
}{
	{"EntityWrite", testEntityWrite},
	{"EntityReprocess", testEntityReprocess},
	{"EntityList", testEntityList},
	{"EntityProfile", testEntityProfile},
	{"EntityProfileNewest", testEntityProfileNewest},
	{"EntitySeen", testEntitySeen},
	{"EntityMerge", testEntityMerge},
	{"EntitySplit", testEntitySplit},
	{"EntityCandidates", testEntityCandidates},
	{"EntityKBImport", testEntityKBImport},
	{"EntityConcurrent", testEntityConcurrent},
	{"EntityInvalid", testEntityInvalid},
}

// Mention returns a mention of the n-th (from 1) occurrence of text in d's clean text, with
// character offsets, linked to entity id (a knowledge-base or discovered id, or "").
func Mention(tb testing.TB, d *mizan.Document, text string, n int, t mizan.EntityType, id string) mizan.Mention {
	tb.Helper()
	at := -1
	for i, from := 0, 0; i < n; i++ {
		k := strings.Index(d.Text[from:], text)
		if k < 0 {
			tb.Fatalf("%q occurs fewer than %d times in %q", text, n, d.Text)
		}
		at = from + k
		from = at + len(text)
	}
	ix := d.Index()
	return mizan.Mention{Span: ix.Span(at, at+len(text)), Text: text, Type: t, EntityID: id, Method: mizan.MethodKB,
		Form: mizan.FormName, Confidence: 0.9, Rule: "test", Canonical: text}
}

func putAnalysed(tb testing.TB, st mizan.Store, d *mizan.Document, a *mizan.Analysis, replace bool) {
	tb.Helper()
	if _, err := st.PutDocument(context.Background(), d, a, replace); err != nil {
		tb.Fatalf("PutDocument(%s): %v", d.Source, err)
	}
}

func summary(tb testing.TB, st mizan.Store, id string) mizan.EntitySummary {
	tb.Helper()
	list, _, err := st.Entities(context.Background(), mizan.EntityFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range list {
		if e.ID == id {
			return e
		}
	}
	return mizan.EntitySummary{}
}

func discovered(id, name string, t mizan.EntityType, lang string) mizan.Entity {
	return mizan.Entity{ID: id, Name: name, Type: t, Source: "discovered", Names: []mizan.Name{{Text: name, Lang: lang, Kind: mizan.NameCanonical}}}
}

func testEntityWrite(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("w.txt", "Algeria and Russia", "en", "Colonel Leila Zaruki of Algeria met Russian officers.\nThe Algerian delegation left.\nMost Read: Zaruki")
	a := &mizan.Analysis{
		Mentions: []mizan.Mention{
			Mention(t, d, "Algeria", 1, mizan.GPE, "gpe/dz"),
			Mention(t, d, "Leila Zaruki", 1, mizan.PERSON, "person/leila-zaruki"),
			Mention(t, d, "Algeria", 2, mizan.GPE, "gpe/dz"),
			Mention(t, d, "Russian", 1, mizan.GPE, "gpe/ru"),
			Mention(t, d, "Algerian", 1, mizan.GPE, "gpe/dz"),
			Mention(t, d, "Zaruki", 2, mizan.PERSON, "person/leila-zaruki"),
		},
		Entities: []mizan.Entity{discovered("person/leila-zaruki", "Leila Zaruki", mizan.PERSON, "en")},
	}
	a.Mentions[3].Form, a.Mentions[4].Form = mizan.FormDemonym, mizan.FormDemonym
	a.Mentions[5].Role = mizan.RoleBoiler
	putAnalysed(t, st, d, a, false)

	ms, err := st.Mentions(ctx, d.ID[:8])
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 6 {
		t.Fatalf("got %d mentions, want 6", len(ms))
	}
	for i, m := range ms {
		if i > 0 && m.Span.Start < ms[i-1].Span.Start {
			t.Errorf("mentions out of order: %v before %v", ms[i-1].Span, m.Span)
		}
		if got := d.Slice(m.Span); got != m.Text {
			t.Errorf("mention %d: span %v covers %q, want %q", i, m.Span, got, m.Text)
		}
		if m.Doc != d.ID || m.ID == 0 {
			t.Errorf("mention %d: got doc %q id %d, want %s and an id", i, m.Doc, m.ID, d.ID)
		}
	}
	if ms[3].Form != mizan.FormDemonym || ms[3].Method != mizan.MethodKB || ms[3].Rule != "test" || ms[3].Confidence != 0.9 {
		t.Errorf("got mention %+v, want form, method, rule and confidence kept", ms[3])
	}
	if ms[5].Role != mizan.RoleBoiler {
		t.Errorf("got role %q, want boiler", ms[5].Role)
	}
	dz := summary(t, st, "gpe/dz")
	if dz.Mentions != 3 || dz.Docs != 1 || dz.Type != mizan.GPE || dz.Name != "Algeria" {
		t.Errorf("got gpe/dz %+v, want 3 mentions in 1 document", dz)
	}
	if !contains(dz.Aliases, "الجزائر") {
		t.Errorf("got aliases %v, want the knowledge base's names (الجزائر)", dz.Aliases)
	}
	// The mention in the "Most Read" box is kept but does not count.
	if z := summary(t, st, "person/leila-zaruki"); z.Mentions != 1 || z.Source != "discovered" || z.Name != "Leila Zaruki" {
		t.Errorf("got %+v, want 1 counted mention of the discovered entity", z)
	}
	s, err := st.Stats(ctx)
	if err != nil || s.Entities != 3 || s.Mentions != 5 {
		t.Errorf("got stats %+v %v, want 3 entities and 5 counted mentions", s, err)
	}
	if _, err := st.Mentions(ctx, "ffffffffffffffff"); !errors.Is(err, mizan.ErrNotFound) {
		t.Errorf("unknown document: got %v, want not found", err)
	}
}

func testEntityReprocess(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("r.txt", "T", "en", "Algeria and Morocco talked.\nAlgeria again.")
	putAnalysed(t, st, d, &mizan.Analysis{Mentions: []mizan.Mention{
		Mention(t, d, "Algeria", 1, mizan.GPE, "gpe/dz"),
		Mention(t, d, "Morocco", 1, mizan.GPE, "gpe/ma"),
		Mention(t, d, "Algeria", 2, mizan.GPE, "gpe/dz"),
	}, Resolutions: []mizan.Resolution{{Name: "Algeria", From: "gpe/x", Into: "gpe/dz", Rule: "test", Score: 1}}}, false)
	// Reprocessing finds Algeria once and Morocco no more.
	putAnalysed(t, st, d, &mizan.Analysis{Mentions: []mizan.Mention{Mention(t, d, "Algeria", 1, mizan.GPE, "gpe/dz")}}, true)
	ms, err := st.Mentions(ctx, d.ID)
	if err != nil || len(ms) != 1 {
		t.Fatalf("got %d mentions %v, want 1", len(ms), err)
	}
	if dz := summary(t, st, "gpe/dz"); dz.Mentions != 1 || dz.Docs != 1 {
		t.Errorf("got gpe/dz %d mentions in %d docs, want 1 in 1", dz.Mentions, dz.Docs)
	}
	if ma := summary(t, st, "gpe/ma"); ma.ID != "" {
		t.Errorf("got %+v listed, want Morocco gone from the listing (no mentions)", ma)
	}
	p, err := st.Entity(ctx, "gpe/dz", mizan.ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Resolutions) != 0 {
		t.Errorf("got resolution log %v, want the reprocessed document's old links gone", p.Resolutions)
	}
	// Reprocessing without analysis removes the mentions.
	putAnalysed(t, st, d, nil, true)
	if dz := summary(t, st, "gpe/dz"); dz.ID != "" {
		t.Errorf("got %+v, want no mentions left", dz)
	}
}

func testEntityList(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("l.txt", "T", "en", "Algeria, Algeria, Algeria and Russia.\nIran and Hamas.\nKarim Benali spoke.")
	putAnalysed(t, st, d, &mizan.Analysis{
		Mentions: []mizan.Mention{
			Mention(t, d, "Algeria", 1, mizan.GPE, "gpe/dz"),
			Mention(t, d, "Algeria", 2, mizan.GPE, "gpe/dz"),
			Mention(t, d, "Algeria", 3, mizan.GPE, "gpe/dz"),
			Mention(t, d, "Russia", 1, mizan.GPE, "gpe/ru"),
			Mention(t, d, "Russia", 1, mizan.GPE, "gpe/ru"),
			Mention(t, d, "Iran", 1, mizan.GPE, "gpe/ir"),
			Mention(t, d, "Hamas", 1, mizan.GROUP, "group/hamas"),
			Mention(t, d, "Karim Benali", 1, mizan.PERSON, "person/karim-benali"),
		},
		Entities: []mizan.Entity{discovered("person/karim-benali", "Karim Benali", mizan.PERSON, "en")},
	}, false)
	tests := []struct {
		f         mizan.EntityFilter
		want      string
		wantTotal int
	}{
		{mizan.EntityFilter{}, "gpe/dz gpe/ru gpe/ir group/hamas person/karim-benali", 5},
		{mizan.EntityFilter{Type: mizan.GPE}, "gpe/dz gpe/ru gpe/ir", 3},
		{mizan.EntityFilter{Type: "person"}, "person/karim-benali", 1},
		{mizan.EntityFilter{Query: "الجزائر"}, "gpe/dz", 1},
		{mizan.EntityFilter{Query: "algér"}, "gpe/dz", 1},
		{mizan.EntityFilter{Query: "benal"}, "person/karim-benali", 1},
		{mizan.EntityFilter{Limit: 2}, "gpe/dz gpe/ru", 5},
		{mizan.EntityFilter{Offset: 3, Limit: 10}, "group/hamas person/karim-benali", 5},
		{mizan.EntityFilter{Query: "nowhere-at-all"}, "", 0},
	}
	for _, tt := range tests {
		list, total, err := st.Entities(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range list {
			ids = append(ids, e.ID)
		}
		// gpe/ir and group/hamas tie on one mention each: ties go by id.
		if got := strings.Join(ids, " "); got != tt.want || total != tt.wantTotal {
			t.Errorf("Entities(%+v): got %q (%d), want %q (%d)", tt.f, got, total, tt.want, tt.wantTotal)
		}
	}
}

func testEntityProfile(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	pub := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	d := Doc("p.txt", "Army chief in Moscow", "en", "General Said Chanegriha arrived in Moscow.\nChanegriha met Leila Zaruki there.\nNothing else happened.")
	d.Published = &pub
	putAnalysed(t, st, d, &mizan.Analysis{
		Mentions: []mizan.Mention{
			Mention(t, d, "Said Chanegriha", 1, mizan.PERSON, "person/said-chengriha"),
			Mention(t, d, "Moscow", 1, mizan.LOC, "loc/moscow"),
			Mention(t, d, "Chanegriha", 2, mizan.PERSON, "person/said-chengriha"),
			Mention(t, d, "Leila Zaruki", 1, mizan.PERSON, "person/leila-zaruki"),
		},
		Entities: []mizan.Entity{discovered("person/leila-zaruki", "Leila Zaruki", mizan.PERSON, "en")},
	}, false)
	for _, ref := range []string{"person/said-chengriha", "Saïd Chengriha", "شنقريحة", "السعيد شنقريحة", "chanegriha"} {
		p, err := st.Entity(ctx, ref, mizan.ProfileOptions{})
		if err != nil {
			t.Errorf("Entity(%q): %v", ref, err)
			continue
		}
		if p.ID != "person/said-chengriha" {
			t.Errorf("Entity(%q): got %s, want person/said-chengriha", ref, p.ID)
		}
	}
	p, err := st.Entity(ctx, "شنقريحة", mizan.ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Mentions != 2 || p.Docs != 1 || len(p.Documents) != 1 || p.Documents[0].ID != d.ID || p.Documents[0].Mentions != 2 {
		t.Errorf("got %d mentions, %d docs, documents %+v; want 2 in 1", p.Mentions, p.Docs, p.Documents)
	}
	if len(p.Offices) == 0 {
		t.Errorf("got no offices, want the knowledge base's (chief of staff)")
	}
	if len(p.Sentences) != 2 || p.Sentences[0].Text != "General Said Chanegriha arrived in Moscow." || p.Sentences[1].Text != "Chanegriha met Leila Zaruki there." {
		t.Fatalf("got sentences %+v, want the two that mention him", p.Sentences)
	}
	s0 := p.Sentences[0]
	if d.Slice(s0.Span) != s0.Text || len(s0.Mentions) != 1 || d.Slice(s0.Mentions[0]) != "Said Chanegriha" || s0.Title != d.Title || s0.Published == nil {
		t.Errorf("got sentence %+v, want spans, title and date of the document", s0)
	}
	if !contains(p.Aliases, "شنقريحة") {
		t.Errorf("got aliases %v, want the Arabic names", p.Aliases)
	}
	if p2, err := st.Entity(ctx, "person/said-chengriha", mizan.ProfileOptions{Sentences: 1}); err != nil || len(p2.Sentences) != 1 {
		t.Errorf("Sentences: 1: got %v %v, want one sentence", p2, err)
	}
	// A discovered entity, by a spelling that is not stored (fuzzy lookup).
	if p, err := st.Entity(ctx, "Leyla Zarouki", mizan.ProfileOptions{}); err != nil || p.ID != "person/leila-zaruki" {
		t.Errorf("Entity(Leyla Zarouki): got %v %v, want person/leila-zaruki", p, err)
	}
	// A knowledge-base entity never mentioned still has a profile.
	if p, err := st.Entity(ctx, "Ramtane Lamamra", mizan.ProfileOptions{}); err != nil || p.ID != "person/ramtane-lamamra" || p.Mentions != 0 || len(p.Offices) == 0 {
		t.Errorf("Entity(Lamamra): got %+v %v, want the KB profile with offices and no mentions", p, err)
	}
	if _, err := st.Entity(ctx, "Qwzx Vrrk", mizan.ProfileOptions{}); !errors.Is(err, mizan.ErrNotFound) {
		t.Errorf("unknown name: got %v, want not found", err)
	}
	if _, err := st.Entity(ctx, "  ", mizan.ProfileOptions{}); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("empty ref: got %v, want invalid", err)
	}
}

// testEntityProfileNewest checks that a profile's sentences come from the entity's newest
// documents, newest first and in text order within a document, whatever order the documents
// were stored in, and that a page stops at the number of sentences asked for.
func testEntityProfileNewest(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	const id = "person/leila-zaruki"
	ent := discovered(id, "Leila Zaruki", mizan.PERSON, "en")
	// Stored in a shuffled order of dates; document k is published on day k of 2024.
	order := []int{7, 2, 11, 5, 0, 9, 3, 10, 1, 8, 6, 4}
	docs := map[int]*mizan.Document{}
	for _, k := range order {
		d := Doc(fmt.Sprintf("z%d.txt", k), fmt.Sprintf("Day %d", k), "en",
			fmt.Sprintf("Leila Zaruki spoke on day %d.\nNothing about her here.\nLeila Zaruki left on day %d.", k, k))
		pub := time.Date(2024, 1, 1+k, 0, 0, 0, 0, time.UTC)
		d.Published = &pub
		docs[k] = d
		putAnalysed(t, st, d, &mizan.Analysis{
			Mentions: []mizan.Mention{Mention(t, d, "Leila Zaruki", 1, mizan.PERSON, id), Mention(t, d, "Leila Zaruki", 2, mizan.PERSON, id)},
			Entities: []mizan.Entity{ent},
		}, false)
	}
	tests := []struct {
		sentences int
		want      []string
	}{
		{1, []string{"Leila Zaruki spoke on day 11."}},
		{3, []string{"Leila Zaruki spoke on day 11.", "Leila Zaruki left on day 11.", "Leila Zaruki spoke on day 10."}},
		{50, nil}, // every sentence: 2 per document
	}
	for _, tt := range tests {
		p, err := st.Entity(ctx, id, mizan.ProfileOptions{Sentences: tt.sentences})
		if err != nil {
			t.Fatal(err)
		}
		if tt.want == nil {
			if len(p.Sentences) != 2*len(order) {
				t.Errorf("Sentences %d: got %d sentences, want %d", tt.sentences, len(p.Sentences), 2*len(order))
			}
			for i := 1; i < len(p.Sentences); i++ {
				a, b := p.Sentences[i-1], p.Sentences[i]
				if b.Published.After(*a.Published) || (a.Doc == b.Doc && b.Span.Start < a.Span.Start) {
					t.Errorf("Sentences %d: got %q (%s) before %q (%s), want newest first, text order within a document",
						tt.sentences, a.Text, a.Published, b.Text, b.Published)
				}
			}
			continue
		}
		var got []string
		for _, s := range p.Sentences {
			got = append(got, s.Text)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Sentences %d: got %q, want %q", tt.sentences, got, tt.want)
		}
		s0 := p.Sentences[0]
		if d := docs[11]; s0.Doc != d.ID || s0.Title != d.Title || s0.Published == nil || !s0.Published.Equal(*d.Published) ||
			len(s0.Mentions) != 1 || d.Slice(s0.Mentions[0]) != "Leila Zaruki" {
			t.Errorf("Sentences %d: got first sentence %+v, want document %s (%q, %s) with its mention", tt.sentences, s0, d.ID, d.Title, d.Published)
		}
	}
}

func testEntitySeen(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	early, late := time.Date(2021, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 7, 0, 0, 0, 0, time.UTC)
	var docs []*mizan.Document
	for i, pub := range []*time.Time{&late, nil, &early} {
		d := Doc(fmt.Sprintf("s%d.txt", i), "T", "en", fmt.Sprintf("Iran is mentioned in document %d.", i))
		d.Published = pub
		putAnalysed(t, st, d, &mizan.Analysis{Mentions: []mizan.Mention{Mention(t, d, "Iran", 1, mizan.GPE, "gpe/ir")}}, false)
		docs = append(docs, d)
	}
	ir := summary(t, st, "gpe/ir")
	if ir.Docs != 3 || ir.FirstSeen == nil || !ir.FirstSeen.Equal(early) {
		t.Errorf("got %d docs, first seen %v, want 3 and %v", ir.Docs, ir.FirstSeen, early)
	}
	// The undated document counts from its ingest time, which is now: after 2024.
	if ir.LastSeen == nil || !ir.LastSeen.After(late) {
		t.Errorf("got last seen %v, want the undated document's ingest time", ir.LastSeen)
	}
	p, err := st.Entity(ctx, "gpe/ir", mizan.ProfileOptions{Documents: 2})
	if err != nil || len(p.Documents) != 2 || p.Documents[0].ID != docs[1].ID || p.Documents[1].ID != docs[0].ID {
		t.Errorf("got documents %+v %v, want the two newest, newest first", p.Documents, err)
	}
	// Reprocessing the earliest document without Iran moves first seen.
	putAnalysed(t, st, docs[2], &mizan.Analysis{}, true)
	if ir := summary(t, st, "gpe/ir"); ir.FirstSeen == nil || !ir.FirstSeen.Equal(late) || ir.Docs != 2 {
		t.Errorf("got first seen %v in %d docs, want %v in 2", ir.FirstSeen, ir.Docs, late)
	}
}

func testEntityMerge(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("m.txt", "T", "en", "Karim Benali met Kareem Ben Ali.\nKareem Ben Ali left.")
	putAnalysed(t, st, d, &mizan.Analysis{
		Mentions: []mizan.Mention{
			Mention(t, d, "Karim Benali", 1, mizan.PERSON, "person/karim-benali"),
			Mention(t, d, "Kareem Ben Ali", 1, mizan.PERSON, "person/kareem-ben-ali"),
			Mention(t, d, "Kareem Ben Ali", 2, mizan.PERSON, "person/kareem-ben-ali"),
		},
		Entities: []mizan.Entity{
			discovered("person/karim-benali", "Karim Benali", mizan.PERSON, "en"),
			discovered("person/kareem-ben-ali", "Kareem Ben Ali", mizan.PERSON, "en"),
		},
	}, false)
	c, err := st.MergeEntities(ctx, "Kareem Ben Ali", "person/karim-benali")
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != mizan.CorrectMerge || c.Entity != "person/kareem-ben-ali" || c.Into != "person/karim-benali" || c.ID == 0 {
		t.Errorf("got correction %+v", c)
	}
	if k := summary(t, st, "person/karim-benali"); k.Mentions != 3 || k.Docs != 1 || !contains(k.Aliases, "Kareem Ben Ali") {
		t.Errorf("got %+v, want 3 mentions and the merged name as an alias", k)
	}
	if k := summary(t, st, "person/kareem-ben-ali"); k.ID != "" {
		t.Errorf("merged entity still listed: %+v", k)
	}
	ms, _ := st.Mentions(ctx, d.ID)
	for _, m := range ms {
		if m.EntityID != "person/karim-benali" {
			t.Errorf("got mention %q → %s, want person/karim-benali", m.Text, m.EntityID)
		}
	}
	p, err := st.Entity(ctx, "person/kareem-ben-ali", mizan.ProfileOptions{})
	if err != nil || p.ID != "person/karim-benali" || !contains(p.MergedFrom, "person/kareem-ben-ali") || len(p.Corrections) != 1 {
		t.Errorf("profile of the merged id: got %+v %v, want the target's, with its merge history", p, err)
	}
	// A later document naming the merged entity lands on the target (corrections outlast reprocessing).
	d2 := Doc("m2.txt", "T", "en", "Kareem Ben Ali spoke again.")
	putAnalysed(t, st, d2, &mizan.Analysis{
		Mentions: []mizan.Mention{Mention(t, d2, "Kareem Ben Ali", 1, mizan.PERSON, "person/kareem-ben-ali")},
		Entities: []mizan.Entity{discovered("person/kareem-ben-ali", "Kareem Ben Ali", mizan.PERSON, "en")},
	}, false)
	if k := summary(t, st, "person/karim-benali"); k.Mentions != 4 || k.Docs != 2 {
		t.Errorf("got %d mentions in %d docs, want 4 in 2", k.Mentions, k.Docs)
	}
	if _, err := st.MergeEntities(ctx, "person/karim-benali", "Kareem Ben Ali"); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("merge into itself: got %v, want invalid", err)
	}
	if _, err := st.MergeEntities(ctx, "person/nobody-at-all", "person/karim-benali"); !errors.Is(err, mizan.ErrNotFound) {
		t.Errorf("merge unknown: got %v, want not found", err)
	}
	cs, err := st.Corrections(ctx)
	if err != nil || len(cs) != 1 {
		t.Errorf("got corrections %v %v, want 1", cs, err)
	}
}

func testEntitySplit(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	// The pipeline wrongly took "Mohamed Salah" (a footballer in the ticker) for the minister.
	d := Doc("sp.txt", "T", "en", "Minister Mohamed Salah Dembri spoke.\nDembri said yes.\nTicker: Mohamed Salah scores.")
	a := &mizan.Analysis{
		Mentions: []mizan.Mention{
			Mention(t, d, "Mohamed Salah Dembri", 1, mizan.PERSON, "person/mohamed-salah-dembri"),
			Mention(t, d, "Dembri", 2, mizan.PERSON, "person/mohamed-salah-dembri"),
			Mention(t, d, "Mohamed Salah", 2, mizan.PERSON, "person/mohamed-salah-dembri"),
		},
		Entities: []mizan.Entity{{ID: "person/mohamed-salah-dembri", Name: "Mohamed Salah Dembri", Type: mizan.PERSON,
			Names: []mizan.Name{{Text: "Mohamed Salah Dembri", Lang: "en", Kind: mizan.NameCanonical}, {Text: "Mohamed Salah", Lang: "en", Kind: mizan.NameAlias}}}},
	}
	a.Mentions[2].Canonical = "Mohamed Salah"
	putAnalysed(t, st, d, a, false)
	c, err := st.SplitEntity(ctx, "person/mohamed-salah-dembri", "Mohamed Salah", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != mizan.CorrectSplit || c.Into == "" || c.Into == c.Entity || c.NameKey != "mohamed salah" {
		t.Fatalf("got correction %+v", c)
	}
	if s := summary(t, st, "person/mohamed-salah-dembri"); s.Mentions != 2 || contains(s.Aliases, "Mohamed Salah") {
		t.Errorf("got %+v, want 2 mentions and the name gone", s)
	}
	if s := summary(t, st, c.Into); s.Mentions != 1 || s.Name != "Mohamed Salah" || s.Type != mizan.PERSON {
		t.Errorf("got new entity %+v, want Mohamed Salah with 1 mention", s)
	}
	// Reprocessing: the pipeline makes the same mistake, the split still holds.
	putAnalysed(t, st, d, a, true)
	if s := summary(t, st, c.Into); s.Mentions != 1 {
		t.Errorf("after reprocess got %d mentions, want the split kept", s.Mentions)
	}
	if s := summary(t, st, "person/mohamed-salah-dembri"); s.Mentions != 2 || contains(s.Aliases, "Mohamed Salah") {
		t.Errorf("after reprocess got %+v, want the name kept away", s)
	}
	// Into a given entity.
	d2 := Doc("sp2.txt", "T", "en", "Dembri and M. S. Dembri met.")
	putAnalysed(t, st, d2, &mizan.Analysis{
		Mentions: []mizan.Mention{
			Mention(t, d2, "Dembri", 1, mizan.PERSON, "person/mohamed-salah-dembri"),
			Mention(t, d2, "M. S. Dembri", 1, mizan.PERSON, "person/mohamed-salah-dembri"),
		},
	}, false)
	if _, err := st.SplitEntity(ctx, "person/mohamed-salah-dembri", "M. S. Dembri", c.Into); err != nil {
		t.Fatal(err)
	}
	if s := summary(t, st, c.Into); s.Mentions != 2 || s.Docs != 2 {
		t.Errorf("got %d mentions in %d docs, want 2 in 2", s.Mentions, s.Docs)
	}
	if _, err := st.SplitEntity(ctx, "person/mohamed-salah-dembri", "Nobody Known", ""); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("split unknown name: got %v, want invalid", err)
	}
	if _, err := st.SplitEntity(ctx, "person/mohamed-salah-dembri", "Dembri", "person/mohamed-salah-dembri"); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("split into itself: got %v, want invalid", err)
	}
	if cs, _ := st.Corrections(ctx); len(cs) != 2 || cs[0].ID >= cs[1].ID {
		t.Errorf("got corrections %+v, want 2 in order", cs)
	}
}

func testEntityCandidates(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("c.txt", "T", "en", "Leila Zaruki met Nikolai Patrushev in Tehran.")
	putAnalysed(t, st, d, &mizan.Analysis{
		Mentions: []mizan.Mention{
			Mention(t, d, "Leila Zaruki", 1, mizan.PERSON, "person/leila-zaruki"),
			Mention(t, d, "Nikolai Patrushev", 1, mizan.PERSON, "person/nikolai-patrushev"),
			Mention(t, d, "Tehran", 1, mizan.LOC, "loc/tehran"),
		},
		Entities: []mizan.Entity{discovered("person/leila-zaruki", "Leila Zaruki", mizan.PERSON, "en")},
	}, false)
	tests := []struct {
		name string
		t    mizan.EntityType
		want string
	}{
		{"ليلى زاروقي", mizan.PERSON, "person/leila-zaruki"},
		{"Leyla Zarouki", mizan.PERSON, "person/leila-zaruki"},
		{"Nikolaï Patrouchev", mizan.PERSON, "person/nikolai-patrushev"},
		{"Zaruki Holdings", mizan.ORG, ""}, // another type class: not a candidate
	}
	for _, tt := range tests {
		cands, err := st.Candidates(ctx, namesim.Keys(tt.name, tt.t), 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range cands {
			ids = append(ids, c.ID)
			if len(c.Names) == 0 {
				t.Errorf("candidate %s has no names", c.ID)
			}
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("Candidates(%q): got %q, want %q", tt.name, got, tt.want)
		}
	}
	es, err := st.StoredEntities(ctx, []string{"person/leila-zaruki", "person/nobody", "loc/tehran"})
	if err != nil || len(es) != 2 || es[0].ID != "loc/tehran" {
		t.Errorf("got stored %v %v, want loc/tehran and person/leila-zaruki", es, err)
	}
	co, err := st.CoMentioned(ctx, "person/leila-zaruki", 5)
	sort.Strings(co)
	if err != nil || strings.Join(co, " ") != "loc/tehran person/nikolai-patrushev" {
		t.Errorf("got co-mentioned %v %v", co, err)
	}
}

func testEntityKBImport(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("k.txt", "T", "en", "Algeria spoke.")
	putAnalysed(t, st, d, &mizan.Analysis{Mentions: []mizan.Mention{Mention(t, d, "Algeria", 1, mizan.GPE, "gpe/dz")}}, false)
	csv := "id,type,name,lang,aliases\ngpe/dz,GPE,Algeria,en,Numidia Republic\nperson/leila-zaruki,PERSON,Leila Zaruki,en,Colonel Zaruki\n"
	imp, err := st.AddKBImport(ctx, mizan.KBImport{Name: "extra.csv", Format: "csv", Data: []byte(csv)})
	if err != nil || imp.ID == 0 || imp.At.IsZero() {
		t.Fatalf("got %+v %v", imp, err)
	}
	imps, err := st.KBImports(ctx)
	if err != nil || len(imps) != 1 || string(imps[0].Data) != csv || imps[0].Format != "csv" || imps[0].Name != "extra.csv" {
		t.Fatalf("got imports %+v %v", imps, err)
	}
	// A stored entity gains the imported alias; an imported entity has a profile.
	if p, err := st.Entity(ctx, "Numidia Republic", mizan.ProfileOptions{}); err != nil || p.ID != "gpe/dz" {
		t.Errorf("Entity(Numidia Republic): got %v %v, want gpe/dz", p, err)
	}
	if p, err := st.Entity(ctx, "Colonel Zaruki", mizan.ProfileOptions{}); err != nil || p.ID != "person/leila-zaruki" {
		t.Errorf("Entity(Colonel Zaruki): got %v %v, want the imported entity", p, err)
	}
	if _, err := st.AddKBImport(ctx, mizan.KBImport{Name: "empty.csv", Format: "csv"}); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("empty import: got %v, want invalid", err)
	}
}

func testEntityConcurrent(t *testing.T, st mizan.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := Doc(fmt.Sprintf("e%d.txt", i), "T", "en", fmt.Sprintf("Leila Zaruki visited place number %d.", i))
			a := &mizan.Analysis{
				Mentions: []mizan.Mention{Mention(t, d, "Leila Zaruki", 1, mizan.PERSON, "person/leila-zaruki")},
				Entities: []mizan.Entity{discovered("person/leila-zaruki", "Leila Zaruki", mizan.PERSON, "en")},
			}
			if _, err := st.PutDocument(context.Background(), d, a, false); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if z := summary(t, st, "person/leila-zaruki"); z.Mentions != 10 || z.Docs != 10 {
		t.Errorf("got %d mentions in %d docs, want 10 in 10", z.Mentions, z.Docs)
	}
}

func testEntityInvalid(t *testing.T, st mizan.Store) {
	d := Doc("i.txt", "T", "en", "Short.")
	bad := &mizan.Analysis{Mentions: []mizan.Mention{{Span: mizan.Span{Start: 3, End: 400}, Type: mizan.GPE, EntityID: "gpe/dz"}}}
	if _, err := st.PutDocument(context.Background(), d, bad, false); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("mention outside the text: got %v, want invalid", err)
	}
	noType := &mizan.Analysis{Entities: []mizan.Entity{{ID: "person/x", Name: "X"}}}
	if _, err := st.PutDocument(context.Background(), d, noType, false); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("entity without a type: got %v, want invalid", err)
	}
	if _, total, _ := st.Documents(context.Background(), mizan.DocumentFilter{}); total != 0 {
		t.Errorf("a document with an invalid analysis was stored")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
