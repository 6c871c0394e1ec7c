package graph

import (
	"fmt"
	"time"

	"github.com/mizan-osint/mizan"
)

// Period is the width of a trend's buckets.
type Period string

// Periods a trend can be counted by.
const (
	Month   Period = "month"
	Quarter Period = "quarter"
	Year    Period = "year"
)

// ParsePeriod reads a period name (EINVALID for anything else).
func ParsePeriod(s string) (Period, error) {
	switch p := Period(s); p {
	case Month, Quarter, Year:
		return p, nil
	case "":
		return Quarter, nil
	}
	return "", mizan.Errorf(mizan.EINVALID, "period %q: want month, quarter or year", s)
}

// Bucket counts a relation's events in one period.
type Bucket struct {
	Period string    `json:"period"` // "2024", "2024-Q4", "2024-11"
	Start  time.Time `json:"start"`
	Count  int       `json:"count"`
	// Undated counts the events placed here by their document's date, the text giving none.
	Undated int         `json:"undated,omitempty"`
	Types   []TypeCount `json:"types"`
}

// bucketOf returns the start of the period containing t and its label.
func bucketOf(t time.Time, p Period) (time.Time, string) {
	t = t.UTC()
	switch p {
	case Month:
		s := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return s, s.Format("2006-01")
	case Year:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC), fmt.Sprint(t.Year())
	}
	q := (int(t.Month()) - 1) / 3
	return time.Date(t.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC), fmt.Sprintf("%d-Q%d", t.Year(), q+1)
}

// Trend counts a relation's events by period, in time order, with the empty periods between the
// first and the last left out.
func (g *Graph) Trend(e *Edge, p Period) []Bucket {
	var out []Bucket
	ix := map[string]int{}
	for _, i := range e.Events {
		ev := &g.Events[i]
		start, label := bucketOf(g.At(ev), p)
		j, ok := ix[label]
		if !ok {
			j = len(out)
			ix[label] = j
			out = append(out, Bucket{Period: label, Start: start})
		}
		b := &out[j]
		b.Count++
		if !ev.Dated() {
			b.Undated++
		}
		found := false
		for k := range b.Types {
			if b.Types[k].Type == ev.Type {
				b.Types[k].Count++
				found = true
			}
		}
		if !found {
			b.Types = append(b.Types, TypeCount{ev.Type, 1})
		}
	}
	for i := range out {
		sortTypes(out[i].Types)
	}
	// Events are in time order, so buckets already are.
	return out
}
