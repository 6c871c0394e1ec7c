package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/admiralty"
	"github.com/mizan-osint/mizan/internal/analysis"
	"github.com/mizan-osint/mizan/internal/claim"
	"github.com/mizan-osint/mizan/internal/export"
	"github.com/mizan-osint/mizan/internal/graph"
)

func init() {
	register("graph", func(a *App) []*cobra.Command {
		return []*cobra.Command{a.graphCommand(), a.reliabilityCommand()}
	})
	register("serve", func(a *App) []*cobra.Command { return []*cobra.Command{a.exportCommand()} })
}

// graphFlags are the flags of `mizan graph` and its subcommands.
type graphFlags struct {
	analysisFlags
	minWeight float64
}

func (gf *graphFlags) add(cmd *cobra.Command) {
	gf.analysisFlags.add(cmd)
	gf.addTypes(cmd)
	cmd.Flags().Float64Var(&gf.minWeight, "min-weight", 0, "only relations attested by at least this many sentences")
}

// load builds the graph the flags select.
func (a *App) graphOf(ctx context.Context, gf graphFlags) (mizan.Store, *graph.Graph, error) {
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	o, err := gf.graphOptions()
	if err != nil {
		return nil, nil, err
	}
	g, err := a.loadGraph(ctx, st, o)
	if err != nil {
		return nil, nil, err
	}
	return st, g.MinWeight(gf.minWeight), nil
}

// output opens -o FILE (stdout when empty); the file is written whole or not at all.
func (a *App) output(path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(a.Stdout)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// assessAll matches and grades every claim of a graph.
func (a *App) assessAll(ctx context.Context, st mizan.Store, g *graph.Graph, reliability string) ([]*claim.Claim, error) {
	table, err := a.reliabilityTable(reliability)
	if err != nil {
		return nil, err
	}
	return a.claimsOf(ctx, st, g, table, nil)
}

func (a *App) graphCommand() *cobra.Command {
	var (
		gf       graphFlags
		format   string
		out      string
		noGrades bool
	)
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "Export the knowledge graph (json, graphml, gexf, dot) or analyse it: centrality, path, ego, communities",
		Long: `Write the knowledge graph: entities as nodes, and for every pair of entities that events link a
relation with its weight (attesting sentences), event types, direction, first and last dates and
best claim grade (NATO Admiralty code). Formats: json, graphml (Gephi, yEd), gexf (Gephi, with
each relation's dates as its time interval) and dot (Graphviz).

The subcommands analyse it: centrality (degree, betweenness, PageRank), path (how is X
connected to Y, each hop with its evidence), ego (the network around one entity) and communities
(Louvain). --as-of shows the graph as it stood on a date: only documents published (or,
undated, ingested) by then.`,
		Example: `  mizan graph --format gexf -o algeria.gexf
  mizan graph --format dot --min-weight 2 | dot -Tsvg > graph.svg
  mizan graph --as-of 2023-01 --type consult,cooperate --format graphml -o 2022.graphml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			f := export.Format(strings.ToLower(format))
			if !slices.Contains(export.GraphFormats, f) {
				return usagef("--format %q: want json, graphml, gexf or dot", format)
			}
			st, g, err := a.graphOf(ctx, gf)
			if err != nil {
				return err
			}
			var grades map[[2]string]export.Grade
			if !noGrades {
				claims, err := a.assessAll(ctx, st, g, gf.reliability)
				if err != nil {
					return err
				}
				grades = export.Grades(g, claims)
			}
			return a.output(out, func(w io.Writer) error { return export.WriteGraph(w, f, g, grades) })
		},
	}
	gf.add(cmd)
	cmd.Flags().StringVar(&format, "format", "json", "json, graphml, gexf or dot")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().BoolVar(&noGrades, "no-grades", false, "do not grade relations (faster: no claim assessment)")
	cmd.AddCommand(a.centralityCommand(), a.pathCommand(), a.egoCommand(), a.communitiesCommand())
	return cmd
}

func (a *App) centralityCommand() *cobra.Command {
	var (
		gf          graphFlags
		top         int
		betweenness bool
		asJSON      bool
	)
	cmd := &cobra.Command{
		Use:   "centrality",
		Short: "The most central entities: degree, strength, betweenness and PageRank",
		Long: fmt.Sprintf(`The most central entities: degree, strength, betweenness and PageRank.

Betweenness is exact up to %d entities; above that it is estimated from %d sampled source
entities (Brandes & Pich 2007, fixed seed: the same on every run), which keeps it under a second
on large graphs. The estimate of each share is within ±0.085 of the exact one with 95%%
probability, and far closer for the hubs that top the list; JSON marks it betweenness_approx.`,
			graph.ExactBetweennessMax, graph.BetweennessPivots),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, g, err := a.graphOf(cmd.Context(), gf)
			if err != nil {
				return err
			}
			bc := betweenness
			if bc && len(g.Nodes) > graph.ExactBetweennessMax && !asJSON {
				fmt.Fprintf(a.Stderr, "betweenness estimated from %d sampled entities of %d\n", graph.BetweennessPivots, len(g.Nodes))
			}
			cs := g.Centrality(bc)
			if top > 0 && len(cs) > top {
				cs = cs[:top]
			}
			if asJSON {
				return a.writeJSON(cs)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ENTITY\tTYPE\tDEGREE\tSTRENGTH\tEVENTS\tBETWEENNESS\tPAGERANK")
			for _, c := range cs {
				b := "-"
				if c.Betweenness != nil {
					b = fmt.Sprintf("%.3f", *c.Betweenness)
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%g\t%d\t%s\t%.4f\n", clip(c.Name, 32), orDash(string(c.Type)), c.Degree, c.Strength,
					c.Events, b, c.PageRank)
			}
			return tw.Flush()
		},
	}
	gf.add(cmd)
	cmd.Flags().IntVar(&top, "top", 20, "at most this many entities (0: all)")
	cmd.Flags().BoolVar(&betweenness, "betweenness", true, fmt.Sprintf("compute betweenness (exact up to %d entities, estimated above)", graph.ExactBetweennessMax))
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

// hopView is one hop of a path with its evidence.
type hopView struct {
	From     entityView        `json:"from"`
	To       entityView        `json:"to"`
	Weight   float64           `json:"weight"`
	Types    []graph.TypeCount `json:"types"`
	Evidence []evidenceView    `json:"evidence"`
}

func (a *App) pathCommand() *cobra.Command {
	var (
		gf       graphFlags
		evidence int
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "path A B",
		Short: "How is A connected to B: the shortest chain of relations, each hop with its evidence",
		Long: `Find the shortest chain of relations from one entity to another — the fewest hops, and among
those the best attested — and show each hop with the events that attest it, down to the sentence.`,
		Example: `  mizan graph path "Nikolai Patrushev" Iran
  mizan graph path Algeria Hezbollah --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, g, err := a.graphOf(ctx, gf)
			if err != nil {
				return err
			}
			x, y, err := a.entityPair(ctx, st, "graph path", args)
			if err != nil {
				return err
			}
			hops, err := g.Path(x, y)
			if err != nil {
				return err
			}
			table, err := a.reliabilityTable(gf.reliability)
			if err != nil {
				return err
			}
			var views []hopView
			for _, h := range hops {
				hv := hopView{From: entityView{ID: h.From, Name: g.Name(h.From)}, To: entityView{ID: h.To, Name: g.Name(h.To)}, Weight: h.Edge.Weight,
					Types: h.Edge.Types, Evidence: []evidenceView{}}
				rv, err := a.relationEvidence(ctx, st, g, table, h.From, h.To, evidence)
				if err != nil {
					return err
				}
				hv.Evidence = rv
				views = append(views, hv)
			}
			if asJSON {
				return a.writeJSON(views)
			}
			for i, h := range views {
				var types []string
				for _, t := range h.Types {
					types = append(types, fmt.Sprintf("%s %d", t.Type, t.Count))
				}
				fmt.Fprintf(a.Stdout, "%d. %s — %s  (%g sentences: %s)\n", i+1, h.From.Name, h.To.Name, h.Weight, strings.Join(types, ", "))
				for _, e := range h.Evidence {
					fmt.Fprintf(a.Stdout, "     %s %s [%s %s] %s\n", e.Type, eventDate(e.Date), shortID(e.Doc), orDash(e.Lang), clip(e.Sentence, 130))
				}
			}
			return nil
		},
	}
	gf.add(cmd)
	cmd.Flags().IntVar(&evidence, "evidence", 3, "evidence shown per hop, newest first (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the path as JSON")
	return cmd
}

// relationEvidence is a relation's evidence, newest first, at most n (0: all), without claims.
func (a *App) relationEvidence(ctx context.Context, st mizan.Store, g *graph.Graph, table *admiralty.Table, x, y string, n int) ([]evidenceView, error) {
	e, ok := g.Edge(x, y)
	if !ok {
		return []evidenceView{}, nil
	}
	evs := e.Events
	if n > 0 && len(evs) > n {
		evs = evs[len(evs)-n:]
	}
	full, err := g.Details(ctx, st, evs)
	if err != nil {
		return nil, err
	}
	out := []evidenceView{}
	for k := len(evs) - 1; k >= 0; k-- {
		ev := &g.Events[evs[k]]
		if f := full[ev.ID]; f != nil {
			out = append(out, analysis.EvidenceOf(g, ev, f, table, x, y))
		}
	}
	return out, nil
}

func (a *App) egoCommand() *cobra.Command {
	var (
		gf     graphFlags
		radius int
		format string
		out    string
	)
	cmd := &cobra.Command{
		Use:   "ego ENTITY",
		Short: "The network around one entity: its partners within --radius hops and the relations among them",
		Example: `  mizan graph ego Algeria
  mizan graph ego "Said Chengriha" --radius 2 --format gexf -o chengriha.gexf`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, g, err := a.graphOf(ctx, gf)
			if err != nil {
				return err
			}
			id, err := a.entityRef(ctx, st, strings.Join(args, " "))
			if err != nil {
				return err
			}
			ego, err := g.Ego(id, radius)
			if err != nil {
				return err
			}
			if format != "" && format != "text" {
				f := export.Format(strings.ToLower(format))
				if !slices.Contains(export.GraphFormats, f) {
					return usagef("--format %q: want text, json, graphml, gexf or dot", format)
				}
				return a.output(out, func(w io.Writer) error { return export.WriteGraph(w, f, ego, nil) })
			}
			fmt.Fprintf(a.Stdout, "%s: %d entities, %d relations within %d hop(s)\n", g.Name(id), len(ego.Nodes), len(ego.Edges), radius)
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "A\tB\tWEIGHT\tTYPES\tFIRST\tLAST")
			for _, e := range ego.Edges {
				var types []string
				for _, t := range e.Types {
					types = append(types, fmt.Sprintf("%s %d", t.Type, t.Count))
				}
				fmt.Fprintf(tw, "%s\t%s\t%g\t%s\t%s\t%s\n", clip(g.Name(e.A), 28), clip(g.Name(e.B), 28), e.Weight, strings.Join(types, ", "),
					e.First.Format("2006-01-02"), e.Last.Format("2006-01-02"))
			}
			return tw.Flush()
		},
	}
	gf.add(cmd)
	cmd.Flags().IntVar(&radius, "radius", 1, "hops from the entity")
	cmd.Flags().StringVar(&format, "format", "text", "text, or a graph format: json, graphml, gexf, dot")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

func (a *App) communitiesCommand() *cobra.Command {
	var (
		gf         graphFlags
		resolution float64
		seed       uint64
		asJSON     bool
	)
	cmd := &cobra.Command{
		Use:   "communities",
		Short: "Groups of entities more linked to each other than to the rest (Louvain modularity)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, g, err := a.graphOf(cmd.Context(), gf)
			if err != nil {
				return err
			}
			cs, q := g.Communities(resolution, seed)
			type member struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			}
			type view struct {
				ID      int      `json:"id"`
				Weight  float64  `json:"weight"`
				Members []member `json:"members"`
			}
			out := struct {
				Modularity  float64 `json:"modularity"`
				Communities []view  `json:"communities"`
			}{Modularity: q, Communities: []view{}}
			for _, c := range cs {
				v := view{ID: c.ID, Weight: c.Weight}
				for _, m := range c.Members {
					v.Members = append(v.Members, member{m, g.Name(m)})
				}
				out.Communities = append(out.Communities, v)
			}
			if asJSON {
				return a.writeJSON(out)
			}
			fmt.Fprintf(a.Stdout, "%d communities, modularity %.3f\n", len(cs), q)
			for _, c := range out.Communities {
				var names []string
				for _, m := range c.Members {
					names = append(names, m.Name)
				}
				fmt.Fprintf(a.Stdout, "  %d. (%d, weight %g) %s\n", c.ID, len(c.Members), c.Weight, clip(strings.Join(names, ", "), 160))
			}
			return nil
		},
	}
	gf.add(cmd)
	cmd.Flags().Float64Var(&resolution, "resolution", 1, "modularity resolution: above 1 gives more, smaller communities")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed (the same seed gives the same communities)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *App) exportCommand() *cobra.Command {
	var (
		gf        graphFlags
		format    string
		tableName string
		out       string
	)
	cmd := &cobra.Command{
		Use:   "export --format jsonl|stix|ftm|csv",
		Short: "Export entities, relations and graded claims: JSON lines, STIX 2.1, FollowTheMoney or CSV",
		Long: `Export what mizan knows for other tools:

  jsonl  one JSON object per line: entities, documents, relations and claims (with "kind")
  stix   a STIX 2.1 bundle: identities, locations, threat actors, relationships, a report per
         document and a note per claim with its NATO Admiralty grade
  ftm    FollowTheMoney entities (JSON lines) for Aleph: Person, Organization, PublicBody,
         Address, Article, UnknownLink per relation, Event per claim
  csv    one table with a header: --table relations (default), events, claims or entities`,
		Example: `  mizan export --format stix -o bundle.json
  mizan export --format ftm | ftm store write -d mizan
  mizan export --format csv --table claims -o claims.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			f := export.Format(strings.ToLower(format))
			if !slices.Contains(export.DataFormats, f) {
				return usagef("--format %q: want jsonl, stix, ftm or csv", format)
			}
			if tableName != "" && f != export.CSV {
				return usagef("--table is for --format csv")
			}
			if tableName != "" && !slices.Contains(export.CSVTables, tableName) {
				return usagef("--table %q: want one of %s", tableName, strings.Join(export.CSVTables, ", "))
			}
			st, g, err := a.graphOf(ctx, gf)
			if err != nil {
				return err
			}
			claims, err := a.assessAll(ctx, st, g, gf.reliability)
			if err != nil {
				return err
			}
			return a.output(out, func(w io.Writer) error {
				return export.WriteData(w, f, export.Data{Graph: g, Claims: claims, Table: tableName})
			})
		},
	}
	gf.add(cmd)
	cmd.Flags().StringVar(&format, "format", "jsonl", "jsonl, stix, ftm or csv")
	cmd.Flags().StringVar(&tableName, "table", "", "with --format csv: relations (default), events, claims or entities")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

func (a *App) reliabilityCommand() *cobra.Command {
	var (
		file   string
		init   bool
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "reliability",
		Short: "The outlets of the corpus and their reliability grades (NATO Admiralty A–F)",
		Long: `List the outlets of the corpus with the reliability grade the table gives them. The table is a
YAML file the analyst edits: --reliability FILE, else $MIZAN_RELIABILITY, else
mizan-reliability.yaml next to the database. An outlet it does not list is F (cannot be judged).
--init writes the table (at that location) listing every outlet of the corpus, keeping the
grades already given, for editing.`,
		Example: `  mizan reliability --init && $EDITOR mizan-reliability.yaml
  mizan reliability --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			table, err := a.reliabilityTable(file)
			if err != nil {
				return err
			}
			counts := map[string]int{}
			src, ok := st.(graph.Source)
			if !ok {
				return mizan.Errorf(mizan.EUNSUPPORTED, "this store cannot list outlets")
			}
			if err := src.ScanDocumentMeta(ctx, mizan.DocumentFilter{}, func(d *mizan.Document) error {
				counts[d.Outlet]++
				return nil
			}); err != nil {
				return err
			}
			outlets := make([]string, 0, len(counts))
			for o := range counts {
				outlets = append(outlets, o)
			}
			sort.Strings(outlets)
			if init {
				path := file
				if path == "" {
					path = a.Getenv("MIZAN_RELIABILITY")
				}
				if path == "" {
					loc := strings.TrimPrefix(a.dbLocation(), "sqlite:")
					dir := "."
					if !strings.Contains(loc, "://") {
						dir = filepath.Dir(loc)
					}
					path = filepath.Join(dir, reliabilityFile)
				}
				if err := a.output(path, func(w io.Writer) error { return table.WriteTemplate(w, outlets) }); err != nil {
					return err
				}
				fmt.Fprintf(a.Stderr, "wrote %s (%d outlets)\n", path, len(outlets))
				return nil
			}
			type row struct {
				Outlet      string                `json:"outlet"`
				Docs        int                   `json:"docs"`
				Reliability admiralty.Reliability `json:"reliability"`
				Meaning     string                `json:"meaning"`
				Entry       string                `json:"entry,omitempty"`
			}
			rows := []row{}
			for _, o := range outlets {
				r, by := table.Grade(o, "")
				rows = append(rows, row{Outlet: o, Docs: counts[o], Reliability: r, Meaning: r.Meaning(), Entry: by})
			}
			if asJSON {
				return a.writeJSON(rows)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "GRADE\tDOCS\tOUTLET")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%d\t%s\n", r.Reliability, r.Docs, orDash(r.Outlet))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&file, "reliability", "", "the reliability table (YAML)")
	cmd.Flags().BoolVar(&init, "init", false, "write the table listing the corpus's outlets, for editing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}
