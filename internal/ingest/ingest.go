// Package ingest runs batches: inputs from internal/source go through the nlp pipeline on a
// bounded pool of workers and into a store through one writer, with progress and a summary.
//
// Why one writer: SQLite takes one writer at a time anyway, and one goroutine committing a
// transaction per document keeps every document all-or-nothing, so a crash or Ctrl-C loses only
// documents that were never committed, and the next run, which skips what is stored, resumes.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/nlp"
	"github.com/mizan-osint/mizan/internal/source"
)

// Walker yields the inputs of a batch (internal/source.Walker).
type Walker interface {
	Walk(ctx context.Context, args []string, fn func(source.Item) error) error
	Count(args []string) int
}

// Reporter receives progress. internal/progress.Bar implements it; nil-safe no-ops are fine.
type Reporter interface {
	Add(n int)
	Describe(s string)
	SetTotal(n int64)
}

// Ingester runs ingest and reprocess batches.
type Ingester struct {
	Store    mizan.DocumentStore
	Pipeline nlp.Pipeline
	// Workers is the number of documents processed at once; 0 means one per CPU.
	Workers int
	// Progress, when set, is told about every finished input.
	Progress Reporter
	// Resolve, when set, runs in the writer goroutine just before a document is stored: it links
	// the document's mentions to entities across documents (which needs a consistent view of
	// what earlier documents introduced, hence the single writer). Its changes to d.Analysis are
	// stored with the document in one transaction.
	Resolve func(ctx context.Context, d *nlp.Doc) error
	Now     func() time.Time
	// OnOutcome, when set, is called from the writer goroutine with every input's outcome.
	OnOutcome func(Outcome)

	skipped atomic.Int64
}

// SkipStoredURLs returns a source.Options.Skip function that skips remote sources already
// stored, so a re-run does not fetch them again, and counts them in the summary and progress.
// Local files are never skipped by name: a file may have changed, and re-reading it costs a
// hash, not a fetch (unchanged content is then skipped by id before any processing).
func (in *Ingester) SkipStoredURLs(ctx context.Context) func(string) bool {
	return func(src string) bool {
		if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
			return false
		}
		if _, ok, err := in.Store.HasSource(ctx, src); err != nil || !ok {
			return false
		}
		in.skipped.Add(1)
		if in.Progress != nil {
			in.Progress.Add(1)
		}
		return true
	}
}

// MaxFailures bounds the failures a Summary lists, so memory stays flat on a huge bad batch.
const MaxFailures = 1000

// Outcome is what happened to one input.
type Outcome struct {
	Source string          `json:"source"`
	ID     string          `json:"id,omitempty"`
	Result mizan.PutResult `json:"result,omitempty"` // added, duplicate, updated; "" when failed
	// NearDup is the near-duplicate group the document joined, if any.
	NearDup string `json:"near_duplicate_of,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Summary counts a batch.
type Summary struct {
	Added     int `json:"added"`
	Updated   int `json:"updated,omitempty"`
	Duplicate int `json:"duplicate"`
	NearDup   int `json:"near_duplicate"`
	Failed    int `json:"failed"`
	// Skipped counts remote sources not fetched again because they were already stored.
	Skipped int           `json:"skipped"`
	Bytes   int64         `json:"bytes"`
	Elapsed time.Duration `json:"elapsed_ns"`
	// Failures lists the first MaxFailures failed inputs with their reasons (all are counted in
	// Failed and recorded in the store).
	Failures []Outcome `json:"failures,omitempty"`
	// Interrupted is set when the batch stopped early (Ctrl-C); what was committed stays.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Line is the one-line summary printed at the end of a batch.
func (s Summary) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d added", s.Added)
	if s.Updated > 0 {
		fmt.Fprintf(&b, ", %d updated", s.Updated)
	}
	fmt.Fprintf(&b, ", %d duplicate, %d near-duplicate, %d failed", s.Duplicate, s.NearDup, s.Failed)
	if s.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped (already ingested)", s.Skipped)
	}
	if s.Elapsed > 0 {
		n := s.Added + s.Updated + s.Duplicate + s.Failed
		fmt.Fprintf(&b, " in %s (%.0f docs/s)", s.Elapsed.Round(time.Millisecond), float64(n)/s.Elapsed.Seconds())
	}
	if s.Interrupted {
		b.WriteString(" — interrupted: run again to resume")
	}
	return b.String()
}

// Job is one input of a batch, from a JobSource.
type Job struct {
	Item source.Item
	// Ticket, when set, ties the job to the source that issued it (a work-queue item), which the
	// writer settles once the job's outcome is final.
	Ticket Ticket
}

// Ticket settles a job with the source it came from. The writer calls exactly one of its
// methods per job, from the writer goroutine.
type Ticket interface {
	// Put stores the job's processed document in st and settles the ticket, in one transaction
	// where the source can (the work queue marks its item done in the document's transaction).
	Put(ctx context.Context, st mizan.DocumentStore, d *mizan.Document, a *mizan.Analysis, replace bool) (mizan.PutOutcome, error)
	// Settle settles a job that stored nothing new: its document was already stored (o.Result
	// is duplicate), or it failed (err, also worded in o.Error).
	Settle(ctx context.Context, o Outcome, err error) error
}

// JobSource yields the jobs of a batch: a walk of files and URLs (Run), stored documents
// (Reprocess), or a work queue (internal/queue).
type JobSource interface {
	// Jobs sends jobs to out until there are none left, or ctx is done; it does not close out.
	// Its error is for the source itself; failed inputs are jobs whose Item.Err is set.
	Jobs(ctx context.Context, out chan<- Job) error
}

// walkSource is the JobSource of Run.
type walkSource struct {
	w    Walker
	args []string
}

func (s walkSource) Jobs(ctx context.Context, out chan<- Job) error {
	return s.w.Walk(ctx, s.args, func(it source.Item) error {
		select {
		case out <- Job{Item: it}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

type job struct {
	item   source.Item
	ticket Ticket
	doc    *nlp.Doc
	err    error
	// done means the document is already stored (same bytes): nothing to process.
	done string
}

func (in *Ingester) workers() int {
	if in.Workers > 0 {
		return in.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (in *Ingester) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

// Run ingests every input named by args. Per-input failures are counted, recorded in the store
// and reported in the summary; they never stop the batch. The error is for the batch itself
// (the store failing, a cancelled context).
func (in *Ingester) Run(ctx context.Context, w Walker, args []string) (Summary, error) {
	if in.Progress != nil {
		in.Progress.SetTotal(int64(w.Count(args)))
	}
	return in.Process(ctx, walkSource{w, args})
}

// Process ingests the jobs of src, like Run: the same pipeline, Resolve hook, writer and
// summary, whatever the jobs come from. It returns when src has no more jobs and every job is
// settled. When the store fails for good, Process stops: src's context is cancelled and the
// jobs already taken are not settled (a work queue hands them out again once their lease ends).
func (in *Ingester) Process(ctx context.Context, src JobSource) (Summary, error) {
	srcCtx, stop := context.WithCancel(ctx)
	defer stop()
	jobs := make(chan *job, 2*in.workers())
	out := make(chan Job)
	var srcErr error
	go func() {
		defer close(jobs)
		for j := range out {
			select {
			case jobs <- &job{item: j.Item, ticket: j.Ticket}:
			case <-srcCtx.Done():
			}
		}
	}()
	go func() {
		defer close(out)
		srcErr = src.Jobs(srcCtx, out)
	}()
	sum, err := in.process(ctx, jobs, false, stop)
	sum.Skipped = int(in.skipped.Load())
	if err == nil && srcErr != nil && !errors.Is(srcErr, context.Canceled) {
		err = srcErr
	}
	return sum, err
}

// Reprocess re-runs the pipeline over stored raw bytes for the given ids (all stale documents
// when ids is empty and all is false; every document when all is true).
func (in *Ingester) Reprocess(ctx context.Context, ids []string, all bool) (Summary, error) {
	if len(ids) == 0 {
		below := nlp.Version
		if all {
			below = 0
		}
		var err error
		if ids, err = in.Store.DocumentIDs(ctx, below); err != nil {
			return Summary{}, err
		}
	}
	if in.Progress != nil {
		in.Progress.SetTotal(int64(len(ids)))
	}
	jobs := make(chan *job, 2*in.workers())
	go func() {
		defer close(jobs)
		for _, id := range ids {
			d, err := in.Store.Document(ctx, id)
			j := &job{item: source.Item{Source: id}}
			if err != nil {
				j.err = err
			} else {
				j.item = source.Item{Source: d.Source, Kind: d.SourceKind, Raw: d.Raw, ContentType: d.ContentType, Feed: d.Feed}
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	return in.process(ctx, jobs, true, func() {})
}

// process runs the workers and the writer until jobs is closed. stop is called when the store
// fails, to stop the producer of jobs.
func (in *Ingester) process(ctx context.Context, jobs <-chan *job, replace bool, stop func()) (Summary, error) {
	start := in.now()
	results := make(chan *job, 2*in.workers())
	var wg sync.WaitGroup
	for range in.workers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				in.prepare(ctx, j, replace)
				results <- j
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var sum Summary
	var storeErr error
	for j := range results {
		if storeErr != nil {
			continue // drain
		}
		o, err := in.commit(ctx, j, replace)
		if err != nil {
			storeErr = err
			stop()
			continue
		}
		sum.add(o, int64(len(j.item.Raw)))
		if in.OnOutcome != nil {
			in.OnOutcome(o)
		}
		if in.Progress != nil {
			in.Progress.Add(1)
			in.Progress.Describe(fmt.Sprintf("%d added, %d dup, %d failed", sum.Added+sum.Updated, sum.Duplicate, sum.Failed))
		}
	}
	sum.Elapsed = in.now().Sub(start)
	sort.SliceStable(sum.Failures, func(i, k int) bool { return sum.Failures[i].Source < sum.Failures[k].Source })
	if ctx.Err() != nil {
		sum.Interrupted = true
		if storeErr == nil || errors.Is(storeErr, context.Canceled) {
			return sum, nil
		}
	}
	return sum, storeErr
}

// prepare runs in a worker: it turns an input into a processed document, or an error.
func (in *Ingester) prepare(ctx context.Context, j *job, replace bool) {
	if j.err != nil || j.item.Err != nil {
		if j.err == nil {
			j.err = j.item.Err
		}
		return
	}
	id := mizan.DocumentID(j.item.Raw)
	if !replace {
		if ok, err := in.Store.HasDocument(ctx, id); err != nil {
			j.err = err
			return
		} else if ok {
			j.done = id
			return
		}
	}
	d := &nlp.Doc{Document: &mizan.Document{
		ID:          id,
		Source:      j.item.Source,
		SourceKind:  j.item.Kind,
		ContentType: j.item.ContentType,
		Raw:         j.item.Raw,
		Feed:        j.item.Feed,
		Pipeline:    nlp.Version,
	}}
	if j.item.FeedContent && d.Feed != nil {
		d.Feed.FromFeed = true
		if j.item.FetchErr != nil {
			d.Feed.FetchError = j.item.FetchErr.Error()
		}
	}
	if err := in.Pipeline.Process(ctx, d); err != nil {
		j.err = err
		return
	}
	applyFeed(d.Document)
	j.doc = d
}

// applyFeed fills what extraction could not find from what the feed said about the item.
func applyFeed(d *mizan.Document) {
	f := d.Feed
	if f == nil {
		return
	}
	if d.Title == "" {
		d.Title = f.ItemTitle
	}
	if d.Published == nil && f.Published != nil {
		t := f.Published.UTC()
		d.Published, d.PublishedPrecision, d.PublishedText = &t, mizan.PrecisionMinute, "feed item date"
	}
	if len(d.Authors) == 0 {
		d.Authors = f.Authors
	}
	if d.Outlet == "" {
		d.Outlet = f.FeedTitle
	}
}

// commit runs in the writer goroutine. A store error on one document is recorded as that
// document's failure unless the store itself is broken (context cancelled or closed).
func (in *Ingester) commit(ctx context.Context, j *job, replace bool) (Outcome, error) {
	o := Outcome{Source: j.item.Source}
	switch {
	case j.err != nil:
		if ctx.Err() != nil && errors.Is(j.err, ctx.Err()) {
			return o, ctx.Err()
		}
		return o, in.fail(ctx, j, &o, j.err)
	case j.done != "":
		o.ID, o.Result = j.done, mizan.PutDuplicate
		if j.ticket != nil {
			return o, j.ticket.Settle(ctx, o, nil)
		}
		return o, nil
	}
	if in.Resolve != nil {
		if err := in.Resolve(ctx, j.doc); err != nil {
			return o, fmt.Errorf("resolve entities of %s: %w", j.doc.ID, err)
		}
	}
	var (
		put mizan.PutOutcome
		err error
	)
	if j.ticket != nil {
		put, err = j.ticket.Put(ctx, in.Store, j.doc.Document, &j.doc.Analysis, replace)
	} else {
		put, err = in.Store.PutDocument(ctx, j.doc.Document, &j.doc.Analysis, replace)
	}
	if err != nil {
		if ctx.Err() != nil {
			return o, ctx.Err()
		}
		if mizan.ErrorCode(err) == mizan.EINTERNAL {
			return o, err
		}
		return o, in.fail(ctx, j, &o, err)
	}
	o.ID, o.Result, o.NearDup = put.ID, put.Result, put.DupGroup
	return o, nil
}

// fail records a job's failure in the store and settles its ticket.
func (in *Ingester) fail(ctx context.Context, j *job, o *Outcome, err error) error {
	o.Error = err.Error()
	if rerr := in.Store.RecordFailure(ctx, mizan.Failure{Source: o.Source, Reason: o.Error, At: in.now()}); rerr != nil {
		return rerr
	}
	if j.ticket != nil {
		return j.ticket.Settle(ctx, *o, err)
	}
	return nil
}

func (s *Summary) add(o Outcome, bytes int64) {
	switch {
	case o.Error != "":
		s.Failed++
		if len(s.Failures) < MaxFailures {
			s.Failures = append(s.Failures, o)
		}
		return
	case o.Result == mizan.PutAdded:
		s.Added++
	case o.Result == mizan.PutUpdated:
		s.Updated++
	case o.Result == mizan.PutDuplicate:
		s.Duplicate++
	}
	s.Bytes += bytes
	if o.NearDup != "" && o.NearDup != o.ID && o.Result != mizan.PutDuplicate {
		s.NearDup++
	}
}
