// Package source turns the arguments of `mizan ingest PATH|URL|- ...` into a stream of raw
// inputs: files, directory trees, standard input, http(s) pages and RSS/Atom/JSON feeds. It gets
// bytes and says what they are (content type, final URL, feed metadata); it never parses or
// decodes content, which is the extractor's job.
//
// Every input that fails becomes an Item whose Err says why, so a batch of thousands of inputs
// goes on past a missing file or a dead link. Walk returns an error only when the walk itself
// stops: the callback asked to stop, the context was cancelled, or the options are invalid.
package source

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/mizan-osint/mizan"
)

// Item is one raw input, or the reason it could not be had.
type Item struct {
	// Source is what the user sees: the file path (as given or as found under a directory
	// argument), the URL as given, "-" for standard input, or a feed item's link.
	Source string
	Kind   mizan.SourceKind
	Raw    []byte
	// ContentType is the HTTP Content-Type as the server sent it (charset included) or, for local
	// input, one sniffed from the bytes and the file extension. A charset is only claimed when
	// the server said so, a byte order mark says so, or the bytes are valid UTF-8.
	ContentType string
	// URL is the final URL after redirects (URLs and feed items).
	URL string
	// Feed is set on every item that came from a feed.
	Feed *mizan.FeedInfo
	// FeedContent is true when Raw is the content the feed itself carried (content:encoded,
	// Atom content), wrapped in a small HTML page, because the item had no link, fetching it
	// failed (FetchErr says why) or Options.FollowFeeds is off.
	FeedContent bool
	// FetchErr is why fetching a feed item's link failed when its feed content was used instead.
	FetchErr error
	// ModTime is the file's modification time, the HTTP Last-Modified time, or for feed content
	// the item's publication time; zero when unknown.
	ModTime time.Time
	// Err is non-nil when this input failed: a *mizan.Error with the reason (ENOTFOUND,
	// EFORBIDDEN, EUNSUPPORTED, ETOOLARGE, EUNAVAILABLE or EINVALID). The walk goes on.
	Err error
}

// MetadataFiles are globs for the files a project or a data dump keeps next to its documents —
// README, LICENSE, CHANGELOG and the like — which describe the collection rather than belong to
// it. The CLI excludes them from directory walks unless asked not to; files named explicitly are
// always read.
var MetadataFiles = []string{"README", "README.*", "LICENSE", "LICENSE.*", "LICENCE", "LICENCE.*", "COPYING", "COPYING.*",
	"CHANGELOG", "CHANGELOG.*", "CONTRIBUTING.*", "NOTICE", "NOTICE.*", "AUTHORS", "AUTHORS.*", "CITATION.cff"}

// Options configures a Walker. Start from DefaultOptions: New fills zero numeric fields, the
// user agent and the client with defaults, but leaves FollowFeeds as given.
type Options struct {
	// Include and Exclude are globs (with ** for any number of directories) matched against a
	// file's path relative to the directory argument, with forward slashes, and against its base
	// name. Exclude also prunes whole directories. Files named explicitly are never filtered.
	Include, Exclude []string
	// MaxBytes caps every input; a larger one is an ETOOLARGE item and is never read whole into
	// memory. Default 20 MiB.
	MaxBytes int64
	// Timeout bounds one HTTP request, body included. Default 30s.
	Timeout time.Duration
	// MaxRedirects is how many redirects one request may follow. Default 10; negative follows none.
	MaxRedirects int
	// UserAgent is sent with every request. Default "mizan/<version> (+https://github.com/mizan-osint/mizan)".
	UserAgent string
	// Fetchers is how many HTTP fetches run at once (never more than two per host). Default 4.
	Fetchers int
	// FollowFeeds makes a feed's items be fetched from their links. When false, each item is the
	// content (or summary) the feed carries, and nothing but the feed is fetched.
	FollowFeeds bool
	// Skip, when it returns true for a source (a path, a URL as given, a feed item's link), makes
	// the walk pass over it: nothing is read, fetched or delivered. This is how a batch resumes;
	// a caller that reports skips counts them in Skip. It may be called from several goroutines
	// at once.
	Skip func(source string) bool
	// Client makes the HTTP requests (tests pass httptest's). The walker uses a copy, so setting
	// its redirect policy does not change the caller's client. Default: a client with a proxy
	// from the environment and transparent gzip.
	Client *http.Client
	// Stdin is read for the argument "-". Default os.Stdin.
	Stdin io.Reader
}

// Defaults.
const (
	DefaultMaxBytes     = 20 << 20
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRedirects = 10
	DefaultFetchers     = 4
	// perHost caps concurrent requests to one host, out of politeness to news sites.
	perHost = 2
)

// DefaultOptions returns the options `mizan ingest` starts from.
func DefaultOptions() Options {
	return Options{
		MaxBytes:     DefaultMaxBytes,
		Timeout:      DefaultTimeout,
		MaxRedirects: DefaultMaxRedirects,
		UserAgent:    defaultUserAgent(),
		Fetchers:     DefaultFetchers,
		FollowFeeds:  true,
	}
}

// toSlash copies globs with forward slashes, the separator they are matched with.
func toSlash(globs []string) []string {
	out := make([]string, len(globs))
	for i, g := range globs {
		out[i] = filepath.ToSlash(g)
	}
	return out
}

func defaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	return "mizan/" + v + " (+https://github.com/mizan-osint/mizan)"
}

// Walker streams the inputs named by command-line arguments. It is safe for concurrent use; the
// per-host and total fetch limits are shared by all walks of one Walker.
type Walker struct {
	o      Options
	client *http.Client
	limit  *limiter

	stdinMu   sync.Mutex
	stdinRead bool
}

// New returns a Walker with o, zero fields replaced by their defaults.
func New(o Options) *Walker {
	d := DefaultOptions()
	if o.MaxBytes <= 0 {
		o.MaxBytes = d.MaxBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = d.MaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	if o.UserAgent == "" {
		o.UserAgent = d.UserAgent
	}
	if o.Fetchers <= 0 {
		o.Fetchers = d.Fetchers
	}
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	o.Include, o.Exclude = toSlash(o.Include), toSlash(o.Exclude)
	w := &Walker{o: o, limit: newLimiter(o.Fetchers, perHost)}
	w.client = w.newClient(o.Client)
	return w
}

// Walk delivers the items named by args to fn, in argument order: files of a directory in
// sorted (depth-first, byte-wise) order, a feed's items in feed order (a feed is never an item
// itself). A URL met twice in one walk, as an argument or in overlapping feeds, is fetched and
// delivered once. Fetches run concurrently in the background, but fn is only ever called from
// the goroutine that called Walk, so it need not be safe for concurrent use. Nothing is
// collected: memory stays flat however many files a directory holds.
//
// Walk returns fn's error if fn returns one, ctx.Err() when ctx is cancelled (promptly, with
// in-flight requests aborted), an EINVALID *mizan.Error for an invalid glob, and nil otherwise:
// each failed input is an Item with Err set. No goroutine outlives Walk, except a read of
// standard input blocked on a terminal, which cannot be interrupted.
func (w *Walker) Walk(ctx context.Context, args []string, fn func(Item) error) error {
	if err := w.validate(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &run{w: w, ctx: ctx, seen: make(map[string]bool)}
	defer r.wg.Wait()
	defer cancel()

	slots := make(chan slot, 2*w.o.Fetchers)
	r.wg.Go(func() {
		defer close(slots)
		r.produce(args, slots)
	})
	emit := func(it Item) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(it)
	}
	for s := range slots {
		if err := s(emit); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Count quickly estimates how many items Walk will deliver for args, for a progress bar: the
// files found by walking directories with the globs, and one per URL, feed, file or "-". Nothing
// is read and Skip is not consulted, so a feed counts as one.
func (w *Walker) Count(args []string) int {
	n := 0
	for _, a := range args {
		if a == "-" || isURL(a) {
			n++
			continue
		}
		fi, err := os.Stat(a)
		if err != nil || !fi.IsDir() {
			n++
			continue
		}
		_ = w.walkDir(context.Background(), a, func(entry) error {
			n++
			return nil
		})
	}
	return n
}

func (w *Walker) validate() error {
	for _, p := range append(append([]string(nil), w.o.Include...), w.o.Exclude...) {
		if !doublestar.ValidatePattern(p) {
			return mizan.Errorf(mizan.EINVALID, "invalid glob %q", p)
		}
	}
	return nil
}

// urlPrefix recognises an argument that is a URL rather than a path: a scheme followed by "://".
var urlPrefix = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*://`)

func isURL(arg string) bool { return urlPrefix.MatchString(arg) }

// looksLikeHost reports whether a missing path was probably meant as a web address
// ("www.example.com", "example.com/page"), to suggest the full URL. A bare "notes.txt" is not.
var looksLikeHost = regexp.MustCompile(`^(www\.[^/\s]+|[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/)`)

// slot is one argument's (or one file's) share of the ordered output. The consumer runs slots in
// order; a slot may wait for a fetch the producer started earlier, so fetches overlap while
// delivery stays in order.
type slot func(emit func(Item) error) error

// run is the state of one Walk.
type run struct {
	w   *Walker
	ctx context.Context
	wg  sync.WaitGroup

	mu   sync.Mutex
	seen map[string]bool // URLs already fetched in this walk: overlapping feeds fetch each once
}

// firstSeen reports whether this walk sees url for the first time, and records it.
func (r *run) firstSeen(url string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[url] {
		return false
	}
	r.seen[url] = true
	return true
}

func (r *run) skip(source string) bool { return r.w.o.Skip != nil && r.w.o.Skip(source) }

// produce turns args into slots, walking directories lazily; it stops when the walk is
// cancelled.
func (r *run) produce(args []string, slots chan<- slot) {
	send := func(s slot) error {
		select {
		case slots <- s:
			return nil
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
	}
	for _, a := range args {
		var err error
		switch {
		case a == "-":
			err = send(r.stdinSlot())
		case isURL(a):
			err = send(r.urlSlot(a))
		case strings.TrimSpace(a) == "":
			err = send(itemSlot(Item{Source: a, Kind: mizan.SourceFile, Err: mizan.Errorf(mizan.EINVALID, "empty argument")}))
		default:
			err = r.producePath(a, send)
		}
		if err != nil {
			return
		}
	}
}

func (r *run) producePath(path string, send func(slot) error) error {
	fi, err := os.Stat(path)
	if err != nil {
		it := Item{Source: path, Kind: mizan.SourceFile, Err: fileError(err)}
		if os.IsNotExist(err) && looksLikeHost.MatchString(path) {
			it.Err = mizan.Errorf(mizan.ENOTFOUND, "no such file or directory (for a web page give the full URL: https://%s)", path)
		}
		return send(itemSlot(it))
	}
	if !fi.IsDir() {
		return send(r.fileSlot(path))
	}
	return r.w.walkDir(r.ctx, path, func(e entry) error {
		if e.err != nil {
			return send(itemSlot(Item{Source: e.path, Kind: mizan.SourceFile, Err: e.err}))
		}
		return send(r.fileSlot(e.path))
	})
}

func itemSlot(it Item) slot {
	return func(emit func(Item) error) error { return emit(it) }
}
