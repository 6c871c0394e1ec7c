package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/progress"
)

// parseDate reads a --since/--until value: YYYY, YYYY-MM or YYYY-MM-DD (UTC), as mizan.ParseDate.
func parseDate(flag, s string) (*time.Time, error) {
	return parseWith(mizan.ParseDate, flag, s)
}

// parseWith reads a date flag with parse; an empty value is no date.
func parseWith(parse func(string) (time.Time, bool), flag, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, ok := parse(s)
	if !ok {
		return nil, usagef("--%s %q: want a date like 2024, 2024-03 or 2024-03-15", flag, s)
	}
	return &t, nil
}

// dateOf prints a publication date no more precisely than it is known.
func dateOf(t *time.Time, p mizan.Precision) string {
	if t == nil {
		return "-"
	}
	return mizan.TimeExpr{Start: t, Precision: p}.Period()
}

// clip shortens s to n characters for a table cell.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func (a *App) docsCommand() *cobra.Command {
	var (
		f                   mizan.DocumentFilter
		since, until        string
		asJSON, failed, dup bool
	)
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "List documents",
		Long: `List the documents of the corpus in ingest order, with their language, publication date,
outlet and title. --failed lists the inputs that could not be ingested and why.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			if failed {
				fs, err := st.Failures(ctx)
				if err != nil {
					return err
				}
				if asJSON {
					if fs == nil {
						fs = []mizan.Failure{}
					}
					return a.writeJSON(fs)
				}
				tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "WHEN\tSOURCE\tREASON")
				for _, x := range fs {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", x.At.Local().Format("2006-01-02 15:04"), x.Source, x.Reason)
				}
				return tw.Flush()
			}
			if f.Since, err = parseDate("since", since); err != nil {
				return err
			}
			if f.Until, err = parseDate("until", until); err != nil {
				return err
			}
			docs, total, err := st.Documents(ctx, f)
			if err != nil {
				return err
			}
			if dup {
				kept := docs[:0]
				for _, d := range docs {
					if d.DupGroup != "" {
						kept = append(kept, d)
					}
				}
				docs = kept
			}
			if asJSON {
				rows := make([]mizan.DocumentSummary, 0, len(docs))
				for _, d := range docs {
					rows = append(rows, d.Summary())
				}
				return a.writeJSON(rows)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tLANG\tPUBLISHED\tOUTLET\tCHARS\tTITLE")
			for _, d := range docs {
				title := clip(d.Title, 70)
				if d.DupGroup != "" {
					title += "  [near-dup " + shortID(d.DupGroup) + "]"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", d.ID, orDash(d.Lang), dateOf(d.Published, d.PublishedPrecision),
					orDash(clip(d.Outlet, 24)), d.Length, title)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(docs) < total && !dup {
				fmt.Fprintf(a.Stderr, "%d of %d documents (use --limit/--offset)\n", len(docs), total)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&asJSON, "json", false, "print a JSON array")
	fl.StringVar(&f.Lang, "lang", "", "only documents in this language (ISO 639-1, e.g. ar)")
	fl.StringVar(&f.Outlet, "outlet", "", "only documents from this outlet")
	fl.StringVar(&since, "since", "", "only documents published on or after this date")
	fl.StringVar(&until, "until", "", "only documents published before this date")
	fl.IntVar(&f.Limit, "limit", 0, "at most this many documents (0: all)")
	fl.IntVar(&f.Offset, "offset", 0, "skip this many documents")
	fl.BoolVar(&failed, "failed", false, "list inputs that failed to ingest, with reasons")
	fl.BoolVar(&dup, "near-dups", false, "only documents with near duplicates")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func (a *App) showCommand() *cobra.Command {
	var asJSON, textOnly, raw bool
	cmd := &cobra.Command{
		Use:   "show DOC",
		Short: "Show a document: metadata, clean text, sentences, near duplicates",
		Long: `Show one document. DOC is its id or a unique prefix of at least 4 characters.
--text prints only the clean text, --raw the bytes as ingested, --json everything.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			d, err := st.Document(ctx, args[0])
			if err != nil {
				return err
			}
			switch {
			case raw:
				_, err := a.Stdout.Write(d.Raw)
				return err
			case textOnly:
				_, err := fmt.Fprintln(a.Stdout, d.Text)
				return err
			}
			dups, err := st.NearDuplicates(ctx, d.ID)
			if err != nil {
				return err
			}
			if asJSON {
				v := a.docView(d, dups)
				for _, fill := range docViewFillers {
					if err := fill(ctx, st, &v); err != nil {
						return err
					}
				}
				return a.writeJSON(v)
			}
			w := a.Stdout
			fmt.Fprintf(w, "%s\n", d.Title)
			fmt.Fprintf(w, "  id        %s\n  source    %s (%s, %s)\n", d.ID, d.Source, d.SourceKind, d.Format)
			fmt.Fprintf(w, "  outlet    %s\n  authors   %s\n", orDash(d.Outlet), orDash(strings.Join(d.Authors, ", ")))
			pub := dateOf(d.Published, d.PublishedPrecision)
			if d.PublishedText != "" {
				pub += fmt.Sprintf(" (%q)", d.PublishedText)
			}
			fmt.Fprintf(w, "  published %s\n  language  %s\n  size      %d characters, %d paragraphs, %d sentences\n",
				pub, orDash(d.Lang), d.Length, len(d.Paragraphs), len(d.Sentences))
			for _, o := range dups {
				fmt.Fprintf(w, "  near-dup  %s  %s\n", o.ID, clip(o.Title, 60))
			}
			fmt.Fprintln(w)
			fmt.Fprintln(w, d.Text)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: metadata, text, paragraphs, sentences, near duplicates")
	cmd.Flags().BoolVar(&textOnly, "text", false, "print only the clean text")
	cmd.Flags().BoolVar(&raw, "raw", false, "print the raw bytes as ingested")
	return cmd
}

// docView is the JSON of `mizan show`.
type docView struct {
	*mizan.Document
	Sentences      []sentenceView          `json:"sentences"`
	NearDuplicates []mizan.DocumentSummary `json:"near_duplicates"`
	Mentions       []mizan.Mention         `json:"mentions"`
	Events         []mizan.Event           `json:"events"`
	Tone           *mizan.Tone             `json:"tone,omitempty"`
}

// docViewFillers add what later stages stored about a document (mentions, events) to its view.
// Each feature registers its own in an init function.
var docViewFillers []func(ctx context.Context, st mizan.Store, v *docView) error

type sentenceView struct {
	Span mizan.Span `json:"span"`
	Text string     `json:"text"`
}

func (a *App) docView(d *mizan.Document, dups []*mizan.Document) docView {
	v := docView{Document: d, Sentences: []sentenceView{}, NearDuplicates: []mizan.DocumentSummary{}, Mentions: []mizan.Mention{}, Events: []mizan.Event{}}
	for _, s := range d.Sentences {
		v.Sentences = append(v.Sentences, sentenceView{Span: s, Text: d.Slice(s)})
	}
	for _, o := range dups {
		v.NearDuplicates = append(v.NearDuplicates, o.Summary())
	}
	return v
}

func (a *App) searchCommand() *cobra.Command {
	var (
		q      mizan.SearchQuery
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Full-text search over clean text, Arabic-aware",
		Long: `Search the clean text and titles of every document, ranked by relevance (BM25, title words
counting more), with a snippet around the best match. Words are ANDed; "double quotes" make a
phrase; OR gives alternatives; -word excludes. Matching ignores case, Latin accents, Arabic
diacritics, hamza and alef variants, taa marbuta and the prefixes و ف ب ك ل ال, so الجزائر
finds والجزائر and Algérie finds Algerie.`,
		Example: `  mizan search Patrushev
  mizan search '"security council" Algeria'
  mizan search الجزائر`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			q.Query = strings.Join(args, " ")
			hits, total, err := st.Search(ctx, q)
			if err != nil {
				return err
			}
			if asJSON {
				type hitRow struct {
					mizan.DocumentSummary
					Score      float64      `json:"score"`
					Snippet    string       `json:"snippet"`
					Highlights []mizan.Span `json:"highlights"`
					Span       mizan.Span   `json:"span"`
				}
				rows := make([]hitRow, 0, len(hits))
				for _, h := range hits {
					rows = append(rows, hitRow{h.Doc.Summary(), h.Score, h.Snippet, nonNilSpans(h.Highlights), h.Span})
				}
				return a.writeJSON(rows)
			}
			color := progress.IsTerminal(a.Stdout)
			for i, h := range hits {
				fmt.Fprintf(a.Stdout, "%d. %s  %s  [%s, %s]\n   %s\n\n", q.Offset+i+1, h.Doc.ID, clip(h.Doc.Title, 70),
					orDash(h.Doc.Lang), dateOf(h.Doc.Published, h.Doc.PublishedPrecision), highlight(h.Snippet, h.Highlights, color))
			}
			fmt.Fprintf(a.Stderr, "%d of %d matching documents\n", len(hits), total)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	cmd.Flags().StringVar(&q.Lang, "lang", "", "only documents in this language")
	cmd.Flags().IntVar(&q.Limit, "limit", 20, "at most this many results")
	cmd.Flags().IntVar(&q.Offset, "offset", 0, "skip this many results")
	return cmd
}

func nonNilSpans(s []mizan.Span) []mizan.Span {
	if s == nil {
		return []mizan.Span{}
	}
	return s
}

// highlight marks the highlighted character spans of s: bold on a terminal, [brackets] otherwise.
func highlight(s string, hl []mizan.Span, color bool) string {
	open, close := "[", "]"
	if color {
		open, close = "\x1b[1m", "\x1b[0m"
	}
	ix := mizan.NewTextIndex(s)
	var b strings.Builder
	last := 0
	for _, h := range hl {
		a, e := ix.Bytes(h)
		if a < last {
			continue
		}
		b.WriteString(s[last:a])
		b.WriteString(open + s[a:e] + close)
		last = e
	}
	b.WriteString(s[last:])
	return strings.Join(strings.Fields(b.String()), " ")
}
