// Package evalkit holds what every evaluation in mizan shares: counts of true and false
// positives, precision/recall/F1, and a plain-text table that `make eval` prints. Scorers live in
// the package whose output they score; this package only keeps them consistent.
package evalkit

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Counts of a set-comparison between predicted and expected items.
type Counts struct {
	TP, FP, FN int
}

// Decision counts one yes/no decision against its expected answer: a true positive, a false
// positive, a false negative, or nothing for a true negative.
func Decision(expected, predicted bool) Counts {
	switch {
	case expected && predicted:
		return Counts{TP: 1}
	case predicted:
		return Counts{FP: 1}
	case expected:
		return Counts{FN: 1}
	}
	return Counts{}
}

// Add accumulates o into c.
func (c *Counts) Add(o Counts) { c.TP += o.TP; c.FP += o.FP; c.FN += o.FN }

// Precision is TP/(TP+FP), 0 when nothing was predicted.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 0 when nothing was expected.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Row is one line of a report: a label and its counts.
type Row struct {
	Label string
	Counts
}

// Report is a titled list of rows, e.g. one per entity type or per language.
type Report struct {
	Title string
	Rows  []Row
	Notes []string // free-form lines printed under the table
}

// Add accumulates counts under a label, creating the row on first use.
func (r *Report) Add(label string, c Counts) {
	for i := range r.Rows {
		if r.Rows[i].Label == label {
			r.Rows[i].Add(c)
			return
		}
	}
	r.Rows = append(r.Rows, Row{Label: label, Counts: c})
}

// Row returns the counts under a label (zero when absent).
func (r *Report) Row(label string) Counts {
	for _, row := range r.Rows {
		if row.Label == label {
			return row.Counts
		}
	}
	return Counts{}
}

// Sort orders rows by label, keeping a row labelled "all" last.
func (r *Report) Sort() {
	sort.SliceStable(r.Rows, func(i, j int) bool {
		a, b := r.Rows[i].Label, r.Rows[j].Label
		if (a == "all") != (b == "all") {
			return b == "all"
		}
		return a < b
	})
}

// Write prints the report as an aligned table.
func (r *Report) Write(w io.Writer) error {
	var b strings.Builder
	if r.Title != "" {
		fmt.Fprintf(&b, "%s\n", r.Title)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tTP\tFP\tFN\tprecision\trecall\tF1\t")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", row.Label, row.TP, row.FP, row.FN,
			row.Precision(), row.Recall(), row.F1())
	}
	tw.Flush()
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// String renders the report as Write does.
func (r *Report) String() string {
	var b strings.Builder
	r.Write(&b)
	return b.String()
}
