package watch_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mizan-osint/mizan"
	"github.com/mizan-osint/mizan/internal/watch"
)

func TestParseFeeds(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, tt := range []struct {
		name, in string
		want     []watch.Feed
		err      bool
	}{
		{name: "lines", in: read("feeds.txt"), want: []watch.Feed{
			{URL: "https://news.example.test/rss.xml", Interval: 5 * time.Minute},
			{URL: "https://wire.example.test/atom", Interval: 15 * time.Minute},
			{URL: "https://ar.example.test/feed.xml", Interval: time.Hour},
		}},
		{name: "yaml", in: read("feeds.yaml"), want: []watch.Feed{
			{URL: "https://news.example.test/rss.xml", Interval: 5 * time.Minute},
			{URL: "https://ar.example.test/feed.xml", Interval: 15 * time.Minute},
		}},
		{name: "yaml list", in: "- url: https://a.test/f\n  interval: 2m\n", want: []watch.Feed{{URL: "https://a.test/f", Interval: 2 * time.Minute}}},
		{name: "duplicates", in: "https://a.test/f 1m\nhttps://a.test/f 2m\n", want: []watch.Feed{{URL: "https://a.test/f", Interval: time.Minute}}},
		{name: "empty", in: "\n# nothing\n", want: nil},
		{name: "bad interval", in: "https://a.test/f often\n", err: true},
		{name: "too often", in: "https://a.test/f 1s\n", err: true},
		{name: "not a URL", in: "feed.xml\n", err: true},
		{name: "ftp", in: "ftp://a.test/f\n", err: true},
		{name: "extra fields", in: "https://a.test/f 1m extra\n", err: true},
		{name: "bad yaml", in: "feeds:\n  - url: [\n", err: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := watch.ParseFeeds([]byte(tt.in), 15*time.Minute)
			if tt.err {
				if !errors.Is(err, mizan.ErrInvalid) {
					t.Errorf("got %v %v, want an invalid error", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("feed %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func FuzzParseFeeds(f *testing.F) {
	for _, name := range []string{"feeds.txt", "feeds.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("- url: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		feeds, err := watch.ParseFeeds(data, time.Minute)
		if err != nil {
			if mizan.ErrorCode(err) != mizan.EINVALID {
				t.Errorf("got error code %s (%v), want invalid", mizan.ErrorCode(err), err)
			}
			return
		}
		if err := watch.Check(feeds); err != nil {
			t.Errorf("ParseFeeds accepted a feed Check refuses: %v", err)
		}
	})
}
