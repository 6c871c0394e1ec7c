package source

import (
	"strings"
	"unicode/utf8"

	"github.com/mizan-osint/mizan"
)

// urlSlot starts fetching a URL argument now and delivers it, or its feed's items, in turn.
func (r *run) urlSlot(arg string) slot {
	it := Item{Source: arg, Kind: mizan.SourceURL}
	u, err := parseHTTPURL(arg)
	switch {
	case err != nil:
		it.Err = err
		return itemSlot(it)
	case r.skip(arg) || !r.firstSeen(u.String()): // already stored, or given twice: fetched once
		return func(func(Item) error) error { return nil }
	}
	done := r.startFetch(u)
	return func(emit func(Item) error) error {
		var res fetchResult
		select {
		case res = <-done:
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
		if res.err != nil {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			it.Err = res.err
			return emit(it)
		}
		p := res.page
		it.URL, it.ContentType, it.ModTime = p.url, p.contentType, p.modTime
		if p.feed {
			feed, err := ParseFeed(p.raw, p.url)
			if err != nil {
				it.Err = err
				return emit(it)
			}
			feed.URL = arg
			return r.expandFeed(feed, emit)
		}
		it.Raw = p.raw
		return emit(it)
	}
}

// expandFeed delivers a feed's items in feed order while fetching up to 2×Fetchers of them
// ahead (within the fetch limits), so a feed of a hundred items is neither fetched one by one
// nor held in memory all at once.
func (r *run) expandFeed(f *Feed, emit func(Item) error) error {
	window := 2 * r.w.o.Fetchers
	var pending []<-chan *Item
	next := 0
	for next < len(f.Items) || len(pending) > 0 {
		for len(pending) < window && next < len(f.Items) {
			pending = append(pending, r.startFeedItem(f, f.Items[next]))
			next++
		}
		var it *Item
		select {
		case it = <-pending[0]:
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
		pending = pending[1:]
		if it == nil {
			continue // skipped, already fetched in this walk, or the walk was cancelled
		}
		if err := emit(*it); err != nil {
			return err
		}
	}
	return nil
}

// startFeedItem resolves one feed item to an Item: fetched from its link, or made of the content
// the feed carries. nil means nothing is to be delivered.
func (r *run) startFeedItem(f *Feed, fi FeedItem) <-chan *Item {
	done := make(chan *Item, 1)
	src := f.itemSource(fi)
	it := &Item{Source: src, Kind: mizan.SourceFeed, Feed: f.info(fi)}
	switch {
	case !r.firstSeen(src) || r.skip(src):
		done <- nil
	case !r.w.o.FollowFeeds || fi.Link == "":
		done <- r.fromFeed(it, f, fi, nil)
	default:
		u, err := parseHTTPURL(fi.Link)
		if err != nil { // absLink let only absolute http(s) links through
			done <- r.fromFeed(it, f, fi, err)
			break
		}
		r.wg.Go(func() {
			p, err := r.fetch(u)
			switch {
			case err != nil && r.ctx.Err() != nil:
				done <- nil
			case err != nil:
				done <- r.fromFeed(it, f, fi, err)
			default:
				// A link that turns out to be a feed is delivered as a document, not expanded:
				// feeds of feeds would make the walk unbounded.
				it.Raw, it.ContentType, it.URL, it.ModTime = p.raw, p.contentType, p.url, p.modTime
				done <- it
			}
		})
	}
	return done
}

// fromFeed makes an item of the content the feed carries, when its link could not be fetched
// (fetchErr), it has none, or links are not followed. Following links, the content must be the
// article (minFeedContent characters of text), not a teaser; not following them, whatever the
// feed has (content, else summary) is the document.
func (r *run) fromFeed(it *Item, f *Feed, fi FeedItem, fetchErr error) *Item {
	content := fi.Content
	ok := utf8.RuneCountInString(plainText(content, 0)) >= minFeedContent
	if !r.w.o.FollowFeeds {
		if strings.TrimSpace(content) == "" {
			content = fi.Summary
		}
		ok = strings.TrimSpace(content) != ""
	}
	switch {
	case ok:
		it.Raw = f.page(fi, content)
		it.ContentType = "text/html; charset=utf-8"
		it.URL = fi.Link
		it.FeedContent = true
		it.FetchErr = fetchErr
		if fi.Published != nil {
			it.ModTime = *fi.Published
		}
	case fetchErr != nil:
		it.Err = fetchErr
	case !r.w.o.FollowFeeds:
		it.Err = mizan.Errorf(mizan.EINVALID, "feed item has no content, and links are not followed")
	default:
		it.Err = mizan.Errorf(mizan.EINVALID, "feed item has no link and too little content to stand for the article")
	}
	return it
}
