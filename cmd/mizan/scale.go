package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/postgres"
	"github.com/mizan-osint/mizan/internal/queue"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/sqlstore"
)

func init() {
	open := func(ctx context.Context, a *App, loc string) (mizan.Store, error) {
		db, err := postgres.Open(ctx, loc)
		if err != nil {
			return nil, err
		}
		db.Now = a.Now
		return db, nil
	}
	storeOpeners["postgres://"] = open
	storeOpeners["postgresql://"] = open
	register("scale", func(a *App) []*cobra.Command {
		return []*cobra.Command{a.workerCommand(), a.queueCommand()}
	})
}

// sqlDB is the SQL store behind a command's store: the queue, the feed state and copies live
// in the same database as the documents.
func sqlDB(st mizan.Store) (*sqlstore.DB, error) {
	db, ok := st.(*sqlstore.DB)
	if !ok {
		return nil, mizan.Errorf(mizan.EUNSUPPORTED, "this store has no work queue")
	}
	return db, nil
}

// fetchOptions are the HTTP settings of workers and watchers, as `mizan ingest` has them.
func fetchOptions() source.Options {
	o := source.DefaultOptions()
	o.UserAgent = "mizan/" + version + " (+https://github.com/mizan-osint/mizan)"
	return o
}

// enqueue records the inputs named by args in the work queue instead of processing them: URLs
// as URLs (workers fetch them; a feed expands into its items there), local files and stdin as
// their bytes, since workers may run on other machines. A local feed file expands into its
// items here.
func (a *App) enqueue(ctx context.Context, st mizan.Store, opts source.Options, args []string, asJSON bool) error {
	q, err := a.queueOf(st)
	if err != nil {
		return err
	}
	var (
		items         []queue.Item
		paths         []string
		added, total  int
		failed        []string
		expandedFeeds = map[string]bool{}
		flush         = func() error {
			if len(items) == 0 {
				return nil
			}
			n, err := q.Enqueue(ctx, items...)
			added, total, items = added+n, total+len(items), items[:0]
			return err
		}
	)
	for _, arg := range args {
		if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
			items = append(items, queue.Item{Kind: queue.KindURL, Source: arg, SourceKind: mizan.SourceURL})
			continue
		}
		paths = append(paths, arg)
	}
	if len(paths) > 0 {
		// Local feeds are read, not fetched: their items are enqueued below from the parsed feed.
		opts.FollowFeeds = false
		opts.Stdin = a.Stdin
		err := source.New(opts).Walk(ctx, paths, func(it source.Item) error {
			switch {
			case it.Err != nil:
				failed = append(failed, fmt.Sprintf("%s: %s", it.Source, mizan.ErrorMessage(it.Err)))
				return nil
			case it.Feed != nil:
				if expandedFeeds[it.Feed.FeedURL] {
					return nil
				}
				expandedFeeds[it.Feed.FeedURL] = true
				raw, err := os.ReadFile(it.Feed.FeedURL)
				if err != nil {
					failed = append(failed, fmt.Sprintf("%s: %v", it.Feed.FeedURL, err))
					return nil
				}
				f, err := source.ParseFeed(raw, it.Feed.FeedURL)
				if err != nil {
					failed = append(failed, fmt.Sprintf("%s: %s", it.Feed.FeedURL, mizan.ErrorMessage(err)))
					return nil
				}
				items = append(items, queue.FeedItems(f)...)
			default:
				items = append(items, queue.Item{Kind: queue.KindBytes, Source: it.Source, SourceKind: it.Kind,
					Raw: it.Raw, ContentType: it.ContentType})
			}
			if len(items) >= 100 {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if asJSON {
		return a.writeJSON(map[string]any{"enqueued": added, "already_queued": total - added, "failed": failed})
	}
	for _, f := range failed {
		fmt.Fprintf(a.Stderr, "failed: %s\n", f)
	}
	fmt.Fprintf(a.Stdout, "%d enqueued, %d already queued, %d failed\n", added, total-added, len(failed))
	return nil
}

func (a *App) workerCommand() *cobra.Command {
	o := queue.DefaultOptions()
	var asJSON bool
	var id string
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Process the work queue (run as many as you like, on as many machines)",
		Long: `Claim items from the work queue that 'mizan ingest --enqueue' and 'mizan watch' fill, and run
them through the same pipeline as 'mizan ingest'. Run any number of workers, on any number of
machines, against one PostgreSQL database (SQLite works too, on one machine).

Each item is leased for --lease and the lease renewed while the worker lives; the items of a
worker that dies are taken over by others when their leases end. A failed item is retried with
exponential back-off (10s, 20s, 40s... ±50%) and is dead after --max-attempts, or at once when
retrying cannot help (an invalid or unsupported input): 'mizan queue' lists the dead with their
errors, 'mizan queue retry --dead' revives them. A document and its item's "done" are written
in one transaction, so nothing is stored twice and nothing is lost, whatever gets killed when.

Ctrl-C (or SIGTERM) stops claiming, gives unfinished items back at once and exits.`,
		Example: `  MIZAN_DB=postgres://mizan@db.example:5432/news mizan worker --concurrency 4
  mizan worker --once          # process what is due, then exit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			q, err := a.queueOf(st)
			if err != nil {
				return err
			}
			w := &queue.Worker{Queue: q, Ingester: a.ingester(st), Fetcher: source.New(fetchOptions()), Options: o, ID: id}
			if !a.quiet {
				w.Log = func(format string, args ...any) {
					fmt.Fprintf(a.Stderr, "%s worker: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
				}
			}
			start := time.Now()
			rep, err := w.Run(ctx)
			rep.Elapsed = time.Since(start)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(rep)
			}
			fmt.Fprintf(a.Stdout, "%s; %d feeds expanded, %d retrying, %d dead\n", rep.Line(), rep.Expanded, rep.Retrying, rep.Dead)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Concurrency, "concurrency", 0, "documents processed at once (default: one per CPU)")
	f.DurationVar(&o.Lease, "lease", o.Lease, "how long a claimed item stays this worker's without a heartbeat")
	f.IntVar(&o.MaxAttempts, "max-attempts", o.MaxAttempts, "attempts before an item is dead")
	f.BoolVar(&o.Once, "once", false, "exit when no item is due instead of waiting for more")
	f.DurationVar(&o.Poll, "poll", o.Poll, "how often an idle worker looks for work")
	f.StringVar(&id, "id", "", "worker name in leases (default host:pid:random)")
	f.BoolVar(&asJSON, "json", false, "print the final report as JSON")
	return cmd
}

func (a *App) queueCommand() *cobra.Command {
	var (
		asJSON bool
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "queue",
		Short: "Show the work queue: depth, in flight, done, failed and dead items",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			q, err := a.openQueue(ctx)
			if err != nil {
				return err
			}
			st, err := q.Stats(ctx)
			if err != nil {
				return err
			}
			dead, err := q.List(ctx, queue.Filter{States: []queue.State{queue.Dead}, Limit: limit})
			if err != nil {
				return err
			}
			failing, err := q.List(ctx, queue.Filter{States: []queue.State{queue.Pending, queue.Leased}, Failed: true, Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(struct {
					queue.Stats
					DeadItems    []*queue.Item `json:"dead_items"`
					FailingItems []*queue.Item `json:"failing_items"`
				}{st, nonNilItems(dead), nonNilItems(failing)})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "pending\t%d\t(%d due, %d waiting to retry)\n", st.Pending, st.Due, st.Waiting)
			fmt.Fprintf(tw, "in flight\t%d\t(%d workers, %d leases expired)\n", st.InFlight, len(st.Workers), st.Expired)
			fmt.Fprintf(tw, "done\t%d\t\n", st.Done)
			fmt.Fprintf(tw, "dead\t%d\t\n", st.Dead)
			tw.Flush()
			if st.OldestDue != nil {
				fmt.Fprintf(a.Stdout, "oldest due item waiting for %s\n", a.Now().Sub(*st.OldestDue).Round(time.Second))
			}
			printItems := func(title string, items []*queue.Item) {
				if len(items) == 0 {
					return
				}
				fmt.Fprintf(a.Stdout, "\n%s:\n", title)
				for _, it := range items {
					fmt.Fprintf(a.Stdout, "  #%d %s (%d attempts): %s\n", it.ID, it.Source, it.Attempts, it.LastError)
				}
			}
			printItems("dead", dead)
			printItems("failing, will retry", failing)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON object")
	cmd.Flags().IntVar(&limit, "limit", 20, "failed and dead items listed")
	cmd.AddCommand(a.queueRetryCommand())
	return cmd
}

func nonNilItems(s []*queue.Item) []*queue.Item {
	if s == nil {
		return []*queue.Item{}
	}
	return s
}

func (a *App) openQueue(ctx context.Context) (*queue.Queue, error) {
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	return a.queueOf(st)
}

// queueOf is the work queue kept in the store's database, on the App's clock.
func (a *App) queueOf(st mizan.Store) (*queue.Queue, error) {
	db, err := sqlDB(st)
	if err != nil {
		return nil, err
	}
	q := queue.New(db)
	q.Now = a.Now
	return q, nil
}

func (a *App) queueRetryCommand() *cobra.Command {
	var dead, asJSON bool
	cmd := &cobra.Command{
		Use:   "retry",
		Short: "Retry failed items now (and, with --dead, the dead ones)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			q, err := a.openQueue(ctx)
			if err != nil {
				return err
			}
			n, err := q.Retry(ctx, dead)
			if err != nil {
				return err
			}
			if asJSON {
				return a.writeJSON(map[string]int{"retried": n})
			}
			fmt.Fprintf(a.Stdout, "%d items due now\n", n)
			return nil
		},
	}
	cmd.Flags().BoolVar(&dead, "dead", false, "also put dead items back (their attempts start again)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON object")
	return cmd
}
