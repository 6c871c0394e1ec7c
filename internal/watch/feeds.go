package watch

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mizan-osint/mizan"
)

// Feed is one feed to watch.
type Feed struct {
	URL string `yaml:"url" json:"url"`
	// Interval is the time between polls when the feed answers; errors stretch it (Backoff).
	Interval time.Duration `yaml:"interval" json:"interval"`
}

// MinInterval keeps a typo ("1s") from hammering a site.
const MinInterval = 30 * time.Second

// ParseFeeds reads a feeds file, in one of two forms. Plain lines: a URL, optionally followed
// by its interval (a Go duration: 90s, 15m, 1h); blank lines and # comments are skipped. Or
// YAML: a list of {url, interval}, or the same under a "feeds:" key. A feed without an interval
// gets def. Errors are EINVALID and name the line.
func ParseFeeds(data []byte, def time.Duration) ([]Feed, error) {
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("feeds:")) || bytes.HasPrefix(trimmed, []byte("- ")) || bytes.HasPrefix(trimmed, []byte("---")) {
		return parseYAML(data, def)
	}
	var feeds []Feed
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) > 2 {
			return nil, mizan.Errorf(mizan.EINVALID, "feeds file line %d: want a URL and an optional interval, got %d fields", n, len(fields))
		}
		f := Feed{URL: fields[0], Interval: def}
		if len(fields) == 2 {
			d, err := time.ParseDuration(fields[1])
			if err != nil {
				return nil, mizan.Errorf(mizan.EINVALID, "feeds file line %d: interval %q: want a duration like 90s, 15m or 1h", n, fields[1])
			}
			f.Interval = d
		}
		if err := f.check(); err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "feeds file line %d: %s", n, mizan.ErrorMessage(err))
		}
		feeds = append(feeds, f)
	}
	if err := sc.Err(); err != nil {
		return nil, mizan.Errorf(mizan.EINVALID, "feeds file: %v", err)
	}
	return dedupe(feeds), nil
}

func parseYAML(data []byte, def time.Duration) ([]Feed, error) {
	type entry struct {
		URL      string `yaml:"url"`
		Interval string `yaml:"interval"`
	}
	var doc struct {
		Feeds []entry `yaml:"feeds"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var list []entry
		if lerr := yaml.Unmarshal(data, &list); lerr != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "feeds file: %v", err)
		}
		doc.Feeds = list
	}
	var feeds []Feed
	for i, e := range doc.Feeds {
		f := Feed{URL: strings.TrimSpace(e.URL), Interval: def}
		if e.Interval != "" {
			d, err := time.ParseDuration(e.Interval)
			if err != nil {
				return nil, mizan.Errorf(mizan.EINVALID, "feeds file entry %d: interval %q: want a duration like 90s, 15m or 1h", i+1, e.Interval)
			}
			f.Interval = d
		}
		if err := f.check(); err != nil {
			return nil, mizan.Errorf(mizan.EINVALID, "feeds file entry %d: %s", i+1, mizan.ErrorMessage(err))
		}
		feeds = append(feeds, f)
	}
	return dedupe(feeds), nil
}

// check validates a feed.
func (f Feed) check() error {
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return mizan.Errorf(mizan.EINVALID, "%q is not an http(s) URL", f.URL)
	}
	if f.Interval < MinInterval {
		return mizan.Errorf(mizan.EINVALID, "interval %s of %s is under the minimum of %s", f.Interval, f.URL, MinInterval)
	}
	return nil
}

// Check validates feeds given on the command line.
func Check(feeds []Feed) error {
	for _, f := range feeds {
		if err := f.check(); err != nil {
			return err
		}
	}
	return nil
}

// dedupe keeps the first of feeds with the same URL.
func dedupe(feeds []Feed) []Feed {
	seen := map[string]bool{}
	out := feeds[:0]
	for _, f := range feeds {
		if !seen[f.URL] {
			seen[f.URL] = true
			out = append(out, f)
		}
	}
	return out
}

func (f Feed) String() string { return fmt.Sprintf("%s every %s", f.URL, f.Interval) }
