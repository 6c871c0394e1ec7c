package mizan

import "time"

// ParseDate reads a date as the command line and the API take it: 2024, 2024-03, 2024-03-15
// or an RFC 3339 time, in UTC. A shorter date stands for its first instant.
func ParseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// AsOf reads a date for "as of": a year, a month or a day counts to its last instant, so that
// "as of 2024-03-15" includes what was published that day; an RFC 3339 time is itself.
func AsOf(s string) (time.Time, bool) {
	t, ok := ParseDate(s)
	if !ok {
		return t, false
	}
	switch len(s) {
	case 4:
		t = t.AddDate(1, 0, 0)
	case 7:
		t = t.AddDate(0, 1, 0)
	case 10:
		t = t.AddDate(0, 0, 1)
	default:
		return t, true
	}
	return t.Add(-time.Nanosecond), true
}
