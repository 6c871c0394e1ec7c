package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan/internal/ingest"
	"github.com/mizan-osint/mizan/internal/progress"
	"github.com/mizan-osint/mizan/internal/source"
)

func init() {
	register("corpus", func(a *App) []*cobra.Command {
		return []*cobra.Command{a.ingestCommand(), a.reprocessCommand(), a.docsCommand(), a.showCommand(), a.searchCommand()}
	})
}

func (a *App) ingestCommand() *cobra.Command {
	opts := source.DefaultOptions()
	opts.UserAgent = "mizan/" + version + " (+https://github.com/mizan-osint/mizan)"
	var (
		workers         int
		refetch, asJSON bool
		enqueue         bool
		allFiles        bool
		maxMB           float64
	)
	cmd := &cobra.Command{
		Use:   "ingest PATH|URL|- ...",
		Short: "Ingest files, directories, URLs, RSS/Atom feeds or stdin",
		Long: `Ingest documents into the corpus. Arguments are files, directories (walked recursively,
hidden entries skipped), http(s) URLs, RSS/Atom feeds (every item is fetched as a document) or
- for standard input. HTML, plain text and text copied from a browser page are recognised; the
article is extracted, its language detected and its sentences split.

A batch never stops at a bad input: each failure is reported with its reason at the end (and kept:
see 'mizan docs --failed'). Re-running is safe: inputs already stored are skipped (files by their
content, URLs without fetching them again unless --refetch), so an interrupted batch resumes.`,
		Example: `  mizan ingest ./articles
  mizan ingest --include '*.html' --exclude 'drafts/**' ./site-dump
  mizan ingest https://example.org/news/feed.xml
  curl -s https://example.org/a.html | mizan ingest -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			if maxMB > 0 {
				opts.MaxBytes = int64(maxMB * (1 << 20))
			}
			if !allFiles {
				opts.Exclude = append(append([]string(nil), source.MetadataFiles...), opts.Exclude...)
			}
			opts.Stdin = a.Stdin
			if enqueue {
				return a.enqueue(ctx, st, opts, args, asJSON)
			}
			bar := progress.New(a.Stderr, -1, "ingesting", a.quiet || asJSON)
			in := a.ingester(st)
			in.Workers, in.Progress = workers, bar
			if !refetch {
				opts.Skip = in.SkipStoredURLs(ctx)
			}
			sum, err := in.Run(ctx, source.New(opts), args)
			bar.Finish()
			if err != nil {
				return err
			}
			return a.printSummary(sum, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Include, "include", nil, "only files matching this glob (repeatable; ** matches directories)")
	f.StringArrayVar(&opts.Exclude, "exclude", nil, "skip files matching this glob (repeatable)")
	f.BoolVar(&allFiles, "all-files", false, "also read README, LICENSE, CHANGELOG... files found in directories")
	f.IntVar(&workers, "workers", 0, "documents processed at once (default: one per CPU)")
	f.DurationVar(&opts.Timeout, "timeout", opts.Timeout, "timeout of each HTTP request")
	f.Float64Var(&maxMB, "max-size", float64(opts.MaxBytes)/(1<<20), "largest input accepted, in MB")
	f.StringVar(&opts.UserAgent, "user-agent", opts.UserAgent, "User-Agent of HTTP requests")
	f.BoolVar(&refetch, "refetch", false, "fetch URLs again even when already ingested")
	f.BoolVar(&asJSON, "json", false, "print the summary as JSON")
	f.BoolVar(&enqueue, "enqueue", false, "record the inputs in the work queue for 'mizan worker' instead of processing them")
	return cmd
}

func (a *App) printSummary(sum ingest.Summary, asJSON bool) error {
	if asJSON {
		return a.writeJSON(sum)
	}
	for _, f := range sum.Failures {
		fmt.Fprintf(a.Stderr, "failed: %s: %s\n", f.Source, f.Error)
	}
	if sum.Failed > len(sum.Failures) {
		fmt.Fprintf(a.Stderr, "failed: ... and %d more (mizan docs --failed lists them all)\n", sum.Failed-len(sum.Failures))
	}
	fmt.Fprintln(a.Stdout, sum.Line())
	return nil
}

func (a *App) reprocessCommand() *cobra.Command {
	var (
		all, asJSON bool
		workers     int
	)
	cmd := &cobra.Command{
		Use:   "reprocess [DOC...]",
		Short: "Re-run the pipeline over stored raw bytes",
		Long: `Re-run the pipeline over the raw bytes kept for each document, after an upgrade of mizan or
its knowledge base. Without arguments, documents processed by an older pipeline are redone;
--all redoes every document. Document ids stay the same.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			bar := progress.New(a.Stderr, -1, "reprocessing", a.quiet || asJSON)
			in := a.ingester(st)
			in.Workers, in.Progress = workers, bar
			start := time.Now()
			sum, err := in.Reprocess(ctx, args, all || len(args) > 0)
			bar.Finish()
			if err != nil {
				return err
			}
			sum.Elapsed = time.Since(start)
			return a.printSummary(sum, asJSON)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "reprocess every document, not only stale ones")
	cmd.Flags().IntVar(&workers, "workers", 0, "documents processed at once (default: one per CPU)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}
