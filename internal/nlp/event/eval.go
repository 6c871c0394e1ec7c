package event

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp"
)

// EvalSentence is one labelled example of the project's evaluation set (testdata/eval/*.jsonl,
// one JSON object per line): a sentence or two of news text, the document date it is read
// against, and the events a careful analyst codes in it (none for a sentence without one).
type EvalSentence struct {
	ID     string      `json:"id"`
	Lang   string      `json:"lang"`
	Date   string      `json:"date,omitempty"` // YYYY-MM-DD, "" for an undated document
	Text   string      `json:"text"`
	Events []GoldEvent `json:"events"`
}

// GoldEvent is an event as the evaluation set codes it: one source and one target (the dyadic
// convention of the stage), entity ids of the knowledge base, "" for none.
type GoldEvent struct {
	Type   mizan.EventType `json:"type"`
	Mode   mizan.Mode      `json:"mode"`
	Source string          `json:"source"`
	Target string          `json:"target"`
	// Date is "" (no time), YYYY, YYYY-MM or YYYY-MM-DD (the start), or START/END for a range
	// or season (END exclusive); Precision is the mizan.Precision the text allows.
	Date        string                `json:"date"`
	Precision   mizan.Precision       `json:"precision"`
	Attribution mizan.AttributionKind `json:"attribution"`
	Hedged      bool                  `json:"hedged,omitempty"`
	// Place is scored only when given.
	Place string `json:"place,omitempty"`
}

// MaxEvalLine bounds one line of an evaluation file.
const MaxEvalLine = 1 << 20

// ReadEval reads an evaluation file: JSON lines of EvalSentence. Blank lines and lines starting
// with # are skipped. A malformed or incomplete line is EINVALID, with its number.
func ReadEval(r io.Reader) ([]EvalSentence, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), MaxEvalLine)
	var out []EvalSentence
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var s EvalSentence
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "line %d: %v", n, err)
		}
		if err := s.validate(); err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "line %d (%s): %v", n, s.ID, err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read evaluation set: %w", err)
	}
	return out, nil
}

func (s EvalSentence) validate() error {
	switch {
	case s.ID == "":
		return fmt.Errorf("no id")
	case strings.TrimSpace(s.Text) == "":
		return fmt.Errorf("no text")
	case s.Lang == "":
		return fmt.Errorf("no language")
	}
	if s.Date != "" {
		if _, err := time.Parse("2006-01-02", s.Date); err != nil {
			return fmt.Errorf("date %q: want YYYY-MM-DD", s.Date)
		}
	}
	types := map[mizan.EventType]bool{}
	for _, t := range mizan.EventTypes {
		types[t] = true
	}
	for i, e := range s.Events {
		if !types[e.Type] {
			return fmt.Errorf("event %d: unknown type %q", i+1, e.Type)
		}
		switch e.Mode {
		case mizan.Asserted, mizan.Planned, mizan.Possible, mizan.Negated:
		default:
			return fmt.Errorf("event %d: unknown mode %q", i+1, e.Mode)
		}
		if e.Source == "" && e.Target == "" {
			return fmt.Errorf("event %d: no actor", i+1)
		}
		if _, _, err := parseGoldDate(e.Date); err != nil {
			return fmt.Errorf("event %d: %v", i+1, err)
		}
	}
	return nil
}

// parseGoldDate reads the date of a gold event.
func parseGoldDate(s string) (start, end *time.Time, err error) {
	if s == "" {
		return nil, nil, nil
	}
	a, b, isRange := strings.Cut(s, "/")
	parse := func(v string) (*time.Time, error) {
		for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
			if t, err := time.Parse(layout, v); err == nil {
				return &t, nil
			}
		}
		return nil, fmt.Errorf("date %q: want YYYY, YYYY-MM, YYYY-MM-DD or START/END", v)
	}
	if start, err = parse(a); err != nil {
		return nil, nil, err
	}
	if isRange {
		if end, err = parse(b); err != nil {
			return nil, nil, err
		}
	}
	return start, end, nil
}

// ReadEvalDir reads every *.jsonl file of dir, in name order.
func ReadEvalDir(dir string) ([]EvalSentence, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []EvalSentence
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		ss, err := ReadEval(r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(f), err)
		}
		out = append(out, ss...)
	}
	return out, nil
}

// evalDoc turns an example into a pipeline document: one paragraph in its language, dated.
func evalDoc(s EvalSentence) *nlp.Doc {
	d := &nlp.Doc{Document: &mizan.Document{ID: "eval-" + s.ID, Lang: s.Lang, Text: s.Text, Raw: []byte(s.Text)}}
	if s.Date != "" {
		t, _ := time.Parse("2006-01-02", s.Date)
		d.Published, d.PublishedPrecision = &t, mizan.PrecisionDay
	}
	d.Paragraphs = []mizan.Paragraph{{Span: mizan.Span{Start: 0, End: d.Chars()}, Lang: s.Lang}}
	return d
}

// EvalFields are the fields Evaluate scores, in report order. "event" is the type with both
// actors; each other field is scored on the events aligned by type and actors.
var EvalFields = []string{"event", "type", "source", "target", "mode", "date", "attribution", "hedged", "place"}

// Evaluate runs pre (the stages that give the example its sentences and mentions: sentence,
// entity) and then st over every example and scores the events against the gold ones. An
// event counts once per field: a true positive when it is aligned with a gold event and the
// field agrees, else a false positive; a gold event without an agreeing prediction is a false
// negative. Rows are "FIELD" over all languages and "FIELD/LANG".
func Evaluate(ctx context.Context, pre nlp.Pipeline, st nlp.Stage, set []EvalSentence) (*evalkit.Report, error) {
	r := &evalkit.Report{Title: "events: precision/recall per field (project evaluation set)"}
	langs := map[string]int{}
	for _, s := range set {
		d := evalDoc(s)
		if err := pre.Process(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", s.ID, err)
		}
		if err := st.Process(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", s.ID, err)
		}
		langs[s.Lang]++
		for field, c := range scoreSentence(d.Analysis.Events, s.Events) {
			r.Add(field, c)
			r.Add(field+"/"+s.Lang, c)
		}
	}
	var rows []evalkit.Row
	for _, f := range EvalFields {
		rows = append(rows, evalkit.Row{Label: f, Counts: r.Row(f)})
		for _, l := range []string{"en", "fr", "ar"} {
			if langs[l] > 0 {
				rows = append(rows, evalkit.Row{Label: f + "/" + l, Counts: r.Row(f + "/" + l)})
			}
		}
	}
	r.Rows = rows
	var ls []string
	for l, n := range langs {
		ls = append(ls, fmt.Sprintf("%s %d", l, n))
	}
	sort.Strings(ls)
	r.Notes = append(r.Notes, "sentences: "+strings.Join(ls, ", "))
	return r, nil
}

// scoreSentence aligns predicted events with gold ones and counts every field.
func scoreSentence(pred []mizan.Event, gold []GoldEvent) map[string]evalkit.Counts {
	out := map[string]evalkit.Counts{}
	pairs := align(pred, gold)
	for _, f := range EvalFields {
		var c evalkit.Counts
		matched := 0
		for _, p := range pairs {
			g, e := gold[p[1]], pred[p[0]]
			if f == "place" && g.Place == "" {
				continue
			}
			if fieldAgrees(f, e, g) {
				c.TP++
				matched++
			}
		}
		np, ng := len(pred), len(gold)
		if f == "place" {
			np, ng = 0, 0
			for _, p := range pairs {
				if gold[p[1]].Place != "" {
					np++
				}
			}
			for _, g := range gold {
				if g.Place != "" {
					ng++
				}
			}
		}
		c.FP, c.FN = np-matched, ng-matched
		out[f] = c
	}
	return out
}

// align pairs predicted and gold events, best first: same type and actors, then same type and
// one actor, then same actors, then same type.
func align(pred []mizan.Event, gold []GoldEvent) [][2]int {
	type cand struct{ p, g, score int }
	var cs []cand
	for i, e := range pred {
		for j, g := range gold {
			s := 0
			if e.Type == g.Type {
				s += 4
			}
			if actorID(e.Source) == g.Source {
				s += 2
			}
			if actorID(e.Target) == g.Target {
				s += 2
			}
			if s >= 4 {
				cs = append(cs, cand{i, j, s})
			}
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].score > cs[b].score })
	usedP, usedG := map[int]bool{}, map[int]bool{}
	var out [][2]int
	for _, c := range cs {
		if usedP[c.p] || usedG[c.g] {
			continue
		}
		usedP[c.p], usedG[c.g] = true, true
		out = append(out, [2]int{c.p, c.g})
	}
	return out
}

func actorID(as []mizan.Actor) string {
	if len(as) == 0 {
		return ""
	}
	return as[0].Entity
}

func fieldAgrees(f string, e mizan.Event, g GoldEvent) bool {
	switch f {
	case "event":
		return e.Type == g.Type && actorID(e.Source) == g.Source && actorID(e.Target) == g.Target
	case "type":
		return e.Type == g.Type
	case "source":
		return actorID(e.Source) == g.Source
	case "target":
		return actorID(e.Target) == g.Target
	case "mode":
		return e.Mode == g.Mode
	case "date":
		return dateAgrees(e.Time, g)
	case "attribution":
		return e.Attribution.Kind == g.Attribution
	case "hedged":
		return e.Hedged == g.Hedged
	case "place":
		return e.Place != nil && e.Place.Entity == g.Place
	}
	return false
}

// dateAgrees compares a resolved time with a gold date: same precision and, when the gold has
// one, same start (and end for a range).
func dateAgrees(t mizan.TimeExpr, g GoldEvent) bool {
	gp := g.Precision
	if gp == "" {
		gp = mizan.PrecisionUnknown
	}
	tp := t.Precision
	if tp == "" {
		tp = mizan.PrecisionUnknown
	}
	if tp != gp {
		return false
	}
	start, end, _ := parseGoldDate(g.Date)
	if start == nil {
		return t.Start == nil
	}
	if t.Start == nil || !t.Start.Equal(*start) {
		return false
	}
	return end == nil || (t.End != nil && t.End.Equal(*end))
}
