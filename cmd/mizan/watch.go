package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/queue"
	"github.com/mizan-osint/mizan/internal/source"
	"github.com/mizan-osint/mizan/internal/watch"
)

func init() {
	register("scale", func(a *App) []*cobra.Command { return []*cobra.Command{a.watchCommand()} })
}

func (a *App) watchCommand() *cobra.Command {
	var (
		feedsFile, webhook    string
		interval              time.Duration
		entities              []string
		ingestNow, once, stat bool
		asJSON                bool
	)
	cmd := &cobra.Command{
		Use:   "watch FEED... | --feeds FILE",
		Short: "Poll RSS/Atom feeds, queue their new items, and alert on what is new",
		Long: `Poll feeds on their own schedules with conditional requests (ETag, If-Modified-Since), and
put every item not seen before in the work queue for 'mizan worker' (or, with --ingest, process
it here). A feed that fails is retried later and later (its interval doubled per failure, up to
6 hours). The feeds' state — validators, schedule, items seen — is kept in the database, so a
restarted watcher carries on.

The feeds file has one feed per line, a URL and optionally its interval (90s, 15m, 1h); or YAML:
a list of {url, interval} under "feeds:".

With --entity (repeatable: an entity id such as gpe/dz, or a name), alerts are printed as JSON
lines on stdout, and POSTed to --webhook, when stored events show something new about those
entities: a first event between two actors (new_relation), a first event of a type between two
actors (new_event_type), an actor never seen before (new_actor). The first check of a database
learns what is there without alerting.`,
		Example: `  mizan watch --feeds feeds.txt --ingest --entity gpe/dz --entity "Wagner Group"
  mizan watch https://example.org/rss.xml --interval 10m
  mizan watch --status`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			db, err := sqlDB(st)
			if err != nil {
				return err
			}
			q, err := a.queueOf(st)
			if err != nil {
				return err
			}
			w := &watch.Watcher{Queue: q, Fetcher: source.New(fetchOptions()), Now: a.Now}
			if stat {
				return a.printFeedStatus(ctx, w, asJSON)
			}
			var feeds []watch.Feed
			for _, u := range args {
				feeds = append(feeds, watch.Feed{URL: u, Interval: interval})
			}
			if err := watch.Check(feeds); err != nil {
				return usagef("%s", mizan.ErrorMessage(err))
			}
			if feedsFile != "" {
				data, err := os.ReadFile(feedsFile)
				if err != nil {
					return mizan.Errorf(mizan.ENOTFOUND, "feeds file: %v", err)
				}
				more, err := watch.ParseFeeds(data, interval)
				if err != nil {
					return fmt.Errorf("%s: %w", feedsFile, err)
				}
				feeds = append(feeds, more...)
			}
			if len(feeds) == 0 {
				return usagef("watch: give feed URLs or --feeds FILE (see 'mizan watch --help')")
			}
			logf := func(format string, args ...any) {
				if !a.quiet {
					fmt.Fprintf(a.Stderr, "%s watch: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
				}
			}
			w.Log = logf
			var alerter *watch.Alerter
			if len(entities) > 0 {
				log, ok := st.(watch.EventLog)
				if !ok {
					return mizan.Errorf(mizan.EUNSUPPORTED, "alerts need the stored events, and this database's store cannot list them yet")
				}
				notify := watch.Notifiers{&watch.JSONLines{W: a.Stdout}}
				if webhook != "" {
					notify = append(notify, &watch.Webhook{URL: webhook})
				}
				alerter = &watch.Alerter{Events: log, Memory: watch.SQLMemory{DB: db, Now: a.Now}, Watched: entities, Notify: notify, Now: a.Now}
			}
			w.AfterRound = func(ctx context.Context, enqueued int) error {
				if ingestNow && enqueued > 0 {
					o := queue.DefaultOptions()
					o.Once = true
					wk := &queue.Worker{Queue: q, Ingester: a.ingester(st), Fetcher: w.Fetcher, Options: o}
					rep, err := wk.Run(ctx)
					if err != nil {
						return err
					}
					logf("ingested: %s", rep.Line())
				}
				if alerter != nil {
					if _, err := alerter.Check(ctx); err != nil {
						// A webhook that stays down must not stop the watch: the alert was
						// printed, and the error is reported.
						logf("alerts: %v", err)
					}
				}
				return nil
			}
			if once {
				if err := w.Register(ctx, feeds); err != nil {
					return err
				}
				results, err := w.Round(ctx, feeds)
				if err != nil {
					return err
				}
				n := 0
				for _, r := range results {
					n += r.New
				}
				if err := w.AfterRound(ctx, n); err != nil {
					return err
				}
				if asJSON && alerter == nil {
					return a.writeJSON(results)
				}
				return nil
			}
			return w.Run(ctx, feeds)
		},
	}
	f := cmd.Flags()
	f.StringVar(&feedsFile, "feeds", "", "file of feeds: URL [interval] per line, or YAML")
	f.DurationVar(&interval, "interval", 15*time.Minute, "interval of feeds that do not give one")
	f.StringArrayVar(&entities, "entity", nil, "alert on what is new about this entity (id or name; repeatable)")
	f.StringVar(&webhook, "webhook", "", "also POST each alert as JSON to this URL (retried with back-off)")
	f.BoolVar(&ingestNow, "ingest", false, "process new items here instead of leaving them to 'mizan worker'")
	f.BoolVar(&once, "once", false, "poll the feeds that are due once, then exit (for cron)")
	f.BoolVar(&stat, "status", false, "show the watched feeds and their state, then exit")
	f.BoolVar(&asJSON, "json", false, "with --status or --once: print JSON")
	return cmd
}

func (a *App) printFeedStatus(ctx context.Context, w *watch.Watcher, asJSON bool) error {
	st, err := w.Status(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		if st == nil {
			st = []watch.FeedStatus{}
		}
		return a.writeJSON(st)
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tEVERY\tLAST\tSTATUS\tITEMS\tNEXT")
	for _, s := range st {
		last := "-"
		if s.LastPoll != nil {
			last = s.LastPoll.Local().Format("2006-01-02 15:04")
		}
		status := s.LastStatus
		if s.LastError != "" {
			status = fmt.Sprintf("%s (%d in a row): %s", s.LastStatus, s.Errors, clip(s.LastError, 60))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", s.URL, s.Interval, last, status, s.Items, s.NextPoll.Local().Format("15:04"))
	}
	return tw.Flush()
}
