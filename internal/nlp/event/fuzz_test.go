package event_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp/event"
)

// evalLines returns the lines of the evaluation set, to seed the fuzzers.
func evalLines(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("testdata/eval/*.jsonl")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no evaluation files: %v", err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			out = append(out, sc.Text())
		}
	}
	return out
}

// FuzzReadEval checks that the evaluation-set reader never panics, rejects bad input with
// EINVALID, and reads back what it accepted once written again.
func FuzzReadEval(f *testing.F) {
	for i, l := range evalLines(f) {
		if i%5 == 0 {
			f.Add(l)
		}
	}
	f.Add(`{"id":"x","lang":"en","text":"t","events":[{"type":"AID","mode":"asserted","source":"gpe/dz","target":"","date":"2024/2025","precision":"range","attribution":"author"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		set, err := event.ReadEval(strings.NewReader(in))
		if err != nil {
			if mizan.ErrorCode(err) != mizan.EINVALID {
				t.Fatalf("got error %v (code %s), want invalid", err, mizan.ErrorCode(err))
			}
			return
		}
		var buf bytes.Buffer
		for _, s := range set {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
			buf.WriteByte('\n')
		}
		again, err := event.ReadEval(&buf)
		if err != nil || len(again) != len(set) {
			t.Fatalf("got %d sentences and %v reading back %d", len(again), err, len(set))
		}
	})
}

// FuzzLoadLexicon checks that a trigger or cue file, however broken, loads or fails with
// EINVALID, never panics.
func FuzzLoadLexicon(f *testing.F) {
	for _, lang := range []string{"en", "fr", "ar"} {
		tr, err := os.ReadFile("data/triggers." + lang + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		cu, err := os.ReadFile("data/cues." + lang + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(lang, string(tr[:min(len(tr), 1500)]), string(cu[:min(len(cu), 1500)]))
	}
	f.Add("en", "triggers:\n- {type: NOPE, verbs: [x]}\n", "mode: {}\n")
	f.Add("en", "triggers:\n- {type: AID, verbs: [\".. x\"]}\n", "")
	f.Fuzz(func(t *testing.T, lang, triggers, cues string) {
		lx, err := event.LoadLexicon(lang, strings.NewReader(triggers), strings.NewReader(cues))
		if err != nil {
			var me *mizan.Error
			if !errors.As(err, &me) || me.Code != mizan.EINVALID {
				t.Fatalf("got error %v, want an invalid *mizan.Error", err)
			}
			return
		}
		if lx.Lang != lang {
			t.Fatalf("got language %q, want %q", lx.Lang, lang)
		}
	})
}

// FuzzStage runs the event stage over arbitrary text with the mentions the stand-in KB matcher
// finds, and checks what the store relies on: ids set and unique per document, spans inside
// the text, the sentence's text at its span, actors with entity ids, a known precision.
func FuzzStage(f *testing.F) {
	for i, l := range evalLines(f) {
		var s event.EvalSentence
		if json.Unmarshal([]byte(l), &s) == nil && i%4 == 0 {
			f.Add(s.Lang, s.Text, s.Date != "")
		}
	}
	f.Add("en", "\"Quote,\" he said. According to sources: \u201cthey met\u201d — Algeria and Iran.", true)
	st := mustStage(f)
	precisions := map[mizan.Precision]bool{mizan.PrecisionDay: true, mizan.PrecisionMonth: true, mizan.PrecisionSeason: true,
		mizan.PrecisionYear: true, mizan.PrecisionRange: true, mizan.PrecisionRelative: true, mizan.PrecisionUnknown: true}
	f.Fuzz(func(t *testing.T, lang, text string, dated bool) {
		if !utf8.ValidString(text) || len(text) > 4000 || strings.TrimSpace(text) == "" {
			return
		}
		date := ""
		if dated {
			date = "2024-03-20"
		}
		d := docOf(t, lang, date, text)
		if err := mustKB(t).Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		if err := st.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		n := d.Chars()
		seen := map[string]bool{}
		inside := func(sp *mizan.Span) bool { return sp == nil || (sp.Start >= 0 && sp.End <= n && sp.Start <= sp.End) }
		for _, e := range d.Analysis.Events {
			if e.ID == "" || seen[e.ID] {
				t.Fatalf("event id %q empty or repeated", e.ID)
			}
			seen[e.ID] = true
			if !inside(&e.Sentence) || d.Slice(e.Sentence) != e.Text {
				t.Fatalf("sentence %v does not hold %q", e.Sentence, e.Text)
			}
			if !inside(e.TriggerSpan) || !inside(e.Time.Span) || !inside(e.Attribution.Span) {
				t.Fatalf("a span outside the text of %d characters: %+v", n, e)
			}
			if !precisions[e.Time.Precision] {
				t.Fatalf("precision %q", e.Time.Precision)
			}
			for _, a := range append(append(append([]mizan.Actor{}, e.Source...), e.Target...), e.Participants...) {
				if a.Entity == "" || !inside(a.Span) {
					t.Fatalf("actor %+v", a)
				}
			}
			if len(e.Source)+len(e.Target) == 0 {
				t.Fatalf("an event without actors: %+v", e)
			}
		}
		if d.Analysis.Tone == nil || d.Analysis.Tone.Score < 0 {
			t.Fatalf("tone %+v", d.Analysis.Tone)
		}
	})
}

// FuzzReadPLOVER and FuzzReadArabicGSR check the readers of the public gold standards.
func FuzzReadPLOVER(f *testing.F) {
	f.Add(`[{"id":"a","event":"AGREE","text":"X agreed.","source":[{"actorText":"X","code":"X"}],"target":""}]`)
	f.Add(`[{"event":"DOCUMENT"}]`)
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := event.ReadPLOVER(strings.NewReader(in))
		if err != nil && mizan.ErrorCode(err) != mizan.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
		for _, r := range recs {
			if r.Event == "DOCUMENT" || strings.TrimSpace(r.Text) == "" {
				t.Fatalf("kept %+v", r)
			}
		}
	})
}

func FuzzReadArabicGSR(f *testing.F) {
	f.Add(",accept,event_type,id,label,reject,text,total\n0,1,ASSAULT,a-1,yes,0,\"نص\",3\n")
	f.Add("id,label\n1,yes\n")
	f.Fuzz(func(t *testing.T, in string) {
		if _, err := event.ReadArabicGSR(strings.NewReader(in)); err != nil && mizan.ErrorCode(err) != mizan.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
		if _, err := event.ReadArabicGSRSpans(strings.NewReader(in)); err != nil && mizan.ErrorCode(err) != mizan.EINVALID {
			t.Fatalf("spans: got %v, want invalid", err)
		}
	})
}
