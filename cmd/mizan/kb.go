package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/kb"
	"github.com/mizan-osint/mizan/internal/textnorm"
)

func init() {
	register("kb", func(a *App) []*cobra.Command {
		cmd := &cobra.Command{
			Use:   "kb",
			Short: "The knowledge base of canonical entities, their names and offices",
			Long: `The knowledge base is what mention detection matches and resolution links to: every country
with its names in English, Arabic, French, Russian and Persian, organisations, security services,
armed groups, people and the offices they held. It is the embedded default with the files imported
into this database ('mizan kb import') replayed on top.`,
		}
		cmd.AddCommand(a.kbListCommand(), a.kbShowCommand(), a.kbImportCommand())
		return []*cobra.Command{cmd}
	})
}

// maxImport bounds a knowledge-base file: it is kept in the database and replayed whenever the
// knowledge base is loaded.
const maxImport = 256 << 20

type kbRow struct {
	ID      string           `json:"id"`
	Type    mizan.EntityType `json:"type"`
	Name    string           `json:"name"`
	Names   int              `json:"names"`
	Country string           `json:"country,omitempty"`
	Source  string           `json:"source"`
}

func (a *App) kbListCommand() *cobra.Command {
	var (
		typ, query string
		asJSON     bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the knowledge base's entities",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var t mizan.EntityType
			if typ != "" {
				var err error
				if t, err = entityType(typ); err != nil {
					return err
				}
			}
			k, err := a.knowledgeBase(cmd.Context())
			if err != nil {
				return err
			}
			q := textnorm.Key(query)
			rows := []kbRow{}
			for _, e := range k.Entities(t) {
				if q != "" && !nameContains(e, q) {
					continue
				}
				rows = append(rows, kbRow{ID: e.ID, Type: e.Type, Name: e.Name, Names: len(e.Names), Country: e.Attrs["country"], Source: e.Source})
			}
			if asJSON {
				return a.writeJSON(rows)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTYPE\tNAMES\tCOUNTRY\tNAME")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", r.ID, r.Type, r.Names, orDash(r.Country), r.Name)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&typ, "type", "", "only entities of this type: "+typeList())
	cmd.Flags().StringVar(&query, "query", "", "only entities with a name containing this text")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func nameContains(e *mizan.Entity, key string) bool {
	if strings.Contains(textnorm.Key(e.Name), key) {
		return true
	}
	for _, n := range e.Names {
		if strings.Contains(textnorm.Key(n.Text), key) {
			return true
		}
	}
	return false
}

// kbView is an entity of the knowledge base as `kb show` prints it.
type kbView struct {
	*mizan.Entity
	// NamesByLang groups the names by language ("" for names without one).
	NamesByLang map[string][]mizan.Name `json:"names_by_lang"`
	// Offices are the tenures the entity held (a person) or of the offices that belong to it (a
	// state or an organisation), with holders and dates.
	Offices []officeView `json:"offices"`
}

type officeView struct {
	mizan.Office
	HolderName string `json:"holder_name,omitempty"`
	EntityName string `json:"entity_name,omitempty"`
}

func (a *App) kbShowCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID|NAME",
		Short: "One knowledge-base entity: names by language, attributes, offices with holders and dates",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.knowledgeBase(cmd.Context())
			if err != nil {
				return err
			}
			ref := strings.Join(args, " ")
			e, ok := k.Entity(ref)
			if !ok {
				found := k.Lookup(ref)
				if len(found) == 0 {
					return mizan.Errorf(mizan.ENOTFOUND, "the knowledge base has no entity %q", ref)
				}
				e = found[0]
			}
			v := kbView{Entity: e, NamesByLang: map[string][]mizan.Name{}, Offices: []officeView{}}
			for _, n := range e.Names {
				v.NamesByLang[n.Lang] = append(v.NamesByLang[n.Lang], n)
			}
			offices := k.Offices(e.ID)
			if e.Type == mizan.PERSON {
				offices = k.OfficesOf(e.ID)
			}
			for _, o := range offices {
				ov := officeView{Office: o}
				if h, ok := k.Entity(o.Holder); ok {
					ov.HolderName = h.Name
				}
				if x, ok := k.Entity(o.Entity); ok {
					ov.EntityName = x.Name
				}
				v.Offices = append(v.Offices, ov)
			}
			if asJSON {
				return a.writeJSON(v)
			}
			w := a.Stdout
			fmt.Fprintf(w, "%s\n  id        %s\n  type      %s\n  source    %s\n", e.Name, e.ID, e.Type, orDash(e.Source))
			langs := make([]string, 0, len(v.NamesByLang))
			for l := range v.NamesByLang {
				langs = append(langs, l)
			}
			sort.Strings(langs)
			for _, l := range langs {
				var texts []string
				for _, n := range v.NamesByLang[l] {
					t := n.Text
					if n.Kind != mizan.NameCanonical && n.Kind != mizan.NameAlias && n.Kind != "" {
						t += " (" + string(n.Kind) + ")"
					}
					texts = append(texts, t)
				}
				fmt.Fprintf(w, "  names %-3s %s\n", orDash(l), strings.Join(texts, "; "))
			}
			keys := make([]string, 0, len(e.Attrs))
			for key := range e.Attrs {
				keys = append(keys, key)
			}
			sort.Strings(keys)
			for _, key := range keys {
				fmt.Fprintf(w, "  %-9s %s\n", key, e.Attrs[key])
			}
			if len(v.Offices) > 0 {
				fmt.Fprintln(w, "\nOffices")
				for _, o := range v.Offices {
					if e.Type == mizan.PERSON {
						fmt.Fprintf(w, "  %s (%s), %s\n", o.Title, orDash(o.EntityName), tenure(o.Office))
					} else {
						fmt.Fprintf(w, "  %s: %s (%s), %s\n", o.Title, orDash(o.HolderName), o.Holder, tenure(o.Office))
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// importFormat guesses a knowledge-base file's format from its name.
func importFormat(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv":
		return "csv"
	case ".yaml", ".yml":
		return "yaml"
	case ".json", ".jsonl", ".ndjson", ".ftm":
		return "ftm"
	}
	return ""
}

func (a *App) kbImportCommand() *cobra.Command {
	var (
		format string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import entities, aliases and offices from CSV, YAML or FollowTheMoney JSON lines",
		Long: `Import a file into this database's knowledge base. Records merge into an entity the knowledge
base has (same id, same Wikidata QID, or the only entity of the type with that name) or add a new
one; bad records are skipped and reported with their line. The file is kept in the database and
replayed on top of the embedded knowledge base whenever it is loaded, so the import persists. Run
'mizan reprocess --all' for stored documents to see the new names.

Formats (by --format, else by extension: .csv, .yaml/.yml, .json/.jsonl/.ftm):
  csv   columns id,type,name,lang,aliases,country,wikidata (header row optional; aliases "|"-separated)
  yaml  the knowledge base's own format (entities, offices, roles)
  ftm   FollowTheMoney entities, one JSON object per line (e.g. OpenSanctions exports)`,
		Example: `  mizan kb import extra-people.csv
  mizan kb import --format ftm opensanctions-subset.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			path := args[0]
			if format == "" {
				format = importFormat(path)
			}
			if format == "" {
				return usagef("cannot tell the format of %s: give --format (%s)", path, strings.Join(kb.Formats, ", "))
			}
			data, err := readLimited(path, a.Stdin)
			if err != nil {
				return err
			}
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			k, err := a.knowledgeBase(ctx)
			if err != nil {
				return err
			}
			name := filepath.Base(path)
			// Imported into a copy first: the report tells whether anything is worth keeping.
			rep, err := k.Clone().Import(bytes.NewReader(data), format, name)
			if err != nil {
				return err
			}
			if rep.Added+rep.Merged+rep.Offices+rep.Tenures == 0 {
				if asJSON {
					if err := a.writeJSON(rep); err != nil {
						return err
					}
				} else {
					a.printImport(rep)
				}
				return mizan.Errorf(mizan.EINVALID, "nothing in %s could be imported", path)
			}
			if _, err := st.AddKBImport(ctx, mizan.KBImport{Name: name, Format: format, Data: data}); err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(rep)
			}
			a.printImport(rep)
			fmt.Fprintln(a.Stderr, "stored: new documents use it; run 'mizan reprocess --all' for those already stored")
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "csv, yaml or ftm (default: from the file's extension)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the import report as JSON")
	return cmd
}

func (a *App) printImport(rep kb.ImportReport) {
	fmt.Fprintf(a.Stdout, "%s (%s): %d records: %d added, %d merged, %d offices (%d tenures), %d skipped\n",
		rep.Source, rep.Format, rep.Records, rep.Added, rep.Merged, rep.Offices, rep.Tenures, rep.Skipped)
	for _, p := range rep.Problems {
		id := ""
		if p.ID != "" {
			id = " " + p.ID
		}
		fmt.Fprintf(a.Stderr, "  line %d%s: %s\n", p.Line, id, p.Reason)
	}
}

// readLimited reads a file ("-" for stdin) of at most maxImport bytes.
func readLimited(path string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "cannot read %s: %v", path, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxImport+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxImport {
		return nil, mizan.Errorf(mizan.ETOOLARGE, "%s is over %d MB", path, maxImport>>20)
	}
	return data, nil
}
