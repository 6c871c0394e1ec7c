package source

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

// Validators are what a server said about the version of a resource it sent (its ETag and
// Last-Modified headers). Sent back with the next request, they let the server answer 304 Not
// Modified instead of the whole body: what a feed poller does every few minutes.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Fetched is what one Fetch got: a page, a parsed feed, or nothing new.
type Fetched struct {
	// Item is the page (Raw, ContentType, URL after redirects, ModTime) when the body is not a
	// feed; for a feed or a 304 only its Source and URL are set.
	Item Item
	// Feed is the parsed feed when the body is one. Its items are not fetched.
	Feed *Feed
	// NotModified is true when the server answered 304 to the validators sent.
	NotModified bool
	// Validators are the server's, to send with the next fetch of the same URL.
	Validators Validators
}

// Fetch GETs one http(s) URL within the walker's limits (timeout, size, redirects, fetches per
// host), sending v as If-None-Match and If-Modified-Since. A feed is parsed but not expanded.
// The error is a *mizan.Error as an Item's Err would be (EINVALID for a malformed URL or feed,
// EUNAVAILABLE for the network and HTTP errors, EUNSUPPORTED, ETOOLARGE), or ctx's error.
//
// Fetch is for callers that take URLs one at a time and keep state between fetches: the work
// queue's workers and the feed watcher.
func (w *Walker) Fetch(ctx context.Context, rawURL string, v Validators) (Fetched, error) {
	u, err := parseHTTPURL(rawURL)
	if err != nil {
		return Fetched{}, err
	}
	r := &run{w: w, ctx: ctx, seen: map[string]bool{}}
	p, err := r.fetchIf(u, v)
	if err != nil {
		return Fetched{}, err
	}
	f := Fetched{Item: Item{Source: rawURL, Kind: mizan.SourceURL, URL: p.url}, NotModified: p.notModified, Validators: p.validators}
	switch {
	case p.notModified:
	case p.feed:
		feed, err := ParseFeed(p.raw, p.url)
		if err != nil {
			return Fetched{}, err
		}
		feed.URL = rawURL
		f.Feed = feed
	default:
		f.Item.Raw, f.Item.ContentType, f.Item.ModTime = p.raw, p.contentType, p.modTime
	}
	return f, nil
}

// ItemSource is the source a feed item is stored under, as Walk names it: its link, or for an
// item without one a stable name under the feed.
func (f *Feed) ItemSource(it FeedItem) string { return f.itemSource(it) }

// ItemInfo is the FeedInfo documents made from the item carry.
func (f *Feed) ItemInfo(it FeedItem) *mizan.FeedInfo { return f.info(it) }

// ContentPage wraps the content the feed carries for an item in a small HTML page, as Walk does
// when an item's link cannot be fetched, or returns nil when that content is too short to stand
// for the article. With linked false (the item has no link to fetch, or links are not
// followed) any content, else the summary, will do.
func (f *Feed) ContentPage(it FeedItem, linked bool) []byte {
	content := it.Content
	if linked {
		if utf8.RuneCountInString(plainText(content, 0)) < minFeedContent {
			return nil
		}
		return f.page(it, content)
	}
	if strings.TrimSpace(content) == "" {
		content = it.Summary
	}
	if strings.TrimSpace(content) == "" {
		return nil
	}
	return f.page(it, content)
}
