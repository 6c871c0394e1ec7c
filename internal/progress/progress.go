// Package progress reports how a long command is going: a progress bar on a terminal, nothing
// when output is piped or redirected (so scripts and CI logs stay clean).
package progress

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar is a progress reporter. The zero of every method is a no-op on a quiet Bar.
type Bar struct {
	bar *progressbar.ProgressBar
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// New returns a bar writing to w when w is a terminal and quiet is false, or a silent one.
// total may be -1 when unknown (a spinner) and can be raised later with SetTotal.
func New(w io.Writer, total int64, description string, quiet bool) *Bar {
	if quiet || !IsTerminal(w) {
		return &Bar{}
	}
	return &Bar{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("docs"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)}
}

// Add advances the bar by n items.
func (b *Bar) Add(n int) {
	if b.bar != nil {
		b.bar.Add(n)
	}
}

// Describe changes the text before the bar (e.g. running counts).
func (b *Bar) Describe(s string) {
	if b.bar != nil {
		b.bar.Describe(s)
	}
}

// SetTotal changes the expected total, e.g. when a feed turns out to hold more items.
func (b *Bar) SetTotal(n int64) {
	if b.bar != nil && n > b.bar.GetMax64() {
		b.bar.ChangeMax64(n)
	}
}

// Finish clears the bar from the terminal.
func (b *Bar) Finish() {
	if b.bar != nil {
		b.bar.Finish()
	}
}
