//go:build !ui

package ui

import (
	"embed"
	"io/fs"
)

// The placeholder lets `go build` and `go vet` work on a checkout where npm never ran.
//
//go:embed placeholder
var placeholder embed.FS

// Built reports whether the real UI is embedded (false: the placeholder page).
const Built = false

// FS returns the placeholder's files: an index.html that says how to build the UI.
func FS() fs.FS {
	sub, err := fs.Sub(placeholder, "placeholder")
	if err != nil {
		panic(err) // the directory is embedded at compile time: it is always there
	}
	return sub
}
