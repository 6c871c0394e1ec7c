package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan/internal/postgres"
	"github.com/mizan-osint/mizan/internal/progress"
	"github.com/mizan-osint/mizan/internal/sqlite"
	"github.com/mizan-osint/mizan/internal/sqlstore"
	"github.com/mizan-osint/mizan/internal/storecopy"
)

func init() {
	register("scale", func(a *App) []*cobra.Command { return []*cobra.Command{a.copyCommand()} })
}

// openLocation opens a store named like --db: a postgres:// URL, sqlite:PATH or a PATH.
func (a *App) openLocation(ctx context.Context, loc string) (*sqlstore.DB, error) {
	var (
		db  *sqlstore.DB
		err error
	)
	if postgres.IsURL(loc) {
		db, err = postgres.Open(ctx, loc)
	} else {
		db, err = sqlite.Open(ctx, strings.TrimPrefix(loc, "sqlite:"))
	}
	if err != nil {
		return nil, err
	}
	db.Now = a.Now
	return db, nil
}

// copyProgress shows a bar per table.
type copyProgress struct {
	a   *App
	bar *progress.Bar
	off bool
}

func (p *copyProgress) Table(name string, rows int) {
	if p.bar != nil {
		p.bar.Finish()
	}
	p.bar = progress.New(p.a.Stderr, int64(rows), name, p.off)
}

func (p *copyProgress) Rows(n int) { p.bar.Add(n) }

func (a *App) copyCommand() *cobra.Command {
	var from, to string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "copy --from DB --to DB",
		Short: "Copy a whole corpus between stores (SQLite ⇄ PostgreSQL)",
		Long: `Copy every document (with its raw bytes), its sources, failures and near-duplicate groups, and
every entity, mention and event table both databases have, from one store to another: to move a
laptop's corpus to PostgreSQL when workers are added, or back for offline work. Databases are
named as with --db: a postgres:// URL, sqlite:PATH or a PATH.

The copy is idempotent: rows already in the destination are kept, so an interrupted copy is
finished by running it again. Full-text entries are rebuilt in the destination's own index.
The destination must be empty or an earlier copy of the same source.`,
		Example: `  mizan copy --from sqlite:mizan.db --to postgres://mizan@db.example/news
  mizan copy --from postgres://mizan@db.example/news --to laptop.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return usagef("copy: give both --from and --to")
			}
			if from == to {
				return usagef("copy: --from and --to are the same database")
			}
			ctx := cmd.Context()
			src, err := a.openLocation(ctx, from)
			if err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			defer src.Close()
			dst, err := a.openLocation(ctx, to)
			if err != nil {
				return fmt.Errorf("--to: %w", err)
			}
			defer dst.Close()
			p := &copyProgress{a: a, off: a.quiet || asJSON}
			rep, err := storecopy.Copy(ctx, src, dst, p)
			if p.bar != nil {
				p.bar.Finish()
			}
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(rep)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "TABLE\tSOURCE ROWS\tCOPIED")
			for _, t := range rep.Tables {
				fmt.Fprintf(tw, "%s\t%d\t%d\n", t.Table, t.Source, t.Copied)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "source database (postgres://..., sqlite:PATH or PATH)")
	cmd.Flags().StringVar(&to, "to", "", "destination database")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
