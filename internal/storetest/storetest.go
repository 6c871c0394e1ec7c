// Package storetest is the conformance suite every mizan.Store implementation passes: the
// SQLite store runs it on a temporary file, the PostgreSQL store on a real server. Behaviour
// that users see through the CLI and API is specified here once.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp/dedup"
)

// Opener returns a new, empty store; the suite closes it.
type Opener func(tb testing.TB) mizan.Store

// Run runs every conformance test against stores from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, mizan.Store)
	}{
		{"PutAndGet", testPutAndGet},
		{"DuplicateBytes", testDuplicateBytes},
		{"DuplicateText", testDuplicateText},
		{"NearDuplicates", testNearDuplicates},
		{"Replace", testReplace},
		{"IDPrefix", testIDPrefix},
		{"ListAndFilter", testListAndFilter},
		{"SearchLatin", testSearchLatin},
		{"SearchArabic", testSearchArabic},
		{"SearchSyntax", testSearchSyntax},
		{"Failures", testFailures},
		{"Sources", testSources},
		{"Invalid", testInvalid},
		{"Concurrent", testConcurrent},
		{"Stats", testStats},
	}
	tests = append(tests, entityTests...)
	tests = append(tests, eventTests...)
	tests = append(tests, graphTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := open(t)
			defer st.Close()
			tt.fn(t, st)
		})
	}
}

// Doc builds a processed document as the pipeline would: id from the raw bytes, one paragraph
// per blank-line block, one sentence per line.
func Doc(source, title, lang, text string) *mizan.Document {
	raw := []byte(title + "\n\n" + text)
	full := title + "\n\n" + text
	d := &mizan.Document{
		ID: mizan.DocumentID(raw), Source: source, SourceKind: mizan.SourceFile, Title: title,
		Lang: lang, Format: mizan.FormatText, ContentType: "text/plain", Raw: raw, Text: full,
		TextHash: mizan.TextHash(full), MinHash: dedup.Signature(full), Pipeline: 1,
	}
	ix := d.Index()
	pos := 0
	for _, line := range strings.SplitAfter(full, "\n") {
		s := strings.TrimSpace(line)
		if s != "" {
			a := pos + strings.Index(line, s)
			sp := ix.Span(a, a+len(s))
			d.Sentences = append(d.Sentences, sp)
			d.Paragraphs = append(d.Paragraphs, mizan.Paragraph{Span: sp, Lang: lang})
		}
		pos += len(line)
	}
	return d
}

func put(tb testing.TB, st mizan.Store, d *mizan.Document) mizan.PutOutcome {
	tb.Helper()
	o, err := st.PutDocument(context.Background(), d, nil, false)
	if err != nil {
		tb.Fatalf("PutDocument(%s): %v", d.Source, err)
	}
	return o
}

func testPutAndGet(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	pub := time.Date(2023, 2, 27, 23, 54, 0, 0, time.UTC)
	d := Doc("a.txt", "Ministers meet in the capital", "en", "The two ministers met on Monday.\nThey signed a memorandum.")
	d.Published, d.PublishedPrecision, d.PublishedText = &pub, mizan.PrecisionMinute, "27 Feb 2023 23:54"
	d.Authors = []string{"A. Writer"}
	d.Outlet = "Example Daily"
	d.Feed = &mizan.FeedInfo{FeedURL: "http://example.test/feed", ItemGUID: "g1"}
	o := put(t, st, d)
	if o.Result != mizan.PutAdded || o.ID != d.ID {
		t.Fatalf("got %+v, want added %s", o, d.ID)
	}
	got, err := st.Document(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != d.Text || string(got.Raw) != string(d.Raw) || got.Title != d.Title {
		t.Errorf("got text/raw/title %q/%q/%q, want %q/%q/%q", got.Text, got.Raw, got.Title, d.Text, d.Raw, d.Title)
	}
	if got.Published == nil || !got.Published.Equal(pub) || got.PublishedPrecision != mizan.PrecisionMinute {
		t.Errorf("got published %v %s, want %v minute", got.Published, got.PublishedPrecision, pub)
	}
	if len(got.Sentences) != len(d.Sentences) || got.Sentences[1] != d.Sentences[1] {
		t.Errorf("got sentences %v, want %v", got.Sentences, d.Sentences)
	}
	if got.Slice(got.Sentences[2]) != "They signed a memorandum." {
		t.Errorf("got sentence %q", got.Slice(got.Sentences[2]))
	}
	if got.Feed == nil || got.Feed.ItemGUID != "g1" || len(got.Authors) != 1 || got.Outlet != "Example Daily" {
		t.Errorf("got feed %+v authors %v outlet %q", got.Feed, got.Authors, got.Outlet)
	}
	if got.Length != d.Chars() || got.IngestedAt.IsZero() {
		t.Errorf("got length %d ingested %v, want %d and a time", got.Length, got.IngestedAt, d.Chars())
	}
	if _, err := st.Document(ctx, "ffffffffffffffff"); !errors.Is(err, mizan.ErrNotFound) {
		t.Errorf("unknown id: got %v, want not found", err)
	}
}

func testDuplicateBytes(t *testing.T, st mizan.Store) {
	d := Doc("a.txt", "Title", "en", "Body text of a document.")
	put(t, st, d)
	again := Doc("copy-of-a.txt", "Title", "en", "Body text of a document.")
	o := put(t, st, again)
	if o.Result != mizan.PutDuplicate || o.ID != d.ID {
		t.Fatalf("got %+v, want duplicate of %s", o, d.ID)
	}
	docs, total, err := st.Documents(context.Background(), mizan.DocumentFilter{})
	if err != nil || total != 1 || len(docs) != 1 {
		t.Fatalf("got %d docs (%d total, %v), want 1", len(docs), total, err)
	}
	if id, ok, _ := st.HasSource(context.Background(), "copy-of-a.txt"); !ok || id != d.ID {
		t.Errorf("duplicate's source not recorded: got %q %v", id, ok)
	}
}

func testDuplicateText(t *testing.T, st mizan.Store) {
	a := Doc("a.html", "Title", "en", "Same clean text.")
	put(t, st, a)
	b := Doc("b.html", "Title", "en", "Same clean text.")
	b.Raw = []byte("<html>different page furniture</html>")
	b.ID = mizan.DocumentID(b.Raw)
	if o := put(t, st, b); o.Result != mizan.PutDuplicate || o.ID != a.ID {
		t.Fatalf("got %+v, want duplicate of %s", o, a.ID)
	}
}

// story is a news text of about 130 words used to test near-duplicate grouping.
const story = `The foreign ministers of the two countries met in the capital on Tuesday to discuss security
cooperation, trade and the situation along their shared border, according to a statement issued by
the presidency after the talks. The ministers agreed to set up a joint committee that will meet every
three months and to resume direct flights between the two capitals before the end of the year.
Officials said the committee would also examine the return of refugees and the reopening of two
border crossings closed since the spring. Diplomats described the meeting as constructive. A second
round of talks is expected in the coming weeks, when the defence ministers are due to visit. Trade
between the two countries fell sharply last year after a dispute over gas prices and customs duties.`

func testNearDuplicates(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	a := put(t, st, Doc("a.txt", "Ministers meet", "en", story))
	// Republished with an added sentence and one changed word: a near duplicate.
	edited := strings.Replace(story, "constructive", "frank and constructive", 1) + "\nThis article was updated to add the date of the next round."
	b := put(t, st, Doc("b.txt", "Ministers meet in the capital", "en", edited))
	// Same topic and many of the same words, but a different story.
	other := `The defence ministers of the two countries will meet next month to discuss border security and
the reopening of crossings, officials said on Wednesday. The meeting follows talks between the foreign
ministers earlier this month. Analysts expect an agreement on joint patrols and on the exchange of
intelligence about armed groups operating in the desert region, which both governments blame for a
series of attacks on convoys and military posts this year.`
	c := put(t, st, Doc("c.txt", "Defence ministers to meet", "en", other))
	if b.DupGroup == "" || b.DupGroup != a.ID {
		t.Errorf("got group %q for the edited republication, want %q", b.DupGroup, a.ID)
	}
	if c.DupGroup != "" {
		t.Errorf("got group %q for a different story on the same topic, want none", c.DupGroup)
	}
	dups, err := st.NearDuplicates(ctx, a.ID)
	if err != nil || len(dups) != 1 || dups[0].ID != b.ID {
		t.Errorf("NearDuplicates(a) = %v, %v; want [%s]", dups, err, b.ID)
	}
	got, _ := st.Document(ctx, a.ID)
	if got.DupGroup != a.ID {
		t.Errorf("first of group has group %q, want its own id", got.DupGroup)
	}
}

func testReplace(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("a.txt", "Old title", "en", "Old text about ministers.")
	o1 := put(t, st, d)
	first, _ := st.Document(ctx, d.ID)
	d.Title, d.Text, d.Pipeline = "New title", "New text about envoys.", 2
	d.TextHash, d.MinHash, d.Sentences, d.Paragraphs = mizan.TextHash(d.Text), dedup.Signature(d.Text), nil, nil
	o2, err := st.PutDocument(ctx, d, nil, true)
	if err != nil || o2.Result != mizan.PutUpdated || o2.ID != o1.ID {
		t.Fatalf("replace: got %+v %v, want updated %s", o2, err, o1.ID)
	}
	got, _ := st.Document(ctx, d.ID)
	if got.Title != "New title" || got.Pipeline != 2 || !got.IngestedAt.Equal(first.IngestedAt) {
		t.Errorf("got %q pipeline %d ingested %v, want new title, 2, %v", got.Title, got.Pipeline, got.IngestedAt, first.IngestedAt)
	}
	if hits, _, _ := st.Search(ctx, mizan.SearchQuery{Query: "ministers"}); len(hits) != 0 {
		t.Errorf("old text still indexed: %d hits", len(hits))
	}
	if hits, _, _ := st.Search(ctx, mizan.SearchQuery{Query: "envoys"}); len(hits) != 1 {
		t.Errorf("new text not indexed: %d hits", len(hits))
	}
	if ids, _ := st.DocumentIDs(ctx, 2); len(ids) != 0 {
		t.Errorf("DocumentIDs(below 2) = %v, want none", ids)
	}
	if ids, _ := st.DocumentIDs(ctx, 3); len(ids) != 1 {
		t.Errorf("DocumentIDs(below 3) = %v, want one", ids)
	}
}

func testIDPrefix(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("a.txt", "Title", "en", "Some text.")
	put(t, st, d)
	for _, tt := range []struct {
		id   string
		want error
	}{
		{d.ID, nil}, {d.ID[:4], nil}, {strings.ToUpper(d.ID[:6]), nil}, {d.ID[:3], mizan.ErrInvalid}, {"0000zz", mizan.ErrNotFound},
	} {
		got, err := st.Document(ctx, tt.id)
		if tt.want == nil && (err != nil || got.ID != d.ID) {
			t.Errorf("Document(%q) = %v, want %s", tt.id, err, d.ID)
		}
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Document(%q) error = %v, want %v", tt.id, err, tt.want)
		}
	}
}

func testListAndFilter(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	for i := range 5 {
		d := Doc(fmt.Sprintf("%d.txt", i), fmt.Sprintf("Title %d", i), []string{"en", "ar"}[i%2], fmt.Sprintf("Text number %d about item %d.", i, i*7))
		p := time.Date(2020+i, 1, 1, 0, 0, 0, 0, time.UTC)
		d.Published, d.PublishedPrecision = &p, mizan.PrecisionDay
		put(t, st, d)
	}
	docs, total, err := st.Documents(ctx, mizan.DocumentFilter{Limit: 2, Offset: 1})
	if err != nil || total != 5 || len(docs) != 2 || docs[0].Source != "1.txt" {
		t.Fatalf("paging: got %d docs, total %d, first %v, err %v", len(docs), total, docs, err)
	}
	if docs[0].Text != "" || docs[0].Raw != nil || docs[0].Length == 0 {
		t.Errorf("listing should carry length but neither text nor raw: %+v", docs[0])
	}
	if _, total, _ := st.Documents(ctx, mizan.DocumentFilter{Lang: "ar"}); total != 2 {
		t.Errorf("lang filter: got %d, want 2", total)
	}
	since := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, total, _ := st.Documents(ctx, mizan.DocumentFilter{Since: &since, Until: &until}); total != 2 {
		t.Errorf("date filter: got %d, want 2", total)
	}
}

func searchIDs(tb testing.TB, st mizan.Store, q string) []string {
	tb.Helper()
	hits, _, err := st.Search(context.Background(), mizan.SearchQuery{Query: q})
	if err != nil {
		tb.Fatalf("Search(%q): %v", q, err)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.Doc.Source)
	}
	return ids
}

func testSearchLatin(t *testing.T, st mizan.Store) {
	put(t, st, Doc("fr.txt", "L'Algérie et la Russie", "fr", "Le général Saïd a rencontré le ministre à Alger."))
	put(t, st, Doc("en.txt", "Talks in Algiers", "en", "The general met the security council secretary in Algiers."))
	for _, tt := range []struct {
		q    string
		want string
	}{
		{"algerie", "fr.txt"}, {"Algérie", "fr.txt"}, {"SAID", "fr.txt"}, {"algiers", "en.txt"}, {"council secretary", "en.txt"},
	} {
		if got := searchIDs(t, st, tt.q); len(got) != 1 || got[0] != tt.want {
			t.Errorf("Search(%q) = %v, want [%s]", tt.q, got, tt.want)
		}
	}
	hits, _, _ := st.Search(context.Background(), mizan.SearchQuery{Query: "secretary"})
	if len(hits) != 1 || !strings.Contains(hits[0].Snippet, "secretary") || len(hits[0].Highlights) == 0 {
		t.Fatalf("snippet: got %+v", hits)
	}
	h := hits[0].Highlights[0]
	if got := string([]rune(hits[0].Snippet)[h.Start:h.End]); got != "secretary" {
		t.Errorf("highlight covers %q, want %q", got, "secretary")
	}
}

func testSearchArabic(t *testing.T, st mizan.Store) {
	put(t, st, Doc("ar1.txt", "اجتماع في الجزائر", "ar", "والجزائر وإيران تبنيان تحالفا. عُقد الاجتماعُ بالجزائرِ."))
	put(t, st, Doc("ar2.txt", "زيارة", "ar", "زار الوزير طهران للمرة الثانية."))
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"الجزائر", []string{"ar1.txt"}},
		{"جزائر", []string{"ar1.txt"}},
		{"ايران", []string{"ar1.txt"}},
		{"الاجتماع", []string{"ar1.txt"}},
		{"اجتماع", []string{"ar1.txt"}},
		{"طهران", []string{"ar2.txt"}},
		{"للمره", []string{"ar2.txt"}},
	} {
		if got := searchIDs(t, st, tt.q); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Search(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
	hits, _, _ := st.Search(context.Background(), mizan.SearchQuery{Query: "بالجزائر"})
	if len(hits) != 1 || len(hits[0].Highlights) == 0 {
		t.Fatalf("got %+v, want one hit with highlights", hits)
	}
	h := hits[0].Highlights[0]
	if got := string([]rune(hits[0].Snippet)[h.Start:h.End]); !strings.Contains(got, "جزائر") {
		t.Errorf("highlight covers %q, want a form of الجزائر", got)
	}
}

func testSearchSyntax(t *testing.T, st mizan.Store) {
	put(t, st, Doc("1.txt", "One", "en", "Russia and Algeria held talks on security."))
	put(t, st, Doc("2.txt", "Two", "en", "Iran and Algeria signed an energy deal."))
	put(t, st, Doc("3.txt", "Three", "en", "Security talks were held in Moscow."))
	for _, tt := range []struct {
		q    string
		want string
	}{
		{"algeria", "1.txt,2.txt"},
		{"algeria -iran", "1.txt"},
		{`"held talks"`, "1.txt"},
		{"russia OR iran", "1.txt,2.txt"},
		{"security talks", "1.txt,3.txt"},
	} {
		got := searchIDs(t, st, tt.q)
		if s := sortedJoin(got); s != tt.want {
			t.Errorf("Search(%q) = %s, want %s", tt.q, s, tt.want)
		}
	}
	if _, _, err := st.Search(context.Background(), mizan.SearchQuery{Query: "-iran"}); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("negative-only query: got %v, want invalid", err)
	}
	if _, _, err := st.Search(context.Background(), mizan.SearchQuery{Query: `" ( * ^ `}); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("query without words: got %v, want invalid", err)
	}
}

func sortedJoin(s []string) string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return strings.Join(c, ",")
}

func testFailures(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	if err := st.RecordFailure(ctx, mizan.Failure{Source: "bad.bin", Reason: "binary file"}); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordFailure(ctx, mizan.Failure{Source: "bad.bin", Reason: "binary file (looks like a PDF)"}); err != nil {
		t.Fatal(err)
	}
	fs, err := st.Failures(ctx)
	if err != nil || len(fs) != 1 || fs[0].Reason != "binary file (looks like a PDF)" {
		t.Fatalf("got %+v %v, want one updated failure", fs, err)
	}
	// A later successful ingest of the same source clears its failure.
	put(t, st, Doc("bad.bin", "Now fine", "en", "Fixed content."))
	if fs, _ := st.Failures(ctx); len(fs) != 0 {
		t.Errorf("got %v, want failure cleared", fs)
	}
}

func testSources(t *testing.T, st mizan.Store) {
	ctx := context.Background()
	d := Doc("https://example.test/a", "Title", "en", "Text.")
	put(t, st, d)
	if id, ok, err := st.HasSource(ctx, "https://example.test/a"); err != nil || !ok || id != d.ID {
		t.Errorf("HasSource = %q %v %v, want %s", id, ok, err, d.ID)
	}
	if _, ok, _ := st.HasSource(ctx, "https://example.test/b"); ok {
		t.Error("HasSource of an unknown source = true")
	}
	if ok, _ := st.HasDocument(ctx, d.ID); !ok {
		t.Error("HasDocument = false")
	}
}

func testInvalid(t *testing.T, st mizan.Store) {
	d := Doc("a.txt", "T", "en", "x")
	d.Text = "   "
	if _, err := st.PutDocument(context.Background(), d, nil, false); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("empty text: got %v, want invalid", err)
	}
	d = Doc("a.txt", "T", "en", "text")
	d.Sentences = append(d.Sentences, mizan.Span{Start: 0, End: 999})
	if _, err := st.PutDocument(context.Background(), d, nil, false); !errors.Is(err, mizan.ErrInvalid) {
		t.Errorf("bad span: got %v, want invalid", err)
	}
	if _, total, _ := st.Documents(context.Background(), mizan.DocumentFilter{}); total != 0 {
		t.Errorf("invalid documents were stored: %d", total)
	}
}

func testConcurrent(t *testing.T, st mizan.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := Doc(fmt.Sprintf("%d.txt", i%20), "T", "en", fmt.Sprintf("Document number %d with distinct words %d.", i%20, i%20*31))
			if _, err := st.PutDocument(context.Background(), d, nil, false); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, total, _ := st.Documents(context.Background(), mizan.DocumentFilter{}); total != 20 {
		t.Errorf("got %d documents, want 20", total)
	}
}

func testStats(t *testing.T, st mizan.Store) {
	put(t, st, Doc("1.txt", "A", "en", "One."))
	put(t, st, Doc("2.txt", "B", "ar", "نص."))
	s, err := st.Stats(context.Background())
	if err != nil || s.Documents != 2 || s.ByLang["ar"] != 1 {
		t.Errorf("got %+v %v", s, err)
	}
}
