package event

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/evalkit"
	"github.com/mizan-osint/mizan/internal/nlp"
)

// Readers and scorers for the public event gold standards (../shared/data/events): the
// PLOVER gold-standard records (openeventdata/PLOVER, English) and the Arabic protest/assault
// event-detection and span sets (openeventdata/arabic_event_gsr). They are evaluation data:
// nothing in the lexicons was tuned on them.

// PLOVERRecord is one record of PLOVER_GSR_CAMEO.json.
type PLOVERRecord struct {
	ID     string       `json:"id"`
	Event  string       `json:"event"`
	Mode   string       `json:"mode"`
	Text   string       `json:"text"`
	Source PLOVERActors `json:"source"`
	Target PLOVERActors `json:"target"`
}

// PLOVERActors are the actors of a slot; a few records give a bare string instead of a list.
type PLOVERActors []PLOVERActor

// UnmarshalJSON accepts a list of actors or a string (one actor's words, "" for none).
func (a *PLOVERActors) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if strings.TrimSpace(s) != "" {
			*a = PLOVERActors{{ActorText: s}}
		}
		return nil
	}
	var list []PLOVERActor
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*a = list
	return nil
}

// PLOVERActor is an actor of a PLOVER record: the words of the text and a CAMEO-style code.
type PLOVERActor struct {
	ActorText string `json:"actorText"`
	Code      string `json:"code"`
}

// ReadPLOVER reads the PLOVER gold-standard records (a JSON array), skipping the
// documentation records.
func ReadPLOVER(r io.Reader) ([]PLOVERRecord, error) {
	var all []PLOVERRecord
	if err := json.NewDecoder(r).Decode(&all); err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "PLOVER records: %v", err)
	}
	out := all[:0]
	for _, x := range all {
		if x.Event == "DOCUMENT" || strings.TrimSpace(x.Text) == "" {
			continue
		}
		out = append(out, x)
	}
	return out, nil
}

// PLOVERType maps a type of the 2016 gold standard (PLOVER 0.5) to the current PLOVER type:
// DEMAND became REQUEST, DISAPPROVE and INVESTIGATE became ACCUSE, FIGHT became ASSAULT.
func PLOVERType(t string) (mizan.EventType, bool) {
	switch t {
	case "DEMAND":
		return mizan.REQUEST, true
	case "DISAPPROVE", "INVESTIGATE":
		return mizan.ACCUSE, true
	case "FIGHT":
		return mizan.ASSAULT, true
	}
	for _, x := range mizan.EventTypes {
		if string(x) == t {
			return x, true
		}
	}
	return "", false
}

// overlaps reports whether an actor of an event names the words of a gold actor: the texts
// overlap (either contains the other, case folded).
func overlaps(a mizan.Actor, gold string) bool {
	g := strings.ToLower(gold)
	for _, t := range []string{a.Text, a.Name} {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && (strings.Contains(g, t) || strings.Contains(t, g)) {
			return true
		}
	}
	return false
}

func anyOverlap(as []mizan.Actor, gold []string) bool {
	for _, a := range as {
		for _, g := range gold {
			if overlaps(a, g) {
				return true
			}
		}
	}
	return false
}

// slotCounts scores one actor slot of a sentence's events of the gold type.
func slotCounts(of []mizan.Event, pick func(mizan.Event) []mizan.Actor, gold []string) evalkit.Counts {
	var c evalkit.Counts
	predicted, hit := false, false
	for _, e := range of {
		if len(pick(e)) > 0 {
			predicted = true
			if anyOverlap(pick(e), gold) {
				hit = true
			}
		}
	}
	switch {
	case hit:
		c.TP = 1
	case predicted:
		c.FP = 1
	}
	if len(gold) > 0 && !hit {
		c.FN = 1
	}
	return c
}

// EvaluatePLOVER runs pre and st over every record's sentence and scores: "type" over the set
// of event types found in each sentence; "source" and "target" on the events of the gold type
// (an actor counts when its words overlap the gold actor's); "event" when one event has the
// gold type and both actors. Rows are also given per gold type.
func EvaluatePLOVER(ctx context.Context, pre nlp.Pipeline, st nlp.Stage, recs []PLOVERRecord) (*evalkit.Report, error) {
	r := &evalkit.Report{Title: "events: PLOVER gold-standard records (English, type and actors)"}
	unmapped := 0
	for _, x := range recs {
		gt, ok := PLOVERType(x.Event)
		if !ok {
			unmapped++
			continue
		}
		d := evalDoc(EvalSentence{ID: x.ID, Lang: "en", Text: x.Text})
		if err := pre.Process(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", x.ID, err)
		}
		if err := st.Process(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", x.ID, err)
		}
		types := map[mizan.EventType]bool{}
		var of []mizan.Event
		for _, e := range d.Analysis.Events {
			types[e.Type] = true
			if e.Type == gt {
				of = append(of, e)
			}
		}
		var tc evalkit.Counts
		if types[gt] {
			tc.TP = 1
		} else {
			tc.FN = 1
		}
		tc.FP = len(types)
		if types[gt] {
			tc.FP--
		}
		r.Add("type", tc)
		r.Add("type/"+string(gt), tc)
		var src, tgt []string
		for _, a := range x.Source {
			src = append(src, a.ActorText)
		}
		for _, a := range x.Target {
			tgt = append(tgt, a.ActorText)
		}
		r.Add("source", slotCounts(of, func(e mizan.Event) []mizan.Actor { return e.Source }, src))
		r.Add("target", slotCounts(of, func(e mizan.Event) []mizan.Actor { return e.Target }, tgt))
		var ec evalkit.Counts
		for _, e := range of {
			if (len(src) == 0 || anyOverlap(e.Source, src)) && (len(tgt) == 0 || anyOverlap(e.Target, tgt)) {
				ec.TP = 1
				break
			}
		}
		if ec.TP == 0 {
			ec.FN = 1
			if len(of) > 0 {
				ec.FP = 1
			}
		}
		r.Add("event", ec)
	}
	r.Sort()
	r.Notes = append(r.Notes, fmt.Sprintf("%d records (%d with a type that has no PLOVER counterpart skipped); gold types of PLOVER 0.5 mapped: DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT", len(recs), unmapped))
	return r, nil
}

// ArabicGSRSentence is one row of protest_gsr.csv or assault_gsr.csv.
type ArabicGSRSentence struct {
	ID    string
	Type  mizan.EventType
	Label string // yes, easy no, difficult no, ambiguous
	Text  string
}

// ReadArabicGSR reads an event-detection file of arabic_event_gsr (CSV with a header naming
// the columns event_type, id, label and text).
func ReadArabicGSR(r io.Reader) ([]ArabicGSRSentence, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "arabic GSR header: %v", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for _, need := range []string{"event_type", "id", "label", "text"} {
		if _, ok := col[need]; !ok {
			return nil, mizan.Errorf(mizan.EINVALID, "arabic GSR: no column %q", need)
		}
	}
	var out []ArabicGSRSentence
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "arabic GSR line %d: %v", n, err)
		}
		get := func(c string) string {
			if i := col[c]; i < len(rec) {
				return rec[i]
			}
			return ""
		}
		out = append(out, ArabicGSRSentence{ID: get("id"), Type: mizan.EventType(get("event_type")), Label: get("label"), Text: get("text")})
	}
}

// ArabicGSRSpans is one record of protest_spans.json or assault_spans.json: a sentence with
// the words of its event's verb and actors.
type ArabicGSRSpans struct {
	ID    string          `json:"source"`
	Text  string          `json:"text"`
	Type  mizan.EventType `json:"event_type"`
	Spans []struct {
		Source []string `json:"source_actor"`
		Verb   []string `json:"verb"`
		Target []string `json:"target_actor"`
	} `json:"spans"`
}

// ReadArabicGSRSpans reads a span file of arabic_event_gsr (a JSON array).
func ReadArabicGSRSpans(r io.Reader) ([]ArabicGSRSpans, error) {
	var out []ArabicGSRSpans
	if err := json.NewDecoder(r).Decode(&out); err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "arabic GSR spans: %v", err)
	}
	return out, nil
}

// EvaluateArabicGSR scores detection on the labelled sentences ("yes" against "easy no" and
// "difficult no"; "ambiguous" skipped): a sentence is detected when the stage finds an event
// of its type. On the span records it scores the trigger against the gold verb words and the
// actors against the gold actor words (overlap of normalised words).
func EvaluateArabicGSR(ctx context.Context, pre nlp.Pipeline, st nlp.Stage, sents []ArabicGSRSentence, spans []ArabicGSRSpans) (*evalkit.Report, error) {
	r := &evalkit.Report{Title: "events: Arabic protest/assault gold standard (detection and spans)"}
	run := func(id, text string) ([]mizan.Event, error) {
		d := evalDoc(EvalSentence{ID: id, Lang: "ar", Text: text})
		if err := pre.Process(ctx, d); err != nil {
			return nil, err
		}
		if err := st.Process(ctx, d); err != nil {
			return nil, err
		}
		return d.Analysis.Events, nil
	}
	for _, s := range sents {
		if s.Label == "ambiguous" || strings.TrimSpace(s.Text) == "" {
			continue
		}
		es, err := run(s.ID, s.Text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.ID, err)
		}
		found := false
		for _, e := range es {
			found = found || e.Type == s.Type
		}
		c := evalkit.Decision(s.Label == "yes", found)
		r.Add("detect/"+string(s.Type), c)
		r.Add("detect", c)
	}
	for _, x := range spans {
		es, err := run(x.ID, x.Text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", x.ID, err)
		}
		var of []mizan.Event
		for _, e := range es {
			if e.Type == x.Type {
				of = append(of, e)
			}
		}
		var verbs, srcs, tgts []string
		for _, sp := range x.Spans {
			verbs = append(verbs, sp.Verb...)
			srcs = append(srcs, strings.Join(sp.Source, " "))
			tgts = append(tgts, strings.Join(sp.Target, " "))
		}
		var vc evalkit.Counts
		hit := false
		for _, e := range of {
			for _, v := range verbs {
				if wordsOverlap(e.Trigger, v) {
					hit = true
				}
			}
		}
		switch {
		case hit:
			vc.TP = 1
		case len(of) > 0:
			vc.FP, vc.FN = 1, 1
		default:
			vc.FN = 1
		}
		r.Add("span/verb", vc)
		r.Add("span/source", arabicSlot(of, func(e mizan.Event) []mizan.Actor { return e.Source }, srcs))
		r.Add("span/target", arabicSlot(of, func(e mizan.Event) []mizan.Actor { return e.Target }, tgts))
	}
	r.Sort()
	r.Notes = append(r.Notes, fmt.Sprintf("%d labelled sentences, %d span records; an actor counts when one of its words is one of the gold actor's (Arabic normalised, clitics removed)", len(sents), len(spans)))
	return r, nil
}

func arabicSlot(of []mizan.Event, pick func(mizan.Event) []mizan.Actor, gold []string) evalkit.Counts {
	var c evalkit.Counts
	predicted, hit := false, false
	for _, e := range of {
		for _, a := range pick(e) {
			predicted = true
			for _, g := range gold {
				if wordsOverlap(a.Text, g) {
					hit = true
				}
			}
		}
	}
	hasGold := false
	for _, g := range gold {
		hasGold = hasGold || strings.TrimSpace(g) != ""
	}
	switch {
	case hit:
		c.TP = 1
	case predicted:
		c.FP = 1
	}
	if hasGold && !hit {
		c.FN = 1
	}
	return c
}

// wordsOverlap reports whether two texts share a word, compared by textnorm key.
func wordsOverlap(a, b string) bool {
	ka := map[string]bool{}
	for _, k := range phraseKeys("ar", a) {
		ka[k] = true
	}
	for _, k := range phraseKeys("ar", b) {
		if ka[k] {
			return true
		}
	}
	return false
}
