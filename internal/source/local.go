package source

import (
	"bytes"
	"errors"
	"os"

	"github.com/mizan-osint/mizan"
)

// fileSlot reads one file when its turn comes, so a tree of any size is never held in memory.
func (r *run) fileSlot(path string) slot {
	return func(emit func(Item) error) error {
		if r.skip(path) {
			return nil
		}
		it := Item{Source: path, Kind: mizan.SourceFile}
		raw, err := r.readFile(path, &it)
		if err != nil {
			it.Err = err
			return emit(it)
		}
		return r.local(it, path, raw, "file", emit)
	}
}

// readFile reads a file under the size cap, refusing by extension, size or first bytes before
// reading the whole of it.
func (r *run) readFile(path string, it *Item) ([]byte, error) {
	if err := unsupportedExt(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fileError(err)
	}
	if fi.IsDir() {
		return nil, mizan.Errorf(mizan.EINVALID, "is a directory")
	}
	it.ModTime = fi.ModTime()
	limit, hint := r.w.o.MaxBytes, int64(-1)
	if fi.Mode().IsRegular() { // pipes and devices have no size: the cap while reading is what holds
		if fi.Size() > limit {
			return nil, tooLarge("file", fi.Size(), limit)
		}
		hint = fi.Size()
	}
	raw, err := readAll(f, hint, limit, refuseBinary)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, tooLarge("file", -1, limit)
	case err != nil:
		return nil, fileError(err)
	}
	return raw, nil
}

// stdinSlot reads standard input. Stdin can be read once: a second "-" is an error item.
func (r *run) stdinSlot() slot {
	return func(emit func(Item) error) error {
		it := Item{Source: "-", Kind: mizan.SourceStdin}
		r.w.stdinMu.Lock()
		already := r.w.stdinRead
		r.w.stdinRead = true
		r.w.stdinMu.Unlock()
		if already {
			it.Err = mizan.Errorf(mizan.EINVALID, "standard input was already read: give - once")
			return emit(it)
		}
		type result struct {
			raw []byte
			err error
		}
		// A read from a terminal cannot be interrupted, so it runs apart and Ctrl-C does not
		// wait for it; this goroutine alone may outlive the walk, until stdin's next read returns.
		done := make(chan result, 1)
		go func() {
			raw, err := readAll(r.w.o.Stdin, -1, r.w.o.MaxBytes, refuseBinary)
			done <- result{raw, err}
		}()
		var res result
		select {
		case res = <-done:
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
		switch {
		case errors.Is(res.err, errTooLarge):
			it.Err = tooLarge("input", -1, r.w.o.MaxBytes)
		case res.err != nil:
			it.Err = fileError(res.err)
		default:
			return r.local(it, "", res.raw, "input", emit)
		}
		return emit(it)
	}
}

// local delivers bytes read from a file or stdin: as one document, or, when they are a feed,
// as the feed's items.
func (r *run) local(it Item, name string, raw []byte, what string, emit func(Item) error) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		it.Err = mizan.Errorf(mizan.EINVALID, "empty %s", what)
		return emit(it)
	}
	it.ContentType = localContentType(name, raw)
	if isFeed(mediaType(it.ContentType)) {
		feed, err := ParseFeed(raw, it.Source)
		if err != nil {
			it.Err = err
			return emit(it)
		}
		return r.expandFeed(feed, emit)
	}
	it.Raw = raw
	return emit(it)
}
