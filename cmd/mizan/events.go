package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
)

func init() {
	register("graph", func(a *App) []*cobra.Command {
		return []*cobra.Command{a.eventsCommand(), a.timelineCommand()}
	})
	docViewFillers = append(docViewFillers, func(ctx context.Context, st mizan.Store, v *docView) error {
		es, _, err := st.Events(ctx, mizan.EventFilter{Doc: v.ID})
		if err != nil {
			return err
		}
		v.Events = es
		v.Tone, err = st.Tone(ctx, v.ID)
		return err
	})
}

// actorRow is an entity in the JSON of an event.
type actorRow struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Text string `json:"text,omitempty"`
}

// eventRow is an event as `mizan events --json` prints it: one source and one target (events
// are dyadic, see internal/nlp/event), null when the text names none.
type eventRow struct {
	ID           string          `json:"id"`
	Doc          string          `json:"doc"`
	Type         mizan.EventType `json:"type"`
	SubType      string          `json:"subtype,omitempty"`
	Mode         mizan.Mode      `json:"mode"`
	Source       *actorRow       `json:"source"`
	Target       *actorRow       `json:"target"`
	Participants []actorRow      `json:"participants,omitempty"`
	Place        *actorRow       `json:"place"`
	Date         dateRow         `json:"date"`
	Attribution  attrRow         `json:"attribution"`
	Hedged       bool            `json:"hedged"`
	HedgeCues    []string        `json:"hedge_cues,omitempty"`
	Trigger      string          `json:"trigger,omitempty"`
	Confidence   float64         `json:"confidence"`
	Sentence     string          `json:"sentence"`
	Span         mizan.Span      `json:"span"`
	// On a timeline: where the event sits, and whether that is its document's date.
	At      *time.Time `json:"at,omitempty"`
	Undated *bool      `json:"undated,omitempty"`
}

type dateRow struct {
	Text      string          `json:"text"`
	Start     *time.Time      `json:"start"`
	End       *time.Time      `json:"end"`
	Precision mizan.Precision `json:"precision"`
}

type attrRow struct {
	Text   string                `json:"text"`
	Kind   mizan.AttributionKind `json:"kind"`
	Entity string                `json:"entity,omitempty"`
}

func firstActor(as []mizan.Actor) *actorRow {
	if len(as) == 0 {
		return nil
	}
	return &actorRow{ID: as[0].Entity, Name: as[0].Name, Text: as[0].Text}
}

func eventRowOf(e mizan.Event) eventRow {
	r := eventRow{ID: e.ID, Doc: e.Doc, Type: e.Type, SubType: e.SubType, Mode: e.Mode,
		Source: firstActor(e.Source), Target: firstActor(e.Target),
		Date:        dateRow{Text: e.Time.Text, Start: e.Time.Start, End: e.Time.End, Precision: e.Time.Precision},
		Attribution: attrRow{Text: e.Attribution.Text, Kind: e.Attribution.Kind, Entity: e.Attribution.Entity},
		Hedged:      e.Hedged, HedgeCues: e.HedgeCues, Trigger: e.Trigger, Confidence: e.Confidence,
		Sentence: e.Text, Span: e.Sentence}
	for _, p := range e.Participants {
		r.Participants = append(r.Participants, actorRow{ID: p.Entity, Name: p.Name, Text: p.Text})
	}
	if e.Place != nil {
		r.Place = &actorRow{ID: e.Place.Entity, Name: e.Place.Name, Text: e.Place.Text}
	}
	if r.Date.Precision == "" {
		r.Date.Precision = mizan.PrecisionUnknown
	}
	return r
}

// eventFlags are the filters `events` and `timeline` share.
type eventFlags struct {
	entity, between, types, modes, since, until, doc string
	asOf                                             string
	limit, offset                                    int
	asJSON                                           bool
}

func (ef *eventFlags) add(cmd *cobra.Command, limit int) {
	fl := cmd.Flags()
	fl.StringVar(&ef.entity, "entity", "", "only events involving this entity (an id, or any of its names in any language)")
	fl.StringVar(&ef.between, "between", "", "only events between two entities: A,B (ids or names)")
	fl.StringVar(&ef.types, "type", "", "only events of these PLOVER types, comma-separated: "+strings.ToLower(mizan.EventTypeList()))
	fl.StringVar(&ef.modes, "mode", "", "only events in these modes, comma-separated: asserted, planned, possible, negated")
	fl.StringVar(&ef.since, "since", "", "only events whose time overlaps this date or later (YYYY, YYYY-MM or YYYY-MM-DD; an undated event counts at its document's date)")
	fl.StringVar(&ef.until, "until", "", "only events whose time starts before this date")
	fl.StringVar(&ef.doc, "doc", "", "only events of this document (id or unique prefix)")
	fl.StringVar(&ef.asOf, "as-of", "", "as known on this date: only events of documents published (or, undated, ingested) by then")
	fl.IntVar(&ef.limit, "limit", limit, "at most this many events (0: all)")
	fl.IntVar(&ef.offset, "offset", 0, "skip this many events")
	fl.BoolVar(&ef.asJSON, "json", false, "print a JSON array")
}

// filter turns the flags into an EventFilter, resolving entity names.
func (a *App) eventFilter(ctx context.Context, st mizan.Store, ef eventFlags) (mizan.EventFilter, error) {
	f := mizan.EventFilter{Doc: ef.doc, Limit: ef.limit, Offset: ef.offset}
	var err error
	if ef.entity != "" {
		if f.Entity, err = a.entityRef(ctx, st, ef.entity); err != nil {
			return f, err
		}
	}
	if ef.between != "" {
		parts := strings.Split(ef.between, ",")
		if len(parts) != 2 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" {
			return f, usagef("--between %q: want two entities separated by a comma", ef.between)
		}
		for i, p := range parts {
			if f.Between[i], err = a.entityRef(ctx, st, strings.TrimSpace(p)); err != nil {
				return f, err
			}
		}
		if f.Between[0] == f.Between[1] {
			return f, usagef("--between %q names the same entity twice", ef.between)
		}
	}
	for _, t := range splitList(ef.types) {
		typ := mizan.EventType(strings.ToUpper(t))
		if !typ.Known() {
			return f, usagef("--type %q: want one of %s", t, mizan.EventTypeList())
		}
		f.Types = append(f.Types, typ)
	}
	for _, m := range splitList(ef.modes) {
		mode := mizan.Mode(strings.ToLower(m))
		if !mode.Known() {
			return f, usagef("--mode %q: want asserted, planned, possible or negated", m)
		}
		f.Modes = append(f.Modes, mode)
	}
	if f.Since, err = parseDate("since", ef.since); err != nil {
		return f, err
	}
	if f.Until, err = parseDate("until", ef.until); err != nil {
		return f, err
	}
	if f.AsOf, err = parseAsOf("as-of", ef.asOf); err != nil {
		return f, err
	}
	return f, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// entityRef turns what a user typed into an entity id: an id as is, else a name the store's
// entities answer to (any spelling, any language), else a name of the knowledge base.
// entityPair resolves the two entities a command names and refuses the same one twice.
func (a *App) entityPair(ctx context.Context, st mizan.Store, cmd string, args []string) (string, string, error) {
	x, err := a.entityRef(ctx, st, args[0])
	if err != nil {
		return "", "", err
	}
	y, err := a.entityRef(ctx, st, args[1])
	if err != nil {
		return "", "", err
	}
	if x == y {
		return "", "", usagef("%s: %q and %q are the same entity", cmd, args[0], args[1])
	}
	return x, y, nil
}

func (a *App) entityRef(ctx context.Context, st mizan.Store, ref string) (string, error) {
	p, err := st.Entity(ctx, ref, mizan.ProfileOptions{Documents: 1, Sentences: 1})
	switch {
	case err == nil:
		return p.ID, nil
	case !errors.Is(err, mizan.ErrNotFound):
		return "", err
	}
	if strings.Contains(ref, "/") {
		return ref, nil // an id of an entity that nothing stored refers to yet
	}
	k, kerr := a.knowledgeBase(ctx)
	if kerr != nil {
		return "", kerr
	}
	if es := k.Lookup(ref); len(es) > 0 {
		return es[0].ID, nil
	}
	return "", mizan.Errorf(mizan.ENOTFOUND, "no entity named %q", ref)
}

// eventDate prints an event's time no more precisely than it is known.
func eventDate(t mizan.TimeExpr) string {
	if t.Start == nil {
		if t.Precision == mizan.PrecisionRelative {
			return "~" + clip(t.Text, 18)
		}
		return "-"
	}
	return t.Period()
}

func actorName(as []mizan.Actor) string {
	if len(as) == 0 {
		return "-"
	}
	return clip(as[0].Name, 28)
}

func (a *App) eventsCommand() *cobra.Command {
	var ef eventFlags
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List the events found in the corpus: who did what to whom, when, where, according to whom",
		Long: `List the events (claims that something happened) found in the corpus, in document order: their
PLOVER type, mode (asserted, planned, possible, negated), source and target, place, date (never
more precise than the text), who asserts them and whether they are hedged, with the sentence
they come from. Entities are given by id or by any name, in any language.`,
		Example: `  mizan events --entity Chengriha
  mizan events --between Algeria,Iran --type consult,aid --json
  mizan events --since 2022-11 --until 2023 --mode planned`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			f, err := a.eventFilter(ctx, st, ef)
			if err != nil {
				return err
			}
			es, total, err := st.Events(ctx, f)
			if err != nil {
				return err
			}
			if ef.asJSON {
				rows := make([]eventRow, 0, len(es))
				for _, e := range es {
					rows = append(rows, eventRowOf(e))
				}
				return a.writeJSON(rows)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "DATE\tTYPE\tMODE\tSOURCE\tTARGET\tPLACE\tSAYS\tDOC\tSENTENCE")
			for _, e := range es {
				place := "-"
				if e.Place != nil {
					place = clip(e.Place.Name, 20)
				}
				says := string(e.Attribution.Kind)
				if e.Hedged {
					says += " (hedged)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", eventDate(e.Time), e.Type, e.Mode, actorName(e.Source),
					actorName(e.Target), place, says, shortID(e.Doc), clip(e.Text, 70))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(es) < total {
				fmt.Fprintf(a.Stderr, "%d of %d events (use --limit and --offset for more)\n", len(es), total)
			}
			return nil
		},
	}
	ef.add(cmd, 100)
	return cmd
}

func (a *App) timelineCommand() *cobra.Command {
	var ef eventFlags
	cmd := &cobra.Command{
		Use:   "timeline",
		Short: "List events in time order",
		Long: `List events ordered by when they happened. An event whose text gives no time is placed at its
document's date (publication, else ingest) and marked with "~" (in JSON: "undated": true).`,
		Example: `  mizan timeline --entity "Nikolai Patrushev"
  mizan timeline --between Algeria,Russia --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			f, err := a.eventFilter(ctx, st, ef)
			if err != nil {
				return err
			}
			tl, err := st.Timeline(ctx, f)
			if err != nil {
				return err
			}
			if ef.asJSON {
				rows := make([]eventRow, 0, len(tl))
				for _, t := range tl {
					r := eventRowOf(t.Event)
					at, undated := t.At, t.Undated
					r.At, r.Undated = &at, &undated
					rows = append(rows, r)
				}
				return a.writeJSON(rows)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "WHEN\tTYPE\tMODE\tSOURCE\tTARGET\tSENTENCE")
			for _, t := range tl {
				when := eventDate(t.Time)
				if t.Undated {
					when = "~" + t.At.Format("2006-01-02") + " (doc)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", when, t.Type, t.Mode, actorName(t.Source), actorName(t.Target), clip(t.Text, 80))
			}
			return tw.Flush()
		},
	}
	ef.add(cmd, 0)
	return cmd
}
