package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/analysis"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/graph"
)

func init() {
	register("graph", func(a *App) []*cobra.Command {
		return []*cobra.Command{a.relationsCommand(), a.claimsCommand(), a.diffCommand()}
	})
	profileSections = append(profileSections, relationsSection)
}

// reliabilityFile is the default name of the outlet reliability table, looked for next to the
// database.
const reliabilityFile = "mizan-reliability.yaml"

// analysisFlags are the flags the analysis commands share.
type analysisFlags struct {
	asOf        string
	reliability string
	types       string
}

func (af *analysisFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&af.asOf, "as-of", "", "the picture as it stood on this date: only documents published (or, undated, ingested) by then")
	fl.StringVar(&af.reliability, "reliability", "", "outlet reliability table (YAML; default $MIZAN_RELIABILITY, else "+reliabilityFile+" next to the database; outlets not listed are F)")
}

func (af *analysisFlags) addTypes(cmd *cobra.Command) {
	cmd.Flags().StringVar(&af.types, "type", "", "only events of these PLOVER types, comma-separated")
}

// graphOptions turns the flags into graph options.
func (af *analysisFlags) graphOptions() (graph.Options, error) {
	var o graph.Options
	var err error
	if o.AsOf, err = parseAsOf("as-of", af.asOf); err != nil {
		return o, err
	}
	for _, t := range splitList(af.types) {
		typ := mizan.EventType(strings.ToUpper(t))
		if !typ.Known() {
			return o, usagef("--type %q: want one of %s", t, mizan.EventTypeList())
		}
		o.Types = append(o.Types, typ)
	}
	return o, nil
}

// parseAsOf reads a date for "as of": a day counts to its end, so --as-of 2024-03-15 includes what
// was published that day (a month or a year likewise to its end).
func parseAsOf(flag, s string) (*time.Time, error) {
	return parseWith(mizan.AsOf, flag, s)
}

// loadGraph builds the knowledge graph from the store.
func (a *App) loadGraph(ctx context.Context, st mizan.Store, o graph.Options) (*graph.Graph, error) {
	src, ok := st.(graph.Source)
	if !ok {
		return nil, mizan.Errorf(mizan.EUNSUPPORTED, "this store cannot build a graph")
	}
	return graph.Build(ctx, src, o)
}

// reliabilityTable reads the outlet reliability table: --reliability, else $MIZAN_RELIABILITY,
// else mizan-reliability.yaml next to the database (or in the working directory for PostgreSQL);
// none at the default places means every outlet is F.
func (a *App) reliabilityTable(path string) (*admiralty.Table, error) {
	explicit := path != ""
	if !explicit {
		path = a.Getenv("MIZAN_RELIABILITY")
		explicit = path != ""
	}
	if !explicit {
		loc := strings.TrimPrefix(a.dbLocation(), "sqlite:")
		dir := "."
		if !strings.Contains(loc, "://") {
			dir = filepath.Dir(loc)
		}
		path = filepath.Join(dir, reliabilityFile)
	}
	t, err := admiralty.LoadFile(path)
	if errors.Is(err, mizan.ErrNotFound) && !explicit {
		return &admiralty.Table{Default: admiralty.F}, nil
	}
	return t, err
}

// claimsOf returns the claims of a graph that keep accepts, assessed (analysis.Claims).
func (a *App) claimsOf(ctx context.Context, st mizan.Store, g *graph.Graph, table *admiralty.Table, keep func(*claim.Claim) bool) ([]*claim.Claim, error) {
	return analysis.Claims(ctx, g, st, table, keep)
}

// involves reports whether a claim names an entity as an actor or as its place.
func involves(c *claim.Claim, id string) bool { return analysis.Involves(c, id) }

// The analysis views are internal/analysis's, shared with the web server's relations endpoint.
type (
	entityView   = analysis.EntityRef
	evidenceView = analysis.Evidence
	relationView = analysis.Relation
)

// relation gathers the relation between two entities of a graph with its evidence and claims.
func (a *App) relation(ctx context.Context, st mizan.Store, g *graph.Graph, table *admiralty.Table, x, y string, p graph.Period) (*relationView, error) {
	return analysis.Explain(ctx, g, st, table, x, y, p)
}

func (a *App) relationsCommand() *cobra.Command {
	var (
		af     analysisFlags
		period string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "relations A B",
		Short: "Everything between two entities: events by type and over time, claims with grades, and the evidence",
		Long: `Show the relation between two entities: how many events link them by PLOVER type and direction,
when (first and last seen, and a trend by period), the claims they make up — each with its reports,
whether those reports are independent, and its NATO Admiralty grade with the reasons — and every
event as evidence down to its sentence. Entities are given by id or by any name, in any language.

Outlet reliability (A–F) comes from a YAML table: --reliability FILE, else $MIZAN_RELIABILITY,
else mizan-reliability.yaml next to the database; an outlet it does not list is F (cannot be
judged). 'mizan reliability --init' writes one listing the corpus's outlets.`,
		Example: `  mizan relations Algeria Spain
  mizan relations الجزائر إيران --json
  mizan relations Algeria Russia --as-of 2023-01 --period year`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			p, err := graph.ParsePeriod(period)
			if err != nil {
				return usageError{err}
			}
			o, err := af.graphOptions()
			if err != nil {
				return err
			}
			x, y, err := a.entityPair(ctx, st, "relations", args)
			if err != nil {
				return err
			}
			table, err := a.reliabilityTable(af.reliability)
			if err != nil {
				return err
			}
			g, err := a.loadGraph(ctx, st, o)
			if err != nil {
				return err
			}
			v, err := a.relation(ctx, st, g, table, x, y, p)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(v)
			}
			a.printRelation(v)
			return nil
		},
	}
	af.add(cmd)
	af.addTypes(cmd)
	cmd.Flags().StringVar(&period, "period", "quarter", "trend buckets: month, quarter or year")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the relation as JSON")
	return cmd
}

func (a *App) printRelation(v *relationView) {
	w := a.Stdout
	fmt.Fprintf(w, "%s — %s", v.A.Name, v.B.Name)
	if v.AsOf != nil {
		fmt.Fprintf(w, "  (as of %s)", v.AsOf.Format("2006-01-02"))
	}
	fmt.Fprintln(w)
	if v.Events == 0 {
		fmt.Fprintln(w, "  no events link them")
		return
	}
	var types []string
	for _, t := range v.Types {
		types = append(types, fmt.Sprintf("%s %d", t.Type, t.Count))
	}
	fmt.Fprintf(w, "  %d events in %d documents (%g sentences): %s\n", v.Events, v.Docs, v.Weight, strings.Join(types, ", "))
	fmt.Fprintf(w, "  %s acts on %s: %d, %s on %s: %d, together: %d", v.A.Name, v.B.Name, v.AToB, v.B.Name, v.A.Name, v.BToA, v.Mutual)
	if v.Negated > 0 || v.Hedged > 0 {
		fmt.Fprintf(w, "; negated %d, hedged %d", v.Negated, v.Hedged)
	}
	fmt.Fprintln(w)
	// Dates only as exact as the texts give them: undated events are not given their report's
	// date here, and a report time that is only the ingest time says so.
	switch {
	case v.Dated == 0:
		fmt.Fprintf(w, "  no event is dated by its text")
	case eventDate(*v.DatedFirst) == eventDate(*v.DatedLast):
		fmt.Fprintf(w, "  events dated by their text: %d of %d, %s", v.Dated, v.Events, eventDate(*v.DatedFirst))
	default:
		fmt.Fprintf(w, "  events dated by their text: %d of %d, from %s to %s", v.Dated, v.Events,
			eventDate(*v.DatedFirst), eventDate(*v.DatedLast))
	}
	fmt.Fprintf(w, "; reported from %s to %s", v.FirstReported.Format("2006-01-02"), v.LastReported.Format("2006-01-02"))
	if v.Unpublished > 0 {
		fmt.Fprintf(w, " (%d from documents without a publication date, at the date mizan read them)", v.Unpublished)
	}
	fmt.Fprintln(w)
	if len(v.Trend) > 0 {
		var parts []string
		for _, b := range v.Trend {
			part := fmt.Sprintf("%s: %d", b.Period, b.Count)
			if b.Undated > 0 {
				part += fmt.Sprintf(" (%d undated, at report time)", b.Undated)
			}
			parts = append(parts, part)
		}
		fmt.Fprintf(w, "  trend  %s\n", strings.Join(parts, "  "))
	}
	if len(v.Claims) > 0 {
		fmt.Fprintln(w, "\nClaims")
		for _, c := range v.Claims {
			a.printClaim(w, c, func(id string) string {
				switch id {
				case v.A.ID:
					return v.A.Name
				case v.B.ID:
					return v.B.Name
				}
				return id
			})
		}
	}
	fmt.Fprintln(w, "\nEvidence")
	for _, e := range v.Evidence {
		says := string(e.Says.Kind)
		if e.Says.Text != "" {
			says += ": " + clip(e.Says.Text, 40)
		}
		if e.Hedged {
			says += ", hedged"
		}
		fmt.Fprintf(w, "  %-16s %-9s %-8s %-6s [%s %s %s] %s\n", eventDate(e.Date), e.Type, e.Mode, e.Direction, shortID(e.Doc),
			orDash(e.Lang), orDash(e.Grade), says)
		fmt.Fprintf(w, "      %s\n", clip(e.Sentence, 150))
	}
}

// printClaim prints one claim with its reports, origins and grade.
func (a *App) printClaim(w io.Writer, c *claim.Claim, name func(string) string) {
	names := func(ids []string) string {
		var out []string
		for _, id := range ids {
			out = append(out, name(id))
		}
		return strings.Join(out, ", ")
	}
	what := string(c.Type)
	if c.Negated {
		what = "not " + what
	}
	who := names(c.Source)
	if !c.Symmetric && len(c.Target) > 0 {
		who += " -> " + names(c.Target)
	}
	when := "undated"
	if c.Start != nil {
		when = eventDate(mizan.TimeExpr{Start: c.Start, End: c.End, Precision: c.Precision})
	}
	where := ""
	if c.Place != "" {
		where = " in " + name(c.Place)
	}
	langs := map[string]bool{}
	for _, r := range c.Reports {
		langs[r.Lang] = true
	}
	fmt.Fprintf(w, "  [%s] %s %s (%s%s): %d report(s) in %d language(s), %d independent origin(s)", c.Grade, what, who, when,
		where, len(c.Reports), len(langs), c.Independent)
	if len(c.Contradicting) > 0 {
		fmt.Fprintf(w, ", %d contradicting", len(c.Contradicting))
	}
	fmt.Fprintf(w, "  %s\n", c.ID)
	fmt.Fprintf(w, "      credibility %d (%s): %s\n", c.Credibility, c.Credibility.Meaning(), strings.Join(c.Reasons, "; "))
	for _, r := range append(append([]claim.Report(nil), c.Reports...), c.Contradicting...) {
		st := "+"
		if r.Stance == claim.Contradicts {
			st = "-"
		}
		fmt.Fprintf(w, "      %s origin %d  %s %s %s  %s\n", st, r.Origin, shortID(r.Doc), orDash(r.Lang), r.Reliability, clip(r.Sentence, 110))
	}
}

func (a *App) claimsCommand() *cobra.Command {
	var (
		af     analysisFlags
		entity string
		multi  bool
		limit  int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "claims",
		Short: "Claims with their reports, whether those are independent, and their NATO Admiralty grades",
		Long: `List claims: events that documents — in any language — report about the same actors, of the same
PLOVER type, at compatible times and places. Each claim shows its supporting and contradicting
reports, which of them share an origin (near-duplicate or translated text, the same quoted source,
shared phrasing, one citing the other), and its grade: outlet reliability A–F (from the
reliability table, see 'mizan relations --help') and credibility 1–6 from independent
corroboration, contradiction, hedging and anonymity, with the reasons.`,
		Example: `  mizan claims --entity Algeria --multi
  mizan claims --entity إيران --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			o, err := af.graphOptions()
			if err != nil {
				return err
			}
			id := ""
			if entity != "" {
				if id, err = a.entityRef(ctx, st, entity); err != nil {
					return err
				}
			}
			table, err := a.reliabilityTable(af.reliability)
			if err != nil {
				return err
			}
			g, err := a.loadGraph(ctx, st, o)
			if err != nil {
				return err
			}
			n := 0
			claims, err := a.claimsOf(ctx, st, g, table, func(c *claim.Claim) bool {
				if (id != "" && !involves(c, id)) || (multi && len(c.Docs()) < 2) || (limit > 0 && n >= limit) {
					return false
				}
				n++
				return true
			})
			if err != nil {
				return err
			}
			if asJSON {
				if claims == nil {
					claims = []*claim.Claim{}
				}
				return a.writeJSON(claims)
			}
			for _, c := range claims {
				a.printClaim(a.Stdout, c, g.Name)
			}
			return nil
		},
	}
	af.add(cmd)
	af.addTypes(cmd)
	cmd.Flags().StringVar(&entity, "entity", "", "only claims involving this entity (an id, or any of its names in any language)")
	cmd.Flags().BoolVar(&multi, "multi", false, "only claims reported by two documents or more")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many claims, most reported first (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

// gradeChange is a claim whose grade differs between two dates.
type gradeChange struct {
	Claim  string `json:"claim"`
	What   string `json:"what"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// diffView is what changed between two dates.
type diffView struct {
	From  time.Time   `json:"from"`
	To    time.Time   `json:"to"`
	By    string      `json:"by"`
	Graph graph.Delta `json:"graph"`
	// NewClaims are claims first reported in between; Regraded claims whose grade changed.
	NewClaims []*claim.Claim `json:"new_claims"`
	Regraded  []gradeChange  `json:"regraded"`
}

func (a *App) diffCommand() *cobra.Command {
	var (
		from, to, reliability, by string
		asJSON                    bool
	)
	cmd := &cobra.Command{
		Use:   "diff --from DATE --to DATE",
		Short: "What changed between two dates: new and lost relations, new claims, changed grades",
		Long: `Compare the knowledge graph as it stood on two dates. With --by report (the default) a date means
"what had been reported by then" (documents published, or, undated, ingested, by that date): the
diff shows the relations and claims learnt in between and the claims whose grade changed as
reports came in. With --by event it compares what happened: the events dated in the period
before --from (as long as from..to) against those dated from --from to --to, to see which
relations appeared and which went quiet.`,
		Example: `  mizan diff --from 2024-01 --to 2024-06
  mizan diff --from 2023 --to 2024 --by event --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if from == "" || to == "" {
				return usagef("diff needs --from and --to")
			}
			var d1, d2 *time.Time
			var err error
			if d1, err = parseDate("from", from); err != nil {
				return err
			}
			if d2, err = parseDate("to", to); err != nil {
				return err
			}
			if !d2.After(*d1) {
				return usagef("--to %s is not after --from %s", to, from)
			}
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			table, err := a.reliabilityTable(reliability)
			if err != nil {
				return err
			}
			v := diffView{From: *d1, To: *d2, By: by, NewClaims: []*claim.Claim{}, Regraded: []gradeChange{}}
			var before, after graph.Options
			switch by {
			case "report":
				before.AsOf, after.AsOf = d1, d2
			case "event":
				start := d1.Add(-d2.Sub(*d1))
				before, after = before.Window(&start, d1), after.Window(d1, d2)
			default:
				return usagef("--by %q: want report or event", by)
			}
			g1, err := a.loadGraph(ctx, st, before)
			if err != nil {
				return err
			}
			g2, err := a.loadGraph(ctx, st, after)
			if err != nil {
				return err
			}
			v.Graph = graph.Compare(g1, g2)
			if by == "report" {
				if err := a.claimChanges(ctx, st, table, g1, g2, &v); err != nil {
					return err
				}
			}
			if asJSON {
				return a.writeJSON(v)
			}
			a.printDiff(&v, g2)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the first date (YYYY, YYYY-MM or YYYY-MM-DD)")
	cmd.Flags().StringVar(&to, "to", "", "the second date")
	cmd.Flags().StringVar(&by, "by", "report", "report: what was known at each date; event: what happened before and after --from")
	cmd.Flags().StringVar(&reliability, "reliability", "", "outlet reliability table (see 'mizan relations --help')")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the changes as JSON")
	return cmd
}

// claimChanges finds the claims first reported between two graphs and those whose grade
// changed; only claims with a report in between are assessed.
func (a *App) claimChanges(ctx context.Context, st mizan.Store, table *admiralty.Table, g1, g2 *graph.Graph, v *diffView) error {
	known := map[string]bool{}
	for i := range g1.Events {
		known[g1.Events[i].ID] = true
	}
	var touched []*claim.Claim
	for _, c := range claim.Match(g2) {
		if slices.ContainsFunc(c.Reports, func(r claim.Report) bool { return !known[r.EventID] }) ||
			slices.ContainsFunc(c.Contradicting, func(r claim.Report) bool { return !known[r.EventID] }) {
			touched = append(touched, c)
		}
	}
	if err := claim.Assess(ctx, g2, touched, st, table); err != nil {
		return err
	}
	// The same claims as they stood before: matched by a report they share.
	old := map[string]*claim.Claim{}
	var oldTouched []*claim.Claim
	for _, c := range claim.Match(g1) {
		for _, r := range c.Reports {
			old[r.EventID] = c
		}
	}
	pairs := map[*claim.Claim]*claim.Claim{}
	for _, c := range touched {
		for _, r := range c.Reports {
			if o := old[r.EventID]; o != nil {
				pairs[c] = o
				if !slices.Contains(oldTouched, o) {
					oldTouched = append(oldTouched, o)
				}
				break
			}
		}
	}
	if err := claim.Assess(ctx, g1, oldTouched, st, table); err != nil {
		return err
	}
	for _, c := range touched {
		o := pairs[c]
		switch {
		case o == nil:
			v.NewClaims = append(v.NewClaims, c)
		case o.Grade != c.Grade:
			v.Regraded = append(v.Regraded, gradeChange{Claim: c.ID, What: claimSummary(c, g2.Name), Before: o.Grade, After: c.Grade})
		}
	}
	return nil
}

func claimSummary(c *claim.Claim, name func(string) string) string {
	var who []string
	for _, id := range c.Source {
		who = append(who, name(id))
	}
	s := string(c.Type) + " " + strings.Join(who, ", ")
	if len(c.Target) > 0 {
		var t []string
		for _, id := range c.Target {
			t = append(t, name(id))
		}
		s += " -> " + strings.Join(t, ", ")
	}
	return s
}

func (a *App) printDiff(v *diffView, g *graph.Graph) {
	w := a.Stdout
	fmt.Fprintf(w, "From %s to %s (by %s)\n", v.From.Format("2006-01-02"), v.To.Format("2006-01-02"), v.By)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	section := func(title string, cs []graph.EdgeChange) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(tw, "\n%s\t\t\t\n", title)
		for _, c := range cs {
			var types []string
			for _, t := range c.Types {
				types = append(types, fmt.Sprintf("%s %d", t.Type, t.Count))
			}
			fmt.Fprintf(tw, "  %s — %s\t%g -> %g\t%s\n", c.AName, c.BName, c.Before, c.After, strings.Join(types, ", "))
		}
	}
	section("New relations", v.Graph.New)
	section("Stronger", v.Graph.Stronger)
	section("Weaker", v.Graph.Weaker)
	section("Lost relations", v.Graph.Lost)
	tw.Flush()
	if len(v.NewClaims) > 0 {
		fmt.Fprintln(w, "\nNew claims")
		for _, c := range v.NewClaims {
			a.printClaim(w, c, g.Name)
		}
	}
	if len(v.Regraded) > 0 {
		fmt.Fprintln(w, "\nGrades changed")
		for _, r := range v.Regraded {
			fmt.Fprintf(w, "  %s -> %s  %s  %s\n", r.Before, r.After, r.What, r.Claim)
		}
	}
	if len(v.Graph.New)+len(v.Graph.Stronger)+len(v.Graph.Weaker)+len(v.Graph.Lost)+len(v.NewClaims)+len(v.Regraded) == 0 {
		fmt.Fprintln(w, "  nothing changed")
	}
}

// relationsSection adds an entity's strongest relations to its profile.
func relationsSection(ctx context.Context, a *App, st mizan.Store, p *mizan.EntityProfile) (string, any, func(io.Writer), error) {
	g, err := a.loadGraph(ctx, st, graph.Options{Entity: p.ID})
	if err != nil {
		return "", nil, nil, err
	}
	type rel struct {
		ID     string            `json:"id"`
		Name   string            `json:"name"`
		Weight float64           `json:"weight"`
		Events int               `json:"events"`
		Docs   int               `json:"docs"`
		Types  []graph.TypeCount `json:"types"`
		First  time.Time         `json:"first"`
		Last   time.Time         `json:"last"`
	}
	rels := []rel{}
	for _, e := range g.EdgesOf(p.ID) {
		o := e.Other(p.ID)
		rels = append(rels, rel{ID: o, Name: g.Name(o), Weight: e.Weight, Events: len(e.Events), Docs: e.Docs, Types: e.Types,
			First: e.First, Last: e.Last})
	}
	print := func(w io.Writer) {
		if len(rels) == 0 {
			return
		}
		fmt.Fprintln(w, "\nRelations (strongest first; 'mizan relations' for the evidence)")
		for i, r := range rels {
			if i == 15 {
				fmt.Fprintf(w, "  … and %d more\n", len(rels)-i)
				break
			}
			var types []string
			for _, t := range r.Types {
				types = append(types, fmt.Sprintf("%s %d", t.Type, t.Count))
			}
			fmt.Fprintf(w, "  %-28s %3g  %s\n", clip(r.Name, 28), r.Weight, strings.Join(types, ", "))
		}
	}
	return "relations", rels, print, nil
}
