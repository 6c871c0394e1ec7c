package source

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/mizan-osint/mizan"
)

// accept asks for pages and feeds first; anything else is taken and judged by its type.
const accept = "text/html,application/xhtml+xml,application/rss+xml;q=0.9,application/atom+xml;q=0.9," +
	"application/xml;q=0.8,text/plain;q=0.8,*/*;q=0.5"

// page is what one successful fetch produced.
type page struct {
	raw         []byte
	contentType string
	url         string // after redirects
	modTime     time.Time
	feed        bool // the body is an RSS/Atom/JSON feed
	// validators are the server's ETag and Last-Modified, for a conditional fetch next time.
	validators Validators
	// notModified is a 304 answer to a conditional fetch: raw is empty.
	notModified bool
}

type fetchResult struct {
	page *page
	err  error
}

// newClient copies c (or builds the default client) and gives it the walker's redirect policy,
// unless the caller set one.
func (w *Walker) newClient(c *http.Client) *http.Client {
	var cc http.Client
	if c != nil {
		cc = *c
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = perHost
		cc.Transport = t
	}
	if cc.CheckRedirect == nil {
		jar := cc.Jar != nil
		cc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			return w.checkRedirect(req, via, jar)
		}
	}
	return &cc
}

// checkRedirect enforces the redirect limit and the http(s)-only rule, and stops a loop at its
// first repeat rather than after MaxRedirects round trips. (With a cookie jar a repeat can be
// legitimate: the server set a cookie and sends the client back.)
func (w *Walker) checkRedirect(req *http.Request, via []*http.Request, jar bool) error {
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return mizan.Errorf(mizan.EUNAVAILABLE, "redirected to an unsupported URL scheme %q", s)
	}
	if !jar {
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return mizan.Errorf(mizan.EUNAVAILABLE, "redirect loop at %s", req.URL)
			}
		}
	}
	if len(via) > w.o.MaxRedirects {
		return mizan.Errorf(mizan.EUNAVAILABLE, "too many redirects (more than %d)", w.o.MaxRedirects)
	}
	return nil
}

// parseHTTPURL accepts absolute http and https URLs only.
func parseHTTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, mizan.Errorf(mizan.EINVALID, "invalid URL: %v", err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, mizan.Errorf(mizan.EINVALID, "unsupported URL scheme %q: only http and https", u.Scheme)
	}
	if u.Host == "" {
		return nil, mizan.Errorf(mizan.EINVALID, "URL has no host")
	}
	return u, nil
}

// startFetch fetches u in the background; the result arrives on the returned channel, which
// never blocks the fetcher.
func (r *run) startFetch(u *url.URL) <-chan fetchResult {
	done := make(chan fetchResult, 1)
	r.wg.Go(func() {
		p, err := r.fetch(u)
		done <- fetchResult{p, err}
	})
	return done
}

// fetch GETs u within the walker's limits. Its error is a *mizan.Error, or the walk's context
// error when the walk was cancelled.
func (r *run) fetch(u *url.URL) (*page, error) { return r.fetchIf(u, Validators{}) }

// fetchIf is fetch made conditional on v: a server that still has the version v describes
// answers 304, and the page comes back with notModified set.
func (r *run) fetchIf(u *url.URL, v Validators) (*page, error) {
	o := r.w.o
	release, err := r.w.limit.acquire(r.ctx, strings.ToLower(u.Hostname()))
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(r.ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "invalid URL: %v", err)
	}
	req.Header.Set("User-Agent", o.UserAgent)
	req.Header.Set("Accept", accept)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := r.w.client.Do(req)
	if err != nil {
		return nil, r.netError(err)
	}
	defer resp.Body.Close()
	got := Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	if resp.StatusCode == http.StatusNotModified && (v.ETag != "" || v.LastModified != "") {
		// Servers may leave the validators out of a 304: the old ones still hold.
		if got.ETag == "" {
			got.ETag = v.ETag
		}
		if got.LastModified == "" {
			got.LastModified = v.LastModified
		}
		return &page{url: resp.Request.URL.String(), notModified: true, validators: got}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if text := http.StatusText(resp.StatusCode); text != "" {
			return nil, mizan.Errorf(mizan.EUNAVAILABLE, "HTTP %d %s", resp.StatusCode, text)
		}
		return nil, mizan.Errorf(mizan.EUNAVAILABLE, "HTTP %d", resp.StatusCode)
	}
	ct := resp.Header.Get("Content-Type")
	mt := mediaType(ct)
	if ct != "" && !textual(mt) {
		return nil, mizan.Errorf(mizan.EUNSUPPORTED, "unsupported content type %s", mt)
	}
	if resp.ContentLength > o.MaxBytes {
		return nil, tooLarge("response", resp.ContentLength, o.MaxBytes)
	}
	check := func(head []byte) error { return refuseMislabelled(mt, head) }
	if ct == "" {
		check = refuseBinary // no declared type: judge by the first bytes, like a local file
	}
	raw, err := readAll(resp.Body, resp.ContentLength, o.MaxBytes, check)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, tooLarge("response", -1, o.MaxBytes)
	case err != nil:
		var me *mizan.Error
		if errors.As(err, &me) {
			return nil, me
		}
		return nil, r.netError(err)
	case len(raw) == 0:
		return nil, mizan.Errorf(mizan.EINVALID, "empty response")
	}
	p := &page{raw: raw, contentType: ct, url: resp.Request.URL.String(), validators: got}
	if ct == "" {
		p.contentType = localContentType(resp.Request.URL.Path, raw)
		mt = mediaType(p.contentType)
	}
	p.feed = isFeed(mt) || sniffFeed(mt, raw) != gofeed.FeedTypeUnknown
	if lm, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		p.modTime = lm
	}
	return p, nil
}

// netError words a failed request for the user (EUNAVAILABLE with the reason), or passes on
// the walk's own cancellation.
func (r *run) netError(err error) error {
	if cerr := r.ctx.Err(); cerr != nil {
		return cerr
	}
	var (
		me   *mizan.Error
		dns  *net.DNSError
		cert *tls.CertificateVerificationError
		ue   *url.Error
	)
	switch {
	case errors.As(err, &me):
		return me
	case errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err):
		return mizan.Errorf(mizan.EUNAVAILABLE, "timed out after %s", r.w.o.Timeout)
	case errors.As(err, &dns):
		return mizan.Errorf(mizan.EUNAVAILABLE, "cannot resolve host %s: %s", dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return mizan.Errorf(mizan.EUNAVAILABLE, "connection refused")
	case errors.Is(err, syscall.ECONNRESET):
		return mizan.Errorf(mizan.EUNAVAILABLE, "connection reset by the server")
	case errors.As(err, &cert):
		return mizan.Errorf(mizan.EUNAVAILABLE, "TLS certificate not trusted: %v", cert.Err)
	case errors.As(err, &ue):
		return mizan.Errorf(mizan.EUNAVAILABLE, "%v", ue.Err)
	default:
		return mizan.Errorf(mizan.EUNAVAILABLE, "%v", err)
	}
}

// limiter bounds concurrent fetches: at most n in all and perHost to any one host. A fetch
// takes its host's token before a global one, so requests queued behind a busy host never hold
// global tokens that other hosts could use.
type limiter struct {
	all     chan struct{}
	perHost int

	mu    sync.Mutex
	hosts map[string]*hostTokens
}

type hostTokens struct {
	sem   chan struct{}
	users int // fetches holding or waiting for a token; at zero the entry is dropped
}

func newLimiter(n, perHost int) *limiter {
	return &limiter{all: make(chan struct{}, n), perHost: perHost, hosts: make(map[string]*hostTokens)}
}

// acquire waits for a token for host; the returned func gives it back.
func (l *limiter) acquire(ctx context.Context, host string) (func(), error) {
	l.mu.Lock()
	h := l.hosts[host]
	if h == nil {
		h = &hostTokens{sem: make(chan struct{}, l.perHost)}
		l.hosts[host] = h
	}
	h.users++
	l.mu.Unlock()
	leave := func() {
		l.mu.Lock()
		if h.users--; h.users == 0 {
			delete(l.hosts, host)
		}
		l.mu.Unlock()
	}
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
	select {
	case l.all <- struct{}{}:
	case <-ctx.Done():
		<-h.sem
		leave()
		return nil, ctx.Err()
	}
	return func() {
		<-l.all
		<-h.sem
		leave()
	}, nil
}
