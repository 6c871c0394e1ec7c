//go:build ui

package ui

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Built reports whether the real UI is embedded (false: the placeholder page).
const Built = true

// FS returns the UI's files: index.html, app.js, style.css...
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the directory is embedded at compile time: it is always there
	}
	return sub
}
