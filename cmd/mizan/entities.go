package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/resolve"
)

func init() {
	register("graph", func(a *App) []*cobra.Command {
		return []*cobra.Command{a.entitiesCommand(), a.entityCommand(), a.resolveCommand()}
	})
	docViewFillers = append(docViewFillers, func(ctx context.Context, st mizan.Store, v *docView) error {
		ms, err := st.Mentions(ctx, v.ID)
		if err != nil {
			return err
		}
		v.Mentions = ms
		return nil
	})
}

// kbSource is a store that knows its knowledge base (the embedded default with its imports
// replayed): internal/sqlstore.DB.
type kbSource interface {
	KB(ctx context.Context) (*kb.KB, error)
}

// knowledgeBase returns the knowledge base the pipeline and the resolver use: the embedded
// default merged with the imports stored in the database (`mizan kb import`). It is shared:
// Clone it before changing it.
func (a *App) knowledgeBase(ctx context.Context) (*kb.KB, error) {
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	if s, ok := st.(kbSource); ok {
		return s.KB(ctx)
	}
	return kb.Default()
}

func (a *App) entitiesCommand() *cobra.Command {
	var (
		f      mizan.EntityFilter
		typ    string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "entities",
		Short: "List the entities found in the corpus, most mentioned first",
		Long: `List the people, states, organisations, places and groups the corpus mentions, with their
mention and document counts, most mentioned first. Each entity is one node however the documents
spell it: its aliases are the other names it was found under.`,
		Example: `  mizan entities --type person
  mizan entities --query chengriha --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if typ != "" {
				t, err := entityType(typ)
				if err != nil {
					return err
				}
				f.Type = t
			}
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			list, total, err := st.Entities(ctx, f)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(list)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTYPE\tMENTIONS\tDOCS\tNAME\tALIASES")
			for _, e := range list {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", e.ID, e.Type, e.Mentions, e.Docs, e.Name, clip(strings.Join(e.Aliases, ", "), 50))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(list) < total {
				fmt.Fprintf(a.Stderr, "%d of %d entities (use --limit and --offset for more)\n", len(list), total)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&typ, "type", "", "only entities of this type: "+typeList())
	fl.StringVar(&f.Query, "query", "", "only entities with a name containing this text (any language, accents and case ignored)")
	fl.IntVar(&f.Limit, "limit", 100, "at most this many entities (0: all)")
	fl.IntVar(&f.Offset, "offset", 0, "skip this many entities")
	fl.BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func typeList() string {
	var ts []string
	for _, t := range mizan.EntityTypes {
		ts = append(ts, strings.ToLower(string(t)))
	}
	return strings.Join(ts, ", ")
}

func entityType(s string) (mizan.EntityType, error) {
	t := mizan.EntityType(strings.ToUpper(strings.TrimSpace(s)))
	for _, k := range mizan.EntityTypes {
		if k == t {
			return t, nil
		}
	}
	return "", usagef("unknown entity type %q (want one of %s)", s, typeList())
}

func (a *App) entityCommand() *cobra.Command {
	var (
		o      mizan.ProfileOptions
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "entity NAME|ID",
		Short: "An entity's profile: names, offices, documents and the sentences that mention it",
		Long: `Show everything known about one entity, named by its id or by any of its names in any
language or spelling ("Chanegriha", "شنقريحة" and "person/said-chengriha" give the same profile):
its names by language, attributes, the offices it held (from the knowledge base), mention and
document counts, first and last seen, the documents and sentences that mention it, and its merge
history. Correct the resolver with 'mizan entity merge' and 'mizan entity split'.`,
		Example: `  mizan entity Chanegriha
  mizan entity شنقريحة --json
  mizan entity merge "Omar Tazi" person/leila-zaruki
  mizan entity split person/said-chengriha "Mohamed Chengriha"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			p, err := st.Entity(ctx, strings.Join(args, " "), o)
			if err != nil {
				return err
			}
			extra := map[string]any{}
			var prints []func(io.Writer)
			for _, section := range profileSections {
				name, v, print, err := section(ctx, a, st, p)
				if err != nil {
					return err
				}
				extra[name] = v
				prints = append(prints, print)
			}
			if asJSON {
				if len(extra) == 0 {
					return a.writeJSON(p)
				}
				return a.writeJSON(withSections(p, extra))
			}
			a.printProfile(p)
			for _, print := range prints {
				print(a.Stdout)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&o.Sentences, "sentences", 10, "sentences shown")
	cmd.Flags().IntVar(&o.Documents, "docs", 20, "documents shown")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the profile as JSON")
	cmd.AddCommand(a.mergeCommand(), a.splitCommand())
	return cmd
}

// profileSections add what later features know about an entity to its profile (`mizan entity`):
// each returns a JSON field name and value, and a function that prints it as a section of the
// text profile. Features append theirs in an init function.
var profileSections []func(ctx context.Context, a *App, st mizan.Store, p *mizan.EntityProfile) (string, any, func(io.Writer), error)

// withSections is the profile's JSON object with the sections' fields added.
func withSections(p *mizan.EntityProfile, extra map[string]any) any {
	b, err := json.Marshal(p)
	if err != nil {
		return p
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return p
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func (a *App) printProfile(p *mizan.EntityProfile) {
	w := a.Stdout
	fmt.Fprintf(w, "%s\n  id        %s\n  type      %s\n", p.Name, p.ID, p.Type)
	if p.Source != "" {
		fmt.Fprintf(w, "  source    %s\n", p.Source)
	}
	byLang := map[string][]string{}
	for _, n := range p.Names {
		label := n.Text
		if n.Kind != "" && n.Kind != mizan.NameCanonical && n.Kind != mizan.NameAlias {
			label += " (" + string(n.Kind) + ")"
		}
		byLang[n.Lang] = append(byLang[n.Lang], label)
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		fmt.Fprintf(w, "  names %-3s %s\n", orDash(l), strings.Join(byLang[l], "; "))
	}
	keys := make([]string, 0, len(p.Attrs))
	for k := range p.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-9s %s\n", k, p.Attrs[k])
	}
	fmt.Fprintf(w, "  mentions  %d in %d documents", p.Mentions, p.Docs)
	if p.FirstSeen != nil {
		fmt.Fprintf(w, ", %s to %s", p.FirstSeen.Format("2006-01-02"), p.LastSeen.Format("2006-01-02"))
	}
	fmt.Fprintln(w)
	if len(p.Offices) > 0 {
		fmt.Fprintln(w, "\nOffices")
		for _, o := range p.Offices {
			if p.Type == mizan.PERSON {
				fmt.Fprintf(w, "  %s (%s), %s\n", o.Title, o.Entity, tenure(o))
			} else {
				fmt.Fprintf(w, "  %s: %s, %s\n", o.Title, o.Holder, tenure(o))
			}
		}
	}
	if len(p.Documents) > 0 {
		fmt.Fprintln(w, "\nDocuments")
		for _, d := range p.Documents {
			fmt.Fprintf(w, "  %s  %-10s  %2d  %s\n", d.ID, dateOf(d.Published, mizan.PrecisionDay), d.Mentions, clip(d.Title, 60))
		}
	}
	if len(p.Sentences) > 0 {
		fmt.Fprintln(w, "\nSentences")
		for _, s := range p.Sentences {
			fmt.Fprintf(w, "  [%s] %s\n", s.Doc[:min(8, len(s.Doc))], clip(s.Text, 160))
		}
	}
	if len(p.MergedFrom) > 0 || len(p.Corrections) > 0 || len(p.Resolutions) > 0 {
		fmt.Fprintln(w, "\nHistory")
		for _, c := range p.Corrections {
			if c.Kind == mizan.CorrectMerge {
				fmt.Fprintf(w, "  %s  merge: %s into %s\n", c.At.Format("2006-01-02"), c.Entity, c.Into)
			} else {
				fmt.Fprintf(w, "  %s  split: %q from %s into %s\n", c.At.Format("2006-01-02"), c.Name, c.Entity, c.Into)
			}
		}
		for _, r := range p.Resolutions {
			fmt.Fprintf(w, "  linked %q (%s) by %s, score %.2f, in %s\n", r.Name, r.From, r.Rule, r.Score, r.Doc)
		}
	}
}

// tenure prints the dates of an office tenure.
func tenure(o mizan.Office) string {
	from, to := "?", "present"
	if o.Start != nil {
		from = o.Start.Format("2006-01-02")
	}
	if o.End != nil {
		to = o.End.Format("2006-01-02")
	}
	return from + " to " + to
}

func (a *App) mergeCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "merge A B",
		Short: "Make entity A an alias of entity B (a correction that outlives reprocessing)",
		Long: `Merge entity A into entity B: A's names become B's aliases, its mentions move to B, and every
later mention of A (from new documents or 'mizan reprocess') resolves to B. A and B are ids or
names. Undo part of a merge with 'mizan entity split'.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			c, err := st.MergeEntities(ctx, args[0], args[1])
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(c)
			}
			fmt.Fprintf(a.Stdout, "merged %s into %s\n", c.Entity, c.Into)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the correction as JSON")
	return cmd
}

func (a *App) splitCommand() *cobra.Command {
	var (
		into   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "split ID NAME",
		Short: "Move one name of an entity, and its mentions, to a new or given entity",
		Long: `Split a name off an entity: the name and the mentions written so leave it for a new entity of
the same type (or the one given with --into), and the resolver never links that name to it again,
through new documents and 'mizan reprocess' alike.`,
		Example: `  mizan entity split person/said-chengriha "Mohamed Chengriha"
  mizan entity split person/leila-zaruki "Omar Tazi" --into person/omar-tazi`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			c, err := st.SplitEntity(ctx, args[0], strings.Join(args[1:], " "), into)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(c)
			}
			fmt.Fprintf(a.Stdout, "split %q from %s into %s\n", c.Name, c.Entity, c.Into)
			return nil
		},
	}
	cmd.Flags().StringVar(&into, "into", "", "the entity (id or name) that takes the name (default: a new one)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the correction as JSON")
	return cmd
}

func (a *App) resolveCommand() *cobra.Command {
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "resolve",
		Short: "Re-run entity resolution over everything stored, independently of ingest order",
		Long: `Ingest links each new spelling to the entities known at that moment, so the first spelling seen
names an entity, and workers on several machines can create two entities for one person at the
same time. 'mizan resolve' compares all stored discovered entities with each other and with the
knowledge base, joins those that are one (best links first, never two knowledge-base entities),
and links each group to its knowledge-base entity or its most mentioned one. Users' merges and
splits hold. --dry-run lists the links without making them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			cs, ok := st.(resolve.ClusterStore)
			if !ok {
				return mizan.Errorf(mizan.EUNSUPPORTED, "this store cannot re-run resolution")
			}
			k, err := a.knowledgeBase(ctx)
			if err != nil {
				return err
			}
			c, err := resolve.New(cs, k, resolve.DefaultOptions()).Cluster(ctx, cs, !dryRun)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(c)
			}
			for _, l := range c.Links {
				fmt.Fprintf(a.Stdout, "%s → %s  (%s, %.2f)\n", l.From, l.Into, l.Rule, l.Score)
			}
			verb := "linked"
			if dryRun {
				verb = "would link"
			}
			fmt.Fprintf(a.Stdout, "%d discovered entities, %d groups, %s %d\n", c.Entities, c.Clusters, verb, len(c.Links))
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list the links without making them")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}
