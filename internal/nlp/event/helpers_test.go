package event_test

import (
	"context"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/nlp/entity"
	"github.com/mizan-osint/mizan/internal/nlp/event"
	"github.com/mizan-osint/mizan/internal/nlp/ner"
	"github.com/mizan-osint/mizan/internal/nlp/sentence"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

// kbMentioner is a small stand-in for the entity stage in these tests: it finds the names of
// the default knowledge base in a text, longest first, as the entity stage's KB matcher does
// (mention span without Arabic proclitics, with the article), and nothing else. It lets the
// event stage be tested on its own input contract.
type kbMentioner struct {
	k      *kb.KB
	byKey  map[string][]kb.NameRef
	maxLen int
}

var (
	entityOnce  sync.Once
	entityStage nlp.Stage
	entityErr   error

	mentionerOnce sync.Once
	mentioner     *kbMentioner
	mentionerErr  error
	stageOnce     sync.Once
	testStage     *event.Stage
	stageErr      error
)

func mustKB(tb testing.TB) *kbMentioner {
	tb.Helper()
	mentionerOnce.Do(func() {
		k, err := kb.Default()
		if err != nil {
			mentionerErr = err
			return
		}
		m := &kbMentioner{k: k, byKey: map[string][]kb.NameRef{}}
		for _, n := range k.Names() {
			toks := textnorm.Tokens(n.Text)
			if len(toks) == 0 {
				continue
			}
			keys := make([]string, len(toks))
			for i, t := range toks {
				keys[i] = t.Key
			}
			key := strings.Join(keys, " ")
			m.byKey[key] = append(m.byKey[key], n)
			m.maxLen = max(m.maxLen, len(toks))
		}
		mentioner = m
	})
	if mentionerErr != nil {
		tb.Fatal(mentionerErr)
	}
	return mentioner
}

func mustStage(tb testing.TB) *event.Stage {
	tb.Helper()
	stageOnce.Do(func() {
		o := event.DefaultOptions()
		// MIZAN_EVENT_TAGGER=1 measures the stage with the English part-of-speech tagger.
		o.Tagger = os.Getenv("MIZAN_EVENT_TAGGER") != ""
		o.Actorless = os.Getenv("MIZAN_EVENT_ACTORLESS") != ""
		testStage, stageErr = event.New(mustKB(tb).k, o)
	})
	if stageErr != nil {
		tb.Fatal(stageErr)
	}
	return testStage
}

// kindRank orders the readings of a name: a proper name before a demonym before a capital.
func kindRank(k mizan.NameKind) int {
	switch k {
	case mizan.NameDemonym:
		return 1
	case mizan.NameCapital:
		return 2
	}
	return 0
}

func (m *kbMentioner) Name() string { return "kbmentions" }

// Process fills d.Analysis.Mentions.
func (m *kbMentioner) Process(_ context.Context, d *nlp.Doc) error {
	d.Analysis.Mentions = d.Analysis.Mentions[:0]
	ix := d.Index()
	toks := textnorm.Tokens(d.Text)
	for i := 0; i < len(toks); i++ {
		for n := min(m.maxLen, len(toks)-i); n >= 1; n-- {
			keys := make([]string, n)
			for k := range n {
				keys[k] = toks[i+k].Key
			}
			// Names do not run over punctuation other than hyphens, apostrophes and spaces.
			if n > 1 && strings.ContainsAny(d.Text[toks[i].End:toks[i+n-1].Start], ",.;:()\"“”«»،") {
				continue
			}
			refs := m.byKey[strings.Join(keys, " ")]
			if len(refs) == 0 || (n == 1 && helperStopwords[keys[0]]) {
				continue
			}
			sort.SliceStable(refs, func(a, b int) bool { return kindRank(refs[a].Kind) < kindRank(refs[b].Kind) })
			ref := refs[0]
			start := toks[i].ArticleStart
			r, _ := utf8.DecodeRuneInString(d.Text[start:])
			latin := !textnorm.IsArabic(r)
			if latin && n == 1 && len(toks[i].Key) < 3 && ref.Kind != mizan.NameAbbrev {
				continue
			}
			if latin && !unicode.IsUpper(r) && !(ref.Kind == mizan.NameDemonym && d.Lang == "fr") && !capitalisedLater(d.Text, toks[i+1:i+n]) {
				continue
			}
			form := mizan.FormName
			switch ref.Kind {
			case mizan.NameDemonym:
				form = mizan.FormDemonym
			case mizan.NameAbbrev:
				form = mizan.FormAbbrev
			}
			canon := ref.Text
			if e, ok := m.k.Entity(ref.Entity); ok {
				canon = e.Name
			}
			d.Analysis.Mentions = append(d.Analysis.Mentions, mizan.Mention{
				Doc: d.ID, Span: ix.Span(start, toks[i+n-1].End), Text: d.Text[start:toks[i+n-1].End],
				Type: ref.Type, EntityID: ref.Entity, Method: mizan.MethodKB, Form: form, Confidence: 1,
				Rule: "kb:" + string(ref.Kind), Canonical: canon,
			})
			i += n - 1
			break
		}
	}
	return nil
}

// helperStopwords are words this stand-in matcher must not take for names: textnorm's clitic
// removal makes "الفلبين" (the Philippines) the key of "بين" (between), and "المالي"
// (financial) is Mali's demonym.
var helperStopwords = map[string]bool{"بين": true, "مالي": true}

// capitalisedLater reports a capitalised word among toks: "al-Sharq al-Awsat" is a name.
func capitalisedLater(text string, toks []textnorm.Token) bool {
	for _, t := range toks {
		if r, _ := utf8.DecodeRuneInString(text[t.Start:]); unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// docOf builds a pipeline document as the earlier stages leave it: one paragraph per block
// separated by a blank line, sentences split by internal/nlp/sentence, an optional publication
// date (YYYY-MM-DD).
func docOf(tb testing.TB, lang, published, text string) *nlp.Doc {
	tb.Helper()
	d := &nlp.Doc{Document: &mizan.Document{ID: "doc-" + lang, Lang: lang, Text: text, Raw: []byte(text)}}
	if published != "" {
		t, err := time.Parse("2006-01-02", published)
		if err != nil {
			tb.Fatal(err)
		}
		d.Published, d.PublishedPrecision = &t, mizan.PrecisionDay
	}
	ix := d.Index()
	pos := 0
	for _, block := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(block) != "" {
			a := pos + strings.Index(block, strings.TrimSpace(block))
			b := a + len(strings.TrimSpace(block))
			d.Paragraphs = append(d.Paragraphs, mizan.Paragraph{Span: ix.Span(a, b), Lang: lang})
			for _, r := range sentence.Split(text[a:b], lang) {
				d.Sentences = append(d.Sentences, ix.Span(a+r.Start, a+r.End))
			}
		}
		pos += len(block) + 2
	}
	return d
}

// mentions returns the stage that fills d.Analysis.Mentions in these tests: the real entity
// stage (internal/nlp/entity with the NER model), or the KB stand-in above when
// MIZAN_EVENT_KBONLY is set, which isolates the event stage from the entity stage's changes.
func mentions(tb testing.TB) nlp.Stage {
	tb.Helper()
	if os.Getenv("MIZAN_EVENT_KBONLY") != "" {
		return mustKB(tb)
	}
	entityOnce.Do(func() {
		m, err := ner.Default()
		if err != nil {
			entityErr = err
			return
		}
		entityStage, entityErr = entity.New(mustKB(tb).k, m, entity.DefaultConfig())
	})
	if entityErr != nil {
		tb.Fatal(entityErr)
	}
	return entityStage
}

// analyse runs the entity stage and the event stage over d.
func analyse(tb testing.TB, d *nlp.Doc) []mizan.Event {
	tb.Helper()
	if err := mentions(tb).Process(context.Background(), d); err != nil {
		tb.Fatal(err)
	}
	if err := mustStage(tb).Process(context.Background(), d); err != nil {
		tb.Fatal(err)
	}
	return d.Analysis.Events
}

// ids lists the entity ids of actors.
func ids(as []mizan.Actor) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Entity)
	}
	return strings.Join(out, ",")
}
